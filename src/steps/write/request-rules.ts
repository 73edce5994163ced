/**
 * The rules a request file satisfies — the files this step writes (kinds.ts), checked as
 * file rules by `validate` and `inspect` (src/cli/file-rules.ts, docs/adr/0178), chosen by
 * the header's 種別コード:
 *
 * - 51, seizure-120 "Rules a request file satisfies": every data record 結果コード 00,
 *   差押金額 0, 取立金額 0, 取立日 00000000; trailer 差押成立件数, 差押金額合計,
 *   取立金額合計 0.
 * - 61, inquiry-300 "Writing a request": 回答日 00000000; every account record 口座通番 00,
 *   回答区分 0 and the account fields blank as in the table (支店番号 000, 預金種目 0,
 *   口座番号 0000000, 口座名義カナ spaces, 残高符号 0, 残高 0, 最終取引日 00000000,
 *   明細件数 0, 融資区分 0 "none or unknown"); no detail record; trailer totals 0 except
 *   照会件数 (which the layout counts).
 * - 53, instruction-120 "Writing instructions": 結果コード 00, 取立金額 0, 取立日 00000000,
 *   取立指示額 ≤ 差押金額, 解除額 = 差押金額 − 取立指示額; trailer 取立金額合計 0 (the
 *   layout's totals cover the others).
 *
 * Every "must be" of a request is the field's zero (N: all "0"; C: spaces), so one table
 * per kind names the fields. A field the layout lacks (another bank's layout) is not
 * checked. Findings name record, byte offset and field; a personal field shows only the
 * masked number (口座番号) or its first non-blank character and that byte's offset
 * (口座名義カナ).
 */
import type { Msg } from '../../core/i18n.js';
import { yen } from '../../core/yen.js';
import type { FileRule, RecordChecker, Report, RuleRecord } from '../../file/file-rules.js';
import { recordDef } from '../../layout/load.js';
import type { FieldDef, Layout, RecordDef } from '../../layout/types.js';
import { digitsValue } from '../import-results/index.js';
import { personalFound } from '../import-answers/index.js';

/** What one kind of request requires. */
interface RequestSpec {
  typeCode: string;
  what: Msg;
  /** the record ref (recordDef) that identifies the layout as this kind, and a field it must have */
  marker: [ref: string, field: string];
  header: readonly string[];
  /** per data record ref: fields that are zero/blank in a request */
  data: Readonly<Record<string, readonly string[]>>;
  /** data record refs that a request never carries */
  forbidden: readonly string[];
  trailer: readonly string[];
  /** instruction: 取立指示額 ≤ 差押金額, 解除額 = 差押金額 − 取立指示額 */
  amounts?: boolean;
}

const SEIZURE: RequestSpec = {
  typeCode: '51',
  what: { ja: '差押依頼', en: 'seizure request' },
  marker: ['data', 'limitAmount'],
  header: [],
  data: { data: ['resultCode', 'seizedAmount', 'collectedAmount', 'collectionDate'] },
  forbidden: [],
  trailer: ['seizedCount', 'seizedTotal', 'collectedTotal'],
};

const INQUIRY: RequestSpec = {
  typeCode: '61',
  what: { ja: '照会依頼', en: 'inquiry request' },
  marker: ['account', 'answerCode'],
  header: ['answerDate'],
  data: {
    account: ['accountSeq', 'answerCode', 'branchCode', 'accountType', 'accountNumber', 'holderName', 'balanceSign', 'balance', 'lastTransactionDate', 'detailCount', 'loanFlag'],
  },
  forbidden: ['detail'],
  trailer: ['hitCount', 'accountCount', 'detailCount', 'balanceTotal'],
};

const INSTRUCTION: RequestSpec = {
  typeCode: '53',
  what: { ja: '取立・解除指示', en: 'instruction' },
  marker: ['data', 'collectAmount'],
  header: [],
  data: { data: ['resultCode', 'collectedAmount', 'collectionDate'] },
  forbidden: [],
  trailer: ['collectedTotal'],
  amounts: true,
};

/** The zero of a field as its decoded text: N digits all "0" (or blank where allowed), C spaces. */
function isZero(def: FieldDef, v: string): boolean {
  if (def.type !== 'N') return v.trim() === '';
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) !== 48) return false;
  return true;
}
function zeroText(def: FieldDef): string {
  return def.type === 'N' ? '0'.repeat(def.length) : '';
}
function fieldName(def: FieldDef): string {
  return def.name === undefined ? def.id : `${def.name}（${def.id}）`;
}

/** The fields of `ids` that the record has (another bank's layout may lack some). */
function defs(rec: RecordDef | undefined, ids: readonly string[]): FieldDef[] {
  if (rec === undefined) return [];
  return ids.flatMap((id) => rec.byId.get(id) ?? []);
}

class RequestRules implements RecordChecker {
  private readonly headerFields: FieldDef[];
  private readonly trailerFields: FieldDef[];
  /** per data record definition: its zero fields, or null for a record a request never has */
  private readonly dataFields = new Map<RecordDef, FieldDef[] | null>();

  constructor(
    layout: Layout,
    private readonly spec: RequestSpec,
  ) {
    this.headerFields = defs(layout.records.header, spec.header);
    this.trailerFields = defs(layout.records.trailer, spec.trailer);
    for (const [ref, ids] of Object.entries(spec.data)) {
      const rec = recordDef(layout, ref);
      if (rec) this.dataFields.set(rec, defs(rec, ids));
    }
    for (const ref of spec.forbidden) {
      const rec = recordDef(layout, ref);
      if (rec) this.dataFields.set(rec, null);
    }
  }

  /** The definition of the data record `rec` is (its first field's FieldDef is shared). */
  private defOf(rec: RuleRecord): RecordDef | undefined {
    for (const d of this.dataFields.keys()) if (rec.def(d.first.id) === d.first) return d;
    return undefined;
  }

  private zeros(rec: RuleRecord, fields: readonly FieldDef[], report: Report): void {
    const w = this.spec.what;
    for (const def of fields) {
      const v = rec.fields[def.id];
      if (v === undefined || isZero(def, v)) continue;
      const want = zeroText(def);
      // a C field's zero as the bytes hold it: spaces (its decoded text keeps leading ones)
      const { found, at } = def.personal ? personalFound(def.id, v, def.type === 'N' ? want : ' '.repeat(def.length)) : { found: v, at: 0 };
      const blank = def.type === 'N' ? { ja: want, en: want } : { ja: '空白', en: 'spaces' };
      report({
        code: 'request.not-blank',
        record: rec.index,
        offset: rec.fieldOffset(def.id) + at,
        field: def.id,
        expected: def.type === 'N' ? want : '(空白 / spaces)',
        found,
        message: {
          ja: `${w.ja}ファイル（種別コード ${this.spec.typeCode}）の${fieldName(def)}は ${blank.ja} でなければなりません${at > 0 ? `（${at + 1}バイト目から）` : ''}。銀行の返した結果ファイルではないか、作成元を確認してください`,
          en: `${w.en} file (種別コード ${this.spec.typeCode}): ${def.id} must be ${blank.en} in a request${at > 0 ? ` (from byte ${at + 1})` : ''}; check it is not a bank's result and who produced it`,
        },
      });
    }
  }

  header(rec: RuleRecord, report: Report): void {
    this.zeros(rec, this.headerFields, report);
  }

  data(rec: RuleRecord, report: Report): void {
    const d = this.defOf(rec);
    if (d === undefined) return;
    const fields = this.dataFields.get(d);
    if (fields === null || fields === undefined) {
      const kubun = d.first;
      report({
        code: 'request.record-not-allowed',
        record: rec.index,
        offset: rec.offset,
        field: kubun.id,
        expected: '(なし / none)',
        found: rec.fields[kubun.id] ?? '',
        message: {
          ja: `${this.spec.what.ja}ファイル（種別コード ${this.spec.typeCode}）に${d.id ?? 'data'}レコードは置けません（回答にだけあるレコードです）`,
          en: `${this.spec.what.en} file (種別コード ${this.spec.typeCode}): a request has no ${d.id ?? 'data'} record (answers only)`,
        },
      });
      return;
    }
    this.zeros(rec, fields, report);
    if (this.spec.amounts === true) this.amounts(rec, report);
  }

  /** instruction-120: 取立指示額 ≤ 差押金額 and 解除額 = 差押金額 − 取立指示額. */
  private amounts(rec: RuleRecord, report: Report): void {
    const f = rec.fields;
    const seized = digitsValue(f['seizedAmount']);
    const collect = digitsValue(f['collectAmount']);
    const release = digitsValue(f['releaseAmount']);
    if (seized < 0 || collect < 0) return; // not digits: the layout reports it
    const who: Msg = { ja: `依頼番号 ${digitsValue(f['requestNumber'])} 枝番 ${digitsValue(f['subNumber'])}`, en: `request ${digitsValue(f['requestNumber'])} sub ${digitsValue(f['subNumber'])}` };
    if (collect > seized) {
      report({
        code: 'request.collect-over-seized',
        record: rec.index,
        offset: rec.fieldOffset('collectAmount'),
        field: 'collectAmount',
        expected: `<= ${f['seizedAmount'] ?? ''}`,
        found: f['collectAmount'] ?? '',
        message: {
          ja: `${who.ja}: 取立指示額 ${yen(collect)} が差押金額 ${yen(seized)} を超えています`,
          en: `${who.en}: the amount to collect ${yen(collect)} exceeds the seized amount ${yen(seized)}`,
        },
      });
      return;
    }
    if (release >= 0 && release !== seized - collect) {
      const def = rec.def('releaseAmount');
      report({
        code: 'request.release-differs',
        record: rec.index,
        offset: rec.fieldOffset('releaseAmount'),
        field: 'releaseAmount',
        expected: String(seized - collect).padStart(def?.length ?? 12, '0'),
        found: f['releaseAmount'] ?? '',
        message: {
          ja: `${who.ja}: 解除額 ${yen(release)} が 差押金額 ${yen(seized)} − 取立指示額 ${yen(collect)} = ${yen(seized - collect)} ではありません`,
          en: `${who.en}: the release amount ${yen(release)} is not seized ${yen(seized)} − collect ${yen(collect)} = ${yen(seized - collect)}`,
        },
      });
    }
  }

  trailer(rec: RuleRecord, report: Report): void {
    this.zeros(rec, this.trailerFields, report);
  }
}

function requestRule(spec: RequestSpec): FileRule {
  return (layout, header) => {
    if (header === null || header['typeCode'] !== spec.typeCode) return null;
    const [ref, field] = spec.marker;
    if (recordDef(layout, ref)?.byId.has(field) !== true) return null;
    return new RequestRules(layout, spec);
  };
}

/** seizure-120 request (種別コード 51). */
export const seizureRequestFileRule: FileRule = requestRule(SEIZURE);
/** inquiry-300 request (種別コード 61). */
export const inquiryRequestFileRule: FileRule = requestRule(INQUIRY);
/** instruction-120 instruction (種別コード 53). */
export const instructionRequestFileRule: FileRule = requestRule(INSTRUCTION);
/** The three, for `validate`, `inspect` and this step's read-back. */
export const REQUEST_FILE_RULES: readonly FileRule[] = [seizureRequestFileRule, inquiryRequestFileRule, instructionRequestFileRule];
