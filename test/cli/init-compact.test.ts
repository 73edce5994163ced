/**
 * `init` on an existing database gives back the pages left free (by a migration that
 * rebuilt a table, or deleted rows) when they are a tenth of the file or more
 * (db/compact.ts, ADR 0198): the same rows after, the file smaller, nothing changed when
 * another process holds the database.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { built, cli, holdWriteLock } from './helpers.js';

/** A database made by `init`, with `mb` MB of pages then freed (a table filled, then dropped). */
function sparseDb(mb: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-compact-'));
  const file = path.join(dir, 'city.db');
  const r = cli(['--db', file, 'init']);
  expect(r.status, r.stderr).toBe(0);
  const db = new Database(file);
  db.exec('CREATE TABLE scratch (x BLOB)');
  const ins = db.prepare('INSERT INTO scratch VALUES (randomblob(4000))');
  db.transaction(() => {
    for (let i = 0; i < mb * 256; i++) ins.run();
  })();
  db.prepare("INSERT INTO audit_log (at, operator, action, details) VALUES ('2026-11-23T00:00:00Z', 'test', 'kept', '{}')").run();
  db.exec('DROP TABLE scratch');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return file;
}

function facts(file: string): { free: number; pages: number; audit: unknown[]; migrations: unknown[]; integrity: unknown } {
  const db = new Database(file, { readonly: true });
  try {
    return {
      free: db.pragma('freelist_count', { simple: true }) as number,
      pages: db.pragma('page_count', { simple: true }) as number,
      audit: db.prepare('SELECT * FROM audit_log ORDER BY id').all(),
      migrations: db.prepare('SELECT * FROM schema_migrations ORDER BY version').all(),
      integrity: db.pragma('integrity_check', { simple: true }),
    };
  } finally {
    db.close();
  }
}

describe.skipIf(!built)('init compacts a sparse database', () => {
  it('gives back the free pages: same rows, smaller file, mode 0600', () => {
    const file = sparseDb(8);
    const before = facts(file);
    expect(before.free).toBeGreaterThan(before.pages / 4);
    const sizeBefore = fs.statSync(file).size;
    const r = cli(['--db', file, 'init', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { migrations: number[]; compaction: { beforeBytes: number; afterBytes: number } };
    expect(out.migrations).toEqual([]);
    expect(out.compaction.beforeBytes).toBe(sizeBefore);
    expect(out.compaction.afterBytes).toBeLessThan(sizeBefore / 2);
    const after = facts(file);
    expect(after.free).toBe(0);
    expect(after.integrity).toBe('ok');
    expect(after.audit).toEqual(before.audit);
    expect(after.migrations).toEqual(before.migrations);
    expect(fs.statSync(file).size).toBe(out.compaction.afterBytes);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // nothing left to give back: not again
    const again = cli(['--db', file, 'init', '--json']);
    expect(JSON.parse(again.stdout).compaction).toBeNull();
  });

  it('prints what it does for a person', () => {
    const file = sparseDb(4);
    const r = cli(['--db', file, 'init']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/空き領域 [\d.]+ MB を解放しています/);
    expect(r.stdout).toMatch(/空き領域を解放しました（[\d.]+ MB → [\d.]+ MB）/);
  });

  it('leaves a database with few free pages as it is', () => {
    const file = sparseDb(0);
    const size = fs.statSync(file).size;
    const r = cli(['--db', file, 'init', '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).compaction).toBeNull();
    expect(fs.statSync(file).size).toBe(size);
  });

  it('another process holding the database: nothing changed, exit 0, told to run init again', async () => {
    const file = sparseDb(4);
    const before = facts(file);
    const size = fs.statSync(file).size;
    const lock = await holdWriteLock(file);
    try {
      const r = cli(['--db', file, 'init', '--json'], { SASHIOSAE_BUSY_TIMEOUT_MS: '200' });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).compaction).toEqual({ skipped: 'busy' });
      const human = cli(['--db', file, 'init'], { SASHIOSAE_BUSY_TIMEOUT_MS: '200' });
      expect(human.status, human.stderr).toBe(0);
      expect(human.stdout).toContain('空き領域の解放はしませんでした');
    } finally {
      await lock.release();
    }
    const after = facts(file);
    expect(after.free).toBe(before.free);
    expect(after.audit).toEqual(before.audit);
    expect(fs.statSync(file).size).toBe(size);
  });
});
