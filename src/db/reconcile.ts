/**
 * Queries of reconciliation (充当・消込): reading what each request collected and
 * what its covered debts owe, booking receipts and overpayments, and the deposit
 * matching tables. Synchronous; meant to run inside the step's one transaction
 * (src/steps/reconcile/reconcile.ts, src/db/deposit-matches.ts).
 */
import type { PrincipalPayment } from '../domain/entaikin.js';
import type { DepositMatch, StatementDeposit } from '../domain/deposit-matching.js';
import type { Db } from './connection.js';
import { receiptTotals } from './report.js';

export interface BatchRow {
  id: string;
  bankCode: string;
  state: string;
  collectionMode: string;
  executionDate: string;
}

export function getBatchRow(db: Db, batchId: string): BatchRow | undefined {
  return db
    .prepare(
      `SELECT id, bank_code AS bankCode, state, collection_mode AS collectionMode, execution_date AS executionDate
       FROM batches WHERE id = ?`,
    )
    .get(batchId) as BatchRow | undefined;
}

/** Move a batch from one state to another; false when it was not in `from`. */
export function setBatchState(db: Db, batchId: string, from: string, to: string, at: string): boolean {
  return db.prepare('UPDATE batches SET state = ?, updated_at = ? WHERE id = ? AND state = ?').run(to, at, batchId, from).changes === 1;
}

/** Request ids of a batch in pages (keyset), for bounded memory. */
export function requestIdPage(db: Db, batchId: string, afterId: number, size: number): { last: number | null } {
  const row = db
    .prepare(`SELECT MAX(id) AS last FROM (SELECT id FROM requests WHERE +batch_id = ? AND id > ? ORDER BY id LIMIT ?)`)
    .get(batchId, afterId, size) as { last: number | null };
  return row;
}

export interface CollectionRow {
  requestId: number;
  atena: string;
  date: string | null;
  amount: number;
}

/** A CollectionRow as an array (raw, no object per row): [requestId, atena, date, amount]. */
export type CollectionRaw = [requestId: number, atena: string, date: string | null, amount: number];

/**
 * A 取立保留 (deferred) seizure batch collects through instruction results, not through its
 * seizure result (which seized and collected 0): the rows of instruction_records answered
 * 01 with money, of instruction batches not cancelled (instruction-120.md "What an
 * imported instruction result means"). `ir` instruction_records, `ib` its batch.
 */
const INSTRUCTION_COLLECTED = `ir.result_code = '01' AND ir.collected_amount > 0 AND ib.state <> 'cancelled'`;

/**
 * Per request and 取立日, the money collected (> 0), ordered by request id then date. Raw
 * rows. `deferred`: from the instruction results of the batch's held records (an
 * immediate batch reads its request records exactly as before).
 */
export function collectionsInRange(db: Db, deferred = false): (batchId: string, fromId: number, toId: number) => CollectionRaw[] {
  const st = db
    .prepare(
      deferred
        ? `SELECT ir.request_id AS requestId, r.atena AS atena, ir.collection_date AS date, SUM(ir.collected_amount) AS amount
     FROM requests r JOIN instruction_records ir ON ir.request_id = r.id JOIN batches ib ON ib.id = ir.batch_id
     WHERE +r.batch_id = ? AND r.id > ? AND r.id <= ? AND ${INSTRUCTION_COLLECTED}
     GROUP BY ir.request_id, ir.collection_date
     ORDER BY ir.request_id, ir.collection_date`
        : `SELECT rr.request_id AS requestId, r.atena AS atena, rr.collection_date AS date, SUM(rr.collected_amount) AS amount
     FROM requests r JOIN request_records rr ON rr.request_id = r.id
     WHERE +r.batch_id = ? AND r.id > ? AND r.id <= ? AND rr.collected_amount > 0
     GROUP BY rr.request_id, rr.collection_date
     ORDER BY rr.request_id, rr.collection_date`,
    )
    .raw(true);
  return (batchId, fromId, toId) => st.all(batchId, fromId, toId) as CollectionRaw[];
}

/** Whether a seizure batch collects through instruction results (取立保留). */
export function isDeferredBatch(db: Db, batchId: string): boolean {
  return (db.prepare(`SELECT collection_mode AS m FROM batches WHERE id = ?`).get(batchId) as { m: string | null } | undefined)?.m === 'deferred';
}

export interface CoveredDebtRow {
  requestId: number;
  chotei: string;
  dueDate: string;
  entaikinKind: 0 | 1;
  hasHistory: number;
  honzei: number;
  honzeiPaid: number;
  fee: number;
  feePaid: number;
  entaikinPaid: number;
  /** receipts this product booked that the export does not yet include: 'date:honzei:fee:entaikin' joined by spaces, or null */
  notIncluded: string | null;
  /** export payment history (when has_history and 延滞金 applies): 'date:honzei' joined by spaces, or null */
  history: string | null;
}

/**
 * A CoveredDebtRow as an array (raw), in this column order:
 * [requestId, chotei, dueDate, entaikinKind, hasHistory, honzei, honzeiPaid, fee, feePaid, entaikinPaid, notIncluded, history]
 */
export type CoveredDebtRaw = [
  requestId: number,
  chotei: string,
  dueDate: string,
  entaikinKind: number,
  hasHistory: number,
  honzei: number,
  honzeiPaid: number,
  fee: number,
  feePaid: number,
  entaikinPaid: number,
  notIncluded: string | null,
  history: string | null,
];

/** Column positions of CoveredDebtRaw. */
export const CD = {
  requestId: 0,
  chotei: 1,
  dueDate: 2,
  entaikinKind: 3,
  hasHistory: 4,
  honzei: 5,
  honzeiPaid: 6,
  fee: 7,
  feePaid: 8,
  entaikinPaid: 9,
  notIncluded: 10,
  history: 11,
} as const;

/** The debt's outstanding amounts and principal history (see docs/allocation-policy.md). */
export interface CoveredDebtState {
  honzeiOut: number;
  feeOut: number;
  entaikinPaid: number;
  principal: number;
  payments: PrincipalPayment[];
}

/**
 * The debts covered by the given requests (those with money collected, ascending
 * ids, read just before from collectionsInRange — so no request_records probe per
 * request here). Outstanding = export values − not-included receipts (the
 * debt_outstanding rule, evaluated per debt through the partial index). Raw rows
 * (CoveredDebtRaw), grouped by request in the order of the ids (the allocation
 * policy orders a request's debts itself).
 */
export function coveredDebtsOf(db: Db): (requestIds: readonly number[]) => CoveredDebtRaw[] {
  const st = db
    .prepare(
      `SELECT rd.request_id AS requestId, d.chotei AS chotei, d.due_date AS dueDate, d.entaikin_kind AS entaikinKind,
            d.has_history AS hasHistory, d.honzei AS honzei, d.honzei_paid AS honzeiPaid, d.fee AS fee, d.fee_paid AS feePaid,
            d.entaikin_paid AS entaikinPaid,
            (SELECT group_concat(c.receipt_date || ':' || c.honzei || ':' || c.fee || ':' || c.entaikin, ' ')
               FROM receipts c WHERE c.chotei = d.chotei AND c.included_import_id IS NULL) AS notIncluded,
            CASE WHEN d.has_history = 1 AND d.entaikin_kind = 1 THEN (
              SELECT group_concat(p.paid_date || ':' || p.honzei, ' ') FROM payments p WHERE p.chotei = d.chotei AND p.honzei > 0
            ) END AS history
     FROM json_each(?) j
     JOIN request_debts rd ON rd.request_id = j.value
     JOIN debts d ON d.chotei = rd.chotei`,
    )
    .raw(true);
  return (requestIds) => {
    if (requestIds.length === 0) return [];
    const rows = st.all(JSON.stringify(requestIds)) as CoveredDebtRaw[];
    // The plan walks the id list in order (so this is already grouped); SQL does not
    // promise it without ORDER BY (which would add a sort), so check and sort if not.
    for (let i = 1; i < rows.length; i++) {
      if ((rows[i] as CoveredDebtRaw)[0] < (rows[i - 1] as CoveredDebtRaw)[0]) {
        rows.sort((x, y) => x[0] - y[0]);
        break;
      }
    }
    return rows;
  };
}

/**
 * Outstanding amounts (export − not-included receipts, the debt_outstanding rule) and
 * the principal history for 延滞金 of a covered debt (a CoveredDebtRow or its raw array).
 */
export function coveredDebtState(input: CoveredDebtRow | CoveredDebtRaw): CoveredDebtState {
  const raw = Array.isArray(input);
  const hasHistory = raw ? input[CD.hasHistory] : input.hasHistory;
  const honzei = raw ? input[CD.honzei] : input.honzei;
  const honzeiPaid = raw ? input[CD.honzeiPaid] : input.honzeiPaid;
  const fee = raw ? input[CD.fee] : input.fee;
  const feePaid = raw ? input[CD.feePaid] : input.feePaid;
  const entaikinPaid = raw ? input[CD.entaikinPaid] : input.entaikinPaid;
  const notIncluded = raw ? input[CD.notIncluded] : input.notIncluded;
  const history = raw ? input[CD.history] : input.history;
  let rHonzei = 0;
  let rFee = 0;
  let rEntaikin = 0;
  const payments: PrincipalPayment[] = [];
  if (history !== null) {
    for (const item of history.split(' ')) {
      const [date, h] = item.split(':');
      payments.push({ date: date as string, honzei: Number(h) });
    }
  }
  if (notIncluded !== null) {
    for (const item of notIncluded.split(' ')) {
      const [date, h, f, e] = item.split(':');
      rHonzei += Number(h);
      rFee += Number(f);
      rEntaikin += Number(e);
      if (Number(h) > 0) payments.push({ date: date as string, honzei: Number(h) });
    }
  }
  // With a payment history the base starts at the full 本税 and drops at each payment;
  // without one, the export's outstanding 本税 is taken as outstanding since 納期限
  // (it can only under-state 延滞金; the report says so).
  const principal = hasHistory === 1 ? honzei : Math.max(0, honzei - honzeiPaid);
  return {
    honzeiOut: Math.max(0, honzei - honzeiPaid - rHonzei),
    feeOut: Math.max(0, fee - feePaid - rFee),
    entaikinPaid: entaikinPaid + rEntaikin,
    principal,
    payments,
  };
}

/**
 * Receipts of one batch, one prepared single-row INSERT per receipt with positional
 * arguments (no object per row). Measured: a multi-row INSERT (16–128 rows per
 * statement) was slower here, not faster.
 */
export function receiptWriter(
  db: Db,
  batchId: string,
): (requestId: number, chotei: string, atena: string, date: string, honzei: number, entaikin: number, fee: number) => void {
  const st = db.prepare(
    `INSERT INTO receipts (batch_id, request_id, chotei, atena, receipt_date, honzei, entaikin, fee)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (requestId, chotei, atena, date, honzei, entaikin, fee) => {
    st.run(batchId, requestId, chotei, atena, date, honzei, entaikin, fee);
  };
}

export function overpaymentInserter(db: Db): (batchId: string, requestId: number, atena: string, date: string, amount: number) => void {
  const st = db.prepare('INSERT INTO overpayments (batch_id, request_id, atena, collection_date, amount) VALUES (?, ?, ?, ?, ?)');
  return (batchId, requestId, atena, date, amount) => {
    st.run(batchId, requestId, atena, date, amount);
  };
}

export function countBooked(db: Db, batchId: string): { receipts: number; overpayments: number } {
  const r = db.prepare('SELECT COUNT(*) AS n FROM receipts WHERE batch_id = ?').get(batchId) as { n: number };
  const o = db.prepare('SELECT COUNT(*) AS n FROM overpayments WHERE batch_id = ?').get(batchId) as { n: number };
  return { receipts: r.n, overpayments: o.n };
}

export interface BookedTotals {
  collected: number;
  receiptCount: number;
  honzei: number;
  entaikin: number;
  fee: number;
  overpaymentCount: number;
  overpayment: number;
}

export function bookedTotals(db: Db, batchId: string): BookedTotals {
  const c = db
    .prepare(
      isDeferredBatch(db, batchId)
        ? `SELECT COALESCE(SUM(ir.collected_amount), 0) AS collected FROM requests r JOIN instruction_records ir ON ir.request_id = r.id
       JOIN batches ib ON ib.id = ir.batch_id WHERE r.batch_id = ? AND ${INSTRUCTION_COLLECTED}`
        : `SELECT COALESCE(SUM(rr.collected_amount), 0) AS collected FROM requests r JOIN request_records rr ON rr.request_id = r.id
       WHERE r.batch_id = ? AND rr.collected_amount > 0`,
    )
    .get(batchId) as { collected: number };
  const r = receiptTotals(db, batchId);
  return { collected: c.collected, receiptCount: r.count, honzei: r.honzei, entaikin: r.entaikin, fee: r.fee, overpaymentCount: r.overpaymentCount, overpayment: r.overpayment };
}

/** A debt the latest export no longer lists (debts.active = 0) that a batch booked money to. */
export interface InactiveDebtReceipt {
  atena: string;
  chotei: string;
  /** Σ honzei + entaikin + fee booked to it by the batch */
  amount: number;
}

/**
 * The batch's receipts on debts that are inactive now (issue 13, item 14), by 宛名番号
 * and 調定番号, at most `limit` rows (and the count of all). Walks the inactive debts
 * (few; one pass over debts, materialized) and finds their receipts through the two partial
 * 調定番号 indexes of receipts, rather than probing a debt per receipt of the batch.
 */
export function inactiveDebtReceipts(db: Db, batchId: string, limit = 500): { count: number; rows: InactiveDebtReceipt[] } {
  const booked = (included: string) =>
    `SELECT c.atena AS atena, c.chotei AS chotei, c.honzei + c.entaikin + c.fee AS amount
     FROM gone g CROSS JOIN receipts c
     WHERE c.chotei = g.chotei AND c.included_import_id ${included} AND c.batch_id = ?`;
  const all = db
    .prepare(
      `WITH gone AS MATERIALIZED (SELECT chotei FROM debts WHERE active = 0)
       SELECT atena, chotei, SUM(amount) AS amount FROM (${booked('IS NULL')} UNION ALL ${booked('IS NOT NULL')})
       GROUP BY atena, chotei ORDER BY atena, chotei`,
    )
    .all(batchId, batchId) as InactiveDebtReceipt[];
  return { count: all.length, rows: all.slice(0, limit) };
}

// ---------------------------------------------------------------------------
// Deposit matching

/** The batch's total collected per 取立日 (dates with money only), in date order; a deferred batch's from its instruction results. */
export function collectedByDate(db: Db, batchId: string): Array<{ date: string; collected: number }> {
  return db
    .prepare(
      isDeferredBatch(db, batchId)
        ? `SELECT ir.collection_date AS date, SUM(ir.collected_amount) AS collected
       FROM batches ib JOIN instruction_records ir ON ir.batch_id = ib.id
       WHERE ib.seizure_batch_id = ? AND ib.kind = 'instruction' AND ${INSTRUCTION_COLLECTED} AND ir.collection_date IS NOT NULL
       GROUP BY ir.collection_date ORDER BY ir.collection_date`
        : `SELECT rr.collection_date AS date, SUM(rr.collected_amount) AS collected
       FROM requests r JOIN request_records rr ON rr.request_id = r.id
       WHERE r.batch_id = ? AND rr.collected_amount > 0 AND rr.collection_date IS NOT NULL
       GROUP BY rr.collection_date ORDER BY rr.collection_date`,
    )
    .all(batchId) as Array<{ date: string; collected: number }>;
}

/**
 * A batch of several files: each file's total collected per 取立日 (a bank pays one
 * deposit per file and date). Empty for a batch of one file (its per-date totals say it).
 */
export function collectedByFileAndDate(db: Db, batchId: string): Array<{ fileNumber: number; date: string; collected: number }> {
  if (isDeferredBatch(db, batchId)) {
    if (collectingFileNumbers(db, batchId).length < 2) return [];
    // a deferred batch collects through its instruction files: one deposit per instruction file and 取立日
    return db
      .prepare(
        `SELECT bf.file_number AS fileNumber, ir.collection_date AS date, SUM(ir.collected_amount) AS collected
         FROM batches ib JOIN batch_files bf ON bf.batch_id = ib.id
         JOIN instruction_records ir ON ir.batch_id = ib.id AND ir.seq BETWEEN bf.first_request AND bf.last_request
         WHERE ib.seizure_batch_id = ? AND ib.kind = 'instruction' AND ${INSTRUCTION_COLLECTED} AND ir.collection_date IS NOT NULL
         GROUP BY bf.file_number, ir.collection_date ORDER BY ir.collection_date, bf.file_number`,
      )
      .all(batchId) as Array<{ fileNumber: number; date: string; collected: number }>;
  }
  const files = (db.prepare('SELECT COUNT(*) AS n FROM batch_files WHERE batch_id = ?').get(batchId) as { n: number }).n;
  if (files < 2) return [];
  return db
    .prepare(
      `SELECT bf.file_number AS fileNumber, rr.collection_date AS date, SUM(rr.collected_amount) AS collected
       FROM batch_files bf
       JOIN requests r ON r.batch_id = bf.batch_id AND r.request_number BETWEEN bf.first_request AND bf.last_request
       JOIN request_records rr ON rr.request_id = r.id
       WHERE bf.batch_id = ? AND rr.collected_amount > 0 AND rr.collection_date IS NOT NULL
       GROUP BY bf.file_number, rr.collection_date ORDER BY rr.collection_date, bf.file_number`,
    )
    .all(batchId) as Array<{ fileNumber: number; date: string; collected: number }>;
}

/** File numbers of a batch, in file order. */
export function fileNumbersOf(db: Db, batchId: string): number[] {
  return (db.prepare('SELECT file_number AS n FROM batch_files WHERE batch_id = ? ORDER BY seq').all(batchId) as Array<{ n: number }>).map((r) => r.n);
}

/**
 * The files whose collections the bank pays (one deposit per file and 取立日): a seizure
 * batch's own files; a deferred batch's instruction files (not cancelled).
 */
export function collectingFileNumbers(db: Db, batchId: string): number[] {
  if (!isDeferredBatch(db, batchId)) return fileNumbersOf(db, batchId);
  return (
    db
      .prepare(
        `SELECT bf.file_number AS n FROM batches ib JOIN batch_files bf ON bf.batch_id = ib.id
         WHERE ib.seizure_batch_id = ? AND ib.kind = 'instruction' AND ib.state <> 'cancelled' ORDER BY bf.file_number`,
      )
      .all(batchId) as Array<{ n: number }>
  ).map((r) => r.n);
}

/** File numbers of a batch whose results are not imported yet, in file order. */
export function filesWithoutResults(db: Db, batchId: string): number[] {
  return (
    db.prepare('SELECT file_number AS n FROM batch_files WHERE batch_id = ? AND results_import_id IS NULL ORDER BY seq').all(batchId) as Array<{
      n: number;
    }>
  ).map((r) => r.n);
}

export interface DepositAccount {
  bankCode: string;
  branch: string;
  type: string;
  number: string;
}

export function depositAccountOf(db: Db, bankCode: string): DepositAccount | undefined {
  const row = db
    .prepare(
      `SELECT bank_code AS bankCode, deposit_branch AS branch, deposit_account_type AS type, deposit_account_number AS number
       FROM bank_settings WHERE bank_code = ?`,
    )
    .get(bankCode) as DepositAccount | undefined;
  return row;
}

/** Account numbers compare without leading zeros (some banks pad 7 digits into 10). */
const ACCOUNT_MATCH = `bank_code = ? AND branch_code = ? AND account_type = ?
  AND ltrim(account_number, '0') = ltrim(?, '0')`;

/** Has any statement of the city's deposit account at that bank been imported? */
export function statementExists(db: Db, acct: DepositAccount): boolean {
  return (
    db.prepare(`SELECT 1 FROM statement_entries WHERE ${ACCOUNT_MATCH} LIMIT 1`).get(acct.bankCode, acct.branch, acct.type, acct.number) !==
    undefined
  );
}

/** 入金 entries of the city's account on the given dates, not taken by another batch. */
export function unassignedDeposits(db: Db, acct: DepositAccount, batchId: string, dates: string[]): StatementDeposit[] {
  if (dates.length === 0) return [];
  const st = db.prepare(
    `SELECT id, inquiry_number AS inquiryNumber, value_date AS valueDate, amount FROM statement_entries
     WHERE ${ACCOUNT_MATCH} AND in_out = 1 AND value_date = ? AND (matched_batch IS NULL OR matched_batch = ?)`,
  );
  const out: StatementDeposit[] = [];
  for (const d of dates) out.push(...(st.all(acct.bankCode, acct.branch, acct.type, acct.number, d, batchId) as StatementDeposit[]));
  return out;
}

/** Replace the batch's deposit matches (idempotent) and mark the matched entries. */
export function storeDepositMatches(db: Db, batchId: string, matches: readonly DepositMatch[], taken: ReadonlyMap<string, readonly number[]>): void {
  db.prepare('UPDATE statement_entries SET matched_batch = NULL, matched_date = NULL WHERE matched_batch = ?').run(batchId);
  db.prepare('DELETE FROM deposit_matches WHERE batch_id = ?').run(batchId);
  const ins = db.prepare(
    `INSERT INTO deposit_matches (batch_id, collection_date, collected, entry_id, deposit, difference, matched)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const mark = db.prepare('UPDATE statement_entries SET matched_batch = ?, matched_date = ? WHERE id = ? AND matched_batch IS NULL');
  for (const m of matches) {
    ins.run(batchId, m.date, m.collected, m.entryId, m.deposit, m.difference, m.matched ? 1 : 0);
    // the deposits the batch takes: one per file of the date (a partly matched date of a
    // batch of several files keeps the files' exact ones)
    for (const id of taken.get(m.date) ?? []) {
      if (mark.run(batchId, m.date, id).changes !== 1) {
        throw new Error(`statement entry ${id} is already matched to another batch`);
      }
    }
  }
}

/** The statement entries a batch has taken, as "id:date" in id order (to tell a change). */
export function takenEntries(db: Db, batchId: string): string[] {
  return (
    db.prepare('SELECT id, matched_date AS date FROM statement_entries WHERE matched_batch = ? ORDER BY id').all(batchId) as Array<{ id: number; date: string }>
  ).map((r) => `${r.id}:${r.date}`);
}

export function storedDepositMatches(db: Db, batchId: string): DepositMatch[] {
  const rows = db
    .prepare(
      `SELECT collection_date AS date, collected, entry_id AS entryId, deposit, difference, matched
       FROM deposit_matches WHERE batch_id = ? ORDER BY collection_date`,
    )
    .all(batchId) as Array<Omit<DepositMatch, 'matched'> & { matched: number }>;
  return rows.map((r) => ({ ...r, matched: r.matched === 1 }));
}
