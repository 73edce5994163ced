import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { vi } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import { AppError } from '../../src/core/errors.js';
import { run } from '../../src/cli/program.js';

export const FIXTURES = path.resolve(__dirname, '../fixtures/csv');
export type Role = 'taxpayers' | 'debts' | 'accounts' | 'payments';

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
}

export function fixture(role: Role): string {
  return fs.readFileSync(path.join(FIXTURES, `${role}.csv`), 'utf8');
}

/** Write the four files (optionally edited) into dir; returns their paths. */
export function writeSet(
  dir: string,
  edit: Partial<Record<Role, (text: string) => string>> = {},
  opts: { encoding?: 'utf8' | 'utf8bom' | 'cp932'; payments?: boolean } = {},
): Record<Role, string> {
  const out = {} as Record<Role, string>;
  for (const role of ['taxpayers', 'debts', 'accounts', 'payments'] as Role[]) {
    const text = (edit[role] ?? ((s: string) => s))(fixture(role));
    const file = path.join(dir, `${role}.csv`);
    const enc = opts.encoding ?? 'utf8';
    const bytes = enc === 'cp932' ? iconv.encode(text, 'cp932') : Buffer.concat([enc === 'utf8bom' ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
    fs.writeFileSync(file, bytes);
    out[role] = file;
  }
  return out;
}

/** Replace a cell in a CSV text: line is 1-based (header = 1), column by name. */
export function setCell(text: string, line: number, column: string, value: string): string {
  const lines = text.split('\n');
  const header = lines[0]!.split(',');
  const idx = header.indexOf(column);
  if (idx < 0) throw new Error(`no column ${column}`);
  const cells = splitCsvLine(lines[line - 1]!);
  cells[idx] = value;
  lines[line - 1] = cells.map((c) => (c.includes(',') ? `"${c}"` : c)).join(',');
  return lines.join('\n');
}

export function splitCsvLine(l: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const ch of l) {
    if (ch === '"') q = !q;
    else if (ch === ',' && !q) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

export function removeLine(text: string, line: number): string {
  const lines = text.split('\n');
  lines.splice(line - 1, 1);
  return lines.join('\n');
}

export function newDb(dir: string): Db {
  return openDb(path.join(dir, 'test.db'));
}

export function counts(db: Db): Record<string, number> {
  const r: Record<string, number> = {};
  for (const t of ['imports', 'taxpayers', 'debts', 'accounts', 'payments', 'audit_log', 'receipts']) {
    r[t] = (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  }
  r['active'] = (db.prepare('SELECT COUNT(*) AS n FROM taxpayers WHERE active = 1').get() as { n: number }).n;
  return r;
}

/** Run the CLI in-process, capturing stdout and stderr. */
export async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const so = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const se = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  process.exitCode = undefined;
  try {
    const code = await run(args);
    return { code, out, err };
  } finally {
    so.mockRestore();
    se.mockRestore();
    process.exitCode = undefined;
  }
}

/** A batch and request to hang receipts on (receipts have foreign keys). */
export function seedBatch(db: Db, atena: string): { batchId: string; requestId: number } {
  db.exec(`INSERT INTO extractions (processing_date, options, created_at, operator) VALUES ('2025-01-10', '{}', 't', 'op')`);
  const ext = (db.prepare('SELECT MAX(id) AS id FROM extractions').get() as { id: number }).id;
  const batchId = `0184-${String(ext).padStart(8, '0')}`;
  db.prepare(
    `INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
     VALUES (?, ?, '0184', '0000012345', '2025-01-10', 'immediate', 'seizure-120', 'reconciled', 1, 1, 1, 't', 't')`,
  ).run(batchId, ext);
  const r = db.prepare(`INSERT INTO requests (batch_id, request_number, atena, limit_amount) VALUES (?, 1, ?, 1)`).run(batchId, atena);
  return { batchId, requestId: Number(r.lastInsertRowid) };
}

export function addReceipt(db: Db, b: { batchId: string; requestId: number }, r: { chotei: string; atena: string; date: string; honzei: number; fee: number; entaikin: number; exportedAt?: string | null }): number {
  const res = db
    .prepare(`INSERT INTO receipts (batch_id, request_id, chotei, atena, receipt_date, honzei, entaikin, fee, exported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(b.batchId, b.requestId, r.chotei, r.atena, r.date, r.honzei, r.entaikin, r.fee, r.exportedAt ?? null);
  return Number(res.lastInsertRowid);
}

/** The AppError a promise rejects with (fails the test when it resolves or rejects otherwise). */
export async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}
