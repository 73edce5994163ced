import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BulkInsert } from '../../src/db/batches.js';

describe('BulkInsert with constant columns (ADR 0144) stores what the plain form stores', () => {
  it('any number of rows (below, at and across the 128-row statement): the same table, row for row', () => {
    for (const n of [0, 1, 127, 128, 129, 300, 1000]) {
      const db = new Database(':memory:');
      for (const t of ['plain', 'fixed']) db.exec(`CREATE TABLE ${t} (id INTEGER PRIMARY KEY, imp INTEGER NOT NULL, batch TEXT NOT NULL, v TEXT, w INTEGER, d TEXT)`);
      const plain = new BulkInsert(db, 'plain', ['id', 'imp', 'batch', 'v', 'w', 'd']);
      const fixed = new BulkInsert(db, 'fixed', ['id', 'v', 'w'], { imp: 7, batch: 'INQ-2026-0001', d: null });
      for (let i = 1; i <= n; i++) {
        const v = i % 5 === 0 ? null : `ｶﾅ${i}漢字`;
        plain.rows.push(i, 7, 'INQ-2026-0001', v, -i * 1000, null);
        fixed.rows.push(i, v, -i * 1000);
        if (i % 250 === 0) {
          plain.flush();
          fixed.flush();
        }
      }
      plain.flush();
      fixed.flush();
      const all = (t: string): unknown[] => db.prepare(`SELECT id, imp, typeof(imp) AS ti, batch, v, w, d FROM ${t} ORDER BY id`).all();
      expect(all('fixed')).toEqual(all('plain'));
      expect(all('fixed')).toHaveLength(n);
    }
  });
});

describe('BulkInsert.flushFull: whole statements now, the rest later', () => {
  it('stores the rows of whole 128-row statements only; with a later flush() the same rows in the same order as flush() after every batch', () => {
    const db = new Database(':memory:');
    for (const t of ['each', 'full']) db.exec(`CREATE TABLE ${t} (n INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER NOT NULL, v TEXT)`);
    const each = new BulkInsert(db, 'each', ['id', 'v']);
    const full = new BulkInsert(db, 'full', ['id', 'v'], {});
    const count = (): number => (db.prepare('SELECT COUNT(*) AS c FROM full').get() as { c: number }).c;
    let id = 0;
    const stored: number[] = [];
    for (const batch of [100, 100, 57, 300, 1, 127]) {
      for (let i = 0; i < batch; i++) {
        id++;
        each.rows.push(id, `v${id}`);
        full.rows.push(id, `v${id}`);
      }
      each.flush();
      full.flushFull();
      stored.push(count());
      expect(full.pending).toBe(id - count());
    }
    expect(stored).toEqual([0, 128, 256, 512, 512, 640]);
    full.flush();
    const all = (t: string): unknown[] => db.prepare(`SELECT n, id, v FROM ${t} ORDER BY n`).all();
    expect(all('full')).toEqual(all('each'));
    expect(all('full')).toHaveLength(685);
  });
});
