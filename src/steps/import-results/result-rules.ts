/**
 * Rules 3–6 of a seizure result file (shared/spec/seizure-120.md "Rules a result file
 * must satisfy") plus the record-structure rules of the same page (records of one
 * 依頼番号 consecutive, 枝番 from 01 without gaps, one 差押限度額 per request).
 *
 * Pure: works on decoded records ({index, offset, kind, fields}) and the layout's field
 * offsets; knows nothing about files or the database. Used by `validate` and `inspect`
 * (as a file rule passed to the format engine, `resultFileRule`) and by `import results`.
 *
 * Streaming: feed records in file order with push(), then finish(). Memory is a few
 * counters plus the set of request numbers already closed (a sorted Float64Array while
 * the file is in ascending order — the normal case — else a Set).
 *
 * Every finding names record (0-based), byte offset of the field in the file, field id,
 * expected and found. None of the fields these rules look at is personal data.
 */
import type { Finding } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { isBusinessDay } from '../../domain/calendar.js';
import { RESULT_CODES, SEIZING_CODES } from '../../domain/vocabulary.js';
import type { Layout, RecordKind } from '../../layout/types.js';
import { pushCheckerRule, type FileRule } from '../../file/file-rules.js';
import { yen } from '../../core/yen.js';
import { BoundedMemo } from '../../core/memo.js';

/** One decoded record as the format engine's reader yields it. */
export interface DecodedRecord {
  index: number;
  /** byte offset of the record's first byte in the file */
  offset: number;
  kind: RecordKind;
  fields: Readonly<Record<string, string>>;
}

/** 結果コード a result record may carry (00 is for requests only). */
const RESULT_CODE_SET: ReadonlySet<string> = new Set(RESULT_CODES);


export interface ResultRuleOptions {
  /**
   * The format engine checks the same file (validate, import): leave to it what the
   * layout declares — trailer fields with `total=` and a 結果コード outside the field's
   * `values=` — so a finding is not reported twice. Default false: everything is
   * checked here.
   */
  engine?: boolean;
  /** business-day test (default: domain/calendar isBusinessDay) */
  isBusinessDay?: (iso: string) => boolean;
}

/** Value of an all-digit string, or -1 when it is empty or has any other character. */
export function digitsValue(s: string | undefined): number {
  if (s === undefined || s.length === 0) return -1;
  let v = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** YYYYMMDD → ISO when it is a real date, else null. */
export function ymdToIso(s: string): string | null {
  if (s.length !== 8 || digitsValue(s) < 0) return null;
  const y = Number(s.slice(0, 4));
  const m = Number(s.slice(4, 6));
  const d = Number(s.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return null;
  const dim = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > dim) return null;
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
}


/**
 * Set of numbers seen: a sorted typed array while values arrive ascending (binary
 * search), converted to a Set the first time one arrives out of order.
 */
class SeenNumbers {
  private arr = new Float64Array(1024);
  private n = 0;
  private set: Set<number> | null = null;

  has(v: number): boolean {
    if (this.set) return this.set.has(v);
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const x = this.arr[mid]!;
      if (x === v) return true;
      if (x < v) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  add(v: number): void {
    if (this.set) {
      this.set.add(v);
      return;
    }
    if (this.n > 0 && v <= this.arr[this.n - 1]!) {
      this.set = new Set(this.arr.subarray(0, this.n));
      this.set.add(v);
      this.arr = new Float64Array(0);
      return;
    }
    if (this.n === this.arr.length) {
      const next = new Float64Array(this.arr.length * 2);
      next.set(this.arr);
      this.arr = next;
    }
    this.arr[this.n++] = v;
  }
}

interface FieldPos {
  [id: string]: number | undefined;
}

/** Field offsets inside each record kind (undefined: the layout lacks the field). */
function offsets(layout: Layout, kind: RecordKind): FieldPos {
  const out: FieldPos = {};
  const rec = layout.records[kind];
  if (rec) for (const f of rec.fields) out[f.id] = f.offset;
  return out;
}

/**
 * Streaming checker of rules 3–6 and the request structure. Findings go to `report`
 * as they are found (trailer findings when the trailer arrives, a request's over-seizure
 * at the record that crosses the limit).
 */
class ResultRules {
  private readonly dat: FieldPos;
  private readonly trl: FieldPos;
  private readonly declaredTotals: Set<string>;
  /** 結果コード values the layout allows (engine mode), else null */
  private readonly declaredCodes: Set<string> | null;
  private readonly businessDay: (iso: string) => boolean;
  private readonly bdCache = new Map<string, boolean>();
  /** ymdToIso by the 8-digit text (a file has few distinct 取立日) */
  private readonly isoCache = new BoundedMemo<string, string | null>(4096);

  // header
  private mode: '1' | '2' | null = null;
  private executionIso: string | null = null;

  // current request
  private curReq = -1;
  private curSub = 0;
  private curLimit = -1;
  private curSeized = 0;
  private curOver = false;
  private readonly closed = new SeenNumbers();

  // running totals for rule 6
  private count = 0;
  private limitTotal = 0;
  private seizedCount = 0;
  private seizedTotal = 0;
  private collectedTotal = 0;
  /** a data amount could not be read: the affected totals are not compared (the engine reports the digit error) */
  private badLimit = false;
  private badSeized = false;
  private badCollected = false;
  private trailerSeen = false;

  constructor(
    layout: Layout,
    private readonly report: (f: Finding) => void,
    opts: ResultRuleOptions = {},
  ) {
    this.dat = offsets(layout, 'data');
    this.trl = offsets(layout, 'trailer');
    this.declaredTotals = new Set();
    this.declaredCodes = null;
    if (opts.engine) {
      for (const f of layout.records.trailer?.fields ?? []) if (f.total !== undefined) this.declaredTotals.add(f.id);
      const v = layout.records.data?.byId.get('resultCode')?.values;
      if (v !== undefined) this.declaredCodes = new Set(v);
    }
    this.businessDay = opts.isBusinessDay ?? isBusinessDay;
  }

  private emit(rec: DecodedRecord, pos: FieldPos, field: string, code: string, message: Msg, expected: string, found: string): void {
    this.report({ code, record: rec.index, offset: rec.offset + (pos[field] ?? 0), field, expected, found, message });
  }

  private isBd(iso: string): boolean {
    let v = this.bdCache.get(iso);
    if (v === undefined) {
      v = this.businessDay(iso);
      this.bdCache.set(iso, v);
    }
    return v;
  }

  push(rec: DecodedRecord): void {
    switch (rec.kind) {
      case 'header':
        this.header(rec);
        break;
      case 'data':
        this.data(rec);
        break;
      case 'trailer':
        this.trailer(rec);
        break;
      default:
        break;
    }
  }

  /** Call after the last record (closes the last request). */
  finish(): void {
    this.closeRequest();
  }

  private header(rec: DecodedRecord): void {
    const m = rec.fields['collectionMode'];
    this.mode = m === '1' || m === '2' ? m : null;
    this.executionIso = ymdToIso(rec.fields['executionDate'] ?? '');
  }

  private closeRequest(): void {
    if (this.curReq >= 0) this.closed.add(this.curReq);
    this.curReq = -1;
  }

  private data(rec: DecodedRecord): void {
    const f = rec.fields;
    const D = this.dat;
    const reqNo = digitsValue(f['requestNumber']);
    const sub = digitsValue(f['subNumber']);
    const limit = digitsValue(f['limitAmount']);
    const code = f['resultCode'] ?? '';
    const seized = digitsValue(f['seizedAmount']);
    const collected = digitsValue(f['collectedAmount']);
    const dateText = f['collectionDate'] ?? '';

    // ---- rule 6 running sums
    this.count++;
    if (seized < 0) this.badSeized = true;
    else {
      this.seizedTotal += seized;
      if (seized > 0) this.seizedCount++;
    }
    if (collected < 0) this.badCollected = true;
    else this.collectedTotal += collected;

    // ---- structure: consecutive requests, 枝番 01.. without gaps, one limit per request
    if (reqNo >= 0) {
      if (reqNo === this.curReq) {
        if (sub >= 0 && sub !== this.curSub + 1) {
          this.emit(rec, D, 'subNumber', 'result.sub-sequence',
            { ja: `依頼番号 ${reqNo} の枝番が連続していません（01から欠番なく昇順であること）`, en: `the 枝番 of request ${reqNo} are not consecutive (01 upwards without gaps)` },
            pad(this.curSub + 1, 2), f['subNumber'] ?? '');
        }
        if (sub >= 0) this.curSub = sub;
        if (limit >= 0 && this.curLimit >= 0 && limit !== this.curLimit) {
          this.emit(rec, D, 'limitAmount', 'result.limit-differs',
            { ja: `依頼番号 ${reqNo} の差押限度額が最初のレコードと異なります`, en: `the 差押限度額 of request ${reqNo} differs from its first record` },
            pad(this.curLimit, 12), f['limitAmount'] ?? '');
        }
      } else {
        this.closeRequest();
        if (this.closed.has(reqNo)) {
          this.emit(rec, D, 'requestNumber', 'result.request-not-consecutive',
            { ja: `依頼番号 ${reqNo} のレコードが連続していません（同じ依頼番号のレコードはまとめて並べること）`, en: `the records of request ${reqNo} are not consecutive` },
            `(${reqNo} 以外 / not ${reqNo})`, f['requestNumber'] ?? '');
        }
        this.curReq = reqNo;
        this.curSub = sub >= 0 ? sub : 1;
        this.curLimit = limit;
        this.curSeized = 0;
        this.curOver = false;
        if (sub >= 0 && sub !== 1) {
          this.emit(rec, D, 'subNumber', 'result.sub-sequence',
            { ja: `依頼番号 ${reqNo} の最初の枝番は 01 でなければなりません`, en: `the first 枝番 of request ${reqNo} must be 01` },
            '01', f['subNumber'] ?? '');
        }
        if (limit >= 0) this.limitTotal += limit;
        else this.badLimit = true;
      }
    } else if (limit < 0) this.badLimit = true;

    // ---- rule 3: result code and seized amount
    if (code === '00') {
      this.emit(rec, D, 'resultCode', 'result.code-unprocessed',
        { ja: '結果コード 00（未処理）は結果ファイルに使えません。銀行に処理済みのファイルを依頼してください', en: 'result code 00 (not processed) is not allowed in a result file; ask the bank for the processed file' },
        RESULT_CODES.join(','), code);
    } else if (!RESULT_CODE_SET.has(code)) {
      if (this.declaredCodes === null || this.declaredCodes.has(code)) this.emit(rec, D, 'resultCode', 'result.code-unknown',
        { ja: '結果コードが規定の値ではありません', en: 'unknown result code' },
        RESULT_CODES.join(','), code);
    } else if (seized >= 0) {
      if ((code === '01' || code === '02') && seized === 0) {
        this.emit(rec, D, 'seizedAmount', 'result.seized-missing',
          { ja: `結果コード ${code}（差押成立）なのに差押金額が 0 です`, en: `result code ${code} (seized) with a seized amount of 0` },
          '> 0', f['seizedAmount'] ?? '');
      } else if (!SEIZING_CODES.has(code) && seized > 0) {
        this.emit(rec, D, 'seizedAmount', 'result.seized-not-allowed',
          { ja: `結果コード ${code} では差押金額は 0 でなければなりません`, en: `result code ${code} must have a seized amount of 0` },
          pad(0, (f['seizedAmount'] ?? '').length || 12), f['seizedAmount'] ?? '');
      }
    }

    // ---- rule 4: Σ seized per request ≤ limit
    if (reqNo >= 0 && reqNo === this.curReq && seized > 0) {
      this.curSeized += seized;
      if (!this.curOver && this.curLimit >= 0 && this.curSeized > this.curLimit) {
        this.curOver = true;
        this.emit(rec, D, 'seizedAmount', 'result.over-seizure',
          {
            ja: `依頼番号 ${reqNo} の差押金額の合計 ${yen(this.curSeized)} が差押限度額 ${yen(this.curLimit)} を超えています（超過差押）`,
            en: `the seized amounts of request ${reqNo} total ${yen(this.curSeized)}, more than the limit ${yen(this.curLimit)} (over-seizure)`,
          },
          `≤ ${this.curLimit - (this.curSeized - seized)}`, f['seizedAmount'] ?? '');
      }
    }

    // ---- rule 5: collection
    if (this.mode === '2') {
      if (collected > 0) {
        this.emit(rec, D, 'collectedAmount', 'result.collected-while-deferred',
          { ja: '取立保留（取立区分 2）のファイルでは取立金額は 0 でなければなりません', en: 'a deferred-collection file (取立区分 2) must have a collected amount of 0' },
          pad(0, (f['collectedAmount'] ?? '').length || 12), f['collectedAmount'] ?? '');
      }
      if (dateText !== '00000000') {
        this.emit(rec, D, 'collectionDate', 'result.date-while-deferred',
          { ja: '取立保留（取立区分 2）のファイルでは取立日は 00000000 でなければなりません', en: 'a deferred-collection file (取立区分 2) must have 取立日 00000000' },
          '00000000', dateText);
      }
    } else if (this.mode === '1' && seized >= 0 && collected >= 0) {
      if (collected !== seized) {
        this.emit(rec, D, 'collectedAmount', 'result.collected-differs',
          { ja: '即時取立（取立区分 1）では取立金額は差押金額と等しくなければなりません', en: 'with immediate collection (取立区分 1) the collected amount must equal the seized amount' },
          pad(seized, (f['collectedAmount'] ?? '').length || 12), f['collectedAmount'] ?? '');
      }
      if (collected === 0) {
        if (dateText !== '00000000') {
          this.emit(rec, D, 'collectionDate', 'result.date-without-collection',
            { ja: '取立金額が 0 のとき取立日は 00000000 でなければなりません', en: '取立日 must be 00000000 when nothing was collected' },
            '00000000', dateText);
        }
      } else {
        const iso = this.isoCache.get(dateText, dateText, ymdToIso);
        if (iso === null) {
          this.emit(rec, D, 'collectionDate', 'result.date-invalid',
            { ja: '取立金額があるのに取立日が正しい日付（YYYYMMDD）ではありません', en: 'collected money but 取立日 is not a real date (YYYYMMDD)' },
            'YYYYMMDD', dateText);
        } else if (this.executionIso !== null && iso < this.executionIso) {
          this.emit(rec, D, 'collectionDate', 'result.date-before-execution',
            { ja: `取立日が差押執行日 ${this.executionIso} より前です`, en: `取立日 is before the execution date ${this.executionIso}` },
            `≥ ${this.executionIso.replaceAll('-', '')}`, dateText);
        } else if (!this.isBd(iso)) {
          this.emit(rec, D, 'collectionDate', 'result.date-not-business-day',
            { ja: `取立日 ${iso} は銀行営業日ではありません（土日・祝日・12/31〜1/3）`, en: `取立日 ${iso} is not a bank business day (weekend, holiday or 12/31–1/3)` },
            '銀行営業日 / bank business day', dateText);
        }
      }
    }
  }

  private trailer(rec: DecodedRecord): void {
    this.closeRequest();
    if (this.trailerSeen) return; // a second trailer is a framing error the engine reports
    this.trailerSeen = true;
    const f = rec.fields;
    const check = (field: string, actual: number, bad: boolean, what: Msg, money: boolean): void => {
      if (bad || this.declaredTotals.has(field) || this.trl[field] === undefined) return;
      const text = f[field] ?? '';
      const v = digitsValue(text);
      if (v === actual) return;
      const len = text.length || 12;
      const diff = v >= 0 ? v - actual : null;
      const diffMsg: Msg =
        diff === null
          ? { ja: '', en: '' }
          : money
            ? { ja: `（差 ${diff > 0 ? '+' : '−'}${yen(Math.abs(diff))}）`, en: ` (off by ${diff > 0 ? '+' : '-'}${yen(Math.abs(diff))})` }
            : { ja: `（差 ${diff > 0 ? '+' : '−'}${Math.abs(diff)} 件）`, en: ` (off by ${diff > 0 ? '+' : '-'}${Math.abs(diff)})` };
      this.emit(rec, this.trl, field, 'result.trailer-total',
        {
          ja: `トレーラの${what.ja}がデータレコードから計算した値と一致しません${diffMsg.ja}。銀行に正しいファイルを依頼してください`,
          en: `the trailer's ${what.en} differs from the value computed from the data records${diffMsg.en}; ask the bank for a corrected file`,
        },
        pad(actual, len), text);
    };
    check('recordCount', this.count, false, { ja: '依頼件数', en: 'record count' }, false);
    check('limitTotal', this.limitTotal, this.badLimit, { ja: '差押限度額合計', en: 'limit total' }, true);
    check('seizedCount', this.seizedCount, this.badSeized, { ja: '差押成立件数', en: 'seized count' }, false);
    check('seizedTotal', this.seizedTotal, this.badSeized, { ja: '差押金額合計', en: 'seized total' }, true);
    check('collectedTotal', this.collectedTotal, this.badCollected, { ja: '取立金額合計', en: 'collected total' }, true);
  }
}

function pad(n: number, len: number): string {
  return String(n).padStart(len, '0');
}

/** Convenience: all findings of rules 3–6 over a sequence of records. */
export function checkResultRecords(layout: Layout, records: Iterable<DecodedRecord>, opts: ResultRuleOptions = {}): Finding[] {
  const out: Finding[] = [];
  const rules = new ResultRules(layout, (f) => out.push(f), opts);
  for (const r of records) rules.push(r);
  rules.finish();
  return out;
}

/** Whether a decoded header is a seizure result (種別コード 52). */
function isResultHeader(fields: Readonly<Record<string, string>>): boolean {
  return fields['typeCode'] === '52';
}

/**
 * Rules 3–6 fed from the records the scanner already decoded (import results: its full
 * check and its fast path's worker), instead of through the format engine's file-rule
 * hook (the scanner is given no file rules): the hook wraps every record in a fresh object
 * with a getter and two closures, which cost ≈6 s of GC per million records. Same rule object as `resultFileRule` (engine mode), started the
 * same way (only when the first record is a result header), reporting through the
 * scanner: the same findings in the same order.
 */
export function resultRulesFeed(layout: Layout, report: (f: Finding) => void): { push(rec: DecodedRecord): void; finish(): void } {
  let rules: ResultRules | null = null;
  let started = false;
  return {
    push(rec) {
      if (!started) {
        started = true;
        if (layout.records.data?.byId.has('resultCode') && rec.kind === 'header' && isResultHeader(rec.fields)) rules = new ResultRules(layout, report, { engine: true });
      }
      rules?.push(rec);
    },
    finish() {
      rules?.finish();
    },
  };
}

// ---------------------------------------------------------------- the file rule

/**
 * Rules 3–6 as a file rule of the format engine, for readers given it (`validate`,
 * `inspect`, src/cli/file-rules.ts): any layout whose data record carries `resultCode`
 * and whose header says 種別コード 52. Trailer totals the layout declares are left to
 * the engine (no duplicate findings).
 */
export const resultFileRule: FileRule = (layout, header) =>
  !layout.records.data?.byId.has('resultCode') || header === null || !isResultHeader(header) ? null : pushCheckerRule(header, (report) => new ResultRules(layout, report, { engine: true }));
