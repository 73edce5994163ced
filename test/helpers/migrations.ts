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
