/**
 * `<input>.rejected.csv` beside an input (--skip-invalid): the rejected rows with
 * their line and reasons, then the row as it was. Same encoding as the input
 * (UTF-8 with BOM so spreadsheet software opens it, or CP932). Written through
 * core/output-file.ts (temporary file, mode 0600) and renamed into place — over a
 * reject file of an earlier run — only when the import commits.
 */
import iconv from 'iconv-lite';
import { csvRows } from '../../core/csv.js';
import { openOutputFile, type OutputFile } from '../../core/output-file.js';
import type { CsvEncoding } from './encoding.js';

export class RejectFile {
  readonly target: string;
  private out: OutputFile | null = null;
  rows = 0;

  constructor(
    input: string,
    private readonly header: string[],
    private readonly encoding: CsvEncoding,
    private readonly labels: { line: string; reason: string },
  ) {
    this.target = `${input}.rejected.csv`;
  }

  private bytes(text: string): Buffer {
    return this.encoding === 'cp932' ? iconv.encode(text, 'cp932') : Buffer.from(text, 'utf8');
  }

  write(line: number, reasons: string[], cells: string[]): void {
    if (this.out === null) {
      this.out = openOutputFile(this.target, { clobber: true });
      if (this.encoding === 'utf8') this.out.write(Buffer.from([0xef, 0xbb, 0xbf]));
      this.out.write(this.bytes(csvRows([[this.labels.line, this.labels.reason, ...this.header]])));
    }
    this.out.write(this.bytes(csvRows([[String(line), reasons.join(' / '), ...cells]])));
    this.rows++;
  }

  /** Move the file into place (only when rows were rejected). Returns its path, or null. */
  commit(): string | null {
    if (this.out === null) return null;
    const out = this.out;
    this.out = null;
    try {
      out.commit();
    } catch (e) {
      out.abort();
      throw e;
    }
    return this.target;
  }

  abort(): void {
    if (this.out === null) return;
    this.out.abort();
    this.out = null;
  }
}
