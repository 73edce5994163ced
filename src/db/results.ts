/**
 * Queries of `import results` (seizure-120 rules 1–2 and storing a result file).
 * Synchronous; the import step runs the writes inside one transaction.
 */
import { formatTokyoTime } from '../core/dates.js';
import { conflict } from '../core/errors.js';
import type { Msg } from '../core/i18n.js';
import type { BatchFileRow } from './batches.js';
import type { Db } from './connection.js';
import type { BatchKind } from '../domain/vocabulary.js';

/** A request file this system wrote, with its batch (rule 1). */
export interface WrittenFileRow extends Omit<BatchFileRow, 'bytes'> {
  results_import_id: number | null;
  /** the batch's kind: a result names a seizure file; the shared sequence also numbers the other kinds' files */
  kind: BatchKind;
  bank_code: string;
  requester_code: string;
  /** 差押執行日 · 照会基準日 (ISO) */
  execution_date: string;
  /** inquiry: 取引明細開始日 (ISO) or null */
  history_from: string | null;
  /** null for the other kinds; typed as a seizure file's, which is all result import reads it for (rule 1 keeps seizure rows only) */
  collection_mode: 'immediate' | 'deferred';
  layout_id: string;
  state: string;
}

/** Every batch file of a bank with that file number, of any kind (normally at most one: one sequence per bank), newest batch first. */
/** The columns of a WrittenFileRow, of batch_files f joined to its batches b. */
export const WRITTEN_FILE_COLUMNS = `f.batch_id, f.seq, f.file_number, f.first_request, f.last_request, f.records, f.limit_total,
              f.file_name, f.sha256, f.written_at, f.results_import_id,
              b.kind, b.bank_code, b.requester_code, b.execution_date, b.history_from, b.collection_mode, b.layout_id, b.state`;

export function filesByNumber(db: Db, bankCode: string, fileNumber: number): WrittenFileRow[] {
  return db
    .prepare(
      `SELECT ${WRITTEN_FILE_COLUMNS}
       FROM batch_files f JOIN batches b ON b.id = f.batch_id
       WHERE b.bank_code = ? AND f.file_number = ?
       ORDER BY b.created_at DESC`,
    )
    .all(bankCode, fileNumber) as WrittenFileRow[];
}

export interface ImportRow {
  id: number;
  imported_at: string;
  files: string;
}

/** The earlier import of the same bytes, if any. */
export function importBySha(db: Db, kind: 'results' | 'statement' | 'answers', sha256: string): ImportRow | undefined {
  return db.prepare('SELECT id, imported_at, files FROM imports WHERE kind = ? AND sha256 = ?').get(kind, sha256) as ImportRow | undefined;
}

/**
 * The "same file imported twice" conflict of `import results` and `import statement` (exit
 * 4): these bytes (SHA-256) were imported before — which import, and when (Japan time).
 */
export function refuseSameFile(db: Db, kind: 'results' | 'statement' | 'answers', sha256: string, fileName: string): void {
  const prev = importBySha(db, kind, sha256);
  if (!prev) return;
  const what: Msg = kind === 'statement' ? { ja: 'この入出金取引明細', en: 'this statement' } : { ja: 'このファイル', en: 'this file' };
  throw conflict(`${kind}.same-file`, {
    ja: `${what.ja}は取込済みです（取込ID ${prev.id}、${formatTokyoTime(prev.imported_at, 'ja')}）。同じファイルは二度取り込めません`,
    en: `${what.en} was already imported (import ${prev.id}, ${formatTokyoTime(prev.imported_at, 'en')}); the same file cannot be imported twice`,
  }, { file: fileName });
}

export function importById(db: Db, id: number): ImportRow | undefined {
  return db.prepare('SELECT id, imported_at, files FROM imports WHERE id = ?').get(id) as ImportRow | undefined;
}

export function insertImport(
  db: Db,
  row: { kind: 'results' | 'statement' | 'answers'; sha256: string; files: string[]; importedAt: string; operator: string; summary: unknown },
): number {
  const r = db
    .prepare('INSERT INTO imports (kind, sha256, files, as_of, imported_at, operator, summary) VALUES (?, ?, ?, NULL, ?, ?, ?)')
    .run(row.kind, row.sha256, JSON.stringify(row.files), row.importedAt, row.operator, JSON.stringify(row.summary));
  return Number(r.lastInsertRowid);
}

/**
 * A request record's key in one number: request_id × 100 + 枝番 (枝番 1–99,
 * MAX_SUB_NUMBER), since request_records is keyed by (request_id, sub_number).
 */
const RECORD_KEY_SQL = 'rr.request_id * 100 + rr.sub_number';

/** One request record of a file, as rule 2 compares it. */
export interface ExpectedRecord {
  /** RECORD_KEY_SQL */
  key: number;
  request_number: number;
  sub_number: number;
  branch_code: string;
  account_type: string;
  account_number: string;
  limit_amount: number;
}

const EXPECTED_SQL = `SELECT ${RECORD_KEY_SQL} AS key, r.request_number, rr.sub_number, rr.branch_code, rr.account_type, rr.account_number, r.limit_amount
  FROM requests r JOIN request_records rr ON rr.request_id = r.id`;

/** The request records of one file in key order (依頼番号, 枝番), for the ordered merge. */
export function iterateExpected(db: Db, batchId: string, firstRequest: number, lastRequest: number): IterableIterator<ExpectedRecord> {
  return db
    .prepare(`${EXPECTED_SQL} WHERE r.batch_id = ? AND r.request_number BETWEEN ? AND ? ORDER BY r.request_number, rr.sub_number`)
    .iterate(batchId, firstRequest, lastRequest) as IterableIterator<ExpectedRecord>;
}

/** Point lookup of one request record (used when a file is not in key order). */
export function expectedLookup(db: Db, batchId: string): (requestNumber: number, subNumber: number) => ExpectedRecord | undefined {
  const st = db.prepare(`${EXPECTED_SQL} WHERE r.batch_id = ? AND r.request_number = ? AND rr.sub_number = ?`);
  return (requestNumber, subNumber) => st.get(batchId, requestNumber, subNumber) as ExpectedRecord | undefined;
}

/** Key range (RECORD_KEY_SQL) and count of the request records of one file (sizes the seen-bitmap). */
export function expectedRange(db: Db, batchId: string, firstRequest: number, lastRequest: number): { min: number; max: number; n: number } {
  const r = db
    .prepare(
      `SELECT MIN(${RECORD_KEY_SQL}) AS min, MAX(${RECORD_KEY_SQL}) AS max, COUNT(*) AS n
       FROM requests r JOIN request_records rr ON rr.request_id = r.id
       WHERE r.batch_id = ? AND r.request_number BETWEEN ? AND ?`,
    )
    .get(batchId, firstRequest, lastRequest) as { min: number | null; max: number | null; n: number };
  return { min: r.min ?? 0, max: r.max ?? -1, n: r.n };
}

/**
 * Update of request records' result columns by key (RECORD_KEY_SQL), batched: 200
 * rows per statement (UPDATE … FROM VALUES) — about a third faster than one
 * statement per row for a million rows. Call flush() after the last add().
 */
export function resultUpdater(db: Db): { add(key: number, code: string, seized: number, collected: number, collectionDate: string | null): void; flush(): void } {
  const B = 200;
  const W = 6;
  const many = db.prepare(
    `WITH v(r, n, c, s, k, d) AS (VALUES ${Array.from({ length: B }, () => '(?,?,?,?,?,?)').join(',')})
     UPDATE request_records SET result_code = v.c, seized_amount = v.s, collected_amount = v.k, collection_date = v.d
     FROM v WHERE request_records.request_id = v.r AND request_records.sub_number = v.n`,
  );
  const one = db.prepare(
    'UPDATE request_records SET result_code = ?, seized_amount = ?, collected_amount = ?, collection_date = ? WHERE request_id = ? AND sub_number = ?',
  );
  const args: Array<number | string | null> = new Array<number | string | null>(B * W);
  let n = 0;
  return {
    add(key, code, seized, collected, date) {
      const o = n * W;
      args[o] = Math.floor(key / 100); // request_id (RECORD_KEY_SQL)
      args[o + 1] = key % 100; // 枝番
      args[o + 2] = code;
      args[o + 3] = seized;
      args[o + 4] = collected;
      args[o + 5] = date;
      if (++n === B) {
        many.run(args);
        n = 0;
      }
    },
    flush() {
      for (let i = 0; i < n; i++) {
        const o = i * W;
        one.run(args[o + 2], args[o + 3], args[o + 4], args[o + 5], args[o], args[o + 1]);
      }
      n = 0;
    },
  };
}

export function setFileResults(db: Db, batchId: string, seq: number, importId: number): void {
  db.prepare('UPDATE batch_files SET results_import_id = ? WHERE batch_id = ? AND seq = ?').run(importId, batchId, seq);
}

export function insertResultFile(db: Db, row: { importId: number; batchId: string; fileNumber: number; archivePath: string; sha256: string }): void {
  db.prepare('INSERT INTO result_files (import_id, batch_id, file_number, archive_path, sha256) VALUES (?, ?, ?, ?, ?)').run(
    row.importId,
    row.batchId,
    row.fileNumber,
    row.archivePath,
    row.sha256,
  );
}

/** Files of the batch still without results. */
export function filesWithoutResults(db: Db, batchId: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM batch_files WHERE batch_id = ? AND results_import_id IS NULL').get(batchId) as { n: number }).n;
}

export function setBatchStateIf(db: Db, batchId: string, from: string, to: string, at: string): boolean {
  return db.prepare('UPDATE batches SET state = ?, updated_at = ? WHERE id = ? AND state = ?').run(to, at, batchId, from).changes === 1;
}

/**
 * The checked store of `import results`' fast path (docs/adr/0052, 0053), `size` data
 * records per statement: one
 * `UPDATE request_records … FROM (VALUES (…), …)` whose WHERE is, for every row of the
 * VALUES, the rule-2 condition of the one-record statement of ADR 0052 (same 依頼番号+枝番
 * of the batch with the same 差押限度額, same 支店番号, 預金種目 and 口座番号 padded as the
 * full check pads them, no result yet). The VALUES drive the join (plan: scan VALUES,
 * request record by its (request_id, sub_number) key, request by (batch_id,
 * request_number)). A statement must change exactly as many rows as it has records:
 * a record that does not match changes nothing, and two records of one statement with
 * the same key change their row once — either way the count is short, as the
 * one-record statement's was.
 *
 * Rule 2's other writing is steps/import-results/rule2.ts (the full check, which says
 * which field differs); test/results/rule2-equivalence.test.ts holds the two equal
 * (docs/adr/0109).
 */
export class BatchedResultUpdater {
  changed = 0;
  private pending = 0;
  private readonly args: Array<number | string | null>;
  private readonly full: ReturnType<Db['prepare']>;
  constructor(
    private readonly db: Db,
    private readonly batchId: string,
    private readonly brLen: number,
    private readonly accLen: number,
    private readonly size: number,
  ) {
    this.args = new Array<number | string | null>(size * 10 + 1).fill(null);
    this.args[size * 10] = batchId;
    this.full = this.statement(size);
  }
  private statement(n: number): ReturnType<Db['prepare']> {
    const br = Math.trunc(this.brLen);
    const acc = Math.trunc(this.accLen);
    const values = Array.from({ length: n }, () => '(?,?,?,?,?,?,?,?,?,?)').join(',');
    return this.db.prepare(
      `UPDATE request_records AS rr
          SET result_code = v.column7, seized_amount = v.column8, collected_amount = v.column9, collection_date = v.column10
         FROM (VALUES ${values}) AS v
        WHERE rr.request_id = (SELECT id FROM requests WHERE batch_id = ? AND request_number = v.column1 AND limit_amount = v.column3)
          AND rr.sub_number = v.column2
          AND (CASE WHEN length(rr.branch_code) >= ${br} THEN rr.branch_code ELSE substr('${'0'.repeat(br)}' || rr.branch_code, -${br}) END) = v.column4
          AND rr.account_type = v.column5
          AND (CASE WHEN length(rr.account_number) >= ${acc} THEN rr.account_number ELSE substr('${'0'.repeat(acc)}' || rr.account_number, -${acc}) END) = v.column6
          AND rr.result_code IS NULL`,
    );
  }
  /** Buffer one record; when the batch is full, run it. false: it did not change one row per record. */
  add(req: number, sub: number, branch: string, type: string, account: string, limit: number, code: string, seized: number, collected: number, date: string | null): boolean {
    const a = this.args;
    const o = this.pending * 10;
    a[o] = req;
    a[o + 1] = sub;
    a[o + 2] = limit;
    a[o + 3] = branch;
    a[o + 4] = type;
    a[o + 5] = account;
    a[o + 6] = code;
    a[o + 7] = seized;
    a[o + 8] = collected;
    a[o + 9] = date;
    if (++this.pending < this.size) return true;
    this.pending = 0;
    const n = this.full.run(a).changes;
    this.changed += n;
    return n === this.size;
  }
  /** Run the records still buffered (the file's last, partial batch). false: not one row changed per record. */
  flush(): boolean {
    const k = this.pending;
    if (k === 0) return true;
    this.pending = 0;
    const a = this.args.slice(0, k * 10);
    a.push(this.batchId);
    const n = this.statement(k).run(a).changes;
    this.changed += n;
    return n === k;
  }
}

export function batchState(db: Db, batchId: string): string | undefined {
  return (db.prepare('SELECT state FROM batches WHERE id = ?').get(batchId) as { state: string } | undefined)?.state;
}

/**
 * The bookkeeping of one imported result file (seizure or instruction), inside the caller's
 * transaction: the import row, `writeResults(importId)` (the records' result columns), the
 * file linked to the import, the archived file's row, the batch results-imported once every
 * file has its results. Returns the import id and the batch's state after it.
 */
export function storeFileResults(
  db: Db,
  row: WrittenFileRow,
  x: { sha256: string; fileName: string; at: string; operator: string; summary: unknown; archivePath: string },
  writeResults: (importId: number) => void,
): { importId: number; state: string } {
  const importId = insertImport(db, { kind: 'results', sha256: x.sha256, files: [x.fileName], importedAt: x.at, operator: x.operator, summary: x.summary });
  writeResults(importId);
  setFileResults(db, row.batch_id, row.seq, importId);
  insertResultFile(db, { importId, batchId: row.batch_id, fileNumber: row.file_number, archivePath: x.archivePath, sha256: x.sha256 });
  if (filesWithoutResults(db, row.batch_id) === 0) setBatchStateIf(db, row.batch_id, 'written', 'results-imported', x.at);
  return { importId, state: batchState(db, row.batch_id) ?? row.state };
}
