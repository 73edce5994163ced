/**
 * bank-sim answers an inquiry request from an account book (issue 15 item 5,
 * inquiry-300.md "The bank's side", ADR 0134). Requests are built with the layout
 * engine's writer, books as CSV text; answers are read back through the scanner.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { answerInquiries, PAPER_SHARE } from '../../src/bank-sim/index.js';
import { Prng } from '../../src/bank-sim/prng.js';
import { SyncRecordWriter, scanFileSync, type ReadRecord } from '../../src/file/index.js';
import { loadLayout } from '../../src/layout/index.js';
import { tmpDir } from '../file/helpers.js';
import { csv } from './book-csv.js';

const L = loadLayout('inquiry-300');
const CLI = path.resolve('dist/cli/main.js');
const TODAY = '2026-12-05';
const BOOK_HEAD = '金融機関コード,支店コード,預金種目,口座番号,口座名義カナ,氏名カナ,生年月日,残高,融資';
const TX_HEAD = '金融機関コード,支店コード,預金種目,口座番号,取引日,入払区分,金額,摘要';

interface Person {
  taxpayerId: string;
  nameKana: string;
  nameKanji?: string;
  birthDate?: string;
  address?: string;
}

function request(dir: string, people: Person[], opts: { baseDate?: string; historyFrom?: string } = {}): string {
  const file = path.join(dir, 'INQ_0184_00000043.DAT');
  const w = new SyncRecordWriter(file, L, { today: TODAY });
  w.header({ typeCode: '61', requesterCode: '12345', requesterName: 'ｶｺﾞｼﾏｼ', baseDate: opts.baseDate ?? '2026-12-01', historyFrom: opts.historyFrom ?? '2026-09-02', bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', fileNumber: 43 });
  people.forEach((p, i) => w.write('account', { inquiryNumber: i + 1, nameKanji: '山田　太郎', address: '鹿児島県鹿児島市山下町１１－１', ...p }));
  w.trailer();
  w.end();
  w.close();
  return file;
}


function records(file: string): ReadRecord[] {
  const out: ReadRecord[] = [];
  const s = scanFileSync(file, L, { today: TODAY }, (r) => out.push(r));
  expect(s.findings).toEqual([]);
  return out;
}

/** A seed whose first `n` draws give no 回答区分 3 (the share is seeded: PAPER_SHARE of inquiries). */
function seedWithoutPaper(n: number): number {
  for (let seed = 1; ; seed++) {
    const r = new Prng(seed);
    if (Array.from({ length: n }, () => r.next()).every((x) => x >= PAPER_SHARE)) return seed;
  }
}

const TARO = { taxpayerId: '1001', nameKana: 'ﾔﾏﾀﾞ ﾀﾛｳ', birthDate: '1989-01-08' };
const HANAKO = { taxpayerId: '1002', nameKana: 'ｻﾄｳ ﾊﾅｺ', birthDate: '2019-05-01' };

describe('bank-sim answers an inquiry from an account book', () => {
  it('matches on 氏名カナ (narrowed) and 生年月日 only, at this bank; several accounts numbered 01… by branch, type, number; none → 2', () => {
    const dir = tmpDir();
    const corp = { taxpayerId: '1003', nameKana: 'ｶ)ｻｸﾗｼﾖｳｼﾞ' };
    const req = request(dir, [TARO, HANAKO, corp]);
    const book = csv(dir, 'book.csv', BOOK_HEAD, [
      '0184,310,2,0054321,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,-5000,1',
      '0184,310,1,12345,ﾔﾏﾀﾞ ﾀﾛｳ,ヤマダ　タロウ,1989-01-08,152300,0', // full-width kana, narrowed; number padded
      '0184,100,1,0000001,ﾔﾏﾀﾞ ﾀﾛｳ(ｼﾞｴｲ),ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,7,0', // another holder name, same person
      '0184,100,1,0000002,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-09,999,0', // another birth date: not this person
      '0005,100,1,0000003,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,999,0', // another bank
      '0184,200,1,0000004,ｻﾄｳ ﾊﾅｺ,ｻﾄｳ ﾊﾅｺ,2019-05-02,999,0', // Hanako's name, another birth date
      '0184,200,1,0000005,ｶ)ｻｸﾗｼﾖｳｼﾞ,ｶ)ｻｸﾗｼﾖｳｼﾞ,,42,0', // a corporation: no birth date, matches 0000000
    ]);
    const ans = path.join(dir, 'ANS.DAT');
    const s = answerInquiries({ requestPath: req, answerPath: ans, bookPath: book, seed: seedWithoutPaper(3) }, L);
    expect(s).toMatchObject({ bankCode: '0184', fileNumber: 43, inquiries: 3, answers: { '1': 2, '2': 1, '3': 0 }, accounts: 4, details: 0, answerDate: '2026-12-02' });
    const r = records(ans);
    const data = r.filter((x) => x.record === 'account').map((x) => x.fields);
    expect(data.map((f) => [f['inquiryNumber'], f['accountSeq'], f['answerCode'], f['branchCode'], f['accountType'], f['accountNumber'], f['holderName'], f['balanceSign'], f['balance'], f['loanFlag']])).toEqual([
      ['00000001', '01', '1', '100', '1', '0000001', 'ﾔﾏﾀﾞ ﾀﾛｳ(ｼﾞｴｲ)', '1', '000000000007', '0'],
      ['00000001', '02', '1', '310', '1', '0012345', 'ﾔﾏﾀﾞ ﾀﾛｳ', '1', '000000152300', '0'],
      ['00000001', '03', '1', '310', '2', '0054321', 'ﾔﾏﾀﾞ ﾀﾛｳ', '2', '000000005000', '1'],
      ['00000002', '00', '2', '000', '0', '0000000', '', '0', '000000000000', '0'],
      ['00000003', '01', '1', '200', '1', '0000005', 'ｶ)ｻｸﾗｼﾖｳｼﾞ', '1', '000000000042', '0'],
    ]);
    // header echoed with 62 and the answer date; the request's person fields echoed byte for byte
    expect(r[0]!.fields).toMatchObject({ typeCode: '62', baseDate: '20261201', historyFrom: '20260902', fileNumber: '00000043', answerDate: '20261202' });
    const reqRecs: ReadRecord[] = [];
    scanFileSync(req, L, { today: TODAY }, (x) => reqRecs.push(x));
    const inq = (n: number) => reqRecs.filter((x) => x.record === 'account')[n - 1]!.raw;
    for (const x of r.filter((y) => y.record === 'account')) {
      const n = Number(x.fields['inquiryNumber']);
      expect(x.raw.subarray(11, 208).equals(inq(n).subarray(11, 208))).toBe(true);
    }
    expect(r.at(-2)!.fields).toMatchObject({ inquiryCount: '000003', hitCount: '000002', accountCount: '000004', detailCount: '00000000', balanceTotal: '00000000157349' });
  });

  it('a seeded share of inquiries gets 回答区分 3 (one record, no account); the same seed gives the same bytes', () => {
    const dir = tmpDir();
    const people = Array.from({ length: 1000 }, (_v, i) => ({ taxpayerId: String(5000 + i), nameKana: 'ﾔﾏﾀﾞ ﾀﾛｳ', birthDate: '1989-01-08' }));
    const req = request(dir, people);
    const book = csv(dir, 'book.csv', BOOK_HEAD, ['0184,310,1,0012345,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,100,0']);
    const run = (seed: number, name: string) => {
      const f = path.join(dir, name);
      return { s: answerInquiries({ requestPath: req, answerPath: f, bookPath: book, seed }, L), bytes: fs.readFileSync(f) };
    };
    const a = run(7, 'A.DAT');
    const b = run(7, 'B.DAT');
    const c = run(8, 'C.DAT');
    expect(a.bytes.equals(b.bytes)).toBe(true);
    expect(a.bytes.equals(c.bytes)).toBe(false);
    expect(a.s.answers['3']).toBeGreaterThan(5);
    expect(a.s.answers['3']).toBeLessThan(45);
    expect(a.s.answers['1'] + a.s.answers['3']).toBe(1000);
    const paper = records(path.join(dir, 'A.DAT')).filter((x) => x.fields['answerCode'] === '3');
    expect(paper).toHaveLength(a.s.answers['3']);
    for (const p of paper) expect(p.fields).toMatchObject({ accountSeq: '00', branchCode: '000', accountType: '0', accountNumber: '0000000', holderName: '', balanceSign: '0', balance: '000000000000', lastTransactionDate: '00000000', detailCount: '0000', loanFlag: '0' });
  });

  it('details: the history window only, oldest first, 取引後残高 chained to 残高 at the end of 照会基準日 (later transactions taken back); validate accepts the answer', () => {
    const dir = tmpDir();
    const req = request(dir, [TARO]);
    const book = csv(dir, 'book.csv', BOOK_HEAD, ['0184,310,1,0012345,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,100000,0', '0184,310,2,0000009,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,-3000,1']);
    const tx = csv(dir, 'tx.csv', TX_HEAD, [
      '0184,310,1,0012345,2026-11-25,2,200000,ATM ｼﾕﾂｷﾝ',
      '0184,310,1,0012345,2026-09-01,1,999,ﾌﾘｺﾐ', // before 取引明細開始日: not a detail
      '0184,310,1,0012345,2026-11-10,1,250000,ｷﾕｳﾖ',
      '0184,310,1,0012345,2026-12-02,2,50000,ｶ-ﾄﾞ', // after 照会基準日: taken back from today's balance
      '0184,310,1,0012345,2026-09-02,1,10000,ｼﾞﾄﾞｳﾃｱﾃ', // the first day of the window
      '0184,310,2,0000009,2026-12-01,2,3000,ﾃｽｳﾘﾖｳ',
      '0005,310,1,0012345,2026-11-11,1,5,ﾀｺｳ', // another bank's row: ignored
    ]);
    const ans = path.join(dir, 'ANS.DAT');
    const s = answerInquiries({ requestPath: req, answerPath: ans, bookPath: book, transactionsPath: tx, seed: seedWithoutPaper(1) }, L);
    expect(s).toMatchObject({ accounts: 2, details: 4 });
    const r = records(ans).filter((x) => x.kind === 'data');
    expect(r.map((x) => [x.record, x.fields['accountSeq'], x.fields['transactionDate'] ?? x.fields['lastTransactionDate'], x.fields['direction'] ?? '', x.fields['amount'] ?? x.fields['balance'], x.fields['balanceSign'], x.fields['balanceAfter'] ?? '', x.fields['description'] ?? x.fields['detailCount']])).toEqual([
      // 100,000 today + 50,000 paid out on 12-02 = 150,000 at the end of 12-01
      ['account', '01', '20261125', '', '000000150000', '1', '', '0003'],
      ['detail', '01', '20260902', '1', '000000010000', '1', '000000100000', 'ｼﾞﾄﾞｳﾃｱﾃ'],
      ['detail', '01', '20261110', '1', '000000250000', '1', '000000350000', 'ｷﾕｳﾖ'],
      ['detail', '01', '20261125', '2', '000000200000', '1', '000000150000', 'ATM ｼﾕﾂｷﾝ'],
      ['account', '02', '20261201', '', '000000003000', '2', '', '0001'],
      ['detail', '02', '20261201', '2', '000000003000', '2', '000000003000', 'ﾃｽｳﾘﾖｳ'],
    ]);
    // our own chain check: each 取引後残高 = the previous ± 金額, the last = 残高
    let acct: Record<string, string> | null = null;
    let bal = 0;
    let first = true;
    const signed = (sign: string | undefined, v: string | undefined) => (sign === '2' ? -1 : 1) * Number(v);
    const accountsSeen: Array<[number, number]> = [];
    for (const x of [...r, null]) {
      if (x === null || x.record === 'account') {
        if (acct !== null) accountsSeen.push([bal, signed(acct['balanceSign'], acct['balance'])]);
        if (x === null) break;
        acct = x.fields;
        first = true;
        continue;
      }
      const amt = (x.fields['direction'] === '1' ? 1 : -1) * Number(x.fields['amount']);
      const after = signed(x.fields['balanceSign'], x.fields['balanceAfter']);
      if (!first) expect(after).toBe(bal + amt);
      first = false;
      bal = after;
    }
    for (const [last, balance] of accountsSeen) expect(last).toBe(balance);
    const v = spawnSync('node', [CLI, 'validate', ans], { encoding: 'utf8' });
    expect(v.status, v.stderr).toBe(0);
  });

  it('取引明細開始日 00000000: no detail records, 最終取引日 still known', () => {
    const dir = tmpDir();
    const req = request(dir, [TARO], { historyFrom: '00000000' });
    const book = csv(dir, 'book.csv', BOOK_HEAD, ['0184,310,1,0012345,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,100000,0']);
    const tx = csv(dir, 'tx.csv', TX_HEAD, ['0184,310,1,0012345,2026-11-10,1,250000,ｷﾕｳﾖ', '0184,310,1,0012345,2026-12-03,1,1000,ﾘｿｸ']);
    const ans = path.join(dir, 'ANS.DAT');
    const s = answerInquiries({ requestPath: req, answerPath: ans, bookPath: book, transactionsPath: tx, seed: seedWithoutPaper(1) }, L);
    expect(s).toMatchObject({ historyFrom: null, accounts: 1, details: 0 });
    const r = records(ans);
    expect(r.filter((x) => x.record === 'detail')).toEqual([]);
    expect(r[1]!.fields).toMatchObject({ balance: '000000099000', lastTransactionDate: '20261110', detailCount: '0000' });
    expect(spawnSync('node', [CLI, 'validate', ans], { encoding: 'utf8' }).status).toBe(0);
  });

  it('CLI: --json summary; an inquiry without --book is a usage error (exit 2); no file is written', () => {
    const dir = tmpDir();
    const req = request(dir, [TARO, HANAKO]);
    const book = csv(dir, 'book.csv', BOOK_HEAD, ['0184,310,1,0012345,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,100000,0']);
    const ans = path.join(dir, 'ANS.DAT');
    const ok = spawnSync('node', [CLI, 'bank-sim', req, '--out', ans, '--book', book, '--seed', String(seedWithoutPaper(2)), '--json'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ simulator: true, inquiries: 2, answers: { '1': 1, '2': 1, '3': 0 }, accounts: 1, answerDate: '2026-12-02' });
    expect((fs.statSync(ans).mode & 0o777).toString(8)).toBe('600');
    const noBook = spawnSync('node', [CLI, 'bank-sim', req, '--out', path.join(dir, 'X.DAT')], { encoding: 'utf8' });
    expect(noBook.status).toBe(2);
    expect(noBook.stderr).toContain('--book');
    expect(fs.existsSync(path.join(dir, 'X.DAT'))).toBe(false);
    // the answer exists: exit 4 before any work; --statement is for seizure requests: exit 2
    expect(spawnSync('node', [CLI, 'bank-sim', req, '--out', ans, '--book', book], { encoding: 'utf8' }).status).toBe(4);
    const st = spawnSync('node', [CLI, 'bank-sim', req, '--out', path.join(dir, 'Z.DAT'), '--book', book, '--statement', path.join(dir, 'S.DAT')], { encoding: 'utf8' });
    expect(st.status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'Z.DAT'))).toBe(false);
    // an answer (種別 62) is not a request: exit 3 naming the field, nothing written
    const back = spawnSync('node', [CLI, 'bank-sim', ans, '--out', path.join(dir, 'Y.DAT'), '--book', book], { encoding: 'utf8' });
    expect(back.status).toBe(3);
    expect(back.stderr).toContain('typeCode');
    expect(fs.existsSync(path.join(dir, 'Y.DAT'))).toBe(false);
  });

  it('bad book rows: exit 3 with file, line, column and masked values; no answer written', () => {
    const dir = tmpDir();
    const req = request(dir, [TARO]);
    const book = csv(dir, 'book.csv', BOOK_HEAD, [
      '0184,310,1,0012345,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,100000,0',
      '0184,310,1,98765432,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,100,0', // 8 digits
      '0184,310,1,0000007,ﾔﾏﾀﾞ ﾀﾛｳ,山田太郎,1989-01-08,100,0', // kanji in 氏名カナ
      '0184,310,1,0000008,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-02-30,100,0', // not a date
      '0184,310,1,0000009,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,12.5,2', // balance, loan
      '0184,310,1,0012345,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,1,0', // the first account again
    ]);
    const ans = path.join(dir, 'ANS.DAT');
    const p = spawnSync('node', [CLI, 'bank-sim', req, '--out', ans, '--book', book, '--json'], { encoding: 'utf8' });
    expect(p.status).toBe(3);
    const doc = JSON.parse(p.stdout) as { error: { code: string; location: { file: string } }; findings: Array<{ file: string; line: number; column: string; found: string }> };
    expect(doc.error).toMatchObject({ code: 'bank-sim.book-invalid', location: { file: 'book.csv' } });
    expect(doc.findings.map((f) => [f.file, f.line, f.column, f.found])).toEqual([
      ['book.csv', 3, '口座番号', '***5432'],
      ['book.csv', 4, '氏名カナ', '山 (character 1)'],
      ['book.csv', 5, '生年月日', '***'],
      ['book.csv', 6, '残高', '12.5'],
      ['book.csv', 6, '融資', '2'],
      ['book.csv', 7, '口座番号', '***2345'],
    ]);
    for (const secret of ['98765432', '山田太郎', '1989-02-30', '1989-01-08']) {
      expect(p.stdout).not.toContain(secret);
      expect(p.stderr).not.toContain(secret);
    }
    expect(p.stderr).toContain('book.csv');
    expect(fs.existsSync(ans)).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('ANS'))).toEqual([]);
  });

  it('bad transaction rows and a wrong header: exit 3, located; no answer written', () => {
    const dir = tmpDir();
    const req = request(dir, [TARO]);
    const book = csv(dir, 'book.csv', BOOK_HEAD, ['0184,310,1,0012345,ﾔﾏﾀﾞ ﾀﾛｳ,ﾔﾏﾀﾞ ﾀﾛｳ,1989-01-08,100000,0']);
    const tx = csv(dir, 'tx.csv', TX_HEAD, ['0184,310,1,0012345,2026-11-10,3,0,ｷﾕｳﾖ', '0184,310,1,0077777,2026-11-10,1,5,ｷﾕｳﾖ', '0184,310,1,0012345,2026-11-10,1,5,給与']);
    const ans = path.join(dir, 'ANS.DAT');
    const p = spawnSync('node', [CLI, 'bank-sim', req, '--out', ans, '--book', book, '--transactions', tx, '--json'], { encoding: 'utf8' });
    expect(p.status).toBe(3);
    const doc = JSON.parse(p.stdout) as { findings: Array<{ line: number; column: string; found: string }> };
    expect(doc.findings.map((f) => [f.line, f.column, f.found])).toEqual([
      [2, '入払区分', '3'],
      [2, '金額', '0'],
      [3, '口座番号', '***7777'],
      [4, '摘要', '給 (character 1)'],
    ]);
    expect(fs.existsSync(ans)).toBe(false);
    const badHead = csv(dir, 'book2.csv', '金融機関コード,支店コード', ['0184,310']);
    const h = spawnSync('node', [CLI, 'bank-sim', req, '--out', ans, '--book', badHead, '--json'], { encoding: 'utf8' });
    expect(h.status).toBe(3);
    expect(JSON.parse(h.stdout)).toMatchObject({ error: { code: 'bank-sim.book-header', location: { file: 'book2.csv', line: 1 } } });
    expect(fs.existsSync(ans)).toBe(false);
  });
});
