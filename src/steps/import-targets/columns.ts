/**
 * The CSV export contract (shared/spec/import-csv.md) as data: the columns of each
 * file (Japanese names, required, personal) and a compiled row parser that turns
 * the text cells into typed values. Issue messages are codes resolved to
 * bilingual messages by `issueMessage` (so a finding never echoes a value).
 */
import { parseDate } from '../../core/dates.js';
import type { Msg } from '../../core/i18n.js';

export type FileRole = 'taxpayers' | 'debts' | 'accounts' | 'payments';

export interface ColumnDef {
  name: string;
  required: boolean;
  /** personal data: its value is never shown on the console or in logs */
  personal: boolean;
}

const col = (name: string, required: boolean, personal = false): ColumnDef => ({ name, required, personal });

export const COLUMNS: Record<FileRole, ColumnDef[]> = {
  taxpayers: [col('宛名番号', true), col('氏名', true, true), col('氏名カナ', true, true), col('生年月日', false, true), col('住所', false, true), col('状態', true)],
  debts: [
    col('調定番号', true),
    col('宛名番号', true),
    col('債権区分', true),
    col('税目コード', true),
    col('税目名', true),
    col('年度', true),
    col('期別', true),
    col('納期限', true),
    col('本税', true),
    col('本税収納済額', true),
    col('督促手数料', true),
    col('督促手数料収納済額', true),
    col('延滞金収納済額', true),
    col('延滞金区分', true),
    col('督促状発付日', false),
    col('時効完成日', false),
  ],
  accounts: [
    col('宛名番号', true),
    col('金融機関コード', true),
    col('支店コード', true),
    col('預金種目', true),
    col('口座番号', true, true),
    col('口座名義カナ', false, true),
    col('調査日', false),
    col('調査時残高', false),
  ],
  payments: [col('調定番号', true), col('収納日', true), col('本税', true), col('督促手数料', false), col('延滞金', false)],
};

export const PERSONAL_COLUMNS: ReadonlySet<string> = new Set(
  Object.values(COLUMNS)
    .flat()
    .filter((c) => c.personal)
    .map((c) => c.name),
);

/** Columns whose parsed values are numbers (the others are strings or null), by file. */
const NUMERIC_COLUMNS: Readonly<Record<FileRole, ReadonlySet<string>>> = {
  taxpayers: new Set(['状態']),
  debts: new Set(['債権区分', '年度', '本税', '本税収納済額', '督促手数料', '督促手数料収納済額', '延滞金収納済額', '延滞金区分']),
  accounts: new Set(['調査時残高']),
  payments: new Set(['本税', '督促手数料', '延滞金']),
};

/** Per file, whether each column of COLUMNS (in order) is one of NUMERIC_COLUMNS. */
export const NUMERIC_AT: Readonly<Record<FileRole, readonly boolean[]>> = {
  taxpayers: COLUMNS.taxpayers.map((c) => NUMERIC_COLUMNS.taxpayers.has(c.name)),
  debts: COLUMNS.debts.map((c) => NUMERIC_COLUMNS.debts.has(c.name)),
  accounts: COLUMNS.accounts.map((c) => NUMERIC_COLUMNS.accounts.has(c.name)),
  payments: COLUMNS.payments.map((c) => NUMERIC_COLUMNS.payments.has(c.name)),
};

// ---- cell rules ---------------------------------------------------------------
//
// Plain functions, not zod: at a million rows zod cost ~12 µs a row (12 s per
// million debts, the whole budget; ADR 0023). A rule returns the typed value or
// an Issue (preallocated, so the good path allocates nothing but the row).

export class Issue {
  constructor(readonly code: string) {}
}
type Rule<T> = (v: string) => T | Issue;

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
export const MAX_AMOUNT = 999_999_999_999;
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

/** The rules of each file, by column (every column of COLUMNS, in order). */
const RULES = {
  taxpayers: { 宛名番号: id, 氏名: text(200), 氏名カナ: text(200), 生年月日: optDate, 住所: optText(400), 状態: codeNum(['0', '1', '2', '3', '4', '5']) },
  debts: {
    調定番号: id,
    宛名番号: id,
    債権区分: codeNum(['1', '2', '3']),
    税目コード: text(16),
    税目名: text(100),
    年度: year,
    期別: text(16),
    納期限: date,
    本税: amount,
    本税収納済額: amount,
    督促手数料: amount,
    督促手数料収納済額: amount,
    延滞金収納済額: amount,
    延滞金区分: codeNum(['0', '1']),
    督促状発付日: optDate,
    時効完成日: optDate,
  },
  accounts: {
    宛名番号: id,
    金融機関コード: digits(4),
    支店コード: digits(3),
    預金種目: codeIn(['1', '2', '3', '4', '9']),
    口座番号: account,
    口座名義カナ: optText(200),
    調査日: optDate,
    調査時残高: optAmount,
  },
  payments: { 調定番号: id, 収納日: date, 本税: amount, 督促手数料: optAmountZero, 延滞金: optAmountZero },
} as const;

type Out<R> = { -readonly [K in keyof R]: R[K] extends Rule<infer T> ? T : never };
export type TaxpayerRow = Out<(typeof RULES)['taxpayers']>;
export type DebtRow = Out<(typeof RULES)['debts']>;
export type AccountRow = Out<(typeof RULES)['accounts']>;
export type PaymentRow = Out<(typeof RULES)['payments']>;
export type RowOf<R extends FileRole> = Out<(typeof RULES)[R]>;

export interface CellIssue {
  column: string;
  /** issue code, resolved by issueMessage */
  code: string;
}

const PAID_OVER_HONZEI = new Issue('paidOver:本税');
const PAID_OVER_FEE = new Issue('paidOver:督促手数料');

interface CompiledColumn {
  name: string;
  /** cell index, −1 when the (optional) column is absent */
  at: number;
  rule: Rule<unknown>;
}

function compile(role: FileRole, index: ReadonlyMap<string, number>): CompiledColumn[] {
  const rules = RULES[role] as Record<string, Rule<unknown>>;
  return COLUMNS[role].map((d) => ({ name: d.name, at: index.get(d.name) ?? -1, rule: rules[d.name]! }));
}

/** The cell's text as the rules see it: trimmed (only when it needs trimming), '' for an absent column. */
function cellOf(cells: string[], at: number): string {
  const raw = at < 0 ? '' : (cells[at] ?? '');
  return raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32 || raw.charCodeAt(0) === 0x3000 || raw.charCodeAt(raw.length - 1) === 0x3000) ? raw.trim() : raw;
}

/**
 * Compile a row parser for a file whose header maps column names to indexes.
 * Cells are trimmed; a column absent from the header (optional) reads as ''.
 */
export function rowParser<R extends FileRole>(role: R, index: ReadonlyMap<string, number>): (cells: string[]) => { row: RowOf<R>; issues: null } | { row: null; issues: CellIssue[] } {
  const cols = compile(role, index);
  return (cells) => {
    const row: Record<string, unknown> = {};
    let issues: CellIssue[] | null = null;
    for (const c of cols) {
      const v = c.rule(cellOf(cells, c.at));
      if (v instanceof Issue) (issues ??= []).push({ column: c.name, code: v.code });
      else row[c.name] = v;
    }
    if (issues === null && role === 'debts') {
      const d = row as DebtRow;
      if (d.本税収納済額 > d.本税) (issues ??= []).push({ column: '本税収納済額', code: PAID_OVER_HONZEI.code });
      if (d.督促手数料収納済額 > d.督促手数料) (issues ??= []).push({ column: '督促手数料収納済額', code: PAID_OVER_FEE.code });
    }
    return issues === null ? { row: row as RowOf<R>, issues: null } : { row: null, issues };
  };
}

/**
 * The same rules for a row that is only wanted when it is good (the import's fast
 * path): its typed values in COLUMNS order are written to `out`, and the result is
 * false at the first issue (rowParser then tells which).
 */
export function valuesParser(role: FileRole, index: ReadonlyMap<string, number>): (cells: string[], out: unknown[]) => boolean {
  const cols = compile(role, index);
  const n = cols.length;
  const at = (name: string): number => cols.findIndex((c) => c.name === name);
  const [honzei, honzeiPaid, fee, feePaid] = ['本税', '本税収納済額', '督促手数料', '督促手数料収納済額'].map(at) as [number, number, number, number];
  const debts = role === 'debts';
  return (cells, out) => {
    for (let i = 0; i < n; i++) {
      const c = cols[i]!;
      const v = c.rule(cellOf(cells, c.at));
      if (v instanceof Issue) return false;
      out[i] = v;
    }
    return !debts || ((out[honzeiPaid] as number) <= (out[honzei] as number) && (out[feePaid] as number) <= (out[fee] as number));
  };
}

/** The bilingual reason for an issue code produced by the schemas above. */
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

/**
 * A mojibake scan of one CSV row (import-csv.md: text the encoding could not decode is
 * refused): the positions of the role's columns present in the header, and a function
 * giving the positions of the cells holding U+FFFD — none unless the row's text has one,
 * so a clean row costs one `includes`. Shared by the full import path (one reason per
 * cell) and the fast path's worker (any at all leaves the fast path).
 */
export function mojibakeScan(role: FileRole, index: ReadonlyMap<string, number>): (cells: readonly string[], text: string | null) => number[] {
  const at = COLUMNS[role].map((d) => index.get(d.name)).filter((i): i is number => i !== undefined);
  const none: number[] = [];
  return (cells, text) => {
    if (text !== null && !text.includes('\uFFFD')) return none;
    const out: number[] = [];
    for (const i of at) if (cells[i] !== undefined && cells[i]!.includes('\uFFFD')) out.push(i);
    return out;
  };
}
