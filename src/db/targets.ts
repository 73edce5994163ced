/**
 * Queries of the targets import (import-csv.md): upserts of the delinquency
 * export by key, snapshot inactivation, payment replacement, receipt inclusion,
 * and what a debt still owes (outstandingOf / the debt_outstanding view).
 *
 * Everything here is synchronous and meant to run inside the import's single
 * transaction (src/steps/import-targets/import-targets.ts).
 */
import type Database from 'better-sqlite3';
import { csvTable, type CsvColumn, type FileRole } from '../domain/csv-tables.js';
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

// ---- staging and upserts, derived from the tables of the export (domain/csv-tables.ts, ADR 0105) ----
//
// A row of a file is its values in the order of its table (as the import's row parsers
// produce them): the staging tables, their inserts and the upserts below list the
// database columns in that order, so a row binds positionally to every statement here.

/** The three files stored by key (payments are replaced per debt instead). */
type KeyedRole = 'taxpayers' | 'debts' | 'accounts';
const KEYED: readonly KeyedRole[] = ['taxpayers', 'debts', 'accounts'];

const dbColumns = (role: FileRole): string[] => csvTable(role).map((c) => c.column);
const sqlType = (c: CsvColumn): string => (c.numeric ? 'INTEGER' : 'TEXT');
const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

const STAGE_TABLES: readonly string[] = ['temp.stage_taxpayers', 'temp.stage_debts', 'temp.stage_accounts', 'temp.stage_payments'];
const DROP_STAGE_SQL = STAGE_TABLES.map((t) => `DROP TABLE IF EXISTS ${t};`).join('\n');
/** Keyed files: the table's columns, then the row's line; payments: their order in the file, then the table's columns. */
const STAGE_SQL = [
  DROP_STAGE_SQL,
  ...KEYED.map((role) => `CREATE TEMP TABLE stage_${role} (${csvTable(role).map((c) => `${c.column} ${sqlType(c)}`).join(', ')}, line INTEGER);`),
  `CREATE TEMP TABLE stage_payments (seq INTEGER PRIMARY KEY, ${csvTable('payments').map((c) => `${c.column} ${sqlType(c)}`).join(', ')});`,
].join('\n');
const STAGE_INSERT_SQL: Readonly<Record<FileRole, string>> = {
  taxpayers: `INSERT INTO temp.stage_taxpayers VALUES (${marks(csvTable('taxpayers').length + 1)})`,
  debts: `INSERT INTO temp.stage_debts VALUES (${marks(csvTable('debts').length + 1)})`,
  accounts: `INSERT INTO temp.stage_accounts VALUES (${marks(csvTable('accounts').length + 1)})`,
  payments: `INSERT INTO temp.stage_payments VALUES (${marks(csvTable('payments').length + 1)})`,
};
/** The staged row of a key (the key columns' values in table order): its line, and its removal. */
const keyWhere = (role: KeyedRole): string =>
  csvTable(role)
    .filter((c) => c.key)
    .map((c) => `${c.column} = ?`)
    .join(' AND ');
const STAGE_LINE_SQL = Object.fromEntries(KEYED.map((r) => [r, `SELECT line FROM temp.stage_${r} WHERE ${keyWhere(r)}`])) as Record<KeyedRole, string>;
const STAGE_REMOVE_SQL = Object.fromEntries(KEYED.map((r) => [r, `DELETE FROM temp.stage_${r} WHERE ${keyWhere(r)}`])) as Record<KeyedRole, string>;
/** The payments' insert of the fast path: the table's columns (seq numbered by SQLite). */
const PAYMENT_INSERT_SQL = `INSERT INTO temp.stage_payments (${dbColumns('payments').join(', ')}) VALUES (${marks(csvTable('payments').length)})`;

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
  private readonly ins: Record<FileRole, Database.Statement>;
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
      taxpayers: db.prepare(STAGE_INSERT_SQL.taxpayers),
      debts: db.prepare(STAGE_INSERT_SQL.debts),
      accounts: db.prepare(STAGE_INSERT_SQL.accounts),
      payments: db.prepare(STAGE_INSERT_SQL.payments),
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

  /**
   * Stage a good row of a keyed file: `values` in its table's order (kept until the
   * next flush: the caller hands it over), and its line.
   */
  row(role: KeyedRole, values: unknown[], line: number): void {
    const stmt = this.ins[role];
    this.push(() => stmt.run(...values, line));
  }
  /** Stage a good payment, `values` in its table's order; its order in the file is kept. */
  payment(values: unknown[]): void {
    const seq = ++this.seq;
    const stmt = this.ins.payments;
    this.push(() => stmt.run(seq, ...values));
  }

  /** Line of the staged row with this key (the key columns' values in table order; after a flush), for duplicate messages. */
  lineOf(role: KeyedRole, key: readonly string[]): number | undefined {
    this.flush();
    const row = this.db.prepare(STAGE_LINE_SQL[role]).get(...key) as { line: number } | undefined;
    return row?.line;
  }

  /** Take a staged row out again (its key turned out to be duplicated). */
  remove(role: KeyedRole, key: readonly string[]): void {
    this.flush();
    this.db.prepare(STAGE_REMOVE_SQL[role]).run(...key);
  }

  drop(): void {
    this.buf.length = 0;
    this.db.pragma(`cache_size = ${Number(this.cacheSize)}`);
    this.db.exec(DROP_STAGE_SQL);
  }
}

// ---- upserts by key: from the staging tables (applyTargetsImport) or row by row (TargetsDirect) ----

/** Columns set by the import itself (besides import_id), and whether a row this import already stored is left as it is. */
const UPSERT_FIXED: Readonly<Record<KeyedRole, { fixed: Readonly<Record<string, string>>; onlyOtherImports: boolean }>> = {
  taxpayers: { fixed: { active: '1' }, onlyOtherImports: false },
  // a debt or an account whose key this import already stored changes nothing (`changes` is 0: a duplicate)
  debts: { fixed: { has_history: '0', active: '1' }, onlyOtherImports: true },
  accounts: { fixed: { active: '1' }, onlyOtherImports: true },
};

/**
 * The upsert of one file's table: from its staging table, or of one row given as
 * parameters (the table's columns in order, the import id last). On a key already
 * stored, every other column of the table is updated; `has_history` is kept.
 */
export function upsertSql(role: KeyedRole, from: 'stage' | 'row'): string {
  const table = csvTable(role);
  const { fixed, onlyOtherImports } = UPSERT_FIXED[role];
  const columns = table.map((c) => c.column);
  const into = `INSERT INTO ${role} (${[...columns, ...Object.keys(fixed), 'import_id'].join(', ')})`;
  const values = Object.values(fixed).join(', ');
  const source = from === 'stage' ? `SELECT ${columns.join(', ')}, ${values}, ? FROM temp.stage_${role} WHERE true` : `VALUES (${marks(columns.length)}, ${values}, ?)`;
  const key = table.filter((c) => c.key).map((c) => c.column);
  const set = [...table.filter((c) => !c.key).map((c) => `${c.column} = excluded.${c.column}`), 'active = 1', 'import_id = excluded.import_id'];
  const where = onlyOtherImports ? ` WHERE ${role}.import_id <> excluded.import_id` : '';
  return `${into}\n     ${source}\n     ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}${where}`;
}

const UPSERT_STAGE_SQL: readonly string[] = KEYED.map((r) => upsertSql(r, 'stage'));
const UPSERT_ROW_SQL = Object.fromEntries(KEYED.map((r) => [r, upsertSql(r, 'row')])) as Record<KeyedRole, string>;

/** Upsert the staged taxpayers, debts and accounts, each row now carrying `importId`. */
function upsertStaged(db: Db, importId: number): void {
  for (const sql of UPSERT_STAGE_SQL) db.prepare(sql).run(importId);
}

/**
 * The same upserts row by row, for the import's fast path (steps/import-targets/fast-path.ts):
 * the rows are checked by the caller and bound positionally, the table's columns in
 * order and the import id last (a debt or an account whose key this import already
 * stored changes nothing: `changes` is 0); payments go to temp.stage_payments (created
 * by TargetsStaging), where finishTargetsImport expects them, bound in the table's order.
 */
export class TargetsDirect {
  readonly taxpayer: Database.Statement;
  readonly debt: Database.Statement;
  readonly account: Database.Statement;
  readonly payment: Database.Statement;

  constructor(db: Db) {
    this.taxpayer = db.prepare(UPSERT_ROW_SQL.taxpayers);
    this.debt = db.prepare(UPSERT_ROW_SQL.debts);
    this.account = db.prepare(UPSERT_ROW_SQL.accounts);
    this.payment = db.prepare(PAYMENT_INSERT_SQL);
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

const MISMATCH_LIST_CAP = 1000;

/**
 * Move the staged snapshot into the database (import-csv.md "Import rules"):
 * upsert by key, inactivate what the snapshot lacks, replace payments per debt,
 * mark receipts the export already contains, and find payment mismatches.
 * Must run inside a transaction; `importId` is the imports row of this import.
 */
export function applyTargetsImport(db: Db, importId: number, opts: { withPayments: boolean; withAccounts: boolean; asOf: string }): ApplyResult {
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
 * replace payments per debt, mark included receipts, find payment mismatches. Without
 * accounts.csv (`withAccounts` false) the accounts are left exactly as they are.
 */
export function finishTargetsImport(db: Db, importId: number, counts: TargetCounts, opts: { withPayments: boolean; withAccounts: boolean; asOf: string }): ApplyResult {
  // Snapshot: every row of this export now carries this import's id; the rest is absent.
  const inactivated = {
    taxpayers: db.prepare('UPDATE taxpayers SET active = 0 WHERE active = 1 AND import_id <> ?').run(importId).changes,
    debts: db.prepare('UPDATE debts SET active = 0 WHERE active = 1 AND import_id <> ?').run(importId).changes,
    accounts: opts.withAccounts ? db.prepare('UPDATE accounts SET active = 0 WHERE active = 1 AND import_id <> ?').run(importId).changes : 0,
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
