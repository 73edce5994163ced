/** extract --max-account-age on the command line: exit 2 on a bad value, account-info-stale in --json and in words, nothing personal. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { count, debt, freshDb, settings, taxpayer } from './helpers.js';
import { answeredBatch } from '../helpers/answers-fixture.js';
import { openDb } from '../../src/db/connection.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('CLI: extract --max-account-age', () => {
  it('a bad value exits 2 naming the option; stale answers are counted under account-info-stale; no account number or holder shown', () => {
    const { db, file } = freshDb();
    settings(db);
    taxpayer(db, { atena: 'T1' });
    debt(db, { chotei: 'C1', atena: 'T1' });
    answeredBatch(db, { date: '2026-05-01', fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '9876543', holder: 'ﾔﾏﾀﾞ ﾀﾛｳ' }] }] });
    db.close();
    for (const bad of ['-1', 'abc', '1.5', '999999']) {
      const r = run(['--db', file, 'extract', '--date', '2026-12-01', '--max-account-age', bad]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('--max-account-age');
    }
    const j = run(['--db', file, 'extract', '--date', '2026-12-01', '--dry-run', '--json']);
    expect(j.status).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ batches: [], excluded: { 'account-info-stale': 1 } });
    const h = run(['--db', file, 'extract', '--date', '2026-12-01']);
    expect(h.status).toBe(0);
    expect(h.stdout).toContain('口座情報が古い');
    expect(h.stdout).toContain('[account-info-stale]: 1');
    const ok = run(['--db', file, 'extract', '--date', '2026-12-01', '--max-account-age', '365', '--json']);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).batches[0]).toMatchObject({ requests: 1, records: 1 });
    for (const out of [j, h, ok]) {
      expect(out.stdout + out.stderr).not.toContain('9876543');
      expect(out.stdout + out.stderr).not.toContain('ﾔﾏﾀﾞ');
    }
    const d2 = openDb(file);
    expect(count(d2, "SELECT COUNT(*) AS n FROM request_records WHERE answer_account_id IS NOT NULL AND account_id IS NULL")).toBe(1);
    d2.close();
  });
});
