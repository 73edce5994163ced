/**
 * `<input>.rejected.csv` beside an input (--skip-invalid): the rejected rows with
 * their line and reasons, then the row as it was. Same encoding as the input
 * (UTF-8 with BOM so spreadsheet software opens it, or CP932). Written to a
 * temporary file (mode 0600) and renamed into place only when the import commits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import { FILE_MODE, fsyncDir } from '../../core/fsutil.js';
import type { CsvEncoding } from './encoding.js';

export class RejectFile {
  readonly target: string;
  private readonly tmp: string;
  private fd: number | null = null;
  rows = 0;

  constructor(
    input: string,
    private readonly header: string[],
    private readonly encoding: CsvEncoding,
    private readonly labels: { line: string; reason: string },
  ) {
    this.target = `${input}.rejected.csv`;
    this.tmp = path.join(path.dirname(this.target), `.${path.basename(this.target)}.${process.pid}.tmp`);
  }

  private bytes(text: string): Buffer {
    return this.encoding === 'cp932' ? iconv.encode(text, 'cp932') : Buffer.from(text, 'utf8');
  }

  write(line: number, reasons: string[], cells: string[]): void {
    if (this.fd === null) {
      this.fd = fs.openSync(this.tmp, 'w', FILE_MODE);
      if (this.encoding === 'utf8') fs.writeSync(this.fd, Buffer.from([0xef, 0xbb, 0xbf]));
      fs.writeSync(this.fd, this.bytes(stringify([[this.labels.line, this.labels.reason, ...this.header]], { record_delimiter: '\r\n' })));
    }
    fs.writeSync(this.fd, this.bytes(stringify([[String(line), reasons.join(' / '), ...cells]], { record_delimiter: '\r\n' })));
    this.rows++;
  }

  /** Move the file into place (only when rows were rejected). Returns its path, or null. */
  commit(): string | null {
    if (this.fd === null) return null;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
    this.fd = null;
    fs.chmodSync(this.tmp, FILE_MODE);
    fs.renameSync(this.tmp, this.target);
    fsyncDir(path.dirname(this.target));
    return this.target;
  }

  abort(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
    fs.rmSync(this.tmp, { force: true });
  }
}
