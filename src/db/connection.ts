import Database from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runsInWorker, type Engine } from '../core/engine.js';
import { conflict, usageError } from '../core/errors.js';
import { DIR_MODE, FILE_MODE } from '../core/fsutil.js';
import { migrations } from './schema.js';

export type Db = Database.Database;

/**
 * How long a connection waits for another process's write lock before SQLITE_BUSY
 * (the CLI then exits 4, src/cli/busy.ts): SASHIOSAE_BUSY_TIMEOUT_MS, default 5000 ms.
 * Tests set it short. An unreadable value is a usage error naming it.
 */
export function busyTimeoutMs(): number {
  const v = process.env['SASHIOSAE_BUSY_TIMEOUT_MS'];
  if (v === undefined || v === '') return 5000;
  if (!/^\d{1,7}$/.test(v)) {
    throw usageError('env.busy-timeout', {
      ja: `環境変数 SASHIOSAE_BUSY_TIMEOUT_MS はミリ秒の整数で指定してください（指定値: ${JSON.stringify(v)}）。`,
      en: `SASHIOSAE_BUSY_TIMEOUT_MS must be whole milliseconds (got ${JSON.stringify(v)}).`,
    });
  }
  return Number(v);
}

export interface OpenOptions {
  /**
   * The database file must exist already (every CLI command but init and demo,
   * cli.md "Global"): a missing file is exit 2 naming the path, and nothing —
   * not the file, not its folder — is created.
   */
  mustExist?: boolean;
}

/**
 * Open (creating and migrating on first use, unless `mustExist`) the database: WAL,
 * foreign keys, mode 0600 for the database and its WAL/SHM files.
 */
export function openDb(file: string, opts: OpenOptions = {}): Db {
  if (file !== ':memory:' && opts.mustExist === true) {
    let isFile = false;
    try {
      isFile = fs.statSync(file).isFile();
    } catch {
      isFile = false;
    }
    if (!isFile) {
      throw usageError(
        'db.missing',
        {
          ja: `データベース ${file} がありません。パス（--db または SASHIOSAE_DB）を確認するか、新しく作る場合は sashiosae init を実行してください。`,
          en: `database ${file} does not exist; check the path (--db or SASHIOSAE_DB), or run sashiosae init to create one.`,
        },
        { file },
      );
    }
  }
  if (file !== ':memory:') {
    const dir = path.dirname(path.resolve(file));
    if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', FILE_MODE));
  }
  const db = new Database(file);
  // the wait first: the pragmas and migrations below may already meet another writer
  db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
  // switching to WAL writes the header (a lock); an existing WAL database needs no switch
  if (String(db.pragma('journal_mode', { simple: true })).toLowerCase() !== 'wal') db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  if (file !== ':memory:') {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      if (fs.existsSync(f)) fs.chmodSync(f, FILE_MODE);
    }
  }
  return db;
}

export function migrate(db: Db): number[] {
  const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  // only a database that needs it is written: a read-only command must not wait for the write lock
  if (!has) db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const done = new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
  const applied: number[] = [];
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    const apply = db.transaction(() => {
      db.exec(m.sql);
      if (m.foreignKeysOff) {
        const broken = db.prepare('PRAGMA foreign_key_check').all();
        if (broken.length > 0) throw new Error(`migration ${m.version} (${m.name}) would break ${broken.length} foreign key(s): ${JSON.stringify(broken.slice(0, 3))}`);
      }
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
    });
    try {
      if (m.foreignKeysOff) withForeignKeysOff(db, () => apply());
      else apply();
    } catch (e) {
      // a check of the migration's own refused what it found (rolled back): say so, exit 4
      if (m.refusal !== undefined && e instanceof Database.SqliteError && e.code === 'SQLITE_CONSTRAINT_CHECK') {
        throw conflict('db.migration-refused', { ja: `データベースを新しい版（${m.version}: ${m.name}）に更新できません: ${m.refusal.ja}`, en: `the database cannot be upgraded (${m.version}: ${m.name}): ${m.refusal.en}` }, { file: db.name });
      }
      throw e;
    }
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
function snapshotReadable(db: Db): boolean {
  const fileBacked = !db.memory && db.name !== '' && db.name !== ':memory:';
  return fileBacked && !db.inTransaction && db.pragma('journal_mode', { simple: true }) === 'wal';
}

/**
 * Whether `step` runs its producer in a worker thread reading a snapshot (core/engine.ts):
 * where snapshotReadable, unless the engine says 'inline'; 'worker' where it is not
 * is an Error. Ask before the step's transaction begins.
 */
export function producerInWorker(db: Db, engine: Engine | undefined, step: string): boolean {
  return runsInWorker(engine, snapshotReadable(db), step, `a database file in WAL mode outside another transaction (${db.name})`);
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
  db.pragma(`busy_timeout = ${busyTimeoutMs()}`);
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
