/**
 * answerBulkWriter's codes (ADR 0193): settle(seq) sets the codes of the inquiries up to
 * seq at once, flush() the rest; the same rows as one flush at the end; a code that would
 * change after it was set is refused (the fast path then rolls back), never lost.
 */
import { describe, expect, it } from 'vitest';
import { answerBulkWriter } from '../../src/db/inquiries.js';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { inquiryBatch } from '../helpers/inquiry-batch.js';

function setup(): { db: ReturnType<typeof fixtureDb>['db']; writer: ReturnType<typeof answerBulkWriter>; codes: () => unknown[] } {
  const { db } = fixtureDb(tempDir());
  const b = inquiryBatch(db);
  const writer = answerBulkWriter(db, 1, { batchId: b.id, bankCode: '0184', knowledgeDate: '2026-12-01', fileNumber: 43, firstSeq: 1, lastSeq: 4 });
  const codes = (): unknown[] => db.prepare('SELECT seq, answer_code, answer_import_id FROM inquiries WHERE batch_id = ? ORDER BY seq').raw(true).all(b.id);
  return { db, writer, codes };
}

const account = (seq: number, accountSeq: number) =>
  ({ seq, accountSeq, atena: String(1000 + seq), branchCode: '310', accountType: '1', accountNumber: '0012345', holderKana: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: 100, lastTransactionDate: null, loan: 0 }) as const;

describe('answerBulkWriter: codes settled as the stream goes', () => {
  it('settle(2) sets inquiries 1–2 only; later accounts of a settled code-1 inquiry are fine; flush sets 3–4; the rows equal one flush at the end', () => {
    const a = setup();
    a.writer.account(account(1, 1));
    a.writer.answerCode(2, '3');
    a.writer.settle(2);
    expect(a.codes()).toEqual([
      [1, '1', 1],
      [2, '3', 1],
      [3, null, null],
      [4, null, null],
    ]);
    a.writer.account(account(1, 2)); // inquiry 1's second account, after the settle: its code stays 1
    a.writer.settle(2); // nothing new
    a.writer.answerCode(4, '4');
    a.writer.flush();

    const b = setup();
    b.writer.account(account(1, 1));
    b.writer.answerCode(2, '3');
    b.writer.account(account(1, 2));
    b.writer.answerCode(4, '4');
    b.writer.flush();
    expect(a.codes()).toEqual([
      [1, '1', 1],
      [2, '3', 1],
      [3, '2', 1],
      [4, '4', 1],
    ]);
    expect(a.codes()).toEqual(b.codes());
    const accounts = (db: typeof a.db): unknown[] => db.prepare('SELECT * FROM answer_accounts ORDER BY id').raw(true).all();
    expect(accounts(a.db)).toEqual(accounts(b.db));
  });

  it('a code that would change after its inquiry was settled is refused', () => {
    const a = setup();
    a.writer.settle(3);
    expect(() => a.writer.account(account(2, 1))).toThrow(/code changed after it was set/);
    expect(() => a.writer.answerCode(3, '4')).toThrow(/code changed after it was set/);
    a.writer.answerCode(4, '3'); // not settled yet
    a.writer.flush();
    expect(a.codes()).toEqual([
      [1, '2', 1],
      [2, '2', 1],
      [3, '2', 1],
      [4, '3', 1],
    ]);
  });
});
