/**
 * Read-only queries of the batch report (cli.md `report`) and the receipts export.
 * Aggregates are set-based (one query each); row streams use `.iterate()` and the
 * caller writes synchronously while iterating.
 */
import type { Cell, SheetColumn } from '../core/xlsx.js';
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

/** Requests of the batch and their limit total (one pass over the batch's requests). */
export function requestTotals(db: Db, batchId: string): { requests: number; limitTotal: number } {
  return db
    .prepare('SELECT COUNT(*) AS requests, COALESCE(SUM(limit_amount), 0) AS limitTotal FROM requests WHERE batch_id = ?')
    .get(batchId) as { requests: number; limitTotal: number };
}

/**
 * The batch's request records aggregated per result code and 取立日 (a handful of
 * groups), in ONE pass over the records: everything resultsByCode, seizedCollected,
 * requestedTotals.records and collectedByDate (src/db/reconcile.ts) compute, each of
 * which would otherwise read every record again.
 */
export interface RecordGroupRow {
  code: string | null;
  date: string | null;
  records: number;
  seized: number;
  collected: number;
  seizedRecords: number;
  collectedRecords: number;
  deferredRecords: number;
  deferred: number;
  /** Σ collected_amount over records with collected_amount > 0 */
  collectedPositive: number;
}

export function recordGroups(db: Db, batchId: string): RecordGroupRow[] {
  return db
    .prepare(
      `SELECT rr.result_code AS code, rr.collection_date AS date, COUNT(*) AS records,
              COALESCE(SUM(rr.seized_amount), 0) AS seized, COALESCE(SUM(rr.collected_amount), 0) AS collected,
              COALESCE(SUM(rr.seized_amount > 0), 0) AS seizedRecords, COALESCE(SUM(rr.collected_amount > 0), 0) AS collectedRecords,
              COALESCE(SUM(rr.seized_amount > 0 AND COALESCE(rr.collected_amount, 0) = 0), 0) AS deferredRecords,
              COALESCE(SUM(CASE WHEN rr.seized_amount > 0 AND COALESCE(rr.collected_amount, 0) = 0 THEN rr.seized_amount ELSE 0 END), 0) AS deferred,
              COALESCE(SUM(CASE WHEN rr.collected_amount > 0 THEN rr.collected_amount ELSE 0 END), 0) AS collectedPositive
       FROM requests r JOIN request_records rr ON rr.request_id = r.id
       WHERE r.batch_id = ?
       GROUP BY rr.result_code, rr.collection_date`,
    )
    .all(batchId) as RecordGroupRow[];
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

/**
 * receiptsByTax, plus per 税目 how many of those receipts are of a debt that
 * noHistoryDebts would list (0 everywhere: noHistoryDebts is empty, no need to ask).
 */
export function receiptsByTaxWithNoHistory(db: Db, batchId: string): Array<TaxRow & { noHistoryReceipts: number }> {
  return db
    .prepare(
      `SELECT d.tax_code AS taxCode, MIN(d.tax_name) AS taxName, COUNT(*) AS count, SUM(c.honzei) AS honzei,
              SUM(c.entaikin) AS entaikin, SUM(c.fee) AS fee,
              SUM(d.has_history = 0 AND d.entaikin_kind = 1 AND d.honzei_paid > 0) AS noHistoryReceipts
       FROM receipts c JOIN debts d ON d.chotei = c.chotei
       WHERE c.batch_id = ? GROUP BY d.tax_code ORDER BY d.tax_code`,
    )
    .all(batchId) as Array<TaxRow & { noHistoryReceipts: number }>;
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

/** A request record's account as a report lists it. accountNumber is personal: mask before showing. */
export interface ReportedAccount {
  atena: string;
  requestNumber: number;
  subNumber: number;
  branchCode: string;
  accountType: string;
  accountNumber: string;
}

export interface DeferredRow extends ReportedAccount {
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
  // driven by the batch's receipts (an index range) rather than by every debt
  const from = `FROM receipts c JOIN debts d ON d.chotei = c.chotei
       WHERE c.batch_id = ? AND d.has_history = 0 AND d.entaikin_kind = 1 AND d.honzei_paid > 0`;
  const n = db.prepare(`SELECT COUNT(DISTINCT d.chotei) AS n ${from}`).get(batchId) as { n: number };
  if (n.n === 0) return { count: 0, rows: [] };
  const rows = db.prepare(`SELECT DISTINCT d.chotei AS chotei, d.atena AS atena ${from} ORDER BY d.chotei LIMIT ?`).all(batchId, limit) as Array<{
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

/**
 * Every request record of the batch with its allocation, in 依頼番号/枝番 order
 * (streamed). Three ordered streams merged by 依頼番号 — the records, the batch's
 * receipts and its overpayments — instead of correlated subqueries per record;
 * only one request's rows are held at a time. Several read iterators may be open
 * on one connection at once; nothing is written while they are.
 */
export function* iterateRecordRows(db: Db, batchId: string): Generator<RecordReportRow, void, undefined> {
  // [requestNumber, subNumber, atena, holderName, branchCode, accountType, accountNumber, limitAmount, resultCode, seized, collected, collectionDate]
  type Rec = [number, number, string, string, string, string, string, number, string | null, number | null, number | null, string | null];
  // [requestNumber, date, chotei, honzei, entaikin, fee]
  type Rcp = [number, string, string, number, number, number];
  // [requestNumber, date, amount]
  type Ovp = [number, string, number];
  const records = db
    .prepare(
      `SELECT r.request_number, rr.sub_number, r.atena, rr.holder_name, rr.branch_code, rr.account_type, rr.account_number,
              r.limit_amount, rr.result_code, rr.seized_amount, rr.collected_amount, rr.collection_date
       FROM requests r JOIN request_records rr ON rr.request_id = r.id
       WHERE r.batch_id = ? ORDER BY r.request_number, rr.sub_number`,
    )
    .raw(true)
    .iterate(batchId) as IterableIterator<Rec>;
  // CROSS JOIN keeps requests outer: both orders come from the indexes, no sort
  const receipts = db
    .prepare(
      `SELECT r.request_number, c.receipt_date, c.chotei, c.honzei, c.entaikin, c.fee
       FROM requests r CROSS JOIN receipts c ON c.batch_id = r.batch_id AND c.request_id = r.id
       WHERE r.batch_id = ? ORDER BY r.request_number, c.receipt_date, c.id`,
    )
    .raw(true)
    .iterate(batchId) as IterableIterator<Rcp>;
  const overpayments = db
    .prepare(
      `SELECT r.request_number, o.collection_date, o.amount
       FROM requests r CROSS JOIN overpayments o ON o.batch_id = r.batch_id AND o.request_id = r.id
       WHERE r.batch_id = ? ORDER BY r.request_number, o.collection_date, o.id`,
    )
    .raw(true)
    .iterate(batchId) as IterableIterator<Ovp>;
  try {
    let nextReceipt = receipts.next();
    let nextOver = overpayments.next();
    let nextRec = records.next();
    const group: Rec[] = [];
    while (!nextRec.done) {
      const requestNumber = nextRec.value[0];
      group.length = 0;
      while (!nextRec.done && nextRec.value[0] === requestNumber) {
        group.push(nextRec.value);
        nextRec = records.next();
      }
      // this request's receipts and overpayments (streams are in the same order)
      const mine: Rcp[] = [];
      while (!nextReceipt.done && nextReceipt.value[0] <= requestNumber) {
        if (nextReceipt.value[0] === requestNumber) mine.push(nextReceipt.value);
        nextReceipt = receipts.next();
      }
      const over: Ovp[] = [];
      while (!nextOver.done && nextOver.value[0] <= requestNumber) {
        if (nextOver.value[0] === requestNumber) over.push(nextOver.value);
        nextOver = overpayments.next();
      }
      // the lowest 枝番 that collected money on each 取立日 carries that day's allocation
      const carrier = new Map<string, number>();
      for (const r of group) {
        const collected = r[10];
        const date = r[11];
        if (collected !== null && collected > 0 && date !== null) {
          const c = carrier.get(date);
          if (c === undefined || r[1] < c) carrier.set(date, r[1]);
        }
      }
      for (const r of group) {
        const date = r[11];
        const carries = date !== null && carrier.get(date) === r[1] && r[10] !== null && r[10] > 0 ? 1 : 0;
        let honzei: number | null = null;
        let entaikin: number | null = null;
        let fee: number | null = null;
        let overpayment: number | null = null;
        let breakdown: string | null = null;
        if (carries === 1) {
          honzei = 0;
          entaikin = 0;
          fee = 0;
          overpayment = 0;
          for (const c of mine) {
            if (c[1] !== date) continue;
            honzei += c[3];
            entaikin += c[4];
            fee += c[5];
            const item = `${c[2]}:${c[3]}/${c[4]}/${c[5]}`;
            breakdown = breakdown === null ? item : `${breakdown} ${item}`;
          }
          for (const o of over) if (o[1] === date) overpayment += o[2];
        }
        yield {
          requestNumber: r[0],
          subNumber: r[1],
          atena: r[2],
          holderName: r[3],
          branchCode: r[4],
          accountType: r[5],
          accountNumber: r[6],
          limitAmount: r[7],
          resultCode: r[8],
          seized: r[9],
          collected: r[10],
          collectionDate: date,
          carries,
          honzei,
          entaikin,
          fee,
          overpayment,
          breakdown,
        };
      }
    }
  } finally {
    // close whatever is still open (early exit or error), so the connection is free again
    records.return?.();
    receipts.return?.();
    overpayments.return?.();
  }
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

/** The receipts export's columns (cli.md, import-csv.md) — the CSV's and the workbook's — and the kinds of their cells in a spreadsheet (core/xlsx.ts). */
export const RECEIPT_COLUMNS: readonly SheetColumn[] = [
  { header: '調定番号', kind: 'text' },
  { header: '宛名番号', kind: 'text' },
  { header: '収納日', kind: 'date' },
  { header: '本税', kind: 'yen' },
  { header: '延滞金', kind: 'yen' },
  { header: '督促手数料', kind: 'yen' },
  { header: 'バッチID', kind: 'text' },
  { header: '依頼番号', kind: 'int' },
];

/** One receipt's cells, in RECEIPT_COLUMNS order: the CSV's line and the spreadsheet's row. */
export function receiptCells(r: ReceiptExportRow): Cell[] {
  return [r.chotei, r.atena, r.receiptDate, r.honzei, r.entaikin, r.fee, r.batchId, r.requestNumber];
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
