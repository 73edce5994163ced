/**
 * Giving back the free pages a database keeps (cli.md `init`: create or migrate — and,
 * on an existing file, compact it when much of it is free). A migration that rebuilds a
 * table (8: the inquiries without their answer columns) leaves the old table's pages free
 * inside the file: SQLite reuses them, but never shrinks the file, and a migration cannot
 * VACUUM inside its transaction. On the 1M-inquiry database migration 8 left 40,306 free
 * pages (524 → 681 MB). `init` is the command an administrator runs after an upgrade, so it
 * compacts there, not in every command that opens the database (docs/adr/0198).
 */
import Database from 'better-sqlite3';
import type { Db } from './connection.js';

/** Compact when at least this share of the pages is free (a tenth) … */
const FREE_SHARE = 0.1;
/** … and at least this many pages (a small database is not worth it) */
const MIN_FREE_PAGES = 256;

export type Compaction = { beforeBytes: number; afterBytes: number } | { skipped: 'busy' | 'disk-full' } | null;

/** The database's size and free pages, in bytes and pages. */
function freeSpace(db: Db): { pages: number; free: number; pageSize: number } {
  return {
    pages: db.pragma('page_count', { simple: true }) as number,
    free: db.pragma('freelist_count', { simple: true }) as number,
    pageSize: db.pragma('page_size', { simple: true }) as number,
  };
}

/**
 * VACUUM when FREE_SHARE of the pages (and MIN_FREE_PAGES) are free; null when not needed.
 * VACUUM is all or nothing: when another connection holds the database (busy) or the disk
 * has no room for the copy it makes, nothing changes and the reason is returned.
 */
export function compactIfSparse(db: Db, onStart?: (freeBytes: number) => void): Compaction {
  const s = freeSpace(db);
  if (s.free < MIN_FREE_PAGES || s.free < s.pages * FREE_SHARE) return null;
  const beforeBytes = s.pages * s.pageSize;
  onStart?.(s.free * s.pageSize);
  try {
    db.exec('VACUUM');
    // in WAL mode the shorter file is written at the checkpoint
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (e) {
    if (e instanceof Database.SqliteError) {
      if (e.code.startsWith('SQLITE_BUSY') || e.code.startsWith('SQLITE_LOCKED')) return { skipped: 'busy' };
      if (e.code === 'SQLITE_FULL') return { skipped: 'disk-full' };
    }
    throw e;
  }
  const after = freeSpace(db);
  return { beforeBytes, afterBytes: after.pages * after.pageSize };
}
