/**
 * Deliberate output files (reports, exports): mode 0600, written to a temporary
 * file beside the target, fsynced, then linked into place only if the target does
 * not exist (no clobbering, never a half-written file under the final name).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conflict } from './errors.js';
import { FILE_MODE, ensureDir, fsyncDir } from './fsutil.js';

export function refuseExisting(file: string): void {
  if (fs.existsSync(file)) {
    throw conflict(
      'output.exists',
      {
        ja: `出力先 ${file} は既に存在します。上書きはしません。別の名前を指定するか、不要なら削除してください`,
        en: `Output ${file} already exists and will not be overwritten. Choose another name or remove it`,
      },
      { file },
    );
  }
}

export interface NewFile {
  /** append bytes (synchronous, buffered) */
  write(chunk: string | Uint8Array): void;
  /** flush, fsync and link into place; throws output-exists (exit 4) if the target appeared */
  commit(): void;
  /** remove the temporary file (safe to call after commit) */
  abort(): void;
  readonly bytes: number;
}

/** Open a new output file. Check refuseExisting first so nothing is done for an existing target. */
export function openNewFile(file: string): NewFile {
  refuseExisting(file);
  const dir = path.dirname(path.resolve(file));
  ensureDir(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'wx', FILE_MODE);
  let bytes = 0;
  let buf: Buffer[] = [];
  let buffered = 0;
  // small strings (CSV lines) are gathered as text and encoded in large pieces
  let text = '';
  let open = true;
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
    const b = Buffer.concat(buf, buffered);
    let off = 0;
    while (off < b.length) off += fs.writeSync(fd, b, off, b.length - off);
    buf = [];
    buffered = 0;
  };
  return {
    write(chunk) {
      if (typeof chunk === 'string') {
        text += chunk;
        if (text.length >= 1 << 16) encodeText();
      } else {
        encodeText();
        const b = Buffer.from(chunk);
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
      fs.chmodSync(tmp, FILE_MODE);
      try {
        fs.linkSync(tmp, file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
          fs.rmSync(tmp, { force: true });
          refuseExisting(file);
        }
        throw e;
      }
      fs.rmSync(tmp, { force: true });
      fsyncDir(dir);
    },
    abort() {
      if (open) {
        fs.closeSync(fd);
        open = false;
      }
      fs.rmSync(tmp, { force: true });
    },
    get bytes() {
      encodeText();
      return bytes;
    },
  };
}

/** Write a whole new file (small outputs such as the HTML report). */
export function writeNewFile(file: string, data: string | Uint8Array): void {
  const f = openNewFile(file);
  try {
    f.write(data);
    f.commit();
  } catch (e) {
    f.abort();
    throw e;
  }
}

/** One CSV field: quoted when it holds a comma, quote, CR or LF. */
function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v); // digits, sign, point: never quoted
  const s = String(v);
  return NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const NEEDS_QUOTES = /[",\r\n]/;

export function csvLine(values: ReadonlyArray<string | number | null | undefined>): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + csvField(values[i]);
  return line + '\r\n';
}
