/**
 * extract computes 延滞金 to the processing date: on a date in a year the rate table
 * does not state yet it says so on stderr (the --json document is unchanged); on a
 * stated year it says nothing of the kind.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshDb, settings, target } from './helpers.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe.skipIf(!fs.existsSync(CLI))('extract: rate year warning', () => {
  it('2027-01-05 → warning naming 2027 and 2026; 2026-12-01 → none', () => {
    const { db, file } = freshDb();
    settings(db, { bank: '0184' });
    target(db, 'P1', { honzei: 20_000 });
    db.close();
    const stated = run(['--db', file, '--json', 'extract', '--date', '2026-12-01', '--dry-run']);
    expect(stated.status).toBe(0);
    expect(stated.stderr).not.toContain('延滞金の割合');
    const later = run(['--db', file, '--json', 'extract', '--date', '2027-01-05', '--dry-run']);
    expect(later.status).toBe(0);
    expect(JSON.parse(later.stdout).batches).toHaveLength(1);
    expect(later.stderr).toContain('2027年の延滞金の割合がまだ登録されていないため、2026年の割合で計算しました');
  });
});
