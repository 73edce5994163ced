/**
 * Issue 13, item 14: results imported, then a new export drops a debt (import targets
 * marks it inactive, debts.active = 0), then reconcile books money to it — listed under
 * 要確認 by 宛名番号 and 調定番号, without blocking the reconcile.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/steps/reconcile/reconcile.js';
import { buildReportDetails } from '../../src/report/model.js';
import { batch, debt, newDb, request, rows } from './helpers.js';

const CLI = path.resolve('dist/cli/main.js');

function setup() {
  const made = newDb();
  const { db } = made;
  debt(db, { chotei: 'D1', atena: 'A1', due: '2021-05-31', honzei: 30000 });
  debt(db, { chotei: 'D2', atena: 'A1', due: '2021-05-31', honzei: 20000 });
  debt(db, { chotei: 'E1', atena: 'A2', due: '2021-05-31', honzei: 40000 });
  const b = batch(db);
  request(db, b, 1, 'A1', ['D1', 'D2'], [{ collected: 50000, date: '2022-01-31' }]);
  request(db, b, 2, 'A2', ['E1'], [{ collected: 10000, date: '2022-01-31' }]);
  // the new export no longer lists D2 (what import targets does to a debt it drops)
  db.prepare('UPDATE debts SET active = 0 WHERE chotei = ?').run('D2');
  return { ...made, b };
}

describe('reconcile books money to a debt the latest export dropped', () => {
  it('reconciles, and lists the inactive debt (宛名番号, 調定番号, amount) for review', () => {
    const { db, b } = setup();
    const s = reconcile(db, b, { engine: { producer: 'inline' } });
    expect(s.changed).toBe(true);
    expect(rows(db, 'SELECT state FROM batches WHERE id = ?', b)).toEqual([{ state: 'reconciled' }]);
    const booked = rows<{ amount: number }>(db, "SELECT honzei + entaikin + fee AS amount FROM receipts WHERE chotei = 'D2'");
    expect(booked).toHaveLength(1);
    expect(s.inactiveDebts).toEqual({ count: 1, rows: [{ atena: 'A1', chotei: 'D2', amount: booked[0]!.amount }] });
    // the report's 要確認 list names it too (also for a batch reconciled before the debt was dropped)
    const d = buildReportDetails(db, b);
    const a = d.anomalies.find((x) => x.kind === 'inactive-debt');
    expect(a?.message.ja).toContain('宛名番号 A1');
    expect(a?.message.ja).toContain('調定番号 D2');
    expect(d.inactiveDebts).toEqual({ count: 1, rows: [{ atena: 'A1', chotei: 'D2', amount: booked[0]!.amount }] });
    // a second run (nothing changes) still says it
    expect(reconcile(db, b).inactiveDebts.count).toBe(1);
  });

  it('nothing listed when every debt is active', () => {
    const { db, b } = setup();
    db.prepare('UPDATE debts SET active = 1').run();
    expect(reconcile(db, b, { engine: { producer: 'inline' } }).inactiveDebts).toEqual({ count: 0, rows: [] });
    expect(buildReportDetails(db, b).anomalies.some((x) => x.kind === 'inactive-debt')).toBe(false);
  });

  it('CLI: 要確認 in the human output, inactiveDebts in --json; exit 0', () => {
    const { db, b, file } = setup();
    db.close();
    const r = spawnSync('node', [CLI, '--db', file, 'reconcile', b], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).toContain('要確認');
    expect(r.stdout + r.stderr).toMatch(/宛名番号 A1.*調定番号 D2/);
    expect(r.stdout + r.stderr).not.toContain('山田');
    const j = spawnSync('node', [CLI, '--db', file, '--json', 'reconcile', b], { encoding: 'utf8' });
    expect(j.status, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout).inactiveDebts).toMatchObject({ count: 1, rows: [{ atena: 'A1', chotei: 'D2' }] });
  });
});

describe('end to end with the samples: the next export drops a debt that money was collected for', () => {
  it('import results, import targets without that debt, reconcile → exit 0 and 要確認 names it', () => {
    const root = path.resolve(__dirname, '../..');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    fs.cpSync(path.join(root, 'samples'), path.join(dir, 'samples'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'usb'));
    fs.mkdirSync(path.join(dir, 'bank'));
    const env: NodeJS.ProcessEnv = { ...process.env, SASHIOSAE_DB: path.join(dir, 'e2e.db'), SASHIOSAE_TODAY: '2026-11-30' };
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, env, encoding: 'utf8' });
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r;
    };
    const targets = ['import', 'targets', '--taxpayers', 'samples/taxpayers.csv', '--debts', 'samples/debts.csv', '--accounts', 'samples/accounts.csv', '--payments', 'samples/payments.csv', '--as-of', '2026-11-30'];
    run('init');
    run('settings', 'load', 'samples/settings.json');
    run(...targets);
    run('extract', '--date', '2026-12-01');
    run('write', '0184-00000001', '--media', 'usb');
    run('bank-sim', 'usb/SASHI_0184_00000001.DAT', '--out', 'bank/R.DAT', '--seed', '7');
    run('import', 'results', 'bank/R.DAT');
    // a debt that money was collected for
    const ro = new Database(path.join(dir, 'e2e.db'), { readonly: true });
    const hit = ro
      .prepare(
        `SELECT r.atena AS atena, rd.chotei AS chotei FROM requests r JOIN request_debts rd ON rd.request_id = r.id
         WHERE EXISTS (SELECT 1 FROM request_records rr WHERE rr.request_id = r.id AND rr.collected_amount > 0) ORDER BY rd.chotei LIMIT 1`,
      )
      .get() as { atena: string; chotei: string };
    ro.close();
    expect(hit).toBeDefined();
    // the next export no longer lists it (its payment history lines go with it)
    for (const f of ['debts.csv', 'payments.csv']) {
      const p = path.join(dir, 'samples', f);
      const lines = fs.readFileSync(p).toString('latin1').split('\n');
      fs.writeFileSync(p, Buffer.from(lines.filter((l) => !l.startsWith(`${hit.chotei},`)).join('\n'), 'latin1'));
    }
    run(...targets);
    const r = run('reconcile', '0184-00000001');
    expect(r.stdout + r.stderr).toContain('要確認');
    expect(r.stdout + r.stderr).toContain(`宛名番号 ${hit.atena} 調定番号 ${hit.chotei}`);
    const rep = run('report', '0184-00000001');
    expect(rep.stdout).toContain(`調定番号 ${hit.chotei}`);
  });
});
