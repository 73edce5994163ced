/**
 * Queries of the targets import (import-csv.md): upserts of the delinquency
 * export by key, snapshot inactivation, payment replacement, receipt inclusion,
 * and what a debt still owes (outstandingOf / the debt_outstanding view).
 *
 * Everything here is synchronous and meant to run inside the import's single
 * transaction (src/batch/import-targets.ts).
 */
import type { Db } from './connection.js';

export interface Outstanding {
  /** 本税 still owed: export 本税 − 本税収納済額 − not-included receipts, not below 0 */
  honzei: number;
  /** 督促手数料 still owed, same rule */
  fee: number;
  /** 延滞金 paid in total: export 延滞金収納済額 + not-included receipts */
  entaikinPaid: number;
}

/**
 * What one debt still owes (the same rule as the debt_outstanding view, which
 * bulk callers should join instead of calling this per debt).
 * Throws RangeError when the debt is unknown (a programming error: callers
 * get 調定番号 from the database).
 */
export function outstandingOf(db: Db, chotei: string): Outstanding {
  const row = db
    .prepare('SELECT honzei_out, fee_out, entaikin_paid_total FROM debt_outstanding WHERE chotei = ?')
    .get(chotei) as { honzei_out: number; fee_out: number; entaikin_paid_total: number } | undefined;
  if (!row) throw new RangeError(`unknown 調定番号 ${chotei}`);
  return { honzei: row.honzei_out, fee: row.fee_out, entaikinPaid: row.entaikin_paid_total };
}
