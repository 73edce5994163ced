/**
 * Rule 2 of an inquiry answer (shared/spec/inquiry-300.md "Rules an answer must satisfy"):
 * every inquiry of the request answered once, in the request's order, each record echoing
 * the inquiry's 宛名番号, 氏名カナ, 生年月日 exactly and 氏名, 住所 exactly or blank —
 * an ordered merge of the account records against the file's inquiries, read page by page
 * (no iterator stays open, so the connection that reads may also write).
 *
 * One copy of the rule for both paths of `import answers` (docs/adr/0188): the one-thread
 * pass (import-answers.ts AnswerPass) feeds it on the thread that stores; the fast path's
 * worker (worker.ts) feeds it on the second core, reading the inquiries from a snapshot.
 */
import type { Finding } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import type { InquiryOutRaw, inquiryPages } from '../../db/inquiries.js';
import type { ReadRecord } from '../../file/scanner.js';
import { GWarekiDates } from '../../layout/wareki.js';
import { recordDef } from '../../layout/load.js';
import type { Layout, RecordDef } from '../../layout/types.js';

/** Inquiries read per page for the merge (default). */
const PAGE = 4096;

/**
 * Pages of the file's inquiries another thread read ahead, in seq order (ADR 0196): the
 * next one, or undefined when none is waiting. Each is exactly what the cursor's own read
 * from `seq` would give (the rows of [seq, the file's last] in order, up to a page's
 * limit), read from the state this step began from.
 */
export type FedPages = () => InquiryOutRaw[] | undefined;

/**
 * The file's inquiries by seq, page by page, a point look-up for one out of order. A page
 * fed ahead (FedPages) that holds the seq is taken instead of a read; pages fed for seqs
 * already passed are dropped; without one, the cursor reads the page itself.
 */
class InquiryCursor {
  private page: InquiryOutRaw[] = [];
  /** a fed page that begins after the seq last asked for */
  private waiting: InquiryOutRaw[] | undefined;
  constructor(
    private readonly read: ReturnType<typeof inquiryPages>,
    private readonly lastSeq: number,
    private readonly pageRows: number,
    private readonly fed?: FedPages,
  ) {}
  get(seq: number): InquiryOutRaw | undefined {
    const first = this.page[0];
    if (first !== undefined) {
      const r = this.page[seq - first[0]];
      if (r !== undefined && r[0] === seq) return r;
      if (seq < first[0]) return this.read.one(seq);
    }
    this.page = this.fedPage(seq) ?? this.read.page(seq, this.lastSeq, this.pageRows);
    const r = this.page[0];
    return r !== undefined && r[0] === seq ? r : undefined;
  }

  /** A fed page that holds `seq`, from `seq` on, if one came (pages for seqs already passed are dropped). */
  private fedPage(seq: number): InquiryOutRaw[] | undefined {
    if (this.fed === undefined) return undefined;
    for (;;) {
      const p = this.waiting ?? this.fed();
      this.waiting = undefined;
      if (p === undefined) return undefined;
      const head = p[0];
      const tail = p[p.length - 1];
      if (head === undefined || tail === undefined || tail[0] < seq) continue; // passed
      if (head[0] > seq) {
        this.waiting = p; // fed for later: this seq is read here
        return undefined;
      }
      // a page fed from an earlier seq: its rows from `seq` on, as a read from seq gives them
      return head[0] === seq ? p : p.slice(p.findIndex((r) => r[0] >= seq));
    }
  }
}

/** One bit per inquiry of the file (1-based 照会番号): answered already. */
class Seen {
  private readonly bits: Uint8Array;
  constructor(n: number) {
    this.bits = new Uint8Array((n >> 3) + 1);
  }
  has(i: number): boolean {
    return ((this.bits[i >> 3] as number) & (1 << (i & 7))) !== 0;
  }
  add(i: number): void {
    this.bits[i >> 3] = (this.bits[i >> 3] as number) | (1 << (i & 7));
  }
}

/** The first character where two texts differ (index), or -1. */
function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const FIELD_LABEL: Record<string, Msg> = {
  taxpayerId: { ja: '宛名番号', en: '宛名番号 (taxpayer id)' },
  nameKana: { ja: '氏名カナ', en: '氏名カナ (name kana)' },
  nameKanji: { ja: '氏名', en: '氏名 (name)' },
  birthDate: { ja: '生年月日', en: '生年月日 (birth date)' },
  address: { ja: '住所', en: '住所 (address)' },
};

/**
 * Rule 2 over one answer file: `account(rec, n)` for each account record (n: its
 * 照会番号, digits), `finish(…)` after the last record. Findings go to `report`, in the order the one-thread pass has always made them.
 */
export class AnswerRule2 {
  private readonly A: RecordDef;
  private readonly cursor: InquiryCursor;
  private readonly seen: Seen;
  private readonly births = new GWarekiDates();
  private readonly atenaWidth: number;
  /** inquiries in the file's request */
  readonly expected: number;
  private maxSeen = 0;
  private curInquiry = -1;
  private curRow: InquiryOutRaw | undefined;
  private curAtena = '';
  private curBirth = '';
  /** the current inquiry's 氏名 and 住所 without their trailing full-width spaces (once per inquiry, not per record) */
  private curName = '';
  private curAddress = '';
  /** the last account() began an inquiry of the request not seen before (the one-thread pass counts it) */
  opened = false;

  constructor(
    private readonly layout: Layout,
    private readonly target: { first_request: number; last_request: number },
    pages: ReturnType<typeof inquiryPages>,
    private readonly report: (f: Finding) => void,
    pageRows = PAGE,
    fed?: FedPages,
  ) {
    this.A = recordDef(layout, 'account')!;
    this.atenaWidth = this.A.byId.get('taxpayerId')?.length ?? 10;
    this.expected = target.last_request - target.first_request + 1;
    this.seen = new Seen(this.expected + 1);
    this.cursor = new InquiryCursor(pages, target.last_request, pageRows, fed);
  }

  private off(id: string): number {
    return this.A.byId.get(id)?.offset ?? 0;
  }

  /** An account record of inquiry `n`: the inquiry it answers (undefined: none, or reported). */
  account(rec: ReadRecord, n: number): InquiryOutRaw | undefined {
    const fl = rec.fields;
    this.opened = false;
    if (n !== this.curInquiry) {
      this.curInquiry = n;
      this.curRow = undefined;
      if (n < 1 || n > this.expected) {
        this.inquiryFinding(rec, 'answer.unknown-inquiry', { ja: `照会番号 ${n} は照会ファイル（${this.expected} 件）にありません`, en: `inquiry ${n} is not in the inquiry file (${this.expected} inquiries)` }, `1–${this.expected}`, fl['inquiryNumber'] ?? '');
        return undefined;
      }
      if (this.seen.has(n)) {
        this.inquiryFinding(rec, 'answer.inquiry-repeated', { ja: `照会番号 ${n} の回答が2か所にあります（同じ照会番号のレコードは続けて1か所に置くこと）`, en: `inquiry ${n} is answered in two places (the records of one inquiry are consecutive)` }, `(${n} 以外 / not ${n})`, fl['inquiryNumber'] ?? '');
        return undefined;
      }
      if (n < this.maxSeen) {
        this.inquiryFinding(rec, 'answer.inquiry-order', { ja: `照会番号 ${n} が照会番号 ${this.maxSeen} の後にあります（照会ファイルの順に並べること）`, en: `inquiry ${n} comes after inquiry ${this.maxSeen} (answers follow the request's order)` }, `> ${this.maxSeen}`, fl['inquiryNumber'] ?? '');
      }
      this.seen.add(n);
      if (n > this.maxSeen) this.maxSeen = n;
      this.opened = true;
      this.curRow = this.cursor.get(this.target.first_request + n - 1);
      if (this.curRow !== undefined) {
        this.curAtena = this.curRow[1].padStart(this.atenaWidth, '0');
        this.curBirth = this.curRow[4] === null ? '0000000' : this.births.gwareki(this.curRow[4]);
        this.curName = this.curRow[3].replace(/　+$/u, '');
        this.curAddress = this.curRow[5].replace(/　+$/u, '');
      }
    }
    const row = this.curRow;
    if (row !== undefined) this.echo(rec, n, row);
    return row;
  }

  private inquiryFinding(rec: ReadRecord, code: string, message: Msg, expected: string, found: string): void {
    this.report({ code, record: rec.index, offset: rec.offset + this.off('inquiryNumber'), field: 'inquiryNumber', expected, found, message });
  }

  /** Each record repeats the request's 宛名番号, 氏名カナ, 生年月日 exactly; 氏名 and 住所 exactly or blank. */
  private echo(rec: ReadRecord, n: number, row: InquiryOutRaw): void {
    const fl = rec.fields;
    const atena = fl['taxpayerId'] ?? '';
    if (atena !== this.curAtena) {
      this.report({
        code: 'answer.echo-mismatch', record: rec.index, offset: rec.offset + this.off('taxpayerId'), field: 'taxpayerId', expected: this.curAtena, found: atena,
        message: { ja: `照会番号 ${n} の宛名番号が照会ファイルと一致しません（照会は宛名番号 ${row[1]}）`, en: `the 宛名番号 of inquiry ${n} differs from the inquiry file (asked about ${row[1]})` },
      });
    }
    this.personal(rec, n, row, 'nameKana', row[2], false, 1);
    this.personal(rec, n, row, 'birthDate', this.curBirth, false, 1);
    this.personal(rec, n, row, 'nameKanji', this.curName, true, 2);
    this.personal(rec, n, row, 'address', this.curAddress, true, 2);
  }

  /** A personal field that differs: only the offending character's code and its byte offset. */
  private personal(rec: ReadRecord, n: number, row: InquiryOutRaw, field: string, want: string, blankAllowed: boolean, bytesPerChar: number): void {
    const found = rec.fields[field] ?? '';
    if (found === want || (blankAllowed && found === '')) return;
    const i = firstDifference(want, found);
    const ch = found.codePointAt(i);
    const shown = ch === undefined ? '(なし / none)' : ch < 0x80 ? `0x${ch.toString(16).toUpperCase().padStart(2, '0')}` : `U+${ch.toString(16).toUpperCase().padStart(4, '0')}`;
    const label = FIELD_LABEL[field]!;
    this.report({
      code: 'answer.echo-mismatch',
      record: rec.index,
      offset: rec.offset + this.off(field) + i * bytesPerChar,
      field,
      expected: `(照会ファイルの${label.ja}${blankAllowed ? 'または全角空白' : ''} / the inquiry's ${label.en}${blankAllowed ? ' or full-width spaces' : ''})`,
      found: shown,
      message: {
        ja: `照会番号 ${n}（宛名番号 ${row[1]}）の${label.ja}が照会ファイルと ${i * bytesPerChar + 1} バイト目から一致しません`,
        en: `the ${label.en} of inquiry ${n} (宛名番号 ${row[1]}) differs from the inquiry file from byte ${i * bytesPerChar + 1}`,
      },
    });
  }

  /** After the last record: every inquiry of the request not answered is a finding (anchored at the file's first trailer record, `ta`, if any). */
  finish(summary: { records: number; bytes: number }, ta: { index: number; offset: number } | null): void {
    const T = this.layout.records.trailer;
    const anchor = ta
      ? { record: ta.index, offset: ta.offset + (T?.byId.get('inquiryCount')?.offset ?? 0), field: 'inquiryCount' }
      : { record: Math.max(0, summary.records - 1), offset: summary.bytes, field: 'inquiryNumber' };
    for (let n = 1; n <= this.expected; n++) {
      if (this.seen.has(n)) continue;
      this.report({
        ...anchor,
        code: 'answer.inquiry-missing',
        expected: String(n).padStart(8, '0'),
        found: '(なし / none)',
        message: { ja: `照会番号 ${n} の回答がありません（照会した全員に回答が必要です）`, en: `no answer for inquiry ${n} (every inquiry must be answered)` },
      });
    }
  }
}
