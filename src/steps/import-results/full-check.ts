/**
 * The full check of a result file (docs/adr/0050-result-import-protocol.md): run when the
 * fast path (import-results.ts importClean) steps aside — the file has a finding, or a
 * record that does not match. One streaming pass over the archive's copy: framing, layout
 * checks, rules 3–6 (result-rules.ts, fed the decoded records), rule 1 at the header
 * (rule1.ts) and rule 2 (rule2.ts) as an ordered merge against the batch's request records
 * (point look-ups once the file leaves key order); matched results kept as compact typed-array
 * tuples. Every finding is reported, up to the cap; nothing is stored here.
 */
import { createHash } from 'node:crypto';
import { AppError, EXIT, rejected, type Finding } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { maskAccount, maskedAccountDifference } from '../../core/mask.js';
import type { Db } from '../../db/connection.js';
import { expectedLookup, expectedRange, iterateExpected, refuseSameFile, type ExpectedRecord, type WrittenFileRow } from '../../db/results.js';
import { scanInto } from '../../file/reader.js';
import { RecordScanner, type ReadRecord } from '../../file/scanner.js';
import type { Layout, RecordDef } from '../../layout/types.js';
import { digitsValue, resultRulesFeed } from './result-rules.js';
import { findTarget } from './rule1.js';
import { rule2Mismatches, type Rule2Field } from './rule2.js';

/** Compact per-record results, preallocated to the number of request records. */
export class Tuples {
  n = 0;
  /** request record key (RECORD_KEY_SQL) */
  readonly key: Float64Array;
  readonly code: Uint8Array;
  readonly seized: Float64Array;
  readonly collected: Float64Array;
  /** YYYYMMDD as an integer, 0 = none */
  readonly date: Int32Array;
  constructor(cap: number) {
    this.key = new Float64Array(cap);
    this.code = new Uint8Array(cap);
    this.seized = new Float64Array(cap);
    this.collected = new Float64Array(cap);
    this.date = new Int32Array(cap);
  }
}

const key = (req: number, sub: number): number => req * 100 + sub;
const showKey = (req: number, sub: number): string => `${String(req).padStart(10, '0')}-${String(sub).padStart(2, '0')}`;

/** The fields of rule 2 as the full check names them. */
const RULE2_LABEL: Record<Rule2Field, Msg> = {
  branchCode: { ja: '支店番号', en: 'branch number' },
  accountType: { ja: '預金種目', en: 'account type' },
  accountNumber: { ja: '口座番号', en: 'account number' },
  limitAmount: { ja: '差押限度額', en: 'limit amount' },
};

/** What the full check found in a clean file: what store() writes. */
export interface Checked {
  sha256: string;
  target: WrittenFileRow;
  tuples: Tuples;
  records: number;
}

function fileFinding(fileName: string, f: Finding): Finding {
  return { file: fileName, ...f };
}

/**
 * The full check of a result file (rules 1–6, every finding up to the cap), for a file the
 * fast path stepped aside for: one pass over the archive's copy (FullCheck), then the
 * file-level verdicts — the same bytes imported before (exit 4), request records without a
 * result, a file without a header — and the refusal (exit 3) or what to store.
 */
export function checkFile(db: Db, file: string, fileName: string, layout: Layout, maxFindings: number): Checked {
  const D = layout.records.data;
  if (!D || !D.byId.has('resultCode') || !layout.records.header) {
    throw new AppError({
      code: 'results.layout',
      exit: EXIT.usage,
      msg: { ja: `レイアウト ${layout.id} は差押結果ファイルのレイアウトではありません`, en: `layout ${layout.id} is not a seizure result layout` },
    });
  }
  const check = new FullCheck(db, layout, D, maxFindings);
  const hash = createHash('sha256');
  let summary;
  try {
    summary = scanInto(file, check.scanner, (c) => hash.update(c));
    check.rules.finish();
  } finally {
    check.requestRecords?.close();
  }
  const sha256 = hash.digest('hex');

  // the same bytes again: a conflict even when the header check did not catch it
  refuseSameFile(db, 'results', sha256, fileName);

  const findings = summary.findings;
  let more = summary.moreFindings;
  const t = check.target;
  if (t && check.tuples.n < check.expectedCount) {
    for (const f of check.missing(t, summary)) {
      if (findings.length < maxFindings) findings.push(f);
      else more++;
    }
  }
  if (!check.headerDone && findings.length === 0) {
    findings.push({ code: 'result.no-header', record: 0, offset: 0, message: { ja: 'ヘッダーレコードがありません', en: 'no header record' } });
  }
  if (findings.length > 0 || t === null) {
    const total = findings.length + more;
    throw rejected(
      'results.rejected',
      {
        ja: `結果ファイル ${fileName} を取り込めません: ${total} 件の誤りがあります。何も登録していません。銀行に正しいファイルを依頼するか、ファイルを確認してください`,
        en: `result file ${fileName} was refused: ${total} problem(s); nothing was stored. Ask the bank for a corrected file or check the file`,
      },
      findings.map((f) => fileFinding(fileName, f)),
      { file: fileName },
      more,
    );
  }
  return { sha256, target: t, tuples: check.tuples, records: check.records };
}

/** A request record key seen in the file: one bit per key of the file's range (keys are request_id × 100 + 枝番: sparse). */
class SeenKeys {
  private bits = new Uint8Array(0);
  private min = 0;
  /** make room for the keys min…max, none seen */
  size(min: number, max: number): void {
    this.min = min;
    this.bits = new Uint8Array((Math.max(0, max - min + 1) >> 3) + 1);
  }
  has(k: number): boolean {
    return ((this.bits[(k - this.min) >> 3] as number) & (1 << ((k - this.min) & 7))) !== 0;
  }
  add(k: number): void {
    this.bits[(k - this.min) >> 3] = (this.bits[(k - this.min) >> 3] as number) | (1 << ((k - this.min) & 7));
  }
}

/** RequestRecords.find: the key of the record before, not among the request records in order. */
const REPEATED = Symbol('repeated');

/**
 * The request records of the file as the result records ask for them: an ordered merge
 * while the file is in key order (依頼番号, 枝番), point look-ups once it leaves it.
 */
class RequestRecords {
  private it: IterableIterator<ExpectedRecord> | null;
  private cur: ExpectedRecord | undefined;
  private lookup: ((r: number, s: number) => ExpectedRecord | undefined) | null = null;
  private lastKey = -1;
  constructor(
    private readonly db: Db,
    private readonly target: WrittenFileRow,
  ) {
    this.it = iterateExpected(db, target.batch_id, target.first_request, target.last_request);
    this.next();
  }
  private next(): void {
    const n = this.it!.next();
    this.cur = n.done ? undefined : n.value;
  }
  /** The request record of a result record (key k = key(req, sub)); undefined: none; REPEATED: a duplicate of the record before. */
  find(k: number, req: number, sub: number): ExpectedRecord | undefined | typeof REPEATED {
    let exp: ExpectedRecord | undefined;
    if (this.lookup === null) {
      if (k < this.lastKey) {
        // out of key order: stop the merge, look records up one by one
        this.close();
        this.cur = undefined;
        this.lookup = expectedLookup(this.db, this.target.batch_id);
      } else {
        while (this.cur !== undefined && key(this.cur.request_number, this.cur.sub_number) < k) this.next();
        if (this.cur !== undefined && key(this.cur.request_number, this.cur.sub_number) === k) {
          exp = this.cur;
          this.next();
        } else if (k === this.lastKey) {
          return REPEATED; // duplicate of the previous record
        }
      }
    }
    if (this.lookup !== null) exp = this.lookup(req, sub);
    this.lastKey = Math.max(this.lastKey, k);
    return exp;
  }
  close(): void {
    this.it?.return?.();
    this.it = null;
  }
}

/**
 * One pass of the full check over a result file: the scanner (layout checks), rules 3–6
 * fed the records it decodes, rule 1 at the header and rule 2 for every data record; the
 * matched results kept as compact tuples. Findings go to the scanner's report.
 */
class FullCheck {
  readonly scanner: RecordScanner;
  readonly rules: { push(rec: ReadRecord): void; finish(): void };
  /** the request file this result file answers (rule 1), once its header was read */
  target: WrittenFileRow | null = null;
  headerDone = false;
  requestRecords: RequestRecords | null = null;
  tuples = new Tuples(0);
  /** data records read */
  records = 0;
  /** request records of the file */
  expectedCount = 0;
  private readonly seen = new SeenKeys();
  private trailerAt: { index: number; offset: number } | null = null;
  private readonly brLen: number;
  private readonly accLen: number;

  constructor(
    private readonly db: Db,
    private readonly layout: Layout,
    private readonly D: RecordDef,
    maxFindings: number,
  ) {
    this.brLen = D.byId.get('branchCode')?.length ?? 3;
    this.accLen = D.byId.get('accountNumber')?.length ?? 7;
    this.scanner = new RecordScanner(layout, (rec) => this.record(rec), { raw: false, maxFindings, onFinding: undefined });
    this.rules = resultRulesFeed(layout, this.scanner.report);
  }

  private off(id: string): number {
    return this.D.byId.get(id)?.offset ?? 0;
  }

  private record(rec: ReadRecord): void {
    this.rules.push(rec);
    if (rec.kind === 'header' && !this.headerDone) {
      this.header(rec);
      return;
    }
    if (rec.kind === 'trailer' && this.trailerAt === null) this.trailerAt = { index: rec.index, offset: rec.offset };
    if (rec.kind !== 'data') return;
    this.records++;
    if (this.target) this.data(rec, this.target);
  }

  /** Rule 1, then the file's request records: their range, count and order. */
  private header(rec: ReadRecord): void {
    this.headerDone = true;
    const target = findTarget(this.db, rec.fields, rec, this.layout, this.scanner.report);
    this.target = target;
    if (!target) return;
    const rg = expectedRange(this.db, target.batch_id, target.first_request, target.last_request);
    this.expectedCount = rg.n;
    this.seen.size(rg.min, rg.max);
    this.tuples = new Tuples(rg.n);
    this.requestRecords = new RequestRecords(this.db, target);
  }

  /** Rule 2 for one data record; a matching record is kept. */
  private data(rec: ReadRecord, target: WrittenFileRow): void {
    const fl = rec.fields;
    const req = digitsValue(fl['requestNumber']);
    const sub = digitsValue(fl['subNumber']);
    if (req < 0 || sub < 0) return; // layout check reported the digits
    const exp = this.requestRecords!.find(key(req, sub), req, sub);
    if (exp === REPEATED) {
      this.duplicate(rec, req, sub);
      return;
    }
    if (exp === undefined) {
      this.unknown(rec, req, sub, target);
      return;
    }
    if (this.seen.has(exp.key)) {
      this.duplicate(rec, req, sub);
      return;
    }
    this.seen.add(exp.key);
    this.compare(rec, exp, req, sub);
    const t = this.tuples;
    const i = t.n++;
    t.key[i] = exp.key;
    t.code[i] = Math.max(0, digitsValue(fl['resultCode']));
    t.seized[i] = Math.max(0, digitsValue(fl['seizedAmount']));
    t.collected[i] = Math.max(0, digitsValue(fl['collectedAmount']));
    t.date[i] = Math.max(0, digitsValue(fl['collectionDate']));
  }

  private unknown(rec: ReadRecord, req: number, sub: number, target: WrittenFileRow): void {
    this.scanner.report({
      code: 'result.unknown-record',
      record: rec.index,
      offset: rec.offset + this.off('requestNumber'),
      field: 'requestNumber',
      expected: '(依頼ファイルにある依頼番号＋枝番 / a 依頼番号+枝番 of the request file)',
      found: showKey(req, sub),
      message: {
        ja: `依頼番号 ${req} 枝番 ${sub} は依頼ファイル（${target.batch_id}、ファイル番号 ${target.file_number}）にありません`,
        en: `request ${req} sub ${sub} is not in the request file (${target.batch_id}, file number ${target.file_number})`,
      },
    });
  }

  private duplicate(rec: ReadRecord, req: number, sub: number): void {
    this.scanner.report({
      code: 'result.duplicate-record',
      record: rec.index,
      offset: rec.offset + this.off('requestNumber'),
      field: 'requestNumber',
      expected: '(依頼番号＋枝番ごとに1件 / one record per 依頼番号+枝番)',
      found: showKey(req, sub),
      message: { ja: `依頼番号 ${req} 枝番 ${sub} の結果が重複しています`, en: `request ${req} sub ${sub} has more than one result record` },
    });
  }

  /** Rule 2's fields (rule2.ts): a finding per field that differs, the account masked. */
  private compare(rec: ReadRecord, exp: ExpectedRecord, req: number, sub: number): void {
    for (const m of rule2Mismatches(rec.fields, exp, this.brLen, this.accLen)) {
      if (m.field !== 'accountNumber') {
        this.mismatch(rec, req, sub, m.field, m.expected, m.found, RULE2_LABEL[m.field], rec.offset + this.off(m.field), null);
        continue;
      }
      // personal: masked values, the digit that differs and the offset of its byte only
      const d = maskedAccountDifference(m.expected, m.found);
      this.mismatch(rec, req, sub, 'accountNumber', d.expected, d.found, RULE2_LABEL.accountNumber, rec.offset + this.off('accountNumber') + (d.position ?? 1) - 1, d.note);
    }
  }

  private mismatch(rec: ReadRecord, req: number, sub: number, field: string, expected: string, found: string, what: Msg, at: number, note: Msg | null): void {
    this.scanner.report({
      code: 'result.record-mismatch',
      record: rec.index,
      offset: at,
      field,
      expected,
      found,
      message: {
        ja: `依頼番号 ${req} 枝番 ${sub} の${what.ja}が依頼ファイルと一致しません${note ? `（${note.ja}）` : ''}`,
        en: `the ${what.en} of request ${req} sub ${sub} differs from the request file${note ? ` (${note.en})` : ''}`,
      },
    });
  }

  /**
   * A finding for every request record of the file no result record answered, located at
   * the trailer's record count (the file has fewer results than requests), else at the end.
   */
  *missing(t: WrittenFileRow, summary: { records: number; bytes: number }): Generator<Finding> {
    const ta = this.trailerAt;
    const T = this.layout.records.trailer;
    const anchor = ta
      ? { record: ta.index, offset: ta.offset + (T?.byId.get('recordCount')?.offset ?? 0), field: T?.byId.has('recordCount') ? 'recordCount' : 'requestNumber' }
      : { record: Math.max(0, summary.records - 1), offset: summary.bytes, field: 'requestNumber' };
    for (const e of iterateExpected(this.db, t.batch_id, t.first_request, t.last_request)) {
      if (this.seen.has(e.key)) continue;
      yield {
        code: 'result.missing-record',
        record: anchor.record,
        offset: anchor.offset,
        field: anchor.field,
        expected: showKey(e.request_number, e.sub_number),
        found: '(なし / none)',
        message: {
          ja: `依頼番号 ${e.request_number} 枝番 ${e.sub_number}（口座 ${maskAccount(e.account_number)}）の結果レコードがありません`,
          en: `no result record for request ${e.request_number} sub ${e.sub_number} (account ${maskAccount(e.account_number)})`,
        },
      };
    }
  }
}
