/**
 * Queries of deposit inquiry (inquiry-300.md; schema migration 4): inquiry runs and
 * batches, their inquiries, and the answers' accounts and transactions. Synchronous;
 * callers run them inside their step's transaction.
 *
 * An inquiry batch is a `batches` row of kind 'inquiry' (execution_date = 照会基準日,
 * history_from = 取引明細開始日); its files are `batch_files` rows whose
 * first_request / last_request are the range of `inquiries.seq` in the file, so a
 * 照会番号 is seq − first_request + 1.
 */
import type { Db } from './connection.js';

/** One inquiry as written: the person's fields exactly as the request carries them. */
export interface InquiryRow {
  seq: number;
  atena: string;
  /** 氏名カナ, narrowed half-width */
  kana: string;
  /** 氏名, full-width as written (〓 for 外字) */
  name: string;
  /** ISO date or null */
  birthDate: string | null;
  /** 住所, full-width as written */
  address: string;
}

export interface InquiryBatchInput {
  id: string;
  extractionId: number;
  bankCode: string;
  requesterCode: string;
  /** 照会基準日 (ISO) */
  baseDate: string;
  /** 取引明細開始日 (ISO) or null = no history */
  historyFrom: string | null;
  layoutId: string;
  createdAt: string;
}

export interface InquiryFileInput {
  batchId: string;
  seq: number;
  fileNumber: number;
  /** seq range of the inquiries in this file */
  firstSeq: number;
  lastSeq: number;
}

/** Prepared writes of `inquire`: the run, its batches and files, its inquiries. */
export interface InquiryWriter {
  /** a new inquiry run (an extractions row of kind 'inquiry'); returns its id */
  run(baseDate: string, options: string, createdAt: string, operator: string): number;
  runSummary(id: number, summary: string): void;
  exclusion(runId: number, atena: string, bankCode: string | null, reason: string, detail: string | null): void;
  batch(b: InquiryBatchInput): void;
  file(f: InquiryFileInput): void;
  inquiry(batchId: string, r: InquiryRow): void;
  /** requests = records = inquiries */
  batchTotals(id: string, inquiries: number): void;
}

export function inquiryWriter(db: Db): InquiryWriter {
  const run = db.prepare("INSERT INTO extractions (kind, processing_date, options, created_at, operator) VALUES ('inquiry', ?, ?, ?, ?)");
  const runSum = db.prepare('UPDATE extractions SET summary = ? WHERE id = ?');
  const exc = db.prepare('INSERT INTO exclusions (extraction_id, atena, bank_code, reason, detail) VALUES (?, ?, ?, ?, ?)');
  const bat = db.prepare(
    `INSERT INTO batches (id, kind, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state,
                          requests, records, limit_total, history_from, created_at, updated_at)
     VALUES (?, 'inquiry', ?, ?, ?, ?, NULL, ?, 'extracted', 0, 0, 0, ?, ?, ?)`,
  );
  const file = db.prepare(
    'INSERT INTO batch_files (batch_id, seq, file_number, first_request, last_request, records, limit_total) VALUES (?, ?, ?, ?, ?, ?, 0)',
  );
  const inq = db.prepare('INSERT INTO inquiries (batch_id, seq, atena, kana, name, birth_date, address) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const tot = db.prepare('UPDATE batches SET requests = ?, records = ? WHERE id = ?');
  return {
    run: (d, o, c, op) => Number(run.run(d, o, c, op).lastInsertRowid),
    runSummary: (id, s) => void runSum.run(s, id),
    exclusion: (e, a, b, r, d) => void exc.run(e, a, b, r, d),
    batch: (b) => void bat.run(b.id, b.extractionId, b.bankCode, b.requesterCode, b.baseDate, b.layoutId, b.historyFrom, b.createdAt, b.createdAt),
    file: (f) => void file.run(f.batchId, f.seq, f.fileNumber, f.firstSeq, f.lastSeq, f.lastSeq - f.firstSeq + 1),
    inquiry: (b, r) => void inq.run(b, r.seq, r.atena, r.kana, r.name, r.birthDate, r.address),
    batchTotals: (id, n) => void tot.run(n, n, id),
  };
}

/** The inquiry run's number: 1, 2, … per database (inquire --json "run"). */
export function inquiryRunNumber(db: Db, runId: number): number {
  return (db.prepare("SELECT COUNT(*) AS n FROM extractions WHERE kind = 'inquiry' AND id <= ?").get(runId) as { n: number }).n;
}

/** [seq, atena, kana, name, birth_date, address] */
export type InquiryOutRaw = [number, string, string, string, string | null, string];

/** The inquiries of one file (seq range), in order, as arrays (iterate: never all in memory). */
export function iterateFileInquiriesRaw(db: Db, batchId: string, firstSeq: number, lastSeq: number): IterableIterator<InquiryOutRaw> {
  return db
    .prepare('SELECT seq, atena, kana, name, birth_date, address FROM inquiries WHERE batch_id = ? AND seq BETWEEN ? AND ? ORDER BY seq')
    .raw(true)
    .iterate(batchId, firstSeq, lastSeq) as IterableIterator<InquiryOutRaw>;
}

// ---------------------------------------------------------------------------
// Answers

export interface AnswerAccountInput {
  importId: number;
  batchId: string;
  seq: number;
  accountSeq: number;
  atena: string;
  bankCode: string;
  /** 照会基準日 (ISO) */
  knowledgeDate: string;
  fileNumber: number;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  holderKana: string;
  /** signed */
  balance: number;
  lastTransactionDate: string | null;
  loan: 0 | 1;
}

export interface AnswerTransactionInput {
  seq: number;
  /** ISO */
  date: string;
  direction: 1 | 2;
  amount: number;
  /** signed */
  balanceAfter: number;
  description: string;
}

/** Prepared writes of `import answers`. */
export interface AnswerWriter {
  answerCode(batchId: string, seq: number, code: string, importId: number): void;
  /** returns the answer account's id */
  account(a: AnswerAccountInput): number;
  transaction(accountId: number, t: AnswerTransactionInput): void;
}

export function answerWriter(db: Db): AnswerWriter {
  const code = db.prepare('UPDATE inquiries SET answer_code = ?, answer_import_id = ? WHERE batch_id = ? AND seq = ?');
  const acc = db.prepare(
    `INSERT INTO answer_accounts (import_id, batch_id, seq, account_seq, atena, bank_code, knowledge_date, file_number,
                                  branch_code, account_type, account_number, holder_kana, balance, last_transaction_date, loan)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const tx = db.prepare(
    'INSERT INTO answer_transactions (account_id, seq, transaction_date, direction, amount, balance_after, description) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  return {
    answerCode: (b, s, c, i) => void code.run(c, i, b, s),
    account: (a) =>
      Number(
        acc.run(
          a.importId,
          a.batchId,
          a.seq,
          a.accountSeq,
          a.atena,
          a.bankCode,
          a.knowledgeDate,
          a.fileNumber,
          a.branchCode,
          a.accountType,
          a.accountNumber,
          a.holderKana,
          a.balance,
          a.lastTransactionDate,
          a.loan,
        ).lastInsertRowid,
      ),
    transaction: (id, t) => void tx.run(id, t.seq, t.date, t.direction, t.amount, t.balanceAfter, t.description),
  };
}

// ---------------------------------------------------------------------------
// The report of an inquiry batch (cli.md `report --json` of an inquiry batch)

export interface InquiryReportFigures {
  inquiries: number;
  /** inquiries per 回答区分 '1'..'4' */
  answers: Record<'1' | '2' | '3' | '4', number>;
  /** inquiries without an answer yet */
  pending: number;
  /** accounts the answers reported */
  accounts: number;
  /** sum of the accounts' signed 残高 */
  balanceTotal: number;
}

/** The figures of an inquiry batch's report: one pass over its inquiries, one over its answer accounts. */
export function inquiryReportFigures(db: Db, batchId: string): InquiryReportFigures {
  const q = db
    .prepare(
      `SELECT COUNT(*) AS n,
              COALESCE(SUM(answer_code = '1'), 0) AS a1, COALESCE(SUM(answer_code = '2'), 0) AS a2,
              COALESCE(SUM(answer_code = '3'), 0) AS a3, COALESCE(SUM(answer_code = '4'), 0) AS a4,
              COALESCE(SUM(answer_code IS NULL), 0) AS pending
       FROM inquiries WHERE batch_id = ?`,
    )
    .get(batchId) as { n: number; a1: number; a2: number; a3: number; a4: number; pending: number };
  const a = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(balance), 0) AS total FROM answer_accounts WHERE batch_id = ?').get(batchId) as { n: number; total: number };
  return { inquiries: q.n, answers: { '1': q.a1, '2': q.a2, '3': q.a3, '4': q.a4 }, pending: q.pending, accounts: a.n, balanceTotal: a.total };
}

/** [atena, answer_code] of the inquiries answered 3 (paper answer follows) or 4 (defective), in inquiry order. */
export type FollowUpRaw = [string, string];

/** The paper follow-ups of an inquiry batch (回答区分 3 and 4), in order (iterate: never all in memory). */
export function iterateFollowUps(db: Db, batchId: string, limit = -1): IterableIterator<FollowUpRaw> {
  return db
    .prepare(`SELECT atena, answer_code FROM inquiries WHERE batch_id = ? AND answer_code IN ('3', '4') ORDER BY seq LIMIT ?`)
    .raw(true)
    .iterate(batchId, limit) as IterableIterator<FollowUpRaw>;
}
