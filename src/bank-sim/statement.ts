/**
 * Simulated 入出金取引明細 (statement-03) of the city's deposit account: one 入金 per
 * collection date with that date's collected total (取引区分 14 振替), plus a few
 * unrelated transactions (other transfers in, payments out) on the same days for
 * realism — never with the amount of a collection, so matching stays unambiguous.
 * Dates are written as ISO and become 和暦 YYMMDD through the layout codec.
 * One statement per request file: its 照会番号 come from the file number and its
 * randomness from the seed and the file number, so the statements of a batch written
 * as several files differ from each other (issue 13, item 4).
 */
import { openOutputFile } from '../core/output-file.js';
import { SyncRecordWriter } from '../file/writer.js';
import type { Layout } from '../layout/types.js';
import { Prng } from './prng.js';

export interface StatementInput {
  path: string;
  layout: Layout;
  rng: Prng;
  bankCode: string;
  bankName: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  accountName: string;
  collections: Array<{ date: string; amount: number }>;
  fallbackDate: string;
  /**
   * The request file's number: each file's statement is its own (a bank pays one
   * deposit per file). Its 照会番号 run from fileNumber × 1,000 (so statements of the
   * files of one batch never share a 照会番号), and `rng` should be seeded per file.
   */
  fileNumber: number;
}

/** First 照会番号 of a file's statement: fileNumber × 1,000 + 1–500 (8 digits at most). */
function firstInquiryNumber(fileNumber: number, rng: Prng): number {
  return (Math.max(0, Math.trunc(fileNumber)) % 99_999) * 1_000 + rng.int(1, 500);
}

export interface StatementSummary {
  path: string;
  entries: number;
  deposits: number;
  depositTotal: number;
  withdrawals: number;
  withdrawalTotal: number;
}

const REMITTERS = ['ｶ)ﾐﾅﾐｹﾝｾﾂ', 'ｹﾝﾐﾝｷﾖｳｻｲ', 'ﾕ)ｻｸﾗｼﾖｳｼﾞ', 'ｼﾔ)ﾌｸｼｷﾖｳｶｲ'];
const PAYEES = ['ｺｳｷﾝ ｼﾊﾗｲ', 'ｲﾀｸﾘﾖｳ', 'ﾃｽｳﾘﾖｳ'];

interface Tx {
  date: string;
  inOut: 1 | 2;
  kind: string;
  amount: number;
  remitter: string;
  summary: string;
}

export function writeStatement(s: StatementInput): StatementSummary {
  const dates = s.collections.length > 0 ? s.collections.map((c) => c.date) : [s.fallbackDate];
  const collectedAmounts = new Set(s.collections.map((c) => c.amount));
  const txs: Tx[] = [];
  for (const date of [...new Set(dates)].sort()) {
    const extra = s.rng.int(1, 3);
    for (let i = 0; i < extra; i++) {
      const inOut: 1 | 2 = s.rng.next() < 0.6 ? 1 : 2;
      let amount = s.rng.logUniform(3_000, 900_000);
      while (collectedAmounts.has(amount)) amount++;
      txs.push({
        date,
        inOut,
        kind: inOut === 1 ? '11' : '14',
        amount,
        remitter: inOut === 1 ? REMITTERS[s.rng.int(0, REMITTERS.length - 1)]! : '',
        summary: inOut === 1 ? 'ﾌﾘｺﾐ' : PAYEES[s.rng.int(0, PAYEES.length - 1)]!,
      });
    }
    for (const c of s.collections) {
      if (c.date === date && c.amount > 0) {
        txs.push({ date, inOut: 1, kind: '14', amount: c.amount, remitter: 'ｻｼｵｻｴ ﾄﾘﾀﾃｷﾝ', summary: 'ｻｼｵｻｴ ﾄﾘﾀﾃ' });
      }
    }
  }
  txs.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));

  const opening = s.rng.int(10_000_000, 900_000_000);
  let dep = 0;
  let depN = 0;
  let wd = 0;
  let wdN = 0;
  for (const t of txs) {
    if (t.inOut === 1) {
      dep += t.amount;
      depN++;
    } else {
      wd += t.amount;
      wdN++;
    }
  }
  const closing = opening + dep - wd;
  const first = txs[0]?.date ?? s.fallbackDate;
  const last = txs[txs.length - 1]?.date ?? s.fallbackDate;

  const out = openOutputFile(s.path, { clobber: false });
  const w = new SyncRecordWriter(out.fd, s.layout);
  try {
    w.header({
      createdDate: last,
      periodFrom: first,
      periodTo: last,
      bankCode: s.bankCode,
      bankName: s.bankName,
      branchCode: s.branchCode,
      branchName: '',
      reserved: '000',
      accountType: s.accountType,
      accountNumber: s.accountNumber.padStart(10, '0'),
      accountName: s.accountName,
      overdraftKubun: '0',
      passbookKubun: '0',
      openingBalance: opening,
    });
    let inquiry = firstInquiryNumber(s.fileNumber, s.rng);
    for (const t of txs) {
      w.data({
        inquiryNumber: inquiry++,
        valueDate: t.date,
        transactionDate: t.date,
        inOutKubun: t.inOut,
        transactionKubun: t.kind,
        amount: t.amount,
        remitterName: t.remitter,
        summary: t.summary,
      });
    }
    w.trailer({ overdraftKubun: '0', closingBalance: closing });
    w.end({});
    w.close();
    out.commit();
  } catch (e) {
    w.abort();
    out.abort();
    throw e;
  }
  return { path: s.path, entries: txs.length, deposits: depN, depositTotal: dep, withdrawals: wdN, withdrawalTotal: wd };
}

/**
 * The statement of one request or instruction file, from its header (the city's deposit
 * account, requester and bank) — its own generator per file: the same seed gives each
 * file's statement its own content. Shared by the seizure and instruction simulators.
 */
export function writeFileStatement(
  h: Readonly<Record<string, string>>,
  o: { path: string; layout: Layout; seed: number; fileNumber: number; collections: Array<{ date: string; amount: number }>; fallbackDate: string },
): StatementSummary {
  return writeStatement({
    path: o.path,
    layout: o.layout,
    rng: new Prng(Math.imul(o.seed >>> 0, 0x9e3779b1) ^ Math.imul(o.fileNumber + 1, 0x85ebca6b)),
    fileNumber: o.fileNumber,
    bankCode: h['bankCode'] ?? '',
    bankName: h['bankName'] ?? '',
    branchCode: h['depositBranch'] ?? '',
    accountType: h['depositAccountType'] ?? '',
    accountNumber: h['depositAccountNumber'] ?? '',
    accountName: h['requesterName'] ?? '',
    collections: o.collections,
    fallbackDate: o.fallbackDate,
  });
}
