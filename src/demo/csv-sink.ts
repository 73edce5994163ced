/**
 * Streaming CSV file writer for generated exports (ADR 0033).
 *
 * Rows are encoded straight into one reusable 4 MiB buffer that is written
 * synchronously when full — memory stays flat however many rows, and there is no
 * per-row garbage besides the row's own string. CP932 goes through a code-unit →
 * bytes table filled lazily from iconv-lite (one iconv call per distinct character,
 * never per field or row); a character CP932 cannot hold is an error, never `?`.
 * The file is written through core/output-file.ts (temporary name, mode 0600, renamed
 * into place over an earlier file on close), so a crash never leaves a half file under the
 * final name. Rows are built by the generator with core/csv.ts's `csvCell` (the product's
 * one CSV encoder, ADR 0111); the header goes through csv-stringify itself.
 */
import iconv from 'iconv-lite';
import { csvRows } from '../core/csv.js';
import { openOutputFile, type OutputFile } from '../core/output-file.js';

export type CsvEncoding = 'cp932' | 'utf8';

const CHUNK = 4 << 20;
/** room always kept free for one row (a generated row is far shorter) */
const ROW_MAX = 64 << 10;

// code unit → -2 not looked up yet, -1 not in CP932, 0..0xFF one byte, else lead<<8|trail
const CP932 = new Int32Array(65536).fill(-2);
for (let c = 0; c < 0x80; c++) CP932[c] = c;

function cp932Of(unit: number): number {
  let v = CP932[unit]!;
  if (v !== -2) return v;
  v = -1;
  if (unit < 0xd800 || unit > 0xdfff) {
    const ch = String.fromCharCode(unit);
    const b = iconv.encode(ch, 'cp932');
    if (iconv.decode(b, 'cp932') === ch) {
      if (b.length === 1) v = b[0]!;
      else if (b.length === 2) v = (b[0]! << 8) | b[1]!;
    }
  }
  CP932[unit] = v;
  return v;
}

/** Encode `s` as CP932 into `buf` at `off`; returns the new offset. Throws on an unmappable character. */
export function encodeCp932Into(s: string, buf: Buffer, off: number): number {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    const v = u < 0x80 ? u : cp932Of(u);
    if (v < 0) throw new RangeError(`character ${JSON.stringify(s[i])} (U+${u.toString(16).toUpperCase()}) has no CP932 code`);
    if (v > 0xff) {
      buf[off++] = v >> 8;
      buf[off++] = v & 0xff;
    } else buf[off++] = v;
  }
  return off;
}

export class CsvSink {
  readonly file: string;
  private readonly encoding: CsvEncoding;
  private readonly out: OutputFile;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private off = 0;
  private closed = false;
  rows = 0;

  constructor(file: string, header: readonly string[], encoding: CsvEncoding) {
    this.file = file;
    this.encoding = encoding;
    this.out = openOutputFile(file, { clobber: true });
    this.put(csvRows([header]).slice(0, -2)); // put() ends the line
  }

  private put(text: string): void {
    if (text.length * 3 + 2 > ROW_MAX) throw new RangeError('generated row too long');
    if (this.off > CHUNK - ROW_MAX) this.flush();
    this.off = this.encoding === 'cp932' ? encodeCp932Into(text, this.buf, this.off) : this.off + this.buf.write(text, this.off, 'utf8');
    this.buf[this.off++] = 0x0d;
    this.buf[this.off++] = 0x0a;
  }

  /** Append one row whose cells are already CSV-safe (core/csv.ts csvCell), joined by commas. */
  line(text: string): void {
    this.put(text);
    this.rows++;
  }

  private flush(): void {
    if (this.off === 0) return;
    this.out.write(this.buf.subarray(0, this.off));
    this.off = 0;
  }

  /** Flush, fsync, close and rename into place. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.out.commit();
  }

  /** Close and remove the temporary file (after a failure). */
  abort(): void {
    this.closed = true;
    this.out.abort(); // nothing to do once committed
  }
}
