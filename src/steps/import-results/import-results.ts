/**
 * Step: import a seizure result file (shared/spec/seizure-120.md "Rules a result file
 * must satisfy", docs/adr/0050-result-import-protocol.md).
 *
 * 1. The received bytes are copied into the archive folder (temporary name) — by the
 *    fast path's worker as it reads them, else before the full check, which reads that
 *    copy: what is validated is exactly what is archived.
 * 2. One streaming pass over the copy: framing, layout checks, rules 3–6 (the
 *    result rules fed the decoded records, see result-rules.ts), rule 1 at the header and rule 2 as an
 *    ordered merge against the batch's request records (point look-ups once the file
 *    leaves key order). Matched results are kept as compact typed-array tuples.
 *    (This full check runs only when the fast path below steps aside: docs/adr/
 *    0052-result-import-fast-path.md. A clean file is checked against the request
 *    records and stored in ONE pass and ONE transaction, nothing kept per record;
 *    its reading, decoding and file checks run on a second thread, docs/adr/
 *    0055-result-import-second-core.md.)
 * 3. Conflicts (same bytes again, file already has results, batch cancelled) → exit 4;
 *    any finding → exit 3 with every finding (up to the cap); nothing is stored.
 * 4. Otherwise ONE transaction stores everything: request_records result columns,
 *    imports row, result_files row, batch_files.results_import_id, batch state, audit.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatTokyoTime, nowTokyoTimestamp, todayTokyo } from '../../core/dates.js';
import { AppError, EXIT, conflict, rejected, type Finding, type Location } from '../../core/errors.js';
import { DIR_MODE, FILE_MODE, ensureDir, fsyncDir } from '../../core/fsutil.js';
import type { Msg } from '../../core/i18n.js';
import { maskAccount, maskedAccountDifference } from '../../core/mask.js';
import { SyncProducer, workerScript } from '../../core/sync-worker.js';
import { audit, currentOperator } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import {
  batchState,
  expectedLookup,
  expectedRange,
  filesByNumber,
  filesWithoutResults,
  importById,
  importBySha,
  insertImport,
  insertResultFile,
  refuseSameFile,
  iterateExpected,
  resultUpdater,
  setBatchStateIf,
  setFileResults,
  BatchedResultUpdater,
  type ExpectedRecord,
  type WrittenFileRow,
} from '../../db/results.js';
import { scanInto } from '../../file/reader.js';
import { RecordScanner, type ReadRecord } from '../../file/scanner.js';
import type { Layout, RecordDef } from '../../layout/types.js';
import { digitsValue, resultRulesFeed } from './result-rules.js';
import { rule2Mismatches, type Rule2Field } from './rule2.js';
import type { ResultChunk, ResultItem, ResultScanInput } from './worker.js';
import { detectFileLayout } from '../../file/detect-file.js';
import { loadLayout } from '../../layout/load.js';
import { codeUnitsText } from '../../core/code-units.js';
import { batchStateMsg } from '../../domain/vocabulary.js';


export interface ImportResultsOptions {
  /** layout id or path (default: detected from the file) */
  layout?: string;
  /** operator for the audit log (default: OS user) */
  operator?: string;
  /** findings kept (default 1,000) */
  maxFindings?: number;
  /** archive folder (default `<db dir>/archive/results`) */
  archiveDir?: string;
  /** @internal data records per chunk the fast path's worker hands over (tests: chunk boundaries) */
  chunkRecords?: number;
}

export interface CodeTotals {
  records: number;
  seized: number;
  collected: number;
}

export interface ImportResultsSummary {
  importId: number;
  batchId: string;
  fileNumber: number;
  records: number;
  results: Record<string, CodeTotals>;
  seized: number;
  collected: number;
  batchState: string;
  sha256: string;
  archivePath: string;
  collectionMode: 'immediate' | 'deferred';
}

/** The `--json` document of `import results` (cli contract). */
export function resultsJson(s: ImportResultsSummary): Record<string, unknown> {
  return {
    import: s.importId,
    batch: s.batchId,
    fileNumber: s.fileNumber,
    records: s.records,
    results: s.results,
    seized: s.seized,
    collected: s.collected,
    batchState: s.batchState,
  };
}

/** Compact per-record results, preallocated to the number of request records. */
class Tuples {
  n = 0;
  /** request record key (RECORD_KEY_SQL) */
  readonly key: Float64Array;
  readonly code: Uint8Array;
  readonly seized: Float64Array;
  readonly collected: Float64Array;
  /** YYYYMMDD as an integer, 0 = none */
  readonly date: Int32Array;
  constructor(cap: number) {
    this.key = new Float64Array(cap);
    this.code = new Uint8Array(cap);
    this.seized = new Float64Array(cap);
    this.collected = new Float64Array(cap);
    this.date = new Int32Array(cap);
  }
}

const CODE_TEXT: readonly string[] = Array.from({ length: 100 }, (_v, i) => String(i).padStart(2, '0'));
const key = (req: number, sub: number): number => req * 100 + sub;
const showKey = (req: number, sub: number): string => `${String(req).padStart(10, '0')}-${String(sub).padStart(2, '0')}`;

/** The fields of rule 2 as the full check names them. */
const RULE2_LABEL: Record<Rule2Field, Msg> = {
  branchCode: { ja: '支店番号', en: 'branch number' },
  accountType: { ja: '預金種目', en: 'account type' },
  accountNumber: { ja: '口座番号', en: 'account number' },
  limitAmount: { ja: '差押限度額', en: 'limit amount' },
};

function ymdIso(n: number): string | null {
  if (n === 0) return null;
  const s = String(n).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** Import one result file. Throws AppError (exit 3 rejected / 4 conflict); stores all or nothing. */
export function importResults(db: Db, file: string, opts: ImportResultsOptions = {}): ImportResultsSummary {
  const operator = currentOperator(opts.operator);
  const fileName = path.basename(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new AppError({
      code: 'file.not-found',
      exit: EXIT.usage,
      msg: { ja: `ファイル ${file} が見つかりません。パスを確認してください`, en: `file ${file} not found; check the path` },
      location: { file },
    });
  }
  if (!st.isFile()) {
    throw new AppError({ code: 'file.not-a-file', exit: EXIT.usage, msg: { ja: `${file} はファイルではありません`, en: `${file} is not a file` }, location: { file } });
  }
  const layout: Layout = resolveFileLayout(file, opts.layout);
  const dbDir = db.name && db.name !== ':memory:' ? path.dirname(path.resolve(db.name)) : process.cwd();
  const archiveDir = opts.archiveDir ?? path.join(dbDir, 'archive', 'results');
  ensureDir(path.dirname(archiveDir));
  ensureDir(archiveDir);
  try {
    fs.chmodSync(archiveDir, DIR_MODE);
  } catch {
    /* best effort */
  }
  const tmp = path.join(archiveDir, `.incoming.${process.pid}.${Date.now()}.tmp`);
  try {
    // Fast path: check rule 2 and store in one pass, committed only when the file is
    // clean; anything else (a finding, a record that does not match) is left to the
    // full check below, which finds and reports every problem exactly. Its worker
    // writes the archive's copy with the bytes it reads (ADR 0055).
    const fast = importClean(db, file, tmp, fileName, layout, archiveDir, operator, opts.chunkRecords);
    if (fast !== null) return fast;
    // the full check reads a complete copy (the fast path's may have stopped early)
    fs.copyFileSync(file, tmp);
    fs.chmodSync(tmp, FILE_MODE);
    const checked = checkFile(db, tmp, fileName, layout, opts.maxFindings ?? 1000);
    const { archivePath, created } = archiveCopy(tmp, archiveDir, checked.sha256);
    try {
      return store(db, checked, archivePath, fileName, operator);
    } catch (e) {
      if (created) fs.rmSync(archivePath, { force: true });
      throw e;
    }
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * fsync the archive's temporary copy, then give it its content-addressed name (unless a
 * copy of the same bytes is there already). `created`: the name is new (to remove again
 * when the store fails).
 */
function archiveCopy(tmp: string, archiveDir: string, sha256: string): { archivePath: string; created: boolean } {
  const archivePath = path.join(archiveDir, `${sha256}.dat`);
  const fd = fs.openSync(tmp, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (fs.existsSync(archivePath)) return { archivePath, created: false };
  fs.renameSync(tmp, archivePath);
  fsyncDir(archiveDir);
  return { archivePath, created: true };
}

/** The layout given (id or path), else the one detected from the file's first bytes. */
export function resolveFileLayout(file: string, layout?: string): Layout {
  if (layout !== undefined) return loadLayout(layout);
  return detectFileLayout(file);
}

interface Checked {
  sha256: string;
  target: WrittenFileRow;
  tuples: Tuples;
  records: number;
}

function fileFinding(fileName: string, f: Finding): Finding {
  return { file: fileName, ...f };
}

/** Rule 1 on the header: the batch file, or findings / a conflict. */
function findTarget(db: Db, fields: Record<string, string>, rec: { index: number; offset: number }, layout: Layout, report: (f: Finding) => void): WrittenFileRow | null {
  const H = layout.records.header!;
  const at = (id: string): number => rec.offset + (H.byId.get(id)?.offset ?? 0);
  const f = (field: string, code: string, message: Msg, expected: string, found: string): void =>
    report({ code, record: rec.index, offset: at(field), field, expected, found, message });
  if (fields['typeCode'] !== '52') {
    f('typeCode', 'result.not-a-result', {
      ja: '種別コードが 52（結果）ではありません。依頼ファイル（51）ではなく銀行から返却された結果ファイルを指定してください',
      en: 'the 種別コード is not 52 (result); give the result file the bank returned, not the request file (51)',
    }, '52', fields['typeCode'] ?? '');
    return null;
  }
  const bank = fields['bankCode'] ?? '';
  const fileNo = digitsValue(fields['fileNumber']);
  if (fileNo < 0) return null; // digit error already reported by the layout check
  const rows = filesByNumber(db, bank, fileNo).filter((r) => r.written_at !== null && r.sha256 !== null);
  if (rows.length === 0) {
    f('fileNumber', 'result.unknown-file', {
      ja: `金融機関コード ${bank} の依頼ファイル番号 ${fileNo} の依頼ファイルをこのシステムは作成していません。ファイルの取り違えがないか確認してください`,
      en: `this system wrote no request file number ${fileNo} for bank ${bank}; check that this is the right file`,
    }, '(このシステムが作成した依頼ファイル番号 / a file number this system wrote)', fields['fileNumber'] ?? '');
    return null;
  }
  const exec = fields['executionDate'] ?? '';
  const req = fields['requesterCode'] ?? '';
  const row = rows.find((r) => r.requester_code === req && r.execution_date.replaceAll('-', '') === exec) ?? null;
  if (row === null) {
    const r0 = rows[0]!;
    if (r0.requester_code !== req) {
      f('requesterCode', 'result.requester-mismatch', {
        ja: '依頼者コードが依頼ファイルと一致しません。別の団体のファイルでないか確認してください',
        en: 'the requester code differs from the request file; check the file is not another requester’s',
      }, r0.requester_code, req);
    }
    if (r0.execution_date.replaceAll('-', '') !== exec) {
      f('executionDate', 'result.execution-date-mismatch', {
        ja: '差押執行日が依頼ファイルと一致しません',
        en: 'the execution date differs from the request file',
      }, r0.execution_date.replaceAll('-', ''), exec);
    }
    return null;
  }
  // state conflicts: exit 4 at once, nothing read further, nothing changed
  if (row.results_import_id !== null) throw alreadyImported(db, row, row.results_import_id, { field: 'fileNumber' });
  if (row.state !== 'written' && row.state !== 'results-imported') {
    throw conflict('results.batch-state', {
      ja: `バッチ ${row.batch_id} の状態は「${batchStateMsg(row.state).ja}」のため結果を取り込めません（「${batchStateMsg('written').ja}」である必要があります）`,
      en: `batch ${row.batch_id} is ${batchStateMsg(row.state).en}; results can only be imported into a written batch`,
    });
  }
  const mode = fields['collectionMode'];
  const expMode = row.collection_mode === 'immediate' ? '1' : '2';
  if (mode !== expMode) {
    f('collectionMode', 'result.mode-mismatch', {
      ja: '取立区分が依頼ファイルと一致しません（結果ファイルは依頼ファイルのヘッダーを返すこと）',
      en: 'the collection mode differs from the request file (a result echoes the request header)',
    }, expMode, mode ?? '');
  }
  return row;
}

/**
 * results.already-imported (exit 4): the request file already has results — at the header
 * (rule 1), or found inside the store's transaction when another process imported
 * meanwhile. Names the import and its time (Japan time) when known.
 */
function alreadyImported(db: Db, row: WrittenFileRow, importId: number | null, location?: Location): AppError {
  const prev = importId === null ? undefined : importById(db, importId);
  const which = (lang: 'ja' | 'en'): string =>
    importId === null ? '' : lang === 'ja' ? `（取込ID ${importId}、${prev ? formatTokyoTime(prev.imported_at, 'ja') : ''}）` : ` (import ${importId}, ${prev ? formatTokyoTime(prev.imported_at, 'en') : ''})`;
  return conflict('results.already-imported', {
    ja: `バッチ ${row.batch_id} の依頼ファイル番号 ${row.file_number} の結果は取込済みです${which('ja')}。同じ結果を二重に取り込むことはできません`,
    en: `the results of batch ${row.batch_id}, file number ${row.file_number} were already imported${which('en')}; results cannot be imported twice`,
  }, location);
}

/**
 * Data records per checked UPDATE on the fast path (docs/adr/0053-result-import-batched-update.md).
 * 32–256 measured alike at 1M records; 128 binds 1,281 values per statement.
 */
const RESULT_BATCH = 128;

/**
 * The fast path of a clean file (docs/adr/0052-result-import-fast-path.md): ONE
 * transaction opened before the file is read; every data record updates its request
 * record through a statement that matches only when rule 2 holds (same 依頼番号+枝番 in
 * the file's request range, same 支店番号, 預金種目, 口座番号, 差押限度額, no result
 * yet) — RESULT_BATCH records per statement (BatchedResultUpdater, ADR 0053), each
 * statement changing exactly one row per record. The file is stored when no finding
 * was reported, and the number of data records, of request records of the file and of
 * rows changed are all equal — every result matched exactly one request record and
 * every request record got one. Then the rest of the import is stored in the same
 * transaction and committed.
 *
 * Two threads (docs/adr/0055-result-import-second-core.md): a worker
 * (import-results-worker.ts) reads, decodes and checks the file — layout checks,
 * rules 3–6, digits, sha256 — and hands over the header and then the data records in
 * chunks of typed arrays; this thread, inside the transaction, runs rule 1 on the
 * header (findTarget), the range check and the checked store, the totals and the
 * commit. The worker needs no database, so in-memory databases take the same path.
 *
 * Returns null, with everything rolled back, at the first finding (in either thread)
 * or non-matching record (a non-matching record is seen when its batch runs, at most
 * RESULT_BATCH − 1 records later): the caller then runs the full check (checkFile),
 * which reports every problem as before. Conflicts (exit 4) are thrown as the full
 * check throws them. Memory stays flat: at most a few chunks are in flight.
 */
function importClean(db: Db, source: string, file: string, fileName: string, layout: Layout, archiveDir: string, operator: string, chunkRecords?: number): ImportResultsSummary | null {
  const D = layout.records.data;
  if (!D || !D.byId.has('resultCode') || !layout.records.header || db.inTransaction) return null;
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch {
    return null; // the database is busy: the full check waits for it at the store
  }
  let archived: string | null = null;
  let producer: SyncProducer<ResultItem> | null = null;
  try {
    // the worker reads the received file and writes `file` (the archive's temporary copy) with the same bytes
    const input: ResultScanInput = { file: source, copyTo: file, layoutFile: layout.file, today: todayTokyo(), ...(chunkRecords !== undefined ? { chunkRecords } : {}) };
    // 8 chunks in flight: the worker reads on while this thread runs rule 1 and counts the request records
    producer = new SyncProducer<ResultItem>(workerScript(import.meta.url, 'worker'), input, { maxInFlight: 8 });
    const read = storeFromWorker(db, producer, layout);
    if (read === null) {
      db.exec('ROLLBACK');
      return null;
    }
    const { target: t, sha256, records, totals } = read;
    refuseSameFile(db, 'results', sha256, fileName);
    const { archivePath, created } = archiveCopy(file, archiveDir, sha256);
    if (created) archived = archivePath;
    const summary = storeIn(db, t, sha256, records, totals, archivePath, fileName, operator, () => {});
    db.exec('COMMIT');
    return summary;
  } catch (e) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (archived !== null) fs.rmSync(archived, { force: true });
    throw e;
  } finally {
    producer?.close();
  }
}

/** What the fast path read and stored (result columns only) from a clean file. */
interface CleanRead {
  target: WrittenFileRow;
  sha256: string;
  records: number;
  totals: ResultTotals;
}

/**
 * The main thread's part of the fast path, inside the open transaction: rule 1 on the
 * worker's header, then every chunk through the checked store, then the final counts.
 * null: not clean (a finding in either thread, a record out of range or not matching,
 * a count that differs) — the caller rolls back.
 */
function storeFromWorker(db: Db, producer: SyncProducer<ResultItem>, layout: Layout): CleanRead | null {
  const head = producer.next();
  if (head === undefined || head.kind !== 'header') return null; // no header first, or a finding before it
  let clean = true;
  const target = findTarget(db, head.fields, head, layout, () => (clean = false));
  if (target === null || !clean) return null;
  // the file's request records: counted by extract into batch_files in the transaction that
  // wrote them (request records are never deleted), so no COUNT over them here (≈ 0.5 s at 1M)
  const expected = target.records;
  const D = layout.records.data!;
  const update = new BatchedResultUpdater(db, target.batch_id, D.byId.get('branchCode')?.length ?? 3, D.byId.get('accountNumber')?.length ?? 7, RESULT_BATCH);
  const totals = new ResultTotals();
  const dates = new IsoDates();
  let records = 0;
  for (let item = producer.next(); item !== undefined; item = producer.next()) {
    if (item.kind === 'chunk') {
      if (!storeChunk(item, target, update, totals, dates)) return null;
      records += item.n;
      continue;
    }
    if (item.kind !== 'end' || !item.clean || item.records !== records) return null;
    // the file's last, partial batch; then the rows changed by all statements
    if (!update.flush() || records !== expected || update.changed !== expected) return null;
    return { target, sha256: item.sha256, records, totals };
  }
  return null;
}

/** One chunk of data records through the checked store. false: a record out of the file's range or not matching. */
function storeChunk(c: ResultChunk, t: WrittenFileRow, update: BatchedResultUpdater, totals: ResultTotals, dates: IsoDates): boolean {
  const textLength = c.n === 0 ? 0 : c.textEnd[3 * c.n - 1]!;
  const text = codeUnitsText(c.text, textLength);
  let from = 0;
  for (let i = 0; i < c.n; i++) {
    const req = c.req[i]!;
    if (req < t.first_request || req > t.last_request) return false;
    const branchEnd = c.textEnd[3 * i]!;
    const typeEnd = c.textEnd[3 * i + 1]!;
    const accountEnd = c.textEnd[3 * i + 2]!;
    const code = c.code[i]!;
    const seized = c.seized[i]!;
    const collected = c.collected[i]!;
    const branch = text.slice(from, branchEnd);
    const type = text.slice(branchEnd, typeEnd);
    const account = text.slice(typeEnd, accountEnd);
    from = accountEnd;
    if (!update.add(req, c.sub[i]!, branch, type, account, c.limit[i]!, CODE_TEXT[code]!, seized, collected, dates.iso(c.date[i]!))) return false;
    totals.add(code, seized, collected);
  }
  return true;
}

/** YYYYMMDD number → ISO text or null, remembering the last one (a file has few dates, in runs). */
class IsoDates {
  private last = -1;
  private lastIso: string | null = null;
  iso(ymd: number): string | null {
    if (ymd !== this.last) {
      this.last = ymd;
      this.lastIso = ymdIso(ymd);
    }
    return this.lastIso;
  }
}

/**
 * The full check of a result file (rules 1–6, every finding up to the cap), for a file the
 * fast path stepped aside for: one pass over the archive's copy (FullCheck), then the
 * file-level verdicts — the same bytes imported before (exit 4), request records without a
 * result, a file without a header — and the refusal (exit 3) or what to store.
 */
function checkFile(db: Db, file: string, fileName: string, layout: Layout, maxFindings: number): Checked {
  const D = layout.records.data;
  if (!D || !D.byId.has('resultCode') || !layout.records.header) {
    throw new AppError({
      code: 'results.layout',
      exit: EXIT.usage,
      msg: { ja: `レイアウト ${layout.id} は差押結果ファイルのレイアウトではありません`, en: `layout ${layout.id} is not a seizure result layout` },
    });
  }
  const check = new FullCheck(db, layout, D, maxFindings);
  const hash = createHash('sha256');
  let summary;
  try {
    summary = scanInto(file, check.scanner, (c) => hash.update(c));
    check.rules.finish();
  } finally {
    check.requestRecords?.close();
  }
  const sha256 = hash.digest('hex');

  // the same bytes again: a conflict even when the header check did not catch it
  refuseSameFile(db, 'results', sha256, fileName);

  const findings = summary.findings;
  let more = summary.moreFindings;
  const t = check.target;
  if (t && check.tuples.n < check.expectedCount) {
    for (const f of check.missing(t, summary)) {
      if (findings.length < maxFindings) findings.push(f);
      else more++;
    }
  }
  if (!check.headerDone && findings.length === 0) {
    findings.push({ code: 'result.no-header', record: 0, offset: 0, message: { ja: 'ヘッダーレコードがありません', en: 'no header record' } });
  }
  if (findings.length > 0 || t === null) {
    const total = findings.length + more;
    throw rejected(
      'results.rejected',
      {
        ja: `結果ファイル ${fileName} を取り込めません: ${total} 件の誤りがあります。何も登録していません。銀行に正しいファイルを依頼するか、ファイルを確認してください`,
        en: `result file ${fileName} was refused: ${total} problem(s); nothing was stored. Ask the bank for a corrected file or check the file`,
      },
      findings.map((f) => fileFinding(fileName, f)),
      { file: fileName },
      more,
    );
  }
  return { sha256, target: t, tuples: check.tuples, records: check.records };
}

/** A request record key seen in the file: one bit per key of the file's range (keys are request_id × 100 + 枝番: sparse). */
class SeenKeys {
  private bits = new Uint8Array(0);
  private min = 0;
  /** make room for the keys min…max, none seen */
  size(min: number, max: number): void {
    this.min = min;
    this.bits = new Uint8Array((Math.max(0, max - min + 1) >> 3) + 1);
  }
  has(k: number): boolean {
    return ((this.bits[(k - this.min) >> 3] as number) & (1 << ((k - this.min) & 7))) !== 0;
  }
  add(k: number): void {
    this.bits[(k - this.min) >> 3] = (this.bits[(k - this.min) >> 3] as number) | (1 << ((k - this.min) & 7));
  }
}

/** RequestRecords.find: the key of the record before, not among the request records in order. */
const REPEATED = Symbol('repeated');

/**
 * The request records of the file as the result records ask for them: an ordered merge
 * while the file is in key order (依頼番号, 枝番), point look-ups once it leaves it.
 */
class RequestRecords {
  private it: IterableIterator<ExpectedRecord> | null;
  private cur: ExpectedRecord | undefined;
  private lookup: ((r: number, s: number) => ExpectedRecord | undefined) | null = null;
  private lastKey = -1;
  constructor(
    private readonly db: Db,
    private readonly target: WrittenFileRow,
  ) {
    this.it = iterateExpected(db, target.batch_id, target.first_request, target.last_request);
    this.next();
  }
  private next(): void {
    const n = this.it!.next();
    this.cur = n.done ? undefined : n.value;
  }
  /** The request record of a result record (key k = key(req, sub)); undefined: none; REPEATED: a duplicate of the record before. */
  find(k: number, req: number, sub: number): ExpectedRecord | undefined | typeof REPEATED {
    let exp: ExpectedRecord | undefined;
    if (this.lookup === null) {
      if (k < this.lastKey) {
        // out of key order: stop the merge, look records up one by one
        this.close();
        this.cur = undefined;
        this.lookup = expectedLookup(this.db, this.target.batch_id);
      } else {
        while (this.cur !== undefined && key(this.cur.request_number, this.cur.sub_number) < k) this.next();
        if (this.cur !== undefined && key(this.cur.request_number, this.cur.sub_number) === k) {
          exp = this.cur;
          this.next();
        } else if (k === this.lastKey) {
          return REPEATED; // duplicate of the previous record
        }
      }
    }
    if (this.lookup !== null) exp = this.lookup(req, sub);
    this.lastKey = Math.max(this.lastKey, k);
    return exp;
  }
  close(): void {
    this.it?.return?.();
    this.it = null;
  }
}

/**
 * One pass of the full check over a result file: the scanner (layout checks), rules 3–6
 * fed the records it decodes, rule 1 at the header and rule 2 for every data record; the
 * matched results kept as compact tuples. Findings go to the scanner's report.
 */
class FullCheck {
  readonly scanner: RecordScanner;
  readonly rules: { push(rec: ReadRecord): void; finish(): void };
  /** the request file this result file answers (rule 1), once its header was read */
  target: WrittenFileRow | null = null;
  headerDone = false;
  requestRecords: RequestRecords | null = null;
  tuples = new Tuples(0);
  /** data records read */
  records = 0;
  /** request records of the file */
  expectedCount = 0;
  private readonly seen = new SeenKeys();
  private trailerAt: { index: number; offset: number } | null = null;
  private readonly brLen: number;
  private readonly accLen: number;

  constructor(
    private readonly db: Db,
    private readonly layout: Layout,
    private readonly D: RecordDef,
    maxFindings: number,
  ) {
    this.brLen = D.byId.get('branchCode')?.length ?? 3;
    this.accLen = D.byId.get('accountNumber')?.length ?? 7;
    this.scanner = new RecordScanner(layout, (rec) => this.record(rec), { raw: false, maxFindings, onFinding: undefined });
    this.rules = resultRulesFeed(layout, this.scanner.report);
  }

  private off(id: string): number {
    return this.D.byId.get(id)?.offset ?? 0;
  }

  private record(rec: ReadRecord): void {
    this.rules.push(rec);
    if (rec.kind === 'header' && !this.headerDone) {
      this.header(rec);
      return;
    }
    if (rec.kind === 'trailer' && this.trailerAt === null) this.trailerAt = { index: rec.index, offset: rec.offset };
    if (rec.kind !== 'data') return;
    this.records++;
    if (this.target) this.data(rec, this.target);
  }

  /** Rule 1, then the file's request records: their range, count and order. */
  private header(rec: ReadRecord): void {
    this.headerDone = true;
    const target = findTarget(this.db, rec.fields, rec, this.layout, this.scanner.report);
    this.target = target;
    if (!target) return;
    const rg = expectedRange(this.db, target.batch_id, target.first_request, target.last_request);
    this.expectedCount = rg.n;
    this.seen.size(rg.min, rg.max);
    this.tuples = new Tuples(rg.n);
    this.requestRecords = new RequestRecords(this.db, target);
  }

  /** Rule 2 for one data record; a matching record is kept. */
  private data(rec: ReadRecord, target: WrittenFileRow): void {
    const fl = rec.fields;
    const req = digitsValue(fl['requestNumber']);
    const sub = digitsValue(fl['subNumber']);
    if (req < 0 || sub < 0) return; // layout check reported the digits
    const exp = this.requestRecords!.find(key(req, sub), req, sub);
    if (exp === REPEATED) {
      this.duplicate(rec, req, sub);
      return;
    }
    if (exp === undefined) {
      this.unknown(rec, req, sub, target);
      return;
    }
    if (this.seen.has(exp.key)) {
      this.duplicate(rec, req, sub);
      return;
    }
    this.seen.add(exp.key);
    this.compare(rec, exp, req, sub);
    const t = this.tuples;
    const i = t.n++;
    t.key[i] = exp.key;
    t.code[i] = Math.max(0, digitsValue(fl['resultCode']));
    t.seized[i] = Math.max(0, digitsValue(fl['seizedAmount']));
    t.collected[i] = Math.max(0, digitsValue(fl['collectedAmount']));
    t.date[i] = Math.max(0, digitsValue(fl['collectionDate']));
  }

  private unknown(rec: ReadRecord, req: number, sub: number, target: WrittenFileRow): void {
    this.scanner.report({
      code: 'result.unknown-record',
      record: rec.index,
      offset: rec.offset + this.off('requestNumber'),
      field: 'requestNumber',
      expected: '(依頼ファイルにある依頼番号＋枝番 / a 依頼番号+枝番 of the request file)',
      found: showKey(req, sub),
      message: {
        ja: `依頼番号 ${req} 枝番 ${sub} は依頼ファイル（${target.batch_id}、ファイル番号 ${target.file_number}）にありません`,
        en: `request ${req} sub ${sub} is not in the request file (${target.batch_id}, file number ${target.file_number})`,
      },
    });
  }

  private duplicate(rec: ReadRecord, req: number, sub: number): void {
    this.scanner.report({
      code: 'result.duplicate-record',
      record: rec.index,
      offset: rec.offset + this.off('requestNumber'),
      field: 'requestNumber',
      expected: '(依頼番号＋枝番ごとに1件 / one record per 依頼番号+枝番)',
      found: showKey(req, sub),
      message: { ja: `依頼番号 ${req} 枝番 ${sub} の結果が重複しています`, en: `request ${req} sub ${sub} has more than one result record` },
    });
  }

  /** Rule 2's fields (rule2.ts): a finding per field that differs, the account masked. */
  private compare(rec: ReadRecord, exp: ExpectedRecord, req: number, sub: number): void {
    for (const m of rule2Mismatches(rec.fields, exp, this.brLen, this.accLen)) {
      if (m.field !== 'accountNumber') {
        this.mismatch(rec, req, sub, m.field, m.expected, m.found, RULE2_LABEL[m.field], rec.offset + this.off(m.field), null);
        continue;
      }
      // personal: masked values, the digit that differs and the offset of its byte only
      const d = maskedAccountDifference(m.expected, m.found);
      this.mismatch(rec, req, sub, 'accountNumber', d.expected, d.found, RULE2_LABEL.accountNumber, rec.offset + this.off('accountNumber') + (d.position ?? 1) - 1, d.note);
    }
  }

  private mismatch(rec: ReadRecord, req: number, sub: number, field: string, expected: string, found: string, what: Msg, at: number, note: Msg | null): void {
    this.scanner.report({
      code: 'result.record-mismatch',
      record: rec.index,
      offset: at,
      field,
      expected,
      found,
      message: {
        ja: `依頼番号 ${req} 枝番 ${sub} の${what.ja}が依頼ファイルと一致しません${note ? `（${note.ja}）` : ''}`,
        en: `the ${what.en} of request ${req} sub ${sub} differs from the request file${note ? ` (${note.en})` : ''}`,
      },
    });
  }

  /**
   * A finding for every request record of the file no result record answered, located at
   * the trailer's record count (the file has fewer results than requests), else at the end.
   */
  *missing(t: WrittenFileRow, summary: { records: number; bytes: number }): Generator<Finding> {
    const ta = this.trailerAt;
    const T = this.layout.records.trailer;
    const anchor = ta
      ? { record: ta.index, offset: ta.offset + (T?.byId.get('recordCount')?.offset ?? 0), field: T?.byId.has('recordCount') ? 'recordCount' : 'requestNumber' }
      : { record: Math.max(0, summary.records - 1), offset: summary.bytes, field: 'requestNumber' };
    for (const e of iterateExpected(this.db, t.batch_id, t.first_request, t.last_request)) {
      if (this.seen.has(e.key)) continue;
      yield {
        code: 'result.missing-record',
        record: anchor.record,
        offset: anchor.offset,
        field: anchor.field,
        expected: showKey(e.request_number, e.sub_number),
        found: '(なし / none)',
        message: {
          ja: `依頼番号 ${e.request_number} 枝番 ${e.sub_number}（口座 ${maskAccount(e.account_number)}）の結果レコードがありません`,
          en: `no result record for request ${e.request_number} sub ${e.sub_number} (account ${maskAccount(e.account_number)})`,
        },
      };
    }
  }
}

function store(db: Db, c: Checked, archivePath: string, fileName: string, operator: string): ImportResultsSummary {
  const t = c.tuples;
  const totals = new ResultTotals();
  for (let i = 0; i < t.n; i++) totals.add(t.code[i]!, t.seized[i]!, t.collected[i]!);
  return db.transaction((): ImportResultsSummary =>
    storeIn(db, c.target, c.sha256, c.records, totals, archivePath, fileName, operator, () => {
      const upd = resultUpdater(db);
      for (let i = 0; i < t.n; i++) {
        upd.add(t.key[i]!, CODE_TEXT[t.code[i]!]!, t.seized[i]!, t.collected[i]!, ymdIso(t.date[i]!));
      }
      upd.flush();
    }),
  )();
}

/** Per-result-code counts and sums, and the grand totals. */
class ResultTotals {
  private readonly byCode = new Map<number, CodeTotals>();
  seized = 0;
  collected = 0;
  add(code: number, seized: number, collected: number): void {
    let e = this.byCode.get(code);
    if (e === undefined) {
      e = { records: 0, seized: 0, collected: 0 };
      this.byCode.set(code, e);
    }
    e.records++;
    e.seized += seized;
    e.collected += collected;
    this.seized += seized;
    this.collected += collected;
  }
  /** by 結果コード text, sorted */
  sorted(): Record<string, CodeTotals> {
    const out: Record<string, CodeTotals> = {};
    for (const k of [...this.byCode.keys()].map((c) => String(c).padStart(2, '0')).sort()) out[k] = this.byCode.get(Number(k))!;
    return out;
  }
}

/**
 * Everything stored besides the result columns (written by `writeResults`), inside the
 * caller's transaction: import row, file link, result file, batch state, audit.
 */
function storeIn(
  db: Db,
  row: WrittenFileRow,
  sha256: string,
  records: number,
  totals: ResultTotals,
  archivePath: string,
  fileName: string,
  operator: string,
  writeResults: () => void,
): ImportResultsSummary {
  const at = nowTokyoTimestamp();
  const sorted = totals.sorted();
  const { seized, collected } = totals;
  // re-check the state inside the transaction (another process may have imported meanwhile)
  const again = filesByNumber(db, row.bank_code, row.file_number).find((r) => r.batch_id === row.batch_id && r.seq === row.seq);
  if (!again || again.results_import_id !== null || importBySha(db, 'results', sha256)) {
    throw alreadyImported(db, row, again?.results_import_id ?? importBySha(db, 'results', sha256)?.id ?? null);
  }
  const summaryJson = { batch: row.batch_id, fileNumber: row.file_number, records, results: sorted, seized, collected };
  const importId = insertImport(db, { kind: 'results', sha256, files: [fileName], importedAt: at, operator, summary: summaryJson });
  writeResults();
  setFileResults(db, row.batch_id, row.seq, importId);
  insertResultFile(db, { importId, batchId: row.batch_id, fileNumber: row.file_number, archivePath, sha256 });
  if (filesWithoutResults(db, row.batch_id) === 0) setBatchStateIf(db, row.batch_id, 'written', 'results-imported', at);
  const state = batchState(db, row.batch_id) ?? row.state;
  audit(
    db,
    {
      action: 'import.results',
      batchId: row.batch_id,
      sha256,
      details: { importId, file: fileName, fileNumber: row.file_number, records, results: sorted, seized, collected, batchState: state, archive: path.basename(archivePath) },
    },
    operator,
  );
  return {
    importId,
    batchId: row.batch_id,
    fileNumber: row.file_number,
    records,
    results: sorted,
    seized,
    collected,
    batchState: state,
    sha256,
    archivePath,
    collectionMode: row.collection_mode,
  };
}
