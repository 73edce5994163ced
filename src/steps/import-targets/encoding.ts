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
import iconv from 'iconv-lite';
import { rejected, type AppError } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';

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
function findInvalidUtf8(buf: Buffer): number {
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

// ---- a file in the wrong encoding (issue 13, item 7; ADR 0081) ---------------------

/** Encodings a header is tried in when it does not read in the chosen one. */
type Sniffed = CsvEncoding | 'eucjp' | 'utf16le' | 'utf16be';
const SNIFFED: readonly Sniffed[] = ['utf8', 'cp932', 'eucjp', 'utf16le', 'utf16be'];
const LABEL: Record<Sniffed, Msg> = {
  utf8: { ja: 'UTF-8', en: 'UTF-8' },
  cp932: { ja: 'CP932（Shift_JIS）', en: 'CP932 (Shift_JIS)' },
  eucjp: { ja: 'EUC-JP', en: 'EUC-JP' },
  utf16le: { ja: 'UTF-16', en: 'UTF-16' },
  utf16be: { ja: 'UTF-16', en: 'UTF-16' },
};
const HEAD_BYTES = 1 << 16;

function headOf(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    return buf.subarray(0, fs.readSync(fd, buf, 0, HEAD_BYTES, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/** The first line of `bytes` decoded as `enc` (BOM stripped), or null when `enc` cannot be it. */
function firstLine(bytes: Buffer, enc: Sniffed): string | null {
  if (enc === 'utf8' && !isUtf8(bytes.subarray(0, completeEnd(bytes)))) return null;
  const text = iconv.decode(bytes, enc);
  const end = text.search(/[\r\n]/);
  return end < 0 ? text : text.slice(0, end);
}

/** Whether a header line names at least one column of the contract. */
function namesAColumn(line: string | null, names: readonly string[]): boolean {
  if (line === null) return false;
  return line.split(',').some((c) => names.includes(c.trim().replace(/^"(.*)"$/s, '$1').trim()));
}

/**
 * When a file's header names none of the contract's columns (`names`) in the encoding
 * it is read in, whether the encoding looks wrong: a UTF-16 BOM or NUL bytes, bytes
 * not valid in that encoding, the header garbled (U+FFFD) — and which encoding the
 * header does read in, if any. Returns the one exit-3 error to give for the file
 * (`import.wrong-encoding`, with what was found), or null when nothing points at the
 * encoding (a header that is simply not the contract's: the column findings say so).
 */
export function wrongEncoding(file: string, displayName: string, chosen: CsvEncoding, names: readonly string[]): AppError | null {
  const bytes = headOf(file);
  if (namesAColumn(firstLine(bytes, chosen), names)) return null;
  const evidence: Msg[] = [];
  let offset: number | undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    evidence.push({ ja: '先頭に UTF-16 の BOM（FF FE）があります', en: 'it starts with a UTF-16 byte order mark (FF FE)' });
    offset = 0;
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    evidence.push({ ja: '先頭に UTF-16 の BOM（FE FF）があります', en: 'it starts with a UTF-16 byte order mark (FE FF)' });
    offset = 0;
  } else {
    const nul = bytes.indexOf(0);
    if (nul >= 0) {
      evidence.push({ ja: `バイト位置 ${nul} に NUL バイト（00）があります`, en: `there is a NUL byte (00) at byte offset ${nul}` });
      offset = nul;
    }
  }
  if (chosen === 'utf8') {
    const body = bytes.subarray(0, completeEnd(bytes));
    if (!isUtf8(body)) {
      const at = Math.max(0, findInvalidUtf8(body));
      evidence.push({ ja: `バイト位置 ${at} に UTF-8 として正しくないバイトがあります`, en: `the byte at offset ${at} is not valid UTF-8` });
      offset ??= at;
    }
  } else if ((firstLine(bytes, chosen) ?? '').includes('\uFFFD')) {
    evidence.push({ ja: '見出し行を CP932 として読むと読めない文字（文字化け）になります', en: 'the header row read as CP932 has characters that cannot be decoded (mojibake)' });
  }
  const found = SNIFFED.find((e) => e !== chosen && namesAColumn(firstLine(bytes, e), names));
  if (found === undefined && evidence.length === 0) return null;
  if (found !== undefined) {
    evidence.push({ ja: `見出し行を ${LABEL[found].ja} として読むと列名が読めます`, en: `the header row reads as column names in ${LABEL[found].en}` });
  } else {
    evidence.push({ ja: `見出し行を ${LABEL[chosen].ja} として読むと列名が1つも読めません`, en: `read as ${LABEL[chosen].en}, the header row names no column of the export` });
  }
  const advice: Msg =
    found === 'utf8' || found === 'cp932'
      ? { ja: `--encoding ${found} を指定するか、--encoding を外して（自動判定）やり直してください`, en: `Use --encoding ${found}, or leave --encoding out (detected), and run it again` }
      : { ja: 'UTF-8 か CP932（Shift_JIS）で出力し直してください', en: 'Export it again as UTF-8 or CP932 (Shift_JIS)' };
  return rejected(
    'import.wrong-encoding',
    {
      ja: `${displayName} の文字コードが違うようです（${LABEL[chosen].ja} として読みました）: ${evidence.map((e) => e.ja).join('。')}。${found ? `このファイルは ${LABEL[found].ja} のようです。` : ''}${advice.ja}。何も保存していません`,
      en: `${displayName} seems to be in another encoding (read as ${LABEL[chosen].en}): ${evidence.map((e) => e.en).join('; ')}.${found ? ` The file looks like ${LABEL[found].en}.` : ''} ${advice.en}. Nothing was stored`,
    },
    [],
    { file: displayName, ...(offset !== undefined ? { offset } : { line: 1 }) },
  );
}
