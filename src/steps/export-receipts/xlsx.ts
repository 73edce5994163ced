/**
 * `export receipts BATCH --xlsx F` (issue 17 item 2, ADR 0175): the receipts export's rows
 * (RECEIPT_COLUMNS, the CSV's columns and order) as one sheet 収納 of a spreadsheet for the
 * accountants, streamed (core/xlsx.ts). A reading copy: it does not mark the receipts
 * exported (that mark guards the core system's load of the CSV, import-csv.md) and is
 * recorded in the audit log (`export.receipts-xlsx`, counts and sums only).
 */
import { openXlsx } from '../../core/xlsx.js';
import { audit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { RECEIPT_COLUMNS, iterateReceipts, receiptCells } from '../../db/report.js';
import { exportableBatch } from './export-receipts.js';

export const RECEIPTS_SHEET = '収納';

export interface ReceiptsXlsxResult {
  batchId: string;
  path: string;
  receipts: number;
  honzei: number;
  entaikin: number;
  fee: number;
}

export async function exportReceiptsXlsx(db: Db, batchId: string, out: string, opts: { operator?: string } = {}): Promise<ReceiptsXlsxResult> {
  exportableBatch(db, batchId);
  const file = openXlsx(out);
  const sums = { receipts: 0, honzei: 0, entaikin: 0, fee: 0 };
  function* rows(): Generator<ReturnType<typeof receiptCells>> {
    for (const r of iterateReceipts(db, batchId)) {
      sums.receipts++;
      sums.honzei += r.honzei;
      sums.entaikin += r.entaikin;
      sums.fee += r.fee;
      yield receiptCells(r);
    }
  }
  try {
    await file.sheet(RECEIPTS_SHEET, RECEIPT_COLUMNS, rows());
    await file.commit();
  } catch (e) {
    file.abort();
    throw e;
  }
  audit(db, { action: 'export.receipts-xlsx', batchId, details: { file: out, ...sums } }, opts.operator);
  return { batchId, path: out, ...sums };
}
