/**
 * Friction (issue 13): `extract` only counted the excluded taxpayers. `--exclusions FILE`
 * writes who was left out and why — 宛名番号, reason code, Japanese reason, bank code,
 * detail — as CSV (UTF-8 with BOM, mode 0600), refusing an existing file (exit 4),
 * with and without --dry-run. No names.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/connection.js';
import { count, debt, freshDb, settings, target, taxpayer } from './helpers.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-20' } });

function scenario() {
  const { db, dir, file } = freshDb();
  settings(db, { bank: '0184' });
  target(db, 'P1');
  taxpayer(db, { atena: 'P2', status: 4 });
  debt(db, { chotei: 'CP2', atena: 'P2' });
  taxpayer(db, { atena: 'P3' });
  debt(db, { chotei: 'CP3', atena: 'P3' });
  db.close();
  return { dir, file };
}
const batches = (file: string): number => {
  const db = openDb(file);
  try {
    return count(db, 'SELECT COUNT(*) AS n FROM batches');
  } finally {
    db.close();
  }
};

describe('extract --exclusions FILE', () => {
  it('--dry-run: writes 宛名番号, reason code, reason, bank code as CSV with BOM, mode 0600; stores nothing; no names', () => {
    const { dir, file } = scenario();
    const out = path.join(dir, 'excluded.csv');
    const r = run(['--db', file, 'extract', '--date', '2026-12-01', '--dry-run', '--exclusions', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(out);
    expect(batches(file)).toBe(0);
    expect(fs.statSync(out).mode & 0o777).toBe(0o600);
    const buf = fs.readFileSync(out);
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = buf.toString('utf8').slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('宛名番号,理由コード,理由,金融機関コード,詳細');
    expect(lines.slice(1).sort()).toEqual(['P2,status-bankrupt,破産,,', 'P3,no-account-at-bank,対象金融機関に口座なし,0184,']);
    const text = buf.toString('utf8');
    expect(text).not.toMatch(/山田|ヤマダ|1970/);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses an existing file (exit 4) before storing anything; works without --dry-run', () => {
    const { dir, file } = scenario();
    const out = path.join(dir, 'excluded.csv');
    fs.writeFileSync(out, 'keep');
    const refused = run(['--db', file, 'extract', '--date', '2026-12-01', '--exclusions', out]);
    expect(refused.status).toBe(4);
    expect(refused.stderr).toContain('上書きはしません');
    expect(fs.readFileSync(out, 'utf8')).toBe('keep');
    expect(batches(file)).toBe(0);

    const out2 = path.join(dir, 'excluded-2.csv');
    const r = run(['--db', file, '--lang', 'en', 'extract', '--date', '2026-12-01', '--exclusions', out2]);
    expect(r.status, r.stderr).toBe(0);
    expect(batches(file)).toBe(1);
    expect(r.stdout).toContain(out2);
    expect(fs.readFileSync(out2, 'utf8').slice(1).trimEnd().split('\r\n')).toHaveLength(3);
  });
});
