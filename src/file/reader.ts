/**
 * Streaming readers on top of RecordScanner: an async iterable over a path or a
 * readable stream, and a synchronous fd-based fast path (validate, bench, DB import).
 * Neither reads the whole file into memory.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import { AppError, EXIT } from '../core/errors.js';
import { writeAllSync } from '../core/fsutil.js';
import type { Layout } from '../layout/types.js';
import { IGNORE_RECORDS, RecordScanner, type ReadRecord, type ScanOptions, type ScanSummary } from './scanner.js';

/** Async iterable of records; `summary` (framing, findings) is set once iteration ends. */
class RecordReader implements AsyncIterable<ReadRecord> {
  summary: ScanSummary | undefined;
  constructor(
    private readonly source: string | NodeJS.ReadableStream,
    private readonly layout: Layout,
    private readonly opts: ScanOptions = {},
  ) {}

  async *[Symbol.asyncIterator](): AsyncIterator<ReadRecord> {
    const stream = typeof this.source === 'string' ? fs.createReadStream(this.source, { highWaterMark: 1 << 16 }) : this.source;
    let batch: ReadRecord[] = [];
    const sc = new RecordScanner(this.layout, (r) => batch.push(r), this.opts);
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      if (typeof chunk === 'string') {
        throw new AppError({
          code: 'file.text-stream',
          exit: EXIT.unexpected,
          msg: { ja: 'バイト列ではなく文字列のストリームが渡されました（encoding を指定しないでください）', en: 'a text stream was given; read bytes (no encoding)' },
        });
      }
      sc.push(chunk);
      if (batch.length) {
        const out = batch;
        batch = [];
        for (const r of out) yield r;
      }
    }
    this.summary = sc.end();
    for (const r of batch) yield r;
  }
}

/**
 * Records of a file as an async iterable (constant memory):
 * `for await (const r of readRecords(path, layout)) …` — r = { index, offset, kind, fields, raw }.
 * Findings are in `reader.summary` after the loop (or via opts.onFinding as they occur).
 */
export function readRecords(source: string | NodeJS.ReadableStream, layout: Layout, opts: ScanOptions = {}): RecordReader {
  return new RecordReader(source, layout, opts);
}

/**
 * Feed a whole file through a caller's scanner (its own buffer, fs.readSync); returns
 * scanner.end(). `onChunk` sees every byte of the file, in order, before it is scanned
 * (e.g. to hash the file in the same pass); the chunk is only valid during the call. A
 * path is opened and closed here; a file descriptor is the caller's. With `follow`, a
 * file still being written is read to its end as its writer finishes it.
 */
export function scanInto(file: string | number, scanner: RecordScanner, onChunk?: (chunk: Buffer) => void, follow?: FollowWriter): ScanSummary {
  const fd = typeof file === 'number' ? file : openForRead(file);
  try {
    for (;;) {
      const into = scanner.writable();
      // the writer's state is read BEFORE the read: once it says finished, a read
      // that returns nothing is the true end of the file
      const finished = follow === undefined || follow.finished();
      const n = fs.readSync(fd, into, 0, into.length, null);
      if (n === 0) {
        if (finished) break;
        follow.wait();
        continue;
      }
      onChunk?.(into.subarray(0, n));
      scanner.commit(n);
    }
    return scanner.end();
  } finally {
    if (typeof file !== 'number') fs.closeSync(fd);
  }
}

/**
 * Synchronous scan of a file through a fixed buffer (fs.readSync): the fast path for
 * whole-file validation and for synchronous consumers (better-sqlite3 transactions).
 * `onChunk` and `follow` as for scanInto.
 */
export function scanFileSync(
  file: string | number,
  layout: Layout,
  opts: ScanOptions = {},
  onRecord: (r: ReadRecord) => void = IGNORE_RECORDS,
  onChunk?: (chunk: Buffer) => void,
  follow?: FollowWriter,
): ScanSummary {
  return scanInto(file, new RecordScanner(layout, onRecord, opts), onChunk, follow);
}

export function openForRead(file: string): number {
  try {
    return fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError({
      code: 'file.unreadable',
      exit: EXIT.usage,
      msg: {
        ja: `ファイル ${file} を開けません（${code ?? 'error'}）。パスを確認してください`,
        en: `cannot open ${file} (${code ?? 'error'}); check the path`,
      },
      location: { file },
      cause: e,
    });
  }
}

export interface ValidationResult {
  valid: boolean;
  layout: string;
  records: number;
  dataRecords: number;
  bytes: number;
  findings: ScanSummary['findings'];
  moreFindings: number;
  framing: ScanSummary['framing'];
  /** SHA-256 (hex) of the file's bytes, when asked for with `hash: 'sha256'` */
  sha256?: string;
}

export interface ValidateOptions extends Pick<ScanOptions, 'maxFindings' | 'today' | 'rules' | 'onFinding'> {
  /** also hash the file in the same read ('sha256'): result.sha256 */
  hash?: 'sha256';
}

/**
 * A file still being written by someone else (e.g. another thread): the scan waits
 * for more bytes until the writer says it finished.
 */
export interface FollowWriter {
  /** true once every byte is written */
  finished(): boolean;
  /** block briefly for more bytes */
  wait(): void;
}

/**
 * Validate a whole file against its layout (fields, framing, order, totals, file rules).
 * With `hash: 'sha256'` the file is hashed in the same single read (read-back checks).
 */
export function validateFile(file: string | number, layout: Layout, opts: ValidateOptions = {}, follow?: FollowWriter): ValidationResult {
  const { hash, ...scan } = opts;
  const h = hash === 'sha256' ? createHash('sha256') : undefined;
  const s = scanFileSync(file, layout, { ...scan, decode: false, raw: false, validate: true }, undefined, h ? (c) => h.update(c) : undefined, follow);
  const out: ValidationResult = { valid: s.valid, layout: s.layout, records: s.records, dataRecords: s.dataRecords, bytes: s.bytes, findings: s.findings, moreFindings: s.moreFindings, framing: s.framing };
  if (h) out.sha256 = h.digest('hex');
  return out;
}

/**
 * Feed the file to the scanner (zero-copy reads into its buffer), the hash and the copy
 * (`out`: exactly the bytes read), while `go()` — the read loop of import results' worker
 * (ADR 0055; import answers' worker hands its buffers on instead: readHandingOn).
 */
export function readThrough(file: string, scanner: RecordScanner, hash: Hash, go: () => boolean, out: number | null): void {
  const fd = fs.openSync(file, 'r');
  try {
    while (go()) {
      const w = scanner.writable();
      const n = fs.readSync(fd, w, 0, w.length, null);
      if (n === 0) break;
      hash.update(w.subarray(0, n));
      if (out !== null) writeAllSync(out, w.subarray(0, n));
      scanner.commit(n);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Feed the file to the scanner from buffers that are the caller's to hand on (import
 * answers' worker, ADR 0188 amended): each read goes into a buffer from `fresh()` — one no
 * other reference writes to —, the scanner takes a copy of it (push: a record split between
 * two reads is kept whole in its own buffer), then `take` owns it. The buffers given to
 * `take`, in order, are every byte of the file exactly once, and exactly the bytes scanned.
 */
export function readHandingOn(file: string, scanner: RecordScanner, go: () => boolean, fresh: () => Uint8Array, take: (read: Uint8Array) => void): void {
  const fd = fs.openSync(file, 'r');
  try {
    while (go()) {
      const b = fresh();
      const n = fs.readSync(fd, b, 0, b.length, null);
      if (n === 0) break;
      const read = n === b.length ? b : b.subarray(0, n);
      scanner.push(read);
      take(read);
    }
  } finally {
    fs.closeSync(fd);
  }
}
