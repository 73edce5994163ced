/**
 * A database as an earlier version of the schema left it, for the migration tests
 * (test/db/migration-*.test.ts): in memory, foreign keys on, the migrations up to `version`
 * applied and recorded as the program records them. The test then fills it and runs
 * `migrate` (db/connection.ts) on it.
 */
import Database from 'better-sqlite3';
import { migrations } from '../../src/db/schema.js';

export function databaseAt(version: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  for (const m of migrations.filter((x) => x.version <= version)) {
    db.exec(m.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, 'x');
  }
  return db;
}

/**
 * The rows an inquiry batch `batchId` hangs on, as the migration tests need them: imports 1
 * (targets), 2 and 3 (answers), inquiry run 1, and the batch in `state` with `n` inquiries
 * (its files, inquiries and answers are each test's own).
 */
export function inquiryBatchAt(db: Database.Database, batchId: string, state: string, n: number): void {
  db.exec(`
INSERT INTO imports (id, kind, sha256, files, imported_at, operator) VALUES (1, 'targets', 'aa', '[]', 't', 'op'), (2, 'answers', 'bb', '[]', 't', 'op'), (3, 'answers', 'cc', '[]', 't', 'op');
INSERT INTO extractions (id, kind, processing_date, options, created_at, operator) VALUES (1, 'inquiry', '2026-12-01', '{}', 't', 'op');
`);
  db.prepare(
    `INSERT INTO batches (id, kind, extraction_id, bank_code, requester_code, execution_date, layout_id, state, requests, records, limit_total, created_at, updated_at)
     VALUES (?, 'inquiry', 1, '0184', '0000012345', '2026-12-01', 'inquiry-300', ?, ?, ?, 0, 't', 't')`,
  ).run(batchId, state, n, n);
}
