import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { batch, debt, deposit, newDb, request, statementImport } from './helpers.js';

const main = path.resolve('dist/cli/main.js');

beforeAll(() => {
  // `npm test` builds in pretest; a direct `vitest run` may not have: build (emits even if a teammate's file has type errors)
  if (!fs.existsSync(main)) spawnSync('npx', ['tsc', '-p', '.'], { stdio: 'ignore' });
}, 120_000);

function cli(db: string, ...args: string[]): { code: number; out: string; err: string } {
  const env = { ...process.env };
  delete env['SASHIOSAE_LOG']; // unset: the log is silent (a value would be a log file path)
  const r = spawnSync(process.execPath, [main, '--db', db, ...args], { encoding: 'utf8', env });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

function setup() {
  const { db, file, dir } = newDb();
  debt(db, { chotei: 'D1', atena: 'A1', due: '2021-05-31', honzei: 65000, fee: 100 });
  const b = batch(db);
  request(db, b, 1, 'A1', ['D1'], [{ collected: 70000, date: '2022-01-31', account: '1234567' }]);
  deposit(db, statementImport(db), { inquiry: '00000001', date: '2022-01-31', amount: 70000 });
  const w = batch(db, { state: 'written' });
  db.close();
  return { file, dir, b, w };
}

describe('CLI: reconcile / report / export receipts', () => {
  it('runs the cycle with the contract exit codes and JSON', () => {
    const { file, dir, b, w } = setup();
    const r1 = cli(file, 'reconcile', b, '--json');
    expect(r1.code).toBe(0);
    const j1 = JSON.parse(r1.out) as { changed: boolean; receipts: { total: number }; overpayment: { amount: number } };
    expect(j1.changed).toBe(true);
    expect(j1.receipts.total + j1.overpayment.amount).toBe(70000);

    const r2 = cli(file, 'reconcile', b);
    expect(r2.code).toBe(0);
    expect(r2.out).toContain('消込済み');
    expect(cli(file, '--lang', 'en', 'reconcile', b).out).toContain('already reconciled');
    expect(cli(file, 'reconcile', w).code).toBe(4);
    expect(cli(file, 'reconcile', 'nope').code).toBe(2); // unknown batch id: usage error, as write and cancel (test/extract/unknown-batch-cli.test.ts)

    const rep = cli(file, 'report', b, '--json');
    expect(rep.code).toBe(0);
    const j = JSON.parse(rep.out);
    expect(j).toMatchObject({
      batchId: b,
      state: 'reconciled',
      collected: { records: 1, amount: 70000 },
      receipts: { count: 1, honzei: 65000, entaikin: 3400, fee: 100, total: 68500 },
      overpayment: 1500,
      statement: { deposit: 70000, difference: 0, matched: true },
    });

    const html = path.join(dir, 'r.html');
    const csv = path.join(dir, 'r.csv');
    const human = cli(file, 'report', b, '--html', html, '--csv', csv);
    expect(human.code).toBe(0);
    expect(human.out).toContain('宛名番号 A1');
    expect(human.out + human.err).not.toContain('1234567');
    expect(human.out + human.err).not.toContain('山田');
    expect(fs.statSync(html).mode & 0o777).toBe(0o600);
    expect(fs.statSync(csv).mode & 0o777).toBe(0o600);
    expect(cli(file, 'report', b, '--csv', csv).code).toBe(4);

    const out = path.join(dir, 'receipts.csv');
    const ex = cli(file, 'export', 'receipts', b, '--out', out, '--json');
    expect(ex.code).toBe(0);
    expect(JSON.parse(ex.out)).toMatchObject({ receipts: 1, honzei: 65000, entaikin: 3400, fee: 100 });
    expect(cli(file, 'export', 'receipts', b, '--out', out).code).toBe(4);
    expect(cli(file, 'export', 'receipts', w, '--out', path.join(dir, 'w.csv')).code).toBe(4);
    expect(cli(file, 'export', 'receipts', b, '--out', path.join(dir, 'e.csv'), '--encoding', 'latin1').code).toBe(2);
    expect(cli(file, 'reconcile', b, '--policy', 'nope').code).toBe(2); // an unknown policy is a usage error first
  });
});

describe('CLI: reconcile in a year the 延滞金 rate table does not state yet', () => {
  it('a 取立日 in 2027 → warning on stderr naming 2027 (the JSON unchanged); a 2022 取立日 → none', () => {
    const { db, file } = newDb();
    debt(db, { chotei: 'D1', atena: 'A1', due: '2026-05-31', honzei: 65000, fee: 100 });
    const b = batch(db);
    request(db, b, 1, 'A1', ['D1'], [{ collected: 70000, date: '2027-01-05', account: '1234567' }]);
    db.close();
    const r = cli(file, 'reconcile', b, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { changed: boolean }).changed).toBe(true);
    expect(r.err).toContain('2027年の延滞金の割合がまだ登録されていない');
    // run again: nothing is computed, nothing to warn about
    expect(cli(file, 'reconcile', b).err).not.toContain('延滞金の割合');

    const old = setup();
    expect(cli(old.file, 'reconcile', old.b).err).not.toContain('延滞金の割合');
  });
});
