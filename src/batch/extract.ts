/**
 * The extract step (spec/cli.md `extract`): select seizure targets as of a
 * processing date, one batch per bank, in ONE transaction.
 *
 * Taxpayers are read page by page in 宛名番号 order (keyset pagination, a few
 * set-based range queries per page, rows as arrays); each page is evaluated with
 * the pure rules of domain/eligibility.ts and domain/seizure-order.ts, its rows
 * buffered and stored with multi-row INSERTs before the next page is read.
 * `dryRun` runs exactly the same code and rolls the transaction back.
 */
import { conflict, usageError } from '../core/errors.js';
import type { Msg } from '../core/i18n.js';
import { isValidIso, nowTokyoTimestamp, toCompact } from '../core/dates.js';
import { holidayName, isBusinessDay } from '../domain/calendar.js';
import {
  EXCLUSION_REASONS,
  evaluateDebts,
  statusExclusion,
  type AccountLeftOutReason,
  type DebtFacts,
  type DebtLeftOutReason,
  type ExclusionReason,
} from '../domain/eligibility.js';
import { MAX_SUB_NUMBER, chooseBank, orderAccounts } from '../domain/seizure-order.js';
import type { PrincipalPayment } from '../domain/entaikin.js';
import { narrowName } from '../text/narrow.js';
import type { Db } from '../db/connection.js';
import { audit, currentOperator } from '../db/audit.js';
import { getBankSettings, type BankSettings } from '../db/settings.js';
import {
  batchExists,
  candidateBanks,
  countActiveTaxpayers,
  extractBulkWriter,
  extractPageReader,
  extractWriter,
  maxFileNumberUsed,
  setNextFileNumber,
  type AccountRaw,
  type DebtRaw,
} from '../db/batches.js';

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
  /** lift the one-open-request-per-taxpayer rule */
  allowMultipleBanks?: boolean;
  /** compute and report, store nothing */
  dryRun?: boolean;
  operator?: string;
  /**
   * taxpayers per page (default 1,000: a page's rows then die young in the GC's
   * nursery; 20,000 promoted them and cost ~30% more CPU and twice the peak RSS)
   */
  pageSize?: number;
  /** called after each page: taxpayers done / total candidates */
  onProgress?: (done: number, total: number) => void;
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
}

const WEEKDAYS: Msg[] = [
  { ja: '日曜日', en: 'Sunday' },
  { ja: '月曜日', en: 'Monday' },
  { ja: '火曜日', en: 'Tuesday' },
  { ja: '水曜日', en: 'Wednesday' },
  { ja: '木曜日', en: 'Thursday' },
  { ja: '金曜日', en: 'Friday' },
  { ja: '土曜日', en: 'Saturday' },
];

/** Refuse a date that is not a bank business day, naming why (exit 2). */
export function checkProcessingDate(date: string): void {
  if (!isValidIso(date)) {
    throw usageError('extract.date', {
      ja: `処理日 ${JSON.stringify(date)} は YYYY-MM-DD 形式の実在する日付ではありません。--date 2026-12-01 のように指定してください。`,
      en: `processing date ${JSON.stringify(date)} is not a real YYYY-MM-DD date; give e.g. --date 2026-12-01.`,
    });
  }
  if (isBusinessDay(date)) return;
  const hol = holidayName(date);
  const [m, d] = [Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const dow = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] as Msg;
  const why: Msg =
    hol !== null
      ? { ja: `祝日（${hol}）`, en: `a national holiday (${hol})` }
      : (m === 12 && d === 31) || (m === 1 && d <= 3)
        ? { ja: '年末年始の休業日（12/31〜1/3）', en: 'a year-end bank holiday (12/31–1/3)' }
        : { ja: dow.ja, en: `a ${dow.en}` };
  throw usageError('extract.not-business-day', {
    ja: `処理日 ${date} は金融機関の営業日ではありません（${why.ja}）。営業日を指定してください。`,
    en: `processing date ${date} is not a bank business day (${why.en}); choose a business day.`,
  });
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
export const MAX_RECORDS_PER_FILE = 999_999;
const MAX_FILE_NUMBER = 99_999_999;

export function batchIdOf(bankCode: string, firstFileNumber: number): string {
  return `${bankCode}-${String(firstFileNumber).padStart(8, '0')}`;
}

class Rollback extends Error {}

function inc(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

interface Candidate {
  acc: AccountRaw;
  name: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
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
  if (opts.collection !== undefined && opts.collection !== 'immediate' && opts.collection !== 'deferred') {
    throw usageError('extract.collection', {
      ja: `--collection は immediate（即時取立）か deferred（取立保留）です。`,
      en: `--collection is immediate or deferred.`,
    });
  }
  const operator = currentOperator(opts.operator);
  const date = opts.date;
  const pageSize = opts.pageSize ?? 1_000;
  const allowMulti = opts.allowMultipleBanks === true;

  let result: ExtractResult | undefined;
  const run = db.transaction(() => {
    result = extractInTransaction(db, opts, { date, minAmount, pageSize, allowMulti, operator });
    if (opts.dryRun) throw new Rollback();
  });
  try {
    run();
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  if (!result) throw new Error('extract produced no result');
  return result;
}

function extractInTransaction(
  db: Db,
  opts: ExtractOptions,
  c: { date: string; minAmount: number; pageSize: number; allowMulti: boolean; operator: string },
): ExtractResult {
  const { date, minAmount, pageSize, allowMulti, operator } = c;
  const now = nowTokyoTimestamp();
  const scope = [...new Set(opts.banks && opts.banks.length > 0 ? opts.banks : candidateBanks(db))].sort();
  const inScope = new Set(scope);

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

  const reader = extractPageReader(db);
  const w = extractWriter(db);
  const bulk = extractBulkWriter(db);
  const extractionId = w.extraction(
    date,
    JSON.stringify({
      banks: scope,
      collection: opts.collection ?? null,
      minAmount,
      allowMultipleBanks: allowMulti,
    }),
    now,
    operator,
  );

  const excluded: Record<string, number> = {};
  const debtsLeftOut: Record<string, number> = {};
  const accountsLeftOut: Record<string, number> = {};
  const exclude = (atena: string, bank: string | null, reason: ExclusionReason, detail: string | null = null): void => {
    bulk.exclusion(extractionId, atena, bank, reason, detail);
    inc(excluded, reason);
  };

  const total = opts.onProgress
    ? countActiveTaxpayers(db)
    : 0;

  const addRequest = (run: BankRun, atena: string, limit: number, covered: ReturnType<typeof evaluateDebts>['covered'], accts: Candidate[], birth: string | null): void => {
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
    const n = accts.length;
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
    for (const d of covered) bulk.requestDebt(requestId, d.chotei, d.honzei, d.fee, d.entaikin);
    for (let i = 0; i < n; i++) {
      const a = accts[i] as Candidate;
      bulk.record(requestId, i + 1, a.acc[0], a.acc[3], a.acc[4], a.acc[5], a.name, birth);
    }
    file.lastRequest = number;
    file.records += n;
    file.limitTotal += limit;
    run.records += n;
    run.limitTotal += limit;
  };

  let after = '';
  let seen = 0;
  let candidates = 0;
  let lastSource: string | null = null;
  let lastName: ReturnType<typeof narrowName> | null = null;
  const nameOf = (source: string): ReturnType<typeof narrowName> => {
    if (source !== lastSource || lastName === null) {
      lastName = narrowName(source, NAME_OPTIONS);
      lastSource = source;
    }
    return lastName;
  };
  for (;;) {
    const tps = reader.taxpayers(after, pageSize);
    if (tps.length === 0) break;
    const from = (tps[0] as (typeof tps)[number])[0];
    const to = (tps[tps.length - 1] as (typeof tps)[number])[0];
    after = to;

    // The page's rows; a taxpayer's rows are adjacent: index of the first by 宛名番号.
    const debts = reader.debts(from, to);
    const debtAt = runStarts(debts);
    let paysBy: Map<string, PrincipalPayment[]> | null = null;
    for (const p of reader.payments(from, to)) {
      paysBy ??= new Map();
      let list = paysBy.get(p[0]);
      if (!list) paysBy.set(p[0], (list = []));
      list.push({ date: p[1], honzei: p[2] });
    }
    const accts = reader.accounts(from, to);
    const acctAt = runStarts(accts);
    let openBy: Map<string, Set<string>> | null = null;
    for (const o of reader.open(from, to)) {
      openBy ??= new Map();
      let s = openBy.get(o[0]);
      if (!s) openBy.set(o[0], (s = new Set()));
      s.add(o[1]);
    }

    for (const tp of tps) {
      const atena = tp[0];
      const d0 = debtAt.get(atena);
      if (d0 === undefined) continue; // no active debt: not a delinquent in this export
      candidates++;
      const status = statusExclusion(tp[3]);
      if (status) {
        exclude(atena, null, status);
        continue;
      }
      const openBanks = openBy?.get(atena);
      if (!allowMulti && openBanks) {
        exclude(atena, null, 'in-open-batch', [...openBanks].sort().join(','));
        continue;
      }
      const facts: DebtFacts[] = [];
      for (let i = d0; i < debts.length; i++) {
        const d = debts[i] as DebtRaw;
        if (d[1] !== atena) break;
        facts.push(toFacts(d, paysBy));
      }
      if (facts.length > 1) facts.sort((a, b) => (a.chotei < b.chotei ? -1 : a.chotei > b.chotei ? 1 : 0));
      const verdict = evaluateDebts(facts, date);
      for (const l of verdict.leftOut) inc(debtsLeftOut, l.reason);
      if (verdict.covered.length === 0) {
        exclude(atena, null, 'no-seizable-debt', verdict.leftOut.map((l) => `${l.chotei}:${l.reason}`).join(',') || null);
        continue;
      }

      // Accounts at banks in this run, by bank (adjacent rows, bank codes ascending).
      const byBank = new Map<string, AccountRaw[]>();
      const a0 = acctAt.get(atena);
      if (a0 !== undefined) {
        for (let i = a0; i < accts.length; i++) {
          const a = accts[i] as AccountRaw;
          if (a[1] !== atena) break;
          if (!inScope.has(a[2])) continue;
          let l = byBank.get(a[2]);
          if (!l) byBank.set(a[2], (l = []));
          l.push(a);
        }
      }
      if (byBank.size === 0) {
        exclude(atena, scope.length === 1 ? (scope[0] as string) : null, 'no-account-at-bank');
        continue;
      }
      let notConfigured: string[] | null = null;
      for (const b of byBank.keys()) if (!runs.has(b)) (notConfigured ??= []).push(b);
      if (notConfigured !== null) {
        for (const b of notConfigured) byBank.delete(b);
        if (byBank.size === 0) {
          exclude(atena, notConfigured[0] as string, 'bank-not-configured', notConfigured.join(','));
          continue;
        }
      }
      if (allowMulti && openBanks) {
        const busy = [...byBank.keys()].filter((b) => openBanks.has(b));
        for (const b of busy) byBank.delete(b);
        if (byBank.size === 0) {
          exclude(atena, busy[0] as string, 'in-open-batch', busy.join(','));
          continue;
        }
      }

      // Names: an account whose holder name cannot be written is left out.
      const writable = new Map<string, { cands: Candidate[]; refused: number; balance: number }>();
      for (const [bank, list] of byBank) {
        const cands: Candidate[] = [];
        let refused = 0;
        let balance = 0;
        for (const a of list) {
          balance += a[7] ?? 0;
          const kana = a[6];
          const r = nameOf(kana !== null && kana.trim() !== '' ? kana : tp[1]);
          if (r.ok) cands.push({ acc: a, name: r.value, branchCode: a[3], accountType: a[4], accountNumber: a[5] });
          else refused++;
        }
        if (cands.length > 0) writable.set(bank, { cands, refused, balance });
      }
      if (writable.size === 0) {
        exclude(atena, byBank.size === 1 ? ([...byBank.keys()][0] as string) : null, 'name-not-writable');
        continue;
      }

      // One open request per taxpayer: the bank with the largest Σ 調査時残高.
      let targets: string[];
      if (allowMulti) targets = [...writable.keys()].sort();
      else {
        if (writable.size === 1) targets = [...writable.keys()];
        else {
          const chosen = chooseBank(new Map([...writable].map(([b, v]) => [b, v.balance]))) as string;
          targets = [chosen];
          for (const b of [...writable.keys()].sort()) if (b !== chosen) exclude(atena, b, 'assigned-to-other-bank', chosen);
        }
      }

      if (verdict.limit < minAmount) {
        exclude(atena, targets.length === 1 ? (targets[0] as string) : null, 'below-min-amount', String(verdict.limit));
        continue;
      }

      const birth = tp[2] ? toCompact(tp[2]) : null;
      for (const bank of targets) {
        const run = runs.get(bank) as BankRun;
        const v = writable.get(bank) as { cands: Candidate[]; refused: number };
        if (v.refused > 0) inc(accountsLeftOut, 'name-not-writable' satisfies AccountLeftOutReason, v.refused);
        const ordered = v.cands.length > 1 ? orderAccounts(v.cands) : v.cands;
        const cap = Math.min(MAX_SUB_NUMBER, run.maxPerFile);
        if (ordered.length > cap) inc(accountsLeftOut, 'over-sub-number-limit' satisfies AccountLeftOutReason, ordered.length - cap);
        addRequest(run, atena, verdict.limit, verdict.covered, ordered.length > cap ? ordered.slice(0, cap) : ordered, birth);
      }
    }
    bulk.flush();
    seen += tps.length;
    opts.onProgress?.(seen, total);
    if (tps.length < pageSize) break;
  }
  bulk.flush();

  // Files, totals, file numbers (bumped in this same transaction).
  const batches: ExtractedBatch[] = [];
  for (const run of runs.values()) {
    if (!run.created) continue;
    for (const f of run.files) w.batchFile({ batchId: run.batchId, ...f });
    w.batchTotals(run.batchId, run.requests, run.records, run.limitTotal);
    setNextFileNumber(db, run.bankCode, run.firstFile + run.files.length, now);
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
    audit(
      db,
      {
        action: 'batch.extract',
        batchId: run.batchId,
        details: { extractionId, processingDate: date, requests: run.requests, records: run.records, limitTotal: run.limitTotal, files: run.files.map((f) => f.fileNumber) },
      },
      operator,
    );
  }
  const ordered: Record<string, number> = {};
  for (const r of EXCLUSION_REASONS) if (excluded[r] !== undefined) ordered[r] = excluded[r];
  const summary = { excluded: ordered, debtsLeftOut, accountsLeftOut, batches: batches.map((b) => b.id), unconfiguredBanks: unconfigured };
  w.extractionSummary(extractionId, JSON.stringify(summary));
  audit(db, { action: 'extract', details: { extractionId, processingDate: date, dryRun: opts.dryRun === true, taxpayers: candidates, ...summary } }, operator);

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
  };
}

const NAME_OPTIONS = { cls: 'party', maxBytes: 30 } as const;
const NO_PAYMENTS: PrincipalPayment[] = Object.freeze([]) as unknown as PrincipalPayment[];

function toFacts(d: DebtRaw, paysBy: Map<string, PrincipalPayment[]> | null): DebtFacts {
  return {
    chotei: d[0],
    kubun: d[2],
    dueDate: d[3],
    honzeiOut: d[7],
    feeOut: d[8],
    entaikinPaid: d[9],
    entaikinKind: d[4],
    reminderDate: d[5],
    prescriptionDate: d[6],
    payments: paysBy?.get(d[0]) ?? NO_PAYMENTS,
  };
}

/** Index of the first row of each 宛名番号 (column 1) in rows where equal keys are adjacent. */
function runStarts(rows: ReadonlyArray<readonly unknown[]>): Map<string, number> {
  const m = new Map<string, number>();
  let prev: unknown = undefined;
  for (let i = 0; i < rows.length; i++) {
    const k = (rows[i] as readonly unknown[])[1];
    if (k !== prev) {
      m.set(k as string, i);
      prev = k;
    }
  }
  return m;
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  const r: Record<string, number> = {};
  for (const k of Object.keys(o).sort()) r[k] = o[k] as number;
  return r;
}

export type { DebtLeftOutReason };
