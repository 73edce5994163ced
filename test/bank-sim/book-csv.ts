import * as fs from 'node:fs';
import * as path from 'node:path';

/** A book or transactions CSV for bank-sim --book / --transactions: header and rows, CRLF. */
export function csv(dir: string, name: string, head: string, rows: string[]): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, [head, ...rows].join('\r\n') + '\r\n');
  return file;
}
