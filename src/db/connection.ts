import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIR_MODE, FILE_MODE } from '../core/fsutil.js';
import { migrations } from './schema.js';

export type Db = Database.Database;

/**
 * Open (creating and migrating on first use) the database: WAL, foreign keys,
 * mode 0600 for the database and its WAL/SHM files.
 */
export function openDb(file: string): Db {
  if (file !== ':memory:') {
    const dir = path.dirname(path.resolve(file));
    if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', FILE_MODE));
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  if (file !== ':memory:') {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      if (fs.existsSync(f)) fs.chmodSync(f, FILE_MODE);
    }
  }
  return db;
}

export function migrate(db: Db): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}

/**
 * Run `fn` with a larger SQLite page cache (KiB), restored afterwards. Bulk steps
 * write indexes in random key order; the default 2 MB cache makes every such
 * insert re-read and spill pages. Bounded, so peak RSS
 * stays predictable. (Measured for extract too: no gain there, so not used.)
 */
export function withPageCache<T>(db: Db, kib: number, fn: () => T): T {
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${Math.min(cache, -kib)}`);
  try {
    return fn();
  } finally {
    db.pragma(`cache_size = ${cache}`);
  }
}

/**
 * Whether a producer on the second core can read beside this connection's step: a
 * database file other connections can open (not ':memory:' nor a temporary
 * database), in WAL mode (a reader next to an uncommitted writer), and no outer
 * transaction (its uncommitted rows would be invisible to the snapshot). Ask before
 * the step's transaction begins.
 */
export function snapshotReadable(db: Db): boolean {
  const fileBacked = !db.memory && db.name !== '' && db.name !== ':memory:';
  return fileBacked && !db.inTransaction && db.pragma('journal_mode', { simple: true }) === 'wal';
}

/** Who reads and computes for a step: a worker thread, this thread, or the worker where it can. */
export type ProducerChoice = 'auto' | 'worker' | 'inline';

/**
 * Whether `step` runs its producer in a worker thread: 'auto' where snapshotReadable,
 * 'inline' never, 'worker' always (an Error where it cannot: a test asked for it).
 * Ask before the step's transaction begins.
 */
export function producerInWorker(db: Db, choice: ProducerChoice | undefined, step: string): boolean {
  const readable = snapshotReadable(db);
  if (choice === 'worker' && !readable) {
    throw new Error(`${step}: the worker producer needs a database file in WAL mode outside another transaction (${db.name})`);
  }
  return choice !== 'inline' && readable;
}

/**
 * Run `fn`, which opens a bulk step's one transaction, with foreign-key enforcement off:
 * for steps whose rows reference only what the same transaction read or wrote, where the
 * per-row checks cost the step's thread more than a second at 1M rows (ADR 0064). The
 * setting is restored whatever happens. PRAGMA foreign_keys does nothing inside a
 * transaction: there `fn` runs with the checks as they are.
 */
export function withForeignKeysOff<T>(db: Db, fn: () => T): T {
  if (db.inTransaction) return fn();
  const was = Number(db.pragma('foreign_keys', { simple: true }));
  db.pragma('foreign_keys = OFF');
  try {
    return fn();
  } finally {
    db.pragma(`foreign_keys = ${was}`);
  }
}

/**
 * A read-only connection for a producer on the second core (src/core/sync-worker.ts),
 * reading ONE snapshot: its first read pins the database as last committed. The step
 * that consumes it must already hold the write lock (BEGIN IMMEDIATE) when the
 * producer starts, so that snapshot is exactly the state its own transaction began
 * from; the producer sees none of the step's own writes (ADR 0054). Call end() when
 * done.
 */
export function openSnapshotReader(file: string): { db: Db; end(): void } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  db.exec('BEGIN');
  // the first read starts the read transaction (and pins the snapshot) now
  db.prepare('SELECT COUNT(*) FROM schema_migrations').get();
  return {
    db,
    end() {
      if (db.inTransaction) db.exec('COMMIT');
      db.close();
    },
  };
}
