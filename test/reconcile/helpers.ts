/**
 * Test data for reconciliation, report and export: rows inserted directly with SQL
 * following src/db/schema.ts (independent of the import/extract steps).
 */
import { fixtureDb, tempDir } from '../helpers/db.js';
import type { Db } from '../../src/db/connection.js';

export const BANK = '0184';

export { tempDir };

export function newDb(dir = tempDir()): { db: Db; dir: string; file: string } {
  const { db, file } = fixtureDb(dir, { extractionDate: '2025-01-10' });
  db.prepare(
    `INSERT INTO bank_settings (bank_code, requester_code, requester_name, deposit_branch, deposit_account_type, deposit_account_number, updated_at)
     VALUES (?, '0000012345', 'ｶｺﾞｼﾏｼ', '001', '1', '0123456', 't')`,
  ).run(BANK);
  return { db, dir, file };
}

export function taxpayer(db: Db, atena: string): void {
  db.prepare(`INSERT OR IGNORE INTO taxpayers (atena, name, kana, status, import_id) VALUES (?, '山田太郎', 'ﾔﾏﾀﾞ ﾀﾛｳ', 0, 1)`).run(atena);
}

export interface DebtSpec {
  chotei: string;
  atena: string;
  due: string;
  honzei: number;
  honzeiPaid?: number;
  fee?: number;
  feePaid?: number;
  entaikinPaid?: number;
  entaikinKind?: 0 | 1;
  hasHistory?: boolean;
  taxCode?: string;
  taxName?: string;
}

export function debt(db: Db, d: DebtSpec): void {
  taxpayer(db, d.atena);
  db.prepare(
    `INSERT INTO debts (chotei, atena, kubun, tax_code, tax_name, fiscal_year, period, due_date, honzei, honzei_paid, fee, fee_paid,
                        entaikin_paid, entaikin_kind, reminder_date, has_history, import_id)
     VALUES (?, ?, 1, ?, ?, 2024, '1', ?, ?, ?, ?, ?, ?, ?, NULL, ?, 1)`,
  ).run(
    d.chotei,
    d.atena,
    d.taxCode ?? '01',
    d.taxName ?? '市県民税',
    d.due,
    d.honzei,
    d.honzeiPaid ?? 0,
    d.fee ?? 0,
    d.feePaid ?? 0,
    d.entaikinPaid ?? 0,
    d.entaikinKind ?? 1,
    d.hasHistory ? 1 : 0,
  );
}

export function payment(db: Db, chotei: string, date: string, honzei: number, seq = 1): void {
  db.prepare(`INSERT INTO payments (chotei, paid_date, honzei, seq, import_id) VALUES (?, ?, ?, ?, 1)`).run(chotei, date, honzei, seq);
}

let fileNo = 1;
export function batch(db: Db, opts: { id?: string; state?: string; mode?: 'immediate' | 'deferred'; bank?: string } = {}): string {
  const bank = opts.bank ?? BANK;
  const n = fileNo++;
  const id = opts.id ?? `${bank}-${String(n).padStart(8, '0')}`;
  db.prepare(
    `INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
     VALUES (?, 1, ?, '0000012345', '2025-01-10', ?, 'seizure-120', ?, 0, 0, 0, 't', 't')`,
  ).run(id, bank, opts.mode ?? 'immediate', opts.state ?? 'results-imported');
  db.prepare(
    `INSERT INTO batch_files (batch_id, seq, file_number, first_request, last_request, records, limit_total) VALUES (?, 1, ?, 1, 999999, 0, 0)`,
  ).run(id, n);
  return id;
}

export interface RecordSpec {
  result?: string;
  seized?: number;
  collected: number;
  date?: string | null;
  account?: string;
}

let accountSeq = 1;
/** One request of `atena` covering `chotei`s, with one record per RecordSpec (枝番 1..). Returns the request id. */
export function request(
  db: Db,
  batchId: string,
  requestNumber: number,
  atena: string,
  chotei: string[],
  records: RecordSpec[],
  limit = 100000,
): number {
  taxpayer(db, atena);
  const rid = Number(
    db.prepare(`INSERT INTO requests (batch_id, request_number, atena, limit_amount) VALUES (?, ?, ?, ?)`).run(batchId, requestNumber, atena, limit)
      .lastInsertRowid,
  );
  for (const c of chotei) {
    db.prepare(`INSERT INTO request_debts (request_id, chotei, honzei_due, fee_due, entaikin_due) VALUES (?, ?, 0, 0, 0)`).run(rid, c);
  }
  records.forEach((r, i) => {
    const acct = r.account ?? String(1000000 + accountSeq++).slice(-7);
    const aid = Number(
      db
        .prepare(
          `INSERT INTO accounts (atena, bank_code, branch_code, account_type, account_number, import_id) VALUES (?, ?, '001', '1', ?, 1)`,
        )
        .run(atena, BANK, acct).lastInsertRowid,
    );
    const collected = r.collected;
    const seized = r.seized ?? collected;
    const result = r.result ?? (seized > 0 ? '01' : '11');
    db.prepare(
      `INSERT INTO request_records (request_id, sub_number, account_id, branch_code, account_type, account_number, holder_name, result_code,
                                    seized_amount, collected_amount, collection_date)
       VALUES (?, ?, ?, '001', '1', ?, 'ﾔﾏﾀﾞ ﾀﾛｳ', ?, ?, ?, ?)`,
    ).run(rid, i + 1, aid, acct, result, seized, collected, r.date === undefined ? (collected > 0 ? '2025-01-15' : null) : r.date);
  });
  return rid;
}

export function statementImport(db: Db, sha = `s${Math.random()}`): number {
  return Number(
    db.prepare(`INSERT INTO imports (kind, sha256, files, imported_at, operator) VALUES ('statement', ?, '[]', 't', 'op')`).run(sha)
      .lastInsertRowid,
  );
}

export function deposit(
  db: Db,
  importId: number,
  e: { inquiry: string; date: string; amount: number; inOut?: 1 | 2; account?: string; branch?: string },
): number {
  return Number(
    db
      .prepare(
        `INSERT INTO statement_entries (import_id, bank_code, branch_code, account_type, account_number, inquiry_number, value_date, in_out,
                                        transaction_kind, amount)
         VALUES (?, ?, ?, '1', ?, ?, ?, ?, '11', ?)`,
      )
      .run(importId, BANK, e.branch ?? '001', e.account ?? '0000123456', e.inquiry, e.date, e.inOut ?? 1, e.amount).lastInsertRowid,
  );
}

export function rows<T>(db: Db, sql: string, ...params: unknown[]): T[] {
  return db.prepare(sql).all(...params) as T[];
}
