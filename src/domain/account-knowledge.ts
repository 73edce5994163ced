/**
 * Which accounts of a taxpayer at one bank are known, and which of them are usable
 * (inquiry-300.md "What an imported answer means"; cli.md `extract
 * --max-account-age`). Pure rules: no SQL, no files (ADR 0131).
 *
 * - **The newest knowledge wins.** Take the newest answer with 回答区分 1 or 2 (by
 *   照会基準日; of two with the same date, the higher file number). The known
 *   accounts are its accounts (none for 回答区分 2) plus the `accounts.csv` rows at
 *   that bank dated strictly after its 照会基準日 (a row without 調査日 is older than
 *   any answer; a tie goes to the answer); an account (支店, 種目, 口座番号) in both
 *   is taken once, from the newer source. Without such an answer: the CSV rows.
 *   Answers with 回答区分 3 and 4 change nothing.
 * - **Stale knowledge.** An account whose knowledge date (照会基準日 of its answer, or
 *   調査日 of its CSV row) is more than `maxAge` days before the processing date is
 *   not used; a CSV row without 調査日 is never stale.
 */
import { addDays } from '../core/dates.js';

/** An account as a source knows it: its key and the date of that knowledge. */
export interface KnownAccount {
  branchCode: string;
  accountType: string;
  accountNumber: string;
  /** 照会基準日 of its answer, 調査日 of its CSV row, or null (a CSV row without 調査日) */
  date: string | null;
}

/** An answered inquiry about one taxpayer at one bank. */
export interface AnswerKnowledge<T extends KnownAccount> {
  /** 照会基準日 (ISO) */
  date: string;
  /** 照会ファイル番号 of the file the inquiry was in */
  fileNumber: number;
  /** 回答区分 '1'..'4' */
  code: string;
  /** the accounts it reported (回答区分 1) */
  accounts: readonly T[];
}

/** 回答区分 that carry knowledge: 1 該当あり, 2 該当なし (3 and 4 change nothing). */
export function isKnowledgeAnswer(code: string): boolean {
  return code === '1' || code === '2';
}

/** b is newer than a: later 照会基準日, or the same date and a higher file number. */
export function isNewerAnswer(a: { date: string; fileNumber: number }, b: { date: string; fileNumber: number }): boolean {
  return b.date > a.date || (b.date === a.date && b.fileNumber > a.fileNumber);
}

/** The newest answer with 回答区分 1 or 2, or null. */
export function newestAnswer<A extends { date: string; fileNumber: number; code: string }>(answers: readonly A[]): A | null {
  let best: A | null = null;
  for (const a of answers) if (isKnowledgeAnswer(a.code) && (best === null || isNewerAnswer(best, a))) best = a;
  return best;
}

/**
 * The accounts known at one bank: `csv` (the active `accounts.csv` rows there) weighed
 * against `answers` (any number; only the newest of 回答区分 1/2 counts). Returns `csv`
 * itself when no answer carries knowledge. Order: the answer's accounts, then the CSV
 * rows kept (callers order by 支店, 種目, 口座番号).
 */
export function knownAccounts<T extends KnownAccount>(csv: readonly T[], answers: readonly AnswerKnowledge<T>[]): readonly T[] {
  const answer = newestAnswer(answers);
  if (answer === null) return csv;
  const newerCsv = csv.filter((c) => c.date !== null && c.date > answer.date);
  if (newerCsv.length === 0) return answer.code === '1' ? answer.accounts : [];
  const key = (a: KnownAccount): string => `${a.branchCode}\u0000${a.accountType}\u0000${a.accountNumber}`;
  const newer = new Set(newerCsv.map(key));
  const fromAnswer = answer.code === '1' ? answer.accounts.filter((a) => !newer.has(key(a))) : [];
  return [...fromAnswer, ...newerCsv];
}

/**
 * The first knowledge date still usable on `processingDate` with `maxAge` days: an
 * account known on a date before it is stale (more than maxAge days before).
 */
export function staleBefore(processingDate: string, maxAge: number): string {
  return addDays(processingDate, -maxAge);
}

/** Known on a date before `cutoff` (staleBefore); an undated CSV row is never stale. */
export function isStale(date: string | null, cutoff: string): boolean {
  return date !== null && date < cutoff;
}

/** Default of `extract --max-account-age` (days). */
export const DEFAULT_MAX_ACCOUNT_AGE = 180;
