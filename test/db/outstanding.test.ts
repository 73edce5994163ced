import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDb, type Db } from '../../src/db/connection.js';
import { outstandingOf } from '../../src/db/targets.js';

function seed(db: Db): void {
  db.exec(`
    INSERT INTO imports (id, kind, sha256, files, imported_at, operator) VALUES (1, 'targets', 'x', '[]', 't', 'op');
    INSERT INTO taxpayers (atena, name, kana, status, import_id) VALUES ('A1', 'n', 'k', 0, 1);
    INSERT INTO debts (chotei, atena, kubun, tax_code, tax_name, fiscal_year, period, due_date, honzei, honzei_paid, fee, fee_paid, entaikin_paid, entaikin_kind, import_id)
      VALUES ('D1', 'A1', 1, '01', '市県民税', 2024, '1', '2024-06-30', 50000, 10000, 100, 0, 500, 1, 1),
             ('D2', 'A1', 1, '01', '市県民税', 2024, '2', '2024-08-31', 3000, 0, 0, 0, 0, 1, 1);
    INSERT INTO extractions (id, processing_date, options, created_at, operator) VALUES (1, '2025-01-10', '{}', 't', 'op');
    INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
      VALUES ('0184-00000001', 1, '0184', '1', '2025-01-10', 'immediate', 'seizure-120', 'reconciled', 1, 1, 1, 't', 't');
    INSERT INTO requests (id, batch_id, request_number, atena, limit_amount) VALUES (1, '0184-00000001', 1, 'A1', 1);
  `);
}

describe('debt_outstanding view / outstandingOf', () => {
  it('subtracts not-included receipts only, never below zero', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    const db = openDb(path.join(dir, 'o.db'));
    seed(db);
    expect(outstandingOf(db, 'D1')).toEqual({ honzei: 40000, fee: 100, entaikinPaid: 500 });
    db.exec(`INSERT INTO receipts (batch_id, request_id, chotei, atena, receipt_date, honzei, entaikin, fee)
             VALUES ('0184-00000001', 1, 'D1', 'A1', '2025-01-15', 15000, 200, 100),
                    ('0184-00000001', 1, 'D2', 'A1', '2025-01-15', 5000, 0, 0)`);
    expect(outstandingOf(db, 'D1')).toEqual({ honzei: 25000, fee: 0, entaikinPaid: 700 });
    expect(outstandingOf(db, 'D2')).toEqual({ honzei: 0, fee: 0, entaikinPaid: 0 });
    db.exec(`UPDATE receipts SET included_import_id = 1 WHERE chotei = 'D1'`);
    expect(outstandingOf(db, 'D1')).toEqual({ honzei: 40000, fee: 100, entaikinPaid: 500 });
    const rows = db.prepare('SELECT * FROM debt_outstanding ORDER BY chotei').all();
    expect(rows).toEqual([
      { chotei: 'D1', atena: 'A1', honzei_out: 40000, fee_out: 100, entaikin_paid_total: 500 },
      { chotei: 'D2', atena: 'A1', honzei_out: 0, fee_out: 0, entaikin_paid_total: 0 },
    ]);
    expect(() => outstandingOf(db, 'NOPE')).toThrow(RangeError);
    db.close();
  });
});
