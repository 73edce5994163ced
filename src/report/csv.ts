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
import type { Cell, CellKind, SheetColumn } from '../core/xlsx.js';

/** A column in both languages and the kind of its cells in a spreadsheet (core/xlsx.ts). */
export interface ReportColumn extends Msg {
  kind: CellKind;
}

/** The columns, in Japanese and English (--lang picks one; Japanese by default). */
const REPORT_CSV_COLUMNS: readonly ReportColumn[] = [
  { ja: 'バッチID', en: 'Batch ID', kind: 'text' },
  { ja: '依頼番号', en: 'Request number', kind: 'int' },
  { ja: '枝番', en: 'Sub number', kind: 'int' },
  { ja: '宛名番号', en: 'Atena number', kind: 'text' },
  { ja: '預金者名', en: 'Holder name', kind: 'text' },
  { ja: '支店番号', en: 'Branch', kind: 'text' },
  { ja: '預金種目', en: 'Account type', kind: 'text' },
  { ja: '口座番号', en: 'Account number', kind: 'text' },
  { ja: '差押限度額', en: 'Limit', kind: 'yen' },
  { ja: '結果コード', en: 'Result code', kind: 'text' },
  { ja: '結果', en: 'Result', kind: 'text' },
  { ja: '差押金額', en: 'Seized', kind: 'yen' },
  { ja: '取立金額', en: 'Collected', kind: 'yen' },
  { ja: '取立日', en: 'Collection date', kind: 'date' },
  { ja: '充当記載', en: 'Allocation here', kind: 'int' },
  { ja: '充当本税', en: 'Allocated principal', kind: 'yen' },
  { ja: '充当延滞金', en: 'Allocated late charge', kind: 'yen' },
  { ja: '充当督促手数料', en: 'Allocated reminder fee', kind: 'yen' },
  { ja: '過誤納金', en: 'Overpayment', kind: 'yen' },
  { ja: '充当内訳(調定番号:本税/延滞金/督促手数料)', en: 'Allocation detail (chotei:principal/late charge/reminder fee)', kind: 'text' },
];

/** Added for a batch with held seizures (取立保留): per held record, what instruction results did. */
const HOLD_CSV_COLUMNS: readonly ReportColumn[] = [
  { ja: '差押禁止額(照会時)', en: 'Protected at inquiry', kind: 'yen' },
  { ja: '保留状態', en: 'Hold state', kind: 'text' },
  { ja: '指示取立金額', en: 'Collected by instruction', kind: 'yen' },
  { ja: '指示取立日', en: 'Instruction collection date', kind: 'date' },
  { ja: '解除額', en: 'Released', kind: 'yen' },
];

/**
 * The per-record table of the report — the CSV's rows and the spreadsheet's 結果 sheet:
 * its columns in `lang` and its rows, read as iterated (iterateRecordRows). A batch with
 * held seizures has five more columns (HOLD_CSV_COLUMNS), from holdsView read here first.
 */
export function reportRecordTable(db: Db, batchId: string, lang: Lang): { columns: SheetColumn[]; rows: Iterable<Cell[]> } {
  // a deferred batch: its held records (few) by 依頼番号-枝番, and five more columns
  const hv = isDeferredBatch(db, batchId) ? holdsView(db, batchId) : null;
  const holds = new Map((hv?.lines ?? []).map((h) => [`${h.requestNumber}-${h.subNumber}`, h] as const));
  const columns = [...REPORT_CSV_COLUMNS, ...(hv !== null ? HOLD_CSV_COLUMNS : [])].map((c) => ({ header: c[lang], kind: c.kind }));
  function* rows(): Generator<Cell[]> {
    for (const r of iterateRecordRows(db, batchId)) {
      const carries = r.carries === 1;
      const h = hv === null ? undefined : holds.get(`${r.requestNumber}-${r.subNumber}`);
      const holdCells = hv === null ? [] : h === undefined ? [null, null, null, null, null] : [h.protectedAmount, holdStateMsg(h.state)[lang], h.collected, h.collectionDate, h.released];
      yield [
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
      ];
    }
  }
  return { columns, rows: rows() };
}

export function writeReportCsv(db: Db, batchId: string, file: string, lang: Lang = getLang()): { rows: number; bytes: number } {
  const out = openOutputFile(file, { clobber: false });
  let rows = 0;
  try {
    out.write('\uFEFF');
    const table = reportRecordTable(db, batchId, lang);
    out.write(csvRows([table.columns.map((c) => c.header)]));
    for (const cells of table.rows) {
      out.write(csvLine(cells));
      rows++;
    }
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
  return { rows, bytes: out.bytes };
}
