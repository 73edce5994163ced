import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/connection.js';
import { databaseAt } from '../helpers/migrations.js';

/** A database as version 3 left it, with one seizure batch, request, record, receipt and import. */
function version3(): Database.Database {
  const db = databaseAt(3);
  db.exec(`
INSERT INTO imports (id, kind, sha256, files, imported_at, operator) VALUES (1, 'targets', 'aa', '[]', 't', 'op'), (2, 'results', 'bb', '[]', 't', 'op');
INSERT INTO taxpayers VALUES ('100', 'N', 'K', NULL, NULL, 0, 1, 1);
INSERT INTO debts (chotei, atena, kubun, tax_code, tax_name, fiscal_year, period, due_date, honzei, honzei_paid, fee, fee_paid, entaikin_paid, entaikin_kind, import_id)
  VALUES ('C1', '100', 1, '01', 'T', 2024, '1', '2024-05-31', 1000, 0, 0, 0, 0, 0, 1);
INSERT INTO accounts (id, atena, bank_code, branch_code, account_type, account_number, import_id) VALUES (7, '100', '0184', '001', '1', '1234567', 1);
INSERT INTO extractions (id, processing_date, options, created_at, operator) VALUES (1, '2026-01-05', '{}', 't', 'op');
INSERT INTO batches VALUES ('0184-00000001', 1, '0184', '0000012345', '2026-01-05', 'deferred', 'seizure-120', 'results-imported', 1, 1, 1000, 't', 't');
INSERT INTO batch_files (batch_id, seq, file_number, first_request, last_request, records, limit_total, results_import_id) VALUES ('0184-00000001', 1, 1, 1, 1, 1, 1000, 2);
INSERT INTO requests VALUES (1, '0184-00000001', 1, '100', 1000);
INSERT INTO request_records VALUES (1, 1, 7, '001', '1', '1234567', 'K', NULL, '01', 1000, 1000, '2026-01-06');
INSERT INTO result_files VALUES (2, '0184-00000001', 1, 'a', 'bb');
INSERT INTO receipts (batch_id, request_id, chotei, atena, receipt_date, honzei, entaikin, fee) VALUES ('0184-00000001', 1, 'C1', '100', '2026-01-06', 1000, 0, 0);
`);
  return db;
}

describe('migration 4 (deposit inquiry)', () => {
  it('keeps every row of a version-3 database, makes its batches seizure batches, and every foreign key still holds', () => {
    const db = version3();
    expect(migrate(db)).toContain(4);
    expect(db.prepare('SELECT id, kind, collection_mode, state, history_from FROM batches').all()).toEqual([
      { id: '0184-00000001', kind: 'seizure', collection_mode: 'deferred', state: 'results-imported', history_from: null },
    ]);
    expect(db.prepare('SELECT account_id, answer_account_id, seized_amount FROM request_records').all()).toEqual([{ account_id: 7, answer_account_id: null, seized_amount: 1000 }]);
    expect(db.prepare('SELECT id, kind FROM imports ORDER BY id').all()).toEqual([{ id: 1, kind: 'targets' }, { id: 2, kind: 'results' }]);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // the children still refer to the rebuilt tables: a receipt of an unknown batch is refused
    expect(() => db.prepare("INSERT INTO receipts (batch_id, request_id, chotei, atena, receipt_date, honzei, entaikin, fee) VALUES ('nope', 1, 'C1', '100', '2026-01-07', 1, 0, 0)").run()).toThrow(/FOREIGN KEY/);
    // the new kinds and states are accepted, unknown ones refused
    db.prepare("INSERT INTO batches (id, kind, extraction_id, bank_code, requester_code, execution_date, layout_id, state, requests, records, limit_total, created_at, updated_at) VALUES ('0184-00000002', 'inquiry', 1, '0184', '0000012345', '2026-02-02', 'inquiry-300', 'answered', 0, 0, 0, 't', 't')").run();
    expect(() => db.prepare("UPDATE batches SET state = 'lost' WHERE id = '0184-00000002'").run()).toThrow(/CHECK/);
    // a request record names exactly one account source
    expect(() => db.prepare("INSERT INTO request_records (request_id, sub_number, account_id, answer_account_id, branch_code, account_type, account_number, holder_name) VALUES (1, 2, NULL, NULL, '001', '1', '1', 'K')").run()).toThrow(/CHECK/);
  });

  it('a second run applies nothing', () => {
    const db = version3();
    migrate(db);
    expect(migrate(db)).toEqual([]);
  });
});
