/**
 * Record codec: fields ⇄ bytes for one record definition, and the per-field checks of
 * layout-xml.md. The single-byte path works on byte tables only (ADR 0001).
 *
 * - decodeRecord: every non-filler field as text ("Reading and writing contract").
 * - checkRecord: findings for consts, values, digits, classes, voicing marks, dates, J.
 * - encodeRecord: values → bytes; an invalid value throws an AppError naming the field
 *   and the problem (never truncated, never `?`).
 */
import { AppError, EXIT, type Finding } from '../core/errors.js';
import type { Msg } from '../core/i18n.js';
import { todayTokyo, type IsoDate } from '../core/dates.js';
import {
  CLASS_BITS,
  DAKUTEN,
  DECODE_STR,
  DECODE_UNIT,
  ENCODE_UNIT,
  HANDAKUTEN,
  TAKES_DAKUTEN,
  TAKES_HANDAKUTEN,
  classBit,
  decodeX,
  parseX,
  showByte,
  showChar,
} from '../text/jisx0201.js';
import { checkJ, decodeJ, encodeJ, encodeJInto, type DoubleByteEncoding } from '../text/cp932.js';
import { GWarekiDates, gymdBytesValid, mmddBytesValid, readGWareki, readWareki, readYmd, validMmdd, writeWareki, ymdBytesValid } from './wareki.js';
import type { FieldDef, Layout, RecordDef } from './types.js';

export type Fields = Record<string, string>;
/** What a caller may hand the encoder per field. */
export type FieldInput = string | number | bigint | undefined;
export type FieldInputs = Record<string, FieldInput>;

const SPACE = 0x20;

// ---------------------------------------------------------------- decoding

/** Text of one field as the contract says (N as stored, C/J/X without trailing padding). */
export function decodeField(f: FieldDef, buf: Uint8Array, recStart: number): string {
  const s = recStart + f.offset;
  const e = s + f.length;
  switch (f.type) {
    case 'N': {
      let out = '';
      let plain = true;
      for (let i = s; i < e; i++) {
        const b = buf[i]!;
        if (b < 0x30 || b > 0x39) {
          plain = false;
          break;
        }
      }
      if (plain) return latin1(buf, s, e);
      if (f.blankAllowed) {
        const t = latin1(buf, s, e).trim();
        if (/^\d*$/.test(t)) return t;
      }
      out = decodeX(buf, s, e);
      return out;
    }
    case 'C': {
      let stop = e;
      while (stop > s && buf[stop - 1] === SPACE) stop--;
      let high = false;
      for (let i = s; i < stop; i++) {
        const b = buf[i]!;
        if (b >= 0x7f || b < 0x20) {
          high = true;
          break;
        }
      }
      if (!high) return latin1(buf, s, stop);
      return decodeCText(buf, s, stop);
    }
    case 'J':
      return decodeJ(buf, s, e);
    case 'X': {
      let stop = e;
      while (stop > s && buf[stop - 1] === SPACE) stop--;
      return decodeX(buf, s, stop);
    }
  }
}

/** Scratch for decodeCText: UTF-16LE code units of one field. */
let scratch = Buffer.allocUnsafe(512);

/**
 * C field text with bytes beyond ASCII (kana): each byte's JIS X 0201 code unit into a
 * scratch buffer, then one native UTF-16 slice instead of a string concatenation per
 * byte. A byte outside JIS X 0201 is shown as \xNN (rare: the slow loop).
 */
export function decodeCText(buf: Uint8Array, s: number, stop: number): string {
  const n = stop - s;
  if (scratch.length < 2 * n) scratch = Buffer.allocUnsafe(2 * n);
  const sc = scratch;
  for (let i = 0; i < n; i++) {
    const u = DECODE_UNIT[buf[s + i]!]!;
    if (u === 0) {
      let out = '';
      for (let j = s; j < stop; j++) {
        const b = buf[j]!;
        const str = DECODE_STR[b]!;
        out += str === '' ? `\\x${b < 16 ? '0' : ''}${b.toString(16)}` : str;
      }
      return out;
    }
    sc[2 * i] = u & 0xff;
    sc[2 * i + 1] = u >> 8;
  }
  return (sc as unknown as Ucs2Sliceable).ucs2Slice(0, 2 * n);
}

interface Ucs2Sliceable {
  ucs2Slice(start: number, end: number): string;
}

/** Node's Buffer has latin1Slice at run time (used by toString('latin1')); not in @types/node. */
interface Latin1Sliceable {
  latin1Slice(start: number, end: number): string;
}

export function latin1(buf: Uint8Array, s: number, e: number): string {
  // Buffer#latin1Slice is one native call; fall back for a plain Uint8Array.
  return Buffer.isBuffer(buf) ? (buf as unknown as Latin1Sliceable).latin1Slice(s, e) : String.fromCharCode(...buf.subarray(s, e));
}

/** Decodes one field given the record's bytes and its latin1 text (`str`). */
type FieldDecoder = (buf: Uint8Array, recStart: number, str: string) => string;

function fieldDecoder(f: FieldDef): FieldDecoder {
  const off = f.offset;
  const len = f.length;
  if (f.type === 'N') {
    return (buf, recStart, str) => {
      const s = recStart + off;
      const e = s + len;
      for (let i = s; i < e; i++) {
        const b = buf[i]!;
        if (b < 0x30 || b > 0x39) return decodeField(f, buf, recStart);
      }
      return str.substring(off, off + len);
    };
  }
  if (f.type === 'C') {
    return (buf, recStart, str) => {
      const s = recStart + off;
      let stop = s + len;
      while (stop > s && buf[stop - 1] === SPACE) stop--;
      for (let i = s; i < stop; i++) {
        const b = buf[i]!;
        if (b >= 0x7f || b < 0x20) return decodeCText(buf, s, stop);
      }
      return str.substring(off, stop - recStart);
    };
  }
  return (buf, recStart) => decodeField(f, buf, recStart);
}

type RecordDecoder = (buf: Uint8Array, recStart: number, str: string) => Fields;

const recordDecoders = new WeakMap<RecordDef, RecordDecoder>();

/**
 * A decoder for one record definition that builds its result as one object literal
 * (a fixed shape, fields in layout order) instead of adding properties one by one. Field
 * ids are camelCase (checked at load), so they are safe as quoted keys.
 */
function recordDecoder(rec: RecordDef): RecordDecoder {
  let d = recordDecoders.get(rec);
  if (d !== undefined) return d;
  d = decoderOf(rec.fields.filter((f) => !f.filler));
  recordDecoders.set(rec, d);
  return d;
}

/** One object-literal decoder of these fields (a plain loop where an id is not camelCase). */
function decoderOf(fs: readonly FieldDef[]): RecordDecoder {
  const ds = fs.map(fieldDecoder);
  if (fs.every((f) => /^[a-z][A-Za-z0-9]*$/.test(f.id))) {
    const body = `return function decodeRecordOf(buf, p, str) { return { ${fs.map((f, i) => `${JSON.stringify(f.id)}: d${i}(buf, p, str)`).join(', ')} }; };`;
    return new Function(...ds.map((_, i) => `d${i}`), body)(...ds) as RecordDecoder;
  }
  return (buf, p, str) => {
    const out: Fields = {};
    for (let k = 0; k < fs.length; k++) out[fs[k]!.id] = ds[k]!(buf, p, str);
    return out;
  };
}

/**
 * Every non-filler field of the record starting at `recStart`. One latin1 slice of the
 * record, then substrings for plain ASCII fields; table decoding only where needed.
 */
export function decodeRecord(rec: RecordDef, buf: Uint8Array, recStart: number): Fields {
  const fs = rec.fields;
  const last = fs[fs.length - 1]!;
  const str = latin1(buf, recStart, recStart + last.offset + last.length);
  return recordDecoder(rec)(buf, recStart, str);
}

/**
 * A decoder of only the named fields of a record definition (ids the record lacks or
 * that are fillers are left out): same text per field as decodeRecord, for readers that
 * use a few fields of every record. One latin1 slice up to the last named field.
 */
export function fieldsDecoder(rec: RecordDef, ids: readonly string[]): (buf: Uint8Array, recStart: number) => Fields {
  const want = new Set(ids);
  const fs = rec.fields.filter((f) => !f.filler && want.has(f.id));
  const end = fs.reduce((m, f) => Math.max(m, f.offset + f.length), 0);
  const d = decoderOf(fs);
  return (buf, recStart) => d(buf, recStart, latin1(buf, recStart, recStart + end));
}

/** Which record kind the bytes at recStart are (by the first field's const), or undefined. */
export function identify(layout: Layout, buf: Uint8Array, recStart: number): RecordDef | undefined {
  const list = layout.recordList;
  for (let r = 0; r < list.length; r++) {
    const rec = list[r]!;
    const cb = rec.first.constBytes!;
    let ok = true;
    for (let i = 0; i < cb.length; i++) {
      if (buf[recStart + i] !== cb[i]) {
        ok = false;
        break;
      }
    }
    if (ok) return rec;
  }
  return undefined;
}

// ---------------------------------------------------------------- checking

function allZero(buf: Uint8Array, s: number, len: number): boolean {
  for (let i = s; i < s + len; i++) if (buf[i] !== 0x30) return false;
  return true;
}

/** Date field (digits already checked, or blank-allowed) holds a real date or "none". */
export function dateOk(f: FieldDef, buf: Uint8Array, s: number, today: IsoDate): boolean {
  if (allZero(buf, s, f.length)) return true;
  if (f.blankAllowed) {
    const t = latin1(buf, s, s + f.length).replace(/ /g, '');
    if (t === '' || /^0+$/.test(t)) return true;
    if (t.length !== f.length) return false;
  }
  switch (f.format) {
    case 'date-yyyymmdd':
      return f.blankAllowed ? readYmd(latin1(buf, s, s + 8).replace(/ /g, '')) !== null : ymdBytesValid(buf, s);
    case 'date-mmdd':
      return f.blankAllowed ? validMmdd(latin1(buf, s, s + 4).replace(/ /g, '')) : mmddBytesValid(buf, s);
    case 'date-yymmdd-wareki':
      return readWareki(latin1(buf, s, s + 6).replace(/ /g, ''), today) !== null;
    case 'date-gyymmdd-wareki':
      return f.blankAllowed ? readGWareki(latin1(buf, s, s + 7).replace(/ /g, '')) !== null : gymdBytesValid(buf, s);
    default:
      return true;
  }
}

export interface CheckContext {
  /** byte offset in the file of the record's first byte */
  fileOffset: number;
  /** 0-based record index */
  index: number;
  /** date used for 和暦 reading */
  today: IsoDate;
  encoding: DoubleByteEncoding;
}

function finding(ctx: CheckContext, f: FieldDef, code: string, message: Msg, expected?: string, found?: string): Finding {
  const out: Finding = { code, record: ctx.index, offset: ctx.fileOffset + f.offset, field: f.id, message };
  if (expected !== undefined) out.expected = expected;
  if (found !== undefined) out.found = found;
  return out;
}

/** What `found` may show for a field value: personal fields show nothing whole (ADR 0004). */
function shown(f: FieldDef, text: string): string {
  return f.personal ? '***' : text;
}

/**
 * Check one record's fields. Findings go to `report`. Returns the number reported.
 * Fillers are not checked.
 */
export function checkRecord(rec: RecordDef, buf: Uint8Array, recStart: number, ctx: CheckContext, report: (f: Finding) => void): number {
  let n = 0;
  const fs = rec.fields;
  for (let k = 0; k < fs.length; k++) {
    const f = fs[k]!;
    if (f.filler) continue;
    const s = recStart + f.offset;
    const e = s + f.length;
    const cb = f.constBytes;
    if (cb !== undefined) {
      let ok = true;
      for (let i = 0; i < cb.length; i++) if (buf[s + i] !== cb[i]) ok = false;
      if (!ok) {
        report(finding(ctx, f, 'field.const', { ja: `項目 ${f.id} は固定値 "${f.const}" でなければなりません`, en: `field ${f.id} must hold "${f.const}"` }, f.const, shown(f, decodeField(f, buf, recStart))));
        n++;
      }
      continue;
    }
    switch (f.type) {
      case 'N': {
        let bad = -1;
        for (let i = s; i < e; i++) {
          const b = buf[i]!;
          if (b < 0x30 || b > 0x39) {
            bad = i;
            break;
          }
        }
        if (bad >= 0) {
          if (f.blankAllowed && /^ *\d* *$/.test(latin1(buf, s, e))) break;
          const b = buf[bad]!;
          report(finding(ctx, f, 'field.digits', {
            ja: `数字項目 ${f.id} の ${bad - s + 1} バイト目（ファイルのバイト位置 ${ctx.fileOffset + (bad - recStart)}）が数字ではありません`,
            en: `N field ${f.id} has a non-digit at its byte ${bad - s + 1} (file byte ${ctx.fileOffset + (bad - recStart)})`,
          }, `${f.length} digits`, showByte(b)));
          n++;
          break;
        }
        if (f.valueNumbers !== undefined) {
          let v = 0;
          for (let i = s; i < e; i++) v = v * 10 + (buf[i]! - 0x30);
          if (!f.valueNumbers.has(v)) {
            const text = latin1(buf, s, e);
            const vs = f.values ?? [];
            report(finding(ctx, f, 'field.values', { ja: `項目 ${f.id} の値が許される値（${vs.join(', ')}）のどれでもありません`, en: `field ${f.id} is none of the allowed values (${vs.join(', ')})` }, vs.join(','), shown(f, text)));
            n++;
            break;
          }
        }
        if (f.format !== undefined && f.format !== 'amount' && !dateOk(f, buf, s, ctx.today)) {
          const text = f.blankAllowed ? latin1(buf, s, e).replace(/ /g, '') : latin1(buf, s, e);
          {
            const what = f.format === 'date-yyyymmdd' ? 'YYYYMMDD' : f.format === 'date-mmdd' ? 'MMDD' : f.format === 'date-gyymmdd-wareki' ? '和暦GYYMMDD (1明治…5令和、元号の期間内)' : '和暦YYMMDD (令和/平成)';
            report(finding(ctx, f, 'field.date', {
              ja: `日付項目 ${f.id} が実在する日付ではありません（${what}、日付なしは全桁0）`,
              en: `date field ${f.id} is not a real date (${what}; all zeros means none)`,
            }, what, shown(f, text)));
            n++;
          }
        }
        break;
      }
      case 'C': {
        const bit = classBit(f.class);
        const voicing = f.class !== 'any';
        let prev = -1;
        for (let i = s; i < e; i++) {
          const b = buf[i]!;
          if ((CLASS_BITS[b]! & bit) === 0) {
            report(finding(ctx, f, 'field.class', {
              ja: `文字項目 ${f.id} の ${i - s + 1} バイト目（ファイルのバイト位置 ${ctx.fileOffset + (i - recStart)}）の文字 ${showByte(b)} は文字種 ${f.class} で使えません${classHintJa(b)}`,
              en: `C field ${f.id} has ${showByte(b)} at its byte ${i - s + 1} (file byte ${ctx.fileOffset + (i - recStart)}), not allowed in class ${f.class}${classHintEn(b)}`,
            }, `class ${f.class}`, showByte(b)));
            n++;
            break;
          }
          if (voicing && (b === DAKUTEN || b === HANDAKUTEN)) {
            const ok = prev >= 0 && (b === DAKUTEN ? TAKES_DAKUTEN[prev] === 1 : TAKES_HANDAKUTEN[prev] === 1);
            if (!ok) {
              const pair = prev >= 0 ? showByte(prev) + showByte(b) : showByte(b);
              report(finding(ctx, f, 'field.voicing', {
                ja: `文字項目 ${f.id} の ${i - s + 1} バイト目（ファイルのバイト位置 ${ctx.fileOffset + (i - recStart)}）: ${showByte(b)} は${prev < 0 ? '項目の先頭に置けません' : ` ${showByte(prev)} の後に置けません`}（ﾞ はｶ・ｻ・ﾀ・ﾊ行とｳ、ﾟ はﾊ行の後だけ）`,
                en: `C field ${f.id} at its byte ${i - s + 1} (file byte ${ctx.fileOffset + (i - recStart)}): ${showByte(b)} ${prev < 0 ? 'cannot start the field' : `cannot follow ${showByte(prev)}`} (ﾞ only after the ｶ, ｻ, ﾀ, ﾊ rows or ｳ; ﾟ only after the ﾊ row)`,
              }, b === DAKUTEN ? 'ﾞ after ｳ/ｶ/ｻ/ﾀ/ﾊ rows' : 'ﾟ after ﾊ row', pair));
              n++;
              break;
            }
          }
          prev = b;
        }
        if (f.values !== undefined) {
          const text = decodeField(f, buf, recStart);
          if (!f.values.includes(text)) {
            const vs = f.values ?? [];
            report(finding(ctx, f, 'field.values', { ja: `項目 ${f.id} の値が許される値（${vs.join(', ')}）のどれでもありません`, en: `field ${f.id} is none of the allowed values (${f.values.join(', ')})` }, f.values.join(','), shown(f, text)));
            n++;
          }
        }
        break;
      }
      case 'J': {
        const p = checkJ(buf, s, e, ctx.encoding);
        if (p !== null) {
          const at = ctx.fileOffset + f.offset + p.at;
          let m: Msg;
          let code: string;
          let found: string;
          if (p.kind === 'single-byte') {
            code = 'field.j-single-byte';
            found = showByte(p.byte);
            m = { ja: `全角項目 ${f.id} の ${p.at + 1} バイト目（ファイルのバイト位置 ${at}）に1バイト文字 ${found} があります（全角文字と全角空白だけ）`, en: `J field ${f.id} has a single-byte ${found} at its byte ${p.at + 1} (file byte ${at}); only double-byte characters and full-width spaces are allowed` };
          } else if (p.kind === 'lead-without-trail') {
            code = 'field.j-odd';
            found = `\\x${p.byte.toString(16)}`;
            m = { ja: `全角項目 ${f.id} の ${p.at + 1} バイト目（ファイルのバイト位置 ${at}）の第1バイト ${found} に第2バイトが続きません`, en: `J field ${f.id}: lead byte ${found} at its byte ${p.at + 1} (file byte ${at}) has no trail byte` };
          } else if (p.kind === 'extension') {
            code = 'field.j-extension';
            found = `\\x${p.lead.toString(16)}\\x${p.trail.toString(16)}`;
            m = { ja: `全角項目 ${f.id} の ${p.at + 1} バイト目（ファイルのバイト位置 ${at}）はNEC/IBM拡張文字で、shift_jis のレイアウトでは使えません`, en: `J field ${f.id} has an NEC/IBM extension character at its byte ${p.at + 1} (file byte ${at}), not allowed with encoding shift_jis` };
          } else {
            code = 'field.j-unmappable';
            found = `\\x${p.lead.toString(16)}\\x${p.trail.toString(16)}`;
            m = { ja: `全角項目 ${f.id} の ${p.at + 1} バイト目（ファイルのバイト位置 ${at}）は文字に対応しないコード（外字など）です`, en: `J field ${f.id} has a code with no character (e.g. user-defined) at its byte ${p.at + 1} (file byte ${at})` };
          }
          report(finding(ctx, f, code, m, 'double-byte characters', found));
          n++;
          break;
        }
        if (f.values !== undefined) {
          const text = decodeJ(buf, s, e);
          if (!f.values.includes(text)) {
            report(finding(ctx, f, 'field.values', { ja: `項目 ${f.id} の値が許される値のどれでもありません`, en: `field ${f.id} is none of the allowed values` }, f.values.join(','), shown(f, text)));
            n++;
          }
        }
        break;
      }
      case 'X':
        if (f.values !== undefined) {
          const text = decodeField(f, buf, recStart);
          if (!f.values.includes(text)) {
            report(finding(ctx, f, 'field.values', { ja: `項目 ${f.id} の値が許される値のどれでもありません`, en: `field ${f.id} is none of the allowed values` }, f.values.join(','), shown(f, text)));
            n++;
          }
        }
        break;
    }
  }
  return n;
}

function classHintJa(b: number): string {
  if (b >= 0x61 && b <= 0x7a) return '（英小文字は大文字にしてください）';
  if (b === 0xb0) return '（長音 ｰ は - で書きます）';
  if (b === 0xa6) return '（ｦ は使えません）';
  if (b >= 0xa7 && b <= 0xaf) return '（小書きのカナは大きいカナで書きます）';
  if (b === 0x2c) return '（カンマは使えません）';
  if (b >= 0x80) return '（全角文字・範囲外のバイトです）';
  return '';
}
function classHintEn(b: number): string {
  if (b >= 0x61 && b <= 0x7a) return ' (use uppercase)';
  if (b === 0xb0) return ' (write the long-vowel mark as -)';
  if (b === 0xa6) return ' (ｦ is not allowed)';
  if (b >= 0xa7 && b <= 0xaf) return ' (write small kana full size)';
  if (b === 0x2c) return ' (commas are not allowed)';
  if (b >= 0x80) return ' (a double-byte or out-of-range byte)';
  return '';
}

// ---------------------------------------------------------------- encoding

function encodeError(layout: Layout, rec: RecordDef, f: FieldDef | undefined, problem: Msg): AppError {
  return new AppError({
    code: 'encode.invalid-value',
    exit: EXIT.rejected,
    msg: {
      ja: `${layout.id} の ${rec.kind} レコード${f ? `、項目 ${f.id}${f.name ? `（${f.name}）` : ''}` : ''}に書けません: ${problem.ja}`,
      en: `cannot write the ${rec.kind} record of ${layout.id}${f ? `, field ${f.id}` : ''}: ${problem.en}`,
    },
    ...(f ? { location: { field: f.id } } : {}),
  });
}

function toText(v: FieldInput): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0) return String(v); // refused below as non-digits
    return String(v);
  }
  return v.toString();
}

/** Per record definition: the key order of the last values object found to hold only its field ids. */
const knownKeys = new WeakMap<RecordDef, string[]>();

/**
 * Refuse a defined value under a key the record does not have. A values object whose
 * keys come in the same order as the last one accepted for this record (the usual case:
 * one object, or objects built alike, for every record) is checked by comparing keys only.
 */
function checkKeys(layout: Layout, rec: RecordDef, values: FieldInputs): void {
  const last = knownKeys.get(rec);
  if (last !== undefined) {
    let i = 0;
    let same = true;
    for (const key in values) {
      if (key !== last[i]) {
        same = false;
        break;
      }
      i++;
    }
    if (same && i === last.length) return;
  }
  const keys: string[] = [];
  let cacheable = true;
  for (const key in values) {
    if (rec.byId.has(key)) keys.push(key);
    else if (values[key] !== undefined) {
      throw encodeError(layout, rec, undefined, { ja: `このレコードに項目 ${key} はありません`, en: `the record has no field ${key}` });
    } else cacheable = false;
  }
  if (cacheable) knownKeys.set(rec, keys);
}

/**
 * Encode `values` into `out` at `pos` (exactly recordLength bytes). Fields not given:
 * const value, else N zeros / spaces / full-width spaces. Fillers: the `base` record's
 * bytes when given, else spaces. A field whose value equals what `base` decodes to keeps
 * base's bytes (byte-identical round trips). Unknown field ids are refused.
 */
export function encodeRecord(
  layout: Layout,
  rec: RecordDef,
  values: FieldInputs,
  out: Uint8Array,
  pos: number,
  base?: Uint8Array,
  today?: IsoDate,
): void {
  checkKeys(layout, rec, values);
  const fs = rec.fields;
  for (let k = 0; k < fs.length; k++) {
    const f = fs[k]!;
    encodeField(layout, rec, f, f.filler ? undefined : values[f.id], out, pos, base, today);
  }
}

/** A record's field ids in a caller's order, checked once (see encodeRecordInOrder). */
export interface FieldOrder {
  readonly rec: RecordDef;
  readonly ids: readonly string[];
  /** per field of rec.fields: its index in the values array, or -1 (not given) */
  readonly slot: Int32Array;
  /**
   * The record's bytes with no value given and no base (each field's default: zeros,
   * spaces, full-width spaces, its const; fillers spaces): what encodeField writes for a
   * field without a value, the same for every record. null: not made (then every field is encoded).
   */
  readonly blank: Uint8Array | null;
  /** the indices in rec.fields of the fields that take a value (slot ≥ 0, not a filler) */
  readonly given: Int32Array;
}

/** Check `ids` against the record once (unknown or repeated ids are refused) for encodeRecordInOrder. */
export function fieldOrder(layout: Layout, rec: RecordDef, ids: readonly string[]): FieldOrder {
  const slot = new Int32Array(rec.fields.length).fill(-1);
  ids.forEach((id, j) => {
    const f = rec.byId.get(id);
    if (f === undefined) throw encodeError(layout, rec, undefined, { ja: `このレコードに項目 ${id} はありません`, en: `the record has no field ${id}` });
    const k = rec.fields.indexOf(f);
    if (slot[k] !== -1) throw encodeError(layout, rec, f, { ja: `項目 ${id} が2回指定されています`, en: `field ${id} is given twice` });
    slot[k] = j;
  });
  const given = Int32Array.from(rec.fields.flatMap((f, k) => (slot[k]! >= 0 && !f.filler ? [k] : [])));
  return { rec, ids: [...ids], slot, blank: blankRecord(layout, rec), given };
}

/** The bytes of `rec` with no value given (FieldOrder.blank); null if a field's default cannot be encoded. */
function blankRecord(layout: Layout, rec: RecordDef): Uint8Array | null {
  const last = rec.fields[rec.fields.length - 1];
  const out = new Uint8Array(last === undefined ? 0 : last.offset + last.length);
  try {
    for (const f of rec.fields) encodeField(layout, rec, f, undefined, out, 0, undefined, undefined);
  } catch {
    return null;
  }
  return out;
}

/**
 * encodeRecord with the values as an array in the order of `order.ids` (fieldOrder): no
 * values object and no per-record key check. Same bytes and same errors as encodeRecord
 * given the object { [ids[j]]: values[j] }. Without a base, the fields not given are
 * copied from order.blank and only the given ones encoded (a field without a value never
 * fails, so the first error is the same; test/layout/encode-fast-paths.test.ts).
 */
export function encodeRecordInOrder(
  layout: Layout,
  order: FieldOrder,
  values: ArrayLike<FieldInput>,
  out: Uint8Array,
  pos: number,
  base?: Uint8Array,
  today?: IsoDate,
): void {
  const rec = order.rec;
  const fs = rec.fields;
  const slot = order.slot;
  const blank = order.blank;
  if (base === undefined && blank !== null) {
    out.set(blank, pos);
    const given = order.given;
    for (let i = 0; i < given.length; i++) {
      const k = given[i]!;
      encodeField(layout, rec, fs[k]!, values[slot[k]!], out, pos, undefined, today);
    }
    return;
  }
  for (let k = 0; k < fs.length; k++) {
    const f = fs[k]!;
    const j = slot[k]!;
    encodeField(layout, rec, f, j < 0 || f.filler ? undefined : values[j], out, pos, base, today);
  }
}

function tooLong(layout: Layout, rec: RecordDef, f: FieldDef, len: number): AppError {
  return encodeError(layout, rec, f, { ja: `${len} 桁は長すぎます（最大 ${f.length} 桁）`, en: `${len} digits is too long (at most ${f.length})` });
}

/** After the digits of an N field are in out[s, e): its allowed values and date format. */
function checkNStored(layout: Layout, rec: RecordDef, f: FieldDef, num: number, out: Uint8Array, s: number, e: number, today: IsoDate | undefined): void {
  if (f.valueNumbers !== undefined) {
    // values are digits padded to the length (≤ 15 digits): comparing numbers is exact
    if (!f.valueNumbers.has(num)) {
      const stored = latin1(out, s, e);
      throw encodeError(layout, rec, f, { ja: `値 ${stored} は許される値（${f.values!.join(', ')}）にありません`, en: `${stored} is not one of ${f.values!.join(', ')}` });
    }
  } else if (f.values !== undefined) {
    const stored = latin1(out, s, e);
    if (!f.values.includes(stored)) {
      throw encodeError(layout, rec, f, { ja: `値 ${stored} は許される値（${f.values.join(', ')}）にありません`, en: `${stored} is not one of ${f.values.join(', ')}` });
    }
  }
  if (f.format !== undefined && f.format !== 'amount' && !dateOk(f, out, s, f.format === 'date-yymmdd-wareki' ? (today ?? todayTokyo()) : '')) {
    const stored = latin1(out, s, e);
    throw encodeError(layout, rec, f, { ja: `${f.personal ? '***' : stored} は実在する日付ではありません（日付なしは全桁0）`, en: `${f.personal ? '***' : stored} is not a real date (all zeros means none)` });
  }
}

/** A J field's rest after its text, [from, end): full-width spaces (0x81 0x40). */
function padFullWidth(out: Uint8Array, from: number, end: number): void {
  for (let i = from; i < end; i += 2) {
    out[i] = 0x81;
    out[i + 1] = 0x40;
  }
}

/** writeGWareki memoised: a million inquiries carry about 30,000 distinct birth dates (issue 15 item 7). */
const GWAREKI = new GWarekiDates();

/** One field of a record at `pos`: `v` as the caller gave it (undefined: not given). */
function encodeField(layout: Layout, rec: RecordDef, f: FieldDef, v: FieldInput, out: Uint8Array, pos: number, base: Uint8Array | undefined, today: IsoDate | undefined): void {
  const s = pos + f.offset;
  const e = s + f.length;
  if (f.filler) {
    if (base) out.set(base.subarray(f.offset, f.offset + f.length), s);
    else for (let i = s; i < e; i++) out[i] = SPACE;
    return;
  }
  if (typeof v === 'number' && f.type === 'N' && base === undefined && f.constBytes === undefined && v >= 0 && Number.isSafeInteger(v)) {
    // A whole number straight to digits, right to left (what String(v) would give, zero-padded).
    let x = v;
    if (x <= 0x7fffffff) {
      for (let i = e - 1; i >= s; i--) {
        const q = (x / 10) | 0;
        out[i] = 0x30 + x - q * 10;
        x = q;
      }
    } else {
      for (let i = e - 1; i >= s; i--) {
        const d = x % 10;
        out[i] = 0x30 + d;
        x = (x - d) / 10;
      }
    }
    if (x !== 0) throw tooLong(layout, rec, f, String(v).length);
    checkNStored(layout, rec, f, v, out, s, e, today);
    return;
  }
  let text = toText(v);
  if (base && text !== undefined && text === decodeField(f, base, 0)) {
    out.set(base.subarray(f.offset, f.offset + f.length), s);
    return;
  }
  if (f.constBytes !== undefined) {
    if (text !== undefined && text !== f.const) {
      throw encodeError(layout, rec, f, { ja: `固定値 "${f.const}" 以外は書けません（値 "${f.personal ? '***' : text}"）`, en: `only "${f.const}" can be written (got "${f.personal ? '***' : text}")` });
    }
    const cbs = f.constBytes;
    for (let i = 0; i < cbs.length; i++) out[s + i] = cbs[i]!;
    return;
  }
  switch (f.type) {
    case 'N': {
      if (text === undefined) {
        for (let i = s; i < e; i++) out[i] = 0x30;
        return;
      }
      if (text === '' && f.blankAllowed) {
        out.fill(SPACE, s, e);
        return;
      }
      // ISO date → the field's format (only a 10-character text with '-' can be one)
      if (f.format !== undefined && f.format !== 'amount' && text.length === 10 && text.charCodeAt(4) === 0x2d && /^\d{4}-\d{2}-\d{2}$/.test(text)) {
        const iso = text;
        const conv = f.format === 'date-yyyymmdd' ? (readYmd(iso.replaceAll('-', '')) ? iso.replaceAll('-', '') : null) : f.format === 'date-yymmdd-wareki' ? writeWareki(iso) : f.format === 'date-gyymmdd-wareki' ? GWAREKI.write(iso) : null;
        if (conv === null) {
          throw encodeError(layout, rec, f, { ja: `日付 ${f.personal ? '***' : iso} をこの形式（${f.format}）で書けません`, en: `date ${f.personal ? '***' : iso} cannot be written as ${f.format}` });
        }
        text = conv;
      }
      const len = text.length;
      if (len > f.length) throw tooLong(layout, rec, f, len);
      const pad = f.length - len;
      let num = 0;
      for (let i = 0; i < len; i++) {
        const c = text.charCodeAt(i);
        if (c < 0x30 || c > 0x39) {
          throw encodeError(layout, rec, f, { ja: `数字以外の文字 ${showChar(text[i]!)} があります（${i + 1} 文字目）`, en: `${showChar(text[i]!)} is not a digit (character ${i + 1})` });
        }
        out[s + pad + i] = c;
        num = num * 10 + (c - 0x30);
      }
      for (let i = s; i < s + pad; i++) out[i] = 0x30;
      checkNStored(layout, rec, f, num, out, s, e, today);
      return;
    }
    case 'C': {
      const t = text ?? '';
      if (t.length > f.length) {
        throw encodeError(layout, rec, f, { ja: `${t.length} 文字は長すぎます（最大 ${f.length} バイト）。切り詰めずに拒否しました`, en: `${t.length} characters is too long (at most ${f.length} bytes); refused rather than truncated` });
      }
      const bit = classBit(f.class);
      const voicing = f.class !== 'any';
      let prev = -1;
      for (let i = 0; i < t.length; i++) {
        const ch = t.charCodeAt(i);
        const enc = ENCODE_UNIT[ch]!;
        const b = enc - 1;
        if (enc === 0 || (CLASS_BITS[b]! & bit) === 0) {
          throw encodeError(layout, rec, f, {
            ja: `${i + 1} 文字目の ${showChar(t[i]!)} は文字種 ${f.class} で書けません${enc === 0 ? '' : classHintJa(b)}`,
            en: `character ${i + 1}, ${showChar(t[i]!)}, is not allowed in class ${f.class}${enc === 0 ? '' : classHintEn(b)}`,
          });
        }
        if (voicing && (b === DAKUTEN || b === HANDAKUTEN)) {
          const ok = prev >= 0 && (b === DAKUTEN ? TAKES_DAKUTEN[prev] === 1 : TAKES_HANDAKUTEN[prev] === 1);
          if (!ok) {
            throw encodeError(layout, rec, f, {
              ja: `${i + 1} 文字目の ${showByte(b)} は${prev < 0 ? '先頭に置けません' : ` ${showByte(prev)} の後に置けません`}`,
              en: `character ${i + 1}, ${showByte(b)}, ${prev < 0 ? 'cannot start the field' : `cannot follow ${showByte(prev)}`}`,
            });
          }
        }
        out[s + i] = b;
        prev = b;
      }
      for (let i = s + t.length; i < e; i++) out[i] = SPACE;
      if (f.values !== undefined && text !== undefined && !f.values.includes(t.replace(/ +$/, ''))) {
        throw encodeError(layout, rec, f, { ja: `値は ${f.values.join(', ')} のいずれかです`, en: `the value must be one of ${f.values.join(', ')}` });
      }
      break;
    }
    case 'J': {
      const t = text ?? '';
      const n = encodeJInto(t, layout.encoding, out, s, f.length);
      if (n >= 0) {
        padFullWidth(out, s + n, e);
        break;
      }
      const r = encodeJ(t, layout.encoding);
      if (!r.ok) {
        const ch = [...t.slice(r.index)][0] ?? '';
        const why: Msg =
          r.reason === 'single-byte'
            ? { ja: '1バイト文字は全角項目に書けません（全角にしてください）', en: 'a single-byte character cannot go in a J field (use its full-width form)' }
            : r.reason === 'extension'
              ? { ja: 'NEC/IBM拡張文字は shift_jis のレイアウトでは書けません', en: 'NEC/IBM extension characters cannot be written with encoding shift_jis' }
              : { ja: 'Shift_JIS（CP932）にない文字です（? に置き換えずに拒否しました）', en: 'it has no Shift_JIS (CP932) code (refused rather than written as ?)' };
        throw encodeError(layout, rec, f, { ja: `${r.index + 1} 文字目の ${showChar(ch)}: ${why.ja}`, en: `character ${r.index + 1}, ${showChar(ch)}: ${why.en}` });
      }
      if (r.bytes.length > f.length) {
        throw encodeError(layout, rec, f, { ja: `${r.bytes.length} バイトは長すぎます（最大 ${f.length} バイト）`, en: `${r.bytes.length} bytes is too long (at most ${f.length})` });
      }
      out.set(r.bytes, s);
      padFullWidth(out, s + r.bytes.length, e);
      break;
    }
    case 'X': {
      const t = text ?? '';
      const r = parseX(t);
      if ('badIndex' in r) {
        throw encodeError(layout, rec, f, { ja: `${r.badIndex + 1} 文字目 ${showChar(t[r.badIndex]!)} は1バイトで書けません（\\xNN か \\\\ で書きます）`, en: `character ${r.badIndex + 1}, ${showChar(t[r.badIndex]!)}, has no single-byte code (write \\xNN or \\\\)` });
      }
      if (r.bytes.length > f.length) throw encodeError(layout, rec, f, { ja: `${r.bytes.length} バイトは長すぎます（最大 ${f.length}）`, en: `${r.bytes.length} bytes is too long (at most ${f.length})` });
      out.set(r.bytes, s);
      out.fill(SPACE, s + r.bytes.length, e);
      if (f.values !== undefined && text !== undefined && !f.values.includes(decodeField(f, out, pos))) {
        throw encodeError(layout, rec, f, { ja: `値は ${f.values.join(', ')} のいずれかです`, en: `the value must be one of ${f.values.join(', ')}` });
      }
      break;
    }
  }
}
