/**
 * Step: import the delinquency export (shared/spec/import-csv.md).
 *
 * 1. planImport: each input is scanned once (SHA-256, UTF-8 validity → encoding; ADR 0020).
 *    Then importClean, the fast path (ADR 0059, fast-path.ts): a worker reads and checks
 *    the files while this thread upserts the rows in one transaction; it stores only a
 *    clean export, and anything to report or reject rolls it back for steps 2–4 (the
 *    full path, importChecked), which decide every such export.
 * 2. Each file is read by full-check.ts (taxpayers → debts → payments → accounts;
 *    synchronous chunked reads, rows without quotes split directly, ADR 0025), every row
 *    is validated by the rules of its file's table (ADR 0023, 0105) and against the keys
 *    seen so far; good rows go to TEMP staging tables, bad rows to findings (and, with --skip-invalid, reject files).
 *    Only compact key sets (ADR 0026) are kept in memory.
 * 3. With any bad row and no --skip-invalid: nothing is stored, exit 3 with findings.
 * 4. Otherwise ONE transaction applies the snapshot (ADR 0021), marks the receipts
 *    the export already contains (ADR 0022), records the import and audits it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isValidIso, nowTokyoTimestamp, todayTokyo } from '../../core/dates.js';
import { rejected, usageError, type AppError } from '../../core/errors.js';
import { audit, currentOperator } from '../../db/audit.js';
import { withForeignKeysOff, type Db } from '../../db/connection.js';
import { applyTargetsImport, finishTargetsImport, insertImport, setImportSummary, TargetsStaging, type ApplyResult } from '../../db/targets.js';
import { csvHeader, FILE_ROLES } from '../../domain/csv-tables.js';
import type { FileRole } from './columns.js';
import { CsvSyntaxFallback, readCsv } from './csv-source.js';
import { scanFile, wrongEncoding, type CsvEncoding } from './encoding.js';
import { runsInWorker, type Engine } from '../../core/engine.js';
import { FastPathUnclean, upsertFromWorker } from './fast-path.js';
import { CheckRun, checkFile, type CheckSettings } from './full-check.js';

export interface ImportTargetsOptions {
  taxpayers: string;
  debts: string;
  /** accounts.csv; without it the known accounts are left exactly as they are (import-csv.md) */
  accounts?: string | undefined;
  payments?: string | undefined;
  /** the export's as-of date (YYYY-MM-DD); default today in Japan */
  asOf?: string | undefined;
  /** force the encoding of every input; default: detect per file */
  encoding?: CsvEncoding | undefined;
  /** import the good rows and write the bad ones to <input>.rejected.csv */
  skipInvalid?: boolean | undefined;
  /**
   * with skipInvalid: the largest share of a file's rows, in percent, that may be
   * rejected before the file is taken for broken and the import refused whole
   * (default DEFAULT_MAX_REJECT_RATE; ADR 0080)
   */
  maxRejectRate?: number | undefined;
  operator?: string | undefined;
  /** called every `progressEvery` rows and at the end of each file */
  onProgress?: ((p: { role: FileRole; file: string; rows: number; done: boolean }) => void) | undefined;
  progressEvery?: number | undefined;
  /** findings kept in the error (the rest are counted); default 1000 */
  findingsCap?: number | undefined;
  /**
   * called when the fast path leaves off at something to report or reject (nothing stored):
   * the full path then reads every file again from its first row, and its progress with it
   */
  onFullCheck?: ((p: { role: FileRole; file: string }) => void) | undefined;
  /**
   * core/engine.ts: `producer` 'inline' always takes the one-thread full path (tests
   * compare both); unset or 'worker': the fast path first, the export read on the second
   * core (ADR 0059), which an outer transaction rules out. `chunk`: rows per item of the
   * fast path's worker (tests)
   */
  engine?: Engine | undefined;
}

export interface ImportSummary {
  import: number;
  taxpayers: number;
  debts: number;
  accounts: number;
  payments: number;
  inactivated: { taxpayers: number; debts: number; accounts: number };
  /** accounts.csv was part of this import (without it no account was stored or made inactive) */
  withAccounts: boolean;
  rejected: number;
  paymentMismatches: number;
  receiptsIncluded: number;
  /** not part of the --json contract */
  asOf: string;
  sha256: string;
  encodings: Partial<Record<FileRole, CsvEncoding>>;
  rejectedByFile: Partial<Record<FileRole, number>>;
  rejectFiles: string[];
  /** 調定番号 whose payments.csv total differs from 本税収納済額 (first 1000) */
  mismatchChotei: string[];
  /** partly paid debts (本税収納済額 > 0) with no dated payment history: their 延滞金 can only be under-stated */
  debtsWithoutHistory: number;
  /** stored by the fast path (ADR 0059), not the full path */
  fastPath: boolean;
}

/** Reading order of both paths: payments (which need only the debt keys) before accounts (ADR 0026). */
const READ_RANK: Record<FileRole, number> = { taxpayers: 0, debts: 1, payments: 2, accounts: 3 };
const inReadingOrder = <T extends { role: FileRole }>(inputs: T[]): T[] => [...inputs].sort((a, b) => READ_RANK[a.role] - READ_RANK[b.role]);
/** --max-reject-rate's default, in percent (import-csv.md: "default 5 %"). */
export const DEFAULT_MAX_REJECT_RATE = 5;
/** --max-reject-rate out of range or not a number: exit 2. */
export function maxRejectRateError(given: string): AppError {
  return usageError('import.max-reject-rate', {
    ja: `--max-reject-rate は 0 から 100 までの数（パーセント）で指定してください（${given}）`,
    en: `--max-reject-rate is a percentage from 0 to 100 (${given})`,
  });
}

/** --max-reject-rate / the page's maxRejectRate: a percentage, '5', '12.5' or '20%' (the range is checked by the step). */
export function parseMaxRejectRate(v: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(v);
  if (!m) throw maxRejectRateError(v);
  return Number(m[1]);
}

export async function importTargets(db: Db, opts: ImportTargetsOptions): Promise<ImportSummary> {
  const plan = await planImport(opts);
  // 2a. fast path (ADR 0059): a clean export is read on the second core and upserted directly,
  // not inside an outer transaction: foreign keys cannot be switched off there
  if (runsInWorker(opts.engine, !db.inTransaction, 'import targets', 'no outer transaction')) {
    const summary = importClean(db, plan, opts);
    if (summary !== null) return summary;
  }
  // 2b–4. full path: every row checked and staged, every finding reported
  return await importChecked(db, plan, opts);
}

/** What both paths work from: the checked options (those of the full path's check among them), the inputs, their hashes and encodings. */
interface ImportPlan extends Omit<CheckSettings, 'onProgress'> {
  asOf: string;
  /** the given files, in FILE_ROLES order */
  inputs: Input[];
  /** file name → SHA-256 of the file */
  hashes: Record<string, string>;
  /** SHA-256 of all inputs, one after the other */
  sha256: string;
  operator: string;
  files: string[];
  withPayments: boolean;
  withAccounts: boolean;
}
interface Input {
  role: FileRole;
  file: string;
  name: string;
}

/** 1. Check the options and the files, and scan each input once: hashes and encodings (ADR 0020). */
async function planImport(opts: ImportTargetsOptions): Promise<ImportPlan> {
  const asOf = opts.asOf ?? todayTokyo();
  if (!isValidIso(asOf)) {
    throw usageError('import.as-of', { ja: `--as-of の日付 ${asOf} が正しくありません。YYYY-MM-DD で指定してください`, en: `--as-of ${asOf} is not a date; use YYYY-MM-DD` });
  }
  const inputs = FILE_ROLES.flatMap((role) => {
    const f = opts[role];
    return f === undefined ? [] : [{ role, file: f, name: path.basename(f) }];
  });
  for (const i of inputs) {
    if (!fs.existsSync(i.file) || !fs.statSync(i.file).isFile()) {
      throw usageError('file.not-found', { ja: `${i.role} のファイル ${i.file} が見つかりません。パスを確認してください`, en: `${i.role} file ${i.file} not found; check the path` });
    }
  }
  const maxRejectRate = opts.maxRejectRate ?? DEFAULT_MAX_REJECT_RATE;
  if (!(typeof maxRejectRate === 'number' && Number.isFinite(maxRejectRate) && maxRejectRate >= 0 && maxRejectRate <= 100)) {
    throw maxRejectRateError(String(opts.maxRejectRate));
  }

  const all = createHash('sha256');
  const encodings: Partial<Record<FileRole, CsvEncoding>> = {};
  const hashes: Record<string, string> = {};
  for (const i of inputs) {
    const s = await scanFile(i.file, all);
    hashes[i.name] = s.sha256;
    if (opts.encoding === 'utf8' && s.firstInvalidUtf8 !== null) {
      // UTF-16, EUC-JP, CP932 …: said as such when the header shows it (issue 13, item 7)
      throw wrongEncoding(i.file, i.name, 'utf8', csvHeader(i.role)) ?? rejected(
        'import.not-utf8',
        { ja: 'UTF-8 として読めないバイトがあります。CP932（Shift_JIS）のファイルなら --encoding cp932 を指定するか、--encoding を外してください', en: 'bytes that are not UTF-8; for a CP932 (Shift_JIS) file use --encoding cp932 or leave --encoding out' },
        [],
        { file: i.name, offset: s.firstInvalidUtf8 },
      );
    }
    encodings[i.role] = opts.encoding ?? (s.firstInvalidUtf8 === null ? 'utf8' : 'cp932');
  }
  return {
    asOf,
    inputs,
    skip: opts.skipInvalid === true,
    maxRejectRate,
    cap: opts.findingsCap ?? 1000,
    every: opts.progressEvery ?? 100_000,
    encodings,
    hashes,
    sha256: all.digest('hex'),
    operator: currentOperator(opts.operator),
    files: inputs.map((i) => i.name),
    withPayments: opts.payments !== undefined,
    withAccounts: opts.accounts !== undefined,
  };
}

type Rejections = Pick<ImportSummary, 'rejected' | 'rejectedByFile' | 'rejectFiles'>;

/** The summary of a stored import; its imports row and audit entry (inside the import's transaction). */
function recordImport(db: Db, plan: ImportPlan, importId: number, r: ApplyResult, rej: Rejections, fastPath: boolean): ImportSummary {
  const stored = {
    taxpayers: r.taxpayers,
    debts: r.debts,
    accounts: r.accounts,
    payments: r.payments,
    inactivated: r.inactivated,
    rejected: rej.rejected,
    rejectedByFile: rej.rejectedByFile,
    paymentMismatches: r.paymentMismatches,
    mismatchChotei: r.mismatchChotei,
    receiptsIncluded: r.receiptsIncluded,
    debtsWithoutHistory: r.debtsWithoutHistory,
    encodings: plan.encodings,
    fileSha256: plan.hashes,
  };
  const { sha256, files, asOf, skip, operator, withAccounts } = plan;
  setImportSummary(db, importId, { ...stored, withAccounts });
  audit(db, { action: 'import.targets', sha256, details: { importId, files, asOf, skipInvalid: skip, withAccounts, ...stored, mismatchChotei: undefined } }, operator);
  const { fileSha256: _hashes, ...summary } = stored;
  return { import: importId, ...summary, withAccounts, asOf, sha256, rejectFiles: rej.rejectFiles, fastPath };
}

const newImportRow = (db: Db, plan: ImportPlan): number =>
  insertImport(db, { kind: 'targets', sha256: plan.sha256, files: plan.files, asOf: plan.asOf, importedAt: nowTokyoTimestamp(), operator: plan.operator });

/**
 * 2a. The fast path (ADR 0059): the export read and checked on the second core, its rows
 * upserted here in one transaction. Null when the worker found something to report or
 * reject: nothing was stored, and the full path decides the export.
 */
function importClean(db: Db, plan: ImportPlan, opts: ImportTargetsOptions): ImportSummary | null {
  const fastFiles = inReadingOrder(plan.inputs).map((i) => ({ ...i, encoding: plan.encodings[i.role]! }));
  const staging = new TargetsStaging(db); // temp.stage_payments and the bulk page cache
  try {
    let summary!: ImportSummary;
    // foreign keys off: the worker's key checks stand for them (ADR 0059, 0064)
    withForeignKeysOff(db, () =>
      db.transaction(() => {
        const importId = newImportRow(db, plan);
        const counts = upsertFromWorker(db, importId, { files: fastFiles, ...(opts.engine?.chunk ? { chunkRows: opts.engine.chunk } : {}) }, { onProgress: opts.onProgress, every: plan.every });
        const r = finishTargetsImport(db, importId, counts, { withPayments: plan.withPayments, withAccounts: plan.withAccounts, asOf: plan.asOf });
        summary = recordImport(db, plan, importId, r, { rejected: 0, rejectedByFile: {}, rejectFiles: [] }, true);
      }).immediate(),
    );
    return summary;
  } catch (e) {
    if (!(e instanceof FastPathUnclean)) throw e;
    // something to report or reject: nothing was stored; the full path runs
    opts.onFullCheck?.({ role: e.role, file: plan.inputs.find((i) => i.role === e.role)?.name ?? e.role });
    return null;
  } finally {
    staging.drop();
  }
}

/**
 * 2b–4. The full path: each file read and every row checked (FileCheck), good rows
 * staged; with a bad row and no --skip-invalid nothing is stored (exit 3 with the
 * findings); otherwise one transaction applies the snapshot.
 */
async function importChecked(db: Db, plan: ImportPlan, opts: ImportTargetsOptions): Promise<ImportSummary> {
  const run = new CheckRun(db, { ...plan, onProgress: opts.onProgress });
  try {
    // Reading order: payments (which need only the debt keys) before accounts (which need
    // only the taxpayer keys), so the account keys reuse the debt key set's buffers
    // (ADR 0026); findings and reject files are still reported in FILE_ROLES order.
    for (const input of inReadingOrder(plan.inputs)) checkFile(run, input);

    const findings = FILE_ROLES.flatMap((r) => run.findingsOf[r]).slice(0, plan.cap);
    const moreFindings = run.findingsSeen - findings.length;
    if (run.badRows > 0 && !plan.skip) {
      throw rejected(
        'import.invalid-rows',
        {
          ja: `不備のある行が ${run.badRows} 行あるため、取り込みを中止しました（何も保存していません）。下の行を直して出力し直すか、--skip-invalid で正しい行だけを取り込んでください`,
          en: `${run.badRows} rows are invalid, so nothing was imported. Fix the rows below and export again, or use --skip-invalid to import only the valid rows`,
        },
        findings,
        undefined,
        moreFindings,
      );
    }

    // 3. one transaction
    let summary!: ImportSummary;
    db.transaction(() => {
      const importId = newImportRow(db, plan);
      const r = applyTargetsImport(db, importId, { withPayments: plan.withPayments, withAccounts: plan.withAccounts, asOf: plan.asOf });
      const rej: Rejections = { rejected: run.rejectedTotal, rejectedByFile: run.rejectedByFile, rejectFiles: run.rejectFiles().filter((f) => f.rows > 0).map((f) => f.target) };
      summary = recordImport(db, plan, importId, r, rej, false);
    }).immediate();
    for (const f of run.rejectFiles()) f.commit();
    return summary;
  } catch (err) {
    for (const f of run.rejectFiles()) f.abort();
    if (err instanceof CsvSyntaxFallback) {
      // the exact error (code, line) is csv-parse's own, from its streaming reader
      await readCsv(err.file, err.displayName, err.encoding, () => undefined);
      // its code only: csv-parse's message quotes the cell ("value is …"), which may be personal
      const code = (err.error as { code?: unknown } | null)?.code;
      throw new Error(`internal: csv-parse accepted ${err.displayName} as a whole but refused a part of it (${typeof code === 'string' ? code : 'error'})`);
    }
    throw err;
  } finally {
    run.staging.drop();
  }
}
