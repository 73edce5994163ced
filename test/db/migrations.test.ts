/**
 * Migrations: a database created at an earlier version keeps its rows when the later
 * migrations run, and each migration runs once.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import * as path from 'node:path';
import { migrate } from '../../src/db/connection.js';
import { migrations } from '../../src/db/schema.js';
import { tempDir } from '../helpers/db.js';

describe('migrations', () => {
  it('2: request_debts becomes WITHOUT ROWID with its rows and foreign keys kept', () => {
    const db = new Database(path.join(tempDir(), 'm.db'));
    db.pragma('foreign_keys = ON');
    // a database as migration 1 left it, with one covered debt
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    db.exec(migrations[0]!.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?, ?)').run(migrations[0]!.name, 't');
    db.exec(`
      INSERT INTO imports (id, kind, sha256, files, imported_at, operator) VALUES (1, 'targets', 'x', '[]', 't', 'op');
      INSERT INTO taxpayers (atena, name, kana, status, import_id) VALUES ('A1', 'n', 'k', 0, 1);
      INSERT INTO debts (chotei, atena, kubun, tax_code, tax_name, fiscal_year, period, due_date, honzei, honzei_paid, fee, fee_paid, entaikin_paid, entaikin_kind, import_id)
        VALUES ('D1', 'A1', 1, '01', '市県民税', 2024, '1', '2024-06-30', 50000, 0, 100, 0, 0, 1, 1);
      INSERT INTO extractions (id, processing_date, options, created_at, operator) VALUES (1, '2025-01-10', '{}', 't', 'op');
      INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
        VALUES ('0184-00000001', 1, '0184', '1', '2025-01-10', 'immediate', 'seizure-120', 'extracted', 1, 1, 1, 't', 't');
      INSERT INTO requests (id, batch_id, request_number, atena, limit_amount) VALUES (1, '0184-00000001', 1, 'A1', 51000);
      INSERT INTO request_debts (request_id, chotei, honzei_due, fee_due, entaikin_due) VALUES (1, 'D1', 50000, 100, 900);
    `);
    const before = db.prepare('SELECT * FROM request_debts').all();

    expect(migrate(db)).toEqual(migrations.slice(1).map((m) => m.version));
    expect(migrate(db)).toEqual([]);

    const sql = (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'request_debts'`).get() as { sql: string }).sql;
    expect(sql).toMatch(/WITHOUT ROWID/);
    expect(db.prepare('SELECT * FROM request_debts').all()).toEqual(before);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // the primary key and both foreign keys still hold
    expect(() => db.prepare(`INSERT INTO request_debts VALUES (1, 'D1', 1, 1, 1)`).run()).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare(`INSERT INTO request_debts VALUES (1, 'NO-SUCH-DEBT', 1, 1, 1)`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`INSERT INTO request_debts VALUES (99, 'D1', 1, 1, 1)`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('3: request_records becomes WITHOUT ROWID keyed by (request, 枝番), rows and foreign keys kept', () => {
    const db = new Database(path.join(tempDir(), 'm3.db'));
    db.pragma('foreign_keys = ON');
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
    for (const m of migrations.slice(0, 2)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, 't');
    }
    db.exec(`
      INSERT INTO imports (id, kind, sha256, files, imported_at, operator) VALUES (1, 'targets', 'x', '[]', 't', 'op');
      INSERT INTO taxpayers (atena, name, kana, status, import_id) VALUES ('A1', 'n', 'k', 0, 1);
      INSERT INTO accounts (id, atena, bank_code, branch_code, account_type, account_number, import_id) VALUES (7, 'A1', '0184', '001', '1', '1234567', 1);
      INSERT INTO accounts (id, atena, bank_code, branch_code, account_type, account_number, import_id) VALUES (8, 'A1', '0184', '002', '1', '7654321', 1);
      INSERT INTO extractions (id, processing_date, options, created_at, operator) VALUES (1, '2025-01-10', '{}', 't', 'op');
      INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
        VALUES ('0184-00000001', 1, '0184', '1', '2025-01-10', 'immediate', 'seizure-120', 'results-imported', 1, 2, 1, 't', 't');
      INSERT INTO requests (id, batch_id, request_number, atena, limit_amount) VALUES (1, '0184-00000001', 1, 'A1', 51000);
      INSERT INTO request_records (id, request_id, sub_number, account_id, branch_code, account_type, account_number, holder_name, birth_date, result_code, seized_amount, collected_amount, collection_date)
        VALUES (1, 1, 1, 7, '001', '1', '1234567', 'ﾔﾏﾀﾞ ﾀﾛｳ', '19800101', '01', 30000, 30000, '2025-01-15'),
               (2, 1, 2, 8, '002', '1', '7654321', 'ﾔﾏﾀﾞ ﾀﾛｳ', NULL, '11', 0, 0, NULL);
    `);
    const cols = 'request_id, sub_number, account_id, branch_code, account_type, account_number, holder_name, birth_date, result_code, seized_amount, collected_amount, collection_date';
    const before = db.prepare(`SELECT ${cols} FROM request_records ORDER BY request_id, sub_number`).all();

    expect(migrate(db)).toEqual(migrations.slice(2).map((m) => m.version));
    expect(migrate(db)).toEqual([]);

    const sql = (db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'request_records'`).get() as { sql: string }).sql;
    expect(sql).toMatch(/WITHOUT ROWID/);
    expect(sql).toMatch(/PRIMARY KEY \(request_id, sub_number\)/);
    expect(db.prepare(`SELECT ${cols} FROM request_records ORDER BY request_id, sub_number`).all()).toEqual(before);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const ins = `INSERT INTO request_records (request_id, sub_number, account_id, branch_code, account_type, account_number, holder_name) VALUES`;
    expect(() => db.prepare(`${ins} (1, 2, 7, '001', '1', '1', 'x')`).run()).toThrow(/UNIQUE|PRIMARY/);
    expect(() => db.prepare(`${ins} (99, 1, 7, '001', '1', '1', 'x')`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`${ins} (1, 3, 999, '001', '1', '1', 'x')`).run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
