/**
 * A deferred (取立保留) seizure batch with its results imported the real way: the request
 * file(s) written with the format engine (test/results/fixture.ts), answered by the bank
 * simulator (取立区分 2: seized, nothing collected) and imported with `import results`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { simulateBank } from '../../src/bank-sim/index.js';
import { importResults } from '../../src/steps/import-results/import-results.js';
import type { Db } from '../../src/db/connection.js';
import { makeBatch, newDb, type BatchMade } from '../results/fixture.js';
import { settings } from '../extract/helpers.js';

export interface HeldBatch {
  db: Db;
  dir: string;
  dbFile: string;
  media: string;
  b: BatchMade;
}

/** Execution date 2026-12-01; file numbers 42… (bank 0184, next_file_number 42). */
export function heldBatch(o: { accounts?: number[]; perFile?: number; seed?: number; mode?: 'immediate' | 'deferred'; importResults?: boolean } = {}): HeldBatch {
  const { db, dir, file } = newDb();
  settings(db, { nextFileNumber: 42 });
  const b = makeBatch(db, dir, { mode: o.mode ?? 'deferred', accounts: o.accounts ?? [1, 2, 3, 1, 4, 2, 1, 3], perFile: o.perFile ?? 999_999 });
  if (o.importResults !== false) {
    b.files.forEach((f, i) => {
      const out = path.join(dir, `RESULT_${i}.DAT`);
      simulateBank({ requestPath: f.path, resultPath: out, seed: o.seed ?? 7 });
      importResults(db, out);
    });
  }
  const media = path.join(dir, 'usb');
  fs.mkdirSync(media);
  return { db, dir, dbFile: file, media, b };
}

/** The held records as stored (result 01/02/21 with 差押金額 > 0), in 依頼番号, 枝番 order. */
export function heldRecords(db: Db): Array<{ request: number; sub: number; seized: number; requestId: number; account: string }> {
  return db
    .prepare(
      `SELECT r.request_number AS request, rr.sub_number AS sub, rr.seized_amount AS seized, rr.request_id AS requestId, rr.account_number AS account
       FROM request_records rr JOIN requests r ON r.id = rr.request_id
       WHERE rr.result_code IN ('01','02','21') AND rr.seized_amount > 0 ORDER BY r.request_number, rr.sub_number`,
    )
    .all() as Array<{ request: number; sub: number; seized: number; requestId: number; account: string }>;
}

/** A record not held (seizure result other than 01/02/21, or nothing seized), if any. */
export function notHeldRecord(db: Db): { request: number; sub: number } | undefined {
  return db
    .prepare(
      `SELECT r.request_number AS request, rr.sub_number AS sub FROM request_records rr JOIN requests r ON r.id = rr.request_id
       WHERE NOT (rr.result_code IN ('01','02','21') AND rr.seized_amount > 0) ORDER BY r.request_number, rr.sub_number LIMIT 1`,
    )
    .get() as { request: number; sub: number } | undefined;
}

export const key = (r: { request: number; sub: number }): string => `${r.request}-${String(r.sub).padStart(2, '0')}`;
