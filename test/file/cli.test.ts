/** inspect / validate through the built CLI (dist/, built by `npm test`'s pretest). */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadLayout } from '../../src/layout/index.js';
import { SyncRecordWriter } from '../../src/file/index.js';
import { exampleRecords, joinRecords, tmpDir } from './helpers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '../../dist/cli/main.js');
const ZENGIN = path.resolve(HERE, '../fixtures/layouts/zengin-furikae-120.xml');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-23' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
function put(buf: Buffer): string {
  const f = path.join(tmpDir(), 'file.dat');
  fs.writeFileSync(f, buf);
  return f;
}
const good = () => put(joinRecords(exampleRecords(), '\r\n'));
function bad(): string {
  const b = joinRecords(exampleRecords(), '\r\n');
  b[122 + 24 + 3] = 0x61; // 'a' inside holderName (personal)
  b[244 + 6] = 0x32; // recordCount 000002
  return put(b);
}

describe('validate', () => {
  it('valid file: exit 0, JSON per cli.md, layout detected', () => {
    const r = run(['validate', good(), '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ valid: true, layout: 'seizure-120', findings: [], moreFindings: 0 });
  });
  it('invalid file: exit 3, findings with record/offset/field/expected/found/message; personal values masked', () => {
    const r = run(['validate', bad(), '--json', '--lang', 'en']);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.out);
    expect(doc.valid).toBe(false);
    expect(doc.findings).toEqual([
      expect.objectContaining({ record: 1, offset: 146, field: 'holderName', expected: 'class party', found: 'a', message: expect.stringMatching(/uppercase/) }),
      expect.objectContaining({ record: 2, offset: 245, field: 'recordCount', expected: '000001', found: '000002' }),
    ]);
    expect(r.out).not.toContain('ﾔﾏ'); // no whole name on the console
  });
  it('human output: Japanese by default, records numbered from 1; English with --lang en', () => {
    const ja = run(['validate', bad()]);
    expect(ja.code).toBe(3);
    expect(ja.out).toContain('第2レコード');
    expect(ja.out).toContain('バイト位置 146');
    const en = run(['--lang', 'en', 'validate', bad()]);
    expect(en.out).toContain('record 2, byte offset 146, field holderName');
  });
  it('--max-findings caps and counts the rest; a bad value is a usage error', () => {
    const r = run(['validate', bad(), '--json', '--max-findings', '1']);
    expect(JSON.parse(r.out).findings).toHaveLength(1);
    expect(JSON.parse(r.out).moreFindings).toBe(1);
    expect(run(['validate', bad(), '--max-findings', '0']).code).toBe(2);
  });
  it('undetectable file: exit 3 (cli.md: not a fixed-width file) with candidates; unknown layout: exit 2', () => {
    const r = run(['validate', put(Buffer.from('hello\r\n'))]);
    expect(r.code).toBe(3);
    expect(r.err).toContain('68 65 6C 6C');
    expect(r.err).toContain('seizure-120');
    expect(run(['validate', good(), '--layout', 'nope']).code).toBe(2);
  });
});

describe('inspect', () => {
  it('NDJSON, one line per record, file order', () => {
    const r = run(['inspect', good(), '--json']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.index, l.offset, l.kind])).toEqual([
      [0, 0, 'header'],
      [1, 122, 'data'],
      [2, 244, 'trailer'],
      [3, 366, 'end'],
    ]);
    expect(lines[0].fields).toMatchObject({ dataKubun: '1', typeCode: '51', codeKubun: '0', requesterCode: '0000012345', requesterName: 'ｶｺﾞｼﾏｼ' });
    expect(lines[0].fields).not.toHaveProperty('filler');
  });
  it('damaged file: prints what it could decode, findings on stderr, exit 3', () => {
    const b = joinRecords(exampleRecords(), '\r\n');
    const damaged = put(Buffer.concat([b.subarray(0, 200), b.subarray(201)])); // a byte lost in the data record
    const r = run(['inspect', damaged, '--json', '--layout', 'seizure-120']);
    expect(r.code).toBe(3);
    const kinds = r.out.trim().split('\n').map((l) => JSON.parse(l).kind);
    expect(kinds).toEqual(['header', 'trailer', 'end']);
    expect(r.err).toMatch(/第2レコード（バイト位置 122）の長さが 119 バイト/);
  });
  it('a third-party layout by path works with no code change', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'furikae.dat');
    const L = loadLayout(ZENGIN);
    const w = new SyncRecordWriter(file, L);
    w.header({ requesterCode: 9876543210, requesterName: 'ｶｺﾞｼﾏｼ ｽｲﾄﾞｳｷﾖｸ', debitDate: '0127', bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', branchCode: 1, branchName: 'ﾎﾝﾃﾝ', accountType: 1, accountNumber: 7654321 });
    w.data({ payerBankCode: '0184', payerBankName: 'ﾐﾔｻﾞｷ', branchCode: 310, branchName: 'ｶｺﾞｼﾏ', accountType: 1, accountNumber: 12345, holderName: 'ﾔﾏﾀﾞ ﾀﾛｳ', amount: 4800, newCode: 0, customerNumber: 42, resultCode: 0 });
    w.data({ payerBankCode: '0184', payerBankName: 'ﾐﾔｻﾞｷ', branchCode: 311, branchName: 'ﾃﾝﾓﾝｶﾝ', accountType: 2, accountNumber: 54321, holderName: 'ｽｽﾞｷ ﾊﾅｺ', amount: 5200, newCode: 1, customerNumber: 43, resultCode: 0 });
    w.trailer({ doneCount: 0, doneAmount: 0, failedCount: 0, failedAmount: 0 });
    w.end();
    w.close();
    const r = run(['inspect', file, '--layout', ZENGIN, '--json']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(5);
    expect(lines[1].fields).toMatchObject({ holderName: 'ﾔﾏﾀﾞ ﾀﾛｳ', amount: '0000004800', customerNumber: '00000000000000000042' });
    expect(lines[3].fields).toMatchObject({ totalCount: '000002', totalAmount: '000000010000' });
    const human = run(['inspect', file, '--layout', ZENGIN]);
    expect(human.out).toContain('預金者名');
    expect(run(['validate', file, '--layout', ZENGIN, '--json']).code).toBe(0);
  });
});
