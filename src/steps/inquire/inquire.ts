/**
 * The inquire step (inquiry-300.md "Writing a request", cli.md `inquire`): who is asked
 * about their deposits, at which banks, as of 照会基準日 D — one inquiry batch per bank,
 * in ONE transaction (a dry run stores and reserves nothing).
 *
 * Pass 1 pages through the taxpayers in 宛名番号 text order and decides each (page.ts:
 * extract's page reader for the debts' rule columns and open requests, db/batches.ts; the
 * same debt rule, domain/eligibility.ts; first exclusion reason in INQUIRY_EXCLUSION_REASONS order, or
 * the banks to ask, 氏名カナ narrowed) — in a worker thread on the second core reading the
 * snapshot this transaction began from, or inline (ADR 0189). This thread stores each
 * page: exclusions, and the people asked with 氏名/住所 widened (page.ts asWritten) —
 * numbered per bank as they come when every active 宛名番号 has one length (text order is
 * then numeric order), else staged and numbered in numeric 宛名番号 order by one
 * INSERT … SELECT per bank (db/inquiries.ts, ADR 0122). Pass 2 writes each bank's batch,
 * splits it into files and reserves the file numbers from the bank's one sequence.
 */
import { conflict, usageError } from '../../core/errors.js';
import { addDays, nowTokyoTimestamp, todayTokyo } from '../../core/dates.js';
import { requireBusinessDay } from '../../domain/business-day-check.js';
import type { Engine } from '../../core/engine.js';
import { SyncProducer } from '../../core/sync-worker.js';
import { INQUIRY_DEFAULTS, INQUIRY_EXCLUSION_REASONS } from '../../domain/inquiry.js';
import { producerInWorker, withForeignKeysOff, type Db } from '../../db/connection.js';
import { audit, currentOperator } from '../../db/audit.js';
import { getBankSettings, listBankSettings, type BankSettings } from '../../db/settings.js';
import { batchExists, batchIdFor, extractPageReader, firstFreeFileNumber, setNextFileNumber } from '../../db/batches.js';
import {
  activeIdShape,
  inquirePageReader,
  inquiryDirectWriter,
  inquiryExclusionWriter,
  inquiryRunNumber,
  inquiryStage,
  inquiryWriter,
  paddedIdCollisions,
  type InquiryStage,
} from '../../db/inquiries.js';
import { EXCLUSION_ROWS, PEOPLE_ROWS, asWritten, inquirePages, type InquirePage, type InquirePageContext, type Substitutions } from './page.js';
import type { InquireWorkerInput } from './worker.js';
import { INQUIRE_WORKER } from './worker-ref.js';

export interface InquireOptions {
  /** 照会基準日, YYYY-MM-DD: a bank business day, not before today */
  date: string;
  /** bank codes (each must have settings); default: every bank with settings */
  banks?: string[];
  /** 取引明細開始日 = date − historyDays (default 90; 0 = no history) */
  historyDays?: number;
  /** a (taxpayer, bank) asked with 照会基準日 ≥ date − this many days is skipped (default 30) */
  reinquireAfter?: number;
  /** compute and report, store and reserve nothing */
  dryRun?: boolean;
  /** the day 照会基準日 may not precede (default todayTokyo()); the demo's scenario has its own fixed day (ADR 0137) */
  today?: string;
  operator?: string;
  /** taxpayers per page (default 1,000) */
  pageSize?: number;
  /** called after each page: taxpayers read / active taxpayers */
  onProgress?: (done: number, total: number) => void;
  /**
   * who reads and decides the pages (core/engine.ts): `producer` 'worker' (a worker thread
   * on the second core) or 'inline'; unset: the worker when the database is a file in WAL
   * mode and not already in a transaction (a dry run: inline unless 'worker' is asked);
   * `chunk`: taxpayers per page when pageSize is not given. The results never depend on it.
   */
  engine?: Engine;
  /**
   * true: the people asked always go through the stage (ADR 0122), as with ids of mixed
   * lengths; unset: the stage only then (ADR 0189). Tests hold both paths equal.
   */
  stage?: boolean;
  /** called for each exclusion (also on a dry run): `inquire --exclusions` */
  onExclusion?: (atena: string, bankCode: string | null, reason: string, detail: string | null) => void;
}

export interface InquiryBatchSummary {
  id: string;
  bankCode: string;
  fileNumbers: number[];
  inquiries: number;
}

/** What widening changed, counted per inquiry (page.ts asWritten). */
export type Substituted = Substitutions;

export interface InquireResult {
  /** the inquiry run's number, 1, 2, … per database (a dry run: the number it would get) */
  run: number;
  date: string;
  historyFrom: string | null;
  dryRun: boolean;
  batches: InquiryBatchSummary[];
  excluded: Record<string, number>;
  skipped: { 'recently-inquired': number };
  substituted: Substituted;
  /** taxpayers with an active debt that were considered */
  taxpayersSeen: number;
}

/** Largest inquiry count of one file (6-digit 照会件数) and the 8-digit file number. */
const MAX_RECORDS_PER_FILE = 999_999;
const MAX_FILE_NUMBER = 99_999_999;
/** A generous bound that keeps D − N a real date. */
const MAX_DAYS = 36_500;

const BASE_DATE = { ja: '照会基準日', en: 'inquiry base date' };

interface BankRun {
  index: number;
  bankCode: string;
  settings: BankSettings;
  maxPerFile: number;
  firstFile: number;
  batchId: string;
  inquiries: number;
}

function days(name: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_DAYS) {
    throw usageError('inquire.days', {
      ja: `${name} ${String(v)} は 0〜${MAX_DAYS} の整数（日数）で指定してください。`,
      en: `${name} ${String(v)} must be a whole number of days, 0–${MAX_DAYS}.`,
    });
  }
  return n;
}

function checkOptions(db: Db, opts: InquireOptions): { historyDays: number; reinquireAfter: number; banks: BankSettings[] } {
  requireBusinessDay(opts.date, BASE_DATE, { invalid: 'inquire.date', notBusinessDay: 'inquire.not-business-day' });
  const today = opts.today ?? todayTokyo();
  if (opts.date < today) {
    throw usageError('inquire.date-past', {
      ja: `照会基準日 ${opts.date} は今日（${today}）より前です。今日以降の営業日を指定してください。`,
      en: `inquiry base date ${opts.date} is before today (${today}); give a business day from today on.`,
    });
  }
  const historyDays = days('--history-days', opts.historyDays, INQUIRY_DEFAULTS.historyDays);
  const reinquireAfter = days('--reinquire-after', opts.reinquireAfter, INQUIRY_DEFAULTS.reinquireAfterDays);
  let banks: BankSettings[];
  if (opts.banks !== undefined && opts.banks.length > 0) {
    banks = [];
    for (const code of [...new Set(opts.banks)].sort()) {
      if (!/^\d{4}$/.test(code)) {
        throw usageError('inquire.bank', { ja: `金融機関コード ${JSON.stringify(code)} は4桁の数字で指定してください。`, en: `bank code ${JSON.stringify(code)} must be 4 digits.` });
      }
      const s = getBankSettings(db, code);
      if (s === null) {
        throw usageError('inquire.bank-not-configured', {
          ja: `金融機関 ${code} の設定がありません。sashiosae settings set --bank ${code} … で設定してから照会してください。`,
          en: `bank ${code} has no settings; configure it with sashiosae settings set --bank ${code} … first.`,
        });
      }
      banks.push(s);
    }
  } else {
    banks = listBankSettings(db);
    if (banks.length === 0) {
      throw usageError('inquire.no-banks', {
        ja: '設定のある金融機関がありません。sashiosae settings load / set で照会先の金融機関を設定してください。',
        en: 'no bank has settings; configure the banks to ask with sashiosae settings load / set.',
      });
    }
  }
  return { historyDays, reinquireAfter, banks };
}

class Rollback extends Error {}

export function inquire(db: Db, opts: InquireOptions): InquireResult {
  const { historyDays, reinquireAfter, banks } = checkOptions(db, opts);
  // asked before the transaction begins (see producerInWorker). A dry run reads in this
  // thread unless the worker is asked for: its deferred transaction holds no write lock
  // that would make a worker's snapshot the same as its own.
  const inWorker = opts.dryRun === true ? opts.engine?.producer === 'worker' && producerInWorker(db, opts.engine, 'inquire') : producerInWorker(db, opts.engine, 'inquire');
  let result: InquireResult | undefined;
  const run = db.transaction(() => {
    result = inquireInTransaction(db, opts, historyDays, reinquireAfter, banks, inWorker);
    if (opts.dryRun === true) throw new Rollback();
  });
  try {
    // a real run takes the write lock before reading (the numbers it reserves are then
    // the next ones, and the producer's snapshot is the state this transaction began
    // from, see pageSource); a dry run only reads. Foreign keys off: every row written
    // references the run and batch rows this transaction writes (ADR 0064, 0189).
    if (opts.dryRun === true) run.deferred();
    else withForeignKeysOff(db, () => run.immediate());
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  if (result === undefined) throw new Error('inquire produced no result');
  return result;
}

function inquireInTransaction(db: Db, opts: InquireOptions, historyDays: number, reinquireAfter: number, settings: BankSettings[], inWorker: boolean): InquireResult {
  const date = opts.date;
  const dry = opts.dryRun === true;
  const operator = currentOperator(opts.operator);
  const now = nowTokyoTimestamp();
  const historyFrom = historyDays === 0 ? null : addDays(date, -historyDays);
  const since = addDays(date, -reinquireAfter);
  const pageSize = opts.pageSize ?? opts.engine?.chunk ?? 1_000;

  const runs: BankRun[] = settings.map((s, index) => {
    const maxPerFile = Math.min(MAX_RECORDS_PER_FILE, s.maxRecordsPerFile);
    const firstFile = firstFreeFileNumber(db, s);
    const batchId = batchIdFor(s.bankCode, firstFile);
    if (batchExists(db, batchId)) {
      throw conflict('inquire.batch-exists', {
        ja: `バッチ ${batchId} は既に存在します。金融機関 ${s.bankCode} の次のファイル番号の設定を確認してください。`,
        en: `batch ${batchId} already exists; check the next file number of bank ${s.bankCode}.`,
      });
    }
    return { index, bankCode: s.bankCode, settings: s, maxPerFile, firstFile, batchId, inquiries: 0 };
  });
  const bankList = runs.map((r) => r.bankCode);

  const w = dry ? null : inquiryWriter(db);
  const runId = w === null ? 0 : w.run(date, JSON.stringify({ banks: bankList, historyDays, reinquireAfter }), now, operator);
  const exclusions = dry ? null : inquiryExclusionWriter(db);

  const excluded: Record<string, number> = {};
  const substituted: Substituted = { gaiji: 0, nameShortened: 0, addressShortened: 0 };
  let skippedPairs = 0;
  let seen = 0;
  let candidates = 0;

  // The pages' decisions come from the producer (a worker thread reading the snapshot
  // this transaction began from, or inline); they are stored here, in order.
  const pages = pageSource(db, { date, since, pageSize, banks: bankList }, inWorker);
  try {
    // while the producer reads its first pages: where the people asked go (ADR 0189).
    // Ids of one length: text order is numeric order, each bank's inquiries are numbered
    // as they come. Otherwise the stage, numbered by one INSERT … SELECT (ADR 0122).
    // (one pass over the taxpayers also counts them for the progress)
    const shape = opts.onProgress !== undefined || (!dry && opts.stage !== true) ? activeIdShape(db) : null;
    const direct = dry || opts.stage === true || shape?.oneLength !== true ? null : inquiryDirectWriter(db, runs.map((r) => r.batchId));
    // the inquiries precede their batch rows (written in pass 2, as the staged path does):
    // checked at commit where the checks are on (an outer transaction); off otherwise (ADR 0064)
    if (direct !== null) db.pragma('defer_foreign_keys = ON');
    const stage: InquiryStage | null = dry || direct !== null ? null : inquiryStage(db);
    const total = shape?.count ?? 0;
    const nBanks = runs.length;

    for (let page = pages.next(); page !== undefined; page = pages.next()) {
      candidates += page.candidates;
      const exc = EXCLUSION_ROWS.readColumns(page.exclusions);
      for (let i = 0; i < page.exclusions.n; i++) {
        const atena = exc.atena[i] as string;
        const bank = exc.bank[i] as string | null;
        const reason = exc.reason[i] as string;
        const detail = exc.detail[i] as string | null;
        excluded[reason] = (excluded[reason] ?? 0) + 1;
        exclusions?.add(runId, atena, bank, reason, detail);
        opts.onExclusion?.(atena, bank, reason, detail);
      }
      skippedPairs += page.skippedPairs;
      for (const r of runs) r.inquiries += page.perBank[r.index] ?? 0;
      const p = PEOPLE_ROWS.readColumns(page.people);
      for (let i = 0; i < page.people.n; i++) {
        const { name, address } = asWritten(p.name[i] as string, p.address[i] as string | null, p.asked[i] as number, substituted);
        if (stage === null && direct === null) continue; // a dry run
        const atena = p.atena[i] as string;
        const kana = p.kana[i] as string;
        const birth = p.birth[i] as string | null;
        const skip = p.skip[i] as string;
        if (stage !== null) stage.add(p.num[i] as number, atena, kana, name, birth, address, skip);
        else if (direct !== null) {
          for (let b = 0; b < nBanks; b++) if (skip.charCodeAt(b) === 0x30) direct.add(b, atena, kana, name, birth, address);
        }
      }
      // whole multi-row statements only; the rest with the next page's (at most ROWS − 1 rows wait)
      exclusions?.flushFull();
      stage?.flushFull();
      direct?.flushFull();
      seen += page.taxpayers;
      opts.onProgress?.(seen, total);
    }
    exclusions?.flush();
    stage?.flush();
    direct?.flush();
    // Pass 2: one batch per bank with inquiries; files and file numbers.
    const batches: InquiryBatchSummary[] = [];
    for (const r of runs) {
      if (r.inquiries === 0) continue;
      const files = Math.ceil(r.inquiries / r.maxPerFile);
      const last = r.firstFile + files - 1;
      if (last > MAX_FILE_NUMBER) {
        throw conflict('inquire.file-number', {
          ja: `金融機関 ${r.bankCode} のファイル番号が8桁 (${MAX_FILE_NUMBER}) を超えます。`,
          en: `bank ${r.bankCode}: file number exceeds 8 digits (${MAX_FILE_NUMBER}).`,
        });
      }
      const fileNumbers = Array.from({ length: files }, (_, k) => r.firstFile + k);
      if (w !== null) {
        w.batch({
          id: r.batchId,
          extractionId: runId,
          bankCode: r.bankCode,
          requesterCode: r.settings.requesterCode,
          baseDate: date,
          historyFrom,
          layoutId: r.settings.inquiryLayout,
          createdAt: now,
        });
        const n = stage !== null ? stage.materialize(r.batchId, r.index) : (direct?.count(r.index) ?? 0);
        if (n !== r.inquiries) throw new Error(`inquire: bank ${r.bankCode}: ${n} inquiries stored, ${r.inquiries} counted`);
        for (let k = 0; k < files; k++) {
          w.file({ batchId: r.batchId, seq: k + 1, fileNumber: r.firstFile + k, firstSeq: k * r.maxPerFile + 1, lastSeq: Math.min(r.inquiries, (k + 1) * r.maxPerFile) });
        }
        w.batchTotals(r.batchId, r.inquiries);
        setNextFileNumber(db, r.bankCode, last + 1, now);
        audit(db, { action: 'batch.inquire', batchId: r.batchId, details: { runId, baseDate: date, historyFrom, inquiries: r.inquiries, files: fileNumbers } }, operator);
      }
      batches.push({ id: r.batchId, bankCode: r.bankCode, fileNumbers, inquiries: r.inquiries });
    }
    stage?.drop();

    const ordered: Record<string, number> = {};
    for (const k of INQUIRY_EXCLUSION_REASONS) if (excluded[k] !== undefined) ordered[k] = excluded[k];
    const skippedOut = { 'recently-inquired': skippedPairs };
    if (w !== null) {
      const summary = { batches: batches.map((b) => b.id), excluded: ordered, skipped: skippedOut, substituted };
      w.runSummary(runId, JSON.stringify(summary));
      audit(db, { action: 'inquire', details: { runId, baseDate: date, historyFrom, taxpayers: candidates, ...summary } }, operator);
    }
    return {
      run: w === null ? inquiryRunNumber(db, Number.MAX_SAFE_INTEGER) + 1 : inquiryRunNumber(db, runId),
      date,
      historyFrom,
      dryRun: dry,
      batches,
      excluded: ordered,
      skipped: skippedOut,
      substituted,
      taxpayersSeen: candidates,
    };
  } finally {
    pages.close();
  }
}

/** Pages decided by a producer; close() stops it (idempotent). */
interface PageSource {
  next(): InquirePage | undefined;
  close(): void;
}

/**
 * The producer of the decided pages.
 *
 * The worker reads through its own read-only connection (openSnapshotReader), which pins
 * ONE snapshot when it opens. Rule: this thread already holds the write lock when the
 * producer starts — inquire's transaction is BEGIN IMMEDIATE — so the snapshot is exactly
 * the committed state the inquire transaction began from, and the worker never sees
 * inquire's own writes. The inline path reads the same rows: the pages read taxpayers,
 * debts, open requests (requests of open batches) and recent inquiries; inquire writes
 * extractions, exclusions, the stage, batches, batch_files, inquiries, bank settings and
 * audit — no taxpayer, debt nor request; and the inquiries it writes (inline, as a page
 * is stored, on the direct path) are those of pages already decided, whose 宛名番号 lie
 * below the next page's range, which is all `recent` reads (docs/adr/0189).
 */
function pageSource(db: Db, ctx: InquirePageContext, inWorker: boolean): PageSource {
  if (!inWorker) {
    const pages = inquirePages({ people: inquirePageReader(db), pages: extractPageReader(db), collisions: paddedIdCollisions(db) }, ctx);
    return { next: () => pages.next(), close: () => undefined };
  }
  const input: InquireWorkerInput = { file: db.name, page: ctx };
  // 16 pages ahead (a page's rows are ≈ 0.2 MB at 1,000 taxpayers): the worker keeps reading
  // while this thread runs its first query (activeIdShape, ≈ 0.3 s at 1M)
  return new SyncProducer(INQUIRE_WORKER, input, { maxInFlight: 16 });
}
