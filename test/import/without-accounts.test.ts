/**
 * `import targets` without `--accounts` (cli.md, import-csv.md; issue 15 item 4): the known
 * accounts are left exactly as they are; a later import with `--accounts` does not undo answers.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli, tmpDir } from './helpers.js';
import { openDb } from '../../src/db/connection.js';
import { importTargets } from '../../src/steps/import-targets/index.js';
import { answeredBatch } from '../helpers/answers-fixture.js';

const SAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../samples');
const file = (n: string): string => path.join(SAMPLES, `${n}.csv`);
const base = ['--taxpayers', file('taxpayers'), '--debts', file('debts'), '--payments', file('payments'), '--as-of', '2026-11-30'];

async function setup(): Promise<string> {
  const db = path.join(tmpDir(), 'city.db');
  expect((await cli(['--db', db, 'init'])).code).toBe(0);
  expect((await cli(['--db', db, 'settings', 'load', path.join(SAMPLES, 'settings.json')])).code).toBe(0);
  expect((await cli(['--db', db, 'import', 'targets', ...base, '--accounts', file('accounts')])).code).toBe(0);
  return db;
}
const activeAccounts = (db: string): number => {
  const d = openDb(db);
  try {
    return (d.prepare('SELECT COUNT(*) AS n FROM accounts WHERE active = 1').get() as { n: number }).n;
  } finally {
    d.close();
  }
};

describe('import targets without --accounts', () => {
  it('leaves the known accounts active; the summary says accounts were not part of it; extract finds the same accounts', async () => {
    const db = await setup();
    const before = await cli(['--db', db, 'extract', '--date', '2026-12-01', '--dry-run', '--json']);
    expect(before.code).toBe(0);
    expect(JSON.parse(before.out).batches.length).toBeGreaterThan(0);
    expect(activeAccounts(db)).toBe(16);

    const r = await cli(['--db', db, 'import', 'targets', ...base, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.accounts).toBeNull();
    expect(j.inactivated.accounts).toBe(0);
    expect(activeAccounts(db)).toBe(16);
    const h = await cli(['--db', db, 'import', 'targets', ...base]);
    expect(h.code).toBe(0);
    expect(h.out).toContain('口座: 今回の取り込みに accounts.csv はありません');

    const after = await cli(['--db', db, 'extract', '--date', '2026-12-01', '--dry-run', '--json']);
    expect(JSON.parse(after.out)).toEqual(JSON.parse(before.out));
  });

  it('the full path (one thread) leaves them too; with --accounts again the snapshot rule applies as before', async () => {
    const db = await setup();
    const d = openDb(db);
    try {
      const s = await importTargets(d, { taxpayers: file('taxpayers'), debts: file('debts'), asOf: '2026-11-30', engine: { producer: 'inline' } });
      expect(s.withAccounts).toBe(false);
      expect(s.fastPath).toBe(false);
      expect(s.inactivated.accounts).toBe(0);
      expect((d.prepare('SELECT COUNT(*) AS n FROM accounts WHERE active = 1').get() as { n: number }).n).toBe(16);
      const summary = JSON.parse((d.prepare('SELECT summary FROM imports WHERE id = ?').get(s.import) as { summary: string }).summary);
      expect(summary.withAccounts).toBe(false);
      // accounts.csv without its last row: that account becomes inactive, as before
      const bytes = fs.readFileSync(file('accounts'));
      const lastLine = bytes.lastIndexOf(0x0a, bytes.length - 2);
      const shorter = path.join(path.dirname(db), 'accounts-shorter.csv');
      fs.writeFileSync(shorter, bytes.subarray(0, lastLine + 1));
      const w = await importTargets(d, { taxpayers: file('taxpayers'), debts: file('debts'), accounts: shorter, asOf: '2026-11-30', engine: { producer: 'inline' } });
      expect(w.withAccounts).toBe(true);
      expect(w.inactivated.accounts).toBe(1);
      expect((d.prepare('SELECT COUNT(*) AS n FROM accounts WHERE active = 1').get() as { n: number }).n).toBe(15);
    } finally {
      d.close();
    }
  });

  it('a later import with --accounts does not undo answers: the newer answer still wins', async () => {
    const db = await setup();
    const d = openDb(db);
    try {
      answeredBatch(d, { bank: '0184', date: '2026-11-20', fileNumber: 90, inquiries: [{ atena: '900000001', code: '1', accounts: [{ branch: '100', number: '0999999', holder: 'ﾔﾏﾀﾞ ﾀﾛｳ' }] }] });
    } finally {
      d.close();
    }
    expect((await cli(['--db', db, 'import', 'targets', ...base, '--accounts', file('accounts')])).code).toBe(0);
    const x = await cli(['--db', db, 'extract', '--date', '2026-12-01', '--bank', '0184', '--json']);
    expect(x.code).toBe(0);
    const d2 = openDb(db);
    try {
      expect(
        d2
          .prepare(
            `SELECT rr.account_number, rr.account_id IS NULL AS from_answer FROM request_records rr JOIN requests r ON r.id = rr.request_id
             WHERE r.atena = '900000001'`,
          )
          .all(),
      ).toEqual([{ account_number: '0999999', from_answer: 1 }]);
    } finally {
      d2.close();
    }
  });
});
