/**
 * Queries of extraction, batches, requests and request records (extract, write,
 * cancel). Synchronous; callers run them inside their step's transaction.
 *
 * Reading for extract pages through taxpayers by 宛名番号 (keyset pagination):
 * each page is read with a handful of set-based range queries, then written,
 * so no iterator is open while inserting and memory stays flat.
 */
import type Database from 'better-sqlite3';
import type { BatchKind, BatchState } from '../domain/vocabulary.js';
import { historyDetails, type HistoryDetail } from './answer-history.js';
import type { Db } from './connection.js';

/** States in which a batch's requests are still open (one open request per taxpayer). */
const OPEN_STATES: readonly BatchState[] = ['extracted', 'written', 'results-imported'];
/** OPEN_STATES as an SQL list: ('extracted','written','results-imported') */
const OPEN_STATES_SQL = `(${OPEN_STATES.map((s) => `'${s}'`).join(',')})`;

// ---------------------------------------------------------------------------
// Page reads of extract, as arrays (raw) in the column order below, so that a million
// rows do not become a million objects.

/** [atena, kana, birth_date, status] */
export type TaxpayerRaw = [string, string, string | null, number];
/**
 * The columns of a debt that say whether it can be covered (domain/eligibility.ts debtLeftOutReason), what
 * inquire reads: [chotei, atena, kubun, reminder_date, prescription_date, honzei_out, fee_out]
 */
export type DebtRuleRaw = [string, string, number, string | null, string | null, number, number];
/** DebtRuleRaw and what extract computes 延滞金 from: [...DebtRuleRaw, due_date, entaikin_kind, entaikin_paid_total] */
export type DebtRaw = [...DebtRuleRaw, string, number, number];
/** [chotei, paid_date, honzei] */
export type PaymentRaw = [string, string, number];
/** [id, atena, bank_code, branch_code, account_type, account_number, holder_kana, balance, inquiry_date (調査日)] */
export type AccountRaw = [number, string, string, string, string, string, string | null, number | null, string | null];
/**
 * The newest answered inquiry of 回答区分 1 or 2 per (taxpayer, bank), one row per
 * account it reported (one row with a null account for 回答区分 2):
 * [answer_account_id | null, atena, bank_code, 照会基準日, file_number, answer_code,
 *  branch_code, account_type, account_number, holder_kana, balance (signed)]
 */
export type AnswerRaw = [number | null, string, string, string, number, string, string | null, string | null, string | null, string | null, number | null];
/** [atena, bank_code] */
export type OpenRaw = [string, string];
/** A transaction detail of an answered account, oldest first: [answer_account_id, direction, amount, balance_after, description] (domain/protected-funds.ts DetailRow) */
export type TransactionRaw = HistoryDetail;

export interface ExtractPageReader {
  /** active taxpayers, 宛名番号 > after, ascending (those without an active debt are skipped by the caller) */
  taxpayers(after: string, limit: number): TaxpayerRaw[];
  /** active debts of taxpayers in [from, to] with what they still owe; rows of one taxpayer are adjacent (ordered by 宛名番号, 調定番号 order not guaranteed) */
  debts(from: string, to: string): DebtRaw[];
  /** the same rows with the rule's columns only (inquire: no 延滞金 is computed; one SQL text, debtsSql) */
  ruleDebts(from: string, to: string): DebtRuleRaw[];
  /** 本税 payments with a date (収納履歴 + receipts not yet in an export) of debts of [from, to]; empty without a query when the database holds no dated 本税 payment at all */
  payments(from: string, to: string): PaymentRaw[];
  /** active accounts of [from, to] (ordered by 宛名番号, bank, branch, type, number) */
  accounts(from: string, to: string): AccountRaw[];
  /** (taxpayer, bank) of requests in open batches, taxpayers in [from, to] */
  open(from: string, to: string): OpenRaw[];
  /**
   * answer knowledge of taxpayers in [from, to] (ordered by 宛名番号, bank, branch, type,
   * number); empty without a query when the database holds no answer of 回答区分 1/2
   */
  answers(from: string, to: string): AnswerRaw[];
  /**
   * the transaction details of the answer accounts `ids` (answer_accounts ids of this
   * page's answers), ordered by account then seq (file order, oldest first); empty
   * without a query when no id is given or the database holds no detail at all
   */
  transactions(ids: readonly number[]): TransactionRaw[];
}

/**
 * The active debts of taxpayers in [@from, @to], rows of one taxpayer adjacent: the columns of
 * DebtRuleRaw, and with `amounts` those of DebtRaw. The same rule as the debt_outstanding
 * view (schema.ts), written per range so that the receipts aggregate (`hasReceipts`: some
 * receipt is not yet in an export) is computed only for this page's debts.
 */
function debtsSql(hasReceipts: boolean, amounts: boolean): string {
  const r = (col: string): string => (hasReceipts ? ` - COALESCE(r.${col}, 0)` : '');
  const cols = [
    'd.chotei',
    'd.atena',
    'd.kubun',
    'd.reminder_date',
    'd.prescription_date',
    `MAX(0, d.honzei - d.honzei_paid${r('honzei')}) AS honzei_out`,
    `MAX(0, d.fee - d.fee_paid${r('fee')}) AS fee_out`,
  ];
  if (amounts) cols.push('d.due_date', 'd.entaikin_kind', `d.entaikin_paid${hasReceipts ? ' + COALESCE(r.entaikin, 0)' : ''} AS entaikin_paid_total`);
  const receipts = hasReceipts
    ? `LEFT JOIN (SELECT rc.chotei, SUM(rc.honzei) AS honzei, SUM(rc.fee) AS fee, SUM(rc.entaikin) AS entaikin
                 FROM debts d2 JOIN receipts rc ON rc.chotei = d2.chotei AND rc.included_import_id IS NULL
                 WHERE d2.atena BETWEEN @from AND @to
                 GROUP BY rc.chotei) r ON r.chotei = d.chotei`
    : '';
  return `SELECT ${cols.join(', ')}
          FROM debts d ${receipts}
          WHERE d.active = 1 AND d.atena BETWEEN @from AND @to
          ORDER BY d.atena`;
}

/**
 * Page reads for extract, raw. Two facts are read once, at the start of the step
 * (inside its transaction, so they hold for the whole step): whether any receipt is
 * not yet included in an export, and whether any dated payment exists. Without
 * them the per-page receipts aggregate (and the payments query) are skipped: the
 * amounts are the same (COALESCE(…, 0)), only cheaper.
 */
export function extractPageReader(db: Db): ExtractPageReader {
  const pendingReceipts = db.prepare('SELECT EXISTS (SELECT 1 FROM receipts WHERE included_import_id IS NULL) AS x').get() as { x: number };
  const anyPayments = db.prepare('SELECT EXISTS (SELECT 1 FROM payments WHERE honzei > 0) AS x').get() as { x: number };
  const hasReceipts = pendingReceipts.x === 1;
  const hasPayments = hasReceipts || anyPayments.x === 1;
  // an answered inquiry file (its inquiries' codes are 1–4; the query below keeps 1 and 2)
  const anyAnswers = db.prepare("SELECT EXISTS (SELECT 1 FROM batch_files WHERE results_import_id IS NOT NULL AND batch_id IN (SELECT id FROM batches WHERE kind = 'inquiry')) AS x").get() as { x: number };
  const anyDetails = db.prepare('SELECT EXISTS (SELECT 1 FROM answer_histories) AS x').get() as { x: number };
  const tp = db
    .prepare(
      `SELECT t.atena, t.kana, t.birth_date, t.status FROM taxpayers t
       WHERE t.active = 1 AND t.atena > ?
       ORDER BY t.atena LIMIT ?`,
    )
    .raw(true);
  const debts = db.prepare(debtsSql(hasReceipts, true)).raw(true);
  let ruleDebts: Database.Statement | null = null;
  const pays = hasPayments
    ? db
        .prepare(
          `SELECT p.chotei, p.paid_date, p.honzei FROM payments p JOIN debts d ON d.chotei = p.chotei
           WHERE d.active = 1 AND d.atena BETWEEN @from AND @to AND p.honzei > 0
           UNION ALL
           SELECT rc.chotei, rc.receipt_date AS paid_date, rc.honzei FROM debts d JOIN receipts rc ON rc.chotei = d.chotei
           WHERE d.active = 1 AND d.atena BETWEEN @from AND @to AND rc.included_import_id IS NULL AND rc.honzei > 0`,
        )
        .raw(true)
    : null;
  const accts = db
    .prepare(
      `SELECT id, atena, bank_code, branch_code, account_type, account_number, holder_kana, balance, inquiry_date
       FROM accounts WHERE active = 1 AND atena BETWEEN @from AND @to
       ORDER BY atena, bank_code, branch_code, account_type, account_number`,
    )
    .raw(true);
  const open = db
    .prepare(
      `SELECT DISTINCT r.atena, b.bank_code FROM requests r JOIN batches b ON b.id = r.batch_id
       WHERE b.state IN ${OPEN_STATES_SQL} AND b.kind = 'seizure' AND r.atena BETWEEN @from AND @to`,
    )
    .raw(true);
  // The newest knowledge answer per (taxpayer, bank): the ordering of
  // domain/account-knowledge.ts (isNewerAnswer: 照会基準日, then file number) done in
  // SQL so that only one answer per pair is read (ADR 0131). INDEXED BY: left to itself
  // the planner walks every inquiry of each inquiry batch per page (quadratic in volume).
  // 回答区分 1 or 2 as the view inquiry_answers derives it (ADR 0195): the file is answered
  // and the inquiry is not a follow-up (3, 4); 1 when it has accounts (the LEFT JOIN found
  // one), else 2 (test/db/inquiry-answers.test.ts holds it equal to the view).
  const answers =
    anyAnswers.x === 1
      ? db
          .prepare(
            `WITH ans AS (
               SELECT i.atena, b.bank_code, b.execution_date AS base_date, f.file_number, i.batch_id, i.seq,
                      ROW_NUMBER() OVER (PARTITION BY i.atena, b.bank_code ORDER BY b.execution_date DESC, f.file_number DESC) AS rn
               FROM inquiries i INDEXED BY inquiries_atena
               JOIN batches b ON b.id = i.batch_id AND b.kind = 'inquiry' AND b.state <> 'cancelled'
               JOIN batch_files f ON f.batch_id = i.batch_id AND i.seq BETWEEN f.first_request AND f.last_request
               WHERE i.atena BETWEEN @from AND @to AND f.results_import_id IS NOT NULL
                 AND NOT EXISTS (SELECT 1 FROM inquiry_follow_ups u WHERE u.batch_id = i.batch_id AND u.seq = i.seq))
             SELECT a.id, n.atena, n.bank_code, n.base_date, n.file_number, CASE WHEN a.id IS NULL THEN '2' ELSE '1' END AS answer_code,
                    a.branch_code, a.account_type, a.account_number, a.holder_kana, a.balance
             FROM ans n LEFT JOIN answer_accounts a ON a.batch_id = n.batch_id AND a.seq = n.seq
             WHERE n.rn = 1
             ORDER BY n.atena, n.bank_code, a.branch_code, a.account_type, a.account_number`,
          )
          .raw(true)
      : null;
  // One query per page for the details of the page's answer accounts (one answer_histories
  // row per account, its details in file order, ADR 0197); ids passed as one JSON array.
  const details =
    anyDetails.x === 1
      ? db
          .prepare(
            `SELECT h.account_id, h.transactions
             FROM answer_histories h
             WHERE h.account_id IN (SELECT value FROM json_each(?))
             ORDER BY h.account_id`,
          )
          .raw(true)
      : null;
  return {
    taxpayers: (after, limit) => tp.all(after, limit) as TaxpayerRaw[],
    debts: (from, to) => debts.all({ from, to }) as DebtRaw[],
    ruleDebts: (from, to) => (ruleDebts ??= db.prepare(debtsSql(hasReceipts, false)).raw(true)).all({ from, to }) as DebtRuleRaw[],
    payments: (from, to) => (pays === null ? [] : (pays.all({ from, to }) as PaymentRaw[])),
    accounts: (from, to) => accts.all({ from, to }) as AccountRaw[],
    open: (from, to) => open.all({ from, to }) as OpenRaw[],
    answers: (from, to) => (answers === null ? [] : (answers.all({ from, to }) as AnswerRaw[])),
    transactions: (ids) => (details === null || ids.length === 0 ? [] : [...historyDetails(details.all(JSON.stringify(ids)) as Array<[number, string]>)]),
  };
}

/**
 * Rows buffered in JS and inserted with multi-row INSERT statements (ROWS rows per
 * statement, the rest one by one; extract's and inquire's bulk writes). The caller flushes parents before children
 * (foreign keys are checked immediately). `constants`: columns whose value is the same in
 * every row, bound once per statement as named parameters instead of once per row (the
 * buffered rows then carry only the other columns, in `columns` order).
 */
export class BulkInsert {
  static readonly ROWS = 128;
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;
  private readonly width: number;
  private readonly named: Record<string, unknown> | undefined;
  /** buffered values, row after row; push exactly `columns.length` values per row (constants excluded) */
  rows: unknown[] = [];

  constructor(db: Db, table: string, columns: readonly string[], constants?: Readonly<Record<string, unknown>>) {
    const consts = constants === undefined ? [] : Object.keys(constants);
    this.width = columns.length;
    this.named = constants === undefined ? undefined : Object.fromEntries(consts.map((c, i) => [`k${i}`, constants[c]]));
    const tuple = `(${[...columns.map(() => '?'), ...consts.map((_c, i) => `@k${i}`)].join(', ')})`;
    const head = `INSERT INTO ${table} (${[...columns, ...consts].join(', ')}) VALUES `;
    this.one = db.prepare(head + tuple);
    this.many = db.prepare(head + new Array<string>(BulkInsert.ROWS).fill(tuple).join(', '));
  }

  get pending(): number {
    return this.rows.length / this.width;
  }

  /**
   * Store the rows that fill whole multi-row statements; the rest stay buffered (a step that
   * flushes page after page calls flush() at its end; the rows keep their order either way).
   */
  flushFull(): void {
    const chunk = BulkInsert.ROWS * this.width;
    const full = this.rows.length - (this.rows.length % chunk);
    if (full === 0) return;
    const rest = this.rows.slice(full);
    this.rows.length = full;
    this.flush();
    this.rows = rest;
  }

  flush(): void {
    const rows = this.rows;
    if (rows.length === 0) return;
    const chunk = BulkInsert.ROWS * this.width;
    const named = this.named;
    let i = 0;
    if (named === undefined) {
      for (; i + chunk <= rows.length; i += chunk) this.many.run(rows.slice(i, i + chunk));
      for (; i < rows.length; i += this.width) this.one.run(rows.slice(i, i + this.width));
    } else {
      for (; i + chunk <= rows.length; i += chunk) this.many.run(named, rows.slice(i, i + chunk));
      for (; i < rows.length; i += this.width) this.one.run(named, rows.slice(i, i + this.width));
    }
    this.rows = [];
  }
}

/**
 * Buffered writes of extract's many rows (requests, their debts and records,
 * exclusions). Request ids are assigned here, consecutively after the largest id
 * in the table (what SQLite would choose), so that a request's children can be
 * buffered before the request row is stored. `flush()` stores everything buffered
 * (requests first); call it before reading again and before the step ends.
 */
export interface ExtractBulkWriter {
  exclusion(extractionId: number, atena: string, bankCode: string | null, reason: string, detail: string | null): void;
  request(batchId: string, requestNumber: number, atena: string, limit: number): number;
  requestDebt(requestId: number, chotei: string, honzei: number, fee: number, entaikin: number): void;
  /** `fromAnswer`: accountId is an answer_accounts id (else an accounts id); `protectedAmount`: request_records.protected_amount */
  record(
    requestId: number,
    subNumber: number,
    accountId: number,
    fromAnswer: boolean,
    branchCode: string,
    accountType: string,
    accountNumber: string,
    holderName: string,
    birthDate: string | null,
    protectedAmount: number,
  ): void;
  /** rows buffered, all tables */
  pending(): number;
  flush(): void;
}

export function extractBulkWriter(db: Db): ExtractBulkWriter {
  const exc = new BulkInsert(db, 'exclusions', ['extraction_id', 'atena', 'bank_code', 'reason', 'detail']);
  const req = new BulkInsert(db, 'requests', ['id', 'batch_id', 'request_number', 'atena', 'limit_amount']);
  const rd = new BulkInsert(db, 'request_debts', ['request_id', 'chotei', 'honzei_due', 'fee_due', 'entaikin_due']);
  // Records with a protected amount (few) through their own statement; the others leave
  // protected_amount to its default 0, one parameter less per row (the seizure path).
  const recCols = ['request_id', 'sub_number', 'account_id', 'answer_account_id', 'branch_code', 'account_type', 'account_number', 'holder_name', 'birth_date'];
  const rec = new BulkInsert(db, 'request_records', recCols);
  const recP = new BulkInsert(db, 'request_records', [...recCols, 'protected_amount']);
  const maxId = db.prepare('SELECT MAX(id) AS m FROM requests');
  let nextId = 0;
  return {
    exclusion: (e, a, b, r, d) => void exc.rows.push(e, a, b, r, d),
    request: (b, n, a, l) => {
      if (nextId === 0) nextId = ((maxId.get() as { m: number | null }).m ?? 0) + 1;
      const id = nextId++;
      req.rows.push(id, b, n, a, l);
      return id;
    },
    requestDebt: (r, c, h, f, e) => void rd.rows.push(r, c, h, f, e),
    record: (r, s, a, ans, b, t, n, h, bd, p) =>
      void (p === 0 ? rec.rows.push(r, s, ans ? null : a, ans ? a : null, b, t, n, h, bd) : recP.rows.push(r, s, ans ? null : a, ans ? a : null, b, t, n, h, bd, p)),
    pending: () => exc.pending + req.pending + rd.pending + rec.pending + recP.pending,
    flush: () => {
      req.flush();
      rd.flush();
      rec.flush();
      recP.flush();
      exc.flush();
    },
  };
}

/**
 * Distinct bank codes of active accounts, and of accounts answered to an inquiry of a
 * batch not cancelled, of active taxpayers with an active debt.
 */
export function candidateBanks(db: Db): string[] {
  return (
    db
      .prepare(
        `SELECT b.bank_code FROM (SELECT DISTINCT bank_code FROM accounts WHERE active = 1) b
         WHERE EXISTS (SELECT 1 FROM accounts a JOIN taxpayers t ON t.atena = a.atena
                       WHERE a.bank_code = b.bank_code AND a.active = 1 AND t.active = 1
                         AND EXISTS (SELECT 1 FROM debts d WHERE d.atena = t.atena AND d.active = 1))
         UNION
         SELECT b.bank_code FROM (SELECT DISTINCT bank_code FROM answer_accounts) b
         WHERE EXISTS (SELECT 1 FROM answer_accounts a JOIN batches k ON k.id = a.batch_id AND k.state <> 'cancelled'
                       JOIN taxpayers t ON t.atena = a.atena
                       WHERE a.bank_code = b.bank_code AND t.active = 1
                         AND EXISTS (SELECT 1 FROM debts d WHERE d.atena = t.atena AND d.active = 1))
         ORDER BY 1`,
      )
      .all() as Array<{ bank_code: string }>
  ).map((r) => r.bank_code);
}

/** Active taxpayers (the denominator of extract's progress). */
export function countActiveTaxpayers(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM taxpayers WHERE active = 1').get() as { n: number }).n;
}

/** Highest file number already used by a batch for this bank and requester (0 if none). */
export function maxFileNumberUsed(db: Db, bankCode: string, requesterCode: string): number {
  const r = db
    .prepare(
      `SELECT MAX(f.file_number) AS m FROM batch_files f JOIN batches b ON b.id = f.batch_id
       WHERE b.bank_code = ? AND b.requester_code = ?`,
    )
    .get(bankCode, requesterCode) as { m: number | null };
  return r.m ?? 0;
}

/**
 * The first free number of a bank's one file-number sequence (all kinds share it;
 * inquiry-300.md "File numbers"): the stored next number, or past the highest one used.
 */
export function firstFreeFileNumber(db: Db, s: { bankCode: string; requesterCode: string; nextFileNumber: number }): number {
  return Math.max(s.nextFileNumber, maxFileNumberUsed(db, s.bankCode, s.requesterCode) + 1);
}

/** A batch id: '<bank code>-<first file number, 8 digits>' (cli.md). */
export function batchIdFor(bankCode: string, firstFileNumber: number): string {
  return `${bankCode}-${String(firstFileNumber).padStart(8, '0')}`;
}

export function batchExists(db: Db, id: string): boolean {
  return db.prepare('SELECT 1 FROM batches WHERE id = ?').get(id) !== undefined;
}

export function setNextFileNumber(db: Db, bankCode: string, next: number, at: string): void {
  db.prepare('UPDATE bank_settings SET next_file_number = ?, updated_at = ? WHERE bank_code = ?').run(next, at, bankCode);
}

/** Prepared writes of extract. */
export interface ExtractWriter {
  extraction(processingDate: string, options: string, createdAt: string, operator: string): number;
  extractionSummary(id: number, summary: string): void;
  exclusion(extractionId: number, atena: string, bankCode: string | null, reason: string, detail: string | null): void;
  batch(b: {
    id: string;
    extractionId: number;
    bankCode: string;
    requesterCode: string;
    executionDate: string;
    collectionMode: string;
    layoutId: string;
    createdAt: string;
  }): void;
  batchTotals(id: string, requests: number, records: number, limitTotal: number): void;
  batchFile(f: { batchId: string; seq: number; fileNumber: number; firstRequest: number; lastRequest: number; records: number; limitTotal: number }): void;
  request(batchId: string, requestNumber: number, atena: string, limit: number): number;
  requestDebt(requestId: number, chotei: string, honzei: number, fee: number, entaikin: number): void;
  record(r: {
    requestId: number;
    subNumber: number;
    accountId: number;
    branchCode: string;
    accountType: string;
    accountNumber: string;
    holderName: string;
    birthDate: string | null;
  }): void;
}

export function extractWriter(db: Db): ExtractWriter {
  const ext = db.prepare('INSERT INTO extractions (processing_date, options, created_at, operator) VALUES (?, ?, ?, ?)');
  const extSum = db.prepare('UPDATE extractions SET summary = ? WHERE id = ?');
  const exc = db.prepare('INSERT INTO exclusions (extraction_id, atena, bank_code, reason, detail) VALUES (?, ?, ?, ?, ?)');
  const bat = db.prepare(
    `INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'extracted', 0, 0, 0, ?, ?)`,
  );
  const batTot = db.prepare('UPDATE batches SET requests = ?, records = ?, limit_total = ? WHERE id = ?');
  const bf = db.prepare(
    `INSERT INTO batch_files (batch_id, seq, file_number, first_request, last_request, records, limit_total) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const req = db.prepare('INSERT INTO requests (batch_id, request_number, atena, limit_amount) VALUES (?, ?, ?, ?)');
  const rd = db.prepare('INSERT INTO request_debts (request_id, chotei, honzei_due, fee_due, entaikin_due) VALUES (?, ?, ?, ?, ?)');
  const rec = db.prepare(
    `INSERT INTO request_records (request_id, sub_number, account_id, branch_code, account_type, account_number, holder_name, birth_date)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    extraction: (d, o, c, op) => Number(ext.run(d, o, c, op).lastInsertRowid),
    extractionSummary: (id, s) => void extSum.run(s, id),
    exclusion: (e, a, b, r, d) => void exc.run(e, a, b, r, d),
    batch: (b) =>
      void bat.run(b.id, b.extractionId, b.bankCode, b.requesterCode, b.executionDate, b.collectionMode, b.layoutId, b.createdAt, b.createdAt),
    batchTotals: (id, r, n, l) => void batTot.run(r, n, l, id),
    batchFile: (f) => void bf.run(f.batchId, f.seq, f.fileNumber, f.firstRequest, f.lastRequest, f.records, f.limitTotal),
    request: (b, n, a, l) => Number(req.run(b, n, a, l).lastInsertRowid),
    requestDebt: (r, c, h, f, e) => void rd.run(r, c, h, f, e),
    record: (r) =>
      void rec.run(r.requestId, r.subNumber, r.accountId, r.branchCode, r.accountType, r.accountNumber, r.holderName, r.birthDate),
  };
}

// ---------------------------------------------------------------------------
// Reading a batch (write, cancel)

export interface BatchRow {
  id: string;
  kind: BatchKind;
  extraction_id: number;
  bank_code: string;
  requester_code: string;
  execution_date: string;
  /** seizure batches only (null for inquiry and instruction batches) */
  collection_mode: 'immediate' | 'deferred' | null;
  layout_id: string;
  state: BatchState;
  requests: number;
  records: number;
  limit_total: number;
  /** inquiry: 取引明細開始日 (ISO) or null */
  history_from: string | null;
  /** instruction: the seizure batch it instructs */
  seizure_batch_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface BatchFileRow {
  batch_id: string;
  seq: number;
  file_number: number;
  first_request: number;
  last_request: number;
  records: number;
  limit_total: number;
  /** instruction: the seizure request file whose holds the file resolves (null for the other kinds) */
  seizure_file_number: number | null;
  file_name: string | null;
  sha256: string | null;
  bytes: number | null;
  written_at: string | null;
}

/** Every batch, newest first (the `batches` command). */
export function listBatches(db: Db): BatchRow[] {
  return db.prepare('SELECT * FROM batches ORDER BY created_at DESC, id DESC').all() as BatchRow[];
}

export function getBatch(db: Db, id: string): BatchRow | undefined {
  return db.prepare('SELECT * FROM batches WHERE id = ?').get(id) as BatchRow | undefined;
}

export function batchFiles(db: Db, id: string): BatchFileRow[] {
  return db.prepare('SELECT * FROM batch_files WHERE batch_id = ? ORDER BY seq').all(id) as BatchFileRow[];
}

const FILE_RECORDS_SQL = `SELECT r.request_number, rr.sub_number, rr.branch_code, rr.account_type, rr.account_number, rr.holder_name, rr.birth_date, r.limit_amount
  FROM requests r JOIN request_records rr ON rr.request_id = r.id
  WHERE r.batch_id = ? AND r.request_number BETWEEN ? AND ?
  ORDER BY r.request_number, rr.sub_number`;

/** [request_number, sub_number, branch_code, account_type, account_number, holder_name, birth_date, limit_amount] */
export type RecordOutRaw = [number, number, string, string, string, string, string | null, number];

/**
 * A batch's data records with request numbers in [firstRequest, lastRequest], in request /
 * 枝番 order, rows as arrays (RecordOutRaw), all at once: the write step's hot path, which
 * bounds the range (kinds.ts). One prepared statement for every range read.
 */
export function fileRecordsReader(db: Db, batchId: string): (firstRequest: number, lastRequest: number) => RecordOutRaw[] {
  const st = db.prepare(FILE_RECORDS_SQL).raw(true);
  return (first, last) => st.all(batchId, first, last) as RecordOutRaw[];
}

export function setBatchState(db: Db, id: string, state: BatchState, at: string): void {
  db.prepare('UPDATE batches SET state = ?, updated_at = ? WHERE id = ?').run(state, at, id);
}

export function setFileWritten(db: Db, batchId: string, seq: number, fileName: string, sha256: string, bytes: number, at: string): void {
  db.prepare('UPDATE batch_files SET file_name = ?, sha256 = ?, bytes = ?, written_at = ? WHERE batch_id = ? AND seq = ?').run(
    fileName,
    sha256,
    bytes,
    at,
    batchId,
    seq,
  );
}

/** The bank's file-name pattern for a batch kind (cli.md "Settings": fileNamePattern, inquiryFileNamePattern, instructionFileNamePattern), else the kind's default. */
export function fileNamePatternOf(db: Db, bankCode: string, kind: BatchKind): string {
  const r = db
    .prepare(
      `SELECT CASE ? WHEN 'inquiry' THEN inquiry_file_name_pattern WHEN 'instruction' THEN instruction_file_name_pattern ELSE file_name_pattern END AS p
       FROM bank_settings WHERE bank_code = ?`,
    )
    .get(kind, bankCode) as { p: string } | undefined;
  return r?.p ?? (kind === 'inquiry' ? 'INQ_{bank}_{file}.DAT' : kind === 'instruction' ? 'INST_{bank}_{file}.DAT' : 'SASHI_{bank}_{file}.DAT');
}

/** A batch's kind, or undefined when there is no such batch. */
export function batchKindOf(db: Db, id: string): BatchKind | undefined {
  return (db.prepare('SELECT kind FROM batches WHERE id = ?').get(id) as { kind: BatchKind } | undefined)?.kind;
}

/**
 * Whether a seizure batch of `bank` (not cancelled) was made after `since` — for an answered
 * inquiry batch: its answers have been extracted from, and it needs no next step.
 */
export function seizureBatchSince(db: Db, bank: string, since: string): boolean {
  return (
    db.prepare(`SELECT 1 FROM batches WHERE kind = 'seizure' AND bank_code = ? AND state <> 'cancelled' AND created_at >= ? LIMIT 1`).get(bank, since) !== undefined
  );
}
