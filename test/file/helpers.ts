import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import fc from 'fast-check';

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

/** A byte-level change to a file for the readers' fuzz tests: flip, insert, delete, truncate, or duplicate a run. */
export type Mutation = { op: 'flip' | 'insert' | 'delete' | 'truncate' | 'dup'; at: number; byte: number };

/** One to four mutations; `maxDup` bounds a duplicated run (about a record's length or more). */
export function mutationsArb(maxDup: number): fc.Arbitrary<Mutation[]> {
  return fc.array(
    fc.oneof(
      fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ op: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
      fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), byte: fc.constant(0) }),
      fc.record({ op: fc.constant('dup' as const), at: fc.nat(), byte: fc.integer({ min: 1, max: maxDup }) }),
    ),
    { minLength: 1, maxLength: 4 },
  );
}

/** The file with the mutations applied in order (positions taken modulo its length at each step). */
export function applyMutations(base: Buffer, muts: readonly Mutation[]): Buffer {
  let b = Buffer.from(base);
  for (const m of muts) {
    const at = b.length ? m.at % b.length : 0;
    if (m.op === 'flip') b[at] = m.byte;
    else if (m.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.of(m.byte), b.subarray(at)]);
    else if (m.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]);
    else if (m.op === 'truncate') b = b.subarray(0, at);
    else b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + m.byte), b.subarray(at)]);
  }
  return b;
}
