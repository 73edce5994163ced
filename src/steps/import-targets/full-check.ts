/**
 * The targets import's full path, row by row (ADR 0021–0027): each file's header, then
 * every row checked — its shape, its cells by the rules of the file's table (ADR 0023,
 * 0105), its keys and references against the keys seen so far (compact key sets, ADR
 * 0026) — good rows staged, bad rows to findings and, with --skip-invalid, reject files.
 * import-targets.ts runs it for every export the fast path leaves (ADR 0059) and applies
 * what it staged.
 */
import { rejected, type Finding } from '../../core/errors.js';
import { t, type Msg } from '../../core/i18n.js';
import { KeySet } from '../../core/key-set.js';
import type { Db } from '../../db/connection.js';
import { TargetsStaging } from '../../db/targets.js';
import { columnAt, csvTable, FILE_ROLES, issueMessage, keyPositions } from '../../domain/csv-tables.js';
import { isShown, mojibakeScan, rowParser, type CellIssue, type FileRole } from './columns.js';
import { countNewlines, readCsvSync } from './csv-source.js';
import type { CsvEncoding } from './encoding.js';
import { readHeader, rowShapeIssue, type CsvHeader } from './header.js';
import { RejectFile } from './reject-file.js';

/** What the full path needs of the import's options. */
export interface CheckSettings {
  encodings: Partial<Record<FileRole, CsvEncoding>>;
  /** --skip-invalid */
  skip: boolean;
  /** --max-reject-rate, percent (ADR 0080) */
  maxRejectRate: number;
  /** findings kept in the error */
  cap: number;
  /** rows between progress reports */
  every: number;
  onProgress?: ((p: { role: FileRole; file: string; rows: number; done: boolean }) => void) | undefined;
}

const KEY_SEP = '\u0000';

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

/** What the full path keeps across the files of one import. */
export class CheckRun {
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
    db: Db,
    readonly settings: CheckSettings,
  ) {
    this.staging = new TargetsStaging(db);
  }

  /** The reject files, in ROLES order whatever the reading order. */
  rejectFiles(): RejectFile[] {
    return FILE_ROLES.flatMap((r) => this.rejectFileOf[r] ?? []);
  }

  addFinding(role: FileRole, f: Finding): void {
    this.findingsSeen++;
    if (this.findingsOf[role].length < this.settings.cap) this.findingsOf[role].push(f);
  }
}

/** 2b. Read one file: its header, then every row (FileCheck.row), then the first rows of duplicated keys. */
export function checkFile(run: CheckRun, input: { role: FileRole; file: string; name: string }): void {
  const { role, file, name } = input;
  const encoding = run.settings.encodings[role]!;
  const head = readHeader(file, name, encoding, role);
  if (head.structural.length > 0) {
    throw rejected('import.header', { ja: `${name} の見出し行に不備があるため、取り込みを中止しました（何も保存していません）`, en: `${name}: the header row is wrong; nothing was stored` }, head.structural, { file: name });
  }
  const reject = run.settings.skip ? new RejectFile(file, head.header, encoding, { line: t({ ja: '行番号', en: 'line' }), reason: t({ ja: '不備の理由', en: 'reason' }) }) : null;
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
  if (run.settings.skip) refuseBrokenFile(name, check.rows, run.rejectedByFile[role] ?? 0, check.linesInCells, run.settings.maxRejectRate, run.findingsOf[role]);
  run.staging.flush();
  run.settings.onProgress?.({ role, file: name, rows: check.rows, done: true });
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
    input: { role: FileRole; name: string },
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
    if (run.settings.onProgress && this.rows % run.settings.every === 0) run.settings.onProgress({ role, file: this.name, rows: this.rows, done: false });
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
        reasons.push({ column: issue.column, code: `import.${issue.code.split(':')[0]}`, message: issueMessage(issue.code), found: this.shown(issue.column, value.slice(0, 40)) });
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

  /** A value of a column of this file as a finding may show it: not at all when the column is personal (its table says). */
  private shown(column: string, value: string): string | undefined {
    return isShown(this.role, column) ? value : undefined;
  }

  /** The trimmed text of a column's cell, '' when the header lacks the column. */
  private cell(cells: string[], column: string): string {
    const at = this.head.index.get(column);
    return at === undefined ? '' : (cells[at] ?? '').trim();
  }

  private taxpayer(line: number, cells: string[], v: unknown[]): void {
    const { run } = this;
    const atena = v[TAXPAYER_ATENA] as string;
    const other = this.duplicateOf('taxpayers', run.taxpayerKeys, atena, [atena]);
    if (other !== null) {
      this.rejectRow(line, cells, [{ column: '宛名番号', code: 'import.duplicate-key', message: dupMsg('宛名番号', other), found: this.shown('宛名番号', atena) }], false);
      return;
    }
    run.taxpayerKeys.add(atena);
    run.staging.row('taxpayers', v, line);
  }

  /**
   * The line of the row `key` duplicates (the first one, staged), or null when it is new.
   * The first row's line is remembered so that row is rejected too at the end (neither is imported).
   */
  private duplicateOf(role: 'taxpayers' | 'debts' | 'accounts', keys: { has(k: string): boolean }, key: string, keyCells: string[]): number | null {
    if (!keys.has(key) && !this.dupFirsts.has(key)) return null;
    const other = this.run.staging.lineOf(role, keyCells) ?? 0;
    if (!this.dupFirsts.has(key)) this.dupFirsts.set(own(key), other);
    return other;
  }

  private debt(line: number, cells: string[], v: unknown[]): void {
    const { run } = this;
    const chotei = v[DEBT_CHOTEI] as string;
    const atena = v[DEBT_ATENA] as string;
    if (run.rejectedTaxpayers.has(atena)) {
      this.rejectRow(line, cells, [{ column: '宛名番号', code: 'import.parent-rejected', message: M.refRejectedTaxpayer, found: this.shown('宛名番号', atena) }], true);
      run.rejectedDebts.add(chotei);
      return;
    }
    const problems: Rejection[] = [];
    if (!run.taxpayerKeys.has(atena)) problems.push({ column: '宛名番号', code: 'import.unknown-taxpayer', message: M.refMissingTaxpayer, found: this.shown('宛名番号', atena) });
    const other = this.duplicateOf('debts', run.debtKeys, chotei, [chotei]);
    if (other !== null) {
      problems.push({ column: '調定番号', code: 'import.duplicate-key', message: dupMsg('調定番号', other), found: this.shown('調定番号', chotei) });
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
      this.rejectRow(line, cells, [{ column: '宛名番号', code: 'import.parent-rejected', message: M.refRejectedTaxpayer, found: this.shown('宛名番号', atena) }], true);
      return;
    }
    const problems: Rejection[] = [];
    if (!run.taxpayerKeys.has(atena)) problems.push({ column: '宛名番号', code: 'import.unknown-taxpayer', message: M.refMissingTaxpayer, found: this.shown('宛名番号', atena) });
    const keyCells = ACCOUNT_KEY.map((i) => v[i] as string);
    const key = keyCells.join(KEY_SEP);
    const other = this.duplicateOf('accounts', this.accountKeys!, key, keyCells);
    if (other !== null) {
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
      this.rejectRow(line, cells, [{ column: '調定番号', code: 'import.parent-rejected', message: M.refRejectedDebt, found: this.shown('調定番号', chotei) }], true);
      return;
    }
    if (!run.debtKeys.has(chotei)) {
      this.rejectRow(line, cells, [{ column: '調定番号', code: 'import.unknown-debt', message: M.refMissingDebt, found: this.shown('調定番号', chotei) }], false);
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
