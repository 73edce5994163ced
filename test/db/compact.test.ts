/**
 * compactIfSparse's decisions (db/compact.ts, ADR 0198) on a database stand-in: when it
 * compacts, and what a refused VACUUM becomes — busy and a full disk are reported, anything
 * else is thrown. (The real VACUUM, busy included, is test/cli/init-compact.test.ts.)
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { compactIfSparse } from '../../src/db/compact.js';
import type { Db } from '../../src/db/connection.js';

function standIn(pages: number, free: number, vacuum: () => void): { db: Db; ran: string[] } {
  const ran: string[] = [];
  const facts: Record<string, number> = { page_count: pages, freelist_count: free, page_size: 4096 };
  const db = {
    pragma: (p: string) => {
      ran.push(p);
      return facts[p];
    },
    exec: (sql: string) => {
      ran.push(sql);
      vacuum();
      facts['page_count'] = pages - free;
      facts['freelist_count'] = 0;
    },
  } as unknown as Db;
  return { db, ran };
}

describe('compactIfSparse', () => {
  it('compacts from a tenth of the pages free (and 256 pages), not below', () => {
    expect(compactIfSparse(standIn(10_000, 999, () => undefined).db)).toBeNull();
    expect(compactIfSparse(standIn(1_000, 255, () => undefined).db)).toBeNull();
    const s = standIn(10_000, 1_000, () => undefined);
    let told = -1;
    expect(compactIfSparse(s.db, (f) => (told = f))).toEqual({ beforeBytes: 10_000 * 4096, afterBytes: 9_000 * 4096 });
    expect(told).toBe(1_000 * 4096);
    expect(s.ran).toContain('VACUUM');
    expect(s.ran).toContain('wal_checkpoint(TRUNCATE)');
  });

  it('busy, locked and a full disk are reported; any other error is thrown', () => {
    const failing = (code: string) => standIn(10_000, 5_000, () => {
      throw new Database.SqliteError(code, code);
    }).db;
    expect(compactIfSparse(failing('SQLITE_BUSY'))).toEqual({ skipped: 'busy' });
    expect(compactIfSparse(failing('SQLITE_BUSY_SNAPSHOT'))).toEqual({ skipped: 'busy' });
    expect(compactIfSparse(failing('SQLITE_LOCKED'))).toEqual({ skipped: 'busy' });
    expect(compactIfSparse(failing('SQLITE_FULL'))).toEqual({ skipped: 'disk-full' });
    expect(() => compactIfSparse(failing('SQLITE_IOERR'))).toThrow('SQLITE_IOERR');
    expect(() => compactIfSparse(standIn(10_000, 5_000, () => {
      throw new Error('other');
    }).db)).toThrow('other');
  });
});
