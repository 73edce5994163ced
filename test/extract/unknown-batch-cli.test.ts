/**
 * Every command that takes a batch id answers an id that does not exist the same
 * way: exit 2 (usage, cli.md), code batch.not-found, a message that says what to give,
 * and the database unchanged.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { tempDir } from '../helpers/db.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SASHIOSAE_LOG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe.skipIf(!fs.existsSync(CLI))('unknown batch id', () => {
  const dir = tempDir();
  const db = path.join(dir, 'x.db');
  const cases: Array<[string, string[]]> = [
    ['write', ['write', 'NOPE-1', '--media', path.join(dir, 'usb')]],
    ['cancel', ['cancel', 'NOPE-1']],
    ['reconcile', ['reconcile', 'NOPE-1']],
    ['report', ['report', 'NOPE-1']],
    ['export receipts', ['export', 'receipts', 'NOPE-1', '--out', path.join(dir, 'r.csv')]],
  ];
  it.each(cases)('%s: exit 2, batch.not-found, in Japanese and English', (_name, args) => {
    expect(run(['init', '--db', db]).status).toBe(0);
    const snapshot = (): unknown => {
      const d = new Database(db, { readonly: true });
      try {
        return ['batches', 'audit_log', 'receipts', 'imports'].map((t) => (d.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n);
      } finally {
        d.close();
      }
    };
    const before = snapshot();
    const ja = run([...args, '--db', db]);
    expect(ja.status).toBe(2);
    expect(ja.stderr).toContain('バッチ NOPE-1 はありません');
    expect(ja.stderr).toContain('extract の出力にあるバッチID');
    const json = run([...args, '--db', db, '--json', '--lang', 'en']);
    expect(json.status).toBe(2);
    expect(`${json.stdout}${json.stderr}`).toContain('batch.not-found');
    expect(`${json.stdout}${json.stderr}`).toContain('there is no batch NOPE-1');
    expect(fs.existsSync(path.join(dir, 'r.csv'))).toBe(false);
    expect(snapshot()).toEqual(before);
  });
});
