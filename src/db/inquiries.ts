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
import { BulkInsert } from './batches.js';
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
// import answers (issue 15 item 3): rule 1's look-up, rule 2's paged merge, the bulk store

/** An inquiry file this system wrote, with its batch (answer rule 1). */
export interface InquiryFileRow {
  batch_id: string;
  seq: number;
  file_number: number;
  /** seq range of the file's inquiries */
  first_request: number;
  last_request: number;
  records: number;
  file_name: string | null;
  sha256: string | null;
  written_at: string | null;
  results_import_id: number | null;
  bank_code: string;
  requester_code: string;
  /** 照会基準日 (ISO) */
  execution_date: string;
  /** 取引明細開始日 (ISO) or null */
  history_from: string | null;
  state: string;
}

/** Every file of an inquiry batch of a bank with that file number (normally at most one), newest batch first. */
export function inquiryFilesByNumber(db: Db, bankCode: string, fileNumber: number): InquiryFileRow[] {
  return db
    .prepare(
      `SELECT f.batch_id, f.seq, f.file_number, f.first_request, f.last_request, f.records, f.file_name, f.sha256, f.written_at,
              f.results_import_id, b.bank_code, b.requester_code, b.execution_date, b.history_from, b.state
       FROM batch_files f JOIN batches b ON b.id = f.batch_id
       WHERE b.kind = 'inquiry' AND b.bank_code = ? AND f.file_number = ?
       ORDER BY b.created_at DESC`,
    )
    .all(bankCode, fileNumber) as InquiryFileRow[];
}

/** Whether this system has any inquiry batch for the bank (answer rule 1: "a file for another bank"). */
export function hasInquiryBatches(db: Db, bankCode: string): boolean {
  return db.prepare("SELECT 1 FROM batches WHERE kind = 'inquiry' AND bank_code = ? LIMIT 1").get(bankCode) !== undefined;
}

/**
 * Page reads of one batch's inquiries as arrays (InquiryOutRaw), for rule 2's merge while
 * the same connection writes: `page(fromSeq, toSeq, limit)` (no iterator stays open) and
 * `one(seq)` for a record out of order.
 */
export function inquiryPages(db: Db, batchId: string): { page(fromSeq: number, toSeq: number, limit: number): InquiryOutRaw[]; one(seq: number): InquiryOutRaw | undefined } {
  const page = db
    .prepare('SELECT seq, atena, kana, name, birth_date, address FROM inquiries WHERE batch_id = ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ?')
    .raw(true);
  const one = db.prepare('SELECT seq, atena, kana, name, birth_date, address FROM inquiries WHERE batch_id = ? AND seq = ?').raw(true);
  return {
    page: (from, to, limit) => page.all(batchId, from, to, limit) as InquiryOutRaw[],
    one: (seq) => one.get(batchId, seq) as InquiryOutRaw | undefined,
  };
}

/** The imports row's hash and summary, known once the whole file was read (the row is created at its header). */
export function finishImport(db: Db, importId: number, sha256: string, summary: unknown): void {
  db.prepare('UPDATE imports SET sha256 = ?, summary = ? WHERE id = ?').run(sha256, JSON.stringify(summary), importId);
}

/**
 * Buffered writes of `import answers` for a million inquiries: accounts and transactions
 * by multi-row INSERTs (BulkInsert). Account ids are assigned here, after the largest in
 * the table, so a transaction row can be buffered before its account is stored; accounts
 * are flushed before transactions (foreign keys). Answer codes are set at flush, set-based:
 * one pass over the file's seq range sets the import and 回答区分 1 where the inquiry has
 * an account, else 2; then the few 3 and 4 given by answerCode(). (Rule 2 guarantees every
 * inquiry of the range is answered, with one code.) Call flush(firstSeq, lastSeq) once,
 * after the last record.
 */
export interface AnswerBulkWriter {
  /** 回答区分 3 or 4 (1 and 2 are derived at flush) */
  answerCode(seq: number, code: '3' | '4'): void;
  /** returns the account's id */
  account(a: Omit<AnswerAccountInput, 'importId' | 'batchId'>): number;
  transaction(accountId: number, t: AnswerTransactionInput): void;
  flush(firstSeq: number, lastSeq: number): void;
}

export function answerBulkWriter(db: Db, importId: number, batchId: string): AnswerBulkWriter {
  const codes = db.prepare(
    `UPDATE inquiries SET answer_import_id = ?,
            answer_code = CASE WHEN EXISTS (SELECT 1 FROM answer_accounts a WHERE a.batch_id = inquiries.batch_id AND a.seq = inquiries.seq) THEN '1' ELSE '2' END
      WHERE batch_id = ? AND seq BETWEEN ? AND ?`,
  );
  const other = db.prepare('UPDATE inquiries SET answer_code = ? WHERE batch_id = ? AND seq = ?');
  const others: Array<[number, string]> = [];
  const acc = new BulkInsert(db, 'answer_accounts', [
    'id', 'import_id', 'batch_id', 'seq', 'account_seq', 'atena', 'bank_code', 'knowledge_date', 'file_number',
    'branch_code', 'account_type', 'account_number', 'holder_kana', 'balance', 'last_transaction_date', 'loan',
  ]);
  const tx = new BulkInsert(db, 'answer_transactions', ['account_id', 'seq', 'transaction_date', 'direction', 'amount', 'balance_after', 'description']);
  let nextId = ((db.prepare('SELECT MAX(id) AS m FROM answer_accounts').get() as { m: number | null }).m ?? 0) + 1;
  return {
    answerCode(seq, code) {
      others.push([seq, code]);
    },
    account(a) {
      const id = nextId++;
      acc.rows.push(id, importId, batchId, a.seq, a.accountSeq, a.atena, a.bankCode, a.knowledgeDate, a.fileNumber,
        a.branchCode, a.accountType, a.accountNumber, a.holderKana, a.balance, a.lastTransactionDate, a.loan);
      if (acc.pending >= 4096) acc.flush();
      return id;
    },
    transaction(accountId, t) {
      tx.rows.push(accountId, t.seq, t.date, t.direction, t.amount, t.balanceAfter, t.description);
      if (tx.pending >= 8192) {
        acc.flush();
        tx.flush();
      }
    },
    flush(firstSeq, lastSeq) {
      acc.flush();
      tx.flush();
      codes.run(importId, batchId, firstSeq, lastSeq);
      for (const [seq, code] of others) other.run(code, batchId, seq);
      others.length = 0;
    },
  };
}
