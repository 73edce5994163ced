/**
 * Step: import the delinquency export (shared/spec/import-csv.md).
 *
 * 1. Each input is scanned once (SHA-256, UTF-8 validity → encoding; ADR 0020).
 *    Then the fast path (ADR 0059, import-targets-fast.ts): a worker reads and checks
 *    the files while this thread upserts the rows in one transaction; it stores only a
 *    clean export, and anything to report or reject rolls it back for steps 2–4 (the
 *    full path), which decide every such export.
 * 2. Each file is read (taxpayers → debts → payments → accounts; synchronous chunked
 *    reads, rows without quotes split directly, ADR 0025), every row is
 *    validated (ADR 0023) and against the keys seen so far; good rows go to TEMP
 *    staging tables, bad rows to findings (and, with --skip-invalid, reject files).
 *    Only compact key sets (ADR 0026) are kept in memory.
 * 3. With any bad row and no --skip-invalid: nothing is stored, exit 3 with findings.
 * 4. Otherwise ONE transaction applies the snapshot (ADR 0021), marks the receipts
 *    the export already contains (ADR 0022), records the import and audits it.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isValidIso, nowTokyoTimestamp, todayTokyo } from '../../core/dates.js';
import { rejected, usageError, type AppError, type Finding } from '../../core/errors.js';
import { t, type Msg } from '../../core/i18n.js';
import { audit, currentOperator } from '../../db/audit.js';
import { withForeignKeysOff, type Db } from '../../db/connection.js';
import { applyTargetsImport, finishTargetsImport, insertImport, setImportSummary, TargetsStaging, type ApplyResult } from '../../db/targets.js';
import { columnAt, csvHeader, csvTable, issueMessage, keyPositions } from '../../domain/csv-tables.js';
import { isShown, mojibakeScan, rowParser, type CellIssue, type FileRole } from './columns.js';
import { CsvSyntaxFallback, countNewlines, readCsv, readCsvSync } from './csv-source.js';
import { scanFile, wrongEncoding, type CsvEncoding } from './encoding.js';
import { readHeader, rowShapeIssue, type CsvHeader } from './header.js';
import { KeySet } from '../../core/key-set.js';
import { RejectFile } from './reject-file.js';
import { FastPathUnclean, upsertFromWorker } from './fast-path.js';

export interface ImportTargetsOptions {
  taxpayers: string;
  debts: string;
  accounts: string;
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
  /** false: always the one-thread full path (tests compare both); default: the fast path first (ADR 0059) */
  fastPath?: boolean | undefined;
  /** rows per item of the fast path's worker (tests) */
  fastChunkRows?: number | undefined;
}

export interface ImportSummary {
  import: number;
  taxpayers: number;
  debts: number;
  accounts: number;
  payments: number;
  inactivated: { taxpayers: number; debts: number; accounts: number };
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

const ROLES: FileRole[] = ['taxpayers', 'debts', 'accounts', 'payments'];
/** Reading order of both paths: payments (which need only the debt keys) before accounts (ADR 0026). */
const READ_RANK: Record<FileRole, number> = { taxpayers: 0, debts: 1, payments: 2, accounts: 3 };
const inReadingOrder = <T extends { role: FileRole }>(inputs: T[]): T[] => [...inputs].sort((a, b) => READ_RANK[a.role] - READ_RANK[b.role]);
const KEY_SEP = '\u0000';
/** --max-reject-rate's default, in percent (import-csv.md: "default 5 %"). */
export const DEFAULT_MAX_REJECT_RATE = 5;
/** --max-reject-rate out of range or not a number: exit 2. */
export function maxRejectRateError(given: string): AppError {
  return usageError('import.max-reject-rate', {
    ja: `--max-reject-rate は 0 から 100 までの数（パーセント）で指定してください（${given}）`,
    en: `--max-reject-rate is a percentage from 0 to 100 (${given})`,
  });
}

const M = {
  refMissingTaxpayer: { ja: 'この宛名番号は taxpayers.csv にありません', en: 'this 宛名番号 is not in taxpayers.csv' },
  refRejectedTaxpayer: { ja: 'この宛名番号の滞納者行が不備のため取り込めません（その行を直してください）', en: 'the taxpayer row of this 宛名番号 was rejected (fix that row)' },
  refMissingDebt: { ja: 'この調定番号は debts.csv にありません', en: 'this 調定番号 is not in debts.csv' },
  refRejectedDebt: { ja: 'この調定番号の債権行が不備のため取り込めません（その行を直してください）', en: 'the debt row of this 調定番号 was rejected (fix that row)' },
  mojibake: { ja: '文字コードとして解釈できない文字があります（文字化け）。--encoding を確認するか出力し直してください', en: 'contains bytes that cannot be decoded (mojibake); check --encoding or export again' },
} satisfies Record<string, Msg>;

const dupMsg = (key: string, other: number): Msg => ({
  ja: `${key}が${other}行目と重複しています（どちらの行も取り込みません）`,
  en: `${key} duplicates line ${other} (neither row is imported)`,
});

interface Rejection {
  column: string | undefined;
  code: string;
  message: Msg;
  expected?: string | undefined;
  /** shown on the console: never a personal value (cli.md) */
  found?: string | undefined;
}

export async function importTargets(db: Db, opts: ImportTargetsOptions): Promise<ImportSummary> {
  const plan = await planImport(opts);
  // 2a. fast path (ADR 0059): a clean export is read on the second core and upserted directly
  if (opts.fastPath !== false && !db.inTransaction) {
    const summary = importClean(db, plan, opts);
    if (summary !== null) return summary;
  }
  // 2b–4. full path: every row checked and staged, every finding reported
  return await importChecked(db, plan, opts);
}

/** What both paths work from: the checked options, the inputs, their hashes and encodings. */
interface ImportPlan {
  asOf: string;
  /** the given files, in ROLES order */
  inputs: Input[];
  skip: boolean;
  maxRejectRate: number;
  /** findings kept in the error */
  cap: number;
  /** rows between progress reports */
  every: number;
  encodings: Partial<Record<FileRole, CsvEncoding>>;
  /** file name → SHA-256 of the file */
  hashes: Record<string, string>;
  /** SHA-256 of all inputs, one after the other */
  sha256: string;
  operator: string;
  files: string[];
  withPayments: boolean;
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
  const inputs = ROLES.flatMap((role) => {
    const f = opts[role];
    return f === undefined ? [] : [{ role, file: f, name: path.basename(f) }];
  });
  for (const i of inputs) {
    if (!fs.existsSync(i.file) || !fs.statSync(i.file).isFile()) {
      throw usageError('import.file-missing', { ja: `${i.role} のファイル ${i.file} が見つかりません。パスを確認してください`, en: `${i.role} file ${i.file} not found; check the path` });
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
  const { sha256, files, asOf, skip, operator } = plan;
  setImportSummary(db, importId, stored);
  audit(db, { action: 'import.targets', sha256, details: { importId, files, asOf, skipInvalid: skip, ...stored, mismatchChotei: undefined } }, operator);
  const { fileSha256: _hashes, ...summary } = stored;
  return { import: importId, ...summary, asOf, sha256, rejectFiles: rej.rejectFiles, fastPath };
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
        const counts = upsertFromWorker(db, importId, { files: fastFiles, ...(opts.fastChunkRows ? { chunkRows: opts.fastChunkRows } : {}) }, { onProgress: opts.onProgress, every: plan.every });
        const r = finishTargetsImport(db, importId, counts, { withPayments: plan.withPayments, asOf: plan.asOf });
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
  const run = new CheckRun(db, plan, opts);
  try {
    // Reading order: payments (which need only the debt keys) before accounts (which need
    // only the taxpayer keys), so the account keys reuse the debt key set's buffers
    // (ADR 0026); findings and reject files are still reported in ROLES order.
    for (const input of inReadingOrder(plan.inputs)) checkFile(run, input);

    const findings = ROLES.flatMap((r) => run.findingsOf[r]).slice(0, plan.cap);
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
      const r = applyTargetsImport(db, importId, { withPayments: plan.withPayments, asOf: plan.asOf });
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

/** What the full path keeps across the files of one import. */
class CheckRun {
  readonly staging: TargetsStaging;
  /** findings per file, reported in ROLES order whatever the reading order */
  readonly findingsOf: Record<FileRole, Finding[]> = { taxpayers: [], debts: [], accounts: [], payments: [] };
  findingsSeen = 0;
  /** rows bad in themselves (not only because of a rejected parent) */
  badRows = 0;
  rejectedTotal = 0;
  readonly rejectedByFile: Partial<Record<FileRole, number>> = {};
  /** one reject file per input (--skip-invalid) */
  readonly rejectFileOf: Partial<Record<FileRole, RejectFile>> = {};
  // compact key sets (ADR 0026): bytes in typed arrays, exact comparison
  readonly taxpayerKeys = new KeySet(1 << 18);
  readonly rejectedTaxpayers = new KeySet(1 << 10);
  readonly debtKeys = new KeySet(1 << 19);
  readonly rejectedDebts = new KeySet(1 << 10);

  constructor(
    readonly db: Db,
    readonly plan: ImportPlan,
    readonly opts: ImportTargetsOptions,
  ) {
    this.staging = new TargetsStaging(db);
  }

  /** The reject files, in ROLES order whatever the reading order. */
  rejectFiles(): RejectFile[] {
    return ROLES.flatMap((r) => this.rejectFileOf[r] ?? []);
  }

  addFinding(role: FileRole, f: Finding): void {
    this.findingsSeen++;
    if (this.findingsOf[role].length < this.plan.cap) this.findingsOf[role].push(f);
  }
}

/** 2b. Read one file: its header, then every row (FileCheck.row), then the first rows of duplicated keys. */
function checkFile(run: CheckRun, input: Input): void {
  const { role, file, name } = input;
  const encoding = run.plan.encodings[role]!;
  const head = readHeader(file, name, encoding, role);
  if (head.structural.length > 0) {
    throw rejected('import.header', { ja: `${name} の見出し行に不備があるため、取り込みを中止しました（何も保存していません）`, en: `${name}: the header row is wrong; nothing was stored` }, head.structural, { file: name });
  }
  const reject = run.plan.skip ? new RejectFile(file, head.header, encoding, { line: t({ ja: '行番号', en: 'line' }), reason: t({ ja: '不備の理由', en: 'reason' }) }) : null;
  if (reject) run.rejectFileOf[role] = reject;
  const check = new FileCheck(run, input, head, reject);

  let isHeader = true;
  readCsvSync(file, name, encoding, (line, cells, text) => {
    if (isHeader) {
      isHeader = false;
      return;
    }
    check.row(line, cells, text);
  });
  check.rejectFirstsOfDuplicates();
  if (run.plan.skip) refuseBrokenFile(name, check.rows, run.rejectedByFile[role] ?? 0, check.linesInCells, run.plan.maxRejectRate, run.findingsOf[role]);
  run.staging.flush();
  run.opts.onProgress?.({ role, file: name, rows: check.rows, done: true });
}

// where each file's keys and references are in its row of values (domain/csv-tables.ts)
const TAXPAYER_ATENA = columnAt('taxpayers', '宛名番号');
const DEBT_CHOTEI = columnAt('debts', '調定番号');
const DEBT_ATENA = columnAt('debts', '宛名番号');
const ACCOUNT_ATENA = columnAt('accounts', '宛名番号');
const ACCOUNT_KEY = keyPositions('accounts');
const PAYMENT_CHOTEI = columnAt('payments', '調定番号');
/** The column a duplicate key's finding names (an account's key is five columns: its 口座番号). */
const DUPLICATE_COLUMN = { taxpayers: '宛名番号', debts: '調定番号', accounts: '口座番号' } as const;
/** A duplicated account key, as the finding says it. */
const ACCOUNT_KEY_WORDS = '口座（宛名番号・金融機関・支店・種目・口座番号）';

/** The full path's check of one file: its rows one by one, against the keys seen so far. */
class FileCheck {
  readonly role: FileRole;
  readonly name: string;
  /** data rows read */
  rows = 0;
  /** line breaks inside quoted cells: lines that yielded no row of their own */
  linesInCells = 0;
  private readonly width: number;
  private readonly parse: (cells: string[], out: unknown[]) => CellIssue[] | null;
  private readonly mojibakeCells: (cells: readonly string[], text: string | null) => number[];
  /** debts and payments are read by now: the account keys take the debt key set's buffers */
  private readonly accountKeys: KeySet | null;
  /** key → the line of its first occurrence, for that row's rejection at the end */
  private readonly dupFirsts = new Map<string, number>();

  constructor(
    private readonly run: CheckRun,
    input: Input,
    private readonly head: CsvHeader,
    private readonly reject: RejectFile | null,
  ) {
    this.role = input.role;
    this.name = input.name;
    this.width = csvTable(this.role).length;
    this.parse = rowParser(this.role, head.index);
    this.mojibakeCells = mojibakeScan(this.role, head.index);
    this.accountKeys = this.role === 'accounts' ? run.debtKeys.clear() : null;
  }

  /** One data row: its shape, its cells, then its keys and references; staged when good. */
  row(line: number, cells: string[], text: string | null): void {
    const { run, role } = this;
    this.rows++;
    if (text === null) this.linesInCells += countNewlines(cells);
    if (run.opts.onProgress && this.rows % run.plan.every === 0) run.opts.onProgress({ role, file: this.name, rows: this.rows, done: false });
    const reasons: Rejection[] = [];
    // values shifted by a stray comma: report the row's shape only, never a cell (issue 13, item 1)
    const shape = rowShapeIssue(this.head, cells);
    if (shape) reasons.push({ column: undefined, code: shape.code, message: shape.message, expected: shape.expected, found: shape.found });
    else for (const i of this.mojibakeCells(cells, text)) reasons.push({ column: this.head.header[i]!, code: 'import.mojibake', message: M.mojibake });
    const values: unknown[] = new Array(this.width);
    const issues = reasons.length === 0 ? this.parse(cells, values) : null;
    if (issues !== null) {
      for (const issue of issues) {
        const value = this.cell(cells, issue.column);
        reasons.push({ column: issue.column, code: `import.${issue.code.split(':')[0]}`, message: issueMessage(issue.code), found: isShown(role, issue.column) ? value.slice(0, 40) : undefined });
      }
    }
    if (reasons.length > 0) {
      this.rejectRow(line, cells, reasons, false);
      // its key (when it has one) is rejected: rows referring to it are rejected as dependent
      if (role === 'taxpayers' && this.cell(cells, '宛名番号')) run.rejectedTaxpayers.add(this.cell(cells, '宛名番号'));
      if (role === 'debts' && this.cell(cells, '調定番号')) run.rejectedDebts.add(this.cell(cells, '調定番号'));
      return;
    }
    switch (role) {
      case 'taxpayers':
        return this.taxpayer(line, cells, values);
      case 'debts':
        return this.debt(line, cells, values);
      case 'accounts':
        return this.account(line, cells, values);
      case 'payments':
        return this.payment(line, cells, values);
    }
  }

  /** The trimmed text of a column's cell, '' when the header lacks the column. */
  private cell(cells: string[], column: string): string {
    const at = this.head.index.get(column);
    return at === undefined ? '' : (cells[at] ?? '').trim();
  }

  private taxpayer(line: number, cells: string[], v: unknown[]): void {
    const { run } = this;
    const atena = v[TAXPAYER_ATENA] as string;
    if (run.taxpayerKeys.has(atena) || this.dupFirsts.has(atena)) {
      const other = run.staging.lineOf('taxpayers', [atena]) ?? 0;
      if (!this.dupFirsts.has(atena)) this.dupFirsts.set(own(atena), other);
      this.rejectRow(line, cells, [{ column: '宛名番号', code: 'import.duplicate-key', message: dupMsg('宛名番号', other), found: atena }], false);
      return;
    }
    run.taxpayerKeys.add(atena);
    run.staging.row('taxpayers', v, line);
  }

  private debt(line: number, cells: string[], v: unknown[]): void {
    const { run } = this;
    const chotei = v[DEBT_CHOTEI] as string;
    const atena = v[DEBT_ATENA] as string;
    if (run.rejectedTaxpayers.has(atena)) {
      this.rejectRow(line, cells, [{ column: '宛名番号', code: 'import.parent-rejected', message: M.refRejectedTaxpayer, found: atena }], true);
      run.rejectedDebts.add(chotei);
      return;
    }
    const problems: Rejection[] = [];
    if (!run.taxpayerKeys.has(atena)) problems.push({ column: '宛名番号', code: 'import.unknown-taxpayer', message: M.refMissingTaxpayer, found: atena });
    if (run.debtKeys.has(chotei) || this.dupFirsts.has(chotei)) {
      const other = run.staging.lineOf('debts', [chotei]) ?? 0;
      if (!this.dupFirsts.has(chotei)) this.dupFirsts.set(own(chotei), other);
      problems.push({ column: '調定番号', code: 'import.duplicate-key', message: dupMsg('調定番号', other), found: chotei });
    }
    if (problems.length) {
      this.rejectRow(line, cells, problems, false);
      if (!run.debtKeys.has(chotei)) run.rejectedDebts.add(chotei);
      return;
    }
    run.debtKeys.add(chotei);
    run.staging.row('debts', v, line);
  }

  private account(line: number, cells: string[], v: unknown[]): void {
    const { run } = this;
    const atena = v[ACCOUNT_ATENA] as string;
    if (run.rejectedTaxpayers.has(atena)) {
      this.rejectRow(line, cells, [{ column: '宛名番号', code: 'import.parent-rejected', message: M.refRejectedTaxpayer, found: atena }], true);
      return;
    }
    const problems: Rejection[] = [];
    if (!run.taxpayerKeys.has(atena)) problems.push({ column: '宛名番号', code: 'import.unknown-taxpayer', message: M.refMissingTaxpayer, found: atena });
    const keyCells = ACCOUNT_KEY.map((i) => v[i] as string);
    const key = keyCells.join(KEY_SEP);
    if (this.accountKeys!.has(key) || this.dupFirsts.has(key)) {
      const other = run.staging.lineOf('accounts', keyCells) ?? 0;
      if (!this.dupFirsts.has(key)) this.dupFirsts.set(own(key), other);
      problems.push({ column: DUPLICATE_COLUMN.accounts, code: 'import.duplicate-key', message: dupMsg(ACCOUNT_KEY_WORDS, other) });
    }
    if (problems.length) {
      this.rejectRow(line, cells, problems, false);
      return;
    }
    this.accountKeys!.add(key);
    run.staging.row('accounts', v, line);
  }

  private payment(line: number, cells: string[], v: unknown[]): void {
    const { run } = this;
    const chotei = v[PAYMENT_CHOTEI] as string;
    if (run.rejectedDebts.has(chotei)) {
      this.rejectRow(line, cells, [{ column: '調定番号', code: 'import.parent-rejected', message: M.refRejectedDebt, found: chotei }], true);
      return;
    }
    if (!run.debtKeys.has(chotei)) {
      this.rejectRow(line, cells, [{ column: '調定番号', code: 'import.unknown-debt', message: M.refMissingDebt, found: chotei }], false);
      return;
    }
    run.staging.payment(v);
  }

  /** First occurrences of duplicated keys: rejected too (which row is right is unknown). */
  rejectFirstsOfDuplicates(): void {
    const { run, role } = this;
    if (role === 'payments') return;
    const keyColumn = DUPLICATE_COLUMN[role];
    const keyColumns = csvTable(role).filter((c) => c.key);
    for (const [key, firstLine] of this.dupFirsts) {
      const keyParts = key.split(KEY_SEP);
      // the reject file's row: the key's cells, the rest empty
      const cells = this.head.header.map(() => '');
      keyColumns.forEach((c, i) => {
        const at = this.head.index.get(c.csv);
        if (at !== undefined) cells[at] = keyParts[i] ?? '';
      });
      run.staging.remove(role, keyParts);
      if (role === 'accounts') this.accountKeys!.delete(key);
      else if (role === 'taxpayers') {
        run.taxpayerKeys.delete(key);
        run.rejectedTaxpayers.add(key);
      } else {
        run.debtKeys.delete(key);
        run.rejectedDebts.add(key);
      }
      const message = { ja: `${keyColumn}が後の行と重複しています（どちらの行も取り込みません）`, en: `${keyColumn} is repeated on a later line (neither row is imported)` };
      this.rejectRow(firstLine, cells, [{ column: keyColumn, code: 'import.duplicate-key', message, found: keyColumns.every((c) => !c.personal) ? key : undefined }], false);
    }
  }

  /** A rejected row: counted, its reasons as findings (unless it only depends on a rejected row), and into the reject file. */
  private rejectRow(line: number, cells: string[], reasons: Rejection[], dependent: boolean): void {
    const { run, role } = this;
    run.rejectedTotal++;
    run.rejectedByFile[role] = (run.rejectedByFile[role] ?? 0) + 1;
    if (!dependent) {
      run.badRows++;
      for (const r of reasons) {
        run.addFinding(role, {
          code: r.code,
          file: this.name,
          line,
          ...(r.column !== undefined ? { column: r.column } : {}),
          ...(r.expected !== undefined ? { expected: r.expected } : {}),
          ...(r.found !== undefined ? { found: own(r.found) } : {}),
          message: r.message,
        });
      }
    }
    this.reject?.write(
      line,
      reasons.map((r) => (r.column ? `${r.column}: ${t(r.message)}` : t(r.message))),
      cells,
    );
  }
}

/**
 * --skip-invalid on a file that looks broken rather than holding a few bad rows
 * (issue 13, item 2; ADR 0080): more than `maxRate` percent of its lines rejected or
 * swallowed inside quoted cells. An import is a snapshot, so importing the rest would
 * make everything it could not read inactive: refused whole (exit 3, nothing stored).
 */
function refuseBrokenFile(name: string, rows: number, rejectedRows: number, linesInCells: number, maxRate: number, findings: Finding[]): void {
  const lines = rows + linesInCells;
  const lost = rejectedRows + linesInCells;
  if (lost === 0 || lost * 100 <= maxRate * lines) return;
  const pct = ((lost * 100) / lines).toFixed(1);
  const inCells = linesInCells > 0;
  throw rejected(
    'import.too-many-rejected',
    {
      ja:
        `${name} は ${lines} 行のうち ${lost} 行（${pct}%）を取り込めません` +
        (inCells ? `（うち ${linesInCells} 行は引用符の中に取り込まれ、行として読めません）` : '') +
        `。--skip-invalid で除外できるのは ${maxRate}% までです。壊れたファイルの可能性があり、残りだけを取り込むと読めなかった滞納者・債権・口座が無効になるため、取り込みを中止しました（何も保存していません）。ファイルを確認して出力し直すか、除外してよい場合は --max-reject-rate で上限を上げてください`,
      en:
        `${name}: ${lost} of ${lines} lines (${pct}%) cannot be imported` +
        (inCells ? ` (${linesInCells} of them are inside quoted cells and yield no row)` : '') +
        `; --skip-invalid leaves out at most ${maxRate}%. The file looks broken, and importing the rest would make everything it could not read inactive, so nothing was stored. Check the file and export it again, or raise the limit with --max-reject-rate if leaving those rows out is right`,
    },
    findings,
    { file: name },
  );
}

/**
 * A copy of a string that does not keep the chunk it was cut from alive (V8
 * slices of strings of 13+ characters point into their parent): for values kept
 * beyond the current record (key Sets, findings).
 */
function own(s: string): string {
  if (s.length < 13) return s; // V8 copies short substrings anyway
  // keys are validated ASCII: a latin1 round trip makes a flat copy cheaply
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return structuredClone(s);
  return Buffer.from(s, 'latin1').toString('latin1');
}
