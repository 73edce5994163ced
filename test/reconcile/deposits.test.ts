import { describe, expect, it } from 'vitest';
import { matchDeposits } from '../../src/db/deposit-matches.js';
import { reconcile } from '../../src/steps/reconcile/reconcile.js';
import { compareInquiry, matchCollectionsToDeposits } from '../../src/domain/deposit-matching.js';
import { batch, debt, deposit, newDb, request, rows, statementImport } from './helpers.js';

describe('matchCollectionsToDeposits (pure)', () => {
  it('exact match; two equal candidates → lower 照会番号; difference against the largest; no deposit', () => {
    const deposits = [
      { id: 1, inquiryNumber: '00000020', valueDate: '2025-01-15', amount: 5000 },
      { id: 2, inquiryNumber: '00000003', valueDate: '2025-01-15', amount: 5000 },
      { id: 3, inquiryNumber: '00000001', valueDate: '2025-01-16', amount: 700 },
      { id: 4, inquiryNumber: '00000002', valueDate: '2025-01-16', amount: 900 },
    ];
    expect(
      matchCollectionsToDeposits(
        [
          { date: '2025-01-17', collected: 10 },
          { date: '2025-01-16', collected: 1000 },
          { date: '2025-01-15', collected: 5000 },
        ],
        deposits,
      ),
    ).toEqual([
      { date: '2025-01-15', collected: 5000, entryId: 2, deposit: 5000, difference: 0, matched: true },
      { date: '2025-01-16', collected: 1000, entryId: 4, deposit: 900, difference: -100, matched: false },
      { date: '2025-01-17', collected: 10, entryId: null, deposit: null, difference: null, matched: false },
    ]);
  });
  it('照会番号 compares as a number', () => {
    expect(compareInquiry('9', '10')).toBeLessThan(0);
    expect(compareInquiry('00000010', '9')).toBeGreaterThan(0);
  });
});

function setup(): { db: ReturnType<typeof newDb>['db']; b: string; imp: number } {
  const { db } = newDb();
  debt(db, { chotei: 'D1', atena: 'A1', due: '2024-05-31', honzei: 100000, entaikinKind: 0 });
  debt(db, { chotei: 'D2', atena: 'A2', due: '2024-05-31', honzei: 100000, entaikinKind: 0 });
  const b = batch(db);
  request(db, b, 1, 'A1', ['D1'], [{ collected: 3000, date: '2025-01-15' }]);
  request(db, b, 2, 'A2', ['D2'], [{ collected: 2000, date: '2025-01-15' }, { collected: 4000, date: '2025-01-16' }]);
  return { db, b, imp: statementImport(db) };
}

describe('matchDeposits (stored)', () => {
  it('matches per collection date, stores deposit_matches and statement_entries, idempotent', () => {
    const { db, b, imp } = setup();
    const e1 = deposit(db, imp, { inquiry: '00000007', date: '2025-01-15', amount: 5000 });
    const e2 = deposit(db, imp, { inquiry: '00000005', date: '2025-01-15', amount: 5000 });
    deposit(db, imp, { inquiry: '00000001', date: '2025-01-15', amount: 5000, inOut: 2 }); // 出金: never
    deposit(db, imp, { inquiry: '00000002', date: '2025-01-15', amount: 5000, account: '0999999' }); // other account
    const big = deposit(db, imp, { inquiry: '00000009', date: '2025-01-16', amount: 3500 });
    deposit(db, imp, { inquiry: '00000008', date: '2025-01-16', amount: 100 });
    const s = matchDeposits(db, b);
    expect(s.statementImported).toBe(true);
    expect(s.matches).toEqual([
      { date: '2025-01-15', collected: 5000, entryId: e2, deposit: 5000, difference: 0, matched: true },
      { date: '2025-01-16', collected: 4000, entryId: big, deposit: 3500, difference: -500, matched: false },
    ]);
    expect(rows(db, 'SELECT id, matched_batch, matched_date FROM statement_entries WHERE matched_batch IS NOT NULL')).toEqual([
      { id: e2, matched_batch: b, matched_date: '2025-01-15' },
    ]);
    expect(rows(db, 'SELECT collection_date, deposit, difference, matched FROM deposit_matches WHERE batch_id = ? ORDER BY 1', b)).toEqual([
      { collection_date: '2025-01-15', deposit: 5000, difference: 0, matched: 1 },
      { collection_date: '2025-01-16', deposit: 3500, difference: -500, matched: 0 },
    ]);
    const audits = rows(db, "SELECT * FROM audit_log WHERE action = 'batch.match-deposits'").length;
    matchDeposits(db, b);
    expect(rows(db, 'SELECT id FROM statement_entries WHERE matched_batch IS NOT NULL')).toEqual([{ id: e2 }]);
    expect(rows(db, 'SELECT COUNT(*) AS n FROM deposit_matches')).toEqual([{ n: 2 }]);
    expect(rows(db, "SELECT * FROM audit_log WHERE action = 'batch.match-deposits'").length).toBe(audits);
    void e1;
  });

  it('one deposit never matches two batches: a second batch with the same total takes the other one, or none', () => {
    const { db, b, imp } = setup();
    const only = deposit(db, imp, { inquiry: '00000001', date: '2025-01-15', amount: 5000 });
    matchDeposits(db, b);
    const b2 = batch(db);
    debt(db, { chotei: 'D3', atena: 'A3', due: '2024-05-31', honzei: 100000, entaikinKind: 0 });
    request(db, b2, 1, 'A3', ['D3'], [{ collected: 5000, date: '2025-01-15' }]);
    const s2 = matchDeposits(db, b2);
    expect(s2.matches).toEqual([{ date: '2025-01-15', collected: 5000, entryId: null, deposit: null, difference: null, matched: false }]);
    expect(rows(db, 'SELECT matched_batch FROM statement_entries WHERE id = ?', only)).toEqual([{ matched_batch: b }]);
    const other = deposit(db, imp, { inquiry: '00000002', date: '2025-01-15', amount: 5000 });
    expect(matchDeposits(db, b2).matches[0]).toMatchObject({ entryId: other, matched: true });
    expect(rows(db, 'SELECT id, matched_batch FROM statement_entries ORDER BY id')).toEqual([
      { id: only, matched_batch: b },
      { id: other, matched_batch: b2 },
    ]);
  });

  it('reconcile matches the deposits; a statement imported later is matched by matchDeposits', () => {
    const { db, b, imp } = setup();
    const s = reconcile(db, b);
    expect(s.deposits.statementImported).toBe(false);
    expect(s.deposits.matches.every((m) => !m.matched && m.deposit === null)).toBe(true);
    deposit(db, imp, { inquiry: '00000001', date: '2025-01-15', amount: 5000 });
    deposit(db, imp, { inquiry: '00000002', date: '2025-01-16', amount: 4000 });
    const later = matchDeposits(db, b);
    expect(later.matches.map((m) => m.matched)).toEqual([true, true]);
    expect(rows(db, 'SELECT state FROM batches WHERE id = ?', b)).toEqual([{ state: 'reconciled' }]);
  });

  it('does nothing for a batch without results', () => {
    const { db, imp } = setup();
    const w = batch(db, { state: 'written' });
    deposit(db, imp, { inquiry: '00000001', date: '2025-01-15', amount: 5000 });
    expect(matchDeposits(db, w).matches).toEqual([]);
    expect(rows(db, 'SELECT COUNT(*) AS n FROM deposit_matches')).toEqual([{ n: 0 }]);
  });
});
