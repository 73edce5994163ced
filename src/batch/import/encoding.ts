/**
 * Encoding of an export CSV (import-csv.md: UTF-8 with or without BOM, or CP932).
 *
 * One streaming pass over the file computes its SHA-256 and checks whether it is
 * valid UTF-8; a file that is not valid UTF-8 is CP932 (ADR 0020). The pass keeps
 * at most 3 bytes between chunks, so memory does not grow with the file.
 */
import { createHash, type Hash } from 'node:crypto';
import * as fs from 'node:fs';
import { isUtf8 } from 'node:buffer';

export type CsvEncoding = 'utf8' | 'cp932';

export interface FileScan {
  sha256: string;
  bytes: number;
  /** the file starts with the UTF-8 BOM EF BB BF */
  bom: boolean;
  /** null when the whole file is valid UTF-8; else the byte offset of the first invalid byte */
  firstInvalidUtf8: number | null;
}

/** Length of a UTF-8 sequence from its lead byte; 0 for a byte that cannot start one. */
function seqLength(b: number): number {
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** Index where a trailing, possibly incomplete sequence starts (buf.length when none). */
function completeEnd(buf: Buffer): number {
  for (let back = 1; back <= 3 && back <= buf.length; back++) {
    const i = buf.length - back;
    const b = buf[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = seqLength(b);
    return need > back ? i : buf.length;
  }
  return buf.length;
}

/** Offset of the first byte that breaks UTF-8 in buf (assumed invalid somewhere), or -1. */
export function findInvalidUtf8(buf: Buffer): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    const n = seqLength(b);
    if (n === 0) return i;
    if (n === 1) {
      i++;
      continue;
    }
    if (i + n > buf.length) return i;
    for (let k = 1; k < n; k++) if ((buf[i + k]! & 0xc0) !== 0x80) return i;
    const b1 = buf[i + 1]!;
    if (b === 0xe0 && b1 < 0xa0) return i; // overlong
    if (b === 0xed && b1 >= 0xa0) return i; // surrogate
    if (b === 0xf0 && b1 < 0x90) return i; // overlong
    if (b === 0xf4 && b1 >= 0x90) return i; // above U+10FFFF
    i += n;
  }
  return -1;
}

/** Hash the file and check UTF-8 validity in one streaming pass; `also` receives the same bytes (a hash over several files). */
export async function scanFile(file: string, also?: Hash): Promise<FileScan> {
  const hash = createHash('sha256');
  let carry: Buffer = Buffer.alloc(0);
  let consumed = 0; // bytes of the file before `carry`
  let bytes = 0;
  let first: Buffer | null = null;
  let invalid: number | null = null;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const c = chunk as Buffer;
    hash.update(c);
    also?.update(c);
    bytes += c.length;
    if (first === null) first = c.subarray(0, 3);
    if (invalid !== null) continue;
    const buf = carry.length ? Buffer.concat([carry, c]) : c;
    const end = completeEnd(buf);
    const body = buf.subarray(0, end);
    if (!isUtf8(body)) {
      const at = findInvalidUtf8(body);
      invalid = consumed + (at < 0 ? 0 : at);
      continue;
    }
    consumed += end;
    carry = Buffer.from(buf.subarray(end));
  }
  if (invalid === null && carry.length > 0) invalid = consumed;
  const bom = first !== null && first.length === 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf;
  return { sha256: hash.digest('hex'), bytes, bom, firstInvalidUtf8: invalid };
}
