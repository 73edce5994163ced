/**
 * The view inquiry_answers is the one definition of an inquiry's 回答区分 (ADR 0195); the
 * readers on hot paths use equivalent joins instead of it. Held equal here, on batches with
 * every code, files answered and not, two banks, answers of the same people at several dates
 * and file numbers, and a cancelled batch: the report's figures (inquiryReportFigures), the
 * follow-ups (iterateFollowUps) and extract's newest knowledge (extractPageReader().answers).
 */
import { describe, expect, it } from 'vitest';
import { extractPageReader } from '../../src/db/batches.js';
import { inquiryReportFigures, iterateFollowUps } from '../../src/db/inquiries.js';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { inquiryBatch, storeAnswers } from '../helpers/inquiry-batch.js';

function setup() {
  const { db } = fixtureDb(tempDir());
  // 0184, 2026-11-01, file 43 (seqs 1–2) answered, file 44 (3–4) not
  const a = inquiryBatch(db, { fileNumber: 43, baseDate: '2026-11-01', perFile: 2 });
  storeAnswers(db, a, { 1: { code: '1', accounts: [{ number: '1111111', balance: 100 }, { number: '1111112', balance: -5 }] }, 2: { code: '3' } }, null);
  // 0184, the same date, a later file number: wins for the people it answers 1 or 2
  const b = inquiryBatch(db, { fileNumber: 50, baseDate: '2026-11-01' });
  storeAnswers(db, b, { 1: { code: '2' }, 2: { code: '1', accounts: [{ number: '2222222', balance: 7 }] }, 3: { code: '4' }, 4: { code: '1', accounts: [{ number: '4444444', balance: 9 }] } });
  // 0005, newer
  const c = inquiryBatch(db, { bank: '0005', fileNumber: 2, baseDate: '2026-12-01', perFile: 3 });
  storeAnswers(db, c, { 1: { code: '1', accounts: [{ number: '3333333', balance: 1 }] }, 2: { code: '2' }, 3: { code: '2' } }, null);
  // 0184, newest but cancelled: ignored by extract
  const d = inquiryBatch(db, { fileNumber: 60, baseDate: '2026-12-01' });
  storeAnswers(db, d, { 1: { code: '1', accounts: [{ number: '9999999', balance: 1 }] }, 2: { code: '2' }, 3: { code: '2' }, 4: { code: '2' } }, null);
  db.prepare("UPDATE batches SET state = 'cancelled' WHERE id = ?").run(d.id);
  return { db, batches: [a, b, c, d] };
}

describe('inquiry_answers: the hot-path readers equal the view', () => {
  it('the view: 3/4 stored, 1 with accounts, 2 the rest of an answered file, NULL while the file is not answered', () => {
    const { db, batches } = setup();
    const codes = (id: string): unknown[] => db.prepare('SELECT answer_code FROM inquiry_answers WHERE batch_id = ? ORDER BY seq').pluck().all(id);
    expect(batches.map((b) => codes(b.id))).toEqual([
      ['1', '3', null, null],
      ['2', '1', '4', '1'],
      ['1', '2', '2', null],
      ['1', '2', '2', '2'],
    ]);
  });

  it('inquiryReportFigures counts what the view says, per batch', () => {
    const { db, batches } = setup();
    for (const b of batches) {
      const n = (where: string): number => db.prepare(`SELECT COUNT(*) FROM inquiry_answers WHERE batch_id = ? AND ${where}`).pluck().get(b.id) as number;
      const f = inquiryReportFigures(db, b.id);
      expect(f.inquiries).toBe(n('1'));
      expect(f.pending).toBe(n('answer_code IS NULL'));
      expect(f.answers).toEqual({ '1': n("answer_code = '1'"), '2': n("answer_code = '2'"), '3': n("answer_code = '3'"), '4': n("answer_code = '4'") });
    }
    expect(inquiryReportFigures(db, batches[0]!.id)).toMatchObject({ inquiries: 4, pending: 2, answers: { '1': 1, '2': 0, '3': 1, '4': 0 }, accounts: 2, balanceTotal: 95 });
  });

  it('iterateFollowUps gives the view’s 3 and 4 in seq order', () => {
    const { db, batches } = setup();
    for (const b of batches) {
      const ref = db.prepare("SELECT atena, answer_code FROM inquiry_answers WHERE batch_id = ? AND answer_code IN ('3', '4') ORDER BY seq").raw(true).all(b.id);
      expect([...iterateFollowUps(db, b.id)]).toEqual(ref);
    }
    expect([...iterateFollowUps(db, batches[1]!.id)]).toEqual([['1003', '4']]);
  });

  it('extract’s newest answer of 回答区分 1/2 per (person, bank) equals the same rule over the view', () => {
    const { db } = setup();
    const ref = db
      .prepare(
        `WITH ans AS (
           SELECT v.atena, b.bank_code, b.execution_date AS base_date, f.file_number, v.answer_code, v.batch_id, v.seq,
                  ROW_NUMBER() OVER (PARTITION BY v.atena, b.bank_code ORDER BY b.execution_date DESC, f.file_number DESC) AS rn
           FROM inquiry_answers v
           JOIN batches b ON b.id = v.batch_id AND b.kind = 'inquiry' AND b.state <> 'cancelled'
           JOIN batch_files f ON f.batch_id = v.batch_id AND v.seq BETWEEN f.first_request AND f.last_request
           WHERE v.answer_code IN ('1','2'))
         SELECT a.id, n.atena, n.bank_code, n.base_date, n.file_number, n.answer_code,
                a.branch_code, a.account_type, a.account_number, a.holder_kana, a.balance
         FROM ans n LEFT JOIN answer_accounts a ON a.batch_id = n.batch_id AND a.seq = n.seq
         WHERE n.rn = 1
         ORDER BY n.atena, n.bank_code, a.branch_code, a.account_type, a.account_number`,
      )
      .raw(true)
      .all();
    const got = extractPageReader(db).answers('', '\uffff');
    expect(got).toEqual(ref);
    // 1001 at 0184: batch b's 2 (file 50 beats file 43's 1); 1002 at 0184: b's 1; 1003: b's 4 is no knowledge, a's file 44 unanswered
    expect(got.filter((r) => r[2] === '0184').map((r) => [r[1], r[4], r[5], r[8]])).toEqual([
      ['1001', 50, '2', null],
      ['1002', 50, '1', '2222222'],
      ['12', 50, '1', '4444444'],
    ]);
    expect(got.filter((r) => r[2] === '0005').map((r) => [r[1], r[5]])).toEqual([
      ['1001', '1'],
      ['1002', '2'],
      ['1003', '2'],
    ]);
  });
});
