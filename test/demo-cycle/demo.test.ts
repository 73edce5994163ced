import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');

function run(args: string[], cwd = root) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-23' } });
}

interface DemoJson {
  dir: string;
  db: string;
  batches: Array<{ id: string; files: string[]; html: string; csv: string; report: {
    requested: { requests: number; records: number; limitTotal: number };
    seized: { records: number; amount: number };
    collected: { records: number; amount: number };
    receipts: { count: number; honzei: number; entaikin: number; fee: number; total: number };
    overpayment: number;
    statement: { deposit: number | null; difference: number | null; matched: boolean | null };
    state: string;
  } }>;
  report: string;
}

describe('sashiosae demo (child process, whole cycle)', () => {
  let tmp: string;
  let out: ReturnType<typeof run>;
  let doc: DemoJson;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-demo-test-'));
    out = run(['demo', '--dir', path.join(tmp, 'd'), '--taxpayers', '400', '--json']);
    doc = JSON.parse(out.stdout) as DemoJson;
  }, 180_000);

  it('exits 0 and reports where the report is', () => {
    expect(out.status, out.stderr).toBe(0);
    expect(doc.report).toMatch(/report-.*\.html$/);
    expect(fs.existsSync(doc.report)).toBe(true);
    expect(fs.statSync(doc.report).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(doc.dir, 'DEMO-INCOMPLETE.txt'))).toBe(false);
  });

  it('writes the media, the bank files and the reports for every batch', () => {
    expect(doc.batches.length).toBeGreaterThanOrEqual(1);
    for (const b of doc.batches) {
      expect(b.files.length).toBeGreaterThanOrEqual(1);
      for (const f of [...b.files, b.html, b.csv]) {
        expect(fs.existsSync(f), f).toBe(true);
        expect(fs.statSync(f).mode & 0o777).toBe(0o600);
      }
      // the request file on the USB folder passes validate
      const v = run(['validate', b.files[0]!, '--json']);
      expect(v.status, v.stdout + v.stderr).toBe(0);
      expect(JSON.parse(v.stdout).valid).toBe(true);
    }
  });

  it("report totals agree with the database, to the yen", () => {
    const db = new Database(doc.db, { readonly: true });
    try {
      for (const b of doc.batches) {
        const r = b.report;
        expect(r.state).toBe('reconciled');
        const rec = db.prepare('SELECT COUNT(*) n, COALESCE(SUM(honzei),0) h, COALESCE(SUM(entaikin),0) e, COALESCE(SUM(fee),0) f FROM receipts WHERE batch_id = ?').get(b.id) as { n: number; h: number; e: number; f: number };
        expect(r.receipts).toEqual({ count: rec.n, honzei: rec.h, entaikin: rec.e, fee: rec.f, total: rec.h + rec.e + rec.f });
        const col = db.prepare('SELECT COALESCE(SUM(rr.collected_amount),0) c, COALESCE(SUM(rr.seized_amount),0) s FROM request_records rr JOIN requests q ON q.id = rr.request_id WHERE q.batch_id = ?').get(b.id) as { c: number; s: number };
        expect(r.collected.amount).toBe(col.c);
        expect(r.seized.amount).toBe(col.s);
        const over = db.prepare('SELECT COALESCE(SUM(amount),0) o FROM overpayments WHERE batch_id = ?').get(b.id) as { o: number };
        expect(r.overpayment).toBe(over.o);
        // every collected yen is booked or to be refunded
        expect(r.collected.amount).toBe(r.receipts.total + r.overpayment);
        // the simulated bank deposited exactly the collected total
        expect(r.statement.matched).toBe(true);
        expect(r.statement.difference).toBe(0);
        expect(r.collected.amount).toBeGreaterThan(0);
        // seized never exceeds the limits
        expect(r.seized.amount).toBeLessThanOrEqual(r.requested.limitTotal);
      }
    } finally {
      db.close();
    }
  });

  it('refuses a folder that is not empty (exit 4) and leaves it untouched', () => {
    const before = fs.readdirSync(doc.dir).sort();
    const again = run(['demo', '--dir', doc.dir, '--taxpayers', '10']);
    expect(again.status).toBe(4);
    expect(again.stderr).toMatch(/空ではありません/);
    expect(fs.readdirSync(doc.dir).sort()).toEqual(before);
  });

  it('never prints personal data to the console', () => {
    const db = new Database(doc.db, { readonly: true });
    try {
      const names = db.prepare('SELECT kana, name FROM taxpayers LIMIT 50').all() as Array<{ kana: string; name: string }>;
      const accounts = db.prepare('SELECT account_number FROM accounts LIMIT 50').all() as Array<{ account_number: string }>;
      for (const n of names) {
        expect(out.stderr).not.toContain(n.kana);
        expect(out.stderr).not.toContain(n.name);
      }
      for (const a of accounts) expect(out.stderr).not.toMatch(new RegExp(`\\b${a.account_number}\\b`));
    } finally {
      db.close();
    }
  });
});
