/**
 * Streaming CSV file writer for generated exports: rows are collected as text and
 * encoded in chunks of many rows (one iconv call per ~1 MiB, never per field), written
 * synchronously to a temporary file (mode 0600), and renamed into place on close —
 * memory stays flat however many rows, and a crash never leaves a half file under
 * the final name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { FILE_MODE, fsyncDir } from '../core/fsutil.js';

export type CsvEncoding = 'cp932' | 'utf8';

const FLUSH_CHARS = 1 << 20;

/** A CSV cell: quoted only when it holds a comma, quote or line break. */
export function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

export class CsvSink {
  readonly file: string;
  private readonly tmp: string;
  private readonly encoding: CsvEncoding;
  private fd: number;
  private buf = '';
  private closed = false;
  rows = 0;

  constructor(file: string, header: readonly string[], encoding: CsvEncoding) {
    this.file = file;
    this.encoding = encoding;
    this.tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    this.fd = fs.openSync(this.tmp, 'w', FILE_MODE);
    fs.fchmodSync(this.fd, FILE_MODE);
    this.buf = header.map(csvCell).join(',') + '\r\n';
  }

  /** Append one row whose cells are already CSV-safe (see csvCell), joined by commas. */
  line(text: string): void {
    this.buf += text + '\r\n';
    this.rows++;
    if (this.buf.length >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    const bytes = this.encoding === 'cp932' ? iconv.encode(this.buf, 'cp932') : Buffer.from(this.buf, 'utf8');
    let off = 0;
    while (off < bytes.length) off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
    this.buf = '';
  }

  /** Flush, fsync, close and rename into place. */
  close(): void {
    if (this.closed) return;
    this.flush();
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.closed = true;
    fs.renameSync(this.tmp, this.file);
    fsyncDir(path.dirname(this.file));
  }

  /** Close and remove the temporary file (after a failure). */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
    fs.rmSync(this.tmp, { force: true });
  }
}
