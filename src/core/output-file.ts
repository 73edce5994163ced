/**
 * The one writer of the files the product creates (ADR 0111): reports, exports, exclusion
 * and reject lists, the demo's CSVs and settings, the bank simulator's files, the result
 * archive. A file is written to a temporary file beside its target (mode 0600), fsynced,
 * then given its name — renamed over the target (`clobber: true`) or linked into place
 * only if the target does not exist (`clobber: false`: exit 4 `output.exists`) — and the
 * directory is fsynced. A crash or an abort never leaves a half-written file under the
 * final name; abort removes the temporary file. Media files have their own protocol
 * (steps/write/atomic.ts, ADR 0043/0058).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conflict } from './errors.js';
import { FILE_MODE, ensureDir, fsyncDir, writeAllSync } from './fsutil.js';

export interface OutputFileOptions {
  /** true: replace an existing target (rename); false: refuse it, exit 4 `output.exists` (link) */
  clobber: boolean;
}

export function refuseExisting(file: string): void {
  if (fs.existsSync(file)) throw outputExists(file);
}

function outputExists(file: string) {
  return conflict(
    'output.exists',
    {
      ja: `出力先 ${file} は既に存在します。上書きはしません。別の名前を指定するか、不要なら削除してください`,
      en: `Output ${file} already exists and will not be overwritten. Choose another name or remove it`,
    },
    { file },
  );
}

export interface OutputFile {
  /** the final name */
  readonly path: string;
  /**
   * The temporary file's descriptor, for a writer that writes to a descriptor itself
   * (the fixed-width record writer). Use either it or write(), not both.
   */
  readonly fd: number;
  /** append bytes (synchronous, buffered; a large Uint8Array is written at once and may be reused by the caller) */
  write(chunk: string | Uint8Array): void;
  /** flush, fsync and give the file its name; with clobber false throws output.exists (exit 4) if the target appeared */
  commit(): void;
  /** remove the temporary file (safe to call after commit, and more than once) */
  abort(): void;
  /** bytes passed to write() so far */
  readonly bytes: number;
}

let seq = 0;

/**
 * Open an output file. With `clobber: false` an existing target is refused here (exit 4),
 * before anything is written. The target's directory is created (0700) if missing.
 */
export function openOutputFile(file: string, opts: OutputFileOptions): OutputFile {
  if (!opts.clobber) refuseExisting(file);
  const dir = path.dirname(path.resolve(file));
  ensureDir(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.${seq++}.tmp`);
  const fd = fs.openSync(tmp, 'wx', FILE_MODE);
  let bytes = 0;
  let buf: Buffer[] = [];
  let buffered = 0;
  // small strings (CSV lines) are gathered as text and encoded in large pieces
  let text = '';
  let open = true;
  let placed = false;
  const writeAll = (b: Uint8Array): void => writeAllSync(fd, b);
  const encodeText = (): void => {
    if (text.length === 0) return;
    const b = Buffer.from(text, 'utf8');
    text = '';
    buf.push(b);
    buffered += b.length;
    bytes += b.length;
  };
  const flush = (): void => {
    encodeText();
    if (buffered === 0) return;
    writeAll(buf.length === 1 ? buf[0]! : Buffer.concat(buf, buffered));
    buf = [];
    buffered = 0;
  };
  try {
    fs.fchmodSync(fd, FILE_MODE); // whatever the umask
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return {
    path: file,
    fd,
    write(chunk) {
      if (typeof chunk === 'string') {
        text += chunk;
        if (text.length >= 1 << 16) encodeText();
      } else if (chunk.length >= 1 << 16) {
        flush();
        writeAll(chunk);
        bytes += chunk.length;
        return;
      } else {
        encodeText();
        const b = Buffer.from(chunk); // a copy: the caller may reuse its buffer
        buf.push(b);
        buffered += b.length;
        bytes += b.length;
      }
      if (buffered >= 1 << 20) flush();
    },
    commit() {
      flush();
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      open = false;
      if (opts.clobber) {
        fs.renameSync(tmp, file);
      } else {
        if (!linkIntoPlace(tmp, file)) {
          fs.rmSync(tmp, { force: true });
          throw outputExists(file);
        }
        fs.rmSync(tmp, { force: true });
      }
      placed = true;
      fsyncDir(dir);
    },
    abort() {
      if (open) {
        open = false;
        fs.closeSync(fd);
      }
      if (!placed) fs.rmSync(tmp, { force: true });
    },
    get bytes() {
      return bytes + Buffer.byteLength(text, 'utf8');
    },
  };
}

/**
 * Give a complete, fsynced file a second name only if that name is free (a hard link:
 * never over an existing file). Returns false when the target exists. The caller removes
 * the first name and fsyncs the directory.
 */
export function linkIntoPlace(from: string, to: string): boolean {
  try {
    fs.linkSync(from, to);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Write a whole file (small outputs: the HTML report, settings.json). */
export function writeOutputFile(file: string, data: string | Uint8Array, opts: OutputFileOptions): void {
  const f = openOutputFile(file, opts);
  try {
    f.write(data);
    f.commit();
  } catch (e) {
    f.abort();
    throw e;
  }
}
