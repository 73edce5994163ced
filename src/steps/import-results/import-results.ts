/**
 * Step: import a seizure result file (shared/spec/seizure-120.md "Rules a result file
 * must satisfy", docs/adr/0050-result-import-protocol.md).
 *
 * 1. The received bytes are copied into the archive folder (temporary name) — by the
 *    fast path's worker as it reads them, else before the full check, which reads that
 *    copy: what is validated is exactly what is archived.
 * 2. One streaming pass over the copy (full-check.ts): framing, layout checks, rules
 *    3–6 (result-rules.ts), rule 1 at the header (rule1.ts) and rule 2 (rule2.ts) as an
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
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireInputFile } from '../../core/fsutil.js';
import { nowTokyoTimestamp, todayTokyo } from '../../core/dates.js';
import { AppError, EXIT } from '../../core/errors.js';
import { DIR_MODE, FILE_MODE, ensureDir, fsyncDir } from '../../core/fsutil.js';
import { runsInWorker, type Engine } from '../../core/engine.js';
import { linkIntoPlace } from '../../core/output-file.js';
import { processAlive } from '../../core/pid.js';
import { SyncProducer } from '../../core/sync-worker.js';
import { RESULTS_WORKER } from './worker-ref.js';
import { audit, currentOperator } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import {
  filesByNumber,
  importBySha,
  refuseSameFile,
  resultUpdater,
  storeFileResults,
  BatchedResultUpdater,
  type WrittenFileRow,
} from '../../db/results.js';
import type { Layout } from '../../layout/types.js';
import { checkFile, type Checked } from './full-check.js';
import { alreadyImported, findTarget } from './rule1.js';
import type { ResultItem, ResultScanInput } from './worker.js';
import { RESULT_ROWS, type ResultChunk } from './result-rows.js';
import { detectFileLayout } from '../../file/detect-file.js';
import { loadLayout } from '../../layout/load.js';
import { importInstructionResults } from './instruction.js';
import type { CodeTotals, ImportResultsSummary } from './summary.js';
import { isInstructionLayout } from './instruction-rules.js';

export interface ImportResultsOptions {
  /** the file's name as its sender gave it (messages, the audit log and the import's record; default: the path's last part) — the web application's uploads are kept under names of their own */
  displayName?: string;
  /** layout id or path (default: detected from the file) */
  layout?: string;
  /** operator for the audit log (default: OS user) */
  operator?: string;
  /** findings kept (default 1,000) */
  maxFindings?: number;
  /** archive folder (default `<db dir>/archive/results`) */
  archiveDir?: string;
  /**
   * core/engine.ts: `producer` 'inline' checks and stores on this thread alone (the full
   * check); unset or 'worker': a clean file takes the fast path, read on the second core
   * (ADR 0055), which an outer transaction rules out. `chunk`: data records per chunk the
   * fast path's worker hands over (default 8,192; tests: chunk boundaries)
   */
  engine?: Engine;
}

export type { CodeTotals, ImportResultsSummary } from './summary.js';

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
    // an instruction result (instruction.ts): the kind, its seizure batch and what it released
    ...(s.instruction ? { kind: 'instruction', seizureBatch: s.instruction.seizureBatch, released: s.instruction.released } : {}),
  };
}

const CODE_TEXT: readonly string[] = Array.from({ length: 100 }, (_v, i) => String(i).padStart(2, '0'));
function ymdIso(n: number): string | null {
  if (n === 0) return null;
  const s = String(n).padStart(8, '0');
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}

/** Import one result file. Throws AppError (exit 3 rejected / 4 conflict); stores all or nothing. */
export function importResults(db: Db, file: string, opts: ImportResultsOptions = {}): ImportResultsSummary {
  const operator = currentOperator(opts.operator);
  const fileName = opts.displayName ?? path.basename(file);
  requireInputFile(file);
  const layout: Layout = resolveFileLayout(file, opts.layout);
  refuseInquiryLayout(file, layout);
  const { archiveDir, tmp } = prepareArchive(db, 'results', opts.archiveDir);
  try {
    // an instruction result (種別コード 63): its own small check and store (instruction.ts)
    if (isInstructionLayout(layout)) return importInstructionResults(db, file, tmp, fileName, layout, { dir: archiveDir, copy: archiveCopy }, operator, opts.maxFindings ?? 1000);
    // Fast path: check rule 2 and store in one pass, committed only when the file is
    // clean; anything else (a finding, a record that does not match) is left to the
    // full check below, which finds and reports every problem exactly. Its worker
    // writes the archive's copy with the bytes it reads (ADR 0055).
    const fast = runsInWorker(opts.engine, !db.inTransaction, 'import results', 'no outer transaction')
      ? importClean(db, file, tmp, fileName, layout, archiveDir, operator, opts.engine?.chunk)
      : null;
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
 * The archive folder of received bank files (`<db folder>/archive/<kind>`, 0700, or the
 * caller's) and the name of the temporary copy an import writes as it reads; the copy
 * becomes `<sha256>.dat` through archiveCopy once the import has succeeded. Temporary
 * copies that imports killed before their end left here are removed first (ADR 0194).
 */
export function prepareArchive(db: Db, kind: 'results' | 'answers', override?: string): { archiveDir: string; tmp: string } {
  const dbDir = db.name && db.name !== ':memory:' ? path.dirname(path.resolve(db.name)) : process.cwd();
  const archiveDir = override ?? path.join(dbDir, 'archive', kind);
  ensureDir(path.dirname(archiveDir));
  ensureDir(archiveDir);
  try {
    fs.chmodSync(archiveDir, DIR_MODE);
  } catch {
    /* best effort */
  }
  removeLeftCopies(archiveDir);
  return { archiveDir, tmp: path.join(archiveDir, `${INCOMING}${process.pid}.${Date.now()}.tmp`) };
}

/** The archive's temporary copies are named `.incoming.<pid>.<ms>[.fast].tmp`. */
const INCOMING = '.incoming.';

/**
 * Remove the temporary copies (`.incoming.<pid>.…`) whose process no longer runs: an
 * import killed before its end (its database transaction rolled back) left them, as large
 * as the file it was reading. A live process's copy — another import running now, the web
 * server's job — is left alone; so is this process's.
 */
function removeLeftCopies(archiveDir: string): void {
  for (const name of fs.readdirSync(archiveDir)) {
    if (!name.startsWith(INCOMING)) continue;
    const pid = Number(name.slice(INCOMING.length, name.indexOf('.', INCOMING.length)));
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    fs.rmSync(path.join(archiveDir, name), { force: true });
  }
}

/**
 * fsync the archive's temporary copy, then give it its content-addressed name (unless a
 * copy of the same bytes is there already) with core/output-file.ts's link-if-absent (ADR
 * 0111). `created`: the name is new (to remove again when the store fails).
 */
export function archiveCopy(tmp: string, archiveDir: string, sha256: string): { archivePath: string; created: boolean } {
  const archivePath = path.join(archiveDir, `${sha256}.dat`);
  const fd = fs.openSync(tmp, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  if (!linkIntoPlace(tmp, archivePath)) return { archivePath, created: false };
  fs.rmSync(tmp, { force: true }); // as the rename did: only the archive's name is left
  fsyncDir(archiveDir);
  return { archivePath, created: true };
}

/**
 * A file of an inquiry layout (種別コード 61/62, inquiry-300.md) is no result file: exit 3
 * at once, pointing to import answers (issue 15 item 3) — before anything is copied.
 */
function refuseInquiryLayout(file: string, layout: Layout): void {
  const typeCode = layout.records.header?.byId.get('typeCode');
  const codes = typeCode?.values ?? [];
  if (codes.includes('52') || !codes.some((c) => c === '61' || c === '62')) return;
  throw new AppError({
    code: 'results.inquiry-file',
    exit: EXIT.rejected,
    msg: {
      ja: `${file} は預金照会のファイル（レイアウト ${layout.id}、種別コード ${codes.join('/')}）で、差押の結果ファイルではありません。照会の回答は import answers で取り込んでください`,
      en: `${file} is a deposit inquiry file (layout ${layout.id}, 種別コード ${codes.join('/')}), not a seizure result file; import an inquiry answer with import answers`,
    },
    location: { file, record: 0, offset: typeCode?.offset ?? 0, field: 'typeCode' },
  });
}

/** The layout given (id or path), else the one detected from the file's first bytes. */
export function resolveFileLayout(file: string, layout?: string): Layout {
  if (layout !== undefined) return loadLayout(layout);
  return detectFileLayout(file);
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
 * (worker.ts) reads, decodes and checks the file — layout checks,
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
    producer = new SyncProducer(RESULTS_WORKER, input, { maxInFlight: 8 });
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
  const r = RESULT_ROWS.read(c);
  for (let i = 0; i < c.n; i++) {
    const req = r.req(i);
    if (req < t.first_request || req > t.last_request) return false;
    const code = r.code(i);
    const seized = r.seized(i);
    const collected = r.collected(i);
    if (!update.add(req, r.sub(i), r.branch(i), r.type(i), r.account(i), r.limit(i), CODE_TEXT[code]!, seized, collected, dates.iso(r.date(i)))) return false;
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
  const summary = { batch: row.batch_id, fileNumber: row.file_number, records, results: sorted, seized, collected };
  const { importId, state } = storeFileResults(db, row, { sha256, fileName, at, operator, summary, archivePath }, writeResults);
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
