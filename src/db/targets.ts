/**
 * Queries of the targets import (import-csv.md): upserts of the delinquency
 * export by key, snapshot inactivation, payment replacement, receipt inclusion,
 * and what a debt still owes (outstandingOf / the debt_outstanding view).
 *
 * Everything here is synchronous and meant to run inside the import's single
 * transaction (src/steps/import-targets/import-targets.ts).
 */
import type Database from 'better-sqlite3';
import type { Db } from './connection.js';

export interface Outstanding {
  /** 本税 still owed: export 本税 − 本税収納済額 − not-included receipts, not below 0 */
  honzei: number;
  /** 督促手数料 still owed, same rule */
  fee: number;
  /** 延滞金 paid in total: export 延滞金収納済額 + not-included receipts */
  entaikinPaid: number;
}

/**
 * What one debt still owes (the same rule as the debt_outstanding view, which
 * bulk callers should join instead of calling this per debt).
 * Throws RangeError when the debt is unknown (a programming error: callers
 * get 調定番号 from the database).
 */
export function outstandingOf(db: Db, chotei: string): Outstanding {
  const row = db
    .prepare('SELECT honzei_out, fee_out, entaikin_paid_total FROM debt_outstanding WHERE chotei = ?')
    .get(chotei) as { honzei_out: number; fee_out: number; entaikin_paid_total: number } | undefined;
  if (!row) throw new RangeError(`unknown 調定番号 ${chotei}`);
  return { honzei: row.honzei_out, fee: row.fee_out, entaikinPaid: row.entaikin_paid_total };
}

// ---- staging: validated rows of one import, in TEMP tables of this connection ----

export interface StagedTaxpayer {
  atena: string;
  name: string;
  kana: string;
  birthDate: string | null;
  address: string | null;
  status: number;
}
export interface StagedDebt {
  chotei: string;
  atena: string;
  kubun: number;
  taxCode: string;
  taxName: string;
  fiscalYear: number;
  period: string;
  dueDate: string;
  honzei: number;
  honzeiPaid: number;
  fee: number;
  feePaid: number;
  entaikinPaid: number;
  entaikinKind: number;
  reminderDate: string | null;
  prescriptionDate: string | null;
}
export interface StagedAccount {
  atena: string;
  bankCode: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  holderKana: string | null;
  inquiryDate: string | null;
  balance: number | null;
}
export interface StagedPayment {
  chotei: string;
  paidDate: string;
  honzei: number;
  fee: number;
  entaikin: number;
}

const STAGE_SQL = `
DROP TABLE IF EXISTS temp.stage_taxpayers;
DROP TABLE IF EXISTS temp.stage_debts;
DROP TABLE IF EXISTS temp.stage_accounts;
DROP TABLE IF EXISTS temp.stage_payments;
CREATE TEMP TABLE stage_taxpayers (atena TEXT, name TEXT, kana TEXT, birth_date TEXT, address TEXT, status INTEGER, line INTEGER);
CREATE TEMP TABLE stage_debts (chotei TEXT, atena TEXT, kubun INTEGER, tax_code TEXT, tax_name TEXT, fiscal_year INTEGER,
  period TEXT, due_date TEXT, honzei INTEGER, honzei_paid INTEGER, fee INTEGER, fee_paid INTEGER, entaikin_paid INTEGER,
  entaikin_kind INTEGER, reminder_date TEXT, prescription_date TEXT, line INTEGER);
CREATE TEMP TABLE stage_accounts (atena TEXT, bank_code TEXT, branch_code TEXT, account_type TEXT, account_number TEXT,
  holder_kana TEXT, inquiry_date TEXT, balance INTEGER, line INTEGER);
CREATE TEMP TABLE stage_payments (seq INTEGER PRIMARY KEY, chotei TEXT, paid_date TEXT, honzei INTEGER, fee INTEGER, entaikin INTEGER);
`;

const FLUSH_AT = 10_000;

/**
 * Validated rows waiting for the import's transaction. Rows are buffered and
 * written to TEMP tables in small synchronous transactions (temp tables only:
 * the main database is untouched until `applyTargetsImport`). Memory stays
 * bounded by the buffer size. The staging tables have no key index: keys are
 * checked in memory by the caller (a KeySet per file, ADR 0026), and the by-key lookups
 * below only serve the rare duplicate path.
 */
export class TargetsStaging {
  private readonly db: Db;
  private readonly buf: Array<() => void> = [];
  private readonly ins: {
    taxpayer: Database.Statement;
    debt: Database.Statement;
    account: Database.Statement;
    payment: Database.Statement;
  };
  private seq = 0;
  private readonly cacheSize: unknown;

  constructor(db: Db) {
    this.db = db;
    // A larger page cache for the bulk upserts (bounded: 16 MiB), restored by drop().
    // Measured at 1M records (ADR 0026): 16 MiB was faster than 64 MiB (22.8/23.2 vs
    // 25.0/29.1 s CPU) and 50 MB leaner.
    this.cacheSize = db.pragma('cache_size', { simple: true });
    db.pragma('cache_size = -16384');
    db.exec(STAGE_SQL);
    this.ins = {
      taxpayer: db.prepare('INSERT INTO temp.stage_taxpayers VALUES (?, ?, ?, ?, ?, ?, ?)'),
      debt: db.prepare('INSERT INTO temp.stage_debts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      account: db.prepare('INSERT INTO temp.stage_accounts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      payment: db.prepare('INSERT INTO temp.stage_payments VALUES (?, ?, ?, ?, ?, ?)'),
    };
  }

  private push(op: () => void): void {
    this.buf.push(op);
    if (this.buf.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    const ops = this.buf.splice(0);
    this.db.transaction(() => {
      for (const op of ops) op();
    })();
  }

  taxpayer(r: StagedTaxpayer, line: number): void {
    this.push(() => this.ins.taxpayer.run(r.atena, r.name, r.kana, r.birthDate, r.address, r.status, line));
  }
  debt(r: StagedDebt, line: number): void {
    this.push(() =>
      this.ins.debt.run(r.chotei, r.atena, r.kubun, r.taxCode, r.taxName, r.fiscalYear, r.period, r.dueDate, r.honzei, r.honzeiPaid, r.fee, r.feePaid, r.entaikinPaid, r.entaikinKind, r.reminderDate, r.prescriptionDate, line),
    );
  }
  account(r: StagedAccount, line: number): void {
    this.push(() => this.ins.account.run(r.atena, r.bankCode, r.branchCode, r.accountType, r.accountNumber, r.holderKana, r.inquiryDate, r.balance, line));
  }
  payment(r: StagedPayment): void {
    const seq = ++this.seq;
    this.push(() => this.ins.payment.run(seq, r.chotei, r.paidDate, r.honzei, r.fee, r.entaikin));
  }

  /** Line of the staged row with this key (after a flush), for duplicate messages. */
  lineOf(role: 'taxpayers' | 'debts', key: string): number | undefined {
    this.flush();
    const sql = role === 'taxpayers' ? 'SELECT line FROM temp.stage_taxpayers WHERE atena = ?' : 'SELECT line FROM temp.stage_debts WHERE chotei = ?';
    const row = this.db.prepare(sql).get(key) as { line: number } | undefined;
    return row?.line;
  }
  accountLineOf(key: [string, string, string, string, string]): number | undefined {
    this.flush();
    const row = this.db
      .prepare('SELECT line FROM temp.stage_accounts WHERE atena = ? AND bank_code = ? AND branch_code = ? AND account_type = ? AND account_number = ?')
      .get(...key) as { line: number } | undefined;
    return row?.line;
  }

  /** Take a staged row out again (its key turned out to be duplicated). */
  remove(role: 'taxpayers' | 'debts', key: string): void {
    this.flush();
    const sql = role === 'taxpayers' ? 'DELETE FROM temp.stage_taxpayers WHERE atena = ?' : 'DELETE FROM temp.stage_debts WHERE chotei = ?';
    this.db.prepare(sql).run(key);
  }
  removeAccount(key: [string, string, string, string, string]): void {
    this.flush();
    this.db.prepare('DELETE FROM temp.stage_accounts WHERE atena = ? AND bank_code = ? AND branch_code = ? AND account_type = ? AND account_number = ?').run(...key);
  }

  drop(): void {
    this.buf.length = 0;
    this.db.pragma(`cache_size = ${Number(this.cacheSize)}`);
    this.db.exec('DROP TABLE IF EXISTS temp.stage_taxpayers; DROP TABLE IF EXISTS temp.stage_debts; DROP TABLE IF EXISTS temp.stage_accounts; DROP TABLE IF EXISTS temp.stage_payments;');
  }
}

// ---- upserts by key: from the staging tables (applyTargetsImport) or row by row (TargetsDirect) ----

interface Upsert {
  table: string;
  stage: string;
  /** columns taken from the export, in the staging table's order */
  columns: readonly string[];
  /** columns set by the import itself (besides import_id) */
  fixed: Readonly<Record<string, string>>;
  conflict: string;
}

const UPSERTS = {
  taxpayers: {
    table: 'taxpayers',
    stage: 'temp.stage_taxpayers',
    columns: ['atena', 'name', 'kana', 'birth_date', 'address', 'status'],
    fixed: { active: '1' },
    conflict: `(atena) DO UPDATE SET name = excluded.name, kana = excluded.kana, birth_date = excluded.birth_date,
       address = excluded.address, status = excluded.status, active = 1, import_id = excluded.import_id`,
  },
  debts: {
    table: 'debts',
    stage: 'temp.stage_debts',
    columns: ['chotei', 'atena', 'kubun', 'tax_code', 'tax_name', 'fiscal_year', 'period', 'due_date', 'honzei', 'honzei_paid', 'fee', 'fee_paid', 'entaikin_paid', 'entaikin_kind', 'reminder_date', 'prescription_date'],
    fixed: { has_history: '0', active: '1' },
    conflict: `(chotei) DO UPDATE SET atena = excluded.atena, kubun = excluded.kubun, tax_code = excluded.tax_code,
       tax_name = excluded.tax_name, fiscal_year = excluded.fiscal_year, period = excluded.period, due_date = excluded.due_date,
       honzei = excluded.honzei, honzei_paid = excluded.honzei_paid, fee = excluded.fee, fee_paid = excluded.fee_paid,
       entaikin_paid = excluded.entaikin_paid, entaikin_kind = excluded.entaikin_kind, reminder_date = excluded.reminder_date,
       prescription_date = excluded.prescription_date, active = 1, import_id = excluded.import_id
       WHERE debts.import_id <> excluded.import_id`,
  },
  accounts: {
    table: 'accounts',
    stage: 'temp.stage_accounts',
    columns: ['atena', 'bank_code', 'branch_code', 'account_type', 'account_number', 'holder_kana', 'inquiry_date', 'balance'],
    fixed: { active: '1' },
    conflict: `(atena, bank_code, branch_code, account_type, account_number) DO UPDATE SET holder_kana = excluded.holder_kana,
       inquiry_date = excluded.inquiry_date, balance = excluded.balance, active = 1, import_id = excluded.import_id
       WHERE accounts.import_id <> excluded.import_id`,
  },
} satisfies Record<string, Upsert>;

/** The upsert of one table: from its staging table, or of one row given as parameters (import id last). */
function upsertSql(u: Upsert, from: 'stage' | 'row'): string {
  const into = `INSERT INTO ${u.table} (${[...u.columns, ...Object.keys(u.fixed), 'import_id'].join(', ')})`;
  const fixed = Object.values(u.fixed).join(', ');
  const source = from === 'stage' ? `SELECT ${u.columns.join(', ')}, ${fixed}, ? FROM ${u.stage} WHERE true` : `VALUES (${u.columns.map(() => '?').join(', ')}, ${fixed}, ?)`;
  return `${into}\n     ${source}\n     ON CONFLICT ${u.conflict}`;
}

/** Upsert the staged taxpayers, debts and accounts, each row now carrying `importId`. */
function upsertStaged(db: Db, importId: number): void {
  for (const u of Object.values(UPSERTS)) db.prepare(upsertSql(u, 'stage')).run(importId);
}

/**
 * The same upserts row by row, for the import's fast path (import-targets-fast.ts):
 * the rows are checked by the caller and come in the staging tables' column order
 * (a debt or an account whose key this import already stored changes nothing:
 * `changes` is 0);
 * payments go to temp.stage_payments (created by TargetsStaging), where
 * finishTargetsImport expects them.
 */
export class TargetsDirect {
  readonly taxpayer: Database.Statement;
  readonly debt: Database.Statement;
  readonly account: Database.Statement;
  readonly payment: Database.Statement;

  constructor(db: Db) {
    this.taxpayer = db.prepare(upsertSql(UPSERTS.taxpayers, 'row'));
    this.debt = db.prepare(upsertSql(UPSERTS.debts, 'row'));
    this.account = db.prepare(upsertSql(UPSERTS.accounts, 'row'));
    this.payment = db.prepare('INSERT INTO temp.stage_payments (chotei, paid_date, honzei, fee, entaikin) VALUES (?, ?, ?, ?, ?)');
  }
}

/** Whether a staged payment names a 調定番号 that this import did not store. */
export function stagedPaymentOfUnknownDebt(db: Db, importId: number): boolean {
  const row = db
    .prepare('SELECT EXISTS (SELECT 1 FROM temp.stage_payments p WHERE NOT EXISTS (SELECT 1 FROM debts d WHERE d.chotei = p.chotei AND d.import_id = ?)) AS unknown')
    .get(importId) as { unknown: number };
  return row.unknown === 1;
}

// ---- apply: one synchronous call inside the import's transaction ----

export interface ApplyResult {
  taxpayers: number;
  debts: number;
  accounts: number;
  payments: number;
  inactivated: { taxpayers: number; debts: number; accounts: number };
  receiptsIncluded: number;
  paymentMismatches: number;
  /** 調定番号 of mismatching debts, at most MISMATCH_LIST_CAP */
  mismatchChotei: string[];
  debtsWithoutHistory: number;
}

export const MISMATCH_LIST_CAP = 1000;

/**
 * Move the staged snapshot into the database (import-csv.md "Import rules"):
 * upsert by key, inactivate what the snapshot lacks, replace payments per debt,
 * mark receipts the export already contains, and find payment mismatches.
 * Must run inside a transaction; `importId` is the imports row of this import.
 */
export function applyTargetsImport(db: Db, importId: number, opts: { withPayments: boolean; asOf: string }): ApplyResult {
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const counts: TargetCounts = {
    taxpayers: count('SELECT COUNT(*) AS n FROM temp.stage_taxpayers'),
    debts: count('SELECT COUNT(*) AS n FROM temp.stage_debts'),
    accounts: count('SELECT COUNT(*) AS n FROM temp.stage_accounts'),
    payments: count('SELECT COUNT(*) AS n FROM temp.stage_payments'),
  };
  upsertStaged(db, importId);
  return finishTargetsImport(db, importId, counts, opts);
}

/** Rows of this import, by file (the staged rows, or those the fast path upserted). */
export interface TargetCounts {
  taxpayers: number;
  debts: number;
  accounts: number;
  payments: number;
}

/**
 * The rest of an import once taxpayers, debts and accounts carry this import's id and
 * this import's payments are in temp.stage_payments: inactivate what the snapshot lacks,
 * replace payments per debt, mark included receipts, find payment mismatches.
 */
export function finishTargetsImport(db: Db, importId: number, counts: TargetCounts, opts: { withPayments: boolean; asOf: string }): ApplyResult {
  // Snapshot: every row of this export now carries this import's id; the rest is absent.
  const inactivated = {
    taxpayers: db.prepare('UPDATE taxpayers SET active = 0 WHERE active = 1 AND import_id <> ?').run(importId).changes,
    debts: db.prepare('UPDATE debts SET active = 0 WHERE active = 1 AND import_id <> ?').run(importId).changes,
    accounts: db.prepare('UPDATE accounts SET active = 0 WHERE active = 1 AND import_id <> ?').run(importId).changes,
  };

  if (opts.withPayments) {
    db.prepare('DELETE FROM payments WHERE chotei IN (SELECT chotei FROM temp.stage_payments)').run();
    db.prepare(
      `INSERT INTO payments (chotei, paid_date, honzei, fee, entaikin, seq, import_id)
       SELECT chotei, paid_date, honzei, fee, entaikin, seq, ? FROM temp.stage_payments ORDER BY seq`,
    ).run(importId);
  }
  // has_history: the payments table holds a history for the debt — this export's, or an earlier
  // one kept because this export's payments.csv does not list the debt (an upsert keeps the flag).
  if (opts.withPayments) db.prepare('UPDATE debts SET has_history = 1 WHERE chotei IN (SELECT chotei FROM temp.stage_payments)').run();
  // only partly paid debts matter: for them, without dated payments, 延滞金 on the paid part is lost
  const debtsWithoutHistory = (db.prepare('SELECT COUNT(*) AS n FROM debts WHERE import_id = ? AND has_history = 0 AND honzei_paid > 0').get(importId) as { n: number }).n;

  const receiptsIncluded = opts.withPayments ? includeReceiptsByPayments(db, importId) : includeReceiptsByExport(db, importId, opts.asOf);

  // 本税収納済額 decides what is outstanding; a history that sums differently is reported.
  let paymentMismatches = 0;
  const mismatchChotei: string[] = [];
  const mm = db.prepare(
    `SELECT d.chotei AS chotei FROM debts d
     JOIN (SELECT chotei, SUM(honzei) AS paid FROM payments GROUP BY chotei) p ON p.chotei = d.chotei
     WHERE d.import_id = ? AND p.paid <> d.honzei_paid ORDER BY d.chotei`,
  );
  for (const r of mm.iterate(importId) as Iterable<{ chotei: string }>) {
    paymentMismatches++;
    if (mismatchChotei.length < MISMATCH_LIST_CAP) mismatchChotei.push(r.chotei);
  }

  return { ...counts, inactivated, receiptsIncluded, paymentMismatches, mismatchChotei, debtsWithoutHistory };
}

/**
 * With payments.csv: a receipt is included when the export lists a payment of the
 * same 調定番号, 収納日 and amounts. One listed payment accounts for one receipt:
 * payments already matched by receipts included earlier are not used again.
 */
function includeReceiptsByPayments(db: Db, importId: number): number {
  const candidates = db
    .prepare(
      `SELECT id, chotei, receipt_date, honzei, fee, entaikin FROM receipts
       WHERE included_import_id IS NULL AND chotei IN (SELECT chotei FROM temp.stage_payments) ORDER BY id`,
    )
    .all() as Array<{ id: number; chotei: string; receipt_date: string; honzei: number; fee: number; entaikin: number }>;
  const listed = db.prepare('SELECT COUNT(*) AS n FROM temp.stage_payments WHERE chotei = ? AND paid_date = ? AND honzei = ? AND fee = ? AND entaikin = ?');
  const already = db.prepare(
    'SELECT COUNT(*) AS n FROM receipts WHERE included_import_id IS NOT NULL AND chotei = ? AND receipt_date = ? AND honzei = ? AND fee = ? AND entaikin = ?',
  );
  const mark = db.prepare('UPDATE receipts SET included_import_id = ? WHERE id = ?');
  const available = new Map<string, number>();
  let n = 0;
  for (const r of candidates) {
    const params = [r.chotei, r.receipt_date, r.honzei, r.fee, r.entaikin] as const;
    const key = params.join('\u0000');
    let left = available.get(key);
    if (left === undefined) {
      left = (listed.get(...params) as { n: number }).n - (already.get(...params) as { n: number }).n;
    }
    if (left > 0) {
      mark.run(importId, r.id);
      n++;
      left--;
    }
    available.set(key, left);
  }
  return n;
}

/** Without payments.csv: a receipt is included when it was exported and its 収納日 ≤ the as-of date. */
function includeReceiptsByExport(db: Db, importId: number, asOf: string): number {
  return db
    .prepare('UPDATE receipts SET included_import_id = ? WHERE included_import_id IS NULL AND exported_at IS NOT NULL AND receipt_date <= ?')
    .run(importId, asOf).changes;
}

// ---- imports row ----

export function insertImport(db: Db, row: { kind: 'targets'; sha256: string; files: string[]; asOf: string; importedAt: string; operator: string }): number {
  const r = db
    .prepare('INSERT INTO imports (kind, sha256, files, as_of, imported_at, operator) VALUES (?, ?, ?, ?, ?, ?)')
    .run(row.kind, row.sha256, JSON.stringify(row.files), row.asOf, row.importedAt, row.operator);
  return Number(r.lastInsertRowid);
}

export function setImportSummary(db: Db, importId: number, summary: Record<string, unknown>): void {
  db.prepare('UPDATE imports SET summary = ? WHERE id = ?').run(JSON.stringify(summary), importId);
}
