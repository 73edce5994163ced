/**
 * The stored form of an answered account's details (db/answer-history.ts, ADR 0197): one
 * answer_histories row per account with details. Held here: import answers' bulk writer
 * and the one-row writer of the fixtures store the same bytes for the same details (also
 * across the bulk writer's flushes); the module's reading — and the readers built on it,
 * the report's iterateAnswerDetails and extract's page reader — equals the view
 * answer_transactions_v; a detail out of its account's order is refused by both writers.
 */
import { describe, expect, it } from 'vitest';
import { historyAppend, historyDetails, historyEntry, historyText, readHistory } from '../../src/db/answer-history.js';
import { extractPageReader } from '../../src/db/batches.js';
import type { Db } from '../../src/db/connection.js';
import { answerBulkWriter, answerWriter, iterateAnswerDetails, type AnswerTransactionInput } from '../../src/db/inquiries.js';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { inquiryBatch } from '../helpers/inquiry-batch.js';

const FILE = { bankCode: '0184', knowledgeDate: '2026-12-01', fileNumber: 43 } as const;

const account = (seq: number, accountSeq: number) =>
  ({ seq, accountSeq, atena: String(1000 + seq), branchCode: '310', accountType: '1', accountNumber: String(accountSeq).padStart(7, '0'), holderKana: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: 100, lastTransactionDate: null, loan: 0 }) as const;

/** Accounts and their details: per account (seq, account_seq) the details' count; details vary in every column. */
function plan(accounts: number): Array<{ seq: number; accountSeq: number; details: AnswerTransactionInput[] }> {
  const out = [];
  for (let k = 0; k < accounts; k++) {
    const n = k % 4 === 1 ? 0 : 1 + (k % 7);
    const details: AnswerTransactionInput[] = [];
    for (let s = 1; s <= n; s++) {
      details.push({ seq: s, date: `2026-11-${String(s).padStart(2, '0')}`, direction: s % 2 === 0 ? 2 : 1, amount: 1000 * s + k, balanceAfter: (s % 3 === 0 ? -1 : 1) * (500 * s + k), description: k % 5 === 0 ? `ｶｰﾄﾞ "${k}" \\ ﾃｽﾄ` : `ｷﾕｳﾖ ${s}` });
    }
    out.push({ seq: 1 + (k % 4), accountSeq: 1 + Math.floor(k / 4), details });
  }
  return out;
}

function writeBulk(accounts: number): { db: Db; batchId: string } {
  const { db } = fixtureDb(tempDir());
  const b = inquiryBatch(db);
  db.transaction(() => {
    const w = answerBulkWriter(db, 1, { batchId: b.id, ...FILE, firstSeq: 1, lastSeq: 4 });
    for (const a of plan(accounts)) {
      const id = w.account(account(a.seq, a.accountSeq));
      for (const t of a.details) w.transaction(id, t);
    }
    w.flush();
  })();
  return { db, batchId: b.id };
}

function writeOneByOne(accounts: number): { db: Db; batchId: string } {
  const { db } = fixtureDb(tempDir());
  const b = inquiryBatch(db);
  db.transaction(() => {
    const w = answerWriter(db);
    for (const a of plan(accounts)) {
      const id = w.account({ importId: 1, batchId: b.id, ...FILE, ...account(a.seq, a.accountSeq) });
      for (const t of a.details) w.transaction(id, t);
    }
  })();
  return { db, batchId: b.id };
}

const histories = (db: Db): unknown[] => db.prepare('SELECT * FROM answer_histories ORDER BY account_id').raw(true).all();
const view = (db: Db): unknown[][] => db.prepare('SELECT * FROM answer_transactions_v ORDER BY account_id, seq').raw(true).all() as unknown[][];

describe('answer histories: one row per account (ADR 0197)', () => {
  it('the bulk writer (past its flushes) and the one-row writer store the same bytes; one row per account with details', () => {
    const N = 5000;
    const bulk = writeBulk(N);
    const one = writeOneByOne(N);
    const rows = histories(bulk.db);
    expect(rows).toEqual(histories(one.db));
    const withDetails = plan(N).filter((a) => a.details.length > 0).length;
    expect(rows.length).toBe(withDetails);
    expect(view(bulk.db).length).toBe(plan(N).reduce((s, a) => s + a.details.length, 0));
  });

  it('the module reads what the view reads, and so do the report and extract readers', () => {
    const { db, batchId } = writeBulk(40);
    const v = view(db);
    const rows = db.prepare('SELECT account_id, transactions FROM answer_histories ORDER BY account_id').raw(true).all() as Array<[number, string]>;
    const read = rows.flatMap(([id, text]) => readHistory(text).map((e, i) => [id, i + 1, ...e]));
    expect(read).toEqual(v);
    const details = v.map((r) => [r[0], r[3], r[4], r[5], r[6]]);
    expect([...historyDetails(rows)]).toEqual(details);
    expect([...iterateAnswerDetails(db, batchId)]).toEqual(details);
    const ids = db.prepare('SELECT id FROM answer_accounts ORDER BY id').pluck().all() as number[];
    expect(extractPageReader(db).transactions(ids)).toEqual(details);
    // an account's details are what was given, in order
    const first = plan(40)[0]!;
    expect(v.filter((r) => r[0] === ids[0])).toEqual(first.details.map((t) => [ids[0], t.seq, t.date, t.direction, t.amount, t.balanceAfter, t.description]));
  });

  it('historyAppend, entry after entry, gives historyText of all entries', () => {
    const entries = [historyEntry('2026-11-01', 1, 5, -3, 'a"b\\c'), historyEntry('2026-11-02', 2, 7, 0, ''), historyEntry('2026-11-03', 1, 1, 1, 'ｷﾕｳﾖ')];
    let text: string | undefined;
    for (const e of entries) text = historyAppend(text, e);
    expect(text).toBe(historyText(entries));
    expect(readHistory(text!)).toEqual([
      ['2026-11-01', 1, 5, -3, 'a"b\\c'],
      ['2026-11-02', 2, 7, 0, ''],
      ['2026-11-03', 1, 1, 1, 'ｷﾕｳﾖ'],
    ]);
  });

  it('a detail out of its account’s order is refused by both writers', () => {
    const t = (seq: number): AnswerTransactionInput => ({ seq, date: '2026-11-01', direction: 1, amount: 1, balanceAfter: 1, description: 'x' });
    const { db } = fixtureDb(tempDir());
    const b = inquiryBatch(db);
    const bulk = answerBulkWriter(db, 1, { batchId: b.id, ...FILE, firstSeq: 1, lastSeq: 4 });
    const id1 = bulk.account(account(1, 1));
    const id2 = bulk.account(account(1, 2));
    expect(() => bulk.transaction(id1, t(2))).toThrow(/order/);
    bulk.transaction(id2, t(1));
    expect(() => bulk.transaction(id2, t(3))).toThrow(/order/);
    expect(() => bulk.transaction(id1, t(1))).toThrow(/order/);
    const one = answerWriter(db);
    const id3 = one.account({ importId: 1, batchId: b.id, ...FILE, ...account(2, 1) });
    expect(() => one.transaction(id3, t(2))).toThrow(/order/);
    one.transaction(id3, t(1));
    expect(() => one.transaction(id3, t(1))).toThrow(/order/);
  });
});
