/**
 * The simulated bank's account book (inquiry-300.md "The bank's side", ADR 0134):
 * `BOOK.csv` (金融機関コード, 支店コード, 預金種目, 口座番号, 口座名義カナ, 氏名カナ,
 * 生年月日, 残高, 融資) and the optional `TX.csv` (金融機関コード, 支店コード, 預金種目,
 * 口座番号, 取引日, 入払区分, 金額, 摘要).
 *
 * Convention: the book's 残高 is the balance **now**, after every transaction of TX.csv.
 * The balance at the end of a day D (照会基準日, 差押執行日) is 残高 less the signed
 * amounts of the transactions dated after D.
 *
 * Only the rows of one bank (the request's) are kept, in columns (one array per
 * column, no object per row): about 1M accounts fit in a few hundred MB. Transactions
 * are kept only where they can matter: the sum moved after D and the last transaction
 * day up to D for every account, and the transactions inside the history window, grouped
 * by account (counting sort), 摘要 dictionary-encoded.
 *
 * A bad row is exit 3 with file, line, column and a masked value (cli.md, console privacy).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toDayNumber } from '../core/dates.js';
import { rejected, type Finding } from '../core/errors.js';
import { maskAccount } from '../core/mask.js';
import { writeGWareki } from '../layout/index.js';
import { checkHalfWidthClass, narrowName } from '../text/narrow.js';
import { CsvSyntaxFallback, readCsvSync, type CsvEncoding } from '../steps/import-targets/index.js';

export const BOOK_COLUMNS = ['金融機関コード', '支店コード', '預金種目', '口座番号', '口座名義カナ', '氏名カナ', '生年月日', '残高', '融資'] as const;
export const TX_COLUMNS = ['金融機関コード', '支店コード', '預金種目', '口座番号', '取引日', '入払区分', '金額', '摘要'] as const;

/** 10^12: the 12-digit balance and amount fields of inquiry-300 and seizure-120 hold less. */
export const AMOUNT_LIMIT = 1_000_000_000_000;
const MAX_FINDINGS = 100;
const ACCOUNT_TYPES = new Set(['1', '2', '3', '4', '9']);

export interface AccountBook {
  bankCode: string;
  size: number;
  /** per account: its key (accountKey: 支店, 種目, 口座番号 as one number), 口座名義カナ (half-width), 残高 now, 融資 */
  key: Float64Array;
  holder: string[];
  balance: Float64Array;
  loan: Uint8Array;
  /** accountKey → account */
  byAccount: Map<number, number>;
  /** `氏名カナ(narrowed)\t生年月日(GYYMMDD, 0000000 unknown)` → first account; the next ones by `nextSame` (−1 ends) */
  byPerson: Map<string, number> | null;
  nextSame: Int32Array;
}

export interface BookHistory {
  /** per account: Σ signed amounts of transactions dated after the cut day */
  movedAfter: Float64Array;
  /** per account: the day number of the last transaction on or before the cut day, −1 none */
  lastDay: Int32Array;
  /** per account: its kept transactions are order[start[a]] … order[start[a+1]−1], oldest first */
  start: Int32Array;
  order: Int32Array;
  day: Int32Array;
  credit: Uint8Array;
  amount: Float64Array;
  desc: Int32Array;
  descs: string[];
}

/** An account (支店, 種目, 口座番号, digit strings) as one number: ordering keys orders accounts by branch, type, number. */
export function accountKey(branch: string, type: string, number: string): number {
  return Number(branch) * 1e8 + Number(type) * 1e7 + Number(number);
}

/** The account's fields back from its key, as written: 支店 3 digits, 種目, 口座番号 7 digits. */
export function accountParts(key: number): { branch: string; type: string; number: string } {
  const number = key % 1e7;
  const rest = (key - number) / 1e7;
  const type = rest % 10;
  return { branch: String((rest - type) / 10).padStart(3, '0'), type: String(type), number: String(number).padStart(7, '0') };
}

/** A column of numbers that grows by doubling (no per-row objects). */
class Growing<A extends Float64Array | Int32Array | Uint8Array> {
  length = 0;
  constructor(
    public data: A,
    private readonly make: (n: number) => A,
  ) {}
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = this.make(Math.max(1024, this.data.length * 2));
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  /** The values pushed, in an array of their size (the doubled capacity is freed). */
  done(): A {
    return this.data.slice(0, this.length) as A;
  }
}
const f64 = () => new Growing(new Float64Array(0), (n) => new Float64Array(n));
const i32 = () => new Growing(new Int32Array(0), (n) => new Int32Array(n));
const u8 = () => new Growing(new Uint8Array(0), (n) => new Uint8Array(n));

/** Encoding of a book file: UTF-8 (BOM allowed) when its first 64 KiB are UTF-8, else CP932. */
function encodingOf(file: string): CsvEncoding {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(1 << 16);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, n), { stream: true });
      return 'utf8';
    } catch {
      return 'cp932';
    }
  } finally {
    fs.closeSync(fd);
  }
}

class RowErrors {
  readonly findings: Finding[] = [];
  more = 0;
  constructor(readonly displayName: string) {}

  add(line: number, column: string, found: string, expected: string, ja: string, en: string): void {
    if (this.findings.length >= MAX_FINDINGS) {
      this.more++;
      return;
    }
    this.findings.push({ code: 'bank-sim.book-row', file: this.displayName, line, column, expected, found, message: { ja, en } });
  }

  throwIfAny(what: { ja: string; en: string }): void {
    if (this.findings.length === 0) return;
    const n = this.findings.length + this.more;
    throw rejected(
      'bank-sim.book-invalid',
      {
        ja: `${what.ja} ${this.displayName} に誤りがあるため、何も書きませんでした（${n} 件）。該当する行を直してください`,
        en: `${what.en} ${this.displayName} has errors; nothing was written (${n} problem(s)); correct the rows named`,
      },
      this.findings,
      { file: this.displayName },
      this.more,
    );
  }
}

/** Read a CSV whose header must be exactly `columns`; each data row goes to `row` with its line. */
function readTable(file: string, columns: readonly string[], what: { ja: string; en: string }, row: (line: number, cells: string[], errors: RowErrors) => void): void {
  const displayName = path.basename(file);
  const errors = new RowErrors(displayName);
  let header = true;
  try {
    readCsvSync(file, displayName, encodingOf(file), (line, cells) => {
      if (header) {
        header = false;
        if (cells[0] !== undefined) cells[0] = cells[0].replace(/^\uFEFF/, '');
        if (cells.length !== columns.length || cells.some((c, i) => c.trim() !== columns[i])) {
          throw rejected(
            'bank-sim.book-header',
            {
              ja: `${what.ja} ${displayName} の1行目（見出し）は ${columns.join(',')} でなければなりません（${cells.length} 列あります）`,
              en: `line 1 (the header) of the ${what.en} ${displayName} must be ${columns.join(',')} (it has ${cells.length} column(s))`,
            },
            [],
            { file: displayName, line },
          );
        }
        return;
      }
      if (cells.length !== columns.length) {
        errors.add(line, columns[Math.min(cells.length, columns.length - 1)]!, String(cells.length), String(columns.length), `列の数が ${cells.length} です（${columns.length} 列必要）`, `the row has ${cells.length} column(s) (${columns.length} needed)`);
        return;
      }
      row(line, cells, errors);
    });
  } catch (e) {
    if (e instanceof CsvSyntaxFallback) {
      throw rejected('bank-sim.book-csv-syntax', { ja: `${what.ja} ${displayName} の CSV の形式が正しくありません（引用符の閉じ忘れなど）`, en: `the ${what.en} ${displayName} is not well-formed CSV (an unclosed quote?)` }, [], { file: displayName });
    }
    throw e;
  }
  if (header) {
    throw rejected('bank-sim.book-header', { ja: `${what.ja} ${displayName} に見出し行がありません`, en: `the ${what.en} ${displayName} has no header line` }, [], { file: displayName, line: 1 });
  }
  errors.throwIfAny(what);
}

/** `digits` of 1..len digits, zero-padded to len; null when not. */
function padDigits(s: string, len: number): string | null {
  const t = s.length > 0 && s.charCodeAt(0) > 0x20 && s.charCodeAt(s.length - 1) > 0x20 ? s : s.trim();
  const n = t.length;
  if (n === 0 || n > len) return null;
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return null;
  }
  return n === len ? t : t.padStart(len, '0');
}

/** A signed whole number of yen below 10^12 in magnitude, or null. */
function yenValue(s: string, signed: boolean): number | null {
  const t = s.trim();
  if (!(signed ? /^-?\d{1,12}$/ : /^\d{1,12}$/).test(t)) return null;
  const v = Number(t);
  return Object.is(v, -0) ? 0 : v;
}

/** Not a personal value: shown as is, cut to 20 characters. */
const shown = (s: string) => (s.length > 20 ? `${s.slice(0, 20)}…` : s);

/** The account part of a row (金融機関コード … 口座番号), checked; null after reporting. */
function accountOf(line: number, cells: string[], errors: RowErrors): { bank: string; key: number; number: string } | null {
  const bank = padDigits(cells[0]!, 4);
  const branch = padDigits(cells[1]!, 3);
  const type = cells[2]!.trim();
  const number = padDigits(cells[3]!, 7);
  let ok = true;
  if (bank === null || cells[0]!.trim().length !== 4) {
    errors.add(line, '金融機関コード', shown(cells[0]!), '4 digits', '金融機関コードは数字4桁です', 'the bank code is 4 digits');
    ok = false;
  }
  if (branch === null || cells[1]!.trim().length !== 3) {
    errors.add(line, '支店コード', shown(cells[1]!), '3 digits', '支店コードは数字3桁です', 'the branch code is 3 digits');
    ok = false;
  }
  if (!ACCOUNT_TYPES.has(type)) {
    errors.add(line, '預金種目', shown(cells[2]!), '1, 2, 3, 4 or 9', '預金種目は 1, 2, 3, 4, 9 のいずれかです', 'the account type is 1, 2, 3, 4 or 9');
    ok = false;
  }
  if (number === null) {
    errors.add(line, '口座番号', maskAccount(cells[3]!), '1–7 digits', '口座番号は数字7桁以内です', 'the account number is at most 7 digits');
    ok = false;
  }
  if (!ok) return null;
  return { bank: bank!, key: accountKey(branch!, type, number!), number: number! };
}

/** A kana name narrowed for a 40-byte party field; reported (offending character only) when it cannot be. */
function kanaOf(line: number, column: string, value: string, errors: RowErrors): string | null {
  const r = narrowName(value, { cls: 'party', maxBytes: 40 });
  if (r.ok) return r.value;
  const at = r.index === undefined ? '' : ` (character ${r.index + 1})`;
  errors.add(
    line,
    column,
    r.char === undefined ? '' : `${r.char}${at}`,
    'half-width kana, at most 40 bytes',
    `${column}を半角カナ40バイト以内で書けません（${r.reason}${r.index === undefined ? '' : `、${r.index + 1} 文字目`}）`,
    `${column} cannot be written as at most 40 bytes of half-width kana (${r.reason}${at})`,
  );
  return null;
}

/**
 * Read the book's accounts at `bankCode` (other banks' rows are checked and skipped).
 * With `byPerson`, also index them by 氏名カナ and 生年月日 for answering inquiries.
 */
export function loadBook(file: string, bankCode: string, opts: { byPerson: boolean }): AccountBook {
  const book: AccountBook = {
    bankCode,
    size: 0,
    key: new Float64Array(0),
    holder: [],
    balance: new Float64Array(0),
    loan: new Uint8Array(0),
    byAccount: new Map(),
    byPerson: opts.byPerson ? new Map() : null,
    nextSame: new Int32Array(0),
  };
  const keys = f64();
  const balances = f64();
  const loans = u8();
  const next = i32();
  const last = new Map<string, number>();
  // birth dates repeat: each converted once
  const births = new Map<string, string | null>([['', '0000000']]);
  readTable(file, BOOK_COLUMNS, { ja: '口座台帳', en: 'account book' }, (line, c, errors) => {
    const acct = accountOf(line, c, errors);
    const holder = kanaOf(line, '口座名義カナ', c[4]!, errors);
    // the same name in both columns is narrowed once (the same string then serves both)
    const kana = !opts.byPerson ? '' : c[5] === c[4] ? holder : kanaOf(line, '氏名カナ', c[5]!, errors);
    const birthText = c[6]!.trim();
    let birth = births.get(birthText);
    if (birth === undefined) {
      birth = /^\d{4}-\d{2}-\d{2}$/.test(birthText) ? writeGWareki(birthText) : null;
      births.set(birthText, birth);
    }
    if (birth === null) errors.add(line, '生年月日', '***', 'YYYY-MM-DD (1873 or later) or empty', '生年月日は YYYY-MM-DD（明治6年以降）か空欄です', 'the birth date is YYYY-MM-DD (1873 or later) or empty');
    const balance = yenValue(c[7]!, true);
    if (balance === null) errors.add(line, '残高', shown(c[7]!), 'a whole number of yen, |x| < 10^12', '残高は円単位の整数です（マイナス可、12桁以内）', 'the balance is whole yen (may be negative, at most 12 digits)');
    const loan = c[8]!.trim();
    if (loan !== '0' && loan !== '1') errors.add(line, '融資', shown(c[8]!), '0 or 1', '融資は 0 か 1 です', 'the loan flag is 0 or 1');
    if (acct === null || holder === null || kana === null || birth === null || balance === null || (loan !== '0' && loan !== '1')) return;
    if (acct.bank !== bankCode) return;
    if (book.byAccount.has(acct.key)) {
      errors.add(line, '口座番号', maskAccount(acct.number), 'each account once', 'この口座（支店・種目・口座番号）は台帳に2回あります', 'this account (branch, type, number) is in the book twice');
      return;
    }
    const i = book.size++;
    keys.push(acct.key);
    book.holder.push(holder);
    balances.push(balance);
    loans.push(loan === '1' ? 1 : 0);
    book.byAccount.set(acct.key, i);
    next.push(-1);
    if (book.byPerson !== null) {
      const key = `${kana}\t${birth}`;
      const prev = last.get(key);
      if (prev === undefined) book.byPerson.set(key, i);
      else next.data[prev] = i;
      last.set(key, i);
    }
  });
  book.key = keys.done();
  book.balance = balances.done();
  book.loan = loans.done();
  book.nextSame = next.done();
  return book;
}

/** A book without transactions: nothing moved, no dates known. */
export function emptyHistory(book: AccountBook): BookHistory {
  return { movedAfter: new Float64Array(book.size), lastDay: new Int32Array(book.size).fill(-1), start: new Int32Array(book.size + 1), order: new Int32Array(0), day: new Int32Array(0), credit: new Uint8Array(0), amount: new Float64Array(0), desc: new Int32Array(0), descs: [] };
}

/**
 * Read TX.csv for the book's bank. `cutDay` (day number) is the day whose end the
 * answer or seizure is as at; transactions with `keepFrom` ≤ day ≤ `cutDay` are kept
 * as history (keepFrom null: none kept).
 */
export function loadHistory(file: string, book: AccountBook, cutDay: number, keepFrom: number | null): BookHistory {
  const h = emptyHistory(book);
  const acc = i32();
  const days = i32();
  const credit = u8();
  const amounts = f64();
  const descs = i32();
  const descIds = new Map<string, number>();
  // dates repeat: each parsed once (−1: not a date)
  const dayOf = new Map<string, number>();
  readTable(file, TX_COLUMNS, { ja: '取引明細', en: 'transaction file' }, (line, c, errors) => {
    const a = accountOf(line, c, errors);
    const dateText = c[4]!.trim();
    let dn = dayOf.get(dateText);
    if (dn === undefined) {
      dn = -1;
      if (/^\d{4}-\d{2}-\d{2}$/.test(dateText)) {
        try {
          dn = toDayNumber(dateText);
        } catch {
          dn = -1;
        }
      }
      dayOf.set(dateText, dn);
    }
    const day = dn === -1 ? null : dn;
    if (day === null) errors.add(line, '取引日', shown(c[4]!), 'YYYY-MM-DD', '取引日は実在する日付（YYYY-MM-DD）です', 'the transaction date is a real date (YYYY-MM-DD)');
    const dir = c[5]!.trim();
    if (dir !== '1' && dir !== '2') errors.add(line, '入払区分', shown(c[5]!), '1 or 2', '入払区分は 1（入金）か 2（出金）です', 'the direction is 1 (credit) or 2 (debit)');
    const amount = yenValue(c[6]!, false);
    if (amount === null || amount === 0) errors.add(line, '金額', shown(c[6]!), '1 … 999999999999', '金額は1円以上の整数です（12桁以内）', 'the amount is whole yen, at least 1 (at most 12 digits)');
    const desc = c[7]!;
    // a description already in the dictionary was checked when it was added
    const known = descIds.get(desc);
    const bad = known !== undefined ? null : checkHalfWidthClass(desc, 'any');
    const bytes = known !== undefined ? 0 : desc.length;
    if (bad !== null || bytes > 40) {
      errors.add(line, '摘要', bad === null ? `(${desc.length} characters)` : `${bad.char} (character ${bad.index + 1})`, 'half-width, at most 40 bytes', '摘要は半角（JIS X 0201）40バイト以内です', 'the description is half-width (JIS X 0201), at most 40 bytes');
    }
    if (a === null || day === null || (dir !== '1' && dir !== '2') || amount === null || amount === 0 || bad !== null || bytes > 40) return;
    if (a.bank !== book.bankCode) return;
    const i = book.byAccount.get(a.key);
    if (i === undefined) {
      errors.add(line, '口座番号', maskAccount(a.number), 'an account of the book', 'この口座は口座台帳にありません', 'this account is not in the account book');
      return;
    }
    const signed = dir === '1' ? amount : -amount;
    if (day > cutDay) {
      h.movedAfter[i] = h.movedAfter[i]! + signed;
      return;
    }
    if (day > h.lastDay[i]!) h.lastDay[i] = day;
    if (keepFrom === null || day < keepFrom) return;
    let d = known;
    if (d === undefined) {
      d = h.descs.length;
      h.descs.push(desc);
      descIds.set(desc, d);
    }
    acc.push(i);
    days.push(day);
    credit.push(dir === '1' ? 1 : 0);
    amounts.push(amount);
    descs.push(d);
  });
  h.day = days.done();
  h.credit = credit.done();
  h.amount = amounts.done();
  h.desc = descs.done();
  const accOf = acc.done();
  // group by account (counting sort, stable: file order within a day), then oldest first
  const n = accOf.length;
  const start = h.start;
  for (let k = 0; k < n; k++) start[accOf[k]! + 1]!++;
  for (let a = 0; a < book.size; a++) start[a + 1] = start[a + 1]! + start[a]!;
  const fill = start.slice(0, book.size);
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[fill[accOf[k]!]!++] = k;
  for (let a = 0; a < book.size; a++) {
    // insertion sort by day: groups are small and mostly in order already
    const s = start[a]!;
    const e = start[a + 1]!;
    for (let x = s + 1; x < e; x++) {
      const v = order[x]!;
      let y = x - 1;
      while (y >= s && h.day[order[y]!]! > h.day[v]!) {
        order[y + 1] = order[y]!;
        y--;
      }
      order[y + 1] = v;
    }
  }
  h.order = order;
  return h;
}

/** The account's signed balance at the end of the cut day. */
export function balanceAtCut(book: AccountBook, h: BookHistory, a: number): number {
  return book.balance[a]! - h.movedAfter[a]!;
}
