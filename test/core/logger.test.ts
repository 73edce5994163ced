import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { scrubPersonal } from '../../src/core/logger.js';

describe('log', () => {
  it('scrubs personal keys, also nested', () => {
    expect(scrubPersonal({ atena: '900000001', name: '山田', details: { holderName: 'ﾔﾏﾀﾞ', count: 3 } })).toEqual({
      atena: '900000001',
      name: '***',
      details: { holderName: '***', count: 3 },
    });
  });

  it('writes JSON lines to SASHIOSAE_LOG, mode 0600, with no personal data', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-log-'));
    const log = path.join(dir, 'audit.log');
    const cli = path.resolve(__dirname, '../../dist/cli/main.js');
    const samples = path.resolve(__dirname, '../../samples');
    const env = { ...process.env, SASHIOSAE_LOG: log, SASHIOSAE_DB: path.join(dir, 'x.db') };
    expect(spawnSync(process.execPath, [cli, 'init'], { env, encoding: 'utf8' }).status).toBe(0); // only init creates a database
    const r = spawnSync(process.execPath, [cli, 'settings', 'load', path.join(samples, 'settings.json')], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const r2 = spawnSync(process.execPath, [cli, 'import', 'targets', '--taxpayers', path.join(samples, 'taxpayers.csv'), '--debts', path.join(samples, 'debts.csv'), '--accounts', path.join(samples, 'accounts.csv'), '--as-of', '2026-11-30'], { env, encoding: 'utf8' });
    expect(r2.status, r2.stderr).toBe(0);
    expect(fs.statSync(log).mode & 0o777).toBe(0o600);
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { message: string; action?: string });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.every((l) => l.message === 'audit')).toBe(true);
    const text = fs.readFileSync(log, 'utf8');
    // account numbers and kana names from the samples never reach the log
    const accounts = iconv.decode(fs.readFileSync(path.join(samples, 'accounts.csv')), 'cp932').trim().split(/\r?\n/).map((l) => l.split(','));
    const col = accounts[0]!.indexOf('口座番号');
    const numbers = accounts.slice(1).map((r) => r[col]!);
    expect(numbers.length).toBeGreaterThan(5);
    for (const n of numbers) expect(text).not.toContain(n);
    const people = iconv.decode(fs.readFileSync(path.join(samples, 'taxpayers.csv')), 'cp932').trim().split(/\r?\n/).map((l) => l.split(','));
    const kana = people[0]!.indexOf('氏名カナ');
    for (const r of people.slice(1)) expect(text).not.toContain(r[kana]!);
  });
});
