/**
 * The targets import's fast path (ADR 0059): a clean export read on the second core and
 * upserted directly must store exactly what the one-thread full path stores; anything
 * the full path reports or rejects must leave the fast path with nothing stored, and
 * give the full path's result exactly.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importTargets, type ImportTargetsOptions, type ImportSummary } from '../../src/steps/import-targets/import-targets.js';
import type { Db } from '../../src/db/connection.js';
import { generateExport } from '../../src/demo/generate.js';
import { AppError } from '../../src/core/errors.js';
import { addReceipt, newDb, removeLine, seedBatch, setCell, tmpDir, writeSet, type Role } from './helpers.js';

/** Every row of the tables an import writes, each value quoted (so 1 and 1.0 differ), without timestamps. */
function dump(db: Db): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const tables: Record<string, string> = {
    taxpayers: 'atena',
    debts: 'chotei',
    accounts: 'id',
    payments: 'id',
    receipts: 'id',
    imports: 'id',
    audit_log: 'id',
  };
  for (const [table, key] of Object.entries(tables)) {
    const cols = (db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>).map((c) => c.name).filter((c) => c !== 'imported_at' && c !== 'at');
    out[table] = (db.prepare(`SELECT ${cols.map((c) => `quote(${c})`).join(" || '|' || ")} AS r FROM ${table} ORDER BY ${key}`).all() as Array<{ r: string }>).map((r) => r.r);
  }
  return out;
}

/** The summary without what differs between the two paths by design. */
function comparable(s: ImportSummary): Omit<ImportSummary, 'fastPath' | 'rejectFiles'> & { rejectFiles: string[] } {
  const { fastPath: _f, ...rest } = s;
  return { ...rest, rejectFiles: rest.rejectFiles.map((f) => path.basename(f)) };
}

type Files = Pick<ImportTargetsOptions, 'taxpayers' | 'debts' | 'accounts' | 'payments'>;

/** Import the same inputs into two fresh databases, fast path and full path. */
async function both(
  steps: Array<{ files: Files; asOf: string; skipInvalid?: boolean }>,
  opts: Partial<ImportTargetsOptions> = {},
  seed?: (db: Db) => void,
): Promise<{ fast: Array<ImportSummary | Error>; full: Array<ImportSummary | Error>; dbs: [Db, Db] }> {
  const run = async (fastPath: boolean): Promise<{ results: Array<ImportSummary | Error>; db: Db }> => {
    const db = newDb(tmpDir());
    seed?.(db);
    const results: Array<ImportSummary | Error> = [];
    for (const s of steps) {
      try {
        results.push(await importTargets(db, { ...s.files, asOf: s.asOf, skipInvalid: s.skipInvalid, operator: 'tester', ...opts, engine: { ...opts.engine, producer: fastPath ? 'worker' : 'inline' } }));
      } catch (e) {
        results.push(e as Error);
      }
    }
    return { results, db };
  };
  const fast = await run(true);
  const full = await run(false);
  return { fast: fast.results, full: full.results, dbs: [fast.db, full.db] };
}

function expectSame(r: Awaited<ReturnType<typeof both>>): void {
  expect(r.fast.length).toBe(r.full.length);
  r.fast.forEach((f, i) => {
    const g = r.full[i]!;
    if (g instanceof Error) {
      expect(f).toBeInstanceOf(AppError);
      expect(g).toBeInstanceOf(AppError);
      const [ef, eg] = [f as AppError, g as AppError];
      expect({ code: ef.code, exit: ef.exit, msg: ef.msg, findings: ef.findings, more: ef.moreFindings, at: ef.location }).toEqual({ code: eg.code, exit: eg.exit, msg: eg.msg, findings: eg.findings, more: eg.moreFindings, at: eg.location });
    } else {
      expect(f).not.toBeInstanceOf(Error);
      expect(comparable(f as ImportSummary)).toEqual(comparable(g));
    }
  });
  expect(dump(r.dbs[0])).toEqual(dump(r.dbs[1]));
  for (const db of r.dbs) {
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  }
}

async function generated(dir: string, seed: number, records = 400): Promise<Files> {
  await generateExport({ outDir: dir, records, seed, banks: ['0184', '0005'], processingDate: '2026-12-01' });
  return {
    taxpayers: path.join(dir, 'taxpayers.csv'),
    debts: path.join(dir, 'debts.csv'),
    accounts: path.join(dir, 'accounts.csv'),
    payments: path.join(dir, 'payments.csv'),
  };
}

describe('targets import fast path: a clean export is stored as the full path stores it', () => {
  it('generated exports (CP932 and UTF-8), a newer snapshot over an older one, item sizes 1, 7 and the default', async () => {
    const a = await generated(tmpDir(), 11);
    const b = await generated(tmpDir(), 12);
    const u = tmpDir();
    await generateExport({ outDir: u, records: 150, seed: 13, banks: ['0184'], encoding: 'utf8', processingDate: '2026-12-01' });
    const c: Files = { taxpayers: path.join(u, 'taxpayers.csv'), debts: path.join(u, 'debts.csv'), accounts: path.join(u, 'accounts.csv'), payments: path.join(u, 'payments.csv') };
    expect(fs.statSync(a.payments!).size).toBeGreaterThan(100); // payments.csv has rows
    for (const fastChunkRows of [1, 7, undefined]) {
      const r = await both(
        [
          { files: a, asOf: '2026-11-30' },
          { files: b, asOf: '2026-12-01' },
          { files: c, asOf: '2026-12-02' },
        ],
        fastChunkRows === undefined ? {} : { engine: { chunk: fastChunkRows } },
      );
      for (const s of r.fast) expect((s as ImportSummary).fastPath).toBe(true);
      for (const s of r.full) expect((s as ImportSummary).fastPath).toBe(false);
      expect((r.fast[1] as ImportSummary).inactivated.taxpayers).toBeGreaterThan(0);
      expectSame(r);
    }
  });

  it('the fixture export, then a newer one with changes, removals, payments and included receipts', async () => {
    const dir = tmpDir();
    const first = writeSet(dir);
    const next = writeSet(tmpDir(), {
      taxpayers: (t) => removeLine(setCell(t, 3, '状態', '3'), 8),
      debts: (t) => removeLine(setCell(setCell(t, 2, '本税収納済額', '20000'), 2, '督促手数料収納済額', '100'), 9),
      accounts: (t) => removeLine(removeLine(t, 8), 3),
      payments: (t) => `${t}C2024000101,2024-12-20,10000,0,0\n`,
    });
    const seed = (db: Db): void => {
      db.exec("INSERT INTO imports (kind, sha256, files, as_of, imported_at, operator) VALUES ('targets', 'x', '[]', '2025-01-01', 't', 'op')");
      db.exec("INSERT INTO taxpayers (atena, name, kana, status, active, import_id) VALUES ('1000000001', 'x', 'x', 0, 1, 1)");
      db.exec("INSERT INTO debts (chotei, atena, kubun, tax_code, tax_name, fiscal_year, period, due_date, honzei, honzei_paid, fee, fee_paid, entaikin_paid, entaikin_kind, has_history, active, import_id) VALUES ('C2024000101', '1000000001', 1, '01', 'x', 2024, '1', '2024-07-01', 65000, 0, 100, 0, 0, 1, 0, 1, 1)");
      const b = seedBatch(db, '1000000001');
      addReceipt(db, b, { chotei: 'C2024000101', atena: '1000000001', date: '2024-12-20', honzei: 10000, fee: 0, entaikin: 0 });
    };
    const r = await both(
      [
        { files: first, asOf: '2025-01-31' },
        { files: next, asOf: '2025-02-28' },
      ],
      { progressEvery: 2 },
      seed,
    );
    expect((r.fast[1] as ImportSummary).receiptsIncluded).toBe(1);
    expectSame(r);
  });

  it('reports the same progress as the full path', async () => {
    const files = await generated(tmpDir(), 21, 120);
    const seen: Record<string, unknown[]> = { fast: [], full: [] };
    for (const fastPath of [true, false]) {
      const db = newDb(tmpDir());
      await importTargets(db, { ...files, asOf: '2026-12-01', engine: { producer: fastPath ? 'worker' : 'inline', chunk: 13 }, progressEvery: 25, onProgress: (p) => seen[fastPath ? 'fast' : 'full']!.push(p) });
      db.close();
    }
    expect(seen['fast']!.length).toBeGreaterThan(8);
    // the full path reads in the same order (taxpayers, debts, payments, accounts)
    expect(seen['fast']).toEqual(seen['full']);
  });

  it('leaving the fast path is said once, naming the file, before the full path reads again', async () => {
    const events: string[] = [];
    const run = async (edit: Parameters<typeof writeSet>[1], skipInvalid: boolean) => {
      const db = newDb(tmpDir());
      events.length = 0;
      const s = await importTargets(db, {
        ...writeSet(tmpDir(), edit),
        asOf: '2025-01-31',
        skipInvalid,
        maxRejectRate: 100, // tiny fixtures: one bad row is more than 5 % of a file
        progressEvery: 1,
        onFullCheck: (p) => events.push(`full-check ${p.role} ${p.file}`),
        onProgress: (p) => events.push(`${p.role} ${p.rows}`),
      });
      db.close();
      return s;
    };
    const clean = await run({}, false);
    expect(clean.fastPath).toBe(true);
    expect(events.filter((e) => e.startsWith('full-check'))).toEqual([]);
    const skipped = await run({ debts: (t) => setCell(t, 3, '本税', '12a') }, true);
    expect(skipped.fastPath).toBe(false);
    expect(skipped.rejected).toBeGreaterThan(0);
    const at = events.indexOf('full-check debts debts.csv');
    expect(events.filter((e) => e.startsWith('full-check'))).toEqual(['full-check debts debts.csv']);
    // after it, the progress starts again from the first file's first row
    expect(events[at + 1]).toBe('taxpayers 1');
  });

  it('inside an outer transaction the full path runs (foreign keys cannot be switched there)', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    db.exec('BEGIN');
    const s = await importTargets(db, { ...writeSet(dir), asOf: '2025-01-31' });
    db.exec('COMMIT');
    expect(s.fastPath).toBe(false);
    expect(s.debts).toBe(8);
    db.close();
  });
});

/** The fixture export with one edit: the fast path must give way to the full path, which decides. */
const UNCLEAN: Array<[string, Partial<Record<Role, (t: string) => string>>]> = [
  ['a bad cell', { debts: (t) => setCell(t, 3, '本税', '12a') }],
  ['a paid amount over 本税', { debts: (t) => setCell(t, 3, '本税収納済額', '99999999') }],
  ['mojibake', { taxpayers: (t) => setCell(t, 4, '氏名', '鹿児島\uFFFD') }],
  ['a duplicate 宛名番号', { taxpayers: (t) => `${t}${t.split('\n')[1]}\n` }],
  ['a duplicate 調定番号', { debts: (t) => `${t}${t.split('\n')[2]}\n` }],
  ['a duplicate account (found by the main thread)', { accounts: (t) => `${t}${t.split('\n')[3]}\n` }],
  ['a debt of an unknown 宛名番号', { debts: (t) => setCell(t, 2, '宛名番号', '1999999999') }],
  ['an account of an unknown 宛名番号', { accounts: (t) => setCell(t, 5, '宛名番号', '1999999999') }],
  ['a payment of an unknown 調定番号', { payments: (t) => setCell(t, 2, '調定番号', 'C9999') }],
  ['a debt of a rejected taxpayer', { taxpayers: (t) => setCell(t, 2, '状態', '9') }],
  ['a missing required column', { accounts: (t) => t.replace('口座番号', '口座番号X') }],
  ['a column twice', { payments: (t) => t.replace('督促手数料', '本税') }],
  ['an unclosed quote', { debts: (t) => setCell(t, 4, '税目名', '"固定資産税') }],
  ['an empty file', { payments: () => '' }],
  ['a quoted cell (fine: the fast path stays)', { taxpayers: (t) => setCell(t, 3, '住所', '"鹿児島市, 山下町"') }],
];

describe('targets import fast path: anything to report or reject gives the full path’s result exactly', () => {
  for (const [what, edit] of UNCLEAN) {
    it(`${what}: with and without --skip-invalid`, async () => {
      const files = writeSet(tmpDir(), edit);
      for (const skipInvalid of [false, true]) {
        // an earlier clean import underneath: nothing of it may change when the import is refused
        const r = await both([
          { files: writeSet(tmpDir()), asOf: '2025-01-31' },
          { files, asOf: '2025-02-28', skipInvalid },
        ], { maxRejectRate: 100 }); // tiny fixtures: one bad row is more than the default 5 % of a file
        const fast = r.fast[1]!;
        if (!(fast instanceof Error)) expect(fast.fastPath).toBe(what.includes('fine'));
        expectSame(r);
      }
    });
  }
});
