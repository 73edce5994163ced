/**
 * The simulated bank answers an inquiry request (inquiry-300.md "The bank's side",
 * ADR 0134): request 種別 61 → answer 種別 62 from an account book.
 *
 * - Header echoed with 種別 62 and 回答日 = the bank business day after 照会基準日
 *   (independent of the seed and of the clock, so a run is reproducible).
 * - Per inquiry, in the request's order: a seeded share (PAPER_SHARE) gets 回答区分 3;
 *   else the book's accounts at this bank whose 氏名カナ (narrowed) and 生年月日 equal
 *   the inquiry's (an empty book date matches "0000000") → 回答区分 1, 口座通番 01…
 *   ordered by 支店, 種目, 口座番号; none → 回答区分 2. The request's 宛名番号, 氏名カナ,
 *   氏名, 生年月日 and 住所 are echoed byte for byte (the request record is the base).
 * - 残高 is the balance at the end of 照会基準日 (book.ts: the book's 残高 is today's;
 *   transactions after 照会基準日 are taken back); detail records are the
 *   transactions in [取引明細開始日, 照会基準日], oldest first, their 取引後残高 chained
 *   so that the last equals 残高; none when 取引明細開始日 is 00000000.
 * - Trailer totals computed by the writer. One streaming pass over the request; the
 *   answer is placed (0600, temporary name then link) only when the whole request was valid.
 */
import { fromDayNumber, toDayNumber } from '../core/dates.js';
import { maskAccount } from '../core/mask.js';
import { AppError, EXIT, rejected } from '../core/errors.js';
import { openOutputFile } from '../core/output-file.js';
import { nextBusinessDay } from '../domain/calendar.js';
import { SyncRecordWriter } from '../file/writer.js';
import type { ReadRecord } from '../file/scanner.js';
import type { Layout } from '../layout/types.js';
import { digitsValue, ymdToIso } from '../steps/import-results/index.js';
import { AMOUNT_LIMIT, accountParts, balanceAtCut, emptyHistory, loadBook, loadHistory, type AccountBook, type BookHistory } from './book.js';
import { Prng } from './prng.js';
import { RequestScan, commitAfter, ensureAbsent, scanAnswer } from './request.js';

/** Share of inquiries answered 3 (電子回答不可, a paper answer follows). */
export const PAPER_SHARE = 0.02;
/** 明細件数 is 4 digits. */
const MAX_DETAILS = 9999;

export interface AnswerOptions {
  requestPath: string;
  answerPath: string;
  bookPath: string;
  transactionsPath?: string;
  seed?: number;
}

export interface AnswerSummary {
  seed: number;
  layout: string;
  bankCode: string;
  fileNumber: number;
  baseDate: string;
  historyFrom: string | null;
  answerDate: string;
  inquiries: number;
  /** 回答区分 → inquiries */
  answers: Record<'1' | '2' | '3', number>;
  accounts: number;
  details: number;
  answerPath: string;
}

/** Whether `layout` is an inquiry layout (its data record carries 回答区分). */
export function isInquiryLayout(layout: Layout): boolean {
  return layout.records.data?.byId.has('answerCode') === true;
}

/** 回答日: the bank business day after 照会基準日 (ISO). */
export function answerDateFor(baseDate: string): string {
  return nextBusinessDay(baseDate);
}

const compact = (iso: string) => iso.replaceAll('-', '');

export function answerInquiries(opts: AnswerOptions, layout: Layout): AnswerSummary {
  const seed = opts.seed ?? 1;
  ensureAbsent(opts.answerPath);
  const rng = new Prng(seed);
  const scan = new RequestScan(opts.requestPath, layout);
  const out = openOutputFile(opts.answerPath, { clobber: false });
  const writer = new SyncRecordWriter(out.fd, layout);
  let book: AccountBook | null = null;
  let hist: BookHistory | null = null;
  let header = null as Record<string, string> | null; // set by the scan's callback (scanAnswer refuses a request without one)
  const answers = { '1': 0, '2': 0, '3': 0 };
  let inquiries = 0;
  let accounts = 0;
  let details = 0;
  let historyFrom: string | null = null;
  let answerDate = '';
  const found: number[] = [];

  const writeAccount = (rec: ReadRecord, seq: number, a: number): void => {
    const f = rec.fields;
    const h = hist!;
    const b = book!;
    const balance = balanceAtCut(b, h, a);
    const s = h.start[a]!;
    const e = h.start[a + 1]!;
    if (Math.abs(balance) >= AMOUNT_LIMIT) throw overflow(b, a, '残高', 'balance');
    if (e - s > MAX_DETAILS) {
      throw rejected('bank-sim.answer-too-large', { ja: `口座 ${where(b, a)} の取引が ${e - s} 件あり、明細件数（4桁）に収まりません`, en: `account ${where(b, a)} has ${e - s} transactions in the window; 明細件数 (4 digits) cannot hold them` });
    }
    const last = h.lastDay[a]!;
    const acct = accountParts(b.key[a]!);
    writer.write(
      'account',
      {
        ...echo(f),
        accountSeq: seq,
        answerCode: 1,
        branchCode: acct.branch,
        accountType: acct.type,
        accountNumber: acct.number,
        holderName: b.holder[a],
        balanceSign: balance < 0 ? 2 : 1,
        balance: Math.abs(balance),
        lastTransactionDate: last < 0 ? '00000000' : compact(fromDayNumber(last)),
        detailCount: e - s,
        loanFlag: b.loan[a]!,
      },
      rec.raw,
    );
    accounts++;
    // the chain: the balance before the first detail, then each detail's 取引後残高
    let bal = balance;
    for (let k = s; k < e; k++) {
      const x = h.order[k]!;
      bal -= h.credit[x] === 1 ? h.amount[x]! : -h.amount[x]!;
    }
    for (let k = s; k < e; k++) {
      const x = h.order[k]!;
      bal += h.credit[x] === 1 ? h.amount[x]! : -h.amount[x]!;
      if (Math.abs(bal) >= AMOUNT_LIMIT) throw overflow(b, a, '取引後残高', 'balance after a transaction');
      writer.write('detail', {
        inquiryNumber: f['inquiryNumber'],
        accountSeq: seq,
        transactionDate: compact(fromDayNumber(h.day[x]!)),
        direction: h.credit[x] === 1 ? 1 : 2,
        amount: h.amount[x]!,
        balanceSign: bal < 0 ? 2 : 1,
        balanceAfter: Math.abs(bal),
        description: h.descs[h.desc[x]!]!,
      });
      details++;
    }
  };

  scanAnswer(scan, writer, out, { ja: '回答ファイル', en: 'answer file' }, { raw: true }, (rec) => {
    const f = rec.fields;
    switch (rec.kind) {
      case 'header': {
        if (f['typeCode'] !== '61') {
          scan.wrongType(rec, '61');
          return;
        }
        header = { ...f };
        const base = ymdToIso(f['baseDate'] ?? '');
        const from = f['historyFrom'] === '00000000' ? null : ymdToIso(f['historyFrom'] ?? '');
        if (base === null) return; // the scanner has reported the date
        historyFrom = from;
        book = loadBook(opts.bookPath, f['bankCode'] ?? '', { byPerson: true });
        hist = opts.transactionsPath === undefined ? emptyHistory(book) : loadHistory(opts.transactionsPath, book, toDayNumber(base), from === null ? null : toDayNumber(from));
        answerDate = answerDateFor(base);
        writer.header({ ...f, typeCode: '62', answerDate: compact(answerDate) });
        return;
      }
      case 'data': {
        if (rec.record !== 'account') {
          scan.fail({ code: 'bank-sim.not-a-request', record: rec.index, offset: rec.offset, field: 'dataKubun', expected: '2', found: f['dataKubun'] ?? '', message: { ja: '照会依頼に明細レコード（データ区分 3）があります', en: 'an inquiry request holds a detail record (データ区分 3)' } });
          return;
        }
        inquiries++;
        if (rng.next() < PAPER_SHARE) {
          answers['3']++;
          writer.write('account', { ...echo(f), answerCode: 3 }, rec.raw);
          return;
        }
        const b = book!;
        found.length = 0;
        for (let a = b.byPerson!.get(`${f['nameKana']}\t${f['birthDate']}`) ?? -1; a >= 0; a = b.nextSame[a]!) found.push(a);
        if (found.length === 0) {
          answers['2']++;
          writer.write('account', { ...echo(f), answerCode: 2 }, rec.raw);
          return;
        }
        answers['1']++;
        if (found.length > 1) found.sort((x, y) => b.key[x]! - b.key[y]!);
        if (found.length > 99) throw rejected('bank-sim.answer-too-large', { ja: `照会番号 ${digitsValue(f['inquiryNumber'])} の該当口座が ${found.length} 件あり、口座通番（2桁）に収まりません`, en: `inquiry ${digitsValue(f['inquiryNumber'])} matches ${found.length} accounts; 口座通番 (2 digits) cannot number them` });
        found.forEach((a, i) => writeAccount(rec, i + 1, a));
        return;
      }
      case 'trailer':
        writer.trailer({});
        return;
      case 'end':
        writer.end({});
        return;
    }
  });
  commitAfter(out);
  const h = header as Record<string, string>;
  return {
    seed,
    layout: layout.id,
    bankCode: h['bankCode'] ?? '',
    fileNumber: digitsValue(h['fileNumber']),
    baseDate: ymdToIso(h['baseDate'] ?? '')!,
    historyFrom,
    answerDate,
    inquiries,
    answers,
    accounts,
    details,
    answerPath: opts.answerPath,
  };
}

/** The request's fields an answer record repeats (inquiry-300 rule 2). */
function echo(f: Record<string, string>): Record<string, string | undefined> {
  return { inquiryNumber: f['inquiryNumber'], taxpayerId: f['taxpayerId'], nameKana: f['nameKana'], nameKanji: f['nameKanji'], birthDate: f['birthDate'], address: f['address'] };
}

/** An account for a message: branch, type and the masked number. */
const where = (b: AccountBook, a: number) => {
  const p = accountParts(b.key[a]!);
  return `${p.branch}-${p.type}-${maskAccount(p.number)}`;
};

function overflow(b: AccountBook, a: number, ja: string, en: string): AppError {
  return new AppError({
    code: 'bank-sim.answer-too-large',
    exit: EXIT.rejected,
    msg: { ja: `口座 ${where(b, a)} の${ja}が12桁に収まりません。口座台帳と取引明細を確かめてください`, en: `account ${where(b, a)}: the ${en} does not fit in 12 digits; check the book and its transactions` },
  });
}

