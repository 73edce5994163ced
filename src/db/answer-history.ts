/**
 * The stored form of an answered account's transaction details (schema migration 9,
 * ADR 0197): ONE answer_histories row per account that has details, its `transactions`
 * a JSON array, oldest first (the file's order, seq 1, 2, …), of
 *   [取引日 ISO, 入払区分 1 入金 | 2 出金, 取引金額, 取引後残高 (signed), 摘要]
 * Written and read only here (the writers of db/inquiries.ts, the readers of extract and
 * the report). It is JSON an SQL reader can open too: the view answer_transactions_v
 * (one row per detail, with seq) is the same reading (test/db/answer-history.test.ts).
 */

/** One detail as stored: [transaction_date, direction, amount, balance_after, description]. */
export type HistoryEntry = [date: string, direction: number, amount: number, balanceAfter: number, description: string];

/**
 * A detail's text in the array. The date is an ISO date the import made (digits and '-',
 * nothing to escape); numbers are integers; the 摘要 is escaped by JSON.stringify.
 */
export function historyEntry(date: string, direction: number, amount: number, balanceAfter: number, description: string): string {
  return `["${date}",${direction},${amount},${balanceAfter},${JSON.stringify(description)}]`;
}

/** The stored text of an account's details, given their entries (historyEntry) in order. */
export function historyText(entries: readonly string[]): string {
  return `[${entries.join(',')}]`;
}

/** The stored text after one more entry: `text` undefined for an account without details yet. Equal to historyText of all entries. */
export function historyAppend(text: string | undefined, entry: string): string {
  return text === undefined ? historyText([entry]) : `${text.slice(0, -1)},${entry}]`;
}

/** The details of a stored text, in order. */
export function readHistory(text: string): HistoryEntry[] {
  return JSON.parse(text) as HistoryEntry[];
}

/** A detail as extract and the report walk it (domain/protected-funds.ts DetailRow): [account id, direction, amount, balance_after, description]. */
export type HistoryDetail = [accountId: number, direction: number, amount: number, balanceAfter: number, description: string];

/** The details of (account id, stored text) rows, account after account, each oldest first; lazily. */
export function* historyDetails(rows: Iterable<readonly [number, string]>): Generator<HistoryDetail, void, undefined> {
  for (const [id, text] of rows) for (const e of readHistory(text)) yield [id, e[1], e[2], e[3], e[4]];
}
