/**
 * answerBulkWriter (ADR 0195): no inquiries row is written; the 3 and 4 go to
 * inquiry_follow_ups, and once the file has its answer import (setFileResults) the view
 * inquiry_answers gives every inquiry its code: 3/4 stored, 1 with accounts, 2 the rest.
 */
import { describe, expect, it } from 'vitest';
import { answerBulkWriter } from '../../src/db/inquiries.js';
import { setFileResults } from '../../src/db/results.js';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { inquiryBatch } from '../helpers/inquiry-batch.js';

function setup() {
  const { db } = fixtureDb(tempDir());
  const b = inquiryBatch(db);
  const writer = answerBulkWriter(db, 1, { batchId: b.id, bankCode: '0184', knowledgeDate: '2026-12-01', fileNumber: 43, firstSeq: 1, lastSeq: 4 });
  const inquiries = (): unknown[] => db.prepare('SELECT * FROM inquiries ORDER BY batch_id, seq').raw(true).all();
  const followUps = (): unknown[] => db.prepare('SELECT batch_id, seq, answer_code FROM inquiry_follow_ups ORDER BY batch_id, seq').raw(true).all();
  const view = (): unknown[] => db.prepare('SELECT seq, answer_code, answer_import_id FROM inquiry_answers WHERE batch_id = ? ORDER BY seq').raw(true).all(b.id);
  return { db, b, writer, inquiries, followUps, view };
}

const account = (seq: number, accountSeq: number) =>
  ({ seq, accountSeq, atena: String(1000 + seq), branchCode: '310', accountType: '1', accountNumber: '0012345', holderKana: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: 100, lastTransactionDate: null, loan: 0 }) as const;

describe('answerBulkWriter: follow-ups stored, codes derived', () => {
  it('stores the 3 and 4 only and changes no inquiries row; with the file answered the view gives 1, 3, 2, 4', () => {
    const a = setup();
    const before = a.inquiries();
    a.writer.account(account(1, 1));
    a.writer.answerCode(2, '3');
    a.writer.account(account(1, 2));
    a.writer.answerCode(4, '4');
    a.writer.flush();
    expect(a.inquiries()).toEqual(before);
    expect(a.followUps()).toEqual([
      [a.b.id, 2, '3'],
      [a.b.id, 4, '4'],
    ]);
    expect(a.db.prepare('SELECT seq, account_seq FROM answer_accounts ORDER BY id').raw(true).all()).toEqual([
      [1, 1],
      [1, 2],
    ]);
    // not answered until the file has its import
    expect(a.view()).toEqual([
      [1, null, null],
      [2, null, null],
      [3, null, null],
      [4, null, null],
    ]);
    setFileResults(a.db, a.b.id, 1, 1);
    expect(a.view()).toEqual([
      [1, '1', 1],
      [2, '3', 1],
      [3, '2', 1],
      [4, '4', 1],
    ]);
  });

  it('a 3 given twice for one inquiry is stored once; a second, different code or a seq outside the file is refused', () => {
    const a = setup();
    a.writer.answerCode(3, '3');
    a.writer.answerCode(3, '3');
    expect(() => a.writer.answerCode(3, '4')).toThrow(/two codes for one inquiry/);
    expect(() => a.writer.answerCode(5, '4')).toThrow(/outside the file/);
    a.writer.flush();
    expect(a.followUps()).toEqual([[a.b.id, 3, '3']]);
  });
});
