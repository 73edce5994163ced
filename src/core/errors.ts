import { type Msg, t } from './i18n.js';

/** Exit codes of the CLI contract (shared/spec/cli.md). */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  rejected: 3,
  conflict: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where something is wrong. Record indexes are 0-based (humans see +1). */
export interface Location {
  file?: string;
  /** 1-based line of a text (CSV) file. */
  line?: number;
  /** CSV column name. */
  column?: string;
  /** 0-based record index in a fixed-width file. */
  record?: number;
  /** byte offset in the file. */
  offset?: number;
  field?: string;
}

/**
 * One problem found in an input: located, with expected/found where they apply.
 * `found` must never carry a whole personal value (name, birth date, account
 * number): only the offending bytes/characters.
 */
export interface Finding extends Location {
  code: string;
  expected?: string;
  found?: string;
  message: Msg;
}

/** An error as a value: a stable code, an exit code, a location and a bilingual message. */
/**
 * Every error code an AppError may carry — one code per condition (issue 14, item 8). They
 * are part of the `--json` contract (`{"error":{"code":…}}`), so a new condition gets a new
 * code here, and a code is never reused for another condition or exit code. `cli.*` are
 * commander's own errors (unknown option, missing argument …) under our prefix.
 */
export type ErrorCode =
  | `cli.${string}`
  // answers (import answers, issue 15 item 3)
  | 'answers.already-imported'
  | 'answers.layout'
  | 'answers.rejected'
  | 'answers.same-file'
  // bank-sim
  | 'bank-sim.book-instruction'
  | 'bank-sim.layout'
  | 'bank-sim.request-invalid'
  | 'bank-sim.seed'
  | 'bank-sim.answer-too-large'
  | 'bank-sim.book-csv-syntax'
  | 'bank-sim.book-header'
  | 'bank-sim.book-invalid'
  | 'bank-sim.book-needed'
  | 'bank-sim.statement-inquiry'
  // batch
  | 'batch.not-found'
  | 'batch.not-deferred'
  | 'batch.results-missing'
  | 'batch.wrong-state'
  | 'batch.wrong-kind'
  // cli
  | 'cli.lang'
  | 'cli.max-findings'
  // db
  | 'db.busy'
  | 'db.missing'
  | 'db.migration-refused'
  // demo
  | 'demo.dir-not-empty'
  | 'demo.seed'
  | 'demo.taxpayers'
  // encode
  | 'encode.invalid-value'
  // entaikin
  | 'entaikin.bad-amount'
  | 'entaikin.bad-date'
  | 'entaikin.bad-payment'
  // env
  | 'env.busy-timeout'
  | 'env.log'
  | 'env.today'
  // export
  | 'export.bad-encoding'
  | 'export.no-output'
  // extract
  | 'extract.bank'
  | 'extract.batch-exists'
  | 'extract.collection'
  | 'extract.date'
  | 'extract.file-number'
  | 'extract.min-amount'
  | 'extract.max-account-age'
  | 'extract.not-business-day'
  | 'extract.settings'
  // inquire
  | 'inquire.bank'
  | 'inquire.bank-not-configured'
  | 'inquire.batch-exists'
  | 'inquire.date'
  | 'inquire.date-past'
  | 'inquire.days'
  | 'inquire.file-number'
  | 'inquire.no-banks'
  | 'inquire.not-business-day'
  // instruct (issue 16)
  | 'instruct.bank-not-configured'
  | 'instruct.batch-exists'
  | 'instruct.before-execution'
  | 'instruct.collect'
  | 'instruct.collect-not-held'
  | 'instruct.collect-too-much'
  | 'instruct.date'
  | 'instruct.date-past'
  | 'instruct.file-number'
  | 'instruct.no-results'
  | 'instruct.not-business-day'
  | 'instruct.nothing-to-instruct'
  // the web application (issue 18)
  | 'http.file-not-found'
  | 'http.job-not-found'
  | 'http.not-multipart'
  | 'http.upload-too-large'
  | 'http.form'
  // the web application: the admin's pages (issue 18, server/admin)
  | 'admin.confirm-required'
  | 'admin.no-file'
  | 'admin.self-disable'
  // file
  | 'file.not-a-file'
  | 'file.not-fixed-width'
  | 'file.not-found'
  | 'file.text-stream'
  | 'file.unreadable'
  // generate
  | 'generate.bad-banks'
  | 'generate.bad-count'
  | 'generate.bad-date'
  | 'generate.bad-encoding'
  | 'generate.bad-profile'
  | 'generate.bad-seed'
  | 'generate.bank-without-branches'
  | 'generate.not-a-number'
  | 'generate.unknown-bank'
  // import
  | 'import.as-of'
  | 'import.csv-syntax'
  | 'import.encoding'
  | 'import.header'
  | 'import.invalid-rows'
  | 'import.max-reject-rate'
  | 'import.no-header'
  | 'import.not-utf8'
  | 'import.record-too-long'
  | 'import.too-many-rejected'
  | 'import.wrong-encoding'
  // layout
  | 'layout.ambiguous'
  | 'layout.bad-id'
  | 'layout.invalid'
  | 'layout.no-formats-dir'
  | 'layout.not-found'
  // documents
  | 'documents.font-missing'
  | 'documents.nothing-to-print'
  | 'documents.settings-missing'
  | 'documents.unknown-kind'
  | 'documents.wrong-state'
  // output
  | 'output.exists'
  // reconcile
  | 'reconcile.collection-date-missing'
  | 'reconcile.holds-unresolved'
  | 'reconcile.receipts-exist'
  | 'reconcile.snapshot-unsafe'
  | 'reconcile.unknown-policy'
  // report
  | 'report.xlsx-kind'
  // results
  | 'results.already-imported'
  | 'results.inquiry-file'
  | 'results.layout'
  | 'results.rejected'
  | 'results.same-file'
  // settings
  | 'settings.bank-name-unknown'
  | 'settings.invalid'
  | 'settings.invalid-value'
  | 'settings.json'
  | 'settings.missing'
  // statement
  | 'statement.changed'
  | 'statement.inquiry-conflict'
  | 'statement.inquiry-repeated'
  | 'statement.layout'
  | 'statement.rejected'
  | 'statement.same-file'
  // write
  | 'write.bank-name'
  | 'write.bank-not-configured'
  | 'write.changed-since-written'
  | 'write.copy-same'
  | 'write.exists-different'
  | 'write.file-name'
  | 'write.invalid'
  | 'write.layout'
  | 'write.no-dir'
  | 'write.no-space'
  | 'write.not-dir'
  | 'write.readback'
  | 'write.record-count'
  | 'write.state-changed'
  // writer
  | 'writer.base-length'
  | 'writer.closed'
  | 'writer.encoded-length'
  | 'writer.incomplete'
  | 'writer.no-such-record'
  | 'writer.order'
  | 'writer.order-layout'
  | 'writer.total'
  | 'writer.total-mismatch'
  | 'writer.total-overflow'
  // users of the web application (issue 18 item 2)
  | 'users.bad-name'
  | 'users.bad-role'
  | 'users.exists'
  | 'users.not-found'
  | 'users.password-policy'
  | 'users.no-password';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly exit: ExitCode;
  readonly msg: Msg;
  readonly location: Location | undefined;
  readonly findings: Finding[];
  /** number of findings not kept because of the cap */
  readonly moreFindings: number;

  constructor(opts: {
    code: ErrorCode;
    exit: ExitCode;
    msg: Msg;
    location?: Location;
    findings?: Finding[];
    moreFindings?: number;
    cause?: unknown;
  }) {
    super(opts.msg.en, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = opts.code;
    this.exit = opts.exit;
    this.msg = opts.msg;
    this.location = opts.location;
    this.findings = opts.findings ?? [];
    this.moreFindings = opts.moreFindings ?? 0;
  }

  /** Message in the current language, with the location appended. */
  describe(): string {
    const where = this.location ? formatLocation(this.location) : '';
    return where ? `${t(this.msg)} (${where})` : t(this.msg);
  }
}

export function usageError(code: ErrorCode, msg: Msg, location?: Location): AppError {
  return new AppError({ code, exit: EXIT.usage, msg, ...(location ? { location } : {}) });
}
export function rejected(code: ErrorCode, msg: Msg, findings: Finding[] = [], location?: Location, moreFindings = 0): AppError {
  return new AppError({ code, exit: EXIT.rejected, msg, findings, moreFindings, ...(location ? { location } : {}) });
}
export function conflict(code: ErrorCode, msg: Msg, location?: Location): AppError {
  return new AppError({ code, exit: EXIT.conflict, msg, ...(location ? { location } : {}) });
}

/** "file x.csv, line 3, column 口座番号" / record numbers shown 1-based. */
function formatLocation(l: Location): string {
  const parts: string[] = [];
  const ja = (t({ ja: 'ja', en: 'en' }) === 'ja');
  if (l.file !== undefined) parts.push(ja ? `ファイル ${l.file}` : `file ${l.file}`);
  if (l.line !== undefined) parts.push(ja ? `${l.line}行目` : `line ${l.line}`);
  if (l.column !== undefined) parts.push(ja ? `列「${l.column}」` : `column ${l.column}`);
  if (l.record !== undefined) parts.push(ja ? `第${l.record + 1}レコード` : `record ${l.record + 1}`);
  if (l.offset !== undefined) parts.push(ja ? `バイト位置 ${l.offset}` : `byte offset ${l.offset}`);
  if (l.field !== undefined) parts.push(ja ? `項目 ${l.field}` : `field ${l.field}`);
  return parts.join(ja ? '、' : ', ');
}

/** One finding as a human line in the current language. */
export function formatFinding(f: Finding): string {
  const where = formatLocation(f);
  const ef: string[] = [];
  const ja = (t({ ja: 'ja', en: 'en' }) === 'ja');
  if (f.expected !== undefined) ef.push(ja ? `期待値 ${JSON.stringify(f.expected)}` : `expected ${JSON.stringify(f.expected)}`);
  if (f.found !== undefined) ef.push(ja ? `実際 ${JSON.stringify(f.found)}` : `found ${JSON.stringify(f.found)}`);
  return `${where}: ${t(f.message)}${ef.length ? ` (${ef.join(', ')})` : ''}`;
}
