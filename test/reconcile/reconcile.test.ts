import { appErrorOf } from '../helpers/errors.js';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/steps/reconcile/reconcile.js';
import { AppError } from '../../src/core/errors.js';
import { outstandingOf } from '../../src/db/targets.js';
import { batch, debt, deposit, newDb, payment, request, rows, statementImport } from './helpers.js';

interface R {
  chotei: string;
  receipt_date: string;
  honzei: number;
  entaikin: number;
  fee: number;
  request_id: number;
}

describe('reconcile', () => {
  it('books receipts by the statutory order, an overpayment, matches the deposit and is idempotent', () => {
    const { db } = newDb();
    debt(db, { chotei: 'D2', atena: 'A1', due: '2021-05-31', honzei: 10000 });
    debt(db, { chotei: 'D1', atena: 'A1', due: '2021-05-31', honzei: 65000, fee: 100 });
    debt(db, { chotei: 'X1', atena: 'A1', due: '2020-01-31', honzei: 50000 }); // not covered by the request
    debt(db, { chotei: 'E1', atena: 'A2', due: '2021-05-31', honzei: 65000 });
    const b = batch(db);
    const r1 = request(db, b, 1, 'A1', ['D1', 'D2'], [{ collected: 50000, date: '2022-01-31' }, { collected: 40000, date: '2022-01-31' }]);
    const r2 = request(db, b, 2, 'A2', ['E1'], [{ collected: 70000, date: '2022-01-31' }]);
    request(db, b, 3, 'A3', [], [{ collected: 0, seized: 0, result: '11' }]);
    const imp = statementImport(db);
    deposit(db, imp, { inquiry: '00000001', date: '2022-01-31', amount: 160000 });

    const s = reconcile(db, b, { engine: { chunk: 1 } });
    expect(s.changed).toBe(true);
    expect(s.policy).toBe('statutory-oldest-first');
    // A1: 90,000 → D1 fee 100, 本税 65,000, 延滞金 3,400; D2 本税 10,000; 延滞金 of D2 (10,000 base) to 2022-01-31:
    // 10,000×2.5%×30/365 = 20; ×8.8%×184/365 = 443; ×8.7%×31/365 = 73 → 536 → under 1,000 → 0. Overpayment 11,500.
    const rec = rows<R>(db, 'SELECT chotei, receipt_date, honzei, entaikin, fee, request_id FROM receipts ORDER BY request_id, chotei');
    expect(rec).toEqual([
      { chotei: 'D1', receipt_date: '2022-01-31', honzei: 65000, entaikin: 3400, fee: 100, request_id: r1 },
      { chotei: 'D2', receipt_date: '2022-01-31', honzei: 10000, entaikin: 0, fee: 0, request_id: r1 },
      { chotei: 'E1', receipt_date: '2022-01-31', honzei: 65000, entaikin: 3400, fee: 0, request_id: r2 },
    ]);
    const over = rows<{ request_id: number; atena: string; amount: number }>(db, 'SELECT request_id, atena, amount FROM overpayments ORDER BY request_id');
    expect(over).toEqual([
      { request_id: r1, atena: 'A1', amount: 11500 },
      { request_id: r2, atena: 'A2', amount: 1600 },
    ]);
    expect(s.receipts.total + s.overpayment.amount).toBe(s.collected);
    expect(s.collected).toBe(160000);
    expect(s.deposits.matches).toEqual([
      { date: '2022-01-31', collected: 160000, entryId: 1, deposit: 160000, difference: 0, matched: true },
    ]);
    expect(rows(db, 'SELECT state FROM batches WHERE id = ?', b)).toEqual([{ state: 'reconciled' }]);
    expect(rows(db, "SELECT action FROM audit_log WHERE action = 'batch.reconcile'")).toHaveLength(1);
    expect(outstandingOf(db, 'X1').honzei).toBe(50000);

    const snapshot = JSON.stringify([rows(db, 'SELECT * FROM receipts'), rows(db, 'SELECT * FROM overpayments'), rows(db, 'SELECT * FROM deposit_matches')]);
    const again = reconcile(db, b);
    expect(again.changed).toBe(false);
    expect(again.receipts.count).toBe(3);
    expect(JSON.stringify([rows(db, 'SELECT * FROM receipts'), rows(db, 'SELECT * FROM overpayments'), rows(db, 'SELECT * FROM deposit_matches')])).toBe(
      snapshot,
    );
    expect(rows(db, "SELECT action FROM audit_log WHERE action = 'batch.reconcile'")).toHaveLength(1);
  });

  it('two 枝番 collected on different dates are allocated date by date without paying a yen twice', () => {
    const { db } = newDb();
    debt(db, { chotei: 'D1', atena: 'A1', due: '2021-05-31', honzei: 65000 });
    const b = batch(db);
    request(db, b, 1, 'A1', ['D1'], [{ collected: 50000, date: '2022-03-31' }, { collected: 30000, date: '2022-01-31' }]);
    reconcile(db, b);
    expect(rows<R>(db, 'SELECT chotei, receipt_date, honzei, entaikin, fee FROM receipts ORDER BY receipt_date')).toEqual([
      { chotei: 'D1', receipt_date: '2022-01-31', honzei: 30000, entaikin: 0, fee: 0 },
      { chotei: 'D1', receipt_date: '2022-03-31', honzei: 35000, entaikin: 3900, fee: 0 },
    ]);
    expect(rows(db, 'SELECT collection_date, amount FROM overpayments')).toEqual([{ collection_date: '2022-03-31', amount: 11100 }]);
  });

  it('a later batch allocates only what is still outstanding, and earlier receipts lower the 延滞金 base', () => {
    const { db } = newDb();
    debt(db, { chotei: 'D1', atena: 'A1', due: '2021-05-31', honzei: 65000, hasHistory: true });
    const b1 = batch(db);
    request(db, b1, 1, 'A1', ['D1'], [{ collected: 30000, date: '2022-01-31' }]);
    reconcile(db, b1);
    const b2 = batch(db);
    request(db, b2, 1, 'A1', ['D1'], [{ collected: 50000, date: '2022-03-31' }]);
    reconcile(db, b2);
    expect(rows<R>(db, 'SELECT chotei, receipt_date, honzei, entaikin, fee FROM receipts WHERE batch_id = ?', b2)).toEqual([
      { chotei: 'D1', receipt_date: '2022-03-31', honzei: 35000, entaikin: 3900, fee: 0 },
    ]);
    expect(rows(db, 'SELECT amount FROM overpayments WHERE batch_id = ?', b2)).toEqual([{ amount: 11100 }]);
  });

  it('a debt covered by two requests of one batch on different pages is never paid twice (with and without earlier not-included receipts)', () => {
    for (const earlier of [false, true]) {
      const { db } = newDb();
      debt(db, { chotei: 'D1', atena: 'A1', due: '2021-05-31', honzei: 65000 });
      debt(db, { chotei: 'P1', atena: 'A9', due: '2021-05-31', honzei: 20000 });
      if (earlier) {
        // a not-included receipt of another debt from an earlier batch: the look-up path
        const b0 = batch(db);
        request(db, b0, 1, 'A9', ['P1'], [{ collected: 5000, date: '2022-01-31' }]);
        reconcile(db, b0);
      }
      const b = batch(db);
      // abnormal (extract never does it): the same debt in two requests of one batch
      request(db, b, 1, 'A1', ['D1'], [{ collected: 30000, date: '2022-01-31' }]);
      request(db, b, 2, 'A2', ['D1'], [{ collected: 50000, date: '2022-03-31' }]);
      const s = reconcile(db, b, { engine: { chunk: 1 } });
      expect(rows<R>(db, 'SELECT chotei, receipt_date, honzei, entaikin, fee FROM receipts WHERE batch_id = ? ORDER BY receipt_date', b)).toEqual([
        { chotei: 'D1', receipt_date: '2022-01-31', honzei: 30000, entaikin: 0, fee: 0 },
        { chotei: 'D1', receipt_date: '2022-03-31', honzei: 35000, entaikin: 3900, fee: 0 },
      ]);
      expect(rows(db, 'SELECT collection_date, amount FROM overpayments WHERE batch_id = ?', b)).toEqual([{ collection_date: '2022-03-31', amount: 11100 }]);
      expect(s.receipts.total + s.overpayment.amount).toBe(80000);
    }
  });

  it('uses the export payment history for the base; without history the export outstanding runs from 納期限', () => {
    const { db } = newDb();
    // history: 30,000 paid 2022-01-31 (in the export), so 35,000 outstanding
    debt(db, { chotei: 'H1', atena: 'A1', due: '2021-05-31', honzei: 65000, honzeiPaid: 30000, hasHistory: true });
    payment(db, 'H1', '2022-01-31', 30000);
    // same figures, no history: base 35,000 from 2021-06-01:
    // 35,000×2.5%×30/365 = 71; ×8.8%×184/365 = 1,552; ×8.7%×90/365 = 750 → 2,373 → 2,300
    debt(db, { chotei: 'N1', atena: 'A2', due: '2021-05-31', honzei: 65000, honzeiPaid: 30000 });
    const b = batch(db);
    request(db, b, 1, 'A1', ['H1'], [{ collected: 50000, date: '2022-03-31' }]);
    request(db, b, 2, 'A2', ['N1'], [{ collected: 50000, date: '2022-03-31' }]);
    reconcile(db, b);
    expect(rows<R>(db, 'SELECT chotei, honzei, entaikin FROM receipts ORDER BY chotei')).toEqual([
      { chotei: 'H1', honzei: 35000, entaikin: 3900 },
      { chotei: 'N1', honzei: 35000, entaikin: 2300 },
    ]);
  });

  it('取立保留 records unresolved: exit 4 naming the holds, nothing booked; wrong states are exit 4; unknown policy is exit 2', () => {
    const { db } = newDb();
    debt(db, { chotei: 'D1', atena: 'A1', due: '2021-05-31', honzei: 65000 });
    const b = batch(db, { mode: 'deferred' });
    request(db, b, 1, 'A1', ['D1'], [{ collected: 0, seized: 65000, result: '01', date: null }]);
    const held = appErrorOf(() => reconcile(db, b));
    expect(held.exit).toBe(4);
    expect(held.msg.en).toContain('held 1, instructed 0, not done 0');
    expect(rows(db, 'SELECT COUNT(*) AS n FROM receipts')).toEqual([{ n: 0 }]);

    const w = batch(db, { state: 'written' });
    const err = (() => {
      try {
        reconcile(db, w);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).exit).toBe(4);
    expect(() => reconcile(db, 'nope')).toThrow(AppError);
    const b3 = batch(db);
    try {
      reconcile(db, b3, { policy: 'whatever' });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).exit).toBe(2);
    }
    expect(rows(db, 'SELECT state FROM batches WHERE id = ?', b3)).toEqual([{ state: 'results-imported' }]);
  });
});
