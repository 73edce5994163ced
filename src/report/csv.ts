/**
 * `report --csv F`: one row per request record with its result and its allocation
 * (UTF-8 with BOM, CRLF, mode 0600). A deliberate output: it carries the holder
 * name and account as written to the bank.
 *
 * Allocation is per request and 取立日, not per account: the amounts go on the
 * record with the lowest 枝番 that collected money that day (列「充当記載」= 1);
 * the request's other records of that day leave them empty, so the column
 * sums equal the report totals.
 */
import type { Db } from '../db/connection.js';
import { iterateRecordRows } from '../db/report.js';
import { resultLabel } from './model.js';
import { csvLine, openNewFile } from './output.js';

export const REPORT_CSV_HEADER = [
  'バッチID',
  '依頼番号',
  '枝番',
  '宛名番号',
  '預金者名',
  '支店番号',
  '預金種目',
  '口座番号',
  '差押限度額',
  '結果コード',
  '結果',
  '差押金額',
  '取立金額',
  '取立日',
  '充当記載',
  '充当本税',
  '充当延滞金',
  '充当督促手数料',
  '過誤納金',
  '充当内訳(調定番号:本税/延滞金/督促手数料)',
];

export function writeReportCsv(db: Db, batchId: string, file: string): { rows: number; bytes: number } {
  const out = openNewFile(file);
  let rows = 0;
  try {
    out.write('\uFEFF');
    out.write(csvLine(REPORT_CSV_HEADER));
    for (const r of iterateRecordRows(db, batchId)) {
      const carries = r.carries === 1;
      out.write(
        csvLine([
          batchId,
          r.requestNumber,
          r.subNumber,
          r.atena,
          r.holderName,
          r.branchCode,
          r.accountType,
          r.accountNumber,
          r.limitAmount,
          r.resultCode,
          r.resultCode === null ? '' : resultLabel(r.resultCode).ja,
          r.seized,
          r.collected,
          r.collectionDate,
          carries ? 1 : 0,
          carries ? r.honzei : null,
          carries ? r.entaikin : null,
          carries ? r.fee : null,
          carries ? r.overpayment : null,
          carries ? r.breakdown : null,
        ]),
      );
      rows++;
    }
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
  return { rows, bytes: out.bytes };
}
