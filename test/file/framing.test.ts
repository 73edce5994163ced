import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/errors.js';
import { loadLayout } from '../../src/layout/index.js';
import {
  SyncRecordWriter,
  StreamRecordWriter,
  framingOptions,
  readRecords,
  scanFileSync,
  validateFile,
  type FileRule,
  type ReadRecord,
} from '../../src/file/index.js';
import { EXAMPLE_DATA, EXAMPLE_HEADER, exampleRecords, joinRecords, tmpDir } from './helpers.js';

const S = loadLayout('seizure-120');
const ST = loadLayout('statement-03');

function put(buf: Buffer, name = 'f.dat'): string {
  const file = path.join(tmpDir(), name);
  fs.writeFileSync(file, buf);
  return file;
}
async function readAll(src: string | NodeJS.ReadableStream, layout = S) {
  const reader = readRecords(src, layout);
  const recs: ReadRecord[] = [];
  for await (const r of reader) recs.push(r);
  return { recs, summary: reader.summary! };
}
function codes(fs_: Finding[]): Array<[string, number | undefined]> {
  return fs_.map((f) => [f.code, f.offset]);
}

/** Rewrite a file record by record from what the reader gave. */
function rewrite(recs: ReadRecord[], framing: ReturnType<typeof framingOptions>, layout = S): Buffer {
  const file = path.join(tmpDir(), 'out.dat');
  const w = new SyncRecordWriter(file, layout, framing);
  for (const r of recs) w.write(r.kind, r.fields, r.raw);
  w.close();
  return fs.readFileSync(file);
}

describe('framing: every convention round-trips byte for byte', () => {
  for (const [name, sep] of [
    ['none', ''],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
    ['LF', '\n'],
  ] as const) {
    for (const final of [true, false]) {
      for (const eof of [false, true]) {
        if (sep === '' && !final) continue;
        it(`${name}${final ? '' : ' without final separator'}${eof ? ' + 0x1A' : ''}`, async () => {
          const bytes = joinRecords(exampleRecords(), sep, final, eof);
          const { recs, summary } = await readAll(put(bytes));
          expect(summary.findings).toEqual([]);
          expect(recs.map((r) => r.offset)).toEqual([0, 1, 2, 3].map((i) => i * (120 + sep.length)));
          expect(summary.framing).toEqual({ separator: sep === '' ? 'none' : name.toLowerCase(), finalSeparator: sep !== '' && final, eofMark: eof });
          expect(rewrite(recs, framingOptions(summary.framing)).equals(bytes)).toBe(true);
        });
      }
    }
  }
  it('keeps filler bytes (non-space) through a round trip, and the reader works on a stream in small chunks', async () => {
    const recs = exampleRecords();
    recs[1]!.write('FILLERBYTES!', 108, 'latin1');
    const bytes = joinRecords(recs, '\r\n');
    const chunks = [...Array(Math.ceil(bytes.length / 7)).keys()].map((i) => bytes.subarray(i * 7, i * 7 + 7));
    const { recs: got, summary } = await readAll(Readable.from(chunks));
    expect(summary.findings).toEqual([]);
    expect(rewrite(got, framingOptions(summary.framing)).equals(bytes)).toBe(true);
  });
});

describe('framing defects: findings at the exact byte', () => {
  const recs = exampleRecords();
  it('a short record (followed by CRLF) → record-length finding at the record, resync after it', async () => {
    const r = [...recs];
    r[1] = r[1]!.subarray(0, 119);
    const { recs: got, summary } = await readAll(put(joinRecords(r, '\r\n')));
    expect(summary.findings[0]).toMatchObject({ code: 'framing.record-length', offset: 122, record: 1, expected: '120 bytes', found: '119 bytes' });
    // consequences: the unframed data record is missing from order and totals
    expect(codes(summary.findings.slice(1))).toEqual([['record.order', 243], ['total.mismatch', 244], ['total.mismatch', 250]]);
    expect(got.map((x) => x.kind)).toEqual(['header', 'trailer', 'end']);
  });
  it('a stray byte inside the file (long record)', () => {
    const r = [...recs];
    r[2] = Buffer.concat([r[2]!, Buffer.from('X')]);
    const s = validateFile(put(joinRecords(r, '\r\n')), S);
    // the trailer could not be framed, so the end record also comes out of order
    expect(codes(s.findings)).toEqual([['framing.record-length', 244], ['record.order', 367]]);
  });
  it('mixed separators', () => {
    const b = Buffer.concat([recs[0]!, Buffer.from('\r\n'), recs[1]!, Buffer.from('\n'), recs[2]!, Buffer.from('\r\n'), recs[3]!, Buffer.from('\r\n')]);
    expect(codes(validateFile(put(b), S).findings)).toEqual([['framing.mixed-separator', 242]]);
  });
  it('a blank line', () => {
    const b = Buffer.concat([recs[0]!, Buffer.from('\r\n'), recs[1]!, Buffer.from('\r\n\r\n'), recs[2]!, Buffer.from('\r\n'), recs[3]!]);
    expect(codes(validateFile(put(b), S).findings)).toEqual([['framing.blank-line', 244]]);
  });
  it('data after the end record, a second separator, two 0x1A', () => {
    const base = joinRecords(recs, '\r\n');
    expect(codes(validateFile(put(Buffer.concat([base, Buffer.from('9')])), S).findings)).toEqual([['framing.after-end', 488]]);
    expect(codes(validateFile(put(Buffer.concat([base, Buffer.from('\r\n')])), S).findings)).toEqual([['framing.after-end', 488]]);
    expect(codes(validateFile(put(Buffer.concat([base, Buffer.of(0x1a, 0x1a)])), S).findings)).toEqual([['framing.after-end', 488]]);
    expect(validateFile(put(Buffer.concat([base, Buffer.of(0x1a)])), S).valid).toBe(true);
  });
  it('a truncated last record without separators', () => {
    const b = joinRecords(recs, '').subarray(0, 470);
    expect(validateFile(put(b), S).findings).toMatchObject([
      { code: 'framing.short-record', offset: 360, found: '110 bytes' },
      { code: 'record.missing', expected: 'end' },
    ]);
  });
  it('record order: missing trailer, data after trailer, second header', () => {
    expect(codes(validateFile(put(joinRecords([recs[0]!, recs[1]!, recs[3]!], '\r\n')), S).findings)).toEqual([['record.order', 244]]);
    const s = validateFile(put(joinRecords([recs[0]!, recs[1]!, recs[2]!, recs[1]!, recs[3]!], '\r\n')), S);
    expect(s.findings[0]).toMatchObject({ code: 'record.order', record: 3, offset: 366, found: 'data', expected: 'end' });
    expect(codes(validateFile(put(joinRecords([recs[0]!, recs[0]!, recs[1]!, recs[2]!, recs[3]!], '\r\n')), S).findings)[0]).toEqual(['record.order', 122]);
    expect(codes(validateFile(put(joinRecords([recs[0]!, recs[2]!, recs[3]!], '\r\n')), S).findings)[0]).toEqual(['record.order', 122]);
  });
  it('an unknown record kind', () => {
    const r = [...recs];
    r[1] = Buffer.from(r[1]!);
    r[1][0] = 0x37;
    const s = validateFile(put(joinRecords(r, '\r\n')), S);
    expect(s.findings[0]).toMatchObject({ code: 'record.unknown-kind', record: 1, offset: 122, found: '7' });
  });
});

describe('trailer totals', () => {
  function write(rows: Array<Record<string, string | number>>, header: Record<string, string | number> = EXAMPLE_HEADER): string {
    const file = path.join(tmpDir(), 'w.dat');
    const w = new SyncRecordWriter(file, S);
    w.header(header);
    for (const r of rows) w.data(r);
    w.trailer();
    w.end();
    w.close();
    return file;
  }
  const rows = [
    { ...EXAMPLE_DATA, requestNumber: 1, subNumber: 1, limitAmount: 1000, resultCode: '01', seizedAmount: 600, collectedAmount: 600, collectionDate: '2026-12-01' },
    { ...EXAMPLE_DATA, requestNumber: 1, subNumber: 2, limitAmount: 1000, resultCode: '02', seizedAmount: 400, collectedAmount: 400, collectionDate: '2026-12-01' },
    { ...EXAMPLE_DATA, requestNumber: 2, subNumber: 1, limitAmount: 50, resultCode: '11' },
    { ...EXAMPLE_DATA, requestNumber: 3, subNumber: 1, limitAmount: 7, resultCode: '12' },
  ];
  it('the writer computes count, sum once per request, count where >0, sums', async () => {
    const file = write(rows, { ...EXAMPLE_HEADER, typeCode: '52' });
    const { recs, summary } = await readAll(file);
    expect(summary.findings).toEqual([]);
    expect(recs[5]!.fields).toMatchObject({ recordCount: '000004', limitTotal: '000000001057', seizedCount: '000002', seizedTotal: '000000001000', collectedTotal: '000000001000' });
  });
  it('a wrong trailer total is found with expected/found and the field offset', () => {
    const file = write(rows);
    const b = fs.readFileSync(file);
    const trailer = 5 * 122;
    b.write('000000001058', trailer + 7, 'latin1');
    fs.writeFileSync(file, b);
    const s = validateFile(file, S);
    expect(s.findings).toEqual([
      expect.objectContaining({ code: 'total.mismatch', record: 5, offset: trailer + 7, field: 'limitTotal', expected: '000000001057', found: '000000001058' }),
    ]);
    expect(s.findings[0]!.message.en).toMatch(/by \+1/);
    // the message names the summed field by id (and 項目名), never an object dump
    expect(s.findings[0]!.message.en).toMatch(/sum of limitAmount \(once per requestNumber\)/);
    expect(s.findings[0]!.message.ja).toMatch(/limitAmount（差押限度額） の合計（requestNumber（依頼番号） ごとに1回）/);
    expect(s.findings[0]!.message.ja + s.findings[0]!.message.en).not.toMatch(/object Object/);
  });
  it('the writer refuses a caller-given total that disagrees, and an incomplete file', () => {
    const w = new SyncRecordWriter(path.join(tmpDir(), 'x.dat'), S);
    w.header(EXAMPLE_HEADER);
    w.data(EXAMPLE_DATA);
    expect(() => w.trailer({ recordCount: 2 })).toThrowError(/recordCount/);
    const w2 = new SyncRecordWriter(path.join(tmpDir(), 'y.dat'), S);
    w2.header(EXAMPLE_HEADER);
    w2.data(EXAMPLE_DATA);
    expect(() => w2.close()).toThrowError(/incomplete/);
    expect(() => w2.end()).toThrowError(/cannot be written here/);
  });
});

describe('statement-03 (groups="many", wareki, lenient N, end-record totals)', () => {
  function statement(): string {
    const file = path.join(tmpDir(), 'st.dat');
    const w = new SyncRecordWriter(file, ST, { today: '2026-12-10' });
    for (const [acct, amounts] of [
      ['1234567', [[1, 1000], [2, 300], [1, 52_300]]],
      ['7654321', [[1, 5]]],
    ] as const) {
      w.write('header', { createdDate: '2026-12-02', periodFrom: '2026-12-01', periodTo: '2026-12-01', bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', branchCode: '123', accountType: 1, accountNumber: acct, accountName: 'ｶｺﾞｼﾏｼ', openingBalance: 0 });
      amounts.forEach(([io, amt], i) => w.write('data', { inquiryNumber: i + 1, valueDate: '2026-12-01', transactionDate: '2026-12-01', inOutKubun: io, transactionKubun: 11, amount: amt, remitterName: 'ｻｼｵｻｴ', summary: 'ﾌﾘｺﾐ' }));
      w.write('trailer', { closingBalance: 0 });
    }
    w.write('end');
    w.close();
    return file;
  }
  it('computes per-group trailer totals and end-record totals; validates', async () => {
    const file = statement();
    const { recs, summary } = await readAll(file, ST);
    expect(summary.findings).toEqual([]);
    expect(recs.map((r) => r.kind).join(',')).toBe('header,data,data,data,trailer,header,data,trailer,end');
    expect(recs[4]!.fields).toMatchObject({ depositCount: '000002', depositTotal: '0000000053300', withdrawalCount: '000001', withdrawalTotal: '0000000000300', dataRecordCount: '0000003' });
    expect(recs[7]!.fields).toMatchObject({ depositCount: '000001', depositTotal: '0000000000005', dataRecordCount: '0000001' });
    expect(recs[8]!.fields).toEqual({ dataKubun: '9', recordTotal: '0000000009', accountCount: '00002' });
    expect(recs[1]!.fields['valueDate']).toBe('081201');
  });
  it('reads leniently: spaces in blank-allowed N fields, account number space-padded', () => {
    const file = statement();
    const b = fs.readFileSync(file);
    b.write('   1234567', 63, 'latin1'); // header accountNumber
    b.write('      ', 202 + 48, 'latin1'); // first data record exchangeDate
    fs.writeFileSync(file, b);
    expect(validateFile(file, ST, { today: '2026-12-10' }).findings).toEqual([]);
  });
  it('finds a wrong end-record total and an impossible wareki date', () => {
    const file = statement();
    const b = fs.readFileSync(file);
    const end = 8 * 202;
    b.write('00003', end + 11, 'latin1');
    b.write('081301', 202 + 9, 'latin1');
    fs.writeFileSync(file, b);
    expect(validateFile(file, ST, { today: '2026-12-10' }).findings.map((f) => [f.code, f.field, f.offset])).toEqual([
      ['field.date', 'valueDate', 211],
      ['total.mismatch', 'accountCount', end + 11],
    ]);
  });
});

describe('findings cap, personal masking, file rules hook', () => {
  it('keeps maxFindings and counts the rest', () => {
    const r = exampleRecords();
    const many = [r[0]!, ...Array.from({ length: 30 }, () => Buffer.from(r[1]!.toString('latin1').replace('ﾔ', 'a'), 'latin1')), r[2]!, r[3]!];
    const bad = Buffer.from(r[1]!);
    bad[24] = 0x61; // 'a' in holderName
    many.fill(bad, 1, 31);
    const s = validateFile(put(joinRecords(many, '\r\n')), S, { maxFindings: 5 });
    expect(s.findings).toHaveLength(5);
    expect(s.moreFindings).toBe(26); // 30 class findings + 1 trailer count
    expect(s.findings.every((f) => f.field === 'holderName' && f.found === 'a')).toBe(true);
  });
  it('runs a rule it is given over header, data, trailer and end, with located findings', () => {
    const seen: string[] = [];
    const dummy: FileRule = (layout, header) => {
      if (layout.id !== 'seizure-120' || header?.['typeCode'] !== '51') return null;
      return {
        data(rec, report) {
          seen.push(`data:${rec.fields['requestNumber']}`);
          if (rec.fields['limitAmount'] === '000000152300') {
            report({ code: 'rule.dummy', record: rec.index, offset: rec.fieldOffset('limitAmount'), field: 'limitAmount', message: { ja: 'ダミー', en: 'dummy' } });
          }
        },
        trailer: (rec) => void seen.push(`trailer:${rec.index}`),
        endRecord: (rec) => void seen.push(`end:${rec.index}`),
        finish: () => void seen.push('finish'),
      };
    };
    const s = validateFile(put(joinRecords(exampleRecords(), '\r\n')), S, { rules: [dummy] });
    expect(seen).toEqual(['data:0000000101', 'trailer:2', 'end:3', 'finish']);
    expect(s.findings).toMatchObject([{ code: 'rule.dummy', record: 1, offset: 122 + 62 }]);
    // a rule runs only where it is passed: nothing registered stays behind
    seen.length = 0;
    expect(validateFile(put(joinRecords(exampleRecords(), '\r\n')), S).valid).toBe(true);
    expect(seen).toEqual([]);
  });
});

describe('writers', () => {
  it('the stream writer waits for drain (backpressure) and writes what the sync writer writes', async () => {
    let drains = 0;
    const chunks: Buffer[] = [];
    const { Writable } = await import('node:stream');
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _e, cb) {
        chunks.push(Buffer.from(chunk));
        setImmediate(cb);
      },
    });
    slow.on('drain', () => drains++);
    const w = new StreamRecordWriter(slow, S, { bufferSize: 4096 });
    await w.write('header', EXAMPLE_HEADER);
    for (let i = 1; i <= 500; i++) await w.write('data', { ...EXAMPLE_DATA, requestNumber: i });
    await w.write('trailer');
    await w.write('end');
    const res = await w.close();
    const file = path.join(tmpDir(), 'sync.dat');
    const sw = new SyncRecordWriter(file, S, { bufferSize: 4096 });
    sw.header(EXAMPLE_HEADER);
    for (let i = 1; i <= 500; i++) sw.data({ ...EXAMPLE_DATA, requestNumber: i });
    sw.trailer();
    sw.end();
    const sres = sw.close();
    expect(drains).toBeGreaterThan(0);
    expect(Buffer.concat(chunks).equals(fs.readFileSync(file))).toBe(true);
    expect(res).toEqual(sres);
    expect(res.records).toBe(500);
    expect(scanFileSync(file, S).valid).toBe(true);
  });
  it('honours the separator option and eof mark for new files', () => {
    const file = path.join(tmpDir(), 'lf.dat');
    const w = new SyncRecordWriter(file, S, { separator: 'lf', eofMark: true });
    w.header(EXAMPLE_HEADER);
    w.data(EXAMPLE_DATA);
    w.trailer();
    w.end();
    w.close();
    expect(fs.readFileSync(file).equals(joinRecords(exampleRecords(), '\n', true, true))).toBe(true);
  });
});
