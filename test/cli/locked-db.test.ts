/**
 * Issue 13, item 3: while another process holds the database's write lock (as
 * `import targets` does), reading commands work (WAL readers need no write lock) and a
 * writing command exits 4 with a Japanese message saying another process is working
 * on the database — not "予期しないエラー: database is locked", exit 1.
 */
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { extract } from '../../src/steps/extract/extract.js';
import { freshDb, settings, target } from '../extract/helpers.js';
import { built, cli, holdWriteLock } from './helpers.js';

/** where a writing command records itself (src/db/running.ts) */
const runningFile = (db: string): string => `${db}.running.json`;

const SHORT = { SASHIOSAE_BUSY_TIMEOUT_MS: '200' };
let release: (() => Promise<void>) | undefined;
afterEach(async () => {
  await release?.();
  release = undefined;
});

function fixture(): { file: string; batchId: string } {
  const { db, file } = freshDb();
  settings(db, { bank: '0184' });
  target(db, 'P1', { honzei: 20_000 });
  target(db, 'P2', { honzei: 30_000 });
  const batchId = extract(db, { date: '2026-12-01', banks: ['0184'] }).batches[0]!.id;
  target(db, 'P3', { honzei: 40_000 });
  db.close();
  return { file, batchId };
}

function counts(file: string): { batches: number; audit: number; extractions: number } {
  const db = new Database(file, { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return { batches: n('SELECT COUNT(*) AS n FROM batches'), audit: n('SELECT COUNT(*) AS n FROM audit_log'), extractions: n('SELECT COUNT(*) AS n FROM extractions') };
  } finally {
    db.close();
  }
}

describe.skipIf(!built)('CLI: a database another process is writing', () => {
  it('batches, report and extract --dry-run still work; a writing extract exits 4 saying another process works on the database', async () => {
    const { file, batchId } = fixture();
    const before = counts(file);
    const holder = await holdWriteLock(file);
    release = holder.release;

    const b = cli(['--db', file, 'batches'], SHORT);
    expect(b.stderr).toBe('');
    expect(b.status).toBe(0);
    expect(b.stdout).toContain(batchId);

    const r = cli(['--db', file, '--json', 'report', batchId], SHORT);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ batchId });

    const dry = cli(['--db', file, '--json', 'extract', '--date', '2026-12-01', '--dry-run'], SHORT);
    expect(dry.stderr).not.toContain('locked');
    expect(dry.status).toBe(0);
    const dj = JSON.parse(dry.stdout) as { batches: Array<{ requests: number }> };
    expect(dj.batches.map((x) => x.requests)).toEqual([1]);

    const w = cli(['--db', file, 'extract', '--date', '2026-12-01'], SHORT);
    expect(w.status).toBe(4);
    expect(w.stderr).toContain('別の処理');
    expect(w.stderr).toContain('もう一度実行してください');
    expect(w.stderr).not.toContain('予期しないエラー');

    const en = cli(['--db', file, '--lang', 'en', 'cancel', batchId], SHORT);
    expect(en.status).toBe(4);
    expect(en.stderr).toContain('another process');

    await holder.release();
    release = undefined;
    expect(counts(file)).toEqual(before);
  });

  it('names the command recorded as running on the database', async () => {
    const { file, batchId } = fixture();
    const holder = await holdWriteLock(file);
    release = holder.release;
    fs.writeFileSync(runningFile(file), JSON.stringify({ command: 'import targets', pid: holder.child.pid, startedAt: '2026-12-05T01:02:03.000Z' }), { mode: 0o600 });
    const w = cli(['--db', file, 'cancel', batchId], SHORT);
    expect(w.status).toBe(4);
    expect(w.stderr).toContain('sashiosae import targets');
    expect(w.stderr).toContain(`プロセス ${holder.child.pid}`);
  });

  it('a writing command records itself while it runs and removes its record when done', () => {
    const { file, batchId } = fixture();
    const c = cli(['--db', file, 'cancel', batchId]);
    expect(c.status).toBe(0);
    expect(fs.existsSync(runningFile(file))).toBe(false);
  });

  it('a wait that is not a number of milliseconds is a usage error naming it', () => {
    const { file } = fixture();
    const r = cli(['--db', file, 'batches'], { SASHIOSAE_BUSY_TIMEOUT_MS: 'soon' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SASHIOSAE_BUSY_TIMEOUT_MS');
    expect(r.stderr).toContain('"soon"');
  });
});
