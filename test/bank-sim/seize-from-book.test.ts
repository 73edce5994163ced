/**
 * With --book, bank-sim seizes from the book's balances (issue 15 item 5, ADR 0134):
 * the balance at the end of the execution date (the book's 残高 is today's, later
 * transactions taken back), capped by the request's remaining 差押限度額; not in the
 * book → 12; zero or overdraft → 11; the limit reached → 31.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateBank } from '../../src/bank-sim/index.js';
import { FILE_RULES } from '../../src/cli/file-rules.js';
import { SyncRecordWriter, scanFileSync, validateFile } from '../../src/file/index.js';
import { loadLayout } from '../../src/layout/index.js';
import { EXAMPLE_HEADER, tmpDir } from '../file/helpers.js';
import { csv } from './book-csv.js';

const L = loadLayout('seizure-120');
const CLI = path.resolve('dist/cli/main.js');
const BOOK_HEAD = '金融機関コード,支店コード,預金種目,口座番号,口座名義カナ,氏名カナ,生年月日,残高,融資';
const TX_HEAD = '金融機関コード,支店コード,預金種目,口座番号,取引日,入払区分,金額,摘要';

/** [requestNumber, subNumber, accountNumber, limit] */
type Line = [number, number, string, number];

function request(dir: string, lines: Line[]): string {
  const file = path.join(dir, 'SASHI_0184_00000042.DAT');
  const w = new SyncRecordWriter(file, L);
  w.header({ ...EXAMPLE_HEADER, executionDate: '2026-12-01' });
  for (const [req, sub, acct, limit] of lines) {
    w.data({ requestNumber: req, subNumber: sub, branchCode: '310', accountType: '1', accountNumber: acct, holderName: 'ﾔﾏﾀﾞ ﾀﾛｳ', birthDate: '1970-04-01', limitAmount: limit, resultCode: '00' });
  }
  w.trailer();
  w.end();
  w.close();
  return file;
}


describe('bank-sim seizes from the account book', () => {
  it('seized = min(balance at the execution date, remaining limit); missing account 12; overdraft and zero 11; limit reached 31; an account seized twice keeps what is left', () => {
    const dir = tmpDir();
    const req = request(dir, [
      [1, 1, '0000001', 100_000], // balance 500,000 → 01 100,000
      [2, 1, '0000002', 100_000], // today 20,000 but 10,000 paid out after the execution date → 30,000 → 02
      [2, 2, '0000099', 100_000], // not in the book → 12
      [2, 3, '0000003', 100_000], // overdraft → 11
      [2, 4, '0000004', 100_000], // zero → 11
      [2, 5, '0000001', 100_000], // 400,000 left after request 1 → 01 70,000 (the rest of the limit)
      [2, 6, '0000005', 100_000], // the limit is reached → 31
      [3, 1, '0000001', 1_000_000], // 330,000 left → 02 330,000
    ]);
    const book = csv(dir, 'book.csv', BOOK_HEAD, [
      '0184,310,1,0000001,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1970-04-01,500000,0',
      '0184,310,1,0000002,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1970-04-01,20000,0',
      '0184,310,1,0000003,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1970-04-01,-1000,1',
      '0184,310,1,0000004,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1970-04-01,0,0',
      '0184,310,1,0000005,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1970-04-01,800000,0',
      '0005,310,1,0000099,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1970-04-01,800000,0', // another bank: not this one's account
    ]);
    const tx = csv(dir, 'tx.csv', TX_HEAD, [
      '0184,310,1,0000002,2026-12-03,2,10000,ATM ｼﾕﾂｷﾝ',
      '0184,310,1,0000002,2026-12-01,1,15000,ｷﾕｳﾖ', // on the execution date: already in the balance
    ]);
    const out = path.join(dir, 'R.DAT');
    const s = simulateBank({ requestPath: req, resultPath: out, bookPath: book, transactionsPath: tx, seed: 1 });
    const got: Array<[string, string, number]> = [];
    scanFileSync(out, L, {}, (r) => {
      if (r.kind === 'data') got.push([r.fields['accountNumber']!, r.fields['resultCode']!, Number(r.fields['seizedAmount'])]);
    });
    expect(got).toEqual([
      ['0000001', '01', 100_000],
      ['0000002', '02', 30_000],
      ['0000099', '12', 0],
      ['0000003', '11', 0],
      ['0000004', '11', 0],
      ['0000001', '01', 70_000],
      ['0000005', '31', 0],
      ['0000001', '02', 330_000],
    ]);
    expect(s.seized).toBe(530_000);
    const v = validateFile(out, L, { rules: FILE_RULES });
    expect(v.findings).toEqual([]);
    // the seed does not matter with a book
    const out2 = path.join(dir, 'R2.DAT');
    simulateBank({ requestPath: req, resultPath: out2, bookPath: book, transactionsPath: tx, seed: 99 });
    expect(fs.readFileSync(out2).equals(fs.readFileSync(out))).toBe(true);
  });

  it('CLI: --book on a seizure request; a bad book is exit 3 and no result is written; --transactions without --book is a usage error', () => {
    const dir = tmpDir();
    const req = request(dir, [[1, 1, '0000001', 100_000]]);
    const book = csv(dir, 'book.csv', BOOK_HEAD, ['0184,310,1,0000001,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1970-04-01,5000,0']);
    const ok = spawnSync('node', [CLI, 'bank-sim', req, '--out', path.join(dir, 'R.DAT'), '--book', book, '--json'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ results: { '02': { records: 1, seized: 5000 } }, seized: 5000 });
    const bad = csv(dir, 'bad.csv', BOOK_HEAD, ['0184,310,7,0000001,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1970-04-01,5000,0']);
    const p = spawnSync('node', [CLI, 'bank-sim', req, '--out', path.join(dir, 'R2.DAT'), '--book', bad, '--json'], { encoding: 'utf8' });
    expect(p.status).toBe(3);
    expect((JSON.parse(p.stdout) as { findings: Array<{ line: number; column: string }> }).findings.map((f) => [f.line, f.column])).toEqual([[2, '預金種目']]);
    expect(fs.existsSync(path.join(dir, 'R2.DAT'))).toBe(false);
    const tx = spawnSync('node', [CLI, 'bank-sim', req, '--out', path.join(dir, 'R3.DAT'), '--transactions', book], { encoding: 'utf8' });
    expect(tx.status).toBe(2);
  });
});
