/**
 * File-level checks fed record by record: record order (groups one/many), trailer and
 * end-record totals (count/sum/oncePer/where/records/groups) and the file rules passed in.
 * Constant memory: totals are running sums; oncePer counts a value when it changes
 * from the previous data record (records of one key are consecutive by contract).
 * The writer uses the same Totals class to fill in trailer and end totals.
 */
import type { Finding } from '../core/errors.js';
import type { Msg } from '../core/i18n.js';
import { decodeField, decodeRecord, type Fields } from '../layout/codec.js';
import { dataRecordsOf, type FieldDef, type Layout, type RecordDef, type RecordKind, type WhereClause } from '../layout/types.js';
import type { FileRule, RecordChecker, RuleRecord } from './file-rules.js';

/** Running total that stays exact beyond 2^53. */
class Acc {
  private n = 0;
  private big = 0n;
  broken = false;
  add(v: number): void {
    this.n += v;
    if (this.n > 4e15) {
      this.big += BigInt(this.n);
      this.n = 0;
    }
  }
  addBig(v: bigint): void {
    this.big += v;
  }
  value(): bigint {
    return this.big + BigInt(this.n);
  }
  reset(): void {
    this.n = 0;
    this.big = 0n;
    this.broken = false;
  }
}

export interface TotalSpec {
  field: FieldDef;
  kind: 'count' | 'sum' | 'records' | 'groups';
  of: FieldDef | undefined;
  oncePer: FieldDef | undefined;
  where: (WhereClause & { def: FieldDef; num: number }) | undefined;
  /** the data record counted or summed (undefined for records / groups) */
  target: RecordDef | undefined;
  acc: Acc;
  /** oncePer: the previous key as text (undefined: none, or held in lastNum) */
  last: string | undefined;
  /** oncePer: the previous key as a number when it was all digits (N, ≤ 15 digits), else -1 */
  lastNum: number;
}

/** Parse the digits of an N field in place; -1 when not all digits (spaces skipped when blankOk). */
function readDigits(buf: Uint8Array, s: number, len: number, blankOk: boolean): number {
  let v = 0;
  for (let i = s; i < s + len; i++) {
    const b = buf[i]!;
    if (b >= 0x30 && b <= 0x39) v = v * 10 + (b - 0x30);
    else if (blankOk && b === 0x20) continue;
    else return -1;
  }
  return v;
}

/** The data record a total counts or sums: the one it names, else the layout's only one. */
function targetOf(layout: Layout, f: FieldDef): RecordDef | undefined {
  if (f.total === 'records' || f.total === 'groups') return undefined;
  return f.record !== undefined ? dataRecordsOf(layout).find((d) => d.id === f.record) : layout.records.data;
}

function specsOf(layout: Layout, rec: RecordDef | undefined): TotalSpec[] {
  if (!rec || !layout.records.data) return [];
  return rec.fields
    .filter((f) => f.total !== undefined)
    .map((f) => {
      const target = targetOf(layout, f);
      // records / groups refer to no data field; the fallback only keeps the lookups typed
      const data = target ?? layout.records.data!;
      return {
      field: f,
      target,
      kind: f.total!,
      of: f.of !== undefined ? data.byId.get(f.of) : undefined,
      oncePer: f.oncePer !== undefined ? data.byId.get(f.oncePer) : undefined,
      where: f.where ? { ...f.where, def: data.byId.get(f.where.field)!, num: f.where.numeric ? Number(f.where.value) : 0 } : undefined,
      acc: new Acc(),
      last: undefined,
      lastNum: -1,
      };
    });
}

/** Record kinds that may follow `k` (layout-xml.md: groups one / many). */
export function allowedNext(layout: Layout, k: RecordKind | 'start'): RecordKind[] {
  const r = layout.records;
  const many = layout.groups === 'many';
  const groupStart: RecordKind = r.header ? 'header' : 'data';
  switch (k) {
    case 'start':
      return [groupStart];
    case 'header':
      return many && r.trailer ? ['data', 'trailer'] : ['data'];
    case 'data': {
      const out: RecordKind[] = ['data'];
      if (r.trailer) out.push('trailer');
      else {
        if (many && r.header) out.push('header');
        if (r.end) out.push('end');
      }
      return out;
    }
    case 'trailer': {
      const out: RecordKind[] = [];
      if (many) out.push(groupStart);
      if (r.end) out.push('end');
      return out;
    }
    case 'end':
      return [];
  }
}

/** Whether a file whose last record is `last` is complete. */
export function isComplete(layout: Layout, last: RecordKind | 'start'): boolean {
  const r = layout.records;
  if (last === 'start') return false;
  const needed: RecordKind | undefined = r.end ? 'end' : r.trailer ? 'trailer' : undefined;
  return needed === undefined ? last === 'data' : last === needed;
}

/** Running totals of a file, by the layout's trailer and end total fields. */
export class Totals {
  readonly trailerSpecs: TotalSpec[];
  readonly endSpecs: TotalSpec[];
  groupRecords = 0;
  fileRecords = 0;
  groups = 0;

  constructor(layout: Layout) {
    this.trailerSpecs = specsOf(layout, layout.records.trailer);
    this.endSpecs = specsOf(layout, layout.records.end);
  }

  /** Count a record of `kind` coming after `last` (call before data()/expected()). */
  seen(kind: RecordKind, last: RecordKind | 'start'): void {
    this.fileRecords++;
    if (kind === 'header' || (kind === 'data' && (last === 'start' || last === 'trailer'))) {
      this.groups++;
      this.groupRecords = 0;
      for (const s of this.trailerSpecs) {
        s.acc.reset();
        s.last = undefined;
        s.lastNum = -1;
      }
    }
    this.groupRecords++;
  }

  /** Add a data record's values (`rec`: which data record; its bytes at `start`). */
  data(rec: RecordDef, buf: Uint8Array, start: number): void {
    accumulate(this.trailerSpecs, rec, buf, start);
    accumulate(this.endSpecs, rec, buf, start);
  }

  /** Expected value of a total field (null when a summed field was not digits). */
  expected(s: TotalSpec, kind: 'trailer' | 'end'): bigint | null {
    if (s.acc.broken) return null;
    if (s.kind === 'records') return BigInt(kind === 'end' ? this.fileRecords : this.groupRecords);
    if (s.kind === 'groups') return BigInt(this.groups);
    // modulo="true": a checksum kept modulo 10^length (inquiry-300's trailer totals)
    return s.field.modulo ? s.acc.value() % 10n ** BigInt(s.field.length) : s.acc.value();
  }
}

function accumulate(specs: TotalSpec[], rec: RecordDef, buf: Uint8Array, start: number): void {
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i]!;
    if (s.target !== rec) continue; // another data record's total, or records / groups
    const w = s.where;
    if (w !== undefined) {
      let match: boolean;
      if (w.numeric) {
        const v = readDigits(buf, start + w.def.offset, w.def.length, w.def.blankAllowed);
        if (v < 0) {
          s.acc.broken = true;
          continue;
        }
        match = w.op === '>' ? v > w.num : w.op === '=' ? v === w.num : v !== w.num;
      } else {
        const t = decodeField(w.def, buf, start);
        match = w.op === '=' ? t === w.value : t !== w.value;
      }
      if (!match) continue;
    }
    if (s.oncePer !== undefined) {
      const k = s.oncePer;
      // An all-digit N key decodes to its digits: compare it as a number, no string.
      // An all-digit text (full length) never equals the text of a key that is not.
      const num = k.type === 'N' && k.length <= 15 ? readDigits(buf, start + k.offset, k.length, false) : -1;
      if (num >= 0) {
        if (num === s.lastNum) continue;
        s.lastNum = num;
        s.last = undefined;
      } else {
        const key = decodeField(k, buf, start);
        if (key === s.last) continue;
        s.last = key;
        s.lastNum = -1;
      }
    }
    if (s.kind === 'count') {
      s.acc.add(1);
      continue;
    }
    const of = s.of!;
    if (of.length > 15) {
      const t = decodeField(of, buf, start);
      if (/^\d*$/.test(t)) s.acc.addBig(BigInt(t === '' ? 0 : t));
      else s.acc.broken = true;
      continue;
    }
    const v = readDigits(buf, start + of.offset, of.length, of.blankAllowed);
    if (v < 0) s.acc.broken = true;
    else s.acc.add(v);
  }
}

/** A field as people read it in messages: id and, in Japanese, its 項目名. */
function fieldLabel(f: FieldDef | undefined): Msg {
  if (!f) return { ja: '', en: '' };
  return { ja: f.name ? `${f.id}（${f.name}）` : f.id, en: f.id };
}

function describeTotal(s: TotalSpec): Msg {
  const m = describeTotalOf(s);
  const id = s.field.record;
  return id === undefined ? m : { ja: `${m.ja.replace('データレコード', `データレコード ${id} `)}${m.ja.includes('データレコード') ? '' : `（データレコード ${id}）`}`, en: `${m.en} (data record ${id})` };
}

function describeTotalOf(s: TotalSpec): Msg {
  const w = s.where ? ` where ${s.where.field}${s.where.op}${s.where.value}` : '';
  const wJa = s.where ? `（${s.where.field}${s.where.op}${s.where.value} のもの）` : '';
  const of = fieldLabel(s.of);
  const per = fieldLabel(s.oncePer);
  switch (s.kind) {
    case 'count':
      return s.oncePer
        ? { ja: `データレコードの ${per.ja} の数${wJa}`, en: `the number of distinct ${per.en}${w}` }
        : { ja: `データレコードの件数${wJa}`, en: `the number of data records${w}` };
    case 'sum':
      return s.oncePer
        ? { ja: `${of.ja} の合計（${per.ja} ごとに1回）${wJa}`, en: `the sum of ${of.en} (once per ${per.en})${w}` }
        : { ja: `データレコードの ${of.ja} の合計${wJa}`, en: `the sum of ${of.en} over the data records${w}` };
    case 'records':
      return { ja: 'レコード件数', en: 'the number of records' };
    case 'groups':
      return { ja: 'グループ（口座）の数', en: 'the number of groups' };
  }
}

const DATA_ONLY: readonly RecordKind[] = ['data'];

/** A record as rules see it: fields decoded on first access (from a copy of its bytes). */
class LazyRuleRecord implements RuleRecord {
  readonly kind: RecordKind;
  readonly #rec: RecordDef;
  #fields: Fields | undefined;
  readonly #copy: Uint8Array | undefined;
  constructor(
    readonly index: number,
    readonly offset: number,
    rec: RecordDef,
    fields: Fields | undefined,
    copy: Uint8Array | undefined,
  ) {
    this.kind = rec.kind;
    this.#rec = rec;
    this.#fields = fields;
    this.#copy = copy;
  }
  get fields(): Fields {
    if (!this.#fields) this.#fields = decodeRecord(this.#rec, this.#copy!, 0);
    return this.#fields;
  }
  fieldOffset(id: string): number {
    return this.offset + (this.#rec.byId.get(id)?.offset ?? 0);
  }
  def(id: string): FieldDef | undefined {
    return this.#rec.byId.get(id);
  }
}

export const KIND_JA: Record<RecordKind, string> = { header: 'ヘッダー', data: 'データ', trailer: 'トレーラー', end: 'エンド' };

export interface CheckerOptions {
  /** file rules to run (default none); each decides at the first record whether it applies */
  rules?: readonly FileRule[];
}

export class FileChecker {
  private readonly totals: Totals;
  private last: RecordKind | 'start' = 'start';
  private checkers: RecordChecker[] = [];
  private rulesStarted = false;
  private readonly rules: readonly FileRule[];

  constructor(
    private readonly layout: Layout,
    private readonly report: (f: Finding) => void,
    opts: CheckerOptions = {},
  ) {
    this.totals = new Totals(layout);
    this.rules = opts.rules ?? [];
  }

  private ruleRecord(rec: RecordDef, buf: Uint8Array, start: number, index: number, offset: number, fields: Fields | undefined): RuleRecord {
    const copy = fields ? undefined : Buffer.from(buf.subarray(start, start + this.layout.recordLength));
    return new LazyRuleRecord(index, offset, rec, fields, copy);
  }

  /** Feed one identified record. `fields` if already decoded. */
  record(rec: RecordDef, buf: Uint8Array, start: number, index: number, offset: number, fields?: Fields): void {
    const kind = rec.kind;
    // data after data is always allowed: no list to build for the bulk of a file
    const allowed = kind === 'data' && this.last === 'data' ? DATA_ONLY : allowedNext(this.layout, this.last);
    if (!allowed.includes(kind)) {
      this.report({
        code: 'record.order',
        record: index,
        offset,
        expected: allowed.length ? allowed.join(' | ') : '(end of file)',
        found: kind,
        message: {
          ja: `レコードの順序が不正です: ${KIND_JA[kind]}レコードはここに置けません（${allowed.length ? `期待: ${allowed.map((k) => KIND_JA[k]).join('または')}` : 'エンドレコードの後には何も置けません'}）`,
          en: `record order: a ${kind} record cannot come here (expected ${allowed.length ? allowed.join(' or ') : 'nothing after the end record'})`,
        },
      });
    }
    this.totals.seen(kind, this.last);

    if (!this.rulesStarted && this.rules.length > 0) {
      this.rulesStarted = true;
      const header = kind === 'header' ? (fields ?? decodeRecord(rec, buf, start)) : null;
      for (const rule of this.rules) {
        const c = rule(this.layout, header);
        if (c) this.checkers.push(c);
      }
    }

    if (kind === 'data') this.totals.data(rec, buf, start);
    else if (kind === 'trailer') this.compare(this.totals.trailerSpecs, 'trailer', rec, buf, start, index, offset);
    else if (kind === 'end') this.compare(this.totals.endSpecs, 'end', rec, buf, start, index, offset);

    if (this.checkers.length) {
      const rr = this.ruleRecord(rec, buf, start, index, offset, fields);
      for (const c of this.checkers) {
        if (kind === 'header') c.header?.(rr, this.report);
        else if (kind === 'data') c.data?.(rr, this.report);
        else if (kind === 'trailer') c.trailer?.(rr, this.report);
        else c.endRecord?.(rr, this.report);
      }
    }
    this.last = kind;
  }

  private compare(specs: TotalSpec[], kind: 'trailer' | 'end', rec: RecordDef, buf: Uint8Array, start: number, index: number, offset: number): void {
    for (const s of specs) {
      const expectedN = this.totals.expected(s, kind);
      if (expectedN === null) continue; // a summed field was not digits: reported there
      const f = s.field;
      if (readDigits(buf, start + f.offset, f.length, f.blankAllowed) < 0) continue; // reported by checkRecord
      const storedText = decodeField(f, buf, start);
      const storedN = BigInt(storedText === '' ? 0 : storedText);
      if (storedN === expectedN) continue;
      const diff = storedN - expectedN;
      const what = describeTotal(s);
      this.report({
        code: 'total.mismatch',
        record: index,
        offset: offset + f.offset,
        field: f.id,
        expected: expectedN.toString().padStart(f.length, '0'),
        found: storedText,
        message: {
          ja: `${KIND_JA[rec.kind]}レコードの ${f.id}${f.name ? `（${f.name}）` : ''} が${what.ja}と ${diff > 0n ? '+' : ''}${diff.toLocaleString('ja-JP')} 違います`,
          en: `${rec.kind} field ${f.id} differs from ${what.en} by ${diff > 0n ? '+' : ''}${diff.toLocaleString('en-US')}`,
        },
      });
    }
  }

  /** Call after the last record: a missing trailer / end record, finishing rules. */
  finish(endOffset: number, records: number): void {
    if (!isComplete(this.layout, this.last)) {
      const exp = this.last === 'start' ? (this.layout.records.header ? 'header' : 'data') : allowedNext(this.layout, this.last).filter((k) => k !== 'data').join(' | ') || 'data';
      this.report({
        code: 'record.missing',
        record: records,
        offset: endOffset,
        expected: exp,
        found: '(end of file)',
        message: {
          ja: `ファイルが途中で終わっています（バイト位置 ${endOffset}）: ${exp} レコードがありません`,
          en: `the file ends early (byte offset ${endOffset}): a ${exp} record is missing`,
        },
      });
    }
    for (const c of this.checkers) c.finish?.(this.report);
  }
}
