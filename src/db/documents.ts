/**
 * The data of legal documents (issue 17, docs/documents.md): which requests of a seizure
 * batch get a document of each kind, their stable numbers (document_numbers, migration 6)
 * and the page data, read one page of requests at a time (keyset by 依頼番号) so that
 * memory stays flat however large the batch.
 */
import type { Db } from './connection.js';

export type DocumentKind = 'seizure-record' | 'notice' | 'release';

/** Which requests of a batch a kind documents (SQL over `requests r`). */
const ELIGIBLE: Readonly<Record<DocumentKind, string>> = {
  // 差押調書: a request whose results seized money (結果コード 01/02/21, 差押金額 > 0)
  'seizure-record': `EXISTS (SELECT 1 FROM request_records rr WHERE rr.request_id = r.id AND rr.result_code IN ('01','02','21') AND rr.seized_amount > 0)`,
  // 債権差押通知書: every request of the batch
  notice: '1',
  // 差押解除通知書: a request with a released amount in an imported instruction result (01) of a batch not cancelled
  release: `EXISTS (SELECT 1 FROM instruction_records ir JOIN batches ib ON ib.id = ir.batch_id
                    WHERE ir.request_id = r.id AND ib.state <> 'cancelled' AND ir.result_code = '01' AND ir.release_amount > 0)`,
};

/** How many requests of the batch a kind would document. */
export function countDocumentable(db: Db, batchId: string, kind: DocumentKind): number {
  return (db.prepare(`SELECT COUNT(*) AS n FROM requests r WHERE r.batch_id = ? AND ${ELIGIBLE[kind]}`).get(batchId) as { n: number }).n;
}

/**
 * Give every documentable request of the batch that has no number of this kind yet the
 * next numbers of the kind's sequence, in 依頼番号 order (one statement). Existing numbers
 * are kept: a reprint prints the same numbers. Returns how many were given.
 */
export function assignDocumentNumbers(db: Db, batchId: string, kind: DocumentKind, at: string): number {
  return db
    .prepare(
      `INSERT INTO document_numbers (batch_id, kind, request_id, number, assigned_at)
       SELECT r.batch_id, ?, r.id,
              (SELECT COALESCE(MAX(number), 0) FROM document_numbers WHERE kind = ?) + ROW_NUMBER() OVER (ORDER BY r.request_number), ?
       FROM requests r
       WHERE r.batch_id = ? AND ${ELIGIBLE[kind]}
         AND NOT EXISTS (SELECT 1 FROM document_numbers x WHERE x.batch_id = r.batch_id AND x.kind = ? AND x.request_id = r.id)
       ORDER BY r.request_number`,
    )
    .run(kind, kind, at, batchId, kind).changes;
}

/** The smallest and largest number of a kind in a batch (audit), null when none. */
export function documentNumberRange(db: Db, batchId: string, kind: DocumentKind): { first: number; last: number; count: number } | null {
  const r = db
    .prepare('SELECT MIN(number) AS first, MAX(number) AS last, COUNT(*) AS count FROM document_numbers WHERE batch_id = ? AND kind = ?')
    .get(batchId, kind) as { first: number | null; last: number | null; count: number };
  return r.first === null || r.last === null ? null : { first: r.first, last: r.last, count: r.count };
}

export interface DocumentDebt {
  taxName: string;
  fiscalYear: number;
  period: string;
  dueDate: string;
  honzei: number;
  entaikin: number;
  fee: number;
}

export interface DocumentAccount {
  subNumber: number;
  branchCode: string;
  accountType: string;
  /** personal: printed on the document only */
  accountNumber: string;
  resultCode: string | null;
  seized: number | null;
  /** release: 解除額 of the record's 01 instruction result, else 0 */
  released: number;
  /** release: 指示日 (the date of release), else null */
  releaseDate: string | null;
}

/** One request as its document needs it. Personal fields go to the PDF only. */
export interface DocumentRequest {
  requestNumber: number;
  number: number;
  atena: string;
  name: string;
  address: string | null;
  debts: DocumentDebt[];
  accounts: DocumentAccount[];
}

const PAGE_SQL = `SELECT r.id AS id, r.request_number AS requestNumber, dn.number AS number, r.atena AS atena, t.name AS name, t.address AS address
  FROM requests r
  JOIN document_numbers dn ON dn.batch_id = r.batch_id AND dn.kind = ? AND dn.request_id = r.id
  JOIN taxpayers t ON t.atena = r.atena
  WHERE r.batch_id = ? AND r.request_number > ?
  ORDER BY r.request_number LIMIT ?`;

const DEBTS_SQL = `SELECT rd.request_id AS requestId, d.tax_name AS taxName, d.fiscal_year AS fiscalYear, d.period AS period, d.due_date AS dueDate,
       rd.honzei_due AS honzei, rd.entaikin_due AS entaikin, rd.fee_due AS fee
  FROM requests r JOIN request_debts rd ON rd.request_id = r.id JOIN debts d ON d.chotei = rd.chotei
  WHERE r.batch_id = ? AND r.request_number BETWEEN ? AND ?
  ORDER BY r.request_number, d.due_date, rd.chotei`;

const ACCOUNTS_SQL = `SELECT rr.request_id AS requestId, rr.sub_number AS subNumber, rr.branch_code AS branchCode, rr.account_type AS accountType,
       rr.account_number AS accountNumber, rr.result_code AS resultCode, rr.seized_amount AS seized,
       COALESCE(rel.release_amount, 0) AS released, rel.execution_date AS releaseDate
  FROM requests r JOIN request_records rr ON rr.request_id = r.id
  LEFT JOIN (SELECT ir.request_id, ir.sub_number, ir.release_amount, ib.execution_date
             FROM instruction_records ir JOIN batches ib ON ib.id = ir.batch_id
             WHERE ib.state <> 'cancelled' AND ir.result_code = '01' AND ir.release_amount > 0) rel
    ON rel.request_id = rr.request_id AND rel.sub_number = rr.sub_number
  WHERE r.batch_id = ? AND r.request_number BETWEEN ? AND ?
  ORDER BY r.request_number, rr.sub_number`;

/**
 * The numbered requests of one kind, `pageSize` at a time in 依頼番号 order, each with its
 * covered debts and accounts (three queries per page; no statement stays open between
 * pages, so the caller may write to the database in between).
 */
export function* documentRequests(db: Db, batchId: string, kind: DocumentKind, pageSize = 500): Generator<DocumentRequest[]> {
  const page = db.prepare(PAGE_SQL);
  const debts = db.prepare(DEBTS_SQL);
  const accounts = db.prepare(ACCOUNTS_SQL);
  let after = 0;
  for (;;) {
    const heads = page.all(kind, batchId, after, pageSize) as Array<Omit<DocumentRequest, 'debts' | 'accounts'> & { id: number }>;
    if (heads.length === 0) return;
    const first = heads[0]!.requestNumber;
    const last = heads[heads.length - 1]!.requestNumber;
    const byId = new Map<number, DocumentRequest>();
    const out: DocumentRequest[] = heads.map((h) => {
      const d: DocumentRequest = { requestNumber: h.requestNumber, number: h.number, atena: h.atena, name: h.name, address: h.address, debts: [], accounts: [] };
      byId.set(h.id, d);
      return d;
    });
    for (const x of debts.all(batchId, first, last) as Array<DocumentDebt & { requestId: number }>) {
      const { requestId, ...debt } = x;
      byId.get(requestId)?.debts.push(debt);
    }
    for (const x of accounts.all(batchId, first, last) as Array<DocumentAccount & { requestId: number }>) {
      const { requestId, ...acc } = x;
      byId.get(requestId)?.accounts.push(acc);
    }
    yield out;
    after = last;
  }
}

/** The bank of a batch as the documents name it (第三債務者): code and registered name. */
export function thirdDebtor(db: Db, bankCode: string): { bankCode: string; bankName: string } {
  const r = db.prepare('SELECT bank_name FROM bank_settings WHERE bank_code = ?').get(bankCode) as { bank_name: string | null } | undefined;
  return { bankCode, bankName: r?.bank_name ?? '' };
}
