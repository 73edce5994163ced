/**
 * `report BATCH --xlsx F` (issue 17 item 2, ADR 0175): the report of a seizure batch as a
 * spreadsheet for the accountants, from the same model as `report --json` and `--csv`:
 *
 * - 概要 — every figure of `report --json` (ReportJson), one per row: 項目, 件数 or 金額
 *   (or 値 for text), and its JSON key (キー) so that each row is traceable to the contract;
 * - 結果 — the CSV's rows, one per request record (reportRecordTable), with the hold columns
 *   (protected amount, state, collected, released) for a batch with held seizures;
 * - 収納 — the receipts, the rows of `export receipts` (RECEIPT_COLUMNS, same order);
 * - 要確認 — the report's anomalies (重要度, 種類, 内容), as the terminal and HTML list them.
 *
 * A deliberate output: 結果 carries holder names and account numbers as written to the bank.
 */
import { type Lang, type Msg } from '../core/i18n.js';
import { openXlsx, type Cell, type SheetColumn } from '../core/xlsx.js';
import type { Db } from '../db/connection.js';
import { RECEIPT_COLUMNS, iterateReceipts, receiptCells } from '../db/report.js';
import { batchStateMsg, resultLabel } from '../domain/vocabulary.js';
import { reportRecordTable } from './csv.js';
import { resultEntries, type ReportDetails, type ReportJson } from './model.js';

export const REPORT_SHEETS = { summary: '概要', results: '結果', receipts: '収納', review: '要確認' } as const;

const SUMMARY_COLUMNS: readonly Msg[] = [
  { ja: '項目', en: 'Item' },
  { ja: '件数', en: 'Count' },
  { ja: '金額', en: 'Amount' },
  { ja: '値', en: 'Value' },
  { ja: 'キー', en: 'Key' },
];
const SUMMARY_KINDS = ['text', 'int', 'yen', 'text', 'text'] as const;

const REVIEW_COLUMNS: readonly Msg[] = [
  { ja: '重要度', en: 'Severity' },
  { ja: '種類', en: 'Kind' },
  { ja: '内容', en: 'Message' },
];
const SEVERITY: Record<ReportDetails['anomalies'][number]['severity'], Msg> = {
  error: { ja: '誤り', en: 'error' },
  warning: { ja: '注意', en: 'warning' },
  info: { ja: '情報', en: 'info' },
};

type Figure = { label: Msg; key: string } & ({ count: number } | { amount: number | null } | { text: string });

/** Every figure of report --json, in its order, labelled. */
export function summaryFigures(r: ReportJson, lang: Lang): Figure[] {
  const f: Figure[] = [
    { label: { ja: 'バッチID', en: 'Batch ID' }, key: 'batchId', text: r.batchId },
    { label: { ja: '金融機関コード', en: 'Bank code' }, key: 'bankCode', text: r.bankCode },
    { label: { ja: 'ファイル番号', en: 'File number' }, key: 'fileNumber', text: r.fileNumber === null ? '' : String(r.fileNumber) },
    { label: { ja: '状態', en: 'State' }, key: 'state', text: batchStateMsg(r.state)[lang] },
    { label: { ja: '依頼件数', en: 'Requests' }, key: 'requested.requests', count: r.requested.requests },
    { label: { ja: '依頼レコード数', en: 'Request records' }, key: 'requested.records', count: r.requested.records },
    { label: { ja: '差押限度額合計', en: 'Limit total' }, key: 'requested.limitTotal', amount: r.requested.limitTotal },
  ];
  for (const [code, v] of resultEntries(r.results)) {
    const name: Msg = { ja: `結果 ${code} ${resultLabel(code).ja}`, en: `Result ${code} ${resultLabel(code).en}` };
    f.push(
      { label: { ja: `${name.ja} 件数`, en: `${name.en}: records` }, key: `results.${code}.records`, count: v.records },
      { label: { ja: `${name.ja} 差押金額`, en: `${name.en}: seized` }, key: `results.${code}.seized`, amount: v.seized },
      { label: { ja: `${name.ja} 取立金額`, en: `${name.en}: collected` }, key: `results.${code}.collected`, amount: v.collected },
    );
  }
  f.push(
    { label: { ja: '差押 件数', en: 'Seized: records' }, key: 'seized.records', count: r.seized.records },
    { label: { ja: '差押金額', en: 'Seized' }, key: 'seized.amount', amount: r.seized.amount },
    { label: { ja: '取立 件数', en: 'Collected: records' }, key: 'collected.records', count: r.collected.records },
    { label: { ja: '取立金額', en: 'Collected' }, key: 'collected.amount', amount: r.collected.amount },
    { label: { ja: '収納 件数', en: 'Receipts' }, key: 'receipts.count', count: r.receipts.count },
    { label: { ja: '収納 本税', en: 'Receipts: principal' }, key: 'receipts.honzei', amount: r.receipts.honzei },
    { label: { ja: '収納 延滞金', en: 'Receipts: late charge' }, key: 'receipts.entaikin', amount: r.receipts.entaikin },
    { label: { ja: '収納 督促手数料', en: 'Receipts: reminder fee' }, key: 'receipts.fee', amount: r.receipts.fee },
    { label: { ja: '収納 合計', en: 'Receipts: total' }, key: 'receipts.total', amount: r.receipts.total },
    { label: { ja: '過誤納金', en: 'Overpayment' }, key: 'overpayment', amount: r.overpayment },
    { label: { ja: '入金額（明細）', en: 'Deposit (statement)' }, key: 'statement.deposit', amount: r.statement.deposit },
    { label: { ja: '入金差額', en: 'Deposit difference' }, key: 'statement.difference', amount: r.statement.difference },
    {
      label: { ja: '入金照合', en: 'Deposits matched' },
      key: 'statement.matched',
      text: r.statement.matched === null ? '' : r.statement.matched ? (lang === 'ja' ? '一致' : 'matched') : lang === 'ja' ? '不一致' : 'not matched',
    },
  );
  if (r.holds !== undefined) {
    const part = (k: 'held' | 'collected' | 'released', name: Msg): Figure[] => [
      { label: { ja: `${name.ja} 件数`, en: `${name.en}: records` }, key: `holds.${k}.records`, count: r.holds![k].records },
      { label: { ja: `${name.ja} 金額`, en: `${name.en}: amount` }, key: `holds.${k}.amount`, amount: r.holds![k].amount },
    ];
    f.push(
      ...part('held', { ja: '取立保留', en: 'Held' }),
      ...part('collected', { ja: '取立保留 指示取立', en: 'Held: collected by instruction' }),
      ...part('released', { ja: '取立保留 差押解除', en: 'Held: released' }),
    );
  }
  return f;
}

function columns(msgs: readonly Msg[], kinds: readonly SheetColumn['kind'][], lang: Lang): SheetColumn[] {
  return msgs.map((m, i) => ({ header: m[lang], kind: kinds[i] ?? 'text' }));
}

/** Write the workbook (4 sheets); returns the rows of 結果 and 収納. The target must not exist (exit 4). */
export async function writeReportXlsx(
  db: Db,
  batchId: string,
  report: ReportJson,
  details: ReportDetails,
  file: string,
  lang: Lang,
): Promise<{ records: number; receipts: number }> {
  const x = openXlsx(file);
  try {
    const summary = summaryFigures(report, lang).map((g): Cell[] => [
      g.label[lang],
      'count' in g ? g.count : null,
      'amount' in g ? g.amount : null,
      'text' in g ? g.text : null,
      g.key,
    ]);
    await x.sheet(REPORT_SHEETS.summary, columns(SUMMARY_COLUMNS, SUMMARY_KINDS, lang), summary);
    const table = reportRecordTable(db, batchId, lang);
    const records = await x.sheet(REPORT_SHEETS.results, table.columns, table.rows);
    function* receipts(): Generator<Cell[]> {
      for (const r of iterateReceipts(db, batchId)) yield receiptCells(r);
    }
    const receiptRows = await x.sheet(REPORT_SHEETS.receipts, RECEIPT_COLUMNS, receipts());
    const review = details.anomalies.map((a): Cell[] => [SEVERITY[a.severity][lang], a.kind, a.message[lang]]);
    await x.sheet(REPORT_SHEETS.review, columns(REVIEW_COLUMNS, ['text', 'text', 'text'], lang), review);
    await x.commit();
    return { records, receipts: receiptRows };
  } catch (e) {
    x.abort();
    throw e;
  }
}
