/**
 * reconcile of a 取立保留 (deferred) seizure batch (issue 16 item 4): refused with exit 4
 * while any hold is unresolved, naming the counts; then the instruction results' collections
 * are booked per request per 取立日 with 延滞金 to that date, the statement matched per
 * instruction file and 取立日; a batch whose holds were all released reconciles with 0.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { reconcile } from '../../src/steps/reconcile/reconcile.js';
import { importResults } from '../../src/steps/import-results/index.js';
import { appErrorOf } from '../helpers/errors.js';
import { deferredSeizure, instructionBatch, resultRecords, writeInstructionResult, type InstructionMade } from '../helpers/instruction-fixture.js';
import { debt, deposit, newDb, rows, statementImport } from './helpers.js';

/** A deferred batch whose every request covers one debt of 10,000 本税 due 2021-05-31 (延滞金 accrues). */
function setup(dir?: string) {
  const { db, dir: d } = newDb(dir);
  const s = deferredSeizure(db, d);
  const reqs = db.prepare('SELECT id, atena FROM requests WHERE batch_id = ? ORDER BY id').all(s.batchId) as Array<{ id: number; atena: string }>;
  for (const r of reqs) {
    debt(db, { chotei: `C${r.id}`, atena: r.atena, due: '2021-05-31', honzei: 10_000 });
    db.prepare('INSERT INTO request_debts (request_id, chotei, honzei_due, fee_due, entaikin_due) VALUES (?, ?, 10000, 0, 0)').run(r.id, `C${r.id}`);
  }
  return { db, dir: d, s };
}

function answer(db: Db, dir: string, m: InstructionMade, collectionDate?: string): void {
  importResults(db, writeInstructionResult(path.join(dir, `R_${m.fileNumber}.DAT`), m, resultRecords(m, collectionDate)));
}

describe('reconcile: deferred (取立保留) batch', () => {
  it('exit 4 while held or instructed, naming the counts; nothing booked, state unchanged', () => {
    const { db, s } = setup();
    const n = s.holds.length;
    expect(n).toBeGreaterThan(1);
    const held = appErrorOf(() => reconcile(db, s.batchId));
    expect(held.exit).toBe(4);
    expect(held.code).toBe('reconcile.holds-unresolved');
    expect(held.msg.en).toContain(`${n} unresolved`);
    expect(held.msg.en).toContain(`held ${n}, instructed 0, not done 0`);
    instructionBatch(db, s.batchId, { holds: s.holds.slice(0, 1) });
    const partly = appErrorOf(() => reconcile(db, s.batchId));
    expect(partly.msg.en).toContain(`held ${n - 1}, instructed 1, not done 0`);
    expect(rows(db, 'SELECT COUNT(*) AS n FROM receipts')).toEqual([{ n: 0 }]);
    expect(rows(db, 'SELECT state FROM batches WHERE id = ?', s.batchId)).toEqual([{ state: 'results-imported' }]);
  });

  it('books each collection on its 取立日 with 延滞金 to that date; later 取立日 → more 延滞金; deposit matched per instruction file and date', () => {
    const early = setup();
    const me = instructionBatch(early.db, early.s.batchId, { date: '2026-12-01' });
    answer(early.db, early.dir, me);
    const late = setup();
    const ml = instructionBatch(late.db, late.s.batchId, { date: '2027-03-01' });
    answer(late.db, late.dir, ml);
    const collected = me.records.reduce((a, r) => a + r.collect, 0);
    // the bank's one deposit for the instruction file on its 取立日
    deposit(late.db, statementImport(late.db), { inquiry: '1', date: '2027-03-01', amount: collected });
    const se = reconcile(early.db, early.s.batchId);
    const sl = reconcile(late.db, late.s.batchId);
    expect(se.collected).toBe(collected);
    expect(sl.collected).toBe(collected);
    type R = { receipt_date: string; honzei: number; entaikin: number };
    const re = rows<R>(early.db, 'SELECT receipt_date, honzei, entaikin FROM receipts ORDER BY chotei');
    const rl = rows<R>(late.db, 'SELECT receipt_date, honzei, entaikin FROM receipts ORDER BY chotei');
    expect(new Set(re.map((r) => r.receipt_date))).toEqual(new Set(['2026-12-01']));
    expect(new Set(rl.map((r) => r.receipt_date))).toEqual(new Set(['2027-03-01']));
    expect(re.length).toBe(rl.length);
    re.forEach((r, i) => {
      expect(r.honzei).toBe(10_000);
      expect(rl[i]!.entaikin).toBeGreaterThan(r.entaikin);
    });
    // receipts + overpayment = collected (every yen once)
    expect(sl.receipts.total + sl.overpayment.amount).toBe(collected);
    expect(sl.deposits.matches).toEqual([{ date: '2027-03-01', collected, entryId: expect.any(Number), deposit: collected, difference: 0, matched: true }]);
    expect(rows(late.db, 'SELECT state FROM batches WHERE id = ?', late.s.batchId)).toEqual([{ state: 'reconciled' }]);
  });

  it('two instruction files collecting on one date: one deposit per instruction file', () => {
    const { db, dir, s } = setup();
    const a = instructionBatch(db, s.batchId, { holds: s.holds.slice(0, 1), fileNumber: 200 });
    const b = instructionBatch(db, s.batchId, { holds: s.holds.slice(1), fileNumber: 201 });
    answer(db, dir, a);
    answer(db, dir, b);
    const ta = a.records.reduce((x, r) => x + r.collect, 0);
    const tb = b.records.reduce((x, r) => x + r.collect, 0);
    const imp = statementImport(db);
    deposit(db, imp, { inquiry: '1', date: a.date, amount: ta });
    deposit(db, imp, { inquiry: '2', date: a.date, amount: tb });
    const sum = reconcile(db, s.batchId);
    expect(sum.deposits.files).toBe(2);
    expect(sum.deposits.matches).toMatchObject([{ date: a.date, collected: ta + tb, matched: true }]);
    expect(rows(db, 'SELECT COUNT(*) AS n FROM statement_entries WHERE matched_batch = ?', s.batchId)).toEqual([{ n: 2 }]);
  });

  it('a batch whose holds were all released reconciles with 0 collected', () => {
    const { db, dir, s } = setup();
    const m = instructionBatch(db, s.batchId, { collect: () => 0 });
    answer(db, dir, m);
    const sum = reconcile(db, s.batchId);
    expect(sum).toMatchObject({ changed: true, collected: 0, receipts: { count: 0 }, overpayment: { count: 0 } });
    expect(rows(db, 'SELECT state FROM batches WHERE id = ?', s.batchId)).toEqual([{ state: 'reconciled' }]);
  });

  it('a hold answered 99 keeps the batch unreconciled (not done)', () => {
    const { db, dir, s } = setup();
    const m = instructionBatch(db, s.batchId);
    importResults(db, writeInstructionResult(path.join(dir, 'R99.DAT'), m, resultRecords(m).map((x, i) => (i === 0 ? { ...x, resultCode: '99', collectedAmount: 0, collectionDate: '00000000' } : x))));
    const e = appErrorOf(() => reconcile(db, s.batchId));
    expect(e.exit).toBe(4);
    expect(e.msg.en).toContain('held 0, instructed 0, not done 1');
  });

  it('the worker and the inline reading book the same receipts (pages of 2 requests)', () => {
    const booked = (producer: 'worker' | 'inline') => {
      const { db, dir, s } = setup();
      answer(db, dir, instructionBatch(db, s.batchId, { date: '2027-01-05' }));
      reconcile(db, s.batchId, { engine: { producer, chunk: 2 } });
      return rows(db, 'SELECT request_id, chotei, receipt_date, honzei, entaikin, fee FROM receipts ORDER BY request_id, chotei');
    };
    const w = booked('worker');
    expect(w.length).toBeGreaterThan(1);
    expect(booked('inline')).toEqual(w);
  });
});
