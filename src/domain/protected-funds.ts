/**
 * Protected deposits (差押禁止), policy `lowest-intermediate-balance`
 * (domain.md "Protected deposits"; docs/protected-funds-policy.md). Pure: no SQL, no
 * files.
 *
 * - A **protected credit** is a detail with 入払区分 1 (入金) whose 摘要 contains one of
 *   the protected patterns (the defaults below, always, plus the installation's
 *   `protectedPatterns` setting). A debit (入払区分 2) is never a protected credit,
 *   whatever its 摘要 says.
 * - The **protected amount** of an account: walk its details oldest first with
 *   protected = 0; on a protected credit add its amount; after every detail
 *   protected = min(protected, max(0, 取引後残高)). No details: 0.
 *
 * 摘要 is matched as the answer stored it (half-width kana, as inquiry-300 carries
 * it): a plain substring test, no normalisation (see the policy doc for why).
 */

/** The policy's name (shown in docs and the audit; the only one so far). */
export const PROTECTED_FUNDS_POLICY = 'lowest-intermediate-balance';

/** A 摘要 substring that marks a credit as protected, with the benefit it stands for. */
export interface ProtectedPattern {
  /** the benefit, for people (年金, 児童手当, …) */
  kind: string;
  /** substring of 摘要 as the bank writes it (half-width kana) */
  pattern: string;
}

/** domain.md's default patterns; they always apply (settings may only add). */
export const DEFAULT_PROTECTED_PATTERNS: readonly ProtectedPattern[] = Object.freeze([
  { kind: '年金', pattern: 'ﾈﾝｷﾝ' },
  { kind: '児童手当', pattern: 'ｼﾞﾄﾞｳﾃｱﾃ' },
  { kind: '児童扶養手当', pattern: 'ｼﾞﾄﾞｳﾌﾖｳ' },
  { kind: '特別児童扶養手当', pattern: 'ﾄｸﾍﾞﾂｼﾞﾄﾞｳ' },
  { kind: '生活保護', pattern: 'ｾｲｶﾂﾎｺﾞ' },
  { kind: '生活保護', pattern: 'ﾎｺﾞﾋ' },
  { kind: '雇用保険', pattern: 'ｺﾖｳﾎｹﾝ' },
  { kind: '雇用保険', pattern: 'ｼﾂｷﾞﾖｳ' },
  { kind: '労災', pattern: 'ﾛｳｻｲ' },
]);

/** 入払区分 of a detail: 1 入金 (credit), 2 出金 (debit). */
export type Direction = 1 | 2;

/** One transaction detail of an inquiry answer, as the walk needs it. */
export interface Detail {
  direction: number;
  /** 取引金額, > 0 */
  amount: number;
  /** signed 取引後残高 */
  balanceAfter: number;
  /** 摘要 */
  description: string;
}

/** The substrings to look for: the defaults plus the configured ones, each once. */
export function protectedPatternList(configured: readonly ProtectedPattern[] = []): string[] {
  const out: string[] = [];
  for (const p of [...DEFAULT_PROTECTED_PATTERNS, ...configured]) if (p.pattern !== '' && !out.includes(p.pattern)) out.push(p.pattern);
  return out;
}

/** A credit (入払区分 1) whose 摘要 contains one of `patterns` (protectedPatternList). */
export function isProtectedCredit(d: Pick<Detail, 'direction' | 'description'>, patterns: readonly string[]): boolean {
  return d.direction === 1 && mentionsPattern(d.description, patterns);
}

/** Whether a 摘要 contains one of `patterns`. */
function mentionsPattern(description: string, patterns: readonly string[]): boolean {
  for (const p of patterns) if (description.includes(p)) return true;
  return false;
}

/**
 * The protected amount of one account: its details oldest first (file order, the
 * order inquiry-300 lists them). 0 without details; never negative, never more
 * than max(0, the last 取引後残高).
 */
export function protectedAmount(details: Iterable<Detail>, patterns: readonly string[]): number {
  let protectedYen = 0;
  for (const d of details) protectedYen = step(protectedYen, d.direction, d.amount, d.balanceAfter, d.description, patterns);
  return protectedYen;
}

/** One detail of the walk: the protected amount after it. */
function step(protectedYen: number, direction: number, amount: number, balanceAfter: number, description: string, patterns: readonly string[]): number {
  if (direction === 1 && mentionsPattern(description, patterns)) protectedYen += amount;
  const floor = balanceAfter > 0 ? balanceAfter : 0;
  return protectedYen > floor ? floor : protectedYen;
}

/** A detail as the database hands it: [account id, 入払区分, 取引金額, 取引後残高, 摘要]. */
export type DetailRow = readonly [accountId: number, direction: number, amount: number, balanceAfter: number, description: string];

/**
 * The protected amount of each account of `rows` (ordered by account, then oldest
 * first; an account's rows adjacent), by the same walk as protectedAmount, streaming.
 * Only accounts whose amount is > 0 are in the map (the others, and accounts without
 * details, have 0).
 */
export function protectedByAccount(rows: Iterable<DetailRow>, patterns: readonly string[]): Map<number, number> {
  const out = new Map<number, number>();
  let id: number | null = null;
  let protectedYen = 0;
  for (const r of rows) {
    if (r[0] !== id) {
      if (id !== null && protectedYen > 0) out.set(id, protectedYen);
      id = r[0];
      protectedYen = 0;
    }
    protectedYen = step(protectedYen, r[1], r[2], r[3], r[4], patterns);
  }
  if (id !== null && protectedYen > 0) out.set(id, protectedYen);
  return out;
}

/**
 * domain.md: an account whose protected amount is ≥ its balance (and > 0) is left
 * out of a seizure request (`protected-funds`).
 */
export function isWhollyProtected(protectedYen: number, balance: number): boolean {
  return protectedYen > 0 && protectedYen >= balance;
}
