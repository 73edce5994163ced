/**
 * extract's two producers (docs/adr/0056): the worker thread reading the snapshot the
 * transaction began from, and the inline path, store the same rows and return the
 * same results — exclusions of every kind and their order, several banks,
 * --allow-multiple-banks with requests already open, file splits, page boundaries
 * anywhere. An error while the worker runs (its own or the storing thread's) leaves
 * nothing stored and surfaces as inline; a dry run through the worker stores nothing.
 * The worker script runs from dist/ (build first).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extract, type ExtractOptions, type ExtractResult } from '../../src/steps/extract/extract.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { appErrorOf } from '../helpers/errors.js';
import { account, count, debt, freshDb, payment, settings, target, taxpayer, tempDir } from './helpers.js';

const D = '2026-12-01';
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');

/** Exclusions of every kind, two configured banks and one not, multi-account requests, a request already open. */
function build(db: Db): void {
  settings(db, { bank: '0184', maxRecordsPerFile: 3, nextFileNumber: 100 });
  settings(db, { bank: '0005', nextFileNumber: 7 });
  for (let s = 1; s <= 5; s++) {
    taxpayer(db, { atena: `S${s}`, status: s });
    debt(db, { chotei: `CS${s}`, atena: `S${s}` });
    account(db, { atena: `S${s}`, number: '1000001' });
  }
  taxpayer(db, { atena: 'N1' }); // no seizable debt
  debt(db, { chotei: 'CN1', atena: 'N1', kubun: 3 });
  debt(db, { chotei: 'CN2', atena: 'N1', reminder: '2026-11-21' });
  debt(db, { chotei: 'CN3', atena: 'N1', prescription: D });
  account(db, { atena: 'N1', number: '1000001' });
  taxpayer(db, { atena: 'A1' }); // no account at all
  debt(db, { chotei: 'CA1', atena: 'A1' });
  taxpayer(db, { atena: 'B1' }); // only at a bank without settings
  debt(db, { chotei: 'CB1', atena: 'B1' });
  account(db, { atena: 'B1', bank: '9999', number: '1000001' });
  taxpayer(db, { atena: 'K1' }); // holder name not writable
  debt(db, { chotei: 'CK1', atena: 'K1' });
  account(db, { atena: 'K1', number: '1000001', holder: '山田太郎' });
  taxpayer(db, { atena: 'M1' }); // below --min-amount
  debt(db, { chotei: 'CM1', atena: 'M1', honzei: 999 });
  account(db, { atena: 'M1', number: '1000001' });
  taxpayer(db, { atena: 'I1', active: 0 }); // inactive: never counted
  debt(db, { chotei: 'CI1', atena: 'I1' });
  account(db, { atena: 'I1', number: '1000001' });
  // at both banks (largest Σ balance wins, else both with --allow-multiple-banks)
  for (const [atena, b184, b005] of [['T1', 300, 400], ['T2', 500, 500], ['T3', 900, 10]] as const) {
    taxpayer(db, { atena });
    debt(db, { chotei: `X${atena}`, atena, honzei: 40_000, fee: 100, entaikinKind: 1 });
    debt(db, { chotei: `Y${atena}`, atena, honzei: 7_000, kubun: 2 });
    account(db, { atena, bank: '0184', number: '0000001', balance: b184 });
    account(db, { atena, bank: '0005', number: '0000001', balance: b005 / 2 });
    account(db, { atena, bank: '0005', branch: '005', number: '0000002', balance: b005 / 2 });
  }
  // ordinary targets with 1–4 accounts (file splits at 3 records, 枝番 capped at 3), one with a payment history
  for (let i = 1; i <= 12; i++) target(db, `P${String(i).padStart(2, '0')}`, { accounts: 1 + (i % 4), honzei: 10_000 * i, bank: i % 5 === 0 ? '0005' : '0184' });
  payment(db, 'CP03', '2026-06-15', 5_000);
  db.prepare(`UPDATE debts SET honzei_paid = 5000, entaikin_kind = 1 WHERE chotei = 'CP03'`).run();
  account(db, { atena: 'P07', branch: '001', number: '0000009', holder: 'ヲノ' }); // one refused account among others
  account(db, { atena: 'P07', branch: '002', number: '0000008', holder: 'カ）ヤマダショウテン' }); // sorts first
  // requests already open: O1 at 0184 (in-open-batch), O2 at 0184 but also at 0005
  for (const atena of ['O1', 'O2']) {
    taxpayer(db, { atena });
    debt(db, { chotei: `C${atena}`, atena });
    account(db, { atena, bank: '0184', number: '0000001', balance: 1_000 });
  }
  account(db, { atena: 'O2', bank: '0005', number: '0000001', balance: 1 });
  db.exec(`INSERT INTO extractions (id, processing_date, options, created_at, operator) VALUES (50, '2026-11-02', '{}', 't', 'x');
    INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
      VALUES ('0184-00000001', 50, '0184', '0000012345', '2026-11-02', 'immediate', 'seizure-120', 'written', 2, 2, 2, 't', 't');
    INSERT INTO requests (id, batch_id, request_number, atena, limit_amount) VALUES (900, '0184-00000001', 1, 'O1', 1), (901, '0184-00000001', 2, 'O2', 1);`);
}

/** Everything extract stores, timestamps left out. */
function dump(db: Db): Record<string, unknown[]> {
  const tables: Record<string, string> = {
    extractions: 'SELECT * FROM extractions ORDER BY id',
    exclusions: 'SELECT rowid AS rid, * FROM exclusions ORDER BY rowid',
    batches: 'SELECT * FROM batches ORDER BY id',
    batch_files: 'SELECT * FROM batch_files ORDER BY batch_id, seq',
    requests: 'SELECT * FROM requests ORDER BY id',
    request_debts: 'SELECT * FROM request_debts ORDER BY request_id, chotei',
    request_records: 'SELECT * FROM request_records ORDER BY request_id, sub_number',
    bank_settings: 'SELECT * FROM bank_settings ORDER BY bank_code',
    audit_log: 'SELECT * FROM audit_log ORDER BY id',
  };
  const out: Record<string, unknown[]> = {};
  for (const [t, sql] of Object.entries(tables)) {
    out[t] = (db.prepare(sql).all() as Array<Record<string, unknown>>).map((r) => {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) if (k !== 'at' && !k.endsWith('_at')) o[k] = v;
      return o;
    });
  }
  return out;
}

/** The fixture as a closed database file, to be copied per run. */
function template(): string {
  const { db, file } = freshDb();
  build(db);
  db.close();
  return file;
}

function copyOf(file: string): Db {
  const to = path.join(tempDir(), 'copy.db');
  fs.copyFileSync(file, to);
  return openDb(to);
}

interface Run {
  results: ExtractResult[];
  progress: Array<[number, number]>;
  dump: Record<string, unknown[]>;
}

/** Run the extractions one after another on a fresh copy, through the given producer. */
function runAll(file: string, producer: 'worker' | 'inline', runs: ExtractOptions[]): Run {
  const db = copyOf(file);
  const progress: Array<[number, number]> = [];
  const results = runs.map((o) => extract(db, { operator: 'test', ...o, engine: { ...o.engine, producer }, onProgress: (d, t) => progress.push([d, t]) }));
  // stored with foreign keys off (ADR 0064): every reference holds, and the checks are back on
  expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  const out = { results, progress, dump: dump(db) };
  db.close();
  return out;
}

describe('extract: worker and inline producers store the same', () => {
  const file = template();

  it.each([1, 2, 3, 7, 1000])('page size %i: exclusions of every kind, two banks, file splits', (pageSize) => {
    const runs: ExtractOptions[] = [{ date: D, minAmount: 1000, engine: { chunk: pageSize } }];
    const w = runAll(file, 'worker', runs);
    const i = runAll(file, 'inline', runs);
    expect(w).toEqual(i);
    const r = w.results[0] as ExtractResult;
    expect(Object.keys(r.excluded)).toEqual([
      'status-suspended',
      'status-deferred',
      'status-instalments',
      'status-bankrupt',
      'status-deceased',
      'in-open-batch',
      'no-seizable-debt',
      'no-account-at-bank',
      'bank-not-configured',
      'name-not-writable',
      'assigned-to-other-bank',
      'below-min-amount',
    ]);
    expect(r.batches.map((b) => b.id)).toEqual(['0005-00000007', '0184-00000100']);
    expect(r.batches[1]?.files).toBeGreaterThan(3);
    expect(r.accountsLeftOut).toEqual({ 'name-not-writable': 1, 'over-sub-number-limit': 4 }); // P03, P11: 4 accounts; P07: 5 writable
    expect(w.progress.at(-1)).toEqual([27, 27]);
    expect(w.progress).toHaveLength(Math.ceil(27 / pageSize));
  });

  it('--allow-multiple-banks, a second extraction over the first one\'s open requests, one bank', () => {
    const runs: ExtractOptions[] = [
      { date: D, allowMultipleBanks: true, engine: { chunk: 2 } },
      { date: '2026-12-02', allowMultipleBanks: true, engine: { chunk: 3 } },
      { date: '2026-12-03', banks: ['0005'], engine: { chunk: 4 } },
    ];
    const w = runAll(file, 'worker', runs);
    const i = runAll(file, 'inline', runs);
    expect(w).toEqual(i);
    const [first, second] = w.results as [ExtractResult, ExtractResult];
    expect(first.excluded['assigned-to-other-bank']).toBeUndefined();
    expect(first.excluded['in-open-batch']).toBe(1); // O1; O2 gets 0005 only
    expect(w.dump['requests']?.filter((r) => (r as { atena: string }).atena === 'T2')).toHaveLength(2);
    expect(second.excluded['in-open-batch']).toBe(18);
    // N1's second debt ripened on 12-02: its only request of the second run
    expect(second.batches.map((b) => [b.id, b.requests])).toEqual([['0184-00000110', 1]]);
  });

  it('a database without a file (:memory:) is evaluated inline, with the same result as the worker on a file', () => {
    const mem = openDb(':memory:');
    mem.prepare(`INSERT INTO imports (id, kind, sha256, files, imported_at, operator) VALUES (1, 'targets', 'x', '[]', 't', 'test')`).run();
    build(mem);
    const r = extract(mem, { date: D, minAmount: 1000, engine: { chunk: 2 }, operator: 'test' });
    expect(() => extract(mem, { date: D, engine: { producer: 'worker' } })).toThrow(/worker producer needs a database file/);
    const w = runAll(file, 'worker', [{ date: D, minAmount: 1000, engine: { chunk: 2 } }]);
    expect(r).toEqual(w.results[0]);
    expect(dump(mem)).toEqual(w.dump);
    mem.close();
  });

  it('a dry run through the worker stores nothing and reports what the real run stores', () => {
    const db = copyOf(file);
    const before = dump(db);
    const dry = extract(db, { date: D, minAmount: 1000, dryRun: true, engine: { producer: 'worker', chunk: 2 } });
    expect(dump(db)).toEqual(before);
    expect(dry.extractionId).toBeNull();
    const real = extract(db, { date: D, minAmount: 1000, engine: { producer: 'worker', chunk: 2 } });
    expect({ ...dry, extractionId: real.extractionId, dryRun: false }).toEqual(real);
    db.close();
  });
});

describe('extract: errors while the worker runs', () => {
  it('an error in the worker (a negative 延滞金 paid, page 3) surfaces as inline; nothing stored, the lock released', () => {
    const { db, file } = freshDb();
    settings(db);
    for (const a of ['T1', 'T2', 'T3', 'T4']) target(db, a);
    taxpayer(db, { atena: 'T5' });
    debt(db, { chotei: 'CT5', atena: 'T5', entaikinKind: 1, entaikinPaid: -5 });
    account(db, { atena: 'T5', number: '1000001' });
    const bad = 'entaikinPaid must be a non-negative whole number of yen: -5';
    const message = (producer: 'worker' | 'inline'): string => {
      try {
        extract(db, { date: D, engine: { producer, chunk: 2 } });
      } catch (e) {
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(message('worker')).toBe(bad);
    expect(message('inline')).toBe(bad);
    for (const t of ['extractions', 'exclusions', 'batches', 'requests', 'request_debts', 'request_records', 'audit_log']) {
      expect(count(db, `SELECT COUNT(*) AS n FROM ${t}`)).toBe(0);
    }
    db.close();
    // the CLI (worker path): exit 1, the message on stderr
    const cli = spawnSync(process.execPath, [CLI, '--db', file, 'extract', '--date', D], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(bad);
    // nothing left locked or half done: the next run (status fixed) stores everything
    const again = openDb(file);
    again.prepare(`UPDATE debts SET entaikin_paid = 0 WHERE chotei = 'CT5'`).run();
    expect(count(again, 'SELECT COUNT(*) AS n FROM extractions')).toBe(0);
    expect(extract(again, { date: D, engine: { producer: 'worker', chunk: 2 } }).batches[0]?.requests).toBe(5);
    again.close();
  });

  it('an AppError of the storing thread mid-stream (file number past 8 digits) closes the worker; code and exit as inline', () => {
    const { db } = freshDb();
    settings(db, { maxRecordsPerFile: 1, nextFileNumber: 99_999_999 });
    for (const a of ['T1', 'T2', 'T3', 'T4', 'T5']) target(db, a);
    for (const producer of ['worker', 'inline'] as const) {
      const e = appErrorOf(() => extract(db, { date: D, engine: { producer, chunk: 1 } }));
      expect([e.code, e.exit]).toEqual(['extract.file-number', 4]);
      expect(e.msg.en).toContain('file number exceeds 8 digits');
    }
    for (const t of ['extractions', 'batches', 'requests', 'request_records']) expect(count(db, `SELECT COUNT(*) AS n FROM ${t}`)).toBe(0);
    expect(db.prepare(`SELECT next_file_number AS n FROM bank_settings`).get()).toEqual({ n: 99_999_999 });
    db.close();
  });
});
