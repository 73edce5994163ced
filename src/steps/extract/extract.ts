/**
 * The extract step (spec/cli.md `extract`): select seizure targets as of a
 * processing date, one batch per bank, in ONE transaction.
 *
 * Taxpayers are read page by page in 宛名番号 order (keyset pagination, a few
 * set-based range queries per page, rows as arrays); each page is evaluated with
 * the pure rules of domain/eligibility.ts and domain/seizure-order.ts
 * (page.ts), its rows buffered and stored with multi-row INSERTs, page
 * after page. Reading and evaluating run on the second core when the database is
 * a file (a worker thread, worker.ts), storing on this thread, which holds
 * the transaction (docs/adr/0056). `dryRun` runs exactly the same code and rolls
 * the transaction back.
 */
import { conflict, usageError } from '../../core/errors.js';
import { nowTokyoTimestamp } from '../../core/dates.js';
import type { Engine } from '../../core/engine.js';
import { SyncProducer } from '../../core/sync-worker.js';
import { EXTRACT_WORKER } from './worker-ref.js';
import { requireBusinessDay } from '../../domain/business-day-check.js';
import { EXCLUSION_REASONS, type DebtLeftOutReason } from '../../domain/eligibility.js';
import { DEFAULT_MAX_ACCOUNT_AGE, staleBefore } from '../../domain/account-knowledge.js';
import { producerInWorker, withForeignKeysOff, type Db } from '../../db/connection.js';
import { audit, currentOperator } from '../../db/audit.js';
import { getBankSettings, type BankSettings } from '../../db/settings.js';
import { configuredProtectedPatterns } from '../../settings/index.js';
import { protectedPatternList } from '../../domain/protected-funds.js';
import {
  batchExists,
  candidateBanks,
  countActiveTaxpayers,
  extractBulkWriter,
  extractPageReader,
  extractWriter,
  maxFileNumberUsed,
  setNextFileNumber,
  type ExtractBulkWriter,
  type ExtractWriter,
} from '../../db/batches.js';
import { DEBT_ROWS, EXCLUSION_ROWS, RECORD_ROWS, REQUEST_ROWS, extractPages, inc, type PageContext, type PageResult } from './page.js';
import type { ExtractWorkerInput } from './worker.js';

export type CollectionMode = 'immediate' | 'deferred';

export interface ExtractOptions {
  /** processing (execution) date, YYYY-MM-DD, a bank business day */
  date: string;
  /** bank codes; default: every bank with an active account of a candidate taxpayer */
  banks?: string[];
  /** default: the bank's setting, else immediate */
  collection?: CollectionMode;
  /** a request whose limit is below this is excluded (below-min-amount) */
  minAmount?: number;
  /** knowledge of an account older than this many days is not used (default 180; account-info-stale) */
  maxAccountAge?: number;
  /** lift the one-open-request-per-taxpayer rule */
  allowMultipleBanks?: boolean;
  /** compute and report, store nothing */
  dryRun?: boolean;
  operator?: string;
  /** called after each page: taxpayers done / total candidates */
  onProgress?: (done: number, total: number) => void;
  /** called for each exclusion as it is stored (also on a dry run): `extract --exclusions` */
  onExclusion?: (atena: string, bankCode: string | null, reason: string, detail: string | null) => void;
  /**
   * who reads and evaluates the pages (core/engine.ts): `producer` 'worker' (a worker
   * thread on the second core, reading the database file) or 'inline' (this thread);
   * unset: the worker when the database is a file in WAL mode and not already in a
   * transaction (a dry run: this thread) — the results are the same. `chunk`: taxpayers
   * per page (default 1,000: a page's rows then die young in the GC's nursery; 20,000
   * promoted them and cost ~30% more CPU and twice the peak RSS)
   */
  engine?: Engine;
}

export interface ExtractedBatch {
  id: string;
  bankCode: string;
  /** first file number */
  fileNumber: number;
  files: number;
  requests: number;
  records: number;
  limitTotal: number;
  collectionMode: CollectionMode;
}

export interface ExtractResult {
  /** null for a dry run */
  extractionId: number | null;
  processingDate: string;
  dryRun: boolean;
  batches: ExtractedBatch[];
  excluded: Record<string, number>;
  debtsLeftOut: Record<string, number>;
  accountsLeftOut: Record<string, number>;
  /** bank codes asked for that have no settings */
  unconfiguredBanks: string[];
  taxpayersSeen: number;
  /**
   * protection (cli.md `extract --json` "protected"): requests with an account whose
   * protected amount is > 0 (in a 取立保留 batch because of it), those accounts, and
   * the sum of their protected amounts
   */
  protected: ProtectedSummary;
}

export interface ProtectedSummary {
  requests: number;
  accounts: number;
  amount: number;
}

/** Refuse a date that is not a bank business day, naming why (exit 2). */
function checkProcessingDate(date: string): void {
  requireBusinessDay(date, { ja: '処理日', en: 'processing date' }, { invalid: 'extract.date', notBusinessDay: 'extract.not-business-day' });
}

interface FileAcc {
  seq: number;
  fileNumber: number;
  firstRequest: number;
  lastRequest: number;
  records: number;
  limitTotal: number;
}

interface BankRun {
  bankCode: string;
  settings: BankSettings;
  collectionMode: CollectionMode;
  maxPerFile: number;
  firstFile: number;
  batchId: string;
  created: boolean;
  files: FileAcc[];
  requests: number;
  records: number;
  limitTotal: number;
}

/** Largest data-record count the 6-digit trailer 依頼件数 can carry. */
const MAX_RECORDS_PER_FILE = 999_999;
const MAX_FILE_NUMBER = 99_999_999;
/** Upper bound of --max-account-age (days): keeps the cutoff date a real date. */
const MAX_ACCOUNT_AGE = 36_500;

function batchIdOf(bankCode: string, firstFileNumber: number): string {
  return `${bankCode}-${String(firstFileNumber).padStart(8, '0')}`;
}

class Rollback extends Error {}

/**
 * A dry run's writers: they store nothing (ids are counted as SQLite would give them),
 * so a dry run only reads — it never needs the write lock, and runs beside another
 * process's import (issue 13, item 3; ADR 0087).
 */
function dryWriters(): { w: ExtractWriter; bulk: ExtractBulkWriter } {
  let requestId = 0;
  const request = (): number => ++requestId;
  const none = (): void => {};
  return {
    w: { extraction: () => 0, extractionSummary: none, exclusion: none, batch: none, batchTotals: none, batchFile: none, request, requestDebt: none, record: none },
    bulk: { exclusion: none, request, requestDebt: none, record: none, pending: () => 0, flush: none },
  };
}


export function extract(db: Db, opts: ExtractOptions): ExtractResult {
  checkProcessingDate(opts.date);
  const minAmount = opts.minAmount ?? 0;
  if (!Number.isSafeInteger(minAmount) || minAmount < 0) {
    throw usageError('extract.min-amount', {
      ja: `--min-amount ${minAmount} は0以上の整数（円）で指定してください。`,
      en: `--min-amount ${minAmount} must be a whole number of yen, 0 or more.`,
    });
  }
  for (const b of opts.banks ?? []) {
    if (!/^\d{4}$/.test(b)) {
      throw usageError('extract.bank', {
        ja: `金融機関コード ${JSON.stringify(b)} は4桁の数字で指定してください。`,
        en: `bank code ${JSON.stringify(b)} must be 4 digits.`,
      });
    }
  }
  const maxAccountAge = opts.maxAccountAge ?? DEFAULT_MAX_ACCOUNT_AGE;
  if (!Number.isSafeInteger(maxAccountAge) || maxAccountAge < 0 || maxAccountAge > MAX_ACCOUNT_AGE) {
    throw usageError('extract.max-account-age', {
      ja: `--max-account-age ${maxAccountAge} は0以上${MAX_ACCOUNT_AGE}以下の整数（日数）で指定してください。`,
      en: `--max-account-age ${maxAccountAge} must be a whole number of days from 0 to ${MAX_ACCOUNT_AGE}.`,
    });
  }
  if (opts.collection !== undefined && opts.collection !== 'immediate' && opts.collection !== 'deferred') {
    throw usageError('extract.collection', {
      ja: `--collection は immediate（即時取立）か deferred（取立保留）です。`,
      en: `--collection is immediate or deferred.`,
    });
  }
  const operator = currentOperator(opts.operator);
  const date = opts.date;
  const pageSize = opts.engine?.chunk ?? 1_000;
  const allowMulti = opts.allowMultipleBanks === true;

  // asked before the transaction begins (see snapshotReadable). A dry run reads in this
  // thread: its deferred transaction holds no write lock that would make a worker's
  // snapshot the same as its own.
  const inWorker = opts.dryRun === true ? opts.engine?.producer === 'worker' && producerInWorker(db, opts.engine, 'extract') : producerInWorker(db, opts.engine, 'extract');
  let result: ExtractResult | undefined;
  const run = db.transaction(() => {
    result = extractInTransaction(db, opts, { date, minAmount, maxAccountAge, pageSize, allowMulti, operator, inWorker });
    if (opts.dryRun) throw new Rollback();
  });
  try {
    // BEGIN IMMEDIATE, not better-sqlite3's default deferred BEGIN: the write lock is
    // held before anything is read, so no other writer can commit between this
    // transaction's start and the start of the page producer — the producer's
    // snapshot (openSnapshotReader) is then exactly the state this transaction
    // began from (see pageSource). Foreign keys off: every row written references the
    // extraction and batch rows written before it, or taxpayers, debts and accounts
    // read in this transaction under its write lock (ADR 0064).
    // A dry run writes nothing (dryWriters): a deferred read transaction, no write lock.
    if (opts.dryRun === true) run.deferred();
    else withForeignKeysOff(db, () => run.immediate());
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  if (!result) throw new Error('extract produced no result');
  return result;
}

function extractInTransaction(
  db: Db,
  opts: ExtractOptions,
  c: { date: string; minAmount: number; maxAccountAge: number; pageSize: number; allowMulti: boolean; operator: string; inWorker: boolean },
): ExtractResult {
  const { date, minAmount, maxAccountAge, pageSize, allowMulti, operator } = c;
  const now = nowTokyoTimestamp();
  const scope = [...new Set(opts.banks && opts.banks.length > 0 ? opts.banks : candidateBanks(db))].sort();

  // Banks with settings become runs; file numbers are reserved from next_file_number.
  const runs = new Map<string, BankRun>();
  const unconfigured: string[] = [];
  for (const bank of scope) {
    const s = getBankSettings(db, bank);
    if (!s) {
      unconfigured.push(bank);
      continue;
    }
    const maxPerFile = Math.min(MAX_RECORDS_PER_FILE, s.maxRecordsPerFile);
    if (!Number.isSafeInteger(maxPerFile) || maxPerFile < 1) {
      throw usageError('extract.settings', {
        ja: `金融機関 ${bank} の設定「1ファイルの最大件数」(${s.maxRecordsPerFile}) が不正です。1以上を設定してください。`,
        en: `bank ${bank}: max records per file (${s.maxRecordsPerFile}) must be 1 or more.`,
      });
    }
    const firstFile = Math.max(s.nextFileNumber, maxFileNumberUsed(db, bank, s.requesterCode) + 1);
    const batchId = batchIdOf(bank, firstFile);
    if (batchExists(db, batchId)) {
      throw conflict('extract.batch-exists', {
        ja: `バッチ ${batchId} は既に存在します。金融機関 ${bank} の次のファイル番号の設定を確認してください。`,
        en: `batch ${batchId} already exists; check the next file number of bank ${bank}.`,
      });
    }
    runs.set(bank, {
      bankCode: bank,
      settings: s,
      collectionMode: opts.collection ?? s.collectionMode ?? 'immediate',
      maxPerFile,
      firstFile,
      batchId,
      created: false,
      files: [],
      requests: 0,
      records: 0,
      limitTotal: 0,
    });
  }

  const { w, bulk } = opts.dryRun === true ? dryWriters() : { w: extractWriter(db), bulk: extractBulkWriter(db) };
  const extractionId = w.extraction(
    date,
    JSON.stringify({
      banks: scope,
      collection: opts.collection ?? null,
      minAmount,
      maxAccountAge,
      allowMultipleBanks: allowMulti,
    }),
    now,
    operator,
  );

  const excluded: Record<string, number> = {};
  const debtsLeftOut: Record<string, number> = {};
  const accountsLeftOut: Record<string, number> = {};

  const total = opts.onProgress
    ? countActiveTaxpayers(db)
    : 0;
  const prot: ProtectedSummary = { requests: 0, accounts: 0, amount: 0 };
  /** requests with a protected account, for a bank whose chosen mode is immediate (page order) */
  const held: Array<{ bank: string; rows: PageRows; i: number; d: number; a: number }> = [];
  /** the 取立保留 batch of a bank whose chosen mode is immediate, made when its first held request is stored */
  const heldRuns = new Map<string, BankRun>();

  /** A request's accounting (number, file split, totals); returns its id (children are the caller's). */
  const addRequest = (run: BankRun, atena: string, limit: number, n: number): number => {
    if (!run.created) {
      w.batch({
        id: run.batchId,
        extractionId,
        bankCode: run.bankCode,
        requesterCode: run.settings.requesterCode,
        executionDate: date,
        collectionMode: run.collectionMode,
        layoutId: run.settings.layout,
        createdAt: now,
      });
      run.created = true;
    }
    let file = run.files[run.files.length - 1];
    if (file === undefined || file.records + n > run.maxPerFile) {
      const fileNumber = run.firstFile + run.files.length;
      if (fileNumber > MAX_FILE_NUMBER) {
        throw conflict('extract.file-number', {
          ja: `金融機関 ${run.bankCode} のファイル番号が8桁 (${MAX_FILE_NUMBER}) を超えます。`,
          en: `bank ${run.bankCode}: file number exceeds 8 digits (${MAX_FILE_NUMBER}).`,
        });
      }
      file = { seq: run.files.length + 1, fileNumber, firstRequest: run.requests + 1, lastRequest: run.requests + 1, records: 0, limitTotal: 0 };
      run.files.push(file);
    }
    const number = ++run.requests;
    const requestId = bulk.request(run.batchId, number, atena, limit);
    file.lastRequest = number;
    file.records += n;
    file.limitTotal += limit;
    run.records += n;
    run.limitTotal += limit;
    return requestId;
  };

  /** Store request i of a page's rows (its debts from row d, its records from row a) in run. */
  const storeRequest = (run: BankRun, rows: PageRows, i: number, d: number, a: number): void => {
    const { req, debts, recs } = rows;
    const birth = req.birth(i);
    const n = req.records(i);
    const requestId = addRequest(run, req.atena(i), req.limit(i), n);
    for (const end = d + req.debts(i); d < end; d++) {
      bulk.requestDebt(requestId, debts.chotei(d), debts.honzei(d), debts.fee(d), debts.entaikin(d));
    }
    for (let sub = 1; sub <= n; sub++, a++) {
      bulk.record(requestId, sub, recs.accountId(a), recs.answer(a) === 1, recs.branch(a), recs.type(a), recs.number(a), recs.name(a), birth, recs.protectedYen(a));
    }
  };

  // Each page's evaluation comes from the producer (a worker thread reading the
  // snapshot this transaction began from, or inline); it is stored here, in order.
  const ctx: PageContext = {
    date,
    minAmount,
    allowMulti,
    pageSize,
    scope,
    maxPerFile: {},
    staleBefore: staleBefore(date, maxAccountAge),
    protectedPatterns: protectedPatternList(configuredProtectedPatterns(db)),
  };
  for (const [bank, run] of runs) ctx.maxPerFile[bank] = run.maxPerFile;
  let seen = 0;
  let candidates = 0;
  const pages = pageSource(db, ctx, c.inWorker);
  try {
    for (let page = pages.next(); page !== undefined; page = pages.next()) {
      candidates += page.candidates;
      const exc = EXCLUSION_ROWS.read(page.exclusions);
      for (let i = 0; i < page.exclusions.n; i++) {
        const atena = exc.atena(i);
        const bank = exc.bank(i);
        const reason = exc.reason(i);
        const detail = exc.detail(i);
        bulk.exclusion(extractionId, atena, bank, reason, detail);
        opts.onExclusion?.(atena, bank, reason, detail);
        inc(excluded, reason);
      }
      for (const k in page.debtsLeftOut) inc(debtsLeftOut, k, page.debtsLeftOut[k]);
      for (const k in page.accountsLeftOut) inc(accountsLeftOut, k, page.accountsLeftOut[k]);
      const rows: PageRows = { req: REQUEST_ROWS.read(page.requests), debts: DEBT_ROWS.read(page.debts), recs: RECORD_ROWS.read(page.records) };
      const { req, recs } = rows;
      let d = 0;
      let a = 0;
      for (let i = 0; i < page.requests.n; i++) {
        const run = runOf(runs, req.bank(i));
        if (req.held(i) === 1) {
          prot.requests++;
          for (let k = a, end = a + req.records(i); k < end; k++) {
            const p = recs.protectedYen(k);
            if (p > 0) {
              prot.accounts++;
              prot.amount += p;
            }
          }
          // into the bank's 取立保留 batch, whose file numbers follow the chosen mode's
          // batch: stored once every page is in (its rows stay referenced until then)
          if (run.collectionMode !== 'deferred') {
            held.push({ bank: run.bankCode, rows, i, d, a });
            d += req.debts(i);
            a += req.records(i);
            continue;
          }
        }
        storeRequest(run, rows, i, d, a);
        d += req.debts(i);
        a += req.records(i);
      }
      bulk.flush();
      seen += page.taxpayers;
      opts.onProgress?.(seen, total);
    }
  } finally {
    pages.close();
  }
  // The 取立保留 batches (cli.md: the chosen mode's batch takes the lower file numbers,
  // the 取立保留 batch the next).
  for (const h of held) {
    let run = heldRuns.get(h.bank);
    if (run === undefined) {
      const main = runOf(runs, h.bank);
      const firstFile = main.firstFile + main.files.length;
      const batchId = batchIdOf(h.bank, firstFile);
      if (batchExists(db, batchId)) {
        throw conflict('extract.batch-exists', {
          ja: `バッチ ${batchId} は既に存在します。金融機関 ${h.bank} の次のファイル番号の設定を確認してください。`,
          en: `batch ${batchId} already exists; check the next file number of bank ${h.bank}.`,
        });
      }
      run = { ...main, collectionMode: 'deferred', firstFile, batchId, created: false, files: [], requests: 0, records: 0, limitTotal: 0 };
      heldRuns.set(h.bank, run);
    }
    storeRequest(run, h.rows, h.i, h.d, h.a);
    if (bulk.pending() >= 4096) bulk.flush();
  }
  bulk.flush();

  // Files, totals, file numbers (bumped in this same transaction).
  const batches: ExtractedBatch[] = [];
  const runOrder: BankRun[] = [];
  for (const run of runs.values()) {
    runOrder.push(run);
    const h = heldRuns.get(run.bankCode);
    if (h !== undefined) runOrder.push(h);
  }
  for (const run of runOrder) {
    if (!run.created) continue;
    for (const f of run.files) w.batchFile({ batchId: run.batchId, ...f });
    w.batchTotals(run.batchId, run.requests, run.records, run.limitTotal);
    if (opts.dryRun !== true) setNextFileNumber(db, run.bankCode, run.firstFile + run.files.length, now);
    batches.push({
      id: run.batchId,
      bankCode: run.bankCode,
      fileNumber: run.firstFile,
      files: run.files.length,
      requests: run.requests,
      records: run.records,
      limitTotal: run.limitTotal,
      collectionMode: run.collectionMode,
    });
    if (opts.dryRun !== true) audit(
      db,
      {
        action: 'batch.extract',
        batchId: run.batchId,
        details: {
          extractionId,
          processingDate: date,
          collection: run.collectionMode,
          requests: run.requests,
          records: run.records,
          limitTotal: run.limitTotal,
          files: run.files.map((f) => f.fileNumber),
        },
      },
      operator,
    );
  }
  const ordered: Record<string, number> = {};
  for (const r of EXCLUSION_REASONS) if (excluded[r] !== undefined) ordered[r] = excluded[r];
  const summary = { excluded: ordered, debtsLeftOut, accountsLeftOut, batches: batches.map((b) => b.id), unconfiguredBanks: unconfigured, protected: prot };
  w.extractionSummary(extractionId, JSON.stringify(summary));
  if (opts.dryRun !== true) audit(db, { action: 'extract', details: { extractionId, processingDate: date, dryRun: false, taxpayers: candidates, ...summary } }, operator);

  return {
    extractionId: opts.dryRun ? null : extractionId,
    processingDate: date,
    dryRun: opts.dryRun === true,
    batches,
    excluded: ordered,
    debtsLeftOut: sortKeys(debtsLeftOut),
    accountsLeftOut: sortKeys(accountsLeftOut),
    unconfiguredBanks: unconfigured,
    taxpayersSeen: candidates,
    protected: prot,
  };
}

/** A page's request, debt and record rows, read by name (their chunks stay alive while referenced). */
interface PageRows {
  req: ReturnType<typeof REQUEST_ROWS.read>;
  debts: ReturnType<typeof DEBT_ROWS.read>;
  recs: ReturnType<typeof RECORD_ROWS.read>;
}

/** Pages evaluated by a producer; close() stops it (idempotent). */
interface PageSource {
  next(): PageResult | undefined;
  close(): void;
}

/**
 * The producer of the evaluated pages.
 *
 * The worker reads through its own read-only connection (openSnapshotReader), which
 * pins ONE snapshot when it opens. Rule: this thread must already hold the write
 * lock when the producer starts — extract's transaction is BEGIN IMMEDIATE — so the
 * snapshot is exactly the committed state the extract transaction began from, and
 * the worker never sees extract's own inserts. That is what the inline path reads
 * too, because everything the pages read is either untouched by extract
 * (taxpayers, debts, payments, receipts, accounts) or, for the open requests of
 * the page's taxpayers (reader.open: requests of batches in an open state), only
 * touched for OTHER taxpayers: the requests extract inserts are those of pages
 * already evaluated (pages in 宛名番号 order, a taxpayer in exactly one page, every
 * request of a taxpayer — several with --allow-multiple-banks — decided in its
 * page from that page's reads). So a page reads the same rows in both paths.
 *
 * The worker needs a database file other connections can read while this one
 * writes (snapshotReadable); otherwise the pages are evaluated inline.
 */
function pageSource(db: Db, ctx: PageContext, inWorker: boolean): PageSource {
  if (!inWorker) {
    const pages = extractPages(extractPageReader(db), ctx);
    return { next: () => pages.next(), close: () => undefined };
  }
  const input: ExtractWorkerInput = { file: db.name, page: ctx };
  return new SyncProducer(EXTRACT_WORKER, input, { maxInFlight: 4 });
}

/** The run of a bank the pages were evaluated for (every request's bank has one: PageContext.maxPerFile). */
function runOf(runs: Map<string, BankRun>, bank: string): BankRun {
  const run = runs.get(bank);
  if (run === undefined) throw new Error(`extract: a request for bank ${bank}, which has no run`);
  return run;
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  const r: Record<string, number> = {};
  for (const k of Object.keys(o).sort()) r[k] = o[k] as number;
  return r;
}

export type { DebtLeftOutReason };
