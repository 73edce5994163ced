/**
 * Issue 13, items 9, 10 and 11: a path that is a folder or missing, a database that
 * does not exist, and unusable global values are usage errors (exit 2) naming the
 * path or value — not EISDIR as an unexpected failure, not a silently created
 * database, not a silently ignored setting.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db.js';
import { built, cli } from './helpers.js';

function initDb(): { dir: string; db: string } {
  const dir = tempDir();
  const db = path.join(dir, 'x.db');
  expect(cli(['--db', db, 'init']).status).toBe(0);
  return { dir, db };
}

describe.skipIf(!built)('CLI: input paths', () => {
  it('a folder or a missing file given to a FILE command is exit 2 naming the path', () => {
    const { dir, db } = initDb();
    const folder = path.join(dir, 'somedir');
    fs.mkdirSync(folder);
    const missing = path.join(dir, 'missing.dat');
    const out = path.join(dir, 'out.dat');
    const commands: string[][] = [['validate'], ['inspect'], ['import', 'results'], ['import', 'statement'], ['bank-sim', '--out', out]];
    for (const c of commands) {
      for (const p of [folder, missing]) {
        const args = c[0] === 'bank-sim' ? ['--db', db, 'bank-sim', p, ...c.slice(1)] : ['--db', db, ...c, p];
        const r = cli(args);
        expect({ args, status: r.status }).toEqual({ args, status: 2 });
        expect(r.stderr).toContain(p);
        expect(r.stderr).not.toContain('予期しないエラー');
        expect(r.stderr).not.toContain('EISDIR');
      }
    }
    expect(cli(['--db', db, 'validate', folder]).stderr).toContain('フォルダです');
    expect(cli(['--db', db, '--lang', 'en', 'validate', folder]).stderr).toContain('is a folder');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe.skipIf(!built)('CLI: a database that does not exist', () => {
  it('is exit 2 naming the path for every command but init, and nothing is created', () => {
    const dir = tempDir();
    const db = path.join(dir, 'nonexistent', 'dir', 'x.db');
    for (const args of [['batches'], ['report', '0184-00000001'], ['extract', '--date', '2026-12-01', '--dry-run'], ['cancel', '0184-00000001'], ['settings', 'show']]) {
      const r = cli(['--db', db, ...args]);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toContain(db);
      expect(r.stderr).toContain('sashiosae init');
    }
    expect(fs.existsSync(path.join(dir, 'nonexistent'))).toBe(false);
    // a database file that is missing in an existing folder: not created either
    const here = path.join(dir, 'y.db');
    expect(cli(['--db', here, 'batches']).status).toBe(2);
    expect(fs.existsSync(here)).toBe(false);
    // init creates it
    expect(cli(['--db', db, 'init']).status).toBe(0);
    expect(cli(['--db', db, 'batches']).status).toBe(0);
  });
});

describe.skipIf(!built)('CLI: global values that cannot be used', () => {
  it('--lang other than ja/en is exit 2 naming the value', () => {
    const { db } = initDb();
    const r = cli(['--db', db, '--lang', 'fr', 'batches']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--lang');
    expect(r.stderr).toContain('"fr"');
    expect(r.stdout).toBe('');
  });

  it('SASHIOSAE_TODAY that is not a real date is exit 2 naming the value', () => {
    const { db } = initDb();
    const r = cli(['--db', db, 'batches'], { SASHIOSAE_TODAY: '2026-13-01' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SASHIOSAE_TODAY');
    expect(r.stderr).toContain('2026-13-01');
  });

  it('SASHIOSAE_LOG naming a folder (or a file in a missing folder) is exit 2 naming it', () => {
    const { dir, db } = initDb();
    const r = cli(['--db', db, 'batches'], { SASHIOSAE_LOG: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('SASHIOSAE_LOG');
    expect(r.stderr).toContain(dir);
    const gone = path.join(dir, 'no', 'such', 'log.json');
    const g = cli(['--db', db, 'batches'], { SASHIOSAE_LOG: gone });
    expect(g.status).toBe(2);
    expect(g.stderr).toContain(gone);
    // a usable log file still works
    const ok = cli(['--db', db, 'batches'], { SASHIOSAE_LOG: path.join(dir, 'log.json') });
    expect(ok.status).toBe(0);
  });
});
