/**
 * Layout loading: XML (fast-xml-parser) → zod-checked attributes → compiled Layout with
 * offsets, refused with an AppError (exit 2) naming the file, record and field when
 * anything is wrong (layout-xml.md, docs/formats.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { AppError, EXIT } from '../core/errors.js';
import type { Msg } from '../core/i18n.js';
import { ENCODE_UNIT, CLASS_BITS, classBit, type CharClass } from '../text/jisx0201.js';
import { encodeJ } from '../text/cp932.js';
import {
  RECORD_KINDS,
  dataRecordsOf,
  type FieldDef,
  type FieldType,
  type Layout,
  type RecordDef,
  type RecordKind,
  type WhereClause,
} from './types.js';

const boolAttr = z.enum(['true', 'false']);
const intAttr = z.string().regex(/^[1-9][0-9]{0,5}$/, 'a positive whole number');

const FieldAttrs = z.strictObject({
  id: z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'camelCase: a lowercase letter, then letters and digits'),
  name: z.string().optional(),
  type: z.enum(['N', 'C', 'J', 'X']),
  length: intAttr,
  const: z.string().optional(),
  values: z.string().optional(),
  filler: boolAttr.optional(),
  class: z.enum(['party', 'bank', 'any']).optional(),
  format: z.enum(['date-yyyymmdd', 'date-yymmdd-wareki', 'date-gyymmdd-wareki', 'date-mmdd', 'amount']).optional(),
  total: z.enum(['count', 'sum', 'records', 'groups']).optional(),
  of: z.string().optional(),
  oncePer: z.string().optional(),
  where: z.string().optional(),
  record: z.string().optional(),
  modulo: boolAttr.optional(),
  personal: boolAttr.optional(),
  blank: z.enum(['allow']).optional(),
});

const RecordAttrs = z.strictObject({
  kind: z.enum(['header', 'data', 'trailer', 'end']),
  id: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, '[a-z][a-zA-Z0-9]*').optional(),
});

const LayoutAttrs = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, '[a-z0-9-]+'),
  name: z.string().optional(),
  recordLength: intAttr,
  encoding: z.enum(['cp932', 'shift_jis']),
  separator: z.enum(['crlf', 'none', 'lf', 'cr']).optional(),
  groups: z.enum(['one', 'many']).optional(),
});

type Where = { record?: string; field?: string };

function refuse(file: string, where: Where, problem: Msg): never {
  const rec = where.record?.startsWith('data:') ? `<record kind="data" id="${where.record.slice(5)}">` : where.record ? `<record kind="${where.record}">` : '';
  const place = [rec, where.field ? `<field id="${where.field}">` : '']
    .filter(Boolean)
    .join(' ');
  throw new AppError({
    code: 'layout.invalid',
    exit: EXIT.usage,
    msg: {
      ja: `レイアウト定義 ${file} が不正です${place ? `（${place}）` : ''}: ${problem.ja}。レイアウトXMLを修正してください。`,
      en: `layout ${file} is invalid${place ? ` (${place})` : ''}: ${problem.en}. Fix the layout XML.`,
    },
    location: { file, ...(where.field ? { field: where.field } : {}) },
  });
}

function zodProblem(err: z.ZodError): Msg {
  const iss = err.issues[0];
  if (!iss) return { ja: '属性が不正', en: 'invalid attributes' };
  if (iss.code === 'unrecognized_keys') {
    const keys = iss.keys.map((k) => k.replace(/^@_/, '')).join(', ');
    return { ja: `未知の属性 ${keys}`, en: `unknown attribute ${keys}` };
  }
  const attr = String(iss.path[0] ?? '').replace(/^@_/, '');
  if (iss.code === 'invalid_type' && iss.input === undefined) {
    return { ja: `属性 ${attr} は必須です`, en: `attribute ${attr} is required` };
  }
  return { ja: `属性 ${attr} の値が不正 (${iss.message})`, en: `attribute ${attr} has an invalid value (${iss.message})` };
}

function attrsOf(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k.startsWith('@_')) out[k.slice(2)] = String(v);
    }
  }
  return out;
}

function childrenOf(node: unknown, name: string): unknown[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as Record<string, unknown>)[name];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** Encode a const value to bytes for its field type, or null if it cannot be. */
function constBytes(type: FieldType, value: string, layoutEnc: 'cp932' | 'shift_jis'): Uint8Array | null {
  if (type === 'J') {
    const r = encodeJ(value, layoutEnc);
    return r.ok ? Uint8Array.from(r.bytes) : null;
  }
  const out = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const e = ENCODE_UNIT[value.charCodeAt(i)]!;
    if (e === 0) return null;
    out[i] = e - 1;
  }
  if (type === 'N' && !/^[0-9]*$/.test(value)) return null;
  return out;
}

function parseWhere(file: string, kind: string, fid: string, text: string, data: RecordDef | undefined): WhereClause {
  const m = /^\s*([a-z][A-Za-z0-9]*)\s*(!=|=|>)\s*(.*?)\s*$/.exec(text);
  if (!m) {
    refuse(file, { record: kind, field: fid }, {
      ja: `where="${text}" は「項目>0」「項目=値」「項目!=値」のいずれかで書いてください`,
      en: `where="${text}" must be field>0, field=value or field!=value`,
    });
  }
  const field = m[1]!;
  const op = m[2] as WhereClause['op'];
  const value = m[3]!;
  const target = data?.byId.get(field);
  if (!target) {
    refuse(file, { record: kind, field: fid }, { ja: `where の項目 ${field} がデータレコードにありません`, en: `where refers to ${field}, which the data record does not have` });
  }
  if (op === '>' && (target.type !== 'N' || !/^\d+$/.test(value))) {
    refuse(file, { record: kind, field: fid }, { ja: `where の「>」は N 項目と数値にだけ使えます`, en: `where ">" needs an N field and a number` });
  }
  if (target.type === 'N' && !/^\d+$/.test(value)) {
    refuse(file, { record: kind, field: fid }, { ja: `where の値 ${value} は数字でなければなりません（${field} は N 項目）`, en: `where value ${value} must be digits (${field} is an N field)` });
  }
  return { field, op, value, numeric: target.type === 'N' };
}

/** Parse and compile layout XML text. `file` is used in messages. */
export function compileLayoutXml(xml: string, file: string): Layout {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    refuse(file, {}, { ja: `XML の構文エラー（${valid.err.line}行 ${valid.err.col}桁）: ${valid.err.msg}`, en: `XML syntax error (line ${valid.err.line}, column ${valid.err.col}): ${valid.err.msg}` });
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: true,
    isArray: (name) => name === 'record' || name === 'field' || name === 'layout' || name === 'source',
  });
  const doc = parser.parse(xml) as Record<string, unknown>;
  const roots = childrenOf(doc, 'layout');
  if (roots.length !== 1) refuse(file, {}, { ja: 'ルート要素 <layout> がちょうど1つ必要です', en: 'exactly one root <layout> element is needed' });
  const root = roots[0] as Record<string, unknown>;
  for (const k of Object.keys(root)) {
    if (!k.startsWith('@_') && k !== 'record' && k !== 'source' && k !== '#text') {
      refuse(file, {}, { ja: `未知の要素 <${k}>`, en: `unknown element <${k}>` });
    }
  }
  const la = LayoutAttrs.safeParse(attrsOf(root));
  if (!la.success) refuse(file, {}, zodProblem(la.error));
  const L = la.data;
  const recordLength = Number(L.recordLength);
  const encoding = L.encoding;
  const sources = childrenOf(root, 'source');
  const source = sources.length ? sources.map((s) => (typeof s === 'string' ? s : String((s as Record<string, unknown>)['#text'] ?? ''))).join('\n') : undefined;

  const records: Partial<Record<RecordKind, RecordDef>> = {};
  // `key`: the kind, or for a data record with an id, "data:<id>" (messages name it)
  const pending: Array<{ kind: RecordKind; id: string | undefined; key: string; raw: Array<Record<string, string>> }> = [];
  for (const rnode of childrenOf(root, 'record')) {
    const ra = RecordAttrs.safeParse(attrsOf(rnode));
    if (!ra.success) refuse(file, {}, zodProblem(ra.error));
    const kind = ra.data.kind;
    const id = ra.data.id;
    if (id !== undefined && kind !== 'data') refuse(file, { record: kind }, { ja: 'id はデータレコードにだけ指定できます', en: 'id applies to data records only' });
    if (id !== undefined && (RECORD_KINDS as readonly string[]).includes(id)) refuse(file, { record: kind }, { ja: `データレコードの id に種別名 ${id} は使えません`, en: `a data record cannot be called ${id} (a record kind)` });
    const key = id !== undefined ? `data:${id}` : kind;
    if (kind !== 'data' && pending.some((p) => p.kind === kind)) refuse(file, { record: kind }, { ja: `レコード種別 ${kind} が2回定義されています`, en: `record kind ${kind} is defined twice` });
    if (pending.some((p) => p.key === key)) refuse(file, { record: key }, { ja: `データレコード ${id ?? ''} が2回定義されています`, en: `data record ${id ?? ''} is defined twice` });
    for (const k of Object.keys(rnode as object)) {
      if (!k.startsWith('@_') && k !== 'field' && k !== '#text') refuse(file, { record: key }, { ja: `未知の要素 <${k}>`, en: `unknown element <${k}>` });
    }
    pending.push({ kind, id, key, raw: childrenOf(rnode, 'field').map(attrsOf) });
  }
  const dataPending = pending.filter((p) => p.kind === 'data');
  if (dataPending.length === 0) refuse(file, {}, { ja: 'データレコード（kind="data"）がありません', en: 'there is no data record (kind="data")' });
  if (dataPending.length > 1) {
    const noId = dataPending.find((p) => p.id === undefined);
    if (noId) refuse(file, { record: 'data' }, { ja: 'データレコードが複数あるときは、それぞれに id が必要です', en: 'with several data records, each needs an id' });
  }

  // First pass: fields without cross-record references.
  const defs = new Map<string, FieldDef[]>();
  for (const { key: kind, raw } of pending) {
    if (raw.length === 0) refuse(file, { record: kind }, { ja: '項目がありません', en: 'it has no fields' });
    const fields: FieldDef[] = [];
    const seen = new Set<string>();
    let offset = 0;
    for (const attrs of raw) {
      const fa = FieldAttrs.safeParse(attrs);
      if (!fa.success) refuse(file, { record: kind, field: attrs['id'] }, zodProblem(fa.error));
      const a = fa.data;
      const w = { record: kind, field: a.id };
      if (seen.has(a.id)) refuse(file, w, { ja: `項目ID ${a.id} が重複しています`, en: `field id ${a.id} is used twice` });
      seen.add(a.id);
      const length = Number(a.length);
      const type = a.type;
      if (type === 'J' && length % 2 !== 0) refuse(file, w, { ja: `J 項目の長さ ${length} は偶数でなければなりません`, en: `a J field's length (${length}) must be even` });
      if (a.class !== undefined && type !== 'C') refuse(file, w, { ja: 'class は C 項目にだけ指定できます', en: 'class applies to C fields only' });
      if (a.format !== undefined && type !== 'N') refuse(file, w, { ja: 'format は N 項目にだけ指定できます', en: 'format applies to N fields only' });
      if (a.blank !== undefined && type !== 'N') refuse(file, w, { ja: 'blank は N 項目にだけ指定できます', en: 'blank applies to N fields only' });
      const fmtLen: Record<string, number> = { 'date-yyyymmdd': 8, 'date-yymmdd-wareki': 6, 'date-gyymmdd-wareki': 7, 'date-mmdd': 4 };
      if (a.format && fmtLen[a.format] !== undefined && fmtLen[a.format] !== length) {
        refuse(file, w, { ja: `format="${a.format}" の長さは ${fmtLen[a.format]} バイトです（定義は ${length}）`, en: `format="${a.format}" needs length ${fmtLen[a.format]} (got ${length})` });
      }
      const filler = a.filler === 'true';
      const cls: CharClass = a.class ?? 'party';
      let cb: Uint8Array | undefined;
      if (a.const !== undefined) {
        const bytes = constBytes(type, a.const, encoding);
        if (bytes === null) refuse(file, w, { ja: `const="${a.const}" はこの型 (${type}) で書けない文字を含みます`, en: `const="${a.const}" has characters a ${type} field cannot hold` });
        if (bytes.length !== length) {
          refuse(file, w, { ja: `const="${a.const}" は ${bytes.length} バイトですが、項目長は ${length} バイトです`, en: `const="${a.const}" is ${bytes.length} bytes but the field is ${length} bytes` });
        }
        if (type === 'C') {
          const bit = classBit(cls);
          for (const b of bytes) if ((CLASS_BITS[b]! & bit) === 0) refuse(file, w, { ja: `const="${a.const}" が文字種 ${cls} の外の文字を含みます`, en: `const="${a.const}" has a character outside class ${cls}` });
        }
        cb = bytes;
      }
      let values: string[] | undefined;
      if (a.values !== undefined) {
        values = a.values.split(',').map((v) => v.trim());
        if (values.some((v) => v === '')) refuse(file, w, { ja: 'values に空の値があります', en: 'values has an empty entry' });
        if (type === 'N') {
          for (const v of values) {
            if (!/^\d+$/.test(v) || v.length > length) refuse(file, w, { ja: `values の ${v} は ${length} 桁以内の数字でなければなりません`, en: `value ${v} in values must be at most ${length} digits` });
          }
          values = values.map((v) => v.padStart(length, '0'));
        }
      }
      if ((a.of !== undefined || a.oncePer !== undefined || a.where !== undefined || a.record !== undefined || a.modulo !== undefined) && a.total === undefined) {
        refuse(file, w, { ja: 'of / oncePer / where / record / modulo は total と一緒に指定します', en: 'of / oncePer / where / record / modulo need total' });
      }
      if (a.total !== undefined) {
        if (kind !== 'trailer' && kind !== 'end') refuse(file, w, { ja: 'total はトレーラまたはエンドレコードにだけ指定できます', en: 'total belongs in a trailer or end record' });
        if (type !== 'N') refuse(file, w, { ja: 'total は N 項目にだけ指定できます', en: 'total applies to N fields only' });
        if (a.total === 'sum' && a.of === undefined) refuse(file, w, { ja: 'total="sum" には of（合計するデータ項目）が必要です', en: 'total="sum" needs of (the data field summed)' });
        if (a.total !== 'sum' && a.of !== undefined) refuse(file, w, { ja: 'of は total="sum" にだけ指定できます', en: 'of applies to total="sum" only' });
        if ((a.total === 'records' || a.total === 'groups') && (a.where !== undefined || a.oncePer !== undefined)) {
          refuse(file, w, { ja: `total="${a.total}" に where / oncePer は指定できません`, en: `total="${a.total}" takes no where / oncePer` });
        }
        if ((a.total === 'records' || a.total === 'groups') && a.record !== undefined) {
          refuse(file, w, { ja: `total="${a.total}" に record は指定できません`, en: `total="${a.total}" takes no record` });
        }
        if (a.total === 'groups' && kind !== 'end') refuse(file, w, { ja: 'total="groups" はエンドレコードにだけ指定できます', en: 'total="groups" belongs in the end record' });
      }
      fields.push({
        id: a.id,
        name: a.name,
        type,
        length,
        offset,
        const: a.const,
        constBytes: cb,
        values,
        valueNumbers: type === 'N' && values && length <= 15 ? new Set(values.map(Number)) : undefined,
        filler,
        class: cls,
        format: a.format,
        total: a.total,
        of: a.of,
        oncePer: a.oncePer,
        where: undefined,
        record: a.record,
        modulo: a.modulo === 'true',
        personal: a.personal === 'true',
        blankAllowed: a.blank === 'allow',
      });
      offset += length;
    }
    if (offset !== recordLength) {
      const diff = offset - recordLength;
      refuse(file, { record: kind }, {
        ja: `項目長の合計が ${offset} バイトで、recordLength ${recordLength} と ${Math.abs(diff)} バイト${diff > 0 ? '超過' : '不足'}しています`,
        en: `its field lengths add up to ${offset} bytes, ${Math.abs(diff)} bytes ${diff > 0 ? 'more' : 'less'} than recordLength ${recordLength}`,
      });
    }
    const first = fields[0]!;
    if (first.const === undefined) refuse(file, { record: kind, field: first.id }, { ja: 'レコードの先頭項目には const（レコード種別を識別する値）が必要です', en: "a record's first field must carry const (it identifies the record kind)" });
    defs.set(kind, fields);
  }

  // Records whose identifying bytes collide cannot be told apart.
  const kinds = [...defs.keys()];
  const recOf = (key: string): RecordDef => {
    const fields = defs.get(key)!;
    const p = pending.find((x) => x.key === key)!;
    return { kind: p.kind, id: p.id, fields, byId: new Map(fields.map((f) => [f.id, f])), first: fields[0]! };
  };
  for (let i = 0; i < kinds.length; i++) {
    for (let j = i + 1; j < kinds.length; j++) {
      const a = defs.get(kinds[i]!)![0]!;
      const b = defs.get(kinds[j]!)![0]!;
      const n = Math.min(a.length, b.length);
      if (a.constBytes!.subarray(0, n).every((x, k) => x === b.constBytes![k])) {
        refuse(file, { record: kinds[j]! }, { ja: `先頭項目の const が ${kinds[i]} レコードと区別できません`, en: `its first field's const cannot be told apart from the ${kinds[i]} record` });
      }
    }
  }

  const dataRecords = dataPending.map((p) => recOf(p.key));
  for (const kind of RECORD_KINDS) {
    if (kind === 'data') records.data = dataRecords[0]!;
    else if (defs.has(kind)) records[kind] = recOf(kind);
  }
  // Second pass: totals refer to data fields (of the record they name).
  for (const rec of [records.trailer, records.end]) {
    if (!rec) continue;
    for (const f of rec.fields) {
      if (f.total === undefined) continue;
      const w = { record: rec.kind, field: f.id };
      let data: RecordDef | undefined;
      if (f.total === 'records' || f.total === 'groups') data = undefined;
      else if (f.record !== undefined) {
        data = dataRecords.find((d) => d.id === f.record);
        if (!data) refuse(file, w, { ja: `record="${f.record}" のデータレコードがありません（${dataRecords.map((d) => d.id ?? '(id なし)').join(', ')}）`, en: `there is no data record "${f.record}" (${dataRecords.map((d) => d.id ?? '(no id)').join(', ')})` });
      } else if (dataRecords.length > 1) {
        refuse(file, w, { ja: `データレコードが複数あるので、total には record（数える・合計するデータレコードの id）が必要です`, en: 'with several data records, a total needs record (the id of the data record it counts or sums)' });
      } else data = dataRecords[0];
      for (const ref of [f.of, f.oncePer]) {
        if (ref !== undefined && !data?.byId.has(ref)) refuse(file, w, { ja: `データレコードに項目 ${ref} がありません`, en: `the data record has no field ${ref}` });
      }
      if (f.of !== undefined && data!.byId.get(f.of)!.type !== 'N') refuse(file, w, { ja: `合計する項目 ${f.of} は N 項目でなければなりません`, en: `the summed field ${f.of} must be an N field` });
      if (f.where !== undefined) continue;
      const rawWhere = pending.find((p) => p.kind === rec.kind)!.raw.find((r) => r['id'] === f.id)!['where'];
      if (rawWhere !== undefined) (f as { where: WhereClause | undefined }).where = parseWhere(file, rec.kind, f.id, rawWhere, data);
      if (f.modulo && f.total !== 'count' && f.total !== 'sum') refuse(file, w, { ja: 'modulo は total="count" / "sum" にだけ指定できます', en: 'modulo applies to total="count" / "sum" only' });
    }
  }
  return {
    id: L.id,
    name: L.name,
    source,
    file,
    recordLength,
    encoding,
    separator: L.separator ?? 'crlf',
    groups: L.groups ?? 'one',
    records,
    dataRecords,
    recordList: RECORD_KINDS.flatMap((k) => (k === 'data' ? dataRecords : records[k] ? [records[k]!] : [])),
  };
}

/**
 * A record definition by reference: a kind (`header`, `trailer`, `end`, and `data` when
 * the layout has a single data record) or a data record's id. Undefined when there is
 * none, and for `data` when the layout has several data records (name one).
 */
export function recordDef(layout: Layout, ref: string): RecordDef | undefined {
  if (ref === 'data') return dataRecordsOf(layout).length === 1 ? dataRecordsOf(layout)[0] : undefined;
  if ((RECORD_KINDS as readonly string[]).includes(ref)) return layout.records[ref as RecordKind];
  return dataRecordsOf(layout).find((d) => d.id === ref);
}

/** The package's formats/ folder (env SASHIOSAE_FORMATS overrides). Works from src/ and dist/. */
export function formatsDir(): string {
  const env = process.env['SASHIOSAE_FORMATS'];
  if (env) return path.resolve(env);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && fs.existsSync(path.join(dir, 'formats'))) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sashiosae') return path.join(dir, 'formats');
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new AppError({
    code: 'layout.no-formats-dir',
    exit: EXIT.unexpected,
    msg: { ja: 'formats/ フォルダが見つかりません。SASHIOSAE_FORMATS で指定してください。', en: 'the formats/ folder was not found; set SASHIOSAE_FORMATS' },
  });
}

const cache = new Map<string, { mtimeMs: number; size: number; layout: Layout }>();

function looksLikePath(s: string): boolean {
  return s.includes('/') || s.includes(path.sep) || s.endsWith('.xml');
}

/** Resolve an id (→ <formatsDir>/<id>.xml) or a path to the XML file path. */
function layoutPath(idOrPath: string): string {
  if (looksLikePath(idOrPath)) return path.resolve(idOrPath);
  if (!/^[a-z0-9-]+$/.test(idOrPath)) {
    throw new AppError({
      code: 'layout.bad-id',
      exit: EXIT.usage,
      msg: { ja: `レイアウトID「${idOrPath}」は不正です（英小文字・数字・ハイフン）`, en: `layout id "${idOrPath}" is invalid (a-z, 0-9, -)` },
    });
  }
  return path.join(formatsDir(), `${idOrPath}.xml`);
}

/** Load (and cache) a layout by id or path. Refusals are AppError exit 2. */
export function loadLayout(idOrPath: string): Layout {
  const file = layoutPath(idOrPath);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    const known = safeList();
    throw new AppError({
      code: 'layout.not-found',
      exit: EXIT.usage,
      msg: {
        ja: `レイアウト「${idOrPath}」が見つかりません（${file}）。使えるレイアウト: ${known.join(', ') || 'なし'}`,
        en: `layout "${idOrPath}" not found (${file}). Known layouts: ${known.join(', ') || 'none'}`,
      },
      location: { file },
    });
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.layout;
  const layout = compileLayoutXml(fs.readFileSync(file, 'utf8'), file);
  const base = path.basename(file, '.xml');
  if (base !== layout.id) {
    refuse(file, {}, { ja: `id="${layout.id}" とファイル名 ${base}.xml が一致しません（ファイル名は <id>.xml）`, en: `id="${layout.id}" does not match the file name ${base}.xml (it must be <id>.xml)` });
  }
  cache.set(file, { mtimeMs: st.mtimeMs, size: st.size, layout });
  return layout;
}

function safeList(): string[] {
  try {
    return listLayoutIds();
  } catch {
    return [];
  }
}

/** Ids of the layouts in formats/ (file names, not parsed). */
export function listLayoutIds(): string[] {
  const dir = formatsDir();
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/** Every layout in formats/, loaded (a broken one throws: a shipped layout must load). */
export function listLayouts(): Layout[] {
  return listLayoutIds().map((id) => loadLayout(id));
}
