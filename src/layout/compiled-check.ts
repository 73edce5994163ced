/**
 * Compiled record checks (ADR 0065): for one record definition, a function generated
 * once that answers "does this record pass every field check?" in one pass over its
 * bytes, with offsets, lengths and tables as constants — and, in its decoding form, also
 * builds the record's fields from that same pass (a digit run checked once is not
 * scanned again to be decoded).
 *
 * It is only ever a shortcut for the common case. It answers null / false whenever a
 * field is anything but plainly valid — including the lenient cases the general check
 * accepts (blank-allowed N fields with spaces) — and the caller then runs checkRecord and
 * decodeRecord, which alone write findings. So the findings never depend on it; the
 * property test (test/layout/compiled-check.test.ts) holds it to: non-null ⇒ checkRecord
 * reports nothing and the fields equal decodeRecord's.
 *
 * Records with X fields get no compiled check; records with J fields (inquiry-300's 氏名,
 * 住所) only when the caller gives the layout's encoding (the J check depends on it) and
 * the J fields carry no values.
 */
import type { IsoDate } from '../core/dates.js';
import { CLASS_BITS, DAKUTEN, HANDAKUTEN, TAKES_DAKUTEN, TAKES_HANDAKUTEN, classBit } from '../text/jisx0201.js';
import { dateOk, decodeCText, decodeField, latin1, type Fields } from './codec.js';
import { checkJ, decodeJ, type DoubleByteEncoding } from '../text/cp932.js';
import type { FieldDef, RecordDef } from './types.js';

/** The record's fields when every check passes, else null (run the general path). */
export type CheckDecode = (buf: Uint8Array, recStart: number, today: IsoDate) => Fields | null;
/** Whether every check passes (false: run the general path for the findings). */
export type CheckOnly = (buf: Uint8Array, recStart: number, today: IsoDate) => boolean;

/** One cache per form (decode or check) and J encoding (none: J fields not compiled). */
const compiled = new Map<string, WeakMap<RecordDef, CheckDecode | CheckOnly | null>>();

/**
 * The compiled check-and-decode of `rec`, or null where it has X fields, or J fields and
 * no `encoding` (the layout's) was given.
 */
export function compiledCheckDecode(rec: RecordDef, encoding?: DoubleByteEncoding): CheckDecode | null {
  return once(rec, true, encoding) as CheckDecode | null;
}

/** The compiled check of `rec` (no decoding), or null as for compiledCheckDecode. */
export function compiledCheck(rec: RecordDef, encoding?: DoubleByteEncoding): CheckOnly | null {
  return once(rec, false, encoding) as CheckOnly | null;
}

/** Compiled once per record definition (layouts are loaded once and kept). */
function once(rec: RecordDef, decode: boolean, encoding: DoubleByteEncoding | undefined): CheckDecode | CheckOnly | null {
  const key = `${decode ? 'decode' : 'check'}:${encoding ?? ''}`;
  let cache = compiled.get(key);
  if (cache === undefined) compiled.set(key, (cache = new WeakMap()));
  let f = cache.get(rec);
  if (f === undefined) {
    f = compile(rec, decode, encoding);
    cache.set(rec, f);
  }
  return f;
}

/** The text decodeField gives for a const field (its bytes are known when compiling). */
function constText(f: FieldDef): string {
  const tmp = new Uint8Array(f.offset + f.length);
  tmp.set(f.constBytes!, f.offset);
  return decodeField(f, tmp, 0);
}

function compile(rec: RecordDef, decode: boolean, encoding: DoubleByteEncoding | undefined): CheckDecode | CheckOnly | null {
  const fields = rec.fields.filter((f) => !f.filler);
  if (fields.some((f) => f.type === 'X' || (f.type === 'J' && (encoding === undefined || f.values !== undefined)))) return null;
  if (decode && !fields.every((f) => /^[a-z][A-Za-z0-9]*$/.test(f.id))) return null;
  const fail = decode ? 'return null;' : 'return false;';
  // values the generated code refers to, by name
  const names: string[] = ['CB', 'DAK', 'HAN', 'TD', 'TH', 'dateOk', 'decodeCText', 'latin1', 'checkJ', 'decodeJ', 'ENC'];
  const args: unknown[] = [CLASS_BITS, DAKUTEN, HANDAKUTEN, TAKES_DAKUTEN, TAKES_HANDAKUTEN, dateOk, decodeCText, latin1, checkJ, decodeJ, encoding];
  const bind = (value: unknown): string => {
    names.push(`a${args.length}`);
    args.push(value);
    return `a${args.length - 1}`;
  };
  const last = rec.fields[rec.fields.length - 1]!;
  const body: string[] = [];
  if (decode) body.push(`const str = latin1(buf, p, p + ${last.offset + last.length});`);
  fields.forEach((f, k) => {
    const o = f.offset;
    const l = f.length;
    const v = `v${k}`;
    if (f.constBytes !== undefined) {
      const cb = [...f.constBytes];
      body.push(`if (${cb.map((b, i) => `buf[p + ${o + i}] !== ${b}`).join(' || ')}) ${fail}`);
      if (decode) body.push(`const ${v} = ${JSON.stringify(constText(f))};`);
      return;
    }
    if (f.type === 'N') {
      const vn = f.valueNumbers !== undefined ? bind(f.valueNumbers) : undefined;
      body.push(`${vn ? 'let n' + k + ' = 0; ' : ''}for (let i = p + ${o}; i < p + ${o + l}; i++) { const d = buf[i] - 48; if (d < 0 || d > 9) ${fail}${vn ? ` n${k} = n${k} * 10 + d;` : ''} }`);
      if (vn) body.push(`if (!${vn}.has(n${k})) ${fail}`);
      if (f.format !== undefined && f.format !== 'amount') body.push(`if (!dateOk(${bind(f)}, buf, p + ${o}, today)) ${fail}`);
      if (decode) body.push(`const ${v} = str.substring(${o}, ${o + l});`);
      return;
    }
    if (f.type === 'J') {
      // as checkRecord: whole double-byte characters of the encoding (no values: not compiled)
      body.push(`if (checkJ(buf, p + ${o}, p + ${o + l}, ENC) !== null) ${fail}`);
      if (decode) body.push(`const ${v} = decodeJ(buf, p + ${o}, p + ${o + l});`);
      return;
    }
    // C: class and voicing of every byte (as checkRecord), trailing spaces, beyond-ASCII
    const voicing = f.class !== 'any';
    body.push(`let stop${k} = p + ${o}, high${k} = false;`);
    body.push(`{ let prev = -1; for (let i = p + ${o}; i < p + ${o + l}; i++) { const b = buf[i];`);
    body.push(`  if ((CB[b] & ${classBit(f.class)}) === 0) ${fail}`);
    if (voicing) body.push(`  if ((b === DAK || b === HAN) && (prev < 0 || (b === DAK ? TD[prev] !== 1 : TH[prev] !== 1))) ${fail}`);
    body.push(`  prev = b; if (b !== 32) stop${k} = i + 1; if (b >= 127 || b < 32) high${k} = true; } }`);
    if (decode || f.values !== undefined) {
      body.push(`const ${v} = high${k} ? decodeCText(buf, p + ${o}, stop${k}) : str${decode ? '' : k}.substring(${o}, stop${k} - p);`);
      if (!decode) body.splice(body.length - 1, 0, `const str${k} = latin1(buf, p, p + ${o + l});`);
    }
    if (f.values !== undefined) body.push(`if (!${bind(new Set(f.values))}.has(${v})) ${fail}`);
  });
  body.push(decode ? `return { ${fields.map((f, k) => `${JSON.stringify(f.id)}: v${k}`).join(', ')} };` : 'return true;');
  const src = `return function compiledCheck(buf, p, today) {\n${body.join('\n')}\n};`;
  return new Function(...names, src)(...args) as CheckDecode | CheckOnly;
}
