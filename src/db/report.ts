/**
 * Read-only queries of the batch report (cli.md `report`) and the receipts export.
 * Aggregates are set-based (one query each); row streams use `.iterate()` and the
 * caller writes synchronously while iterating.
 */
import type { Db } from './connection.js';

export interface BatchHead {
  id: string;
  bankCode: string;
  state: string;
  collectionMode: string;
  executionDate: string;
  fileNumber: number | null;
}

export function batchHead(db: Db, batchId: string): BatchHead | undefined {
  return db
    .prepare(
      `SELECT b.id AS id, b.bank_code AS bankCode, b.state AS state, b.collection_mode AS collectionMode,
              b.execution_date AS executionDate,
              (SELECT MIN(f.file_number) FROM batch_files f WHERE f.batch_id = b.id) AS fileNumber
       FROM batches b WHERE b.id = ?`,
    )
    .get(batchId) as BatchHead | undefined;
}

export function requestedTotals(db: Db, batchId: string): { requests: number; records: number; limitTotal: number } {
  return db
    .prepare(
      `SELECT COUNT(*) AS requests, COALESCE(SUM(limit_amount), 0) AS limitTotal,
              COALESCE(SUM((SELECT COUNT(*) FROM request_records rr WHERE rr.request_id = r.id)), 0) AS records
       FROM requests r WHERE r.batch_id = ?`,
    )
    .get(batchId) as { requests: number; records: number; limitTotal: number };
}

export interface ResultRow {
  code: string;
  records: number;
  seized: number;
  collected: number;
}

export function resultsByCode(db: Db, batchId: string): ResultRow[] {
  return db
    .prepare(
      `SELECT rr.result_code AS code, COUNT(*) AS records, COALESCE(SUM(rr.seized_amount), 0) AS seized,
              COALESCE(SUM(rr.collected_amount), 0) AS collected
       FROM requests r JOIN request_records rr ON rr.request_id = r.id
       WHERE r.batch_id = ? AND rr.result_code IS NOT NULL
       GROUP BY rr.result_code ORDER BY rr.result_code`,
    )
    .all(batchId) as ResultRow[];
}

export function seizedCollected(db: Db, batchId: string): { seizedRecords: number; seized: number; collectedRecords: number; collected: number; deferredRecords: number; deferred: number } {
  return db
    .prepare(
      `SELECT COALESCE(SUM(rr.seized_amount > 0), 0) AS seizedRecords, COALESCE(SUM(rr.seized_amount), 0) AS seized,
              COALESCE(SUM(rr.collected_amount > 0), 0) AS collectedRecords, COALESCE(SUM(rr.collected_amount), 0) AS collected,
              COALESCE(SUM(rr.seized_amount > 0 AND COALESCE(rr.collected_amount, 0) = 0), 0) AS deferredRecords,
              COALESCE(SUM(CASE WHEN rr.seized_amount > 0 AND COALESCE(rr.collected_amount, 0) = 0 THEN rr.seized_amount ELSE 0 END), 0) AS deferred
       FROM requests r JOIN request_records rr ON rr.request_id = r.id
       WHERE r.batch_id = ?`,
    )
    .get(batchId) as { seizedRecords: number; seized: number; collectedRecords: number; collected: number; deferredRecords: number; deferred: number };
}

export function receiptTotals(db: Db, batchId: string): { count: number; honzei: number; entaikin: number; fee: number; overpayment: number; overpaymentCount: number } {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS count, COALESCE(SUM(honzei), 0) AS honzei, COALESCE(SUM(entaikin), 0) AS entaikin, COALESCE(SUM(fee), 0) AS fee
       FROM receipts WHERE batch_id = ?`,
    )
    .get(batchId) as { count: number; honzei: number; entaikin: number; fee: number };
  const o = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(amount), 0) AS a FROM overpayments WHERE batch_id = ?').get(batchId) as {
    n: number;
    a: number;
  };
  return { ...r, overpayment: o.a, overpaymentCount: o.n };
}

export interface TaxRow {
  taxCode: string;
  taxName: string;
  count: number;
  honzei: number;
  entaikin: number;
  fee: number;
}

export function receiptsByTax(db: Db, batchId: string): TaxRow[] {
  return db
    .prepare(
      `SELECT d.tax_code AS taxCode, MIN(d.tax_name) AS taxName, COUNT(*) AS count, SUM(c.honzei) AS honzei,
              SUM(c.entaikin) AS entaikin, SUM(c.fee) AS fee
       FROM receipts c JOIN debts d ON d.chotei = c.chotei
       WHERE c.batch_id = ? GROUP BY d.tax_code ORDER BY d.tax_code`,
    )
    .all(batchId) as TaxRow[];
}

export interface OverpaymentRow {
  atena: string;
  requestNumber: number;
  date: string;
  amount: number;
}

export function overpaymentList(db: Db, batchId: string, limit: number): OverpaymentRow[] {
  return db
    .prepare(
      `SELECT o.atena AS atena, r.request_number AS requestNumber, o.collection_date AS date, o.amount AS amount
       FROM overpayments o JOIN requests r ON r.id = o.request_id
       WHERE o.batch_id = ? ORDER BY r.request_number, o.collection_date LIMIT ?`,
    )
    .all(batchId, limit) as OverpaymentRow[];
}

export interface DeferredRow {
  atena: string;
  requestNumber: number;
  subNumber: number;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  resultCode: string;
  seized: number;
}

/** Records seized but not collected (取立保留). accountNumber is personal: mask before showing. */
export function deferredList(db: Db, batchId: string, limit: number): DeferredRow[] {
  return db
    .prepare(
      `SELECT r.atena AS atena, r.request_number AS requestNumber, rr.sub_number AS subNumber, rr.branch_code AS branchCode,
              rr.account_type AS accountType, rr.account_number AS accountNumber, rr.result_code AS resultCode, rr.seized_amount AS seized
       FROM requests r JOIN request_records rr ON rr.request_id = r.id
       WHERE r.batch_id = ? AND rr.seized_amount > 0 AND COALESCE(rr.collected_amount, 0) = 0
       ORDER BY r.request_number, rr.sub_number LIMIT ?`,
    )
    .all(batchId, limit) as DeferredRow[];
}

/**
 * Debts that received 延滞金-bearing receipts in this batch but have no payment
 * history in the export: their 延滞金 was computed as if the outstanding 本税 had
 * been outstanding since 納期限, which can only under-state it.
 */
export function noHistoryDebts(db: Db, batchId: string, limit: number): { count: number; rows: Array<{ chotei: string; atena: string }> } {
  const where = `FROM debts d WHERE d.has_history = 0 AND d.entaikin_kind = 1 AND d.honzei_paid > 0
       AND d.chotei IN (SELECT c.chotei FROM receipts c WHERE c.batch_id = ?)`;
  const n = db.prepare(`SELECT COUNT(*) AS n ${where}`).get(batchId) as { n: number };
  const rows = db.prepare(`SELECT d.chotei AS chotei, d.atena AS atena ${where} ORDER BY d.chotei LIMIT ?`).all(batchId, limit) as Array<{
    chotei: string;
    atena: string;
  }>;
  return { count: n.n, rows };
}

export interface UnmatchedDepositRow {
  id: number;
  inquiryNumber: string;
  valueDate: string;
  amount: number;
}

/** 入金 entries of the city's account on the batch's collection dates that no batch has taken. */
export function unmatchedDepositsOnDates(
  db: Db,
  acct: { bankCode: string; branch: string; type: string; number: string },
  dates: string[],
): UnmatchedDepositRow[] {
  const st = db.prepare(
    `SELECT id, inquiry_number AS inquiryNumber, value_date AS valueDate, amount FROM statement_entries
     WHERE bank_code = ? AND branch_code = ? AND account_type = ? AND ltrim(account_number, '0') = ltrim(?, '0')
       AND in_out = 1 AND value_date = ? AND matched_batch IS NULL ORDER BY inquiry_number`,
  );
  const out: UnmatchedDepositRow[] = [];
  for (const d of dates) out.push(...(st.all(acct.bankCode, acct.branch, acct.type, acct.number, d) as UnmatchedDepositRow[]));
  return out;
}

/** The allocation policy recorded when the batch was reconciled (audit log), if any. */
export function reconcilePolicy(db: Db, batchId: string): string | null {
  const row = db
    .prepare(`SELECT details FROM audit_log WHERE batch_id = ? AND action = 'batch.reconcile' ORDER BY id DESC LIMIT 1`)
    .get(batchId) as { details: string } | undefined;
  if (row === undefined) return null;
  const p = (JSON.parse(row.details) as { policy?: unknown }).policy;
  return typeof p === 'string' ? p : null;
}

export interface RecordReportRow {
  requestNumber: number;
  subNumber: number;
  atena: string;
  holderName: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  limitAmount: number;
  resultCode: string | null;
  seized: number | null;
  collected: number | null;
  collectionDate: string | null;
  /** 1 on the record that carries the allocation of its request and 取立日 (lowest 枝番 with money that day) */
  carries: number;
  honzei: number | null;
  entaikin: number | null;
  fee: number | null;
  overpayment: number | null;
  breakdown: string | null;
}

/** Every request record of the batch with its allocation, in 依頼番号/枝番 order (streamed). */
export function iterateRecordRows(db: Db, batchId: string): IterableIterator<RecordReportRow> {
  return db
    .prepare(
      `WITH rec AS (
         SELECT r.id AS rid, r.request_number AS requestNumber, rr.sub_number AS subNumber, r.atena AS atena, rr.holder_name AS holderName,
                rr.branch_code AS branchCode, rr.account_type AS accountType, rr.account_number AS accountNumber,
                r.limit_amount AS limitAmount, rr.result_code AS resultCode, rr.seized_amount AS seized,
                rr.collected_amount AS collected, rr.collection_date AS collectionDate,
                CASE WHEN rr.collected_amount > 0 AND rr.sub_number = (
                  SELECT MIN(x.sub_number) FROM request_records x
                  WHERE x.request_id = rr.request_id AND x.collected_amount > 0 AND x.collection_date = rr.collection_date)
                THEN 1 ELSE 0 END AS carries
         FROM requests r JOIN request_records rr ON rr.request_id = r.id
         WHERE r.batch_id = @b
       )
       SELECT requestNumber, subNumber, atena, holderName, branchCode, accountType, accountNumber, limitAmount, resultCode, seized,
              collected, collectionDate, carries,
              CASE WHEN carries = 1 THEN (SELECT COALESCE(SUM(c.honzei), 0) FROM receipts c WHERE c.batch_id = @b AND c.request_id = rid AND c.receipt_date = collectionDate) END AS honzei,
              CASE WHEN carries = 1 THEN (SELECT COALESCE(SUM(c.entaikin), 0) FROM receipts c WHERE c.batch_id = @b AND c.request_id = rid AND c.receipt_date = collectionDate) END AS entaikin,
              CASE WHEN carries = 1 THEN (SELECT COALESCE(SUM(c.fee), 0) FROM receipts c WHERE c.batch_id = @b AND c.request_id = rid AND c.receipt_date = collectionDate) END AS fee,
              CASE WHEN carries = 1 THEN (SELECT COALESCE(SUM(o.amount), 0) FROM overpayments o WHERE o.batch_id = @b AND o.request_id = rid AND o.collection_date = collectionDate) END AS overpayment,
              CASE WHEN carries = 1 THEN (SELECT group_concat(c.chotei || ':' || c.honzei || '/' || c.entaikin || '/' || c.fee, ' ')
                                          FROM (SELECT * FROM receipts c2 WHERE c2.batch_id = @b AND c2.request_id = rid AND c2.receipt_date = collectionDate ORDER BY c2.id) c) END AS breakdown
       FROM rec ORDER BY requestNumber, subNumber`,
    )
    .iterate({ b: batchId }) as IterableIterator<RecordReportRow>;
}

export interface ReceiptExportRow {
  id: number;
  chotei: string;
  atena: string;
  receiptDate: string;
  honzei: number;
  entaikin: number;
  fee: number;
  batchId: string;
  requestNumber: number;
  exportedAt: string | null;
}

export function iterateReceipts(db: Db, batchId: string): IterableIterator<ReceiptExportRow> {
  return db
    .prepare(
      `SELECT c.id AS id, c.chotei AS chotei, c.atena AS atena, c.receipt_date AS receiptDate, c.honzei AS honzei, c.entaikin AS entaikin,
              c.fee AS fee, c.batch_id AS batchId, r.request_number AS requestNumber, c.exported_at AS exportedAt
       FROM receipts c JOIN requests r ON r.id = c.request_id
       WHERE c.batch_id = ? ORDER BY r.request_number, c.receipt_date, c.id`,
    )
    .iterate(batchId) as IterableIterator<ReceiptExportRow>;
}

/** Mark the batch's receipts exported (keeps the first export time). Returns how many were already exported. */
export function markReceiptsExported(db: Db, batchId: string, at: string): { marked: number; already: number } {
  const already = (db.prepare('SELECT COUNT(*) AS n FROM receipts WHERE batch_id = ? AND exported_at IS NOT NULL').get(batchId) as { n: number }).n;
  const marked = db.prepare('UPDATE receipts SET exported_at = ? WHERE batch_id = ? AND exported_at IS NULL').run(at, batchId).changes;
  return { marked, already };
}
