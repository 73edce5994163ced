/**
 * The worker half of `import results`' fast path (import-results.ts `importClean`,
 * docs/adr/0055-result-import-second-core.md).
 *
 * The split: everything that needs no database runs here, on the second core —
 * reading the archived copy, framing and decoding (only the fields the fast path
 * reads), the layout checks, rules 3–6, the digits of every data record and the
 * sha256 of the bytes. The main thread keeps everything that touches the database, in
 * its one transaction: rule 1 on the header (findTarget), the checked store of rule 2,
 * the totals, the archive and the commit.
 *
 * Items posted, in this order:
 *   header — the first header record: its fields and place (findTarget reports there);
 *   chunk  — up to `chunkRecords` data records as RESULT_ROWS (core/rows.ts: typed
 *            arrays and code units, transferred; no object per record crosses);
 *   end    — data records read, sha256 of the bytes, and whether the file is clean.
 * The first finding (or a value the arrays cannot carry) ends the stream with an
 * `end` that is not clean: the main thread then rolls back and runs the full check,
 * which reports every finding. Nothing here is logged.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import type { IsoDate } from '../../core/dates.js';
import { runProducer, type ProducerContext } from '../../core/sync-worker.js';
import { readThrough } from '../../file/reader.js';
import { RecordScanner } from '../../file/scanner.js';
import type { Fields } from '../../layout/codec.js';
import { loadLayout } from '../../layout/load.js';
import { digitsValue, resultRulesFeed } from './result-rules.js';
import { buffersOf, type RowSetters, type RowsBuilder } from '../../core/rows.js';
import { RESULT_ROWS, type ResultChunk } from './result-rows.js';

export interface ResultScanInput {
  /** the result file as received */
  file: string;
  /**
   * the archive's temporary copy, created here (0600) and written with exactly the bytes
   * read, hashed and checked; complete when the end item is clean
   */
  copyTo?: string;
  /** the layout's XML file (Layout.file): loaded here exactly as the main thread loaded it */
  layoutFile: string;
  /** date for 和暦 reading, the main thread's */
  today: IsoDate;
  /** data records per chunk (default 8,192; smaller in tests) */
  chunkRecords?: number;
}

export interface ResultHeader {
  kind: 'header';
  /** 0-based record index and byte offset of the header record */
  index: number;
  offset: number;
  fields: Fields;
}

export interface ResultEnd {
  kind: 'end';
  /** no finding and every value carried: the chunks posted are the whole file */
  clean: boolean;
  /** data records read */
  records: number;
  /** of the bytes read ('' when not clean) */
  sha256: string;
}

export type ResultItem = ResultHeader | ResultChunk | ResultEnd;

/** Data-record fields the fast path (rule 2 + store) and rules 3–6 read; not the holder's name or birth date. */
const FAST_DATA_FIELDS: readonly string[] = [
  'requestNumber',
  'subNumber',
  'branchCode',
  'accountType',
  'accountNumber',
  'limitAmount',
  'resultCode',
  'seizedAmount',
  'collectedAmount',
  'collectionDate',
];

const DEFAULT_CHUNK_RECORDS = 8_192;

/**
 * Fills chunks of RESULT_ROWS from decoded records.
 *
 * `add` refuses (false) a value the fast path does not carry — a field that is not digits
 * (the layout check reports it), a 枝番 beyond 255 or a 結果コード beyond 99 (rule 3 reports
 * such a code), a 取立日 beyond 2^31 − 1, or text longer than its fields — the full check then
 * decides.
 */
class ChunkBuilder {
  private readonly rows: RowsBuilder<typeof RESULT_ROWS.schema>;
  private readonly set: RowSetters<typeof RESULT_ROWS.schema>;

  /** textWidth: the most characters the text fields of one record can have (their byte lengths) */
  constructor(
    readonly capacity: number,
    private readonly textWidth: number,
  ) {
    this.rows = RESULT_ROWS.builder(capacity);
    this.set = this.rows.set;
  }

  /** Records in the chunk being filled. */
  get n(): number {
    return this.rows.n;
  }

  get full(): boolean {
    return this.rows.n === this.capacity;
  }

  /** Add one data record's values; false: a value not carried (see the class). */
  add(fl: Fields): boolean {
    const req = digitsValue(fl['requestNumber']);
    const sub = digitsValue(fl['subNumber']);
    const limit = digitsValue(fl['limitAmount']);
    const code = Math.max(0, digitsValue(fl['resultCode']));
    const date = Math.max(0, digitsValue(fl['collectionDate']));
    if (req < 0 || sub < 0 || sub > 255 || limit < 0 || code > 99 || date > 0x7fffffff) return false;
    const branch = fl['branchCode'] ?? '';
    const type = fl['accountType'] ?? '';
    const account = fl['accountNumber'] ?? '';
    if (branch.length + type.length + account.length > this.textWidth) return false;
    const set = this.set;
    set.req(req);
    set.sub(sub);
    set.limit(limit);
    set.code(code);
    set.seized(Math.max(0, digitsValue(fl['seizedAmount'])));
    set.collected(Math.max(0, digitsValue(fl['collectedAmount'])));
    set.date(date);
    set.branch(branch);
    set.type(type);
    set.account(account);
    this.rows.endRow();
    return true;
  }

  /** The chunk and its buffers to transfer; the builder starts a new chunk. */
  take(): { chunk: ResultChunk; transfer: ArrayBuffer[] } {
    const rows = this.rows.finish();
    return { chunk: { kind: 'chunk', ...rows }, transfer: buffersOf(rows) };
  }
}

/** Scan the file once, posting its header, its data records in chunks, then the end. */
function scanResultFile(ctx: ProducerContext<ResultScanInput, ResultItem>): void {
  const { file, layoutFile, today } = ctx.input;
  const layout = loadLayout(layoutFile);
  const D = layout.records.data;
  const textWidth = (['branchCode', 'accountType', 'accountNumber'] as const).reduce((w, id) => w + (D?.byId.get(id)?.length ?? 0), 0);
  const chunk = new ChunkBuilder(Math.max(1, ctx.input.chunkRecords ?? DEFAULT_CHUNK_RECORDS), textWidth);
  const postChunk = (): void => {
    const { chunk: c, transfer } = chunk.take();
    ctx.post(c, transfer);
  };
  let clean = true;
  let headerSent = false;
  let records = 0;

  const scanner: RecordScanner = new RecordScanner(
    layout,
    (rec) => {
      if (!clean) return;
      rules.push(rec);
      if (rec.kind === 'header' && !headerSent) {
        // posted even when rules 3–6 found something in it: the main thread runs rule 1
        // (and its conflicts, exit 4) on the header exactly as the one-thread path did
        headerSent = true;
        ctx.post({ kind: 'header', index: rec.index, offset: rec.offset, fields: rec.fields });
        return;
      }
      if (rec.kind !== 'data') return;
      records++;
      if (!headerSent || !chunk.add(rec.fields)) {
        clean = false;
        return;
      }
      if (chunk.full) postChunk();
    },
    {
      raw: false,
      maxFindings: 1,
      today,
      onFinding: () => (clean = false),
      decodeOnly: { data: FAST_DATA_FIELDS },
    },
  );
  const rules = resultRulesFeed(layout, scanner.report);

  const hash = createHash('sha256');
  const out = ctx.input.copyTo === undefined ? null : fs.openSync(ctx.input.copyTo, 'wx', 0o600);
  try {
    readThrough(file, scanner, hash, () => clean && !ctx.cancelled(), out);
  } finally {
    if (out !== null) fs.closeSync(out);
  }
  if (ctx.cancelled()) return;
  if (clean) {
    scanner.end();
    rules.finish();
  }
  if (clean && chunk.n > 0) postChunk();
  ctx.post({ kind: 'end', clean, records, sha256: clean ? hash.digest('hex') : '' });
}

export default runProducer(scanResultFile);
