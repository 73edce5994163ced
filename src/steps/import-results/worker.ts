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
 *   chunk  — up to `chunkRecords` data records as transferred typed arrays and one
 *            string (no object per record crosses the thread boundary);
 *   end    — data records read, sha256 of the bytes, and whether the file is clean.
 * The first finding (or a value the arrays cannot carry) ends the stream with an
 * `end` that is not clean: the main thread then rolls back and runs the full check,
 * which reports every finding. Nothing here is logged.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import type { IsoDate } from '../../core/dates.js';
import { runProducer, type ProducerContext } from '../../core/sync-worker.js';
import { RecordScanner } from '../../file/scanner.js';
import type { Fields } from '../../layout/codec.js';
import { loadLayout } from '../../layout/load.js';
import { digitsValue, resultRulesFeed } from './result-rules.js';
import { putCodeUnits } from '../../core/code-units.js';

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

/** Data records i = 0 … n−1, field by field. */
export interface ResultChunk {
  kind: 'chunk';
  n: number;
  req: Float64Array;
  sub: Uint8Array;
  limit: Float64Array;
  code: Uint8Array;
  seized: Float64Array;
  collected: Float64Array;
  /** 取立日 as the number YYYYMMDD, 0 = none */
  date: Int32Array;
  /** 支店番号, 預金種目 and 口座番号 of every record, one after the other, as UTF-16 code units */
  text: Uint16Array;
  /** where each of those three texts ends in `text` (3 per record) */
  textEnd: Int32Array;
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

/** The text fields a chunk carries, in this order (ResultChunk.text, ChunkBuilder.add). */
const TEXT_FIELDS = ['branchCode', 'accountType', 'accountNumber'] as const;

/** Fills one chunk's arrays (views of ONE buffer, transferred whole); `take()` hands them over and starts anew. */
class ChunkBuilder {
  private c!: ResultChunk;
  private textLength = 0;

  /** textWidth: the most characters the text fields of one record can have (their byte lengths) */
  constructor(
    readonly capacity: number,
    private readonly textWidth: number,
  ) {
    this.allocate();
  }

  /** Records in the chunk being filled. */
  get n(): number {
    return this.c.n;
  }

  get full(): boolean {
    return this.c.n === this.capacity;
  }

  private allocate(): void {
    const k = this.capacity;
    // widest elements first, so that every view is aligned
    const bytes = 8 * 4 * k + 4 * 4 * k + 2 * this.textWidth * k + 2 * k;
    const buf = new ArrayBuffer(bytes);
    let at = 0;
    const view = <A>(make: (b: ArrayBuffer, at: number, n: number) => A, n: number, size: number): A => {
      const v = make(buf, at, n);
      at += n * size;
      return v;
    };
    const f64 = (b: ArrayBuffer, o: number, n: number): Float64Array => new Float64Array(b, o, n);
    const i32 = (b: ArrayBuffer, o: number, n: number): Int32Array => new Int32Array(b, o, n);
    const u16 = (b: ArrayBuffer, o: number, n: number): Uint16Array => new Uint16Array(b, o, n);
    const u8 = (b: ArrayBuffer, o: number, n: number): Uint8Array => new Uint8Array(b, o, n);
    this.c = {
      kind: 'chunk',
      n: 0,
      req: view(f64, k, 8),
      limit: view(f64, k, 8),
      seized: view(f64, k, 8),
      collected: view(f64, k, 8),
      date: view(i32, k, 4),
      textEnd: view(i32, 3 * k, 4),
      text: view(u16, this.textWidth * k, 2),
      sub: view(u8, k, 1),
      code: view(u8, k, 1),
    };
    this.textLength = 0;
  }

  /**
   * Add one data record's values. false: a value the arrays cannot carry — a field
   * that is not digits (the layout check reports it), a 枝番 / 結果コード beyond their
   * one-byte slots (rule 3 reports such a code) or text longer than its field; the
   * full check then decides.
   */
  add(fl: Fields): boolean {
    const req = digitsValue(fl['requestNumber']);
    const sub = digitsValue(fl['subNumber']);
    const limit = digitsValue(fl['limitAmount']);
    const code = Math.max(0, digitsValue(fl['resultCode']));
    const date = Math.max(0, digitsValue(fl['collectionDate']));
    if (req < 0 || sub < 0 || sub > 255 || limit < 0 || code > 99 || date > 0x7fffffff) return false;
    const c = this.c;
    const i = c.n;
    const start = this.textLength;
    if (!this.addText(fl['branchCode'] ?? '')) return false;
    c.textEnd[3 * i] = this.textLength;
    if (!this.addText(fl['accountType'] ?? '')) return false;
    c.textEnd[3 * i + 1] = this.textLength;
    if (!this.addText(fl['accountNumber'] ?? '')) return false;
    c.textEnd[3 * i + 2] = this.textLength;
    if (this.textLength - start > this.textWidth) return false;
    c.req[i] = req;
    c.sub[i] = sub;
    c.limit[i] = limit;
    c.code[i] = code;
    c.seized[i] = Math.max(0, digitsValue(fl['seizedAmount']));
    c.collected[i] = Math.max(0, digitsValue(fl['collectedAmount']));
    c.date[i] = date;
    c.n = i + 1;
    return true;
  }

  private addText(s: string): boolean {
    const t = this.c.text;
    const j = this.textLength;
    if (j + s.length > t.length) return false;
    this.textLength = putCodeUnits(t, j, s);
    return true;
  }

  /** The chunk and its buffer to transfer; the builder starts a new chunk. */
  take(): { chunk: ResultChunk; transfer: ArrayBuffer[] } {
    const chunk = this.c;
    this.allocate();
    return { chunk, transfer: [chunk.req.buffer as ArrayBuffer] };
  }
}

/** Scan the file once, posting its header, its data records in chunks, then the end. */
function scanResultFile(ctx: ProducerContext<ResultScanInput, ResultItem>): void {
  const { file, layoutFile, today } = ctx.input;
  const layout = loadLayout(layoutFile);
  const D = layout.records.data;
  const textWidth = TEXT_FIELDS.reduce((w, id) => w + (D?.byId.get(id)?.length ?? 0), 0);
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

/** Feed the file to the scanner (zero-copy reads into its buffer), the hash and the copy (`out`), while `go()`. */
function readThrough(file: string, scanner: RecordScanner, hash: Hash, go: () => boolean, out: number | null): void {
  const fd = fs.openSync(file, 'r');
  try {
    while (go()) {
      const w = scanner.writable();
      const n = fs.readSync(fd, w, 0, w.length, null);
      if (n === 0) break;
      hash.update(w.subarray(0, n));
      if (out !== null) {
        for (let at = 0; at < n; ) at += fs.writeSync(out, w, at, n - at);
      }
      scanner.commit(n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

runProducer(scanResultFile);
