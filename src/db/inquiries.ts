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
import { historyAppend, historyDetails, historyEntry, historyText, readHistory, type HistoryDetail } from './answer-history.js';
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

/**
 * A batch's inquiries with seq in [firstSeq, lastSeq], in order, as arrays — all of them at
 * once (`all()` costs about half of `iterate()` per row in better-sqlite3): the caller bounds
 * the range (write reads READ_KEYS seqs at a time, kinds.ts). One prepared statement for every
 * range read.
 */
export function fileInquiriesReader(db: Db, batchId: string): (firstSeq: number, lastSeq: number) => InquiryOutRaw[] {
  const st = db.prepare('SELECT seq, atena, kana, name, birth_date, address FROM inquiries WHERE batch_id = ? AND seq BETWEEN ? AND ? ORDER BY seq').raw(true);
  return (first, last) => st.all(batchId, first, last) as InquiryOutRaw[];
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

/**
 * Prepared writes of answers, one row at a time (tests' fixtures). An inquiry's 回答区分 is
 * derived (view inquiry_answers, schema migration 8): only 3 and 4 are stored; the file's
 * answer is its batch_files.results_import_id (db/results.ts setFileResults).
 */
export interface AnswerWriter {
  /** 回答区分 3 or 4 of an inquiry */
  followUp(batchId: string, seq: number, code: '3' | '4'): void;
  /** returns the answer account's id */
  account(a: AnswerAccountInput): number;
  transaction(accountId: number, t: AnswerTransactionInput): void;
}

export function answerWriter(db: Db): AnswerWriter {
  const fu = db.prepare('INSERT INTO inquiry_follow_ups (batch_id, seq, answer_code) VALUES (?, ?, ?)');
  const acc = db.prepare(
    `INSERT INTO answer_accounts (import_id, batch_id, seq, account_seq, atena, bank_code, knowledge_date, file_number,
                                  branch_code, account_type, account_number, holder_kana, balance, last_transaction_date, loan)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  // an account's details are one answer_histories row (ADR 0197): the first detail creates it, each next one rewrites it one longer
  const history = db.prepare('SELECT transactions FROM answer_histories WHERE account_id = ?').pluck();
  const histNew = db.prepare('INSERT INTO answer_histories (account_id, transactions) VALUES (?, ?)');
  const histSet = db.prepare('UPDATE answer_histories SET transactions = ? WHERE account_id = ?');
  return {
    followUp: (b, s, c) => void fu.run(b, s, c),
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
    transaction: (id, t) => {
      const text = history.get(id) as string | undefined;
      if (t.seq !== (text === undefined ? 0 : readHistory(text).length) + 1) throw new Error("answer writer: a detail out of its account's order");
      const entry = historyEntry(t.date, t.direction, t.amount, t.balanceAfter, t.description);
      if (text === undefined) histNew.run(id, historyText([entry]));
      else histSet.run(historyAppend(text, entry), id);
    },
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

/**
 * The figures of an inquiry batch's report, counted as the view inquiry_answers defines the
 * codes but without a pass over the inquiries (test/db/inquiry-answers.test.ts holds them
 * equal): inquiries and answered from the files' seq ranges (answered: the file has its
 * answer import), 1 = inquiries with accounts, 3 and 4 = the follow-ups, 2 = the other
 * answered ones; then the accounts.
 */
export function inquiryReportFigures(db: Db, batchId: string): InquiryReportFigures {
  const f = db
    .prepare(
      `SELECT COALESCE(SUM(last_request - first_request + 1), 0) AS n,
              COALESCE(SUM(CASE WHEN results_import_id IS NOT NULL THEN last_request - first_request + 1 ELSE 0 END), 0) AS answered
       FROM batch_files WHERE batch_id = ?`,
    )
    .get(batchId) as { n: number; answered: number };
  const u = db
    .prepare(`SELECT COALESCE(SUM(answer_code = '3'), 0) AS a3, COALESCE(SUM(answer_code = '4'), 0) AS a4 FROM inquiry_follow_ups WHERE batch_id = ?`)
    .get(batchId) as { a3: number; a4: number };
  const a1 = (
    db
      .prepare(
        `SELECT COUNT(*) AS n FROM (SELECT DISTINCT a.seq FROM answer_accounts a WHERE a.batch_id = @b) s
         WHERE NOT EXISTS (SELECT 1 FROM inquiry_follow_ups u WHERE u.batch_id = @b AND u.seq = s.seq)`,
      )
      .get({ b: batchId }) as { n: number }
  ).n;
  const a = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(balance), 0) AS total FROM answer_accounts WHERE batch_id = ?').get(batchId) as { n: number; total: number };
  return {
    inquiries: f.n,
    answers: { '1': a1, '2': f.answered - a1 - u.a3 - u.a4, '3': u.a3, '4': u.a4 },
    pending: f.n - f.answered,
    accounts: a.n,
    balanceTotal: a.total,
  };
}

/**
 * The transaction details of an inquiry batch's answer accounts, by account then seq
 * (oldest first): [answer_account_id, direction, amount, balance_after, description]
 * (domain/protected-funds.ts DetailRow). Iterated, never all in memory.
 */
export function iterateAnswerDetails(db: Db, batchId: string): IterableIterator<HistoryDetail> {
  const rows = db
    .prepare(
      `SELECT h.account_id, h.transactions
       FROM answer_accounts a JOIN answer_histories h ON h.account_id = a.id
       WHERE a.batch_id = ?
       ORDER BY h.account_id`,
    )
    .raw(true)
    .iterate(batchId) as IterableIterator<[number, string]>;
  return historyDetails(rows);
}

/** [atena, answer_code] of the inquiries answered 3 (paper answer follows) or 4 (defective), in inquiry order. */
export type FollowUpRaw = [string, string];

/** The paper follow-ups of an inquiry batch (回答区分 3 and 4), in order (iterate: never all in memory). */
export function iterateFollowUps(db: Db, batchId: string, limit = -1): IterableIterator<FollowUpRaw> {
  return db
    .prepare(
      `SELECT i.atena, u.answer_code FROM inquiry_follow_ups u JOIN inquiries i ON i.batch_id = u.batch_id AND i.seq = u.seq
       WHERE u.batch_id = ? ORDER BY u.seq LIMIT ?`,
    )
    .raw(true)
    .iterate(batchId, limit) as IterableIterator<FollowUpRaw>;
}

// ---------------------------------------------------------------------------
// inquire: who is asked (page reads beside extract's, db/batches.ts) and the staging
// of the people asked, so that each bank's inquiries are numbered in numeric 宛名番号
// order by one INSERT … SELECT (pages are read in text order).

/** [atena, kana, birth_date, status, name, address] */
export type InquiryTaxpayerRaw = [string, string, string | null, number, string, string | null];
/** [atena, bank_code] */
export type RecentInquiryRaw = [string, string];

export interface InquirePageReader {
  /** active taxpayers, 宛名番号 > after, ascending (text order, as extract's pages) */
  taxpayers(after: string, limit: number): InquiryTaxpayerRaw[];
  /** (taxpayer, bank) with an inquiry not cancelled whose 照会基準日 ≥ since, taxpayers in [from, to] */
  recent(from: string, to: string, since: string): RecentInquiryRaw[];
}

export function inquirePageReader(db: Db): InquirePageReader {
  const tp = db
    .prepare(
      `SELECT atena, kana, birth_date, status, name, address FROM taxpayers
       WHERE active = 1 AND atena > ? ORDER BY atena LIMIT ?`,
    )
    .raw(true);
  const recent = db
    .prepare(
      // CROSS JOIN: the page's inquiries by inquiries_atena first, then their batch by key
      // (left to itself the planner walks every inquiry of each batch, page after page)
      `SELECT DISTINCT i.atena, b.bank_code FROM inquiries i CROSS JOIN batches b ON b.id = i.batch_id
       WHERE i.atena BETWEEN @from AND @to AND b.kind = 'inquiry' AND b.state <> 'cancelled' AND b.execution_date >= @since`,
    )
    .raw(true);
  return {
    taxpayers: (after, limit) => tp.all(after, limit) as InquiryTaxpayerRaw[],
    recent: (from, to, since) => recent.all({ from, to, since }) as RecentInquiryRaw[],
  };
}

/**
 * Active taxpayers whose 宛名番号 (1–10 digits) pads to the same 10 digits as another's
 * (`0123` and `123`): a bank's answer could not tell them apart (`id-not-writable`, both).
 */
export function paddedIdCollisions(db: Db): Set<string> {
  // two digit strings of one value differ by leading zeros, so one of them starts with '0':
  // without such an id (a range of the primary key) there is no collision and no full scan (ADR 0143)
  const zero = db.prepare("SELECT 1 FROM taxpayers WHERE atena >= '0' AND atena < '1' AND active = 1 LIMIT 1").get();
  if (zero === undefined) return new Set();
  const rows = db
    .prepare(
      `WITH ids AS (SELECT atena, CAST(atena AS INTEGER) AS n FROM taxpayers
                    WHERE active = 1 AND length(atena) BETWEEN 1 AND 10 AND atena NOT GLOB '*[^0-9]*')
       SELECT atena FROM ids WHERE n IN (SELECT n FROM ids GROUP BY n HAVING COUNT(*) > 1)`,
    )
    .pluck()
    .all() as string[];
  return new Set(rows);
}

/**
 * The people an inquire run asks, staged in a temporary table keyed by the numeric
 * 宛名番号, with the banks each is skipped at (`skip`: one character per bank of the run,
 * '1' = skipped). `materialize` then writes one bank's inquiries, seq 1.. in numeric
 * 宛名番号 order, with one INSERT … SELECT. Use inside the step's transaction; `drop()`
 * at the end.
 */
export interface InquiryStage {
  add(num: number, atena: string, kana: string, name: string, birthDate: string | null, address: string, skip: string): void;
  /** store what fills whole multi-row statements (after a page; BulkInsert.flushFull) */
  flushFull(): void;
  flush(): void;
  /** inquiries of the bank at `bankIndex` (0-based in the run's bank list) into batchId; returns how many */
  materialize(batchId: string, bankIndex: number): number;
  drop(): void;
}

export function inquiryStage(db: Db): InquiryStage {
  db.exec(`DROP TABLE IF EXISTS temp.inquire_people;
    CREATE TEMP TABLE inquire_people (num INTEGER PRIMARY KEY, atena TEXT NOT NULL, kana TEXT NOT NULL, name TEXT NOT NULL,
                                      birth_date TEXT, address TEXT NOT NULL, skip TEXT NOT NULL)`);
  const rows = new BulkInsert(db, 'temp.inquire_people', ['num', 'atena', 'kana', 'name', 'birth_date', 'address', 'skip']);
  const mat = db.prepare(
    `INSERT INTO inquiries (batch_id, seq, atena, kana, name, birth_date, address)
     SELECT @batch, ROW_NUMBER() OVER (ORDER BY num), atena, kana, name, birth_date, address
     FROM temp.inquire_people WHERE substr(skip, @pos, 1) = '0' ORDER BY num`,
  );
  return {
    add: (n, a, k, nm, b, ad, s) => void rows.rows.push(n, a, k, nm, b, ad, s),
    flushFull: () => rows.flushFull(),
    flush: () => rows.flush(),
    materialize: (batch, i) => mat.run({ batch, pos: i + 1 }).changes,
    drop: () => void db.exec('DROP TABLE IF EXISTS temp.inquire_people'),
  };
}

/**
 * The active taxpayers: how many (progress), and whether every 宛名番号 has the same length:
 * then their text order (the pages') is their numeric order, and inquire numbers each bank's
 * inquiries as the pages come, without the stage (ADR 0189). One pass over the taxpayers.
 */
export function activeIdShape(db: Db): { count: number; oneLength: boolean } {
  const r = db.prepare('SELECT COUNT(*) AS n, MIN(length(atena)) AS lo, MAX(length(atena)) AS hi FROM taxpayers WHERE active = 1').get() as { n: number; lo: number | null; hi: number | null };
  return { count: r.n, oneLength: r.lo === r.hi };
}

/**
 * The inquiries of an inquire run written as they come (no stage, ADR 0189): the caller
 * gives them in numeric 宛名番号 order, each bank's seq counts 1.. from its first; one
 * buffered multi-row INSERT per bank (the batch id bound once). The batch rows are written
 * after (the step runs with foreign-key checks off or deferred). Call flushFull() after each
 * page (what fills whole statements; the rest waits for the next page) and flush() before
 * the step ends; `count(i)` is the bank's inquiries so far, stored or buffered.
 */
export interface InquiryDirectWriter {
  add(bankIndex: number, atena: string, kana: string, name: string, birthDate: string | null, address: string): void;
  flushFull(): void;
  flush(): void;
  count(bankIndex: number): number;
}

export function inquiryDirectWriter(db: Db, batchIds: readonly string[]): InquiryDirectWriter {
  const banks = batchIds.map((id) => ({ rows: new BulkInsert(db, 'inquiries', ['seq', 'atena', 'kana', 'name', 'birth_date', 'address'], { batch_id: id }), seq: 0 }));
  return {
    add(i, a, k, nm, b, ad) {
      const bank = banks[i];
      if (bank === undefined) throw new Error(`inquire: no bank at index ${i}`);
      bank.rows.rows.push(++bank.seq, a, k, nm, b, ad);
    },
    flushFull() {
      for (const b of banks) b.rows.flushFull();
    },
    flush() {
      for (const b of banks) b.rows.flush();
    },
    count: (i) => banks[i]?.seq ?? 0,
  };
}

/** Buffered exclusion rows of an inquire run (multi-row INSERTs). */
export function inquiryExclusionWriter(db: Db): {
  add(runId: number, atena: string, bankCode: string | null, reason: string, detail: string | null): void;
  flushFull(): void;
  flush(): void;
} {
  const exc = new BulkInsert(db, 'exclusions', ['extraction_id', 'atena', 'bank_code', 'reason', 'detail']);
  return { add: (e, a, b, r, d) => void exc.rows.push(e, a, b, r, d), flushFull: () => exc.flushFull(), flush: () => exc.flush() };
}
// import answers (issue 15 item 3): rule 1's look-up, rule 2's paged merge, the bulk store

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
 * Buffered writes of `import answers` for a million inquiries: accounts, their details (one
 * answer_histories row per account, ADR 0197) and follow-ups by multi-row INSERTs
 * (BulkInsert). Account ids are assigned here, after the largest in the table, so a history
 * row can be buffered before its account is stored; accounts are flushed before histories
 * (foreign keys). No inquiries row is written: an
 * inquiry's 回答区分 is derived (view inquiry_answers, ADR 0195) from its file's answer import
 * (set by the caller, setFileResults), its accounts (1) and the follow-ups stored here (3, 4);
 * 2 is the rest. A 3 or 4 given twice for one inquiry is stored once. Call flush() once,
 * after the last record.
 */
export interface AnswerBulkWriter {
  /** 回答区分 3 or 4 (1 and 2 are derived) */
  answerCode(seq: number, code: '3' | '4'): void;
  /** returns the account's id */
  account(a: Omit<AnswerAccountInput, 'importId' | 'batchId' | 'bankCode' | 'knowledgeDate' | 'fileNumber'>): number;
  transaction(accountId: number, t: AnswerTransactionInput): void;
  flush(): void;
}

export function answerBulkWriter(
  db: Db,
  importId: number,
  file: { batchId: string; bankCode: string; knowledgeDate: string; fileNumber: number; firstSeq: number; lastSeq: number },
): AnswerBulkWriter {
  const { batchId, firstSeq, lastSeq } = file;
  // the 3/4 stored so far, one byte per inquiry of the file's range (0 = none)
  const followUps = new Uint8Array(Math.max(0, lastSeq - firstSeq + 1));
  const fu = new BulkInsert(db, 'inquiry_follow_ups', ['seq', 'answer_code'], { batch_id: batchId });
  // import, batch, bank, 照会基準日 and file number are the same in every row of one file: bound once per statement
  const acc = new BulkInsert(
    db,
    'answer_accounts',
    ['id', 'seq', 'account_seq', 'atena', 'branch_code', 'account_type', 'account_number', 'holder_kana', 'balance', 'last_transaction_date', 'loan'],
    { import_id: importId, batch_id: batchId, bank_code: file.bankCode, knowledge_date: file.knowledgeDate, file_number: file.fileNumber },
  );
  // an account's details become ONE answer_histories row (ADR 0197): the open account's
  // entries are collected here and buffered as its row when the next account's details
  // begin, or at flush (an account's details come one after another, seq 1, 2, …)
  const hist = new BulkInsert(db, 'answer_histories', ['account_id', 'transactions']);
  let openId = -1;
  let openEntries: string[] = [];
  const closeHistory = (): void => {
    if (openId < 0) return;
    hist.rows.push(openId, historyText(openEntries));
    openId = -1;
    openEntries = [];
  };
  let nextId = ((db.prepare('SELECT MAX(id) AS m FROM answer_accounts').get() as { m: number | null }).m ?? 0) + 1;
  return {
    answerCode(seq, code) {
      const i = seq - firstSeq;
      const c = code.charCodeAt(0);
      if (i < 0 || i >= followUps.length) throw new Error('import answers: a code outside the file');
      if (followUps[i] === c) return;
      if (followUps[i] !== 0) throw new Error('import answers: two codes for one inquiry');
      followUps[i] = c;
      fu.rows.push(seq, code);
    },
    account(a) {
      const id = nextId++;
      acc.rows.push(id, a.seq, a.accountSeq, a.atena, a.branchCode, a.accountType, a.accountNumber, a.holderKana, a.balance, a.lastTransactionDate, a.loan);
      if (acc.pending >= 4096) acc.flush();
      return id;
    },
    transaction(accountId, t) {
      if (accountId !== openId) {
        if (accountId < openId || t.seq !== 1) throw new Error('import answers: details not grouped by account in order');
        closeHistory();
        openId = accountId;
        if (hist.pending >= 2048) {
          acc.flush();
          hist.flush();
        }
      } else if (t.seq !== openEntries.length + 1) throw new Error("import answers: a detail out of its account's order");
      openEntries.push(historyEntry(t.date, t.direction, t.amount, t.balanceAfter, t.description));
    },
    flush() {
      closeHistory();
      acc.flush();
      hist.flush();
      fu.flush();
    },
  };
}
