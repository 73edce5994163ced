/**
 * JIS X 0201 as byte tables (ADR 0001): every single-byte decision in the codec is a
 * Uint8Array / array lookup, never a call into iconv per field or record.
 *
 * - 0x20–0x7E decode as ASCII (0x5C is `\`, 0x7E is `~`); `¥` (U+00A5) encodes as 0x5C.
 * - 0xA1–0xDF are half-width katakana U+FF61–U+FF9F.
 * - Every other byte is outside JIS X 0201 (the C classes refuse it; X shows it as \xNN).
 */

/** Character classes of C fields (layout-xml.md). */
export type CharClass = 'party' | 'bank' | 'any';

/** Bit flags per byte: which classes allow it. */
const CLS_PARTY = 1;
const CLS_BANK = 2;
const CLS_ANY = 4;

/** byte → class bits. */
export const CLASS_BITS: Uint8Array = (() => {
  const t = new Uint8Array(256);
  const base = (b: number) => (t[b] = (t[b] ?? 0) | CLS_PARTY | CLS_BANK | CLS_ANY);
  base(0x20);
  for (let b = 0x30; b <= 0x39; b++) base(b);
  for (let b = 0x41; b <= 0x5a; b++) base(b);
  for (let b = 0xb1; b <= 0xdf; b++) base(b); // ｱ–ﾝ, ﾞ, ﾟ
  for (const c of '()-.') t[c.charCodeAt(0)] = (t[c.charCodeAt(0)] ?? 0) | CLS_PARTY;
  t[0x2d] = (t[0x2d] ?? 0) | CLS_BANK;
  for (let b = 0x20; b <= 0x7e; b++) t[b] = (t[b] ?? 0) | CLS_ANY;
  for (let b = 0xa1; b <= 0xdf; b++) t[b] = (t[b] ?? 0) | CLS_ANY;
  return t;
})();

export function classBit(cls: CharClass): number {
  return cls === 'party' ? CLS_PARTY : cls === 'bank' ? CLS_BANK : CLS_ANY;
}

export const DAKUTEN = 0xde; // ﾞ
export const HANDAKUTEN = 0xdf; // ﾟ

/** byte → 1 if the kana may carry ﾞ (ｶ,ｻ,ﾀ,ﾊ rows and ｳ). */
export const TAKES_DAKUTEN: Uint8Array = (() => {
  const t = new Uint8Array(256);
  t[0xb3] = 1; // ｳ
  for (let b = 0xb6; b <= 0xc4; b++) t[b] = 1; // ｶ..ｺ ｻ..ｿ ﾀ..ﾄ
  for (let b = 0xca; b <= 0xce; b++) t[b] = 1; // ﾊ..ﾎ
  return t;
})();

/** byte → 1 if the kana may carry ﾟ (ﾊ row). */
export const TAKES_HANDAKUTEN: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (let b = 0xca; b <= 0xce; b++) t[b] = 1;
  return t;
})();

/** byte → decoded UTF-16 code unit, or 0 when the byte is not JIS X 0201 printable. */
export const DECODE_UNIT: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let b = 0x20; b <= 0x7e; b++) t[b] = b;
  for (let b = 0xa1; b <= 0xdf; b++) t[b] = b + 0xfec0;
  return t;
})();

/** Strings for each byte (JIS X 0201 char, or '' when outside). */
export const DECODE_STR: readonly string[] = Array.from(DECODE_UNIT, (u) => (u === 0 ? '' : String.fromCharCode(u)));

/**
 * UTF-16 code unit → byte + 1 (0 = not encodable). Indexing a 64 Ki table is faster
 * than a Map on the hot path and costs 64 KiB once.
 */
export const ENCODE_UNIT: Uint16Array = (() => {
  const t = new Uint16Array(65536);
  for (let b = 0x20; b <= 0x7e; b++) t[b] = b + 1;
  for (let b = 0xa1; b <= 0xdf; b++) t[b + 0xfec0] = b + 1;
  t[0xa5] = 0x5c + 1; // ¥ → 0x5C
  return t;
})();

/** Human form of one byte for messages: the character, or \xNN. */
export function showByte(b: number): string {
  const u = DECODE_UNIT[b] ?? 0;
  return u === 0 ? `\\x${b.toString(16).padStart(2, '0')}` : String.fromCharCode(u);
}

/** Human form of a string character code that cannot be encoded: the char and U+XXXX. */
export function showChar(ch: string): string {
  const cp = ch.codePointAt(0) ?? 0;
  return `${ch} (U+${cp.toString(16).toUpperCase().padStart(4, '0')})`;
}

/**
 * Decode bytes of an X field: JIS X 0201 bytes as characters, a literal backslash as
 * `\\`, any other byte as `\xNN` (lowercase hex). Reversible by {@link parseX}.
 */
export function decodeX(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b === 0x5c) s += '\\\\';
    else {
      const u = DECODE_UNIT[b]!;
      s += u === 0 ? `\\x${b < 16 ? '0' : ''}${b.toString(16)}` : String.fromCharCode(u);
    }
  }
  return s;
}

/**
 * Parse the text form of an X field back to bytes. Returns null with the index of the
 * first character that cannot be represented.
 */
export function parseX(text: string): { bytes: number[] } | { badIndex: number } {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) {
      const n = text[i + 1];
      if (n === '\\') {
        out.push(0x5c);
        i++;
        continue;
      }
      if (n === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
        out.push(parseInt(text.slice(i + 2, i + 4), 16));
        i += 3;
        continue;
      }
      return { badIndex: i };
    }
    const e = ENCODE_UNIT[c]!;
    if (e === 0) return { badIndex: i };
    out.push(e - 1);
  }
  return { bytes: out };
}
