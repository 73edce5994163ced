/**
 * Migration 9 (ADR 0197): an answered account's details as one answer_histories row. On a
 * database at version 8 with details (stored out of seq order, an 摘要 with a quote, a
 * backslash and a control character, a negative 取引後残高, an account without details,
 * two accounts of two imports), every account's details read back (db/answer-history.ts
 * and the view answer_transactions_v) equal the rows before, in seq order; the stored text
 * is byte for byte what the import's writer makes of the same details; answer_transactions
 * is gone and the foreign keys hold.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { historyEntry, historyText, readHistory } from '../../src/db/answer-history.js';
import { migrate } from '../../src/db/connection.js';
import { databaseAt, inquiryBatchAt } from '../helpers/migrations.js';

const B = '0184-00000001';

type Row = [accountId: number, seq: number, date: string, direction: number, amount: number, balanceAfter: number, description: string];

/** details as stored at version 8, in the order inserted (not seq order) */
const DETAILS: Row[] = [
  [1, 2, '2026-11-25', 2, 200000, 152300, 'ATM ｼﾕﾂｷﾝ'],
  [1, 1, '2026-11-10', 1, 250000, 352300, 'ｷﾕｳﾖ'],
  [3, 1, '2026-10-01', 2, 7000, -5000, 'ｶｰﾄﾞ "A" \\ ﾃｽﾄ\t'],
  [1, 3, '2026-11-30', 1, 1, 152301, 'ﾘｿｸ'],
  [3, 2, '2026-10-02', 1, 5000, 0, ''],
];

function version8(): Database.Database {
  const db = databaseAt(8);
  inquiryBatchAt(db, B, 'answered', 2);
  db.exec(`
INSERT INTO batch_files (batch_id, seq, file_number, first_request, last_request, records, limit_total, results_import_id)
  VALUES ('${B}', 1, 1, 1, 1, 1, 0, 2), ('${B}', 2, 2, 2, 2, 1, 0, 3);
INSERT INTO inquiries (batch_id, seq, atena, kana, name, birth_date, address) VALUES ('${B}', 1, '101', 'ｶﾅ', '氏名', NULL, '住所'), ('${B}', 2, '102', 'ｶﾅ', '氏名', NULL, '住所');
`);
  const acc = db.prepare(
    `INSERT INTO answer_accounts (id, import_id, batch_id, seq, account_seq, atena, bank_code, knowledge_date, file_number, branch_code, account_type, account_number, holder_kana, balance, loan)
     VALUES (?, ?, ?, ?, ?, ?, '0184', '2026-12-01', ?, '310', '1', ?, 'ｶﾅ', 1000, 0)`,
  );
  acc.run(1, 2, B, 1, 1, '101', 1, '0000001');
  acc.run(2, 2, B, 1, 2, '101', 1, '0000002'); // no details
  acc.run(3, 3, B, 2, 1, '102', 2, '0000003');
  const tx = db.prepare('INSERT INTO answer_transactions (account_id, seq, transaction_date, direction, amount, balance_after, description) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const r of DETAILS) tx.run(...r);
  return db;
}

describe('migration 9 (answer histories)', () => {
  it('every account keeps its details in seq order, as the module and the view read them; the text is the writer’s', () => {
    const db = version8();
    const before = db.prepare('SELECT * FROM answer_transactions ORDER BY account_id, seq').raw(true).all() as Row[];
    expect(before.length).toBe(DETAILS.length);
    expect(migrate(db)).toEqual([9]);

    // the view: the same rows, column for column, typed as before
    expect(db.prepare('SELECT * FROM answer_transactions_v ORDER BY account_id, seq').raw(true).all()).toEqual(before);
    expect(db.prepare('SELECT typeof(direction), typeof(amount), typeof(balance_after), typeof(description) FROM answer_transactions_v').raw(true).all()).toEqual(
      before.map(() => ['integer', 'integer', 'integer', 'text']),
    );
    // the module: one row per account with details, read back equal
    const rows = db.prepare('SELECT account_id, transactions FROM answer_histories ORDER BY account_id').raw(true).all() as Array<[number, string]>;
    expect(rows.map((r) => r[0])).toEqual([1, 3]);
    for (const [id, text] of rows) {
      const mine = before.filter((r) => r[0] === id);
      expect(readHistory(text)).toEqual(mine.map((r) => [r[2], r[3], r[4], r[5], r[6]]));
      // byte for byte what import answers' writers store for the same details
      expect(text).toBe(historyText(mine.map((r) => historyEntry(r[2], r[3], r[4], r[5], r[6]))));
    }

    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'answer_transactions'").pluck().get()).toBe(0);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(() => db.prepare("INSERT INTO answer_histories (account_id, transactions) VALUES (99, '[]')").run()).toThrow(/FOREIGN KEY/);
    expect(migrate(db)).toEqual([]);
  });

  it('a version-8 database without details migrates to an empty table', () => {
    const db = version8();
    db.exec('DELETE FROM answer_transactions');
    expect(migrate(db)).toEqual([9]);
    expect(db.prepare('SELECT COUNT(*) FROM answer_histories').pluck().get()).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM answer_transactions_v').pluck().get()).toBe(0);
  });
});
