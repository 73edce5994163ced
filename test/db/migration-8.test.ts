/**
 * Migration 8 (ADR 0195): 回答区分 derived, not stored per inquiry. On a database at version
 * 7 with answers of all four codes (two files answered, one not), every inquiry's derived
 * code and import id equal the stored ones before; the 3 and 4 are in inquiry_follow_ups;
 * the inquiries keep every other column and their index; the foreign keys hold. A version-7
 * database whose stored codes disagree with the derivation is refused, unchanged.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/connection.js';
import { migrations } from '../../src/db/schema.js';
import { appErrorOf } from '../helpers/errors.js';
import { databaseAt, inquiryBatchAt } from '../helpers/migrations.js';

const B = '0184-00000001';

/** A version-7 database: one inquiry batch of three files (seqs 1–3, 4–5, 6); files 1 and 2 answered by imports 2 and 3. */
function version7(codes: Record<number, string | null> = { 1: '1', 2: '2', 3: '3', 4: '4', 5: '1', 6: null }): Database.Database {
  const db = databaseAt(7);
  inquiryBatchAt(db, B, 'written', 6);
  db.exec(`
INSERT INTO batch_files (batch_id, seq, file_number, first_request, last_request, records, limit_total, results_import_id)
  VALUES ('${B}', 1, 1, 1, 3, 3, 0, 2), ('${B}', 2, 2, 4, 5, 2, 0, 3), ('${B}', 3, 3, 6, 6, 1, 0, NULL);
`);
  const inq = db.prepare('INSERT INTO inquiries (batch_id, seq, atena, kana, name, birth_date, address, answer_code, answer_import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (let seq = 1; seq <= 6; seq++) {
    const code = codes[seq] ?? null;
    inq.run(B, seq, String(100 + seq), 'ｶﾅ', '氏名', seq === 2 ? null : '1970-01-01', '住所', code, code === null ? null : seq <= 3 ? 2 : 3);
  }
  const acc = db.prepare(
    `INSERT INTO answer_accounts (import_id, batch_id, seq, account_seq, atena, bank_code, knowledge_date, file_number, branch_code, account_type, account_number, holder_kana, balance, loan)
     VALUES (?, ?, ?, ?, ?, '0184', '2026-12-01', ?, '310', '1', ?, 'ｶﾅ', 1000, 0)`,
  );
  acc.run(2, B, 1, 1, '101', 1, '0000001');
  acc.run(2, B, 1, 2, '101', 1, '0000002');
  acc.run(3, B, 5, 1, '105', 2, '0000003');
  return db;
}

describe('migration 8 (answer codes derived)', () => {
  it('every inquiry keeps its code and import (now derived), its other columns and the index; 3 and 4 become follow-ups', () => {
    const db = version7();
    const before = db.prepare('SELECT batch_id, seq, atena, answer_code, answer_import_id FROM inquiries ORDER BY batch_id, seq').all();
    const people = db.prepare('SELECT batch_id, seq, atena, kana, name, birth_date, address FROM inquiries ORDER BY batch_id, seq').all();
    expect(migrate(db)).toEqual(migrations.filter((m) => m.version >= 8).map((m) => m.version));
    expect(db.prepare('SELECT batch_id, seq, atena, answer_code, answer_import_id FROM inquiry_answers ORDER BY batch_id, seq').all()).toEqual(before);
    expect(before.map((r) => (r as { answer_code: string | null }).answer_code)).toEqual(['1', '2', '3', '4', '1', null]);
    expect(db.prepare('SELECT * FROM inquiries ORDER BY batch_id, seq').all()).toEqual(people);
    expect(db.prepare('SELECT * FROM inquiry_follow_ups ORDER BY batch_id, seq').raw(true).all()).toEqual([
      [B, 3, '3'],
      [B, 4, '4'],
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'inquiries' AND sql IS NOT NULL").pluck().all()).toEqual(['inquiries_atena']);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // answer_accounts still refers to the rebuilt inquiries; a follow-up names an inquiry and a code 3 or 4
    expect(() =>
      db.prepare("INSERT INTO answer_accounts (import_id, batch_id, seq, account_seq, atena, bank_code, knowledge_date, file_number, branch_code, account_type, account_number, holder_kana, balance, loan) VALUES (2, ?, 99, 1, 'x', '0184', 'd', 1, '310', '1', '1', 'k', 0, 0)").run(B),
    ).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO inquiry_follow_ups VALUES (?, 99, '3')").run(B)).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO inquiry_follow_ups VALUES (?, 6, '2')").run(B)).toThrow(/CHECK/);
    expect(migrate(db)).toEqual([]);
  });

  it('stored codes the derivation would not give (a 2 with accounts) are refused: the database stays at version 7, unchanged', () => {
    const db = version7({ 1: '2', 2: '2', 3: '3', 4: '4', 5: '1', 6: null });
    const e = appErrorOf(() => migrate(db));
    expect(e.code).toBe('db.migration-refused');
    expect(e.exit).toBe(4);
    expect(e.msg.ja).toMatch(/^データベースを新しい版（8: answer codes derived）に更新できません: .*回答区分.*何も変更していません/);
    expect(db.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get()).toBe(7);
    expect(db.prepare('SELECT answer_code FROM inquiries WHERE seq = 1').pluck().get()).toBe('2');
    expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name IN ('inquiry_follow_ups', 'inquiry_answers')").pluck().get()).toBe(0);
  });
});
