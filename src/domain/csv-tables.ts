/**
 * The CSV export contract (shared/spec/import-csv.md) as data: one table per file, one
 * entry per column — its header name in the export, its database column, the cell rule
 * that parses and checks it, and whether it is numeric, personal, required or part of
 * the file's key. Everything else is derived from these four tables (ADR 0105): the
 * import's header check and row parsers, which values a message may show, the staging
 * tables and upserts of db/targets.ts, the fast path's positional binding, and the
 * demo generator's header rows. Layouts as data, as formats/*.xml are for the
 * fixed-width files.
 *
 * Here, below db/ and the steps, because both derive from it (docs/architecture.md).
 * Issue codes are resolved to bilingual messages by `issueMessage` (so a finding never
 * echoes a value).
 */
import { parseDate } from '../core/dates.js';
import type { Msg } from '../core/i18n.js';

export type FileRole = 'taxpayers' | 'debts' | 'accounts' | 'payments';

// ---- cell rules ---------------------------------------------------------------
//
// Plain functions, not zod: at a million rows zod cost ~12 µs a row (12 s per
// million debts, the whole budget; ADR 0023). A rule returns the typed value or
// an Issue (preallocated, so the good path allocates nothing but the row).

export class Issue {
  constructor(readonly code: string) {}
}
export type Rule<T> = (v: string) => T | Issue;

const ID = /^[0-9A-Za-z-]{1,32}$/;
const AMOUNT = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/;
const YEAR = /^(?:19|20|21)\d{2}$/;
const ACCOUNT = /^\d{1,7}$/;

const REQUIRED = new Issue('required');
const BAD_ID = new Issue('id');
const BAD_DATE = new Issue('date');
const BAD_AMOUNT = new Issue('amount');
const BAD_YEAR = new Issue('year');
const BAD_ACCOUNT = new Issue('account');

const id: Rule<string> = (v) => (v === '' ? REQUIRED : ID.test(v) ? v : BAD_ID);
const text = (max: number): Rule<string> => {
  const tooLong = new Issue(`tooLong:${max}`);
  return (v) => (v === '' ? REQUIRED : v.length > max ? tooLong : v);
};
const optText = (max: number): Rule<string | null> => {
  const tooLong = new Issue(`tooLong:${max}`);
  return (v) => (v === '' ? null : v.length > max ? tooLong : v);
};
function codeIn(codes: readonly string[]): Rule<string> {
  const bad = new Issue(`code:${codes.join(',')}`);
  const set = new Set(codes);
  return (v) => (v === '' ? REQUIRED : set.has(v) ? v : bad);
}
const codeNum = (codes: readonly string[]): Rule<number> => {
  const r = codeIn(codes);
  return (v) => {
    const x = r(v);
    return x instanceof Issue ? x : Number(x);
  };
};
const digits = (n: number): Rule<string> => {
  const re = new RegExp(`^\\d{${n}}$`);
  const bad = new Issue(`digits:${n}`);
  return (v) => (v === '' ? REQUIRED : re.test(v) ? v : bad);
};
// An export repeats few distinct dates (due dates, reminder dates …): parseDate's
// calendar check (a Date per call) is remembered per text, in a bounded map.
const DATE_MEMO_CAP = 100_000;
const dateMemo = new Map<string, string | null>();
function memoDate(v: string): string | null {
  let iso = dateMemo.get(v);
  if (iso === undefined) {
    iso = parseDate(v);
    if (dateMemo.size >= DATE_MEMO_CAP) dateMemo.clear();
    // own copies: a value cut from a chunk of the file would keep the chunk alive
    const key = v.length < 13 ? v : (' ' + v).slice(1);
    if (iso !== null && iso.length >= 13) iso = (' ' + iso).slice(1);
    dateMemo.set(key, iso);
  }
  return iso;
}
const date: Rule<string> = (v) => (v === '' ? REQUIRED : (memoDate(v) ?? BAD_DATE));
const optDate: Rule<string | null> = (v) => (v === '' ? null : (memoDate(v) ?? BAD_DATE));
/**
 * The largest amount of any money column, in yen (issue 13, item 12): 12 digits, below
 * one 兆円 — far above any tax debt or deposit balance, the width of the bank files'
 * amount fields (差押限度額 and the others are 12 digits), and small enough that sums
 * over millions of rows stay exact integers.
 */
const MAX_AMOUNT = 999_999_999_999;
const AMOUNT_TOO_LARGE = new Issue('amountTooLarge');
function toAmount(v: string): number | Issue {
  if (!AMOUNT.test(v)) return BAD_AMOUNT;
  const n = Number(v.includes(',') ? v.replaceAll(',', '') : v);
  return n <= MAX_AMOUNT ? n : AMOUNT_TOO_LARGE;
}
const amount: Rule<number> = (v) => (v === '' ? REQUIRED : toAmount(v));
const optAmount: Rule<number | null> = (v) => (v === '' ? null : toAmount(v));
const optAmountZero: Rule<number> = (v) => (v === '' ? 0 : toAmount(v));
const year: Rule<number> = (v) => (v === '' ? REQUIRED : YEAR.test(v) ? Number(v) : BAD_YEAR);
const account: Rule<string> = (v) => (v === '' ? REQUIRED : ACCOUNT.test(v) ? v : BAD_ACCOUNT);

// ---- the tables ----------------------------------------------------------------

export interface CsvColumn<K extends string = string, T = unknown> {
  /** the column's name in the export's header row (the contract) */
  readonly csv: K;
  /** its column in the database table and in the import's staging table */
  readonly column: string;
  /** parses and checks the (trimmed) cell */
  readonly rule: Rule<T>;
  /** its value is a number (money or an integer code); otherwise a string or null */
  readonly numeric: boolean;
  /** personal data (cli.md "console privacy"): its value is never shown in a message or a log */
  readonly personal: boolean;
  /** the header must have it (an absent optional column reads as an empty cell) */
  readonly required: boolean;
  /** part of the file's key (the upsert's conflict target, the import's duplicate check) */
  readonly key: boolean;
}

const REQ = 1;
const PERSONAL = 2;
const NUMERIC = 4;
const KEY = 8;

function col<K extends string, T>(csv: K, column: string, rule: Rule<T>, flags: number): CsvColumn<K, T> {
  return { csv, column, rule, numeric: (flags & NUMERIC) !== 0, personal: (flags & PERSONAL) !== 0, required: (flags & REQ) !== 0, key: (flags & KEY) !== 0 };
}

const TAXPAYERS = [
  col('宛名番号',   'atena',      id,                                    REQ | KEY),
  col('氏名',       'name',       text(200),                             REQ | PERSONAL),
  col('氏名カナ',   'kana',       text(200),                             REQ | PERSONAL),
  col('生年月日',   'birth_date', optDate,                               PERSONAL),
  col('住所',       'address',    optText(400),                          PERSONAL),
  col('状態',       'status',     codeNum(['0', '1', '2', '3', '4', '5']), REQ | NUMERIC),
] as const;

const DEBTS = [
  col('調定番号',           'chotei',            id,                      REQ | KEY),
  col('宛名番号',           'atena',             id,                      REQ),
  col('債権区分',           'kubun',             codeNum(['1', '2', '3']), REQ | NUMERIC),
  col('税目コード',         'tax_code',          text(16),                REQ),
  col('税目名',             'tax_name',          text(100),               REQ),
  col('年度',               'fiscal_year',       year,                    REQ | NUMERIC),
  col('期別',               'period',            text(16),                REQ),
  col('納期限',             'due_date',          date,                    REQ),
  col('本税',               'honzei',            amount,                  REQ | NUMERIC),
  col('本税収納済額',       'honzei_paid',       amount,                  REQ | NUMERIC),
  col('督促手数料',         'fee',               amount,                  REQ | NUMERIC),
  col('督促手数料収納済額', 'fee_paid',          amount,                  REQ | NUMERIC),
  col('延滞金収納済額',     'entaikin_paid',     amount,                  REQ | NUMERIC),
  col('延滞金区分',         'entaikin_kind',     codeNum(['0', '1']),     REQ | NUMERIC),
  col('督促状発付日',       'reminder_date',     optDate,                 0),
  col('時効完成日',         'prescription_date', optDate,                 0),
] as const;

const ACCOUNTS = [
  col('宛名番号',       'atena',          id,                                   REQ | KEY),
  col('金融機関コード', 'bank_code',      digits(4),                            REQ | KEY),
  col('支店コード',     'branch_code',    digits(3),                            REQ | KEY),
  col('預金種目',       'account_type',   codeIn(['1', '2', '3', '4', '9']),    REQ | KEY),
  col('口座番号',       'account_number', account,                              REQ | KEY | PERSONAL),
  col('口座名義カナ',   'holder_kana',    optText(200),                         PERSONAL),
  col('調査日',         'inquiry_date',   optDate,                              0),
  col('調査時残高',     'balance',        optAmount,                            NUMERIC),
] as const;

// A payment has no key column: its key is the whole row and its place in the file.
const PAYMENTS = [
  col('調定番号',   'chotei',    id,            REQ),
  col('収納日',     'paid_date', date,          REQ),
  col('本税',       'honzei',    amount,        REQ | NUMERIC),
  col('督促手数料', 'fee',       optAmountZero, NUMERIC),
  col('延滞金',     'entaikin',  optAmountZero, NUMERIC),
] as const;

/** The columns of each export file, in the order written (the demo) and bound (the fast path). */
export const CSV_TABLES = { taxpayers: TAXPAYERS, debts: DEBTS, accounts: ACCOUNTS, payments: PAYMENTS } as const satisfies Record<FileRole, readonly CsvColumn[]>;

/** The files, in the order the import lists its findings and reject files. */
export const FILE_ROLES = Object.keys(CSV_TABLES) as FileRole[];

type ValueOf<C> = C extends CsvColumn<string, infer T> ? T : never;
/** A good row of `role`: its values by header name. */
export type RowOf<R extends FileRole> = { -readonly [C in (typeof CSV_TABLES)[R][number] as C['csv']]: ValueOf<C> };
export type CsvName<R extends FileRole> = (typeof CSV_TABLES)[R][number]['csv'];

/** The table of `role`, widened (for code that treats every file alike). */
export function csvTable(role: FileRole): readonly CsvColumn[] {
  return CSV_TABLES[role];
}

/** The header names of `role`, in table order. */
export function csvHeader(role: FileRole): readonly string[] {
  return CSV_TABLES[role].map((c) => c.csv);
}

/** The position of a column in its table (and so in every row of values and every binding). */
export function columnAt<R extends FileRole>(role: R, csv: CsvName<R>): number {
  const i = csvTable(role).findIndex((c) => c.csv === csv);
  if (i < 0) throw new RangeError(`no column ${csv} in ${role}`);
  return i;
}

/** The positions of the key columns of `role`, in table order. */
export function keyPositions(role: FileRole): readonly number[] {
  return csvTable(role).flatMap((c, i) => (c.key ? [i] : []));
}

/** The bilingual reason for an issue code produced by the rules above. */
export function issueMessage(code: string): Msg {
  const [kind, arg = ''] = code.split(/:(.*)/s);
  switch (kind) {
    case 'required':
      return { ja: '必須項目が空です', en: 'required value is empty' };
    case 'id':
      return { ja: '英数字（とハイフン）32文字以内で入力してください', en: 'must be 1–32 letters, digits or hyphens' };
    case 'tooLong':
      return { ja: `${arg}文字以内で入力してください`, en: `must be at most ${arg} characters` };
    case 'code':
      return { ja: `次のいずれかのコードを入力してください: ${arg}`, en: `must be one of the codes ${arg}` };
    case 'digits':
      return { ja: `${arg}桁の数字で入力してください`, en: `must be exactly ${arg} digits` };
    case 'date':
      return { ja: '日付は YYYY-MM-DD か YYYYMMDD の実在する日付で入力してください', en: 'must be a real date as YYYY-MM-DD or YYYYMMDD' };
    case 'amount':
      return { ja: '金額は円単位の数字で入力してください（3桁区切りのカンマは可）', en: 'must be whole yen in digits (thousands commas allowed)' };
    case 'amountTooLarge':
      return { ja: `金額が大きすぎます（上限 ${MAX_AMOUNT.toLocaleString('ja-JP')} 円）`, en: `the amount is too large (at most ${MAX_AMOUNT.toLocaleString('en-US')} yen)` };
    case 'year':
      return { ja: '年度は西暦4桁で入力してください', en: 'fiscal year must be 4 digits (western calendar)' };
    case 'account':
      return { ja: '口座番号は7桁以内の数字で入力してください', en: 'account number must be up to 7 digits' };
    case 'paidOver':
      return { ja: `収納済額が${arg}を超えています`, en: `paid amount exceeds ${arg}` };
    default:
      return { ja: '値が不正です', en: 'invalid value' };
  }
}
