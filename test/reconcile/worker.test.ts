/**
 * Reconcile's reading and allocation on the second core (ADR 0054): the worker, which
 * reads the snapshot the step's transaction began from, books exactly what the inline
 * path books — across page boundaries, with receipts of an earlier batch not yet in the
 * export, overpayments and several collection dates; its errors arrive with their code
 * and nothing is stored; a debt covered twice in one batch (which a snapshot cannot
 * serve) is reconciled inline with the same result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcile, type ReconcileSummary } from '../../src/steps/reconcile/reconcile.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { appErrorOf } from '../helpers/errors.js';
import { batch, debt, deposit, newDb, request, rows, statementImport } from './helpers.js';

/** The same database twice (closed, copied, reopened). */
function twins(build: (db: Db) => string): { a: Db; b: Db; batchId: string } {
  const { db, dir, file } = newDb();
  const batchId = build(db);
  db.close();
  const copy = path.join(dir, 'copy.db');
  fs.copyFileSync(file, copy);
  return { a: openDb(file), b: openDb(copy), batchId };
}

function booked(db: Db, batchId: string): unknown[] {
  return [
    rows(db, 'SELECT request_id, chotei, atena, receipt_date, honzei, entaikin, fee FROM receipts WHERE batch_id = ? ORDER BY id', batchId),
    rows(db, 'SELECT request_id, atena, collection_date, amount FROM overpayments WHERE batch_id = ? ORDER BY id', batchId),
    rows(db, 'SELECT collection_date, collected, entry_id, deposit, difference, matched FROM deposit_matches WHERE batch_id = ?', batchId),
    rows(db, 'SELECT state FROM batches WHERE id = ?', batchId),
  ];
}

/** 60 taxpayers, 1–3 debts each, one or two collection dates, some over-collected; an earlier batch's receipts. */
function realistic(db: Db): string {
  const earlier = batch(db);
  const b = batch(db);
  let req = 0;
  for (let t = 1; t <= 60; t++) {
    const atena = `A${String(t).padStart(4, '0')}`;
    const chotei: string[] = [];
    for (let k = 0; k < 1 + (t % 3); k++) {
      const c = `C${String(t).padStart(4, '0')}${k}`;
      debt(db, { chotei: c, atena, due: `202${k}-0${1 + (t % 9)}-28`, honzei: 20000 + 7919 * ((t * 3 + k) % 11), fee: k === 0 ? 100 : 0, hasHistory: false });
      chotei.push(c);
    }
    if (t % 7 === 0) request(db, earlier, t, atena, [chotei[0] as string], [{ collected: 5000 + t, date: '2024-12-02' }]);
    const recs =
      t % 5 === 0
        ? [{ collected: 0, seized: 0, result: '11' }]
        : t % 4 === 0
          ? [{ collected: 30000 + 97 * t, date: '2025-01-15' }, { collected: 120000, date: '2025-01-20' }]
          : [{ collected: 10000 + 131 * t, date: '2025-01-15' }];
    request(db, b, ++req, atena, chotei, recs);
  }
  reconcile(db, earlier, { engine: { producer: 'inline' } });
  const imp = statementImport(db);
  deposit(db, imp, { inquiry: '00000001', date: '2025-01-15', amount: 1 });
  return b;
}

describe('reconcile on the second core', () => {
  it('books exactly what the inline path books, across pages', () => {
    for (const pageSize of [1, 7, 5000]) {
      const { a, b, batchId } = twins(realistic);
      const sa: ReconcileSummary = reconcile(a, batchId, { engine: { producer: 'worker', chunk: pageSize } });
      const sb: ReconcileSummary = reconcile(b, batchId, { engine: { producer: 'inline', chunk: pageSize } });
      expect(sa).toEqual(sb);
      expect(sa.receipts.count).toBeGreaterThan(60);
      expect(sa.overpayment.count).toBeGreaterThan(0);
      expect(booked(a, batchId)).toEqual(booked(b, batchId));
      a.close();
      b.close();
    }
  });

  it('an error in the worker arrives with its code and exit code; nothing is stored', () => {
    const { db } = newDb();
    debt(db, { chotei: 'D1', atena: 'A1', due: '2021-05-31', honzei: 65000 });
    debt(db, { chotei: 'D2', atena: 'A2', due: '2021-05-31', honzei: 65000 });
    const b = batch(db);
    request(db, b, 1, 'A1', ['D1'], [{ collected: 30000, date: '2022-01-31' }]);
    request(db, b, 2, 'A2', ['D2'], [{ collected: 30000, date: null }]);
    const e = appErrorOf(() => reconcile(db, b, { engine: { producer: 'worker', chunk: 1 } }));
    expect(e.code).toBe('reconcile.collection-date-missing');
    expect(e.exit).toBe(3);
    expect(rows(db, 'SELECT COUNT(*) AS n FROM receipts')).toEqual([{ n: 0 }]);
    expect(rows(db, 'SELECT state FROM batches WHERE id = ?', b)).toEqual([{ state: 'results-imported' }]);
  });

  it('a debt covered by two requests of one batch on different pages: same receipts as inline (the step falls back)', () => {
    const { a, b, batchId } = twins((db) => {
      debt(db, { chotei: 'D1', atena: 'A1', due: '2021-05-31', honzei: 65000 });
      const id = batch(db);
      request(db, id, 1, 'A1', ['D1'], [{ collected: 30000, date: '2022-01-31' }]);
      request(db, id, 2, 'A2', ['D1'], [{ collected: 50000, date: '2022-03-31' }]);
      return id;
    });
    expect(reconcile(a, batchId, { engine: { producer: 'worker', chunk: 1 } })).toEqual(reconcile(b, batchId, { engine: { producer: 'inline', chunk: 1 } }));
    expect(booked(a, batchId)).toEqual(booked(b, batchId));
    expect(rows(a, 'SELECT SUM(honzei) AS h FROM receipts WHERE chotei = ?', 'D1')).toEqual([{ h: 65000 }]);
  });
});
