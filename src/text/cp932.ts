/**
 * Double-byte (J field) text in CP932 / Shift_JIS, via iconv-lite, with the checks
 * iconv-lite does not make (layout-xml.md "J fields"):
 *
 * - iconv-lite encodes an unmappable character as `?` (0x3F) silently: every
 *   character is encoded on its own, must give exactly two bytes and decode back to
 *   itself, else it is refused.
 * - `shift_jis` and `cp932` share one table in iconv-lite: with `shift_jis` the NEC /
 *   IBM extension lead bytes (0x87, 0xED–0xEE, 0xFA–0xFC) are refused here.
 * - User-defined characters (外字, lead 0xF0–0xF9) and undefined pairs are refused:
 *   a bank cannot know them.
 *
 * Results are cached per character / per byte pair, so iconv is called once per
 * distinct character, not per field.
 */
import iconv from 'iconv-lite';

export type DoubleByteEncoding = 'cp932' | 'shift_jis';

function isLeadByte(b: number): boolean {
  return (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
}
function isTrailByte(b: number): boolean {
  return (b >= 0x40 && b <= 0x7e) || (b >= 0x80 && b <= 0xfc);
}
/** NEC special / NEC-selected IBM / IBM extension lead bytes (not in plain Shift_JIS). */
function isExtensionLead(b: number): boolean {
  return b === 0x87 || b === 0xed || b === 0xee || (b >= 0xfa && b <= 0xfc);
}
function isUserDefinedLead(b: number): boolean {
  return b >= 0xf0 && b <= 0xf9;
}

/** By pair (lead << 8 | trail); undefined: not looked up yet (an array, not a Map: issue 15 item 7, ADR 0142). */
const decodeCache: (string | null | undefined)[] = new Array<string | null | undefined>(0x10000).fill(undefined);

/** The character for one double-byte pair, or null when the pair is undefined. */
function decodePair(lead: number, trail: number): string | null {
  const key = (lead << 8) | trail;
  const hit = decodeCache[key];
  if (hit !== undefined) return hit;
  let res: string | null = null;
  if (isLeadByte(lead) && isTrailByte(trail) && !isUserDefinedLead(lead)) {
    const s = iconv.decode(Buffer.from([lead, trail]), 'cp932');
    const cp = s.codePointAt(0) ?? 0xfffd;
    const ok = s.length === 1 && cp !== 0xfffd && !(cp >= 0xe000 && cp <= 0xf8ff) && cp >= 0x80;
    res = ok ? s : null;
  }
  decodeCache[key] = res;
  return res;
}

const encodeCache = new Map<string, number>();
/** The same cache for the BMP by code unit (-2: not looked up yet): no string hashing per character (issue 15 item 7, ADR 0142). */
const bmpCodes = new Int32Array(0x10000).fill(-2);

/** encodeChar for one UTF-16 code unit that is not a surrogate. */
function encodeUnit(c: number): number {
  const hit = bmpCodes[c]!;
  if (hit !== -2) return hit;
  const res = encodeUncached(String.fromCharCode(c));
  bmpCodes[c] = res;
  return res;
}

/** The pair (lead << 8 | trail) for one character, or -1 when it has no double-byte code. */
function encodeChar(ch: string): number {
  if (ch.length === 1) {
    const c = ch.charCodeAt(0);
    if (c < 0xd800 || c > 0xdfff) return encodeUnit(c);
  }
  const hit = encodeCache.get(ch);
  if (hit !== undefined) return hit;
  const res = encodeUncached(ch);
  encodeCache.set(ch, res);
  return res;
}

function encodeUncached(ch: string): number {
  let res = -1;
  const b = iconv.encode(ch, 'cp932');
  if (b.length === 2 && b[0] !== 0x3f) {
    const lead = b[0]!;
    const trail = b[1]!;
    if (decodePair(lead, trail) === ch) res = (lead << 8) | trail;
  }
  return res;
}

export type JProblem =
  | { kind: 'single-byte'; at: number; byte: number }
  | { kind: 'lead-without-trail'; at: number; byte: number }
  | { kind: 'undefined'; at: number; lead: number; trail: number }
  | { kind: 'extension'; at: number; lead: number; trail: number };

/**
 * Per byte pair (lead << 8 | trail), looked up once: 0 not yet, PAIR_OK a character in both
 * encodings, PAIR_CP932 one only in cp932 (an NEC/IBM extension lead), PAIR_BAD anything
 * else (checkJPlain says what). The read-back checks every J field of a file (a million
 * 住所): a table look-up per pair instead of four range tests and the decode cache.
 */
const PAIR_OK = 1;
const PAIR_CP932 = 2;
const PAIR_BAD = 3;
const pairStates = new Uint8Array(0x10000);

function pairState(key: number): number {
  const lead = key >> 8;
  const trail = key & 0xff;
  const st = isLeadByte(lead) && isTrailByte(trail) && decodePair(lead, trail) !== null ? (isExtensionLead(lead) ? PAIR_CP932 : PAIR_OK) : PAIR_BAD;
  pairStates[key] = st;
  return st;
}

/**
 * Check the bytes of a J field (whose length is even). Returns the first problem, or
 * null. `at` is the index within the field. By the pair table up to the first pair that is
 * not plainly a character, from there checkJPlain (test/text/cp932-check.test.ts holds the
 * two equal on every byte pair).
 */
export function checkJ(buf: Uint8Array, start: number, end: number, enc: DoubleByteEncoding): JProblem | null {
  const ext = enc === 'cp932' ? PAIR_CP932 : PAIR_OK;
  for (let i = start; i < end; i += 2) {
    if (i + 1 < end) {
      const key = (buf[i]! << 8) | buf[i + 1]!;
      let st = pairStates[key]!;
      if (st === 0) st = pairState(key);
      if (st <= ext) continue;
    }
    return checkFrom(buf, start, i, end, enc);
  }
  return null;
}

/** checkJ by range tests and the decode cache, pair by pair: the reference of checkJ's table. */
export function checkJPlain(buf: Uint8Array, start: number, end: number, enc: DoubleByteEncoding): JProblem | null {
  return checkFrom(buf, start, start, end, enc);
}

/** checkJPlain from the pair at `from` on (`at` counted from `start`). */
function checkFrom(buf: Uint8Array, start: number, from: number, end: number, enc: DoubleByteEncoding): JProblem | null {
  for (let i = from; i < end; i += 2) {
    const lead = buf[i]!;
    if (!isLeadByte(lead)) return { kind: 'single-byte', at: i - start, byte: lead };
    if (i + 1 >= end) return { kind: 'lead-without-trail', at: i - start, byte: lead };
    const trail = buf[i + 1]!;
    if (!isTrailByte(trail)) return { kind: 'lead-without-trail', at: i - start, byte: lead };
    if (enc === 'shift_jis' && isExtensionLead(lead)) return { kind: 'extension', at: i - start, lead, trail };
    if (decodePair(lead, trail) === null) return { kind: 'undefined', at: i - start, lead, trail };
  }
  return null;
}

/**
 * Decode a J field: characters with trailing full-width spaces removed. Pairs that are
 * not valid characters are shown as \xNN\xNN so a damaged field can still be inspected.
 */
export function decodeJ(buf: Uint8Array, start: number, end: number): string {
  let stop = end;
  while (stop - 2 >= start && buf[stop - 2] === 0x81 && buf[stop - 1] === 0x40) stop -= 2;
  let s = '';
  for (let i = start; i < stop; i += 2) {
    const lead = buf[i]!;
    const trail = i + 1 < stop ? buf[i + 1]! : -1;
    const ch = trail >= 0 ? decodePair(lead, trail) : null;
    if (ch !== null) s += ch;
    else {
      s += hex(lead);
      if (trail >= 0) s += hex(trail);
    }
  }
  return s;
}

function hex(b: number): string {
  return `\\x${b.toString(16).padStart(2, '0')}`;
}

export type JEncodeResult = { ok: true; bytes: number[] } | { ok: false; index: number; reason: 'unmappable' | 'single-byte' | 'extension' };

/** Encode text for a J field (no padding). Refuses instead of writing `?`. */
export function encodeJ(text: string, enc: DoubleByteEncoding): JEncodeResult {
  // fast path: every code unit a BMP character with a code (no surrogates); otherwise the loop below says where and why
  const n = text.length;
  const fast: number[] = new Array<number>(n * 2);
  let k = 0;
  for (; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdfff) break;
    const code = encodeUnit(c);
    if (code < 0) break;
    const lead = code >> 8;
    if (enc === 'shift_jis' && isExtensionLead(lead)) break;
    fast[2 * k] = lead;
    fast[2 * k + 1] = code & 0xff;
  }
  if (k === n) return { ok: true, bytes: fast };
  return encodeJGeneral(text, enc);
}

/**
 * encodeJ's bytes written straight into `out` at `at` when every code unit is a BMP
 * character with a code in `enc` and they fit in `max` bytes: returns the bytes written;
 * else -1 and the caller takes encodeJ (which says why). No array per field (the write
 * step's 氏名 and 住所 of a million inquiries); test/text/cp932.test.ts holds it to encodeJ.
 */
export function encodeJInto(text: string, enc: DoubleByteEncoding, out: Uint8Array, at: number, max: number): number {
  const n = text.length;
  if (2 * n > max) return -1;
  const sjis = enc === 'shift_jis';
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdfff) return -1;
    const code = encodeUnit(c);
    if (code < 0) return -1;
    const lead = code >> 8;
    if (sjis && isExtensionLead(lead)) return -1;
    out[at + 2 * k] = lead;
    out[at + 2 * k + 1] = code & 0xff;
  }
  return 2 * n;
}

/** encodeJ per code point, with the reason of the first character refused (the fast path's reference). */
export function encodeJGeneral(text: string, enc: DoubleByteEncoding): JEncodeResult {
  const out: number[] = [];
  let i = 0;
  for (const ch of text) {
    const code = encodeChar(ch);
    if (code < 0) {
      const single = iconv.encode(ch, 'cp932');
      const isSingle = single.length === 1 && !(single[0] === 0x3f && ch !== '?');
      return { ok: false, index: i, reason: isSingle ? 'single-byte' : 'unmappable' };
    }
    const lead = code >> 8;
    if (enc === 'shift_jis' && isExtensionLead(lead)) return { ok: false, index: i, reason: 'extension' };
    out.push(lead, code & 0xff);
    i += ch.length;
  }
  return { ok: true, bytes: out };
}

/** Whether one character (a code point) has a double-byte code in `enc` (cached; the J field encoder's own test). */
export function isDoubleByte(ch: string, enc: DoubleByteEncoding = 'cp932'): boolean {
  const code = encodeChar(ch);
  return code >= 0 && !(enc === 'shift_jis' && isExtensionLead(code >> 8));
}
