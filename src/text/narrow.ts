/**
 * Narrowing names for single-byte `C` fields (seizure-120.md "Writing names",
 * layout-xml.md "Character classes of C fields").
 *
 * Input: a name as the delinquency export carries it (full-width katakana or
 * hiragana, full-width or half-width letters and digits …). Output: a half-width
 * string whose every character is one JIS X 0201 byte allowed in the class, or a
 * refusal with its reason. A name is never guessed: kanji (reading unknown), ヲ
 * (ｦ is not allowed) and anything else outside the class are refused.
 *
 * Recorded changes (`changes`) are the ones that alter what a reader sees, not
 * mere width: small kana written full size, ー → '-', ・ → '.', lowercase →
 * uppercase, spaces trimmed or collapsed, truncation. (ア → ｱ, ガ → ｶﾞ, Ａ → A,
 * （ → ( are width changes and not recorded.)
 *
 * Speed: one table lookup per UTF-16 unit; tables are built once at load.
 */

export type NameClass = 'party' | 'bank';

export interface NarrowChange {
  /** UTF-16 index in the input */
  index: number;
  from: string;
  to: string;
}

export type NarrowResult =
  | { ok: true; value: string; bytes: number; changes: NarrowChange[] }
  | { ok: false; reason: 'kanji' | 'wo' | 'unmappable' | 'too-long' | 'empty'; index?: number; char?: string };

// ---------------------------------------------------------------------------
// Tables

/** What a UTF-16 unit is. */
const K_UNMAPPABLE = 0;
const K_SAME = 1; // maps to OUT[c], a width change at most
const K_CHANGED = 2; // maps to OUT[c], a change worth recording
const K_KANJI = 3;
const K_WO = 4;
const K_SPACE = 5;
const K_MARK = 6; // a voicing mark (standalone, combining or half-width) → OUT[c]
const K_HIGH_SURROGATE_KANJI = 7; // planes 2–3 (CJK Ext. B and later)
const K_PARTY_SYMBOL = 8; // ( ) . — allowed in party names only

const KIND = new Uint8Array(0x10000);
const OUT: string[] = new Array<string>(0x10000).fill('');

function set(c: number, kind: number, out = ''): void {
  KIND[c] = kind;
  OUT[c] = out;
}

const HW_DAKUTEN = '\uFF9E'; // ﾞ
const HW_HANDAKUTEN = '\uFF9F'; // ﾟ

/** Half-width kana that may carry ﾞ: ｶ–ﾄ (ｶ,ｻ,ﾀ rows), ﾊ–ﾎ, ｳ. */
function takesDakuten(c: number): boolean {
  return (c >= 0xff76 && c <= 0xff84) || (c >= 0xff8a && c <= 0xff8e) || c === 0xff73;
}
/** Half-width kana that may carry ﾟ: ﾊ–ﾎ. */
function takesHandakuten(c: number): boolean {
  return c >= 0xff8a && c <= 0xff8e;
}

/** Small half-width kana ｧ–ｯ → full size. */
const SMALL_HW_TO_FULL: Record<string, string> = {
  'ｧ': 'ｱ',
  'ｨ': 'ｲ',
  'ｩ': 'ｳ',
  'ｪ': 'ｴ',
  'ｫ': 'ｵ',
  'ｬ': 'ﾔ',
  'ｭ': 'ﾕ',
  'ｮ': 'ﾖ',
  'ｯ': 'ﾂ',
};

function setFullWidthKana(fullWidthKatakana: string, out: string, kind: number): void {
  if (fullWidthKatakana.length !== 1) throw new Error(`narrow table: no single full-width form for ${out}`);
  const k = fullWidthKatakana.charCodeAt(0);
  set(k, kind, out);
  // hiragana U+3041–U+3096 mirror katakana U+30A1–U+30F6
  if (k >= 0x30a1 && k <= 0x30f6) set(k - 0x60, kind, out);
}

function buildTables(): void {
  // ASCII
  set(0x20, K_SPACE, ' ');
  for (let c = 0x30; c <= 0x39; c++) set(c, K_SAME, String.fromCharCode(c));
  for (let c = 0x41; c <= 0x5a; c++) set(c, K_SAME, String.fromCharCode(c));
  for (let c = 0x61; c <= 0x7a; c++) set(c, K_CHANGED, String.fromCharCode(c - 0x20));
  set(0x2d, K_SAME, '-');
  set(0x28, K_PARTY_SYMBOL, '(');
  set(0x29, K_PARTY_SYMBOL, ')');
  set(0x2e, K_PARTY_SYMBOL, '.');
  // full-width forms
  set(0x3000, K_SPACE, ' ');
  for (let c = 0xff10; c <= 0xff19; c++) set(c, K_SAME, String.fromCharCode(c - 0xfee0));
  for (let c = 0xff21; c <= 0xff3a; c++) set(c, K_SAME, String.fromCharCode(c - 0xfee0));
  for (let c = 0xff41; c <= 0xff5a; c++) set(c, K_CHANGED, String.fromCharCode(c - 0xfee0 - 0x20));
  set(0xff0d, K_SAME, '-'); // －
  set(0x2212, K_SAME, '-'); // − (how some decoders read Shift_JIS 0x817C)
  set(0x2010, K_SAME, '-'); // ‐
  set(0xff08, K_PARTY_SYMBOL, '(');
  set(0xff09, K_PARTY_SYMBOL, ')');
  set(0xff0e, K_PARTY_SYMBOL, '.');
  set(0x30fb, K_CHANGED, '.'); // ・ (party only: checked with the symbol rule below)
  set(0xff65, K_CHANGED, '.'); // ･
  set(0x30fc, K_CHANGED, '-'); // ー
  set(0xff70, K_CHANGED, '-'); // ｰ

  // Half-width katakana ｱ–ﾝ as they are; small ones full size; ｦ refused.
  for (let c = 0xff71; c <= 0xff9d; c++) set(c, K_SAME, String.fromCharCode(c));
  for (const [small, full] of Object.entries(SMALL_HW_TO_FULL)) set(small.charCodeAt(0), K_CHANGED, full);
  set(0xff66, K_WO);

  // Full-width katakana (and hiragana) derived from the half-width set by
  // Unicode compatibility composition: NFKC('ｶ') = 'カ', NFKC('ｶﾞ') = 'ガ'.
  for (let c = 0xff71; c <= 0xff9d; c++) {
    const hw = String.fromCharCode(c);
    setFullWidthKana(hw.normalize('NFKC'), hw, K_SAME);
    if (takesDakuten(c)) setFullWidthKana((hw + HW_DAKUTEN).normalize('NFKC'), hw + HW_DAKUTEN, K_SAME);
    if (takesHandakuten(c)) setFullWidthKana((hw + HW_HANDAKUTEN).normalize('NFKC'), hw + HW_HANDAKUTEN, K_SAME);
  }
  for (const [small, full] of Object.entries(SMALL_HW_TO_FULL)) setFullWidthKana(small.normalize('NFKC'), full, K_CHANGED);
  setFullWidthKana('ヮ', 'ﾜ', K_CHANGED);
  setFullWidthKana('ヵ', 'ｶ', K_CHANGED);
  setFullWidthKana('ヶ', 'ｹ', K_CHANGED);
  setFullWidthKana('ヲ', '', K_WO);
  // ヰ ヱ ヷ ヸ ヹ ヺ ゝ ゞ ヽ ヾ: no half-width form, left unmappable (never guessed).
  // Katakana phonetic extensions (small ㇰ … ㇿ, Ainu) → full size.
  const ext = 'ｸｼｽﾄﾇﾊﾋﾌﾍﾎﾑﾗﾘﾙﾚﾛ';
  for (let i = 0; i < 16; i++) set(0x31f0 + i, K_CHANGED, ext[i] as string);

  // Voicing marks: combining, standalone full-width, half-width.
  set(0x3099, K_MARK, HW_DAKUTEN);
  set(0x309b, K_MARK, HW_DAKUTEN);
  set(0xff9e, K_MARK, HW_DAKUTEN);
  set(0x309a, K_MARK, HW_HANDAKUTEN);
  set(0x309c, K_MARK, HW_HANDAKUTEN);
  set(0xff9f, K_MARK, HW_HANDAKUTEN);

  // Kanji: CJK unified (Ext. A and base), compatibility ideographs, 々 〆 〇.
  for (let c = 0x3400; c <= 0x4dbf; c++) KIND[c] = K_KANJI;
  for (let c = 0x4e00; c <= 0x9fff; c++) KIND[c] = K_KANJI;
  for (let c = 0xf900; c <= 0xfaff; c++) KIND[c] = K_KANJI;
  KIND[0x3005] = K_KANJI;
  KIND[0x3006] = K_KANJI;
  KIND[0x3007] = K_KANJI;
  // High surrogates of planes 2 and 3 (U+20000–U+3FFFF): CJK Ext. B and later.
  for (let c = 0xd840; c <= 0xd8bf; c++) KIND[c] = K_HIGH_SURROGATE_KANJI;
}
buildTables();

// ---------------------------------------------------------------------------
// Class check

/** 0 = not allowed, 1 = base set, 2 = party symbol ( ) ., 3 = '-' (party and bank), 4 = ﾞ, 5 = ﾟ */
function halfWidthClassOf(c: number): number {
  if (c === 0x20 || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0xff71 && c <= 0xff9d)) return 1;
  if (c === 0x2d) return 3;
  if (c === 0x28 || c === 0x29 || c === 0x2e) return 2;
  if (c === 0xff9e) return 4;
  if (c === 0xff9f) return 5;
  return 0;
}

/** JIS X 0201 as Unicode: ASCII printable, ¥ (0x5C), ‾ (0x7E), half-width katakana 0xA1–0xDF. */
function isJisX0201(c: number): boolean {
  return (c >= 0x20 && c <= 0x7e) || (c >= 0xff61 && c <= 0xff9f) || c === 0xa5 || c === 0x203e;
}

/**
 * The first character of a half-width string that breaks the C-field class rules
 * (layout-xml.md), or null. 'party': space 0-9 A-Z ｱ–ﾝ ﾞ ﾟ ( ) - .; 'bank': the
 * same without ( ) .; for both a voicing mark must follow a kana that can carry
 * it (ﾞ after the ｶ,ｻ,ﾀ,ﾊ rows or ｳ; ﾟ after the ﾊ row) and never comes first.
 * 'any': every JIS X 0201 character, no voicing rule.
 */
export function checkHalfWidthClass(value: string, cls: 'party' | 'bank' | 'any'): { index: number; char: string } | null {
  const n = value.length;
  if (cls === 'any') {
    for (let i = 0; i < n; i++) {
      if (!isJisX0201(value.charCodeAt(i))) return { index: i, char: charAt(value, i) };
    }
    return null;
  }
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    const k = halfWidthClassOf(c);
    let ok: boolean;
    switch (k) {
      case 1:
      case 3:
        ok = true;
        break;
      case 2:
        ok = cls === 'party';
        break;
      case 4:
        ok = prev >= 0 && takesDakuten(prev);
        break;
      case 5:
        ok = prev >= 0 && takesHandakuten(prev);
        break;
      default:
        ok = false;
    }
    if (!ok) return { index: i, char: charAt(value, i) };
    prev = c;
  }
  return null;
}

/** The whole code point at i (a surrogate pair as one character). */
function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

// ---------------------------------------------------------------------------
// Narrowing

/**
 * Narrow a name for a C field of class `cls` (default 'party').
 * `maxBytes` (default: no limit) is the field length; a longer result is refused
 * ('too-long', index = input position of the first character that does not fit)
 * unless `truncate`, which cuts it to maxBytes — never between a kana and its
 * voicing mark (both are dropped) — and records the cut as a change.
 */
export function narrowName(input: string, opts?: { cls?: NameClass; maxBytes?: number; truncate?: boolean }): NarrowResult {
  const party = (opts?.cls ?? 'party') === 'party';
  const maxBytes = opts?.maxBytes ?? Number.POSITIVE_INFINITY;
  const n = input.length;

  let value = '';
  /** input index of each output unit (only needed when it might be too long) */
  const src: number[] = [];
  let changes: NarrowChange[] | null = null;
  let prev = -1; // last output char code
  let spaceStart = -1; // start of a pending run of spaces in the input
  let spaceCount = 0;

  for (let i = 0; i < n; i++) {
    const c = input.charCodeAt(i);
    const kind = KIND[c] as number;
    if (kind === K_SPACE) {
      if (spaceCount === 0) spaceStart = i;
      spaceCount++;
      continue;
    }
    if (kind === K_KANJI || kind === K_HIGH_SURROGATE_KANJI) {
      return { ok: false, reason: 'kanji', index: i, char: charAt(input, i) };
    }
    if (kind === K_WO) return { ok: false, reason: 'wo', index: i, char: input[i] as string };
    if (kind === K_UNMAPPABLE || (kind === K_PARTY_SYMBOL && !party)) {
      return { ok: false, reason: 'unmappable', index: i, char: charAt(input, i) };
    }
    // pending spaces: dropped at the start, one kept between words
    if (spaceCount > 0) {
      const run = input.slice(spaceStart, spaceStart + spaceCount);
      if (value.length === 0) {
        (changes ??= []).push({ index: spaceStart, from: run, to: '' });
      } else {
        if (spaceCount > 1) (changes ??= []).push({ index: spaceStart, from: run, to: ' ' });
        value += ' ';
        src.push(spaceStart);
        prev = 0x20;
      }
      spaceCount = 0;
    }
    const out = OUT[c] as string;
    if (kind === K_MARK) {
      const ok = out === HW_DAKUTEN ? prev >= 0 && takesDakuten(prev) : prev >= 0 && takesHandakuten(prev);
      if (!ok) return { ok: false, reason: 'unmappable', index: i, char: input[i] as string };
    } else if (kind === K_CHANGED) {
      // ・ → '.' is a party symbol too
      if (!party && out === '.') return { ok: false, reason: 'unmappable', index: i, char: input[i] as string };
      (changes ??= []).push({ index: i, from: input[i] as string, to: out });
    }
    value += out;
    src.push(i);
    if (out.length === 2) src.push(i);
    prev = out.charCodeAt(out.length - 1);
  }
  if (spaceCount > 0 && value.length > 0) {
    (changes ??= []).push({ index: spaceStart, from: input.slice(spaceStart, spaceStart + spaceCount), to: '' });
  }
  if (value.length === 0) return { ok: false, reason: 'empty' };

  if (value.length > maxBytes) {
    const firstOut = src[maxBytes] as number;
    if (!opts?.truncate) {
      return { ok: false, reason: 'too-long', index: firstOut, char: charAt(input, firstOut) };
    }
    let cut = maxBytes;
    // never between a kana and its voicing mark: drop both
    const after = value.charCodeAt(cut);
    if (after === 0xff9e || after === 0xff9f) cut--;
    // no trailing space after the cut
    while (cut > 0 && value.charCodeAt(cut - 1) === 0x20) cut--;
    if (cut === 0) return { ok: false, reason: 'too-long', index: firstOut, char: charAt(input, firstOut) };
    const cutAt = src[cut] as number;
    (changes ??= []).push({ index: cutAt, from: input.slice(cutAt).trimEnd(), to: '' });
    value = value.slice(0, cut);
  }
  return { ok: true, value, bytes: value.length, changes: changes ?? [] };
}
