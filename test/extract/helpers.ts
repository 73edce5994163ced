/** Test fixtures for extract/write: a real SQLite file in a temp dir, rows inserted with SQL. */
import { fixtureDb, tempDir } from '../helpers/db.js';
import type { Db } from '../../src/db/connection.js';

export { tempDir };

export function freshDb(dir = tempDir()): ReturnType<typeof fixtureDb> {
  return fixtureDb(dir, { operator: 'test' });
}

export interface TP {
  atena: string;
  kana?: string;
  birth?: string | null;
  status?: number;
  active?: number;
}
export function taxpayer(db: Db, t: TP): void {
  db.prepare('INSERT INTO taxpayers (atena, name, kana, birth_date, status, active, import_id) VALUES (?, ?, ?, ?, ?, ?, 1)').run(
    t.atena,
    '山田太郎',
    t.kana ?? 'ヤマダ　タロウ',
    t.birth === undefined ? '1970-04-01' : t.birth,
    t.status ?? 0,
    t.active ?? 1,
  );
}

export interface DebtIn {
  chotei: string;
  atena: string;
  kubun?: number;
  due?: string;
  honzei?: number;
  honzeiPaid?: number;
  fee?: number;
  feePaid?: number;
  entaikinPaid?: number;
  entaikinKind?: number;
  reminder?: string | null;
  prescription?: string | null;
  active?: number;
}
export function debt(db: Db, d: DebtIn): void {
  db.prepare(
    `INSERT INTO debts (chotei, atena, kubun, tax_code, tax_name, fiscal_year, period, due_date, honzei, honzei_paid, fee, fee_paid,
       entaikin_paid, entaikin_kind, reminder_date, prescription_date, active, import_id)
     VALUES (?, ?, ?, '01', '市県民税', 2026, '1', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  ).run(
    d.chotei,
    d.atena,
    d.kubun ?? 1,
    d.due ?? '2026-04-30',
    d.honzei ?? 100_000,
    d.honzeiPaid ?? 0,
    d.fee ?? 0,
    d.feePaid ?? 0,
    d.entaikinPaid ?? 0,
    d.entaikinKind ?? 0,
    d.reminder === undefined ? '2026-05-20' : d.reminder,
    d.prescription ?? null,
    d.active ?? 1,
  );
}

export interface AccIn {
  atena: string;
  bank?: string;
  branch?: string;
  type?: string;
  number: string;
  holder?: string | null;
  balance?: number | null;
  active?: number;
  /** 調査日 (default none) */
  date?: string | null;
}
export function account(db: Db, a: AccIn): void {
  db.prepare(
    `INSERT INTO accounts (atena, bank_code, branch_code, account_type, account_number, holder_kana, balance, active, import_id, inquiry_date)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?)`,
  ).run(a.atena, a.bank ?? '0184', a.branch ?? '310', a.type ?? '1', a.number, a.holder ?? null, a.balance ?? null, a.active ?? 1, a.date ?? null);
}

export function payment(db: Db, chotei: string, date: string, honzei: number, seq = 1): void {
  db.prepare('INSERT INTO payments (chotei, paid_date, honzei, seq, import_id) VALUES (?, ?, ?, ?, 1)').run(chotei, date, honzei, seq);
  db.prepare('UPDATE debts SET has_history = 1 WHERE chotei = ?').run(chotei);
}

export interface SettingsIn {
  bank?: string;
  requesterCode?: string;
  requesterName?: string;
  bankName?: string | null;
  maxRecordsPerFile?: number;
  nextFileNumber?: number;
  collectionMode?: 'immediate' | 'deferred';
  pattern?: string;
}
export function settings(db: Db, s: SettingsIn = {}): void {
  db.prepare(
    `INSERT INTO bank_settings (bank_code, requester_code, requester_name, bank_name, deposit_branch, deposit_account_type, deposit_account_number,
       layout_id, max_records_per_file, file_name_pattern, collection_mode, next_file_number, updated_at)
     VALUES (?, ?, ?, ?, '123', '1', '1234567', 'seizure-120', ?, ?, ?, ?, 't')`,
  ).run(
    s.bank ?? '0184',
    s.requesterCode ?? '0000012345',
    s.requesterName ?? 'ｶｺﾞｼﾏｼ',
    s.bankName === undefined ? 'ﾐﾔｻﾞｷ' : s.bankName,
    s.maxRecordsPerFile ?? 999_999,
    s.pattern ?? 'SASHI_{bank}_{file}.DAT',
    s.collectionMode ?? 'immediate',
    s.nextFileNumber ?? 42,
  );
}

/** One ordinary target: taxpayer, one ripe 区分1 debt, one account at the bank. */
export function target(db: Db, atena: string, opts: { honzei?: number; bank?: string; balance?: number; accounts?: number } = {}): void {
  taxpayer(db, { atena });
  debt(db, { chotei: `C${atena}`, atena, honzei: opts.honzei ?? 100_000 });
  for (let i = 0; i < (opts.accounts ?? 1); i++) {
    account(db, { atena, bank: opts.bank, number: String(1_000_000 + i), balance: opts.balance ?? 10_000 });
  }
}

export function count(db: Db, sql: string, ...args: unknown[]): number {
  return (db.prepare(sql).get(...args) as { n: number }).n;
}
