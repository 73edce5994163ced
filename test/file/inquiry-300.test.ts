/**
 * inquiry-300 (shared/spec/inquiry-300.md): several data records (account, detail), a
 * 和暦 birth date with an era digit, distinct counts (oncePer) and totals per data record.
 * The golden files (test/fixtures/files/inquiry-300-*.txt, `_` = space) were built field
 * by field at the spec tables' offsets, independently of the layout engine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import type { Finding } from '../../src/core/errors.js';
import { compileLayoutXml, detectLayout, loadLayout, recordDef } from '../../src/layout/index.js';
import { SyncRecordWriter, StreamRecordWriter, framingOptions, readRecords, scanFileSync, validateFile, type ReadRecord } from '../../src/file/index.js';
import { joinRecords, tmpDir } from './helpers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const L = loadLayout('inquiry-300');
const TODAY = '2026-12-05';
const R = 302; // a record and its CRLF

function golden(name: 'request' | 'answer'): Buffer[] {
  const text = fs.readFileSync(path.join(HERE, `../fixtures/files/inquiry-300-${name}.txt`), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => iconv.encode(l.replaceAll('_', ' '), 'cp932'));
}
const REQUEST = () => joinRecords(golden('request'), '\r\n');
const ANSWER = () => joinRecords(golden('answer'), '\r\n');
function put(buf: Buffer): string {
  const f = path.join(tmpDir(), 'inq.dat');
  fs.writeFileSync(f, buf);
  return f;
}
function findings(buf: Buffer): Finding[] {
  return validateFile(put(buf), L, { today: TODAY }).findings;
}
const ascii = (b: Buffer, s: number, len: number) => b.subarray(s, s + len).toString('latin1');

const HEADER = {
  requesterCode: '12345',
  requesterName: 'ｶｺﾞｼﾏｼ',
  baseDate: '2026-12-01',
  historyFrom: '2026-09-02',
  bankCode: '0184',
  bankName: 'ﾐﾔｻﾞｷ',
  fileNumber: 43,
};
const P1 = { taxpayerId: '1001', nameKana: 'ﾔﾏﾀﾞ ﾀﾛｳ', nameKanji: '山田　太郎', birthDate: '1989-01-08', address: '鹿児島県鹿児島市山下町１１－１' };
const P2 = { taxpayerId: '1002', nameKana: 'ｻﾄｳ ﾊﾅｺ', nameKanji: '佐藤　花子', birthDate: '2019-05-01', address: '鹿児島県霧島市国分中央３－４５－１' };

describe('inquiry-300: the layout as the spec tables give it', () => {
  it('loads with two data records (account, detail) framed by header, trailer and end', () => {
    expect(L.recordList.map((r) => `${r.kind}${r.id ? `:${r.id}` : ''}`)).toEqual(['header', 'data:account', 'data:detail', 'trailer', 'end']);
    expect(L.records.data).toBe(recordDef(L, 'account'));
    const off = (ref: string, id: string) => {
      const f = recordDef(L, ref)!.byId.get(id)!;
      return [f.offset, f.length];
    };
    expect(off('header', 'answerDate')).toEqual([97, 8]);
    expect(off('account', 'birthDate')).toEqual([101, 7]);
    expect(off('account', 'address')).toEqual([108, 100]);
    expect(off('account', 'loanFlag')).toEqual([285, 1]);
    expect(off('detail', 'description')).toEqual([45, 40]);
    expect(off('trailer', 'balanceTotal')).toEqual([27, 14]);
  });

  it('the golden files hold the values at the spec offsets (checked on the bytes, not through the layout)', () => {
    const a = golden('answer');
    expect(a.every((r) => r.length === 300)).toBe(true);
    expect(ascii(a[0]!, 0, 4)).toBe('1620');
    expect(ascii(a[0]!, 54, 16)).toBe('2026120120260902');
    expect(ascii(a[0]!, 89, 16)).toBe('0000004320261204');
    expect(ascii(a[1]!, 0, 21)).toBe('200000001010000001001');
    expect(a[1]!.subarray(61, 63)).toEqual(Buffer.from([0x8e, 0x52])); // 山
    expect(a[1]!.subarray(99, 101)).toEqual(Buffer.from([0x81, 0x40])); // padding
    expect(ascii(a[1]!, 101, 7)).toBe('4010108'); // 平成元年1月8日
    expect(ascii(a[1]!, 208, 12)).toBe('131010012345');
    expect(ascii(a[1]!, 260, 26)).toBe('1000000152300202611250002' + '0');
    expect(ascii(a[2]!, 0, 45)).toBe('30000000101' + '20261110' + '1' + '000000250000' + '1' + '000000352300');
    expect(a[2]!.subarray(45, 49)).toEqual(Buffer.from([0xb7, 0xd5, 0xb3, 0xd6])); // ｷﾕｳﾖ
    expect(ascii(a[5]!, 101, 7)).toBe('5010501'); // 令和元年5月1日
    expect(ascii(a[5]!, 208, 1)).toBe('2');
    expect(ascii(a[6]!, 0, 41)).toBe('8' + '000002' + '000001' + '000002' + '00000002' + '00000000157300');
    expect(ascii(a[7]!, 0, 300)).toBe('9' + ' '.repeat(299));
  });
});

describe('inquiry-300: golden request and answer files', () => {
  it('the writer produces the request file byte for byte (trailer totals computed)', () => {
    const file = path.join(tmpDir(), 'req.dat');
    const w = new SyncRecordWriter(file, L, { today: TODAY });
    w.header({ ...HEADER, typeCode: '61' });
    for (const [i, p] of [P1, P2].entries()) w.write('account', { inquiryNumber: i + 1, ...p });
    w.trailer();
    w.end();
    expect(w.close().records).toBe(2);
    expect(fs.readFileSync(file).equals(REQUEST())).toBe(true);
  });

  it('the stream writer produces the answer file byte for byte (account and detail records)', async () => {
    const file = path.join(tmpDir(), 'ans.dat');
    const w = new StreamRecordWriter(fs.createWriteStream(file), L, { today: TODAY });
    await w.write('header', { ...HEADER, typeCode: '62', answerDate: '2026-12-04' });
    const acct = { ...P1, inquiryNumber: 1, answerCode: 1, branchCode: '310', holderName: 'ﾔﾏﾀﾞ ﾀﾛｳ' };
    await w.write('account', { ...acct, accountSeq: 1, accountType: 1, accountNumber: '0012345', balanceSign: 1, balance: 152300, lastTransactionDate: '2026-11-25', detailCount: 2 });
    await w.write('detail', { inquiryNumber: 1, accountSeq: 1, transactionDate: '2026-11-10', direction: 1, amount: 250000, balanceSign: 1, balanceAfter: 352300, description: 'ｷﾕｳﾖ' });
    await w.write('detail', { inquiryNumber: 1, accountSeq: 1, transactionDate: '2026-11-25', direction: 2, amount: 200000, balanceSign: 1, balanceAfter: 152300, description: 'ATM ｼﾕﾂｷﾝ' });
    await w.write('account', { ...acct, accountSeq: 2, accountType: 2, accountNumber: '0054321', balanceSign: 2, balance: 5000, loanFlag: 1 });
    await w.write('account', { ...P2, inquiryNumber: 2, answerCode: 2 });
    await w.write('trailer');
    await w.write('end');
    const r = await w.close();
    expect(r).toMatchObject({ records: 5, totalRecords: 8 });
    expect(fs.readFileSync(file).equals(ANSWER())).toBe(true);
  });

  it('reads back valid, each data record with its kind and record id, the era-digit date as stored', async () => {
    const file = put(ANSWER());
    expect(validateFile(file, L, { today: TODAY })).toMatchObject({ valid: true, findings: [], records: 8, dataRecords: 5 });
    const recs: ReadRecord[] = [];
    for await (const r of readRecords(file, L, { today: TODAY })) recs.push(r);
    expect(recs.map((r) => [r.index, r.offset, r.kind, r.record])).toEqual([
      [0, 0, 'header', undefined],
      [1, 302, 'data', 'account'],
      [2, 604, 'data', 'detail'],
      [3, 906, 'data', 'detail'],
      [4, 1208, 'data', 'account'],
      [5, 1510, 'data', 'account'],
      [6, 1812, 'trailer', undefined],
      [7, 2114, 'end', undefined],
    ]);
    expect(recs[1]!.fields).toMatchObject({ inquiryNumber: '00000001', accountSeq: '01', nameKanji: '山田　太郎', birthDate: '4010108', address: '鹿児島県鹿児島市山下町１１－１', balance: '000000152300' });
    expect(recs[3]!.fields).toEqual({ dataKubun: '3', inquiryNumber: '00000001', accountSeq: '01', transactionDate: '20261125', direction: '2', amount: '000000200000', balanceSign: '1', balanceAfter: '000000152300', description: 'ATM ｼﾕﾂｷﾝ' });
    expect(recs[6]!.fields).toEqual({ dataKubun: '8', inquiryCount: '000002', hitCount: '000001', accountCount: '000002', detailCount: '00000002', balanceTotal: '00000000157300' });
  });

  for (const name of ['request', 'answer'] as const) {
    for (const [sep, final, eof] of [['\r\n', true, false], ['\n', false, true], ['', false, false]] as const) {
      it(`round trip of the ${name} file (separator ${JSON.stringify(sep)}, final ${final}, 0x1A ${eof}): read → write back identical`, () => {
        const bytes = joinRecords(golden(name), sep, final, eof);
        const recs: ReadRecord[] = [];
        const s = scanFileSync(put(bytes), L, { today: TODAY }, (r) => recs.push(r));
        expect(s.valid).toBe(true);
        const out = path.join(tmpDir(), 'back.dat');
        const w = new SyncRecordWriter(out, L, { ...framingOptions(s.framing), today: TODAY });
        for (const r of recs) w.write(r.record ?? r.kind, r.fields, r.raw);
        w.close();
        expect(fs.readFileSync(out).equals(bytes)).toBe(true);
      });
    }
  }

  it('the layout is found from the file (header 種別コード 61 / 62) ', () => {
    expect(detectLayout(REQUEST()).id).toBe('inquiry-300');
    expect(detectLayout(ANSWER()).id).toBe('inquiry-300');
  });

  it('a file that several layouts match is a usage error listing them', () => {
    const copy = compileLayoutXml(fs.readFileSync(L.file, 'utf8').replace('id="inquiry-300"', 'id="inquiry-300-copy"'), 'copy.xml');
    let err: unknown;
    try {
      detectLayout(ANSWER(), [L, copy]);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'layout.ambiguous', exit: 2 });
    expect(String((err as Error).message)).toMatch(/inquiry-300, inquiry-300-copy/);
  });
});

describe('inquiry-300: findings with byte offsets for the new rules', () => {
  it('a second data record whose identifying const is wrong: the record, at its offset', () => {
    const b = ANSWER();
    b[2 * R] = 0x34; // detail record "3" → "4"
    const f = findings(b);
    expect(f[0]).toMatchObject({ code: 'record.unknown-kind', record: 2, offset: 2 * R, field: 'dataKubun', found: '4' });
    expect(f[0]!.expected).toBe('1=header, 2=account, 3=detail, 8=trailer, 9=end');
    // the detail records are then one short
    expect(f.find((x) => x.field === 'detailCount')).toMatchObject({ code: 'total.mismatch', offset: 6 * R + 19, expected: '00000001', found: '00000002' });
  });

  it('a trailer total per data record off by one: 明細件数 (detail) and 口座件数 (account where 回答区分=1)', () => {
    const b = ANSWER();
    b[6 * R + 26] = 0x33; // detailCount 00000003
    b[6 * R + 18] = 0x31; // accountCount 000001
    const f = findings(b);
    expect(f).toHaveLength(2);
    expect(f[0]).toMatchObject({ code: 'total.mismatch', record: 6, offset: 6 * R + 13, field: 'accountCount', expected: '000002', found: '000001' });
    expect(f[1]).toMatchObject({ code: 'total.mismatch', record: 6, offset: 6 * R + 19, field: 'detailCount', expected: '00000002', found: '00000003' });
    expect(f[1]!.message.en).toMatch(/data record detail/);
    expect(f[1]!.message.ja).toMatch(/detail/);
  });

  it('a count with oncePer off by one: 照会件数 (distinct 照会番号) and 該当件数 (distinct among 回答区分 1)', () => {
    const b = ANSWER();
    b[6 * R + 6] = 0x33; // inquiryCount 000003 (3 account records, 2 inquiries)
    b[6 * R + 12] = 0x32; // hitCount 000002 (2 accounts with 回答区分 1, 1 inquiry)
    const f = findings(b);
    expect(f.map((x) => [x.field, x.offset, x.expected, x.found])).toEqual([
      ['inquiryCount', 6 * R + 1, '000002', '000003'],
      ['hitCount', 6 * R + 7, '000001', '000002'],
    ]);
  });

  it('the 残高合計 sums the account records only (a detail record balance changed counts nothing)', () => {
    const b = ANSWER();
    b[R + 272] = 0x31; // account balance 000000152301
    b[2 * R + 44] = 0x31; // detail balanceAfter 000000352301: not in the total
    const f = findings(b);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ field: 'balanceTotal', offset: 6 * R + 27, expected: '00000000157301', found: '00000000157300' });
  });

  it('an invalid era-digit date: 平成31年5月1日 does not exist (令和元年), shown masked (personal)', () => {
    const b = ANSWER();
    b.write('4310501', R + 101, 'latin1');
    b.write('6010101', 5 * R + 101, 'latin1'); // era 6: none
    const f = findings(b);
    expect(f.map((x) => [x.code, x.record, x.offset, x.field, x.found])).toEqual([
      ['field.date', 1, R + 101, 'birthDate', '***'],
      ['field.date', 5, 5 * R + 101, 'birthDate', '***'],
    ]);
  });

  it('a J field (氏名) with a single-byte character: offset of the field, of the byte in the message', () => {
    const b = ANSWER();
    b[4 * R + 61 + 4] = 0x41;
    const f = findings(b);
    expect(f).toHaveLength(1);
    // offset: the field's (cli.md); the message names the byte
    expect(f[0]).toMatchObject({ code: 'field.j-single-byte', record: 4, offset: 4 * R + 61, field: 'nameKanji', found: 'A' }); // personal: only the offending byte
    expect(f[0]!.message.en).toMatch(new RegExp(`file byte ${4 * R + 61 + 4}`));
  });
});

describe('several data records: the engine', () => {
  const xml = (trailer: string, extra = '') =>
    `<layout id="m" recordLength="12" encoding="cp932"><record kind="header"><field id="k" type="N" length="1" const="1"/><field id="f" type="C" length="11" filler="true"/></record>
    <record kind="data" id="a"><field id="k" type="N" length="1" const="2"/><field id="key" type="N" length="3"/><field id="n" type="N" length="8"/></record>
    <record kind="data" id="b"><field id="k" type="N" length="1" const="3"/><field id="sub" type="N" length="1" const="7"/><field id="n" type="N" length="10"/></record>
    ${extra}<record kind="trailer"><field id="k" type="N" length="1" const="8"/>${trailer}</record></layout>`;
  const M = compileLayoutXml(
    xml('<field id="keys" type="N" length="3" total="count" record="a" oncePer="key" modulo="true"/><field id="bs" type="N" length="2" total="count" record="b" modulo="true"/><field id="sum" type="N" length="6" total="sum" record="b" of="n" modulo="true"/>'),
    'm.xml',
  );

  it('a const inside a second data record: field.const at its byte offset', () => {
    const recs = ['1' + ' '.repeat(11), '2001' + '00000005', '37' + '0000000009', '38' + '0000000009', '8' + '001' + '02' + '000018'];
    const f: Finding[] = [];
    scanFileSync(put(Buffer.from(recs.join(''), 'latin1')), M, { onFinding: (x) => f.push(x) }, () => {});
    expect(f).toEqual([expect.objectContaining({ code: 'field.const', record: 3, offset: 36 + 1, field: 'sub', expected: '7', found: '8' })]);
  });

  it('totals kept modulo 10^length (modulo="true"), written and checked', () => {
    const file = path.join(tmpDir(), 'm.dat');
    const w = new SyncRecordWriter(file, M, { separator: 'none' });
    w.header();
    for (let i = 0; i < 1001; i++) w.write('a', { key: i % 1000, n: 1 });
    for (let i = 0; i < 101; i++) w.write('b', { n: 9_999 });
    w.trailer();
    w.close();
    const s = validateFile(file, M);
    expect(s).toMatchObject({ valid: true, records: 1104 });
    const bytes = fs.readFileSync(file);
    // 1001 distinct keys in a row (key 0 again after 999 is a new run) → 001; 101 b records → 01; 1,009,899 → 009899
    expect(bytes.subarray(bytes.length - 11).toString('latin1')).toBe('001' + '01' + '009899');
  });

  it('the writer refuses "data" when the layout has several data records, and an unknown record id', () => {
    const w = new SyncRecordWriter(path.join(tmpDir(), 'x.dat'), M);
    w.header();
    expect(() => w.write('data', { n: 1 })).toThrow(/several data records; name the one to write \(a, b\)/);
    expect(() => w.write('c', { n: 1 })).toThrow(/has no c record/);
  });

  it('refused at load: several data records without ids, a total without record, an unknown record, colliding consts', () => {
    const noId = xml('<field id="x" type="N" length="11"/>').replace('<record kind="data" id="b">', '<record kind="data">');
    expect(() => compileLayoutXml(noId, 'm.xml')).toThrow(/with several data records, each needs an id/);
    expect(() => compileLayoutXml(xml('<field id="c" type="N" length="11" total="count"/>'), 'm.xml')).toThrow(/a total needs record/);
    expect(() => compileLayoutXml(xml('<field id="c" type="N" length="11" total="count" record="z"/>'), 'm.xml')).toThrow(/no data record "z" \(a, b\)/);
    expect(() => compileLayoutXml(xml('<field id="c" type="N" length="11" total="sum" record="a" of="sub"/>'), 'm.xml')).toThrow(/has no field sub/);
    const clash = xml('<field id="x" type="N" length="11"/>').replace('const="3"', 'const="2"');
    expect(() => compileLayoutXml(clash, 'm.xml')).toThrow(/cannot be told apart/);
    expect(() => compileLayoutXml(xml('<field id="x" type="N" length="11"/>').replace('id="b"', 'id="header"'), 'm.xml')).toThrow(/cannot be called header/);
  });

  it('the CLI: inspect --json gives each data record its record id; validate exits 3 with the offset', () => {
    const CLI = path.resolve(HERE, '../../dist/cli/main.js');
    const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: TODAY } });
    const file = put(ANSWER());
    const ins = run(['inspect', file, '--json']);
    expect(ins.status).toBe(0);
    const lines = ins.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; record?: string; fields: Record<string, string> });
    expect(lines.map((l) => l.record ?? l.kind)).toEqual(['header', 'account', 'detail', 'detail', 'account', 'account', 'trailer', 'end']);
    expect(lines[2]).toMatchObject({ index: 2, offset: 604, kind: 'data', record: 'detail' });
    expect(Object.keys(lines[0]!)).toEqual(['index', 'offset', 'kind', 'fields']);
    const human = run(['inspect', file, '--lang', 'en']);
    expect(human.status).toBe(0);
    expect(human.stdout).toMatch(/record 3 \(byte offset 604\) .* detail\n {2}dataKubun/);
    const b = ANSWER();
    b[6 * R + 26] = 0x33;
    const val = run(['validate', put(b), '--json']);
    expect(val.status).toBe(3);
    expect(JSON.parse(val.stdout)).toMatchObject({ valid: false, layout: 'inquiry-300', findings: [{ record: 6, offset: 6 * R + 19, field: 'detailCount', expected: '00000002', found: '00000003' }] });
  });
});
