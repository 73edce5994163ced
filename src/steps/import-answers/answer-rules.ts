/**
 * Rules 3–5 of an inquiry answer (shared/spec/inquiry-300.md "Rules an answer must
 * satisfy"): the file-intrinsic rules, which need no database.
 *
 * 3. 回答区分 2/3/4: one record, 口座通番 "00", account fields blank, 明細件数 0;
 *    回答区分 1: 口座通番 01, 02, … without gaps, 預金種目 1/2/3/4/9, 残高符号 1/2, each
 *    account (支店, 種目, 口座番号) once per inquiry; 回答区分 0 and mixed codes refused.
 * 4. Detail records: exactly 明細件数 follow their account record with its 照会番号 and
 *    口座通番; none without history; 取引日 within [取引明細開始日, 照会基準日], not
 *    decreasing; 金額 > 0; the signed 取引後残高 chains (previous ± 金額) and the last
 *    equals the account's signed 残高; 最終取引日 = the last 取引日.
 * 5. Trailer totals (those the layout does not declare: the engine checks those).
 *
 * Pure and streaming like result-rules.ts (import-results): push() decoded records in file
 * order, then finish(); memory is the current inquiry's accounts. Used by `validate` and
 * `inspect` as a file rule (`answerFileRule`, src/cli/file-rules.ts) and by `import answers`
 * (answerRulesFeed, fed the records its scanner decoded). Findings name record, byte
 * offset, field, expected and found; personal fields (口座番号, 口座名義カナ) show only the
 * offending bytes and their offset (rule 6).
 */
import type { Finding } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { maskAccount } from '../../core/mask.js';
import { BoundedMemo } from '../../core/memo.js';
import { yen } from '../../core/yen.js';
import { pushCheckerRule, type FileRule } from '../../file/file-rules.js';
import { recordDef } from '../../layout/load.js';
import type { Layout, RecordDef } from '../../layout/types.js';
import { digitsValue, ymdToIso, type DecodedRecord } from '../import-results/index.js';

/** Field offsets (within the record) of one record definition. */
type FieldPos = Readonly<Record<string, number>>;
function offsets(def: RecordDef | undefined): FieldPos {
  const out: Record<string, number> = {};
  for (const f of def?.fields ?? []) out[f.id] = f.offset;
  return out;
}

/** Whether a layout carries inquiry answers: an account record with 回答区分 and a detail record. */
export function isAnswerLayout(layout: Layout): boolean {
  return accountDef(layout)?.byId.has('answerCode') === true && detailDef(layout) !== undefined;
}
function accountDef(layout: Layout): RecordDef | undefined {
  return recordDef(layout, 'account');
}
function detailDef(layout: Layout): RecordDef | undefined {
  return recordDef(layout, 'detail');
}
/** データ区分 of the account and detail records (their first field's const). */
const ACCOUNT_KUBUN = '2';
const DETAIL_KUBUN = '3';
const ACCOUNT_TYPES: ReadonlySet<string> = new Set(['1', '2', '3', '4', '9']);

/** Text of a byte as a finding shows an offending byte of a personal field. */
function hexOf(s: string): string {
  const c = s.codePointAt(0) ?? 0;
  return c < 0x80 ? `0x${c.toString(16).toUpperCase().padStart(2, '0')}` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * What a finding shows of a personal field whose text `v` should be `want` (rule 6; also the
 * request rules of the write step): 口座番号 masked, any other field only its first offending
 * character, with that character's index in the field (= its byte offset: C fields are
 * single-byte).
 */
export function personalFound(field: string, v: string, want: string): { found: string; at: number } {
  let at = 0;
  while (at < v.length && at < want.length && v[at] === want[at]) at++;
  return { found: field === 'accountNumber' ? maskAccount(v) : hexOf(v.slice(at)), at };
}

/**
 * ymdToIso memoised by the 8-digit text: an answer has few distinct dates (a history of
 * 90 days) over millions of detail records. Bounded.
 */
export class IsoDates {
  /** 8 digits, by their value: a number key, not the new string each decoded record carries (hashing and comparing it was the memo's cost, ADR 0188) */
  private readonly byNumber = new BoundedMemo<number, string | null>(4096);
  private readonly other = new BoundedMemo<string, string | null>(4096);
  iso(text: string): string | null {
    const k = digits8(text);
    return k >= 0 ? this.byNumber.get(k, text, ymdToIso) : this.other.get(text, text, ymdToIso);
  }
}

/** The value of exactly 8 ASCII digits; else −1. */
function digits8(s: string): number {
  if (s.length !== 8) return -1;
  let v = 0;
  for (let i = 0; i < 8; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function pad(n: number, len: number): string {
  return String(n).padStart(len, '0');
}
const signedYen = (v: number): string => (v < 0 ? `−${yen(-v)}` : yen(v));

/** The account record whose details are being read (rule 4). */
interface OpenAccount {
  index: number;
  offset: number;
  inquiry: string;
  accountSeq: string;
  declared: number;
  detailCountText: string;
  /** signed 残高, or null when unreadable */
  balance: number | null;
  lastTransactionDate: string;
  seen: number;
  prevBalance: number | null;
  prevDate: string | null;
  last: { index: number; offset: number; sign: string; after: string; signed: number | null } | null;
}

class AnswerRules {
  private readonly acc: FieldPos;
  private readonly det: FieldPos;
  private readonly trl: FieldPos;
  private readonly declaredTotals = new Set<string>();
  private readonly dates = new IsoDates();
  private baseIso: string | null = null;
  private historyIso: string | null = null;
  private noHistory = false;

  // rule 3: the current inquiry
  private curInquiry: string | null = null;
  private curCode = '';
  private curRecords = 0;
  private curSeq = 0;
  private readonly curAccounts = new Set<string>();
  // rule 4
  private open: OpenAccount | null = null;
  // rule 5
  private inquiries = 0;
  private hits = 0;
  private accounts = 0;
  private details = 0;
  private balanceSum = 0;
  private lastCounted: string | null = null;
  private lastHit: string | null = null;
  private trailerSeen = false;

  constructor(
    layout: Layout,
    private readonly report: (f: Finding) => void,
    engine: boolean,
  ) {
    this.acc = offsets(accountDef(layout));
    this.det = offsets(detailDef(layout));
    this.trl = offsets(layout.records.trailer);
    if (engine) for (const f of layout.records.trailer?.fields ?? []) if (f.total !== undefined) this.declaredTotals.add(f.id);
  }

  private emit(rec: { index: number; offset: number }, pos: FieldPos, field: string, code: string, message: Msg, expected: string, found: string, extra = 0): void {
    this.report({ code, record: rec.index, offset: rec.offset + (pos[field] ?? 0) + extra, field, expected, found, message });
  }

  push(rec: DecodedRecord): void {
    if (rec.kind === 'header') this.header(rec);
    else if (rec.kind === 'data') {
      const k = rec.fields['dataKubun'];
      if (k === ACCOUNT_KUBUN) this.account(rec);
      else if (k === DETAIL_KUBUN) this.detail(rec);
    } else if (rec.kind === 'trailer') this.trailer(rec);
  }

  finish(): void {
    this.closeAccount();
  }

  private header(rec: DecodedRecord): void {
    this.baseIso = ymdToIso(rec.fields['baseDate'] ?? '');
    const h = rec.fields['historyFrom'] ?? '';
    this.noHistory = h === '00000000';
    this.historyIso = this.noHistory ? null : ymdToIso(h);
  }

  // ------------------------------------------------------------ rule 3

  private account(rec: DecodedRecord): void {
    this.closeAccount();
    const f = rec.fields;
    const A = this.acc;
    const inquiry = f['inquiryNumber'] ?? '';
    const code = f['answerCode'] ?? '';
    const seqText = f['accountSeq'] ?? '';
    const seq = digitsValue(seqText);
    const first = inquiry !== this.curInquiry;
    if (first) {
      this.curInquiry = inquiry;
      this.curCode = code;
      this.curRecords = 0;
      this.curSeq = 0;
      this.curAccounts.clear();
    }
    this.curRecords++;
    // rule 5 running totals (as the layout defines them: distinct 照会番号 among consecutive records)
    if (inquiry !== this.lastCounted) {
      this.inquiries++;
      this.lastCounted = inquiry;
    }
    if (code === '1') {
      this.accounts++;
      if (inquiry !== this.lastHit) {
        this.hits++;
        this.lastHit = inquiry;
      }
    }
    const bal = digitsValue(f['balance']);
    if (bal >= 0) this.balanceSum += bal;

    const n = digitsValue(inquiry);
    if (code === '0') {
      this.emit(rec, A, 'answerCode', 'answer.code-request',
        { ja: `照会番号 ${n} の回答区分が 0（依頼）です。回答には 1〜4 が必要です。銀行に回答済みのファイルを依頼してください`, en: `inquiry ${n} has 回答区分 0 (a request); an answer needs 1–4; ask the bank for the answered file` },
        '1,2,3,4', code);
    } else if (!first && code !== this.curCode) {
      this.emit(rec, A, 'answerCode', 'answer.mixed-codes',
        { ja: `照会番号 ${n} のレコードの回答区分が混在しています（最初のレコードは ${this.curCode}）`, en: `the records of inquiry ${n} mix answer codes (the first has ${this.curCode})` },
        this.curCode, code);
    }
    if (code === '2' || code === '3' || code === '4') this.noAccount(rec, n, code);
    else if (code === '1') this.withAccount(rec, n, seq, seqText);
    // rule 4: the details that follow
    const declared = digitsValue(f['detailCount']);
    const sign = f['balanceSign'];
    this.open = {
      index: rec.index,
      offset: rec.offset,
      inquiry,
      accountSeq: seqText,
      declared: Math.max(0, declared),
      detailCountText: f['detailCount'] ?? '',
      balance: bal < 0 || (sign !== '1' && sign !== '2') ? null : sign === '2' ? -bal : bal,
      lastTransactionDate: f['lastTransactionDate'] ?? '',
      seen: 0,
      prevBalance: null,
      prevDate: null,
      last: null,
    };
  }

  /** 回答区分 2, 3, 4: exactly one record, as a request carries it (no account, no details). */
  private noAccount(rec: DecodedRecord, n: number, code: string): void {
    const f = rec.fields;
    const A = this.acc;
    if (this.curRecords === 2 && code === this.curCode) {
      this.emit(rec, A, 'inquiryNumber', 'answer.one-record-only',
        { ja: `照会番号 ${n} は回答区分 ${code} のため、レコードは1件でなければなりません`, en: `inquiry ${n} has 回答区分 ${code}: it must have exactly one record` },
        '(1件 / one record)', f['inquiryNumber'] ?? '');
    }
    const blank = (field: string, want: string, personal: boolean): void => {
      const v = f[field];
      if (v === undefined || v === want) return;
      const { found, at } = personal ? personalFound(field, v, want) : { found: v, at: 0 };
      this.emit(rec, A, field, 'answer.account-not-blank',
        {
          ja: `照会番号 ${n} は回答区分 ${code}（口座なし）のため、${field} は依頼と同じく空欄（${want === '' ? '空白' : want}）でなければなりません${personal ? `（${at + 1}バイト目から）` : ''}`,
          en: `inquiry ${n} has 回答区分 ${code} (no account): ${field} must be blank as in a request (${want === '' ? 'spaces' : want})${personal ? ` (from byte ${at + 1})` : ''}`,
        },
        want === '' ? '(空白 / spaces)' : want, found, personal ? at : 0);
    };
    blank('accountSeq', '00', false);
    blank('branchCode', '000', false);
    blank('accountType', '0', false);
    blank('accountNumber', '0000000', true);
    blank('holderName', '', true);
    blank('balanceSign', '0', false);
    blank('balance', '000000000000', false);
    blank('lastTransactionDate', '00000000', false);
    blank('detailCount', '0000', false);
  }

  /** 回答区分 1: 口座通番 01, 02, … without gaps, 預金種目, 残高符号, each account once. */
  private withAccount(rec: DecodedRecord, n: number, seq: number, seqText: string): void {
    const f = rec.fields;
    const A = this.acc;
    const want = this.curSeq + 1;
    if (seq !== want) {
      this.emit(rec, A, 'accountSeq', 'answer.account-seq',
        { ja: `照会番号 ${n} の口座通番が 01 から欠番なく続いていません`, en: `the 口座通番 of inquiry ${n} do not run 01, 02, … without gaps` },
        pad(want, seqText.length || 2), seqText);
    }
    if (seq >= 0) this.curSeq = seq;
    const type = f['accountType'] ?? '';
    if (!ACCOUNT_TYPES.has(type)) {
      this.emit(rec, A, 'accountType', 'answer.account-type',
        { ja: `照会番号 ${n} の預金種目が 1・2・3・4・9 のいずれでもありません`, en: `the 預金種目 of inquiry ${n} is not 1, 2, 3, 4 or 9` },
        '1,2,3,4,9', type);
    }
    const sign = f['balanceSign'] ?? '';
    if (sign !== '1' && sign !== '2') {
      this.emit(rec, A, 'balanceSign', 'answer.balance-sign',
        { ja: `照会番号 ${n} の残高符号は 1（プラス）か 2（マイナス）でなければなりません`, en: `the 残高符号 of inquiry ${n} must be 1 (plus) or 2 (minus)` },
        '1,2', sign);
    }
    const number = f['accountNumber'] ?? '';
    const key = `${f['branchCode'] ?? ''}-${type}-${number}`;
    if (this.curAccounts.has(key)) {
      this.emit(rec, A, 'accountNumber', 'answer.account-repeated',
        { ja: `照会番号 ${n} で同じ口座（支店 ${f['branchCode'] ?? ''}、種目 ${type}、口座 ${maskAccount(number)}）が2回以上回答されています`, en: `inquiry ${n} answers the same account (branch ${f['branchCode'] ?? ''}, type ${type}, account ${maskAccount(number)}) more than once` },
        '(照会ごとに1回 / once per inquiry)', maskAccount(number));
    } else this.curAccounts.add(key);
  }

  // ------------------------------------------------------------ rule 4

  private detail(rec: DecodedRecord): void {
    this.details++;
    const f = rec.fields;
    const D = this.det;
    const o = this.open;
    const inquiry = f['inquiryNumber'] ?? '';
    const seqText = f['accountSeq'] ?? '';
    if (this.noHistory) {
      this.emit(rec, D, 'dataKubun', 'answer.detail-without-history',
        { ja: '取引明細開始日が 00000000（明細なし）の照会に明細レコードがあります', en: 'a detail record in the answer to an inquiry without history (取引明細開始日 00000000)' },
        '(明細なし / no detail records)', f['dataKubun'] ?? '');
    }
    if (o === null) {
      this.emit(rec, D, 'dataKubun', 'answer.detail-without-account',
        { ja: '明細レコードの前に口座レコードがありません（明細は口座レコードの直後に置くこと）', en: 'a detail record without an account record before it (details follow their account record)' },
        '(口座レコードの後 / after its account record)', f['dataKubun'] ?? '');
      return;
    }
    if (inquiry !== o.inquiry || seqText !== o.accountSeq) {
      this.emit(rec, D, inquiry !== o.inquiry ? 'inquiryNumber' : 'accountSeq', 'answer.detail-wrong-account',
        {
          ja: `明細レコードの照会番号・口座通番（${digitsValue(inquiry)}-${seqText}）が直前の口座レコード（${digitsValue(o.inquiry)}-${o.accountSeq}、第${o.index + 1}レコード）と一致しません`,
          en: `the detail record's 照会番号/口座通番 (${digitsValue(inquiry)}-${seqText}) differ from the account record before it (${digitsValue(o.inquiry)}-${o.accountSeq}, record ${o.index + 1})`,
        },
        inquiry !== o.inquiry ? o.inquiry : o.accountSeq, inquiry !== o.inquiry ? inquiry : seqText);
      return;
    }
    o.seen++;
    // 取引日: a real date within [取引明細開始日, 照会基準日], not decreasing
    const dText = f['transactionDate'] ?? '';
    const d = this.dates.iso(dText);
    if (d !== null) {
      if ((this.historyIso !== null && d < this.historyIso) || (this.baseIso !== null && d > this.baseIso)) {
        const lo = this.historyIso?.replaceAll('-', '') ?? '';
        const hi = this.baseIso?.replaceAll('-', '') ?? '';
        this.emit(rec, D, 'transactionDate', 'answer.detail-outside-history',
          { ja: `取引日が照会した期間（${this.historyIso ?? ''}〜${this.baseIso ?? ''}）の外です`, en: `the transaction date is outside the period asked for (${this.historyIso ?? ''} – ${this.baseIso ?? ''})` },
          `${lo}–${hi}`, dText);
      } else if (o.prevDate !== null && d < o.prevDate) {
        this.emit(rec, D, 'transactionDate', 'answer.detail-date-order',
          { ja: '取引日が前の明細より前です（明細は古い順に並べること）', en: 'the transaction date is before the previous detail’s (details go oldest first)' },
          `≥ ${o.prevDate.replaceAll('-', '')}`, dText);
      }
      o.prevDate = d;
    }
    const amount = digitsValue(f['amount']);
    if (amount === 0) {
      this.emit(rec, D, 'amount', 'answer.detail-amount',
        { ja: '明細の金額が 0 です（1円以上であること）', en: 'a detail amount of 0 (must be at least ¥1)' },
        '> 0', f['amount'] ?? '');
    }
    const after = digitsValue(f['balanceAfter']);
    const sign = f['balanceSign'];
    const dir = f['direction'];
    const signed = after < 0 || (sign !== '1' && sign !== '2') ? null : sign === '2' ? -after : after;
    if (signed !== null && o.prevBalance !== null && amount >= 0 && (dir === '1' || dir === '2')) {
      const want = o.prevBalance + (dir === '1' ? amount : -amount);
      if (want !== signed) {
        const msg: Msg = {
          ja: `取引後残高 ${signedYen(signed)} が前の明細の残高 ${signedYen(o.prevBalance)} ${dir === '1' ? '+' : '−'} 金額 ${yen(amount)} = ${signedYen(want)} と一致しません`,
          en: `the balance after ${signedYen(signed)} differs from the previous balance ${signedYen(o.prevBalance)} ${dir === '1' ? '+' : '-'} amount ${yen(amount)} = ${signedYen(want)}`,
        };
        this.balanceFinding(rec, D, 'answer.balance-chain', msg, want, f['balanceSign'] ?? '', f['balanceAfter'] ?? '');
      }
    }
    o.prevBalance = signed;
    o.last = { index: rec.index, offset: rec.offset, sign: sign ?? '', after: f['balanceAfter'] ?? '', signed };
  }

  /** A signed balance that differs: at 残高符号 when only the sign is wrong, else at the amount. */
  private balanceFinding(rec: { index: number; offset: number }, pos: FieldPos, code: string, message: Msg, want: number, signText: string, amountText: string): void {
    const wantSign = want < 0 ? '2' : '1';
    if (digitsValue(amountText) === Math.abs(want) && signText !== wantSign) this.emit(rec, pos, 'balanceSign', code, message, wantSign, signText);
    else this.emit(rec, pos, 'balanceAfter', code, message, pad(Math.abs(want), amountText.length || 12), amountText);
  }

  /** The end of an account record's details: their count, the last balance and date. */
  private closeAccount(): void {
    const o = this.open;
    if (o === null) return;
    this.open = null;
    const A = this.acc;
    const at = { index: o.index, offset: o.offset };
    if (o.seen !== o.declared) {
      this.emit(at, A, 'detailCount', 'answer.detail-count',
        { ja: `第${o.index + 1}レコードの口座の明細件数は ${o.declared} 件ですが、続く明細レコードは ${o.seen} 件です`, en: `the account of record ${o.index + 1} declares ${o.declared} detail records but ${o.seen} follow` },
        pad(o.seen, o.detailCountText.length || 4), o.detailCountText);
    }
    const last = o.last;
    if (last === null) return;
    if (last.signed !== null && o.balance !== null && last.signed !== o.balance) {
      this.balanceFinding(last, this.det, 'answer.balance-chain-end', {
        ja: `最後の明細の取引後残高 ${signedYen(last.signed)} が口座レコード（第${o.index + 1}レコード）の残高 ${signedYen(o.balance)} と一致しません`,
        en: `the last detail's balance after ${signedYen(last.signed)} differs from the account's balance ${signedYen(o.balance)} (record ${o.index + 1})`,
      }, o.balance, last.sign, last.after);
    }
    if (o.prevDate !== null && o.lastTransactionDate !== o.prevDate.replaceAll('-', '')) {
      this.emit(at, A, 'lastTransactionDate', 'answer.last-transaction-date',
        { ja: '最終取引日が最後の明細の取引日と一致しません', en: 'the last transaction date differs from the last detail record’s date' },
        o.prevDate.replaceAll('-', ''), o.lastTransactionDate);
    }
  }

  // ------------------------------------------------------------ rule 5

  private trailer(rec: DecodedRecord): void {
    this.closeAccount();
    if (this.trailerSeen) return;
    this.trailerSeen = true;
    const f = rec.fields;
    const check = (field: string, actual: number, what: Msg): void => {
      if (this.declaredTotals.has(field) || this.trl[field] === undefined) return;
      const text = f[field] ?? '';
      const v = digitsValue(text);
      const want = actual % 10 ** (text.length || 1);
      if (v === want) return;
      this.emit(rec, this.trl, field, 'answer.trailer-total',
        {
          ja: `トレーラの${what.ja}がデータレコードから計算した値と一致しません。銀行に正しいファイルを依頼してください`,
          en: `the trailer's ${what.en} differs from the value computed from the data records; ask the bank for a corrected file`,
        },
        pad(want, text.length), text);
    };
    check('inquiryCount', this.inquiries, { ja: '照会件数', en: 'inquiry count' });
    check('hitCount', this.hits, { ja: '該当件数', en: 'hit count' });
    check('accountCount', this.accounts, { ja: '口座件数', en: 'account count' });
    check('detailCount', this.details, { ja: '明細件数', en: 'detail count' });
    check('balanceTotal', this.balanceSum, { ja: '残高合計', en: 'balance total' });
  }
}

/** Whether a decoded header is an inquiry answer (種別コード 62). */
function isAnswerHeader(fields: Readonly<Record<string, string>>): boolean {
  return fields['typeCode'] === '62';
}

/** Rules 3–5, all findings over a sequence of records (tests; engine: false checks the trailer here too). */
export function checkAnswerRecords(layout: Layout, records: Iterable<DecodedRecord>, engine = false): Finding[] {
  const out: Finding[] = [];
  const rules = new AnswerRules(layout, (f) => out.push(f), engine);
  for (const r of records) rules.push(r);
  rules.finish();
  return out;
}

/**
 * Rules 3–5 fed from the records the scanner already decoded (`import answers`), as
 * result-rules.ts's resultRulesFeed: started only when the first record is an answer
 * header; trailer totals the layout declares are left to the engine.
 */
export function answerRulesFeed(layout: Layout, report: (f: Finding) => void): { push(rec: DecodedRecord): void; finish(): void } {
  let rules: AnswerRules | null = null;
  let started = false;
  return {
    push(rec) {
      if (!started) {
        started = true;
        if (isAnswerLayout(layout) && rec.kind === 'header' && isAnswerHeader(rec.fields)) rules = new AnswerRules(layout, report, true);
      }
      rules?.push(rec);
    },
    finish() {
      rules?.finish();
    },
  };
}

/**
 * Rules 3–5 as a file rule of the format engine (`validate`, `inspect`;
 * src/cli/file-rules.ts): any layout with account and detail records whose header says
 * 種別コード 62. Trailer totals the layout declares are left to the engine.
 */
export const answerFileRule: FileRule = (layout, header) =>
  !isAnswerLayout(layout) || header === null || !isAnswerHeader(header) ? null : pushCheckerRule(header, (report) => new AnswerRules(layout, report, true));
