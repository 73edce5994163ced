/**
 * Account books for the bank simulator (`generate --books`, issue 15 item 6, ADR 0135):
 * per bank `book-<bank>.csv` and `transactions-<bank>.csv` in the columns of
 * bank-sim/book.ts, whose people are the generated taxpayers.
 *
 * - Its own generator (seeded from the run's seed), so the export's files are the same
 *   bytes with or without books.
 * - Each person whose kana can be written (narrowName, as inquire writes it) is a bank
 *   customer or not: realistic — none 15 %, else 1–3 banks (the first weighted 3×), 1–3
 *   accounts at each; bench — half at the first bank with one account, half at none.
 * - Account numbers are unique per bank by construction (a bijection of a per-bank
 *   counter modulo 10^7), so a book never holds an account twice.
 * - Transactions over the 90 days up to the processing date (the book's "today"), about
 *   five per account: salaries ｷﾕｳﾖ (25th), pensions ｺｸﾐﾝﾈﾝｷﾝ/ｺｳｾｲﾈﾝｷﾝ (15th of even
 *   months), child allowance ｼﾞﾄﾞｳﾃｱﾃ (10th of even months), card payments ｶ-ﾄﾞ (27th),
 *   ATM withdrawals ｶｰﾄﾞ, utilities; for companies transfers in and out. The book's 残高
 *   is the opening balance plus every transaction (the book's balance is today's, ADR 0134):
 *   the chains are consistent by construction. About 4 % of ordinary accounts may be
 *   overdrawn (総合口座), about 6 % of accounts' holders have a loan (融資 1).
 */
import * as path from 'node:path';
import { csvCell } from '../core/csv.js';
import { isBusinessDay } from '../domain/calendar.js';
import { narrowName } from '../text/narrow.js';
import { BOOK_COLUMNS, TX_COLUMNS } from '../bank-sim/book.js';
import type { DemoBank } from './banks.js';
import { CsvSink, type CsvEncoding } from './csv-sink.js';
import { Rng } from './rng.js';
import { isoOfDay } from './schedule.js';

/** Days of history up to and including the processing date. */
export const BOOK_HISTORY_DAYS = 90;
/** Mixed into the run's seed: the books' own generator. */
const BOOK_SEED = 0x626f6f6b;
/** odd and not a multiple of 5: n ↦ n·M mod 10^7 is a bijection */
const NUMBER_MULTIPLIER = 3_141_593;

export interface BookFiles {
  book: string;
  transactions: string;
}

export interface BookSummary {
  files: Record<string, BookFiles>;
  /** people written to at least one book */
  people: number;
  /** writable people with no account at any bank */
  peopleWithoutAccounts: number;
  /** people left out: their kana cannot be written (they cannot be inquired about) */
  peopleNotWritable: number;
  accountsByBank: Record<string, number>;
  transactions: number;
}

type Profile = 'worker' | 'pensioner' | 'corporation';

interface Tx {
  day: number;
  credit: boolean;
  amount: number;
  desc: string;
}

const TYPES = ['1', '2', '3', '4', '9'] as const;
const PERSON_TYPE_WEIGHTS = [85, 1, 2, 10, 2];
const CORP_TYPE_WEIGHTS = [60, 35, 5, 0, 0];

export class BookWriter {
  private readonly rng: Rng;
  private readonly books = new Map<string, CsvSink>();
  private readonly txs = new Map<string, CsvSink>();
  private readonly counters = new Map<string, number>();
  private readonly sinks: CsvSink[] = [];
  /** the paydays of the window, computed once */
  private readonly days = new Map<string, number[]>();
  private readonly first: number;
  private readonly last: number;
  readonly summary: BookSummary;

  constructor(
    outDir: string,
    private readonly banks: readonly DemoBank[],
    encoding: CsvEncoding,
    seed: number,
    /** the processing date (day number): the books' "today" */
    today: number,
    private readonly bench: boolean,
  ) {
    this.rng = new Rng(seed ^ BOOK_SEED);
    this.last = today;
    this.first = today - BOOK_HISTORY_DAYS + 1;
    this.summary = { files: {}, people: 0, peopleWithoutAccounts: 0, peopleNotWritable: 0, accountsByBank: {}, transactions: 0 };
    for (const b of banks) {
      const files = { book: path.join(outDir, `book-${b.code}.csv`), transactions: path.join(outDir, `transactions-${b.code}.csv`) };
      this.summary.files[b.code] = files;
      this.summary.accountsByBank[b.code] = 0;
      const book = new CsvSink(files.book, BOOK_COLUMNS, encoding);
      this.sinks.push(book);
      const tx = new CsvSink(files.transactions, TX_COLUMNS, encoding);
      this.sinks.push(tx);
      this.books.set(b.code, book);
      this.txs.set(b.code, tx);
      this.counters.set(b.code, 0);
    }
  }

  /** One taxpayer: `kana` as the export has it, `birth` ISO or '' (corporations). */
  person(kana: string, birth: string, corporation: boolean): void {
    const rng = this.rng;
    const name = narrowName(kana, { cls: 'party', maxBytes: 40 });
    if (!name.ok) {
      this.summary.peopleNotWritable++;
      return;
    }
    const chosen: DemoBank[] = [];
    if (this.bench) {
      if (rng.chance(0.5)) chosen.push(this.banks[0]!);
    } else if (!rng.chance(0.15)) {
      const n = Math.min(this.banks.length, 1 + rng.weighted([55, 30, 15]));
      const weights: number[] = this.banks.map((_, i) => (i === 0 ? 3 : 1));
      while (chosen.length < n) {
        const i = rng.weighted(weights);
        if (weights[i] === 0) continue;
        weights[i] = 0;
        chosen.push(this.banks[i]!);
      }
      chosen.sort((a, b) => this.banks.indexOf(a) - this.banks.indexOf(b));
    }
    if (chosen.length === 0) {
      this.summary.peopleWithoutAccounts++;
      return;
    }
    this.summary.people++;
    const profile: Profile = corporation ? 'corporation' : birth !== '' && birth < '1961-01-01' ? 'pensioner' : 'worker';
    const children = profile === 'worker' && birth >= '1975-01-01' && birth <= '2000-12-31' && rng.chance(0.35);
    let main = true;
    for (const bank of chosen) {
      const n = this.bench ? 1 : 1 + rng.weighted([80, 17, 3]);
      for (let a = 0; a < n; a++) {
        this.account(bank, name.value, birth, profile, main, children);
        main = false;
      }
    }
  }

  private account(bank: DemoBank, kana: string, birth: string, profile: Profile, main: boolean, children: boolean): void {
    const rng = this.rng;
    const seq = this.counters.get(bank.code)! + 1;
    this.counters.set(bank.code, seq);
    const number = String((seq * NUMBER_MULTIPLIER) % 10_000_000).padStart(7, '0');
    const branch = rng.pick(bank.branches);
    const type = this.bench ? '1' : TYPES[rng.weighted(profile === 'corporation' ? CORP_TYPE_WEIGHTS : PERSON_TYPE_WEIGHTS)]!;
    const loan = rng.chance(0.06) ? 1 : 0;
    let balance: number;
    const txs: Tx[] = [];
    if (type === '3' || type === '9') {
      // 定期・別段: no movements in the window, a lump sum
      balance = Math.floor(10 ** (5 + rng.next() * 1.5) / 1000) * 1000;
    } else {
      const overdraft = type === '1' && rng.chance(0.04);
      balance = overdraft ? rng.int(0, 20) * 1000 : rng.chance(0.1) ? 0 : Math.floor(10 ** (3 + rng.next() * 2.8));
      this.movements(txs, profile, main, children);
      txs.sort((x, y) => x.day - y.day);
      const floor = overdraft ? -300_000 : 0;
      for (const t of txs) {
        if (!t.credit) {
          if (balance - t.amount < floor) t.amount = Math.floor((balance - floor) / 1000) * 1000;
          if (t.amount <= 0) continue;
          balance -= t.amount;
        } else balance += t.amount;
        this.txs.get(bank.code)!.line(`${bank.code},${branch},${type},${number},${isoOfDay(t.day)},${t.credit ? 1 : 2},${t.amount},${csvCell(t.desc)}`);
        this.summary.transactions++;
      }
    }
    this.books.get(bank.code)!.line(`${bank.code},${branch},${type},${number},${csvCell(kana)},${csvCell(kana)},${birth},${balance},${loan}`);
    this.summary.accountsByBank[bank.code]!++;
  }

  /** The movements of one account in the window (amounts of debits are capped when applied). */
  private movements(txs: Tx[], profile: Profile, main: boolean, children: boolean): void {
    const rng = this.rng;
    const add = (day: number, credit: boolean, amount: number, desc: string) => {
      if (day >= this.first && day <= this.last) txs.push({ day, credit, amount, desc });
    };
    const target = rng.int(4, 7);
    if (main) {
      if (profile === 'worker') {
        const salary = rng.int(16, 42) * 10_000 + rng.int(0, 99) * 100;
        for (const d of this.monthly(25, -1)) add(d, true, salary, 'ｷﾕｳﾖ');
        for (const d of this.monthly(27, 1)) add(d, false, rng.int(5, 120) * 1000 + rng.int(0, 999), 'ｶ-ﾄﾞ');
      } else if (profile === 'pensioner') {
        const kosei = rng.chance(0.6);
        const amount = kosei ? rng.int(24, 42) * 10_000 : rng.int(10, 13) * 10_000;
        for (const d of this.monthly(15, -1, true)) add(d, true, amount, kosei ? 'ｺｳｾｲﾈﾝｷﾝ' : 'ｺｸﾐﾝﾈﾝｷﾝ');
      } else {
        for (const d of this.monthly(25, -1)) add(d, false, rng.int(30, 300) * 10_000, 'ｷﾕｳﾖ ﾌﾘｺﾐ');
      }
      if (children) for (const d of this.monthly(10, -1, true)) add(d, true, rng.int(1, 3) * 20_000, 'ｼﾞﾄﾞｳﾃｱﾃ');
    }
    while (txs.length < target) {
      const day = rng.int(this.first, this.last);
      const r = rng.next();
      if (profile === 'corporation') {
        if (r < 0.6) add(day, true, rng.int(5, 200) * 10_000, 'ﾌﾘｺﾐ ﾆﾕｳｷﾝ');
        else if (r < 0.9) add(day, false, rng.int(1, 80) * 10_000, 'ﾌﾘｺﾐ ｼﾕﾂｷﾝ');
        else add(day, false, 440, 'ﾃｽｳﾘﾖｳ');
      } else if (r < 0.5) add(day, false, rng.int(1, 5) * 10_000, 'ATM ｶｰﾄﾞ');
      else if (r < 0.7) add(day, false, rng.int(3, 15) * 1000 + rng.int(0, 999), rng.chance(0.5) ? 'ﾃﾞﾝｷﾘﾖｳ' : 'ｽｲﾄﾞｳﾘﾖｳ');
      else if (r < 0.85) add(day, true, rng.int(1, 50) * 1000, 'ﾌﾘｺﾐ');
      else add(day, false, rng.int(2, 80) * 1000 + rng.int(0, 999), 'ｶ-ﾄﾞ');
    }
  }

  /** The days `dom` of each month (only even months with `evenMonths`) in the window, moved to a business day (−1 back, +1 forward). */
  private monthly(dom: number, step: -1 | 1, evenMonths = false): readonly number[] {
    const key = `${dom}${step}${evenMonths}`;
    const cached = this.days.get(key);
    if (cached !== undefined) return cached;
    const out: number[] = [];
    const seen = new Set<string>();
    for (let d = this.first; d <= this.last; d++) {
      const iso = isoOfDay(d);
      if (Number(iso.slice(8, 10)) !== dom) continue;
      if (evenMonths && Number(iso.slice(5, 7)) % 2 === 1) continue;
      if (seen.has(iso.slice(0, 7))) continue;
      seen.add(iso.slice(0, 7));
      let b = d;
      while (!isBusinessDay(isoOfDay(b))) b += step;
      out.push(b);
    }
    this.days.set(key, out);
    return out;
  }

  close(): void {
    for (const s of this.sinks) s.close();
  }

  abort(): void {
    for (const s of this.sinks) s.abort();
  }
}
