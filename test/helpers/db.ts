/**
 * Shared test database helpers: a temp directory, and a fresh migrated database with
 * the rows every SQL-built fixture needs (one targets import, optionally one
 * extraction on a processing date).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDb, type Db } from '../../src/db/connection.js';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
}

export function fixtureDb(dir: string, opts: { operator?: string; extractionDate?: string } = {}): { db: Db; dir: string; file: string } {
  const file = path.join(dir, 'test.db');
  const db = openDb(file);
  db.prepare(`INSERT INTO imports (id, kind, sha256, files, imported_at, operator) VALUES (1, 'targets', 'x', '[]', 't', ?)`).run(opts.operator ?? 'op');
  if (opts.extractionDate !== undefined) {
    db.prepare(`INSERT INTO extractions (id, processing_date, options, created_at, operator) VALUES (1, ?, '{}', 't', 'op')`).run(opts.extractionDate);
  }
  return { db, dir, file };
}
