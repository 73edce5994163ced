/**
 * `validate` (and `inspect`) check request files too (issue 17 item 3, ADR 0178): the
 * product's own request files pass; a request carrying what only a bank's answer or result
 * carries is refused with exit 3, each finding located (record, byte offset, field) and
 * personal fields masked.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUEST_FILE_RULES } from '../../src/steps/write/index.js';
import { validateFile } from '../../src/file/reader.js';
import { loadLayout } from '../../src/layout/load.js';
import { FILE_RULES } from '../../src/cli/file-rules.js';
import { extract } from '../../src/steps/extract/index.js';
import { instruct } from '../../src/steps/instruct/index.js';
import { writeBatch } from '../../src/steps/write/index.js';
import { account, debt, freshDb, settings, taxpayer } from '../extract/helpers.js';
import { inquiryBatch } from '../helpers/inquiry-batch.js';
import { heldBatch, heldRecords, key } from '../instruct/fixture.js';

const CLI = path.resolve('dist/cli/main.js');
const SAMPLES = path.resolve('samples/files');
const SEIZURE = 'SASHI_0184_00000001.DAT';
const INQUIRY = 'INQ_0184_00000001.DAT';
const INSTRUCTION = 'INST_0184_00000004.DAT';
/** record length + CRLF */
const REC = { [SEIZURE]: 122, [INQUIRY]: 302, [INSTRUCTION]: 122 } as const;

interface JsonFinding {
  record: number;
  offset: number;
  field: string;
  code: string;
  found: string;
  expected: string;
  message: string;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
let n = 0;

/** A copy of a sample with `text` written at byte `at` of record `record` (0 = header). */
function tampered(sample: keyof typeof REC, edits: Array<[record: number, at: number, text: string]>): string {
  const bytes = fs.readFileSync(path.join(SAMPLES, sample));
  for (const [record, at, text] of edits) Buffer.from(text, 'latin1').copy(bytes, record * REC[sample] + at);
  const out = path.join(dir, `T${++n}_${sample}`);
  fs.writeFileSync(out, bytes);
  return out;
}

function run(...args: string[]) {
  return spawnSync('node', [CLI, '--lang', 'en', ...args], { encoding: 'utf8' });
}

/** validate --json: exit code and the findings as [code, record, offset, field]. */
function findings(file: string): { status: number | null; list: JsonFinding[]; located: Array<[string, number, number, string]> } {
  const r = run('validate', file, '--json');
  const list = (JSON.parse(r.stdout) as { findings: JsonFinding[] }).findings;
  return { status: r.status, list, located: list.filter((f) => f.code.startsWith('request.')).map((f) => [f.code, f.record, f.offset, f.field]) };
}

describe('validate: request files (種別コード 51, 61, 53)', () => {
  it('the product\'s own request files pass, with the rules applied', () => {
    for (const f of [SEIZURE, INQUIRY, INSTRUCTION]) {
      const file = path.join(SAMPLES, f);
      const r = run('validate', file);
      expect(r.status, `${f}: ${r.stdout}${r.stderr}`).toBe(0);
      const v = validateFile(file, loadLayout(f === SEIZURE ? 'seizure-120' : f === INQUIRY ? 'inquiry-300' : 'instruction-120'), { rules: REQUEST_FILE_RULES });
      expect(v.findings).toEqual([]);
    }
  });

  it('the files the write step writes, of each kind, satisfy the rules (validate\'s set)', async () => {
    const written: string[] = [];
    // seizure: extract → write
    {
      const { db, dir } = freshDb();
      settings(db, {});
      taxpayer(db, { atena: 'T1', kana: 'ヤマダ　タロウ', birth: '1970-04-01' });
      debt(db, { chotei: 'X1', atena: 'T1', honzei: 150_000, fee: 100, entaikinKind: 0 });
      account(db, { atena: 'T1', branch: '310', number: '0012345' });
      account(db, { atena: 'T1', branch: '010', number: '0000009', holder: 'ヤマダ　ハナコ' });
      const r = extract(db, { date: '2026-12-01' });
      const media = path.join(dir, 'usb');
      fs.mkdirSync(media);
      for (const b of r.batches) written.push(...(await writeBatch(db, b.id, { media })).files.map((f) => f.path));
      db.close();
    }
    // inquiry: an inquiry batch as inquire stores it → write
    {
      const { db, dir } = freshDb();
      settings(db, {});
      const b = inquiryBatch(db);
      const media = path.join(dir, 'usb');
      fs.mkdirSync(media);
      written.push(...(await writeBatch(db, b.id, { media })).files.map((f) => f.path));
      db.close();
    }
    // instruction: held seizure → instruct (one release, one partial) → write
    {
      const h = heldBatch({ seed: 7 });
      const held = heldRecords(h.db);
      const r = instruct(h.db, h.b.batchId, { date: '2026-12-02', today: '2026-12-01', collect: [`${key(held[0]!)}=0`, `${key(held[1]!)}=1000`] });
      written.push(...(await writeBatch(h.db, r.batch, { media: h.media })).files.map((f) => f.path));
      h.db.close();
    }
    expect(written.map((f) => path.basename(f).split('_')[0])).toEqual(expect.arrayContaining(['SASHI', 'INQ', 'INST']));
    for (const f of written) {
      const id = path.basename(f).startsWith('SASHI') ? 'seizure-120' : path.basename(f).startsWith('INQ') ? 'inquiry-300' : 'instruction-120';
      const v = validateFile(f, loadLayout(id), { rules: FILE_RULES });
      expect(v.findings, f).toEqual([]);
    }
  });

  it('seizure request: 結果コード 01, 差押金額, 取立金額, 取立日 and a trailer total are each refused, located', () => {
    const cases: Array<[string, number, number, string]> = [
      ['resultCode', 1, 74, '01'],
      ['seizedAmount', 2, 76, '000000001000'],
      ['collectedAmount', 3, 88, '000000000500'],
      ['collectionDate', 4, 100, '20261201'],
      ['seizedTotal', 5, 25, '000000000001'], // the trailer
    ];
    for (const [field, record, at, text] of cases) {
      const file = tampered(SEIZURE, [[record, at, text]]);
      const r = findings(file);
      expect(r.status).toBe(3);
      expect(r.located).toEqual([['request.not-blank', record, record * 122 + at, field]]);
      expect(r.list.find((f) => f.code === 'request.not-blank')?.found).toBe(text);
    }
    // the human form names record (1-based), byte offset and field
    const out = run('validate', tampered(SEIZURE, [[1, 74, '01']]));
    expect(out.status).toBe(3);
    expect(out.stdout).toContain(`record 2, byte offset ${122 + 74}, field resultCode`);
    expect(out.stdout).toContain('must be 00 in a request');
    // inspect applies the same rules
    expect(run('inspect', tampered(SEIZURE, [[1, 74, '01']])).status).toBe(3);
  });

  it('inquiry request: 回答区分 1, account fields, a detail record, 回答日 and trailer totals; personal fields masked', () => {
    const one = findings(tampered(INQUIRY, [[1, 208, '1']]));
    expect(one.status).toBe(3);
    expect(one.located).toEqual([['request.not-blank', 1, 302 + 208, 'answerCode']]);

    // 口座番号 and 口座名義カナ of record 2: only the masked number / the first non-blank character
    const bytes = fs.readFileSync(path.join(SAMPLES, INQUIRY));
    Buffer.from('1234567', 'latin1').copy(bytes, 2 * 302 + 213);
    Buffer.from([0xd4, 0xcf, 0xc0, 0xde]).copy(bytes, 2 * 302 + 220 + 2); // 'ﾔﾏﾀﾞ' from byte 3 of 口座名義カナ
    const personal = path.join(dir, 'PERSONAL_INQ.DAT');
    fs.writeFileSync(personal, bytes);
    const p = findings(personal);
    expect(p.status).toBe(3);
    expect(p.located).toEqual([
      ['request.not-blank', 2, 2 * 302 + 213, 'accountNumber'],
      ['request.not-blank', 2, 2 * 302 + 220 + 2, 'holderName'],
    ]);
    const [acct, holder] = p.list.filter((f) => f.code === 'request.not-blank');
    expect(acct?.found).toBe('***4567');
    expect(holder?.found).toBe('U+FF94'); // ﾔ, nothing after it
    const text = run('validate', personal);
    expect(text.status).toBe(3);
    expect(text.stdout).not.toContain('1234567');
    expect(text.stdout).not.toContain('ﾔﾏﾀﾞ');

    // 回答日 in the header, a trailer total, a detail record (データ区分 3 on a data record)
    const trailerIndex = fs.readFileSync(path.join(SAMPLES, INQUIRY)).length / 302 - 2;
    const h = findings(tampered(INQUIRY, [[0, 97, '20261202'], [trailerIndex, 27, '00000000000001']]));
    expect(h.status).toBe(3);
    expect(h.located).toEqual([
      ['request.not-blank', 0, 97, 'answerDate'],
      ['request.not-blank', trailerIndex, trailerIndex * 302 + 27, 'balanceTotal'],
    ]);
  });

  it('inquiry request: a detail record is refused', () => {
    // turn record 2 into a detail record of inquiry 1 (データ区分 3, a valid detail otherwise)
    const bytes = fs.readFileSync(path.join(SAMPLES, INQUIRY));
    const detail = Buffer.alloc(300, 0x20);
    Buffer.from(['3', '00000001', '00', '20261101', '1', '000000001000', '1', '000000001000'].join(''), 'latin1').copy(detail, 0);
    const file = path.join(dir, 'DETAIL_INQ.DAT');
    fs.writeFileSync(file, Buffer.concat([bytes.subarray(0, 2 * 302), detail, Buffer.from('\r\n'), bytes.subarray(2 * 302)]));
    const r = findings(file);
    expect(r.status).toBe(3);
    expect(r.located).toContainEqual(['request.record-not-allowed', 2, 2 * 302, 'dataKubun']);
  });

  it('instruction: 取立指示額 > 差押金額, 解除額 wrong, 結果コード, 取立金額, 取立日, trailer 取立金額合計', () => {
    // record 1: 差押金額 ¥70,600 at 54, 取立指示額 ¥50,600 at 66, 解除額 ¥20,000 at 78
    const over = findings(tampered(INSTRUCTION, [[1, 66, '000000080000']]));
    expect(over.status).toBe(3);
    expect(over.located).toEqual([['request.collect-over-seized', 1, 122 + 66, 'collectAmount']]);
    expect(over.list.find((f) => f.code === 'request.collect-over-seized')?.message).toContain('¥80,000');

    const release = findings(tampered(INSTRUCTION, [[1, 78, '000000020001']]));
    expect(release.status).toBe(3);
    expect(release.located).toEqual([['request.release-differs', 1, 122 + 78, 'releaseAmount']]);
    expect(release.list.find((f) => f.code === 'request.release-differs')?.expected).toBe('000000020000');

    const result = findings(tampered(INSTRUCTION, [[1, 90, '01'], [2, 92, '000000046900'], [2, 104, '20261204'], [3, 43, '000000000001']]));
    expect(result.status).toBe(3);
    expect(result.located).toEqual([
      ['request.not-blank', 1, 122 + 90, 'resultCode'],
      ['request.not-blank', 2, 2 * 122 + 92, 'collectedAmount'],
      ['request.not-blank', 2, 2 * 122 + 104, 'collectionDate'],
      ['request.not-blank', 3, 3 * 122 + 43, 'collectedTotal'],
    ]);
  });

  it('a result file (52, 62, 63) gets none of the request rules', () => {
    for (const f of ['RESULT_0184_00000001.DAT', 'ANSWER_0184_00000001.DAT', 'INSTRESULT_0184_00000004.DAT']) {
      expect(run('validate', path.join(SAMPLES, f)).status, f).toBe(0);
    }
  });
});
