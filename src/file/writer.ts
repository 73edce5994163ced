/**
 * Writers: encode records through the layout codec, emit the separator, compute the
 * trailer and end totals from the data records written, hash what is written.
 *
 * - SyncRecordWriter: to a file descriptor (or a new 0600 file), large internal buffer,
 *   for the DB→file path inside a better-sqlite3 transaction.
 * - StreamRecordWriter: to a Writable, awaiting 'drain' (backpressure).
 *
 * Callers supply only the non-total fields of trailer/end records; a total they do
 * supply must equal the computed one (else AppError). Records must come in layout order.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { AppError, EXIT, type ErrorCode } from '../core/errors.js';
import { FILE_MODE, writeAllSync } from '../core/fsutil.js';
import { todayTokyo, type IsoDate } from '../core/dates.js';
import { encodeRecord, encodeRecordInOrder, fieldOrder, type FieldInput, type FieldInputs, type FieldOrder } from '../layout/codec.js';
import { dataRecordsOf, type Layout, type RecordDef, type RecordKind, type Separator } from '../layout/types.js';
import { recordDef } from '../layout/load.js';
import { allowedNext, isComplete, KIND_JA, Totals } from './checker.js';
import type { Framing } from './scanner.js';

/**
 * Which record to write: a kind, or with several data records the data record's id
 * (`'detail'`); `'data'` names the data record of a layout that has only one.
 */
export type RecordRef = RecordKind | (string & {});

/** The record definition `ref` names in `layout`, or a writer error. */
function resolve(layout: Layout, ref: RecordRef): RecordDef {
  const rec = recordDef(layout, ref);
  if (rec) return rec;
  if (ref === 'data' && dataRecordsOf(layout).length > 1) {
    const ids = dataRecordsOf(layout).map((d) => d.id).join(', ');
    throw writerError('writer.no-such-record', `レイアウト ${layout.id} にはデータレコードが複数あります。書くレコードの id（${ids}）を指定してください`, `layout ${layout.id} has several data records; name the one to write (${ids})`);
  }
  throw writerError('writer.no-such-record', `レイアウト ${layout.id} に ${ref} レコードはありません`, `layout ${layout.id} has no ${ref} record`);
}

export interface WriterOptions {
  /** separator after each record (default: the layout's, i.e. CRLF unless it says otherwise) */
  separator?: Separator;
  /** separator after the last record too (default true) */
  finalSeparator?: boolean;
  /** end the file with one 0x1A (default false) */
  eofMark?: boolean;
  /** date for checking 和暦 values (default todayTokyo()) */
  today?: IsoDate;
  /** internal buffer size in bytes (default 1 MiB) */
  bufferSize?: number;
}

/** Writer options that reproduce a file's framing as read (round trips). */
export function framingOptions(f: Framing): WriterOptions {
  return { separator: f.separator ?? 'none', finalSeparator: f.finalSeparator, eofMark: f.eofMark };
}

export interface WriteResult {
  /** data records written */
  records: number;
  /** all records written */
  totalRecords: number;
  bytes: number;
  sha256: string;
}

const SEP_BYTES: Record<Separator, Uint8Array> = {
  crlf: Uint8Array.of(0x0d, 0x0a),
  lf: Uint8Array.of(0x0a),
  cr: Uint8Array.of(0x0d),
  none: new Uint8Array(0),
};

function writerError(code: ErrorCode, ja: string, en: string): AppError {
  return new AppError({ code, exit: EXIT.unexpected, msg: { ja, en } });
}

/** Shared encoding core: order, totals, separators, hashing into a reusable buffer. */
class EncodeCore {
  buf: Buffer;
  pos = 0;
  readonly R: number;
  private readonly sep: Uint8Array;
  private readonly finalSep: boolean;
  private readonly eofMark: boolean;
  private readonly totals: Totals;
  private last: RecordKind | 'start' = 'start';
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  dataRecords = 0;
  allRecords = 0;
  closed = false;
  private readonly today: IsoDate;

  constructor(
    readonly layout: Layout,
    opts: WriterOptions,
  ) {
    this.R = layout.recordLength;
    this.sep = SEP_BYTES[opts.separator ?? layout.separator];
    this.finalSep = opts.finalSeparator ?? true;
    this.eofMark = opts.eofMark ?? false;
    this.totals = new Totals(layout);
    this.today = opts.today ?? todayTokyo();
    this.buf = Buffer.allocUnsafe(Math.max(opts.bufferSize ?? 1 << 20, (this.R + 3) * 2));
  }

  /** Whether another record fits in the buffer. */
  fits(): boolean {
    return this.pos + this.R + this.sep.length + 1 <= this.buf.length;
  }

  append(ref: RecordRef, values: FieldInputs, base?: Uint8Array): void {
    const rec = this.begin(resolve(this.layout, ref), base);
    const kind = rec.kind;
    let vals = values;
    if (kind === 'trailer' || kind === 'end') vals = this.fillTotals(kind, values);
    this.separate();
    encodeRecord(this.layout, rec, vals, this.buf, this.pos, base, this.today);
    this.done(rec);
  }

  /** append() with the values as an array in the order of `order.ids` (fieldOrder). */
  appendInOrder(order: FieldOrder, values: ArrayLike<FieldInput>, base?: Uint8Array): void {
    const kind = order.rec.kind;
    if (kind === 'trailer' || kind === 'end') {
      const obj: FieldInputs = {};
      order.ids.forEach((id, j) => (obj[id] = values[j]));
      this.append(kind, obj, base);
      return;
    }
    if (this.layout.records[kind] !== order.rec && !(kind === 'data' && dataRecordsOf(this.layout).includes(order.rec))) {
      throw writerError('writer.order-layout', `項目の並び（${kind}）がこのレイアウト ${this.layout.id} のものではありません`, `the field order (${kind}) is not of layout ${this.layout.id}`);
    }
    this.begin(order.rec, base);
    this.separate();
    encodeRecordInOrder(this.layout, order, values, this.buf, this.pos, base, this.today);
    this.done(order.rec);
  }

  /**
   * A data record another thread encoded (DataRecordEncoder): `src[off, off + R)` are its
   * bytes. The same order checks, separators, totals and counts as appendInOrder.
   */
  appendEncoded(rec: RecordDef, src: Buffer, off: number): void {
    this.begin(rec, undefined);
    this.separate();
    src.copy(this.buf, this.pos, off, off + this.R);
    this.done(rec);
  }

  /** Checks before a record of `kind`; counts it for the totals. */
  private begin(rec: RecordDef, base: Uint8Array | undefined) {
    if (this.closed) throw writerError('writer.closed', 'ファイルは既に閉じられています', 'the writer is closed');
    const kind = rec.kind;
    if (!(kind === 'data' && this.last === 'data')) {
      // data after data is always allowed (layout-xml.md record order)
      const allowed = allowedNext(this.layout, this.last);
      if (!allowed.includes(kind)) {
        throw writerError('writer.order', `${KIND_JA[kind]}レコードはここに書けません（次に書けるのは ${allowed.join(' / ') || 'なし'}）`, `a ${kind} record cannot be written here (next: ${allowed.join(' / ') || 'nothing'})`);
      }
    }
    if (base !== undefined && base.length !== this.R) {
      throw writerError('writer.base-length', `元レコードの長さが ${base.length} バイトです（${this.R} 必要）`, `the base record is ${base.length} bytes (${this.R} needed)`);
    }
    this.totals.seen(kind, this.last);
    return rec;
  }

  private separate(): void {
    if (this.allRecords > 0) {
      const sep = this.sep;
      for (let i = 0; i < sep.length; i++) this.buf[this.pos++] = sep[i]!;
    }
  }

  /** After a record is encoded at pos: totals, counts, position. */
  private done(rec: RecordDef): void {
    const kind = rec.kind;
    if (kind === 'data') {
      this.totals.data(rec, this.buf, this.pos);
      this.dataRecords++;
    }
    this.pos += this.R;
    this.allRecords++;
    this.last = kind;
  }

  private fillTotals(kind: 'trailer' | 'end', values: FieldInputs): FieldInputs {
    const specs = kind === 'trailer' ? this.totals.trailerSpecs : this.totals.endSpecs;
    if (specs.length === 0) return values;
    const out: FieldInputs = { ...values };
    for (const s of specs) {
      const v = this.totals.expected(s, kind);
      const f = s.field;
      if (v === null) throw writerError('writer.total', `${f.id} を計算できません`, `cannot compute ${f.id}`);
      const text = v.toString();
      if (text.length > f.length) {
        throw new AppError({
          code: 'writer.total-overflow',
          exit: EXIT.rejected,
          msg: {
            ja: `${KIND_JA[kind]}レコードの ${f.id}${f.name ? `（${f.name}）` : ''} の値 ${text} が ${f.length} 桁に収まりません。ファイルを分けてください`,
            en: `${kind} field ${f.id}: ${text} does not fit in ${f.length} digits; split the file`,
          },
          location: { field: f.id },
        });
      }
      const given = values[f.id];
      if (given !== undefined && given !== '' && BigInt(String(given)) !== v) {
        throw new AppError({
          code: 'writer.total-mismatch',
          exit: EXIT.unexpected,
          msg: {
            ja: `${f.id} に ${String(given)} が渡されましたが、書いたデータレコードからの計算値は ${text} です`,
            en: `${f.id} was given as ${String(given)}, but the data records written give ${text}`,
          },
          location: { field: f.id },
        });
      }
      out[f.id] = given !== undefined && given !== '' && typeof given === 'string' && given.length === f.length ? given : text;
    }
    return out;
  }

  /** Take the bytes encoded so far (hashing them). */
  take(): Buffer {
    const chunk = this.buf.subarray(0, this.pos);
    this.hash.update(chunk);
    this.bytes += this.pos;
    this.pos = 0;
    return chunk;
  }

  /** Final separator, 0x1A; checks the file is complete. */
  finish(): void {
    if (!isComplete(this.layout, this.last)) {
      const next = allowedNext(this.layout, this.last).join(' / ');
      throw writerError('writer.incomplete', `ファイルが完結していません（次に必要: ${next}）。書きかけのファイルは使わないでください`, `the file is incomplete (next needed: ${next}); do not use the partial file`);
    }
    if (this.finalSep && this.allRecords > 0) {
      this.buf.set(this.sep, this.pos);
      this.pos += this.sep.length;
    }
    if (this.eofMark) this.buf[this.pos++] = 0x1a;
    this.closed = true;
  }

  result(): WriteResult {
    return { records: this.dataRecords, totalRecords: this.allRecords, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }
}

function orderFor(layout: Layout, ref: RecordRef, ids: readonly string[]): FieldOrder {
  return fieldOrder(layout, resolve(layout, ref), ids);
}

/** What a record source writes into: a SyncRecordWriter, or a DataRecordEncoder on another thread. */
export interface DataSink {
  order(ref: RecordRef, ids: readonly string[]): FieldOrder;
  writeInOrder(order: FieldOrder, values: ArrayLike<FieldInput>): void;
}

/**
 * Data records encoded on one thread for a SyncRecordWriter on another (writeEncoded):
 * `count` records back to back, recordLength bytes each, no separators; `recs[i]` is the
 * index of record i's definition in dataRecordsOf(layout). Plain typed arrays: transferred.
 */
export interface EncodedRecords {
  bytes: Uint8Array;
  recs: Uint8Array;
  count: number;
}

/**
 * Encodes data records exactly as SyncRecordWriter.writeInOrder does (the same codec
 * call, the same `today`) into a growing chunk that `flush()` hands to `emit` — for a
 * producer thread that reads and encodes while the writing thread writes (write's encoder,
 * ADR 0190). Order, separators, totals, hash and the file stay with the writer
 * (writeEncoded). The chunk's buffers are transferred whole (its views cover what is
 * filled); `reuse` returns buffers the consumer handed back (SyncProducer.recycle).
 */
export class DataRecordEncoder implements DataSink {
  private readonly R: number;
  private readonly index = new Map<RecordDef, number>();
  private bytes: Uint8Array;
  private recs: Uint8Array;
  private n = 0;

  /** `records`: the chunk's first capacity (it grows as needed) */
  constructor(
    private readonly layout: Layout,
    private readonly records: number,
    private readonly today: IsoDate,
    private readonly emit: (c: EncodedRecords) => void,
    private readonly reuse: () => ArrayBuffer[] | undefined = () => undefined,
  ) {
    this.R = layout.recordLength;
    dataRecordsOf(layout).forEach((r, i) => this.index.set(r, i));
    this.recs = new Uint8Array(Math.max(1, records));
    this.bytes = new Uint8Array(this.R * this.recs.length);
  }

  order(ref: RecordRef, ids: readonly string[]): FieldOrder {
    const o = orderFor(this.layout, ref, ids);
    if (!this.index.has(o.rec)) throw writerError('writer.order', `${KIND_JA[o.rec.kind]}レコードはここに書けません（データレコードのみ）`, `a ${o.rec.kind} record cannot be written here (data records only)`);
    return o;
  }

  writeInOrder(order: FieldOrder, values: ArrayLike<FieldInput>): void {
    if (this.n === this.recs.length) this.grow();
    encodeRecordInOrder(this.layout, order, values, this.bytes, this.n * this.R, undefined, this.today);
    this.recs[this.n++] = this.index.get(order.rec)!;
  }

  private grow(): void {
    const recs = new Uint8Array(this.recs.length * 2);
    recs.set(this.recs);
    const bytes = new Uint8Array(this.R * recs.length);
    bytes.set(this.bytes);
    this.recs = recs;
    this.bytes = bytes;
  }

  /** Hand over what is encoded as one chunk (an empty one too), then start a new chunk. */
  flush(): void {
    const n = this.n;
    this.emit({ bytes: this.bytes.subarray(0, n * this.R), recs: this.recs.subarray(0, n), count: n });
    this.n = 0;
    const [b, r] = this.reuse() ?? [];
    const ok = b !== undefined && r !== undefined && r.byteLength >= this.records && b.byteLength === this.R * r.byteLength;
    this.recs = ok ? new Uint8Array(r) : new Uint8Array(Math.max(1, this.records));
    this.bytes = ok ? new Uint8Array(b) : new Uint8Array(this.R * this.recs.length);
  }
}

/** Synchronous writer to a file descriptor. */
export class SyncRecordWriter implements DataSink {
  private readonly core: EncodeCore;
  private readonly ownFd: boolean;
  private readonly fd: number;

  /**
   * `target`: a file descriptor (left open), or a path created with mode 0600 (fails
   * if it exists unless opts.flags says otherwise; fsynced and closed by close()).
   */
  constructor(target: number | string, layout: Layout, opts: WriterOptions & { flags?: string } = {}) {
    this.core = new EncodeCore(layout, opts);
    if (typeof target === 'number') {
      this.fd = target;
      this.ownFd = false;
    } else {
      this.fd = fs.openSync(target, opts.flags ?? 'wx', FILE_MODE);
      this.ownFd = true;
    }
  }

  /** Write a record: `ref` a kind, or a data record's id (RecordRef). */
  write(ref: RecordRef, values: FieldInputs = {}, base?: Uint8Array): void {
    if (!this.core.fits()) this.flush();
    this.core.append(ref, values, base);
  }
  /** The ids of `kind` records in the order writeInOrder takes their values (checked once; unknown ids refused). */
  order(ref: RecordRef, ids: readonly string[]): FieldOrder {
    return orderFor(this.core.layout, ref, ids);
  }
  /** write() with values as an array: `values[j]` is the value of `order.ids[j]`. Same bytes, same errors. */
  writeInOrder(order: FieldOrder, values: ArrayLike<FieldInput>, base?: Uint8Array): void {
    if (!this.core.fits()) this.flush();
    this.core.appendInOrder(order, values, base);
  }
  /** Data records encoded by a DataRecordEncoder (another thread), in their order. Same bytes as writeInOrder of the same values. */
  writeEncoded(c: EncodedRecords): void {
    const data = dataRecordsOf(this.core.layout);
    const R = this.core.R;
    if (c.bytes.length !== c.count * R || c.recs.length < c.count) {
      throw writerError('writer.encoded-length', `符号化済みレコードの長さが合いません（${c.count} 件、${c.bytes.length} バイト）`, `encoded records do not add up (${c.count} records, ${c.bytes.length} bytes)`);
    }
    const src = Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.length);
    for (let i = 0; i < c.count; i++) {
      const rec = data[c.recs[i]!];
      if (rec === undefined) throw writerError('writer.encoded-length', `データレコード番号 ${c.recs[i]} はこのレイアウトにありません`, `data record ${c.recs[i]} is not in this layout`);
      if (!this.core.fits()) this.flush();
      this.core.appendEncoded(rec, src, i * R);
    }
  }
  header(values: FieldInputs = {}): void {
    this.write('header', values);
  }
  data(values: FieldInputs): void {
    this.write('data', values);
  }
  trailer(values: FieldInputs = {}): void {
    this.write('trailer', values);
  }
  end(values: FieldInputs = {}): void {
    this.write('end', values);
  }

  private flush(): void {
    writeAllSync(this.fd, this.core.take());
  }

  /** Finish the file (final separator, 0x1A), flush, fsync and close an own fd. */
  close(): WriteResult {
    this.core.finish();
    this.flush();
    if (this.ownFd) {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    }
    return this.core.result();
  }

  /** Give up: close an own fd without completing (the caller removes the file). */
  abort(): void {
    if (this.ownFd && !this.core.closed) {
      this.core.closed = true;
      fs.closeSync(this.fd);
    }
  }
}

/** Asynchronous writer to a Writable stream, respecting backpressure. */
export class StreamRecordWriter {
  private readonly core: EncodeCore;
  constructor(
    private readonly stream: Writable,
    layout: Layout,
    opts: WriterOptions = {},
  ) {
    this.core = new EncodeCore(layout, opts);
  }

  async write(ref: RecordRef, values: FieldInputs = {}, base?: Uint8Array): Promise<void> {
    if (!this.core.fits()) await this.flush();
    this.core.append(ref, values, base);
  }
  order(ref: RecordRef, ids: readonly string[]): FieldOrder {
    return orderFor(this.core.layout, ref, ids);
  }
  async writeInOrder(order: FieldOrder, values: ArrayLike<FieldInput>, base?: Uint8Array): Promise<void> {
    if (!this.core.fits()) await this.flush();
    this.core.appendInOrder(order, values, base);
  }

  private async flush(): Promise<void> {
    const chunk = this.core.take();
    // The stream keeps the chunk: hand it a copy-free buffer and start a fresh one.
    this.core.buf = Buffer.allocUnsafe(this.core.buf.length);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  /** Finish the file, flush and end the stream (waits for 'finish'). */
  async close(): Promise<WriteResult> {
    this.core.finish();
    const chunk = this.core.take();
    this.stream.end(chunk);
    await once(this.stream, 'finish');
    return this.core.result();
  }
}
