/**
 * Issue 13 (newcomer friction): counts in extract's human output are grouped by thousands
 * (1,200 件, not 1200件), as every other command's counts are.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const cli = path.resolve(import.meta.dirname, '../../dist/cli/main.js');

describe('extract: counts grouped by thousands', () => {
  it('a batch of more than 1,000 requests and records reads 1,234 件', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-grouped-'));
    const env = { ...process.env, SASHIOSAE_TODAY: '2026-11-30' };
    const run = (...a: string[]) => {
      const r = spawnSync(process.execPath, [cli, '--db', path.join(dir, 'x.db'), ...a], { cwd: dir, env, encoding: 'utf8' });
      expect(r.status, `${a.join(' ')}\n${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const ex = path.join(dir, 'export');
    run('generate', '--out', ex, '--records', '1500', '--profile', 'bench', '--bank', '0184');
    run('init');
    run('settings', 'load', path.join(ex, 'settings.json'));
    run('import', 'targets', '--taxpayers', path.join(ex, 'taxpayers.csv'), '--debts', path.join(ex, 'debts.csv'), '--accounts', path.join(ex, 'accounts.csv'), '--payments', path.join(ex, 'payments.csv'), '--as-of', '2026-11-30');
    const out = run('extract', '--date', '2026-12-01', '--dry-run');
    const m = /依頼 ([\d,]+)件 {2}口座 ([\d,]+)件/.exec(out);
    expect(m, out).not.toBeNull();
    for (const n of [m![1]!, m![2]!]) {
      expect(Number(n.replace(/,/g, ''))).toBeGreaterThanOrEqual(1000);
      expect(n).toMatch(/^\d{1,3}(,\d{3})+$/);
    }
  }, 60_000);
});
