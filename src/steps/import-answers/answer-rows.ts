/**
 * What the answer import's fast-path worker (worker.ts) hands to the storing thread
 * (import-answers.ts), declared once for both (core/rows.ts, ADR 0101). A module of its
 * own: importing worker.ts would start its producer.
 */
import { defineRows, type RowsChunk } from '../../core/rows.js';
import type { AnswerAccountInput, AnswerTransactionInput } from '../../db/inquiries.js';
import type { Fields } from '../../layout/codec.js';
import { digitsValue } from '../import-results/index.js';
import type { IsoDates } from './answer-rules.js';

/** 回答区分 1 account records, as the writer stores them (balance signed; 最終取引日 ISO or null). */
export const ACCOUNT_ROWS = defineRows({
  seq: 'int',
  accountSeq: 'int',
  atena: 'str',
  branch: 'str',
  type: 'str',
  number: 'str',
  holder: 'str',
  balance: 'int',
  lastDate: 'str?',
  loan: 'int',
});

/**
 * Detail records: `account` is the 0-based ordinal of their account among the file's
 * 回答区分 1 records (the storing thread's ids are assigned in that order); 取引日 ISO ('' when none).
 */
export const DETAIL_ROWS = defineRows({
  account: 'int',
  seq: 'int',
  date: 'str',
  direction: 'int',
  amount: 'int',
  after: 'int',
  description: 'str',
});

/** 回答区分 3 and 4 (1 and 2 are derived, view inquiry_answers: ADR 0195): the inquiry's seq and its code (3 or 4). */
export const CODE_ROWS = defineRows({ seq: 'int', code: 'int' });

/** One chunk of the file's records in file order: its accounts, details and 3/4 codes. */
export interface AnswerChunk {
  kind: 'chunk';
  /** data records in the chunk */
  n: number;
  /** the seq of the last inquiry whose answer began in this chunk or before (0: none yet): how far the worker's rule 2 has come, which the storing thread reads the inquiries ahead of (ADR 0196) */
  lastSeq: number;
  accounts: RowsChunk<typeof ACCOUNT_ROWS.schema>;
  details: RowsChunk<typeof DETAIL_ROWS.schema>;
  codes: RowsChunk<typeof CODE_ROWS.schema>;
}

/** The values stored of a 回答区分 1 account record (besides its inquiry's seq and 宛名番号), as both paths read them. */
export function accountValues(fl: Fields, dates: IsoDates): Omit<AnswerAccountInput, 'importId' | 'batchId' | 'bankCode' | 'knowledgeDate' | 'fileNumber' | 'seq' | 'atena'> {
  const bal = digitsValue(fl['balance']);
  return {
    accountSeq: digitsValue(fl['accountSeq']),
    branchCode: fl['branchCode'] ?? '',
    accountType: fl['accountType'] ?? '',
    accountNumber: fl['accountNumber'] ?? '',
    holderKana: fl['holderName'] ?? '',
    balance: fl['balanceSign'] === '2' ? -bal : bal,
    lastTransactionDate: dates.iso(fl['lastTransactionDate'] ?? ''),
    loan: fl['loanFlag'] === '1' ? 1 : 0,
  };
}

/** The values stored of a detail record (besides its account and its place among the account's details), as both paths read them. */
export function detailValues(fl: Fields, dates: IsoDates): Omit<AnswerTransactionInput, 'seq'> {
  const after = digitsValue(fl['balanceAfter']);
  return {
    date: dates.iso(fl['transactionDate'] ?? '') ?? '',
    direction: fl['direction'] === '2' ? 2 : 1,
    amount: digitsValue(fl['amount']),
    balanceAfter: fl['balanceSign'] === '2' ? -after : after,
    description: fl['description'] ?? '',
  };
}

/** The import's summary figures (its --json, the imports row, the audit). */
export interface AnswerTotals {
  inquiries: number;
  /** per 回答区分 1–4 */
  answers: { '1': number; '2': number; '3': number; '4': number };
  accounts: number;
  details: number;
  /** signed 残高 over the accounts */
  balanceTotal: number;
}

/** Counts AnswerTotals as the records go by (both paths). */
export class AnswerCounter {
  readonly totals: AnswerTotals = { inquiries: 0, answers: { '1': 0, '2': 0, '3': 0, '4': 0 }, accounts: 0, details: 0, balanceTotal: 0 };
  /** an inquiry of the request begins, answered with `code` */
  inquiry(code: string): void {
    this.totals.inquiries++;
    if (code === '1' || code === '2' || code === '3' || code === '4') this.totals.answers[code]++;
  }
  account(signedBalance: number): void {
    this.totals.accounts++;
    this.totals.balanceTotal += signedBalance;
  }
  detail(): void {
    this.totals.details++;
  }
}
