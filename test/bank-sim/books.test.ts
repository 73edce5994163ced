/**
 * The generator's account books (`generate --books`, issue 15 item 6, ADR 0135): per
 * bank a book and its transactions, deterministic per seed, without changing the
 * export's files; the transaction chains end at the book's balances, and bank-sim answers
 * an inquiry about the generated taxpayers from them with answers `validate` accepts.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { answerInquiries } from '../../src/bank-sim/index.js';
import { toDayNumber } from '../../src/core/dates.js';
import { generateExport } from '../../src/demo/generate.js';
import { SyncRecordWriter, scanFileSync } from '../../src/file/index.js';
import { loadLayout } from '../../src/layout/index.js';
import { narrowName } from '../../src/text/narrow.js';
import { tmpDir } from '../file/helpers.js';

const CLI = path.resolve('dist/cli/main.js');
const BANKS = ['0184', '0005', '0009'];

function rows(file: string): Array<Record<string, string>> {
  const bytes = fs.readFileSync(file);
  const recs = parse(bytes.toString('utf8'), { relax_column_count: false }) as string[][];
  const head = recs[0]!;
  return recs.slice(1).map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]!])));
}

async function generate(seed: number, books: boolean, encoding: 'utf8' | 'cp932' = 'utf8') {
  const dir = tmpDir();
  const res = await generateExport({ outDir: dir, taxpayers: 600, seed, encoding, books });
  return { dir, res };
}

describe('generate --books', () => {
  it('deterministic per seed; the export files are the same bytes with or without books', async () => {
    const a = await generate(5, true);
    const b = await generate(5, true);
    const c = await generate(6, true);
    const plain = await generate(5, false);
    expect(plain.res.books).toBeUndefined();
    for (const bank of BANKS) {
      for (const f of [`book-${bank}.csv`, `transactions-${bank}.csv`]) {
        expect(fs.readFileSync(path.join(a.dir, f)).equals(fs.readFileSync(path.join(b.dir, f)))).toBe(true);
        expect(fs.readFileSync(path.join(a.dir, f)).equals(fs.readFileSync(path.join(c.dir, f)))).toBe(false);
        expect((fs.statSync(path.join(a.dir, f)).mode & 0o777).toString(8)).toBe('600');
      }
      expect(fs.existsSync(path.join(plain.dir, `book-${bank}.csv`))).toBe(false);
    }
    for (const f of ['taxpayers.csv', 'debts.csv', 'accounts.csv', 'payments.csv', 'settings.json']) {
      expect(fs.readFileSync(path.join(a.dir, f)).equals(fs.readFileSync(path.join(plain.dir, f)))).toBe(true);
    }
  });

  it('books of the generated taxpayers: unique accounts, several banks, overdrafts, loans, ~5 transactions per account in the 90 days, chains ending at the balances', async () => {
    const { dir, res } = await generate(11, true);
    const people = new Map(rows(path.join(dir, 'taxpayers.csv')).map((r) => [`${narrowName(r['氏名カナ']!).ok ? (narrowName(r['氏名カナ']!) as { value: string }).value : ''}\t${r['生年月日']}`, r['宛名番号']]));
    const banksOf = new Map<string, Set<string>>();
    let accounts = 0;
    let txCount = 0;
    let negative = 0;
    let loans = 0;
    const descs = new Set<string>();
    const last = toDayNumber('2026-12-01');
    for (const bank of BANKS) {
      const book = rows(path.join(dir, `book-${bank}.csv`));
      const keys = new Set(book.map((r) => `${r['支店コード']}-${r['預金種目']}-${r['口座番号']}`));
      expect(keys.size).toBe(book.length);
      expect(res.books!.accountsByBank[bank]).toBe(book.length);
      const txs = new Map<string, Array<Record<string, string>>>();
      for (const t of rows(path.join(dir, `transactions-${bank}.csv`))) {
        const k = `${t['支店コード']}-${t['預金種目']}-${t['口座番号']}`;
        expect(keys.has(k)).toBe(true);
        const day = toDayNumber(t['取引日']!);
        expect(day).toBeGreaterThan(last - 90);
        expect(day).toBeLessThanOrEqual(last);
        expect(Number(t['金額'])).toBeGreaterThan(0);
        descs.add(t['摘要']!);
        (txs.get(k) ?? txs.set(k, []).get(k)!).push(t);
        txCount++;
      }
      for (const r of book) {
        accounts++;
        expect(r['氏名カナ']).toBe(r['口座名義カナ']);
        const who = people.get(`${r['氏名カナ']}\t${r['生年月日']}`);
        expect(who, 'a book holder is a generated taxpayer').toBeDefined();
        (banksOf.get(who!) ?? banksOf.set(who!, new Set()).get(who!)!).add(bank);
        const balance = Number(r['残高']);
        if (balance < 0) negative++;
        if (r['融資'] === '1') loans++;
        // the chain: from the opening balance, every transaction in date order, ending at 残高
        const list = txs.get(`${r['支店コード']}-${r['預金種目']}-${r['口座番号']}`) ?? [];
        const moved = list.reduce((s, t) => s + (t['入払区分'] === '1' ? 1 : -1) * Number(t['金額']), 0);
        let running = balance - moved;
        let prev = '';
        for (const t of list) {
          expect(t['取引日']! >= prev).toBe(true);
          prev = t['取引日']!;
          running += (t['入払区分'] === '1' ? 1 : -1) * Number(t['金額']);
          expect(running).toBeGreaterThanOrEqual(-300_000);
        }
        expect(running).toBe(balance);
      }
    }
    expect(txCount).toBe(res.books!.transactions);
    expect(txCount / accounts).toBeGreaterThan(3.5);
    expect(txCount / accounts).toBeLessThan(7);
    expect(negative).toBeGreaterThan(0);
    expect(loans).toBeGreaterThan(0);
    expect([...banksOf.values()].some((s) => s.size >= 2)).toBe(true);
    expect(res.books!.peopleWithoutAccounts).toBeGreaterThan(0);
    for (const d of ['ｷﾕｳﾖ', 'ｶ-ﾄﾞ', 'ATM ｶｰﾄﾞ', 'ｼﾞﾄﾞｳﾃｱﾃ']) expect(descs.has(d), d).toBe(true);
    expect(descs.has('ｺｳｾｲﾈﾝｷﾝ') || descs.has('ｺｸﾐﾝﾈﾝｷﾝ')).toBe(true);
  });

  it('bank-sim answers an inquiry about the generated taxpayers from the generated CP932 book: hits, chained details, validate accepts', async () => {
    const { dir } = await generate(3, true, 'cp932');
    const L = loadLayout('inquiry-300');
    const req = path.join(dir, 'INQ.DAT');
    const w = new SyncRecordWriter(req, L, { today: '2026-12-01' });
    w.header({ typeCode: '61', requesterCode: '12345', requesterName: 'ｶｺﾞｼﾏｼ', baseDate: '2026-11-27', historyFrom: '2026-08-01', bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', fileNumber: 1 });
    const text = iconv.decode(fs.readFileSync(path.join(dir, 'taxpayers.csv')), 'cp932');
    let n = 0;
    for (const r of (parse(text) as string[][]).slice(1)) {
      const kana = narrowName(r[2]!, { cls: 'party', maxBytes: 40 });
      if (!kana.ok) continue;
      w.write('account', { inquiryNumber: ++n, taxpayerId: r[0], nameKana: kana.value, birthDate: r[3] === '' ? undefined : r[3] });
    }
    w.trailer();
    w.end();
    w.close();
    const ans = path.join(dir, 'ANS.DAT');
    const s = answerInquiries({ requestPath: req, answerPath: ans, bookPath: path.join(dir, 'book-0184.csv'), transactionsPath: path.join(dir, 'transactions-0184.csv'), seed: 1 }, L);
    expect(s.inquiries).toBe(n);
    expect(s.answers['1']).toBeGreaterThan(n / 4);
    expect(s.answers['2']).toBeGreaterThan(0);
    expect(s.details).toBeGreaterThan(s.accounts);
    // chained: each account's details end at its 残高
    let bal: number | null = null;
    let expected = 0;
    const ends: Array<[number | null, number]> = [];
    scanFileSync(ans, L, { today: '2026-12-01' }, (r) => {
      const f = r.fields;
      if (r.record === 'account' || r.kind === 'trailer') {
        if (bal !== null) ends.push([bal, expected]);
        bal = null;
        if (r.record === 'account' && f['answerCode'] === '1') expected = (f['balanceSign'] === '2' ? -1 : 1) * Number(f['balance']);
      } else if (r.record === 'detail') bal = (f['balanceSign'] === '2' ? -1 : 1) * Number(f['balanceAfter']);
    });
    expect(ends.length).toBeGreaterThan(0);
    for (const [got, want] of ends) expect(got).toBe(want);
    const v = spawnSync('node', [CLI, 'validate', ans], { encoding: 'utf8' });
    expect(v.status, v.stderr).toBe(0);
  });

  it('CLI: generate --books reports the books in --json and refuses to overwrite an existing book without --force (exit 4)', () => {
    const dir = tmpDir();
    const args = [CLI, 'generate', '--out', dir, '--taxpayers', '50', '--bank', '0184', '--books', '--json'];
    const p = spawnSync('node', args, { encoding: 'utf8' });
    expect(p.status, p.stderr).toBe(0);
    const doc = JSON.parse(p.stdout) as { books: { files: Record<string, { book: string; transactions: string }>; transactions: number } };
    expect(Object.keys(doc.books.files)).toEqual(['0184']);
    expect(fs.existsSync(doc.books.files['0184']!.book)).toBe(true);
    fs.rmSync(path.join(dir, 'taxpayers.csv'));
    for (const f of ['debts.csv', 'accounts.csv', 'payments.csv', 'settings.json']) fs.rmSync(path.join(dir, f));
    const again = spawnSync('node', args, { encoding: 'utf8' });
    expect(again.status).toBe(4);
    expect(again.stderr).toContain('book-0184.csv');
    expect(spawnSync('node', [...args, '--force'], { encoding: 'utf8' }).status).toBe(0);
  });
});
