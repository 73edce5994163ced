/**
 * Crash safety: SIGKILL a child process running `extract` or `write` at various
 * moments, then check the database is consistent and a re-run completes.
 * Runs the built CLI (dist/cli/main.js; `npm test` builds it first).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract } from '../../src/steps/extract/extract.js';
import { writeBatch } from '../../src/steps/write/write.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { validateFile } from '../../src/file/reader.js';
import { loadLayout } from '../../src/layout/load.js';
import { count, settings, tempDir } from '../extract/helpers.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
const N = 20_000;

function seed(file: string): void {
  const db = openDb(file);
  db.exec(`INSERT INTO imports (id, kind, sha256, files, imported_at, operator) VALUES (1, 'targets', 'x', '[]', 't', 'test')`);
  settings(db, { maxRecordsPerFile: 8_000 });
  db.transaction(() => {
    db.exec(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${N})
      INSERT INTO taxpayers (atena, name, kana, birth_date, status, import_id)
      SELECT printf('%010d', i), 'x', 'ヤマダ　タロウ', '1970-04-01', 0, 1 FROM s`);
    db.exec(`INSERT INTO debts (chotei, atena, kubun, tax_code, tax_name, fiscal_year, period, due_date, honzei, honzei_paid, fee, fee_paid, entaikin_paid, entaikin_kind, reminder_date, import_id)
      SELECT 'D' || atena, atena, 1, '01', 't', 2025, '1', '2025-06-30', 50000, 0, 100, 0, 0, 1, '2025-07-20', 1 FROM taxpayers`);
    db.exec(`INSERT INTO accounts (atena, bank_code, branch_code, account_type, account_number, balance, import_id)
      SELECT atena, '0184', '001', '1', printf('%07d', CAST(atena AS INTEGER)), 100, 1 FROM taxpayers`);
  })();
  db.close();
}

/** Run the CLI and SIGKILL it as soon as `when()` holds (polled every 2 ms), or after maxMs. */
function runAndKill(args: string[], when: () => boolean, maxMs = 20_000): Promise<{ code: number | null; killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
    let killed = false;
    const kill = (): void => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const poll = setInterval(() => {
      try {
        if (when()) kill();
      } catch {
        /* racing with the child: try again */
      }
    }, 2);
    const timer = setTimeout(kill, maxMs);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, killed: signal === 'SIGKILL' });
    });
  });
}

const size = (f: string): number => (fs.existsSync(f) ? fs.statSync(f).size : 0);

/** The extraction either happened completely or not at all. */
function checkExtractConsistent(db: Db): 'none' | 'done' {
  const batches = count(db, 'SELECT COUNT(*) AS n FROM batches');
  const next = (db.prepare(`SELECT next_file_number AS n FROM bank_settings`).get() as { n: number }).n;
  if (batches === 0) {
    for (const t of ['extractions', 'exclusions', 'batch_files', 'requests', 'request_debts', 'request_records']) expect(count(db, `SELECT COUNT(*) AS n FROM ${t}`)).toBe(0);
    expect(next).toBe(42);
    return 'none';
  }
  expect(batches).toBe(1);
  const b = db.prepare('SELECT requests, records, limit_total FROM batches').get() as { requests: number; records: number; limit_total: number };
  expect(b.requests).toBe(N);
  expect(count(db, 'SELECT COUNT(*) AS n FROM requests')).toBe(N);
  expect(count(db, 'SELECT COUNT(*) AS n FROM request_records')).toBe(b.records);
  expect(count(db, 'SELECT SUM(records) AS n FROM batch_files')).toBe(b.records);
  expect(count(db, 'SELECT SUM(limit_amount) AS n FROM requests')).toBe(b.limit_total);
  expect(next).toBe(42 + count(db, 'SELECT COUNT(*) AS n FROM batch_files'));
  return 'done';
}

describe.skipIf(!fs.existsSync(CLI))('crash safety (SIGKILL)', () => {
  it('extract killed at various moments leaves all or nothing; a re-run completes', async () => {
    const outcomes: string[] = [];
    // kill while the transaction is writing (WAL growing), and at two later points
    for (const walBytes of [64 * 1024, 2 * 1024 * 1024, 6 * 1024 * 1024]) {
      const dir = tempDir();
      const file = path.join(dir, 'c.db');
      seed(file);
      const base = size(`${file}-wal`);
      const r = await runAndKill(['--db', file, 'extract', '--date', '2026-12-01'], () => size(`${file}-wal`) > base + walBytes);
      expect(r.killed || r.code === 0).toBe(true);
      const db = openDb(file);
      const state = checkExtractConsistent(db);
      outcomes.push(state);
      if (state === 'none') extract(db, { date: '2026-12-01' });
      expect(checkExtractConsistent(db)).toBe('done');
      db.close();
    }
    expect(outcomes).toHaveLength(3);
  }, 120_000);

  it('write killed at various moments: no partial final file; a re-run cleans up and completes', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'w.db');
    seed(file);
    const layout = loadLayout('seizure-120');
    const seen: string[] = [];
    const stages: Array<(media: string) => boolean> = [
      (m) => fs.readdirSync(m).some((n) => n.endsWith('.sashiosae-tmp') && !n.includes('manifest')), // mid data file
      (m) => fs.readdirSync(m).some((n) => n.endsWith('.DAT')), // right after the first publish
      (m) => fs.readdirSync(m).some((n) => n.endsWith('.totals.html')), // manifests being written
    ];
    for (const stage of stages) {
      // a fresh extracted batch each round (the previous one is cancelled); a write that ended
      // before the poll saw its stage (a loaded machine) is tried again on a fresh batch
      let id = '';
      let media = '';
      let k = { code: null as number | null, killed: false };
      for (let attempt = 0; attempt < 5 && !k.killed; attempt++) {
        const db0 = openDb(file);
        db0.prepare(`UPDATE batches SET state = 'cancelled' WHERE state IN ('extracted','written')`).run();
        id = extract(db0, { date: '2026-12-01' }).batches[0]!.id;
        db0.close();
        media = fs.mkdtempSync(path.join(dir, 'usb-'));
        k = await runAndKill(['--db', file, 'write', id, '--media', media], () => stage(media));
      }
      expect(k.killed).toBe(true);
      seen.push(fs.readdirSync(media).sort().join(','));
      const db = openDb(file);
      for (const name of fs.readdirSync(media)) {
        if (name.endsWith('.DAT')) expect(validateFile(path.join(media, name), layout).valid).toBe(true); // never a partial final file
      }
      const state = (db.prepare('SELECT state FROM batches WHERE id = ?').get(id) as { state: string }).state;
      expect(['extracted', 'written']).toContain(state);
      if (state === 'written') {
        expect(count(db, 'SELECT COUNT(*) AS n FROM batch_files WHERE sha256 IS NULL')).toBe(0);
      }
      const r = await writeBatch(db, id, { media });
      expect(r.files).toHaveLength(3);
      for (const f of r.files) expect(validateFile(f.path, layout).valid).toBe(true);
      expect(fs.readdirSync(media).filter((n) => n.includes('sashiosae-tmp'))).toEqual([]);
      expect(db.prepare('SELECT state FROM batches WHERE id = ?').get(id)).toEqual({ state: 'written' });
      db.close();
    }
    // (informational) what the kills left behind: temp files, published files, nothing
    console.info('after SIGKILL:', seen);
  }, 120_000);
});
