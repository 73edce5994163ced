import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import iconv from 'iconv-lite';

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
}

/** The seizure-120.md example (`_` = space) as cp932 records joined by `sep`. */
export function exampleRecords(): Buffer[] {
  const text = fs.readFileSync(new URL('../fixtures/files/seizure-120-example.txt', import.meta.url), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => iconv.encode(l.replaceAll('_', ' '), 'cp932'));
}

export function joinRecords(recs: Buffer[], sep: string, final = true, eof = false): Buffer {
  const s = Buffer.from(sep, 'latin1');
  const parts: Buffer[] = [];
  recs.forEach((r, i) => {
    if (i > 0) parts.push(s);
    parts.push(r);
  });
  if (final) parts.push(s);
  if (eof) parts.push(Buffer.of(0x1a));
  return Buffer.concat(parts);
}

/** The example's header/data values as a writer caller gives them. */
export const EXAMPLE_HEADER = {
  typeCode: '51',
  requesterCode: '12345',
  requesterName: 'ｶｺﾞｼﾏｼ',
  executionDate: '2026-12-01',
  bankCode: '0184',
  bankName: 'ﾐﾔｻﾞｷ',
  fileNumber: 42,
  collectionMode: '1',
  depositBranch: '123',
  depositAccountType: '1',
  depositAccountNumber: '1234567',
};
export const EXAMPLE_DATA = {
  requestNumber: 101,
  subNumber: 1,
  branchCode: '310',
  accountType: '1',
  accountNumber: '0012345',
  holderName: 'ﾔﾏﾀﾞ ﾀﾛｳ',
  birthDate: '1970-04-01',
  limitAmount: 152300,
  resultCode: '00',
};
