/**
 * `report --csv F`: one row per request record with its result and its allocation
 * (UTF-8 with BOM, CRLF, mode 0600); headers and result labels in the language of --lang. A deliberate output: it carries the holder
 * name and account as written to the bank.
 *
 * Allocation is per request and 取立日, not per account: the amounts go on the
 * record with the lowest 枝番 that collected money that day (列「充当記載」= 1);
 * the request's other records of that day leave them empty, so the column
 * sums equal the report totals.
 */
import { getLang, type Lang, type Msg } from '../core/i18n.js';
import type { Db } from '../db/connection.js';
import { iterateRecordRows } from '../db/report.js';
import { resultLabel } from '../domain/vocabulary.js';
import { csvLine, csvRows } from '../core/csv.js';
import { openOutputFile } from '../core/output-file.js';
import { isDeferredBatch } from '../db/reconcile.js';
import { holdStateMsg } from '../domain/hold.js';
import { holdsView } from './holds.js';

/** The columns, in Japanese and English (--lang picks one; Japanese by default). */
const REPORT_CSV_COLUMNS: readonly Msg[] = [
  { ja: 'バッチID', en: 'Batch ID' },
  { ja: '依頼番号', en: 'Request number' },
  { ja: '枝番', en: 'Sub number' },
  { ja: '宛名番号', en: 'Atena number' },
  { ja: '預金者名', en: 'Holder name' },
  { ja: '支店番号', en: 'Branch' },
  { ja: '預金種目', en: 'Account type' },
  { ja: '口座番号', en: 'Account number' },
  { ja: '差押限度額', en: 'Limit' },
  { ja: '結果コード', en: 'Result code' },
  { ja: '結果', en: 'Result' },
  { ja: '差押金額', en: 'Seized' },
  { ja: '取立金額', en: 'Collected' },
  { ja: '取立日', en: 'Collection date' },
  { ja: '充当記載', en: 'Allocation here' },
  { ja: '充当本税', en: 'Allocated principal' },
  { ja: '充当延滞金', en: 'Allocated late charge' },
  { ja: '充当督促手数料', en: 'Allocated reminder fee' },
  { ja: '過誤納金', en: 'Overpayment' },
  { ja: '充当内訳(調定番号:本税/延滞金/督促手数料)', en: 'Allocation detail (chotei:principal/late charge/reminder fee)' },
];

/** Added for a batch with held seizures (取立保留): per held record, what instruction results did. */
const HOLD_CSV_COLUMNS: readonly Msg[] = [
  { ja: '差押禁止額(照会時)', en: 'Protected at inquiry' },
  { ja: '保留状態', en: 'Hold state' },
  { ja: '指示取立金額', en: 'Collected by instruction' },
  { ja: '指示取立日', en: 'Instruction collection date' },
  { ja: '解除額', en: 'Released' },
];

export function writeReportCsv(db: Db, batchId: string, file: string, lang: Lang = getLang()): { rows: number; bytes: number } {
  const out = openOutputFile(file, { clobber: false });
  let rows = 0;
  try {
    out.write('\uFEFF');
    // a deferred batch: its held records (few) by 依頼番号-枝番, and five more columns
    const hv = isDeferredBatch(db, batchId) ? holdsView(db, batchId) : null;
    const holds = new Map((hv?.lines ?? []).map((h) => [`${h.requestNumber}-${h.subNumber}`, h] as const));
    out.write(csvRows([[...REPORT_CSV_COLUMNS, ...(hv !== null ? HOLD_CSV_COLUMNS : [])].map((c) => c[lang])]));
    for (const r of iterateRecordRows(db, batchId)) {
      const carries = r.carries === 1;
      const h = hv === null ? undefined : holds.get(`${r.requestNumber}-${r.subNumber}`);
      const holdCells = hv === null ? [] : h === undefined ? [null, null, null, null, null] : [h.protectedAmount, holdStateMsg(h.state)[lang], h.collected, h.collectionDate, h.released];
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
          r.resultCode === null ? '' : resultLabel(r.resultCode)[lang],
          r.seized,
          r.collected,
          r.collectionDate,
          carries ? 1 : 0,
          carries ? r.honzei : null,
          carries ? r.entaikin : null,
          carries ? r.fee : null,
          carries ? r.overpayment : null,
          carries ? r.breakdown : null,
          ...holdCells,
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
