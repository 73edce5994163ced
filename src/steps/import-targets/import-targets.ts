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
import { COLUMNS, PERSONAL_COLUMNS, issueMessage, mojibakeScan, rowParser, type AccountRow, type DebtRow, type FileRole, type PaymentRow, type TaxpayerRow } from './columns.js';
import { CsvSyntaxFallback, countNewlines, readCsv, readCsvSync } from './csv-source.js';
import { scanFile, wrongEncoding, type CsvEncoding } from './encoding.js';
import { readHeader, rowShapeIssue } from './header.js';
import { KeySet } from '../../core/key-set.js';
import { runsInWorker, type Engine } from '../../core/engine.js';
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
  const skip = opts.skipInvalid === true;
  const maxRejectRate = opts.maxRejectRate ?? DEFAULT_MAX_REJECT_RATE;
  if (!(typeof maxRejectRate === 'number' && Number.isFinite(maxRejectRate) && maxRejectRate >= 0 && maxRejectRate <= 100)) {
    throw maxRejectRateError(String(opts.maxRejectRate));
  }
  const cap = opts.findingsCap ?? 1000;
  const every = opts.progressEvery ?? 100_000;

  // 1. scan: hashes and encodings
  const all = createHash('sha256');
  const encodings: Partial<Record<FileRole, CsvEncoding>> = {};
  const hashes: Record<string, string> = {};
  for (const i of inputs) {
    const s = await scanFile(i.file, all);
    hashes[i.name] = s.sha256;
    if (opts.encoding === 'utf8' && s.firstInvalidUtf8 !== null) {
      // UTF-16, EUC-JP, CP932 …: said as such when the header shows it (issue 13, item 7)
      throw wrongEncoding(i.file, i.name, 'utf8', COLUMNS[i.role].map((d) => d.name)) ?? rejected(
        'import.not-utf8',
        { ja: 'UTF-8 として読めないバイトがあります。CP932（Shift_JIS）のファイルなら --encoding cp932 を指定するか、--encoding を外してください', en: 'bytes that are not UTF-8; for a CP932 (Shift_JIS) file use --encoding cp932 or leave --encoding out' },
        [],
        { file: i.name, offset: s.firstInvalidUtf8 },
      );
    }
    encodings[i.role] = opts.encoding ?? (s.firstInvalidUtf8 === null ? 'utf8' : 'cp932');
  }
  const sha256 = all.digest('hex');
  const operator = currentOperator(opts.operator);
  const files = inputs.map((i) => i.name);
  const withPayments = opts.payments !== undefined;

  /** The summary of a stored import; its imports row and audit entry (inside the import's transaction). */
  const record = (importId: number, r: ApplyResult, rej: Pick<ImportSummary, 'rejected' | 'rejectedByFile' | 'rejectFiles'>, fastPath: boolean): ImportSummary => {
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
      encodings,
      fileSha256: hashes,
    };
    setImportSummary(db, importId, stored);
    audit(db, { action: 'import.targets', sha256, details: { importId, files, asOf, skipInvalid: skip, ...stored, mismatchChotei: undefined } }, operator);
    const { fileSha256: _hashes, ...summary } = stored;
    return { import: importId, ...summary, asOf, sha256, rejectFiles: rej.rejectFiles, fastPath };
  };

  // 2a. fast path (ADR 0059): a clean export is read on the second core and upserted directly
  // not inside an outer transaction: foreign keys cannot be switched off there
  if (runsInWorker(opts.engine, !db.inTransaction, 'import targets', 'no outer transaction')) {
    const fastFiles = inReadingOrder(inputs).map((i) => ({ ...i, encoding: encodings[i.role]! }));
    const staging = new TargetsStaging(db); // temp.stage_payments and the bulk page cache
    try {
      let summary!: ImportSummary;
      // foreign keys off: the worker's key checks stand for them (ADR 0059, 0064)
      withForeignKeysOff(db, () =>
        db.transaction(() => {
          const importId = insertImport(db, { kind: 'targets', sha256, files, asOf, importedAt: nowTokyoTimestamp(), operator });
          const counts = upsertFromWorker(db, importId, { files: fastFiles, ...(opts.engine?.chunk ? { chunkRows: opts.engine.chunk } : {}) }, { onProgress: opts.onProgress, every });
          const r = finishTargetsImport(db, importId, counts, { withPayments, asOf });
          summary = record(importId, r, { rejected: 0, rejectedByFile: {}, rejectFiles: [] }, true);
        }).immediate(),
      );
      return summary;
    } catch (e) {
      if (!(e instanceof FastPathUnclean)) throw e;
      // something to report or reject: nothing was stored; the full path below runs
      opts.onFullCheck?.({ role: e.role, file: inputs.find((i) => i.role === e.role)?.name ?? e.role });
    } finally {
      staging.drop();
    }
  }

  // 2. stream, validate, stage
  const staging = new TargetsStaging(db);
  // Findings are kept per file and reported in ROLES order, whatever the reading order.
  const findingsOf: Record<FileRole, Finding[]> = { taxpayers: [], debts: [], accounts: [], payments: [] };
  let findingsSeen = 0;
  let badRows = 0; // rows bad in themselves (not only because of a rejected parent)
  let rejectedTotal = 0;
  const rejectedByFile: Partial<Record<FileRole, number>> = {};
  // one reject file per input, listed in ROLES order whatever the reading order
  const rejectFileOf: Partial<Record<FileRole, RejectFile>> = {};
  const rejectFiles = (): RejectFile[] => ROLES.flatMap((r) => rejectFileOf[r] ?? []);
  // compact key sets (ADR 0026): bytes in typed arrays, exact comparison
  const taxpayerKeys = new KeySet(1 << 18);
  const rejectedTaxpayers = new KeySet(1 << 10);
  const debtKeys = new KeySet(1 << 19);
  const rejectedDebts = new KeySet(1 << 10);

  const addFinding = (role: FileRole, f: Finding): void => {
    findingsSeen++;
    if (findingsOf[role].length < cap) findingsOf[role].push(f);
  };

  // Reading order: payments (which need only the debt keys) before accounts (which need
  // only the taxpayer keys), so the account keys reuse the debt key set's buffers
  // (ADR 0026); findings and reject files are still reported in ROLES order.
  const reading = inReadingOrder(inputs);

  try {
    for (const input of reading) {
      const { role, file, name } = input;
      const encoding = encodings[role]!;
      const defs = COLUMNS[role];
      const head = readHeader(file, name, encoding, role);
      const { header, index, structural } = head;
      if (structural.length > 0) {
        throw rejected('import.header', { ja: `${name} の見出し行に不備があるため、取り込みを中止しました（何も保存していません）`, en: `${name}: the header row is wrong; nothing was stored` }, structural, { file: name });
      }
      const reject = skip ? new RejectFile(file, header, encoding, { line: t({ ja: '行番号', en: 'line' }), reason: t({ ja: '不備の理由', en: 'reason' }) }) : null;
      if (reject) rejectFileOf[role] = reject;
      const parse = rowParser(role, index) as (cells: string[]) => { row: unknown; issues: null } | { row: null; issues: Array<{ column: string; code: string }> };
      // debts and payments are read by now: the debt keys are not needed any more
      const accountKeys = role === 'accounts' ? debtKeys.clear() : null;
      const dupFirsts = new Map<string, string[]>(); // key → key cells for the first occurrence's reject row
      let rows = 0;
      let linesInCells = 0; // line breaks inside quoted cells: lines that yielded no row of their own

      const rejectRow = (line: number, cells: string[], reasons: Rejection[], dependent: boolean): void => {
        rejectedTotal++;
        rejectedByFile[role] = (rejectedByFile[role] ?? 0) + 1;
        if (!dependent) {
          badRows++;
          for (const r of reasons) {
            addFinding(role, {
              code: r.code,
              file: name,
              line,
              ...(r.column !== undefined ? { column: r.column } : {}),
              ...(r.expected !== undefined ? { expected: r.expected } : {}),
              ...(r.found !== undefined ? { found: own(r.found) } : {}),
              message: r.message,
            });
          }
        }
        reject?.write(
          line,
          reasons.map((r) => (r.column ? `${r.column}: ${t(r.message)}` : t(r.message))),
          cells,
        );
      };
      const shown = (column: string, value: string): string | undefined => (PERSONAL_COLUMNS.has(column) ? undefined : value.slice(0, 40));

      let isHeader = true;
      const mojibakeCells = mojibakeScan(role, index);
      readCsvSync(file, name, encoding, (line, cells, text) => {
        if (isHeader) {
          isHeader = false;
          return;
        }
        rows++;
        if (text === null) linesInCells += countNewlines(cells);
        if (opts.onProgress && rows % every === 0) opts.onProgress({ role, file: name, rows, done: false });
        const reasons: Rejection[] = [];
        // values shifted by a stray comma: report the row's shape only, never a cell (issue 13, item 1)
        const shape = rowShapeIssue(head, cells);
        if (shape) reasons.push({ column: undefined, code: shape.code, message: shape.message, expected: shape.expected, found: shape.found });
        else for (const i of mojibakeCells(cells, text)) reasons.push({ column: header[i]!, code: 'import.mojibake', message: M.mojibake });
        const parsed = reasons.length === 0 ? parse(cells) : null;
        if (parsed && parsed.issues) {
          for (const issue of parsed.issues) {
            const at = index.get(issue.column);
            const value = at === undefined ? '' : (cells[at] ?? '').trim();
            reasons.push({ column: issue.column, code: `import.${issue.code.split(':')[0]}`, message: issueMessage(issue.code), found: shown(issue.column, value) });
          }
        }
        if (!parsed || parsed.row === null) {
          rejectRow(line, cells, reasons, false);
          const keyOf = (col: string): string => {
            const at = index.get(col);
            return at === undefined ? '' : (cells[at] ?? '').trim();
          };
          if (role === 'taxpayers' && keyOf('宛名番号')) rejectedTaxpayers.add(keyOf('宛名番号'));
          if (role === 'debts' && keyOf('調定番号')) rejectedDebts.add(keyOf('調定番号'));
          return;
        }
        const row = parsed.row;
        switch (role) {
          case 'taxpayers': {
            const r = row as TaxpayerRow;
            if (taxpayerKeys.has(r.宛名番号) || dupFirsts.has(r.宛名番号)) {
              const other = staging.lineOf('taxpayers', r.宛名番号) ?? 0;
              if (!dupFirsts.has(r.宛名番号)) dupFirsts.set(own(r.宛名番号), [String(other)]);
              rejectRow(line, cells, [{ column: '宛名番号', code: 'import.duplicate-key', message: dupMsg('宛名番号', other), found: r.宛名番号 }], false);
              break;
            }
            taxpayerKeys.add(r.宛名番号);
            staging.taxpayer({ atena: r.宛名番号, name: r.氏名, kana: r.氏名カナ, birthDate: r.生年月日, address: r.住所, status: r.状態 }, line);
            break;
          }
          case 'debts': {
            const r = row as DebtRow;
            if (rejectedTaxpayers.has(r.宛名番号)) {
              rejectRow(line, cells, [{ column: '宛名番号', code: 'import.parent-rejected', message: M.refRejectedTaxpayer, found: r.宛名番号 }], true);
              rejectedDebts.add(r.調定番号);
              break;
            }
            const problems: Rejection[] = [];
            if (!taxpayerKeys.has(r.宛名番号)) problems.push({ column: '宛名番号', code: 'import.unknown-taxpayer', message: M.refMissingTaxpayer, found: r.宛名番号 });
            if (debtKeys.has(r.調定番号) || dupFirsts.has(r.調定番号)) {
              const other = staging.lineOf('debts', r.調定番号) ?? 0;
              if (!dupFirsts.has(r.調定番号)) dupFirsts.set(own(r.調定番号), [String(other)]);
              problems.push({ column: '調定番号', code: 'import.duplicate-key', message: dupMsg('調定番号', other), found: r.調定番号 });
            }
            if (problems.length) {
              rejectRow(line, cells, problems, false);
              if (!debtKeys.has(r.調定番号)) rejectedDebts.add(r.調定番号);
              break;
            }
            debtKeys.add(r.調定番号);
            staging.debt(
              {
                chotei: r.調定番号,
                atena: r.宛名番号,
                kubun: r.債権区分,
                taxCode: r.税目コード,
                taxName: r.税目名,
                fiscalYear: r.年度,
                period: r.期別,
                dueDate: r.納期限,
                honzei: r.本税,
                honzeiPaid: r.本税収納済額,
                fee: r.督促手数料,
                feePaid: r.督促手数料収納済額,
                entaikinPaid: r.延滞金収納済額,
                entaikinKind: r.延滞金区分,
                reminderDate: r.督促状発付日,
                prescriptionDate: r.時効完成日,
              },
              line,
            );
            break;
          }
          case 'accounts': {
            const r = row as AccountRow;
            if (rejectedTaxpayers.has(r.宛名番号)) {
              rejectRow(line, cells, [{ column: '宛名番号', code: 'import.parent-rejected', message: M.refRejectedTaxpayer, found: r.宛名番号 }], true);
              break;
            }
            const problems: Rejection[] = [];
            if (!taxpayerKeys.has(r.宛名番号)) problems.push({ column: '宛名番号', code: 'import.unknown-taxpayer', message: M.refMissingTaxpayer, found: r.宛名番号 });
            const keyCells: [string, string, string, string, string] = [r.宛名番号, r.金融機関コード, r.支店コード, r.預金種目, r.口座番号];
            const key = keyCells.join(KEY_SEP);
            if (accountKeys!.has(key) || dupFirsts.has(key)) {
              const other = staging.accountLineOf(keyCells) ?? 0;
              if (!dupFirsts.has(key)) dupFirsts.set(own(key), [String(other)]);
              problems.push({ column: '口座番号', code: 'import.duplicate-key', message: dupMsg('口座（宛名番号・金融機関・支店・種目・口座番号）', other) });
            }
            if (problems.length) {
              rejectRow(line, cells, problems, false);
              break;
            }
            accountKeys!.add(key);
            staging.account(
              { atena: r.宛名番号, bankCode: r.金融機関コード, branchCode: r.支店コード, accountType: r.預金種目, accountNumber: r.口座番号, holderKana: r.口座名義カナ, inquiryDate: r.調査日, balance: r.調査時残高 },
              line,
            );
            break;
          }
          case 'payments': {
            const r = row as PaymentRow;
            if (rejectedDebts.has(r.調定番号)) {
              rejectRow(line, cells, [{ column: '調定番号', code: 'import.parent-rejected', message: M.refRejectedDebt, found: r.調定番号 }], true);
              break;
            }
            if (!debtKeys.has(r.調定番号)) {
              rejectRow(line, cells, [{ column: '調定番号', code: 'import.unknown-debt', message: M.refMissingDebt, found: r.調定番号 }], false);
              break;
            }
            staging.payment({ chotei: r.調定番号, paidDate: r.収納日, honzei: r.本税, fee: r.督促手数料, entaikin: r.延滞金 });
            break;
          }
        }
      });
      // First occurrences of duplicated keys: rejected too (which row is right is unknown).
      for (const [key, [otherLine]] of dupFirsts) {
        const firstLine = Number(otherLine);
        const keyParts = key.split(KEY_SEP);
        const keyColumn = role === 'taxpayers' ? '宛名番号' : role === 'debts' ? '調定番号' : '口座番号';
        const cells = header.map(() => '');
        if (role === 'accounts') {
          ['宛名番号', '金融機関コード', '支店コード', '預金種目', '口座番号'].forEach((c, i) => {
            const at = index.get(c);
            if (at !== undefined) cells[at] = keyParts[i] ?? '';
          });
          staging.removeAccount(keyParts as [string, string, string, string, string]);
          accountKeys!.delete(key);
        } else {
          const at = index.get(keyColumn);
          if (at !== undefined) cells[at] = key;
          staging.remove(role === 'taxpayers' ? 'taxpayers' : 'debts', key);
          if (role === 'taxpayers') {
            taxpayerKeys.delete(key);
            rejectedTaxpayers.add(key);
          } else {
            debtKeys.delete(key);
            rejectedDebts.add(key);
          }
        }
        rejectRow(
          firstLine,
          cells,
          [{ column: keyColumn, code: 'import.duplicate-key', message: { ja: `${keyColumn}が後の行と重複しています（どちらの行も取り込みません）`, en: `${keyColumn} is repeated on a later line (neither row is imported)` }, found: role === 'accounts' ? undefined : key }],
          false,
        );
      }
      if (skip) refuseBrokenFile(name, rows, rejectedByFile[role] ?? 0, linesInCells, maxRejectRate, findingsOf[role]);
      staging.flush();
      opts.onProgress?.({ role, file: name, rows, done: true });
    }

    const findings = ROLES.flatMap((r) => findingsOf[r]).slice(0, cap);
    const moreFindings = findingsSeen - findings.length;

    if (badRows > 0 && !skip) {
      throw rejected(
        'import.invalid-rows',
        {
          ja: `不備のある行が ${badRows} 行あるため、取り込みを中止しました（何も保存していません）。下の行を直して出力し直すか、--skip-invalid で正しい行だけを取り込んでください`,
          en: `${badRows} rows are invalid, so nothing was imported. Fix the rows below and export again, or use --skip-invalid to import only the valid rows`,
        },
        findings,
        undefined,
        moreFindings,
      );
    }

    // 3. one transaction
    let summary!: ImportSummary;
    db.transaction(() => {
      const importId = insertImport(db, { kind: 'targets', sha256, files, asOf, importedAt: nowTokyoTimestamp(), operator });
      const r = applyTargetsImport(db, importId, { withPayments: opts.payments !== undefined, asOf });
      summary = record(importId, r, { rejected: rejectedTotal, rejectedByFile, rejectFiles: rejectFiles().filter((f) => f.rows > 0).map((f) => f.target) }, false);
    }).immediate();
    for (const f of rejectFiles()) f.commit();
    return summary;
  } catch (err) {
    for (const f of rejectFiles()) f.abort();
    if (err instanceof CsvSyntaxFallback) {
      // the exact error (code, line) is csv-parse's own, from its streaming reader
      await readCsv(err.file, err.displayName, err.encoding, () => undefined);
      // its code only: csv-parse's message quotes the cell ("value is …"), which may be personal
      const code = (err.error as { code?: unknown } | null)?.code;
      throw new Error(`internal: csv-parse accepted ${err.displayName} as a whole but refused a part of it (${typeof code === 'string' ? code : 'error'})`);
    }
    throw err;
  } finally {
    staging.drop();
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
