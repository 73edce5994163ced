import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cancelBatch } from '../../src/steps/cancel/cancel.js';
import { extract } from '../../src/steps/extract/extract.js';
import { AppError } from '../../src/core/errors.js';
import { openDb } from '../../src/db/connection.js';
import { count, freshDb, settings, target, taxpayer, debt, account } from './helpers.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
const D = '2026-12-01';

function exitOf(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e.exit;
    throw e;
  }
  return 0;
}

describe('cancel', () => {
  it('cancels extracted or written batches, frees taxpayers, audits; other states exit 4', () => {
    const { db } = freshDb();
    settings(db);
    target(db, 'T1');
    const id = extract(db, { date: D }).batches[0]!.id;
    expect(extract(db, { date: D }).excluded).toEqual({ 'in-open-batch': 1 });
    const r = cancelBatch(db, id, { reason: '媒体未交付' });
    expect(r.previousState).toBe('extracted');
    expect(db.prepare('SELECT state FROM batches WHERE id = ?').get(id)).toEqual({ state: 'cancelled' });
    const a = db.prepare(`SELECT details FROM audit_log WHERE action = 'batch.cancel'`).get() as { details: string };
    expect(JSON.parse(a.details)).toMatchObject({ previousState: 'extracted', reason: '媒体未交付' });
    expect(exitOf(() => cancelBatch(db, id))).toBe(4);
    const id2 = extract(db, { date: D }).batches[0]!.id;
    expect(id2).not.toBe(id);
    db.prepare(`UPDATE batches SET state = 'written' WHERE id = ?`).run(id2);
    expect(cancelBatch(db, id2).previousState).toBe('written');
    const id3 = extract(db, { date: D }).batches[0]!.id;
    db.prepare(`UPDATE batches SET state = 'results-imported' WHERE id = ?`).run(id3);
    expect(exitOf(() => cancelBatch(db, id3))).toBe(4);
    expect(exitOf(() => cancelBatch(db, 'NOPE'))).toBe(2);
    expect(db.prepare('SELECT state FROM batches WHERE id = ?').get(id3)).toEqual({ state: 'results-imported' });
  });
});

describe.skipIf(!fs.existsSync(CLI))('CLI: extract / write / cancel', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

  it('extract --json, write --json (NDJSON), cancel; exit codes; no personal data on the console', () => {
    const { db, dir, file } = freshDb();
    settings(db, { bank: '0184' });
    settings(db, { bank: '0005', nextFileNumber: 9 });
    taxpayer(db, { atena: 'P1', kana: 'スズキ　イチロウ' });
    debt(db, { chotei: 'Q1', atena: 'P1', honzei: 12_345 });
    account(db, { atena: 'P1', bank: '0005', number: '7654321' });
    target(db, 'P2', { honzei: 20_000 });
    taxpayer(db, { atena: 'P3', status: 4 });
    debt(db, { chotei: 'Q3', atena: 'P3', reminder: null });
    db.close();

    const bad = run(['--db', file, 'extract', '--date', '2026-11-23']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('勤労感謝の日');

    const dry = run(['--db', file, '--json', 'extract', '--date', D, '--dry-run']);
    expect(dry.status).toBe(0);
    const e = run(['--db', file, '--json', 'extract', '--date', D]);
    expect(e.status).toBe(0);
    const doc = JSON.parse(e.stdout);
    expect(JSON.parse(dry.stdout)).toEqual(doc);
    expect(doc).toEqual({
      batches: [
        { id: '0005-00000009', bankCode: '0005', fileNumber: 9, requests: 1, records: 1, limitTotal: 12_345, collection: 'immediate' },
        { id: '0184-00000042', bankCode: '0184', fileNumber: 42, requests: 1, records: 1, limitTotal: 20_000, collection: 'immediate' },
      ],
      excluded: { 'status-bankrupt': 1 },
      debtsLeftOut: {},
      accountsLeftOut: {},
      protected: { requests: 0, accounts: 0, amount: 0 },
    });
    const human = run(['--db', file, 'extract', '--date', D, '--dry-run']);
    expect(human.stdout).toContain('未完了の差押依頼あり');
    for (const out of [e.stdout, e.stderr, human.stdout, human.stderr]) {
      expect(out).not.toMatch(/7654321|ｽｽﾞｷ|スズキ|山田/);
    }

    const media = path.join(dir, 'usb');
    fs.mkdirSync(media);
    const w = run(['--db', file, '--json', 'write', '0005-00000009', '0184-00000042', '--media', media]);
    expect(w.status).toBe(0);
    const lines = w.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.batch)).toEqual(['0005-00000009', '0184-00000042']);
    expect(lines[0].files).toEqual([{ path: path.join(fs.realpathSync(media), 'SASHI_0005_00000009.DAT'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), bytes: 4 * 122, records: 1 }]);
    expect(w.stderr + w.stdout).not.toMatch(/7654321|ｽｽﾞｷ/);

    const again = run(['--db', file, 'write', '0184-00000042', '--media', media]);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('採用');

    expect(run(['--db', file, 'cancel', '0184-00000042', '--reason', 'test']).status).toBe(0);
    expect(run(['--db', file, 'cancel', '0184-00000042']).status).toBe(4);
    expect(run(['--db', file, 'write', '0184-00000042', '--media', media]).status).toBe(4);
    const db2 = openDb(file);
    expect(count(db2, `SELECT COUNT(*) AS n FROM audit_log WHERE action IN ('extract','batch.extract','batch.write','batch.cancel')`)).toBe(1 + 2 + 2 + 1);
  });
});
