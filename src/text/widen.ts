/**
 * Widening text for J (double-byte) fields: 氏名 and 住所 of an inquiry request
 * (inquiry-300.md "Names"). Pure; the output is what the layout's J field encodes.
 *
 * - ASCII and half-width kana are widened (`A`→`Ａ`, `1`→`１`, `-`→`－`, `ｱ`→`ア`,
 *   space→`　`); a half-width kana followed by ﾞ/ﾟ is composed first (`ｶﾞ`→`ガ`), and a
 *   combining voicing mark (U+3099/U+309A) joins the character before it when they
 *   compose; a mark that composes with nothing is written standalone (゛ ゜).
 * - The characters JIS-based and Microsoft-based conversions disagree on are written
 *   as CP932 writes them (`〜`→`～` 0x8160, `−`→`－` 0x817C, `¢`→`￠`, `£`→`￡`,
 *   `¬`→`￢`, `‖`→`∥`, `—`→`―`, `¦`→`￤`): the same character, not a substitution.
 * - Anything else without a double-byte CP932 code (外字 such as 𠮷 U+20BB7, emoji,
 *   control characters) becomes `〓` (0x81AC) and is counted — never `?`, never dropped.
 * - Leading and trailing spaces are trimmed (the field pads with full-width spaces);
 *   text longer than the field is cut at the last whole character and said so.
 *
 * Idempotent: widening what this returns returns it unchanged.
 */
import { isDoubleByte, type DoubleByteEncoding } from './cp932.js';

export interface WidenResult {
  /** full-width text, every character one double-byte code of the encoding */
  value: string;
  /** characters written as 〓 (within the value) */
  gaiji: number;
  /** the text was longer than the field and was cut */
  shortened: boolean;
}

/** 外字 stand-in: 〓 (げた, 0x81AC). */
export const GETA = '\u3013';

/** JIS-side forms → the CP932 (Microsoft) form of the same character. */
const CP932_FORM: Record<string, string> = {
  '\u301C': '\uFF5E', // 〜 → ～ 0x8160
  '\u2212': '\uFF0D', // − → － 0x817C
  '\u00A2': '\uFFE0', // ¢ → ￠ 0x8191
  '\u00A3': '\uFFE1', // £ → ￡ 0x8192
  '\u00AC': '\uFFE2', // ¬ → ￢ 0x81CA
  '\u2016': '\u2225', // ‖ → ∥ 0x8161
  '\u2014': '\u2015', // — → ― 0x815C
  '\u00A6': '\uFFE4', // ¦ → ￤ 0xFA55
};

/** Other single-byte or look-alike characters with an obvious full-width form. */
const WIDE_FORM: Record<string, string> = {
  '\u00A5': '\uFFE5', // ¥ → ￥
  '\u203E': '\uFFE3', // ‾ → ￣
  '\u00A0': '\u3000', // no-break space
  '\t': '\u3000',
  '\n': '\u3000',
  '\r': '\u3000',
  '\u3099': '\u309B', // combining voicing marks that join nothing → standalone ゛ ゜
  '\u309A': '\u309C',
  '\uFF9E': '\u309B', // ﾞ ﾟ alone
  '\uFF9F': '\u309C',
};

const SPACE = '\u3000';

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === SPACE || ch === '\u00A0' || ch === '\t' || ch === '\n' || ch === '\r';
}

/** One character (code point) to its full-width form, or null when it has none. */
function wide(ch: string, enc: DoubleByteEncoding): string | null {
  const c = ch.codePointAt(0) as number;
  if (c === 0x20) return SPACE;
  if (c > 0x20 && c < 0x7f) return String.fromCharCode(c + 0xfee0);
  const mapped = CP932_FORM[ch] ?? WIDE_FORM[ch];
  if (mapped !== undefined) return mapped;
  if (c >= 0xff61 && c <= 0xff9d) {
    const w = ch.normalize('NFKC');
    return w.length === 1 && isDoubleByte(w, enc) ? w : null;
  }
  return isDoubleByte(ch, enc) ? ch : null;
}

/** `wide` per BMP code unit and encoding (-2: not looked up yet, -1: none → 〓), filled as characters are met. */
const wideTables = new Map<DoubleByteEncoding, Int32Array>();

function wideUnit(c: number, enc: DoubleByteEncoding): number {
  let t = wideTables.get(enc);
  if (t === undefined) {
    t = new Int32Array(0x10000).fill(-2);
    wideTables.set(enc, t);
  }
  let v = t[c] as number;
  if (v === -2) {
    const w = wide(String.fromCharCode(c), enc);
    v = w === null ? -1 : w.charCodeAt(0);
    t[c] = v;
  }
  return v;
}

function isSpaceUnit(c: number): boolean {
  return c === 0x20 || c === 0x3000 || c === 0xa0 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * The same result as the general path below when the text has no surrogate and no voicing
 * mark (nothing composes, every character is one code unit): one table look-up per code
 * unit (issue 15 item 7, ADR 0142). Null: use the general path.
 */
function widenSimple(input: string, maxChars: number, enc: DoubleByteEncoding): WidenResult | null {
  let start = 0;
  let end = input.length;
  while (start < end && isSpaceUnit(input.charCodeAt(start))) start++;
  while (end > start && isSpaceUnit(input.charCodeAt(end - 1))) end--;
  const shortened = end - start > maxChars;
  const stop = Math.min(end, start + maxChars);
  // one pass: whether the general path is needed, and the kept part widened — no array while
  // every unit is its own full-width form (氏名 mostly): then the result is a slice of the input
  let codes: number[] | null = null;
  for (let i = start; i < end; i++) {
    const c = input.charCodeAt(i);
    if ((c >= 0xd800 && c <= 0xdfff) || c === 0x3099 || c === 0x309a || c === 0xff9e || c === 0xff9f) return null;
    if (i >= stop) continue;
    const w = wideUnit(c, enc);
    if (codes !== null) codes.push(w);
    else if (w !== c) {
      codes = [];
      for (let k = start; k < i; k++) codes.push(input.charCodeAt(k));
      codes.push(w);
    }
  }
  if (codes === null) {
    let n = stop;
    while (n > start && input.charCodeAt(n - 1) === 0x3000) n--;
    return { value: input.slice(start, n), gaiji: 0, shortened };
  }
  let n = codes.length;
  while (n > 0 && codes[n - 1] === 0x3000) n--;
  let gaiji = 0;
  for (let i = 0; i < n; i++) {
    if (codes[i] === -1) {
      gaiji++;
      codes[i] = 0x3013;
    }
  }
  codes.length = n;
  return { value: String.fromCharCode(...codes), gaiji, shortened };
}

/**
 * Widen `input` for a J field of `maxBytes` bytes (氏名 40, 住所 100 in inquiry-300).
 */
export function widenText(input: string, maxBytes: number, enc: DoubleByteEncoding = 'cp932'): WidenResult {
  const maxChars = Math.floor(maxBytes / 2);
  const simple = widenSimple(input, maxChars, enc);
  if (simple !== null) return simple;
  return widenGeneral(input, maxChars, enc);
}

/** The general path: code points, composition of voicing marks. */
export function widenGeneral(input: string, maxChars: number, enc: DoubleByteEncoding = 'cp932'): WidenResult {
  const out: string[] = [];
  const isGeta: boolean[] = [];
  const chars = Array.from(input);
  let start = 0;
  let end = chars.length;
  while (start < end && isSpace(chars[start] as string)) start++;
  while (end > start && isSpace(chars[end - 1] as string)) end--;
  for (let i = start; i < end; i++) {
    const ch = chars[i] as string;
    const next = chars[i + 1];
    const c = ch.codePointAt(0) as number;
    // half-width kana + ﾞ/ﾟ, or a character + combining mark: composed when they make one character
    if (i + 1 < end && next !== undefined && (next === '\uFF9E' || next === '\uFF9F' || next === '\u3099' || next === '\u309A')) {
      const base = c >= 0xff61 && c <= 0xff9d ? ch.normalize('NFKC') : ch;
      const composed = (base + (next === '\uFF9E' ? '\u3099' : next === '\uFF9F' ? '\u309A' : next)).normalize('NFC');
      if (composed.length === 1 && isDoubleByte(composed, enc)) {
        out.push(composed);
        isGeta.push(false);
        i++;
        continue;
      }
    }
    const w = wide(ch, enc);
    out.push(w ?? GETA);
    isGeta.push(w === null);
  }
  // trailing spaces may appear only now (e.g. a tab before the end was trimmed above; widened spaces inside are kept)
  const shortened = out.length > maxChars;
  let n = Math.min(out.length, maxChars);
  while (n > 0 && out[n - 1] === SPACE) n--;
  let gaiji = 0;
  for (let i = 0; i < n; i++) if (isGeta[i]) gaiji++;
  return { value: out.slice(0, n).join(''), gaiji, shortened };
}
