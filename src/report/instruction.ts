/**
 * The report of an instruction batch (cli.md `report --json` of an instruction batch;
 * instruction-120.md): its seizure batch, the instructed totals (差押金額, 取立指示額,
 * 解除額) and, once imported, the bank's results by 結果コード — for the terminal, JSON,
 * CSV and the HTML page, in the style of report/inquiry.ts. People by 宛名番号, accounts
 * masked (the CSV too: the instruction file itself is the record of the accounts).
 */
import { getLang, type Lang, type Msg } from '../core/i18n.js';
import { csvLine, csvRows } from '../core/csv.js';
import { formatTokyoTime } from '../core/dates.js';
import { maskAccount } from '../core/mask.js';
import { openOutputFile } from '../core/output-file.js';
import { count as n, formatTable } from '../core/table.js';
import { yen } from '../core/yen.js';
import type { Db } from '../db/connection.js';
import { getBatch } from '../db/batches.js';
import { instructionReportRows, type InstructionReportRow } from '../db/instruction-results.js';
import { requireKind } from '../db/no-such-batch.js';
import { batchStateMsg } from '../domain/vocabulary.js';
import { REPORT_CSS, escapeHtml, table } from './html.js';

/** cli.md `report --json` of an instruction batch: exactly these keys. */
export interface InstructionReportJson {
  batchId: string;
  kind: 'instruction';
  seizureBatch: string;
  bankCode: string;
  state: string;
  records: number;
  seizedTotal: number;
  collectTotal: number;
  releaseTotal: number;
  /** by 結果コード (01 done, 99 not done), once imported */
  results: Record<string, { records: number; collected: number }>;
}

export interface InstructionReport {
  json: InstructionReportJson;
  details: {
    instructionDate: string;
    fileNumbers: number[];
    /** records without a result yet */
    pending: number;
    rows: InstructionReportRow[];
  };
}

const RESULT_LABEL: Record<string, Msg> = {
  '01': { ja: '処理済', en: 'done' },
  '99': { ja: '未処理（再指示が必要）', en: 'not done (instruct again)' },
};
const label = (code: string): Msg => RESULT_LABEL[code] ?? { ja: code, en: code };
const account = (r: InstructionReportRow): string => `${r.branchCode}-${r.accountType}-${maskAccount(r.accountNumber)}`;

export function buildInstructionReport(db: Db, batchId: string): InstructionReport {
  requireKind(db, batchId, 'report', ['instruction']);
  const b = getBatch(db, batchId)!;
  const rows = instructionReportRows(db, batchId);
  const results: InstructionReportJson['results'] = {};
  let pending = 0;
  for (const r of rows) {
    if (r.resultCode === null) {
      pending++;
      continue;
    }
    const c = (results[r.resultCode] ??= { records: 0, collected: 0 });
    c.records++;
    c.collected += r.collected ?? 0;
  }
  const sorted: InstructionReportJson['results'] = {};
  for (const k of Object.keys(results).sort()) sorted[k] = results[k]!;
  return {
    json: {
      batchId: b.id,
      kind: 'instruction',
      seizureBatch: b.seizure_batch_id ?? '',
      bankCode: b.bank_code,
      state: b.state,
      records: rows.length,
      seizedTotal: rows.reduce((a, r) => a + r.seized, 0),
      collectTotal: rows.reduce((a, r) => a + r.collect, 0),
      releaseTotal: rows.reduce((a, r) => a + r.release, 0),
      results: sorted,
    },
    details: { instructionDate: b.execution_date, fileNumbers: [...new Set(rows.map((r) => r.fileNumber))], pending, rows },
  };
}

export function renderInstructionTerminal(r: InstructionReport, maxListed = 20): string {
  const { json: j, details: d } = r;
  const ja = getLang() === 'ja';
  const L: string[] = [];
  const st = batchStateMsg(j.state);
  L.push(ja ? `取立・解除指示バッチ ${j.batchId}（差押バッチ ${j.seizureBatch}・金融機関 ${j.bankCode}・指示日 ${d.instructionDate}）状態: ${st.ja}` : `Instruction batch ${j.batchId} (seizure batch ${j.seizureBatch}, bank ${j.bankCode}, instruction date ${d.instructionDate}) state: ${st.en}`);
  L.push(ja ? `指示: ${n(j.records)} 件 差押金額 ${yen(j.seizedTotal)}／取立指示額 ${yen(j.collectTotal)}／解除額 ${yen(j.releaseTotal)}` : `Instructed: ${n(j.records)} records, seized ${yen(j.seizedTotal)} / to collect ${yen(j.collectTotal)} / to release ${yen(j.releaseTotal)}`);
  for (const [code, v] of Object.entries(j.results)) L.push(`  ${code} ${ja ? label(code).ja : label(code).en}: ${n(v.records)}${ja ? ' 件' : ''} ${ja ? '取立' : 'collected'} ${yen(v.collected)}`);
  if (d.pending > 0) L.push(ja ? `  結果未取込: ${n(d.pending)} 件` : `  results not imported: ${n(d.pending)}`);
  L.push(
    ...formatTable(
      d.rows.slice(0, maxListed).map((x) => [
        `${ja ? '宛名番号' : 'person'} ${x.atena}`,
        `${x.requestNumber}-${String(x.subNumber).padStart(2, '0')}`,
        account(x),
        `${ja ? '差押' : 'seized'} ${yen(x.seized)}`,
        `${ja ? '禁止額' : 'protected'} ${yen(x.protectedAmount)}`,
        `${ja ? '取立指示' : 'collect'} ${yen(x.collect)}${x.overridden ? '*' : ''}`,
        `${ja ? '解除' : 'release'} ${yen(x.release)}`,
        x.resultCode === null ? (ja ? '結果待ち' : 'awaiting result') : `${x.resultCode} ${ja ? label(x.resultCode).ja : label(x.resultCode).en}`,
      ]),
      ['left', 'right', 'left', 'left', 'left', 'left', 'left', 'left'],
      '  ',
    ),
  );
  if (d.rows.length > maxListed) L.push(ja ? `  …ほか ${n(d.rows.length - maxListed)} 件（--csv / --html で全件）` : `  … ${n(d.rows.length - maxListed)} more (see --csv / --html)`);
  if (d.rows.some((x) => x.overridden)) L.push(ja ? '  * --collect で指定した額' : '  * set with --collect');
  return L.join('\n');
}

const CSV_COLUMNS: readonly Msg[] = [
  { ja: 'バッチID', en: 'Batch ID' },
  { ja: '指示ファイル番号', en: 'File number' },
  { ja: '宛名番号', en: 'Atena number' },
  { ja: '依頼番号', en: 'Request number' },
  { ja: '枝番', en: 'Sub number' },
  { ja: '口座（支店-種目-番号）', en: 'Account (branch-type-number)' },
  { ja: '差押金額', en: 'Seized' },
  { ja: '差押禁止額(照会時)', en: 'Protected at inquiry' },
  { ja: '取立指示額', en: 'To collect' },
  { ja: '解除額', en: 'To release' },
  { ja: '指定額', en: 'Overridden' },
  { ja: '結果コード', en: 'Result code' },
  { ja: '取立金額', en: 'Collected' },
  { ja: '取立日', en: 'Collection date' },
];

export function writeInstructionReportCsv(r: InstructionReport, file: string, lang: Lang = getLang()): { rows: number; bytes: number } {
  const out = openOutputFile(file, { clobber: false });
  try {
    out.write('\uFEFF');
    out.write(csvRows([CSV_COLUMNS.map((c) => c[lang])]));
    for (const x of r.details.rows) {
      out.write(csvLine([r.json.batchId, x.fileNumber, x.atena, x.requestNumber, x.subNumber, account(x), x.seized, x.protectedAmount, x.collect, x.release, x.overridden, x.resultCode, x.collected, x.collectionDate]));
    }
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
  return { rows: r.details.rows.length, bytes: out.bytes };
}

export function renderInstructionHtml(r: InstructionReport, generatedAt: string, lang: Lang = getLang()): string {
  const { json: j, details: d } = r;
  const L = (m: Msg): string => m[lang];
  const ja = lang === 'ja';
  const num = (x: number): string => x.toLocaleString('en-US');
  const sep = ja ? '・' : ', ';
  const title = L({ ja: '取立・解除指示バッチ報告', en: 'Instruction batch report' });
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${title} ${escapeHtml(j.batchId)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${REPORT_CSS}</style></head>
<body>
<h1>${title} <span id="batch-id">${escapeHtml(j.batchId)}</span></h1>
<p>${L({ ja: '差押バッチ', en: 'seizure batch' })} ${escapeHtml(j.seizureBatch)}${sep}${L({ ja: '金融機関', en: 'bank' })} ${escapeHtml(j.bankCode)}${sep}${L({ ja: '指示ファイル番号', en: 'file number' })} ${escapeHtml(d.fileNumbers.join(', '))}${sep}${L({ ja: '指示日', en: 'instruction date' })} ${escapeHtml(d.instructionDate)}${sep}${L({ ja: '状態', en: 'state' })} <b id="state">${escapeHtml(L(batchStateMsg(j.state)))}</b></p>
<div class="kpi">
<div>${L({ ja: '指示', en: 'Instructed' })}<b id="records">${num(j.records)}</b></div>
<div>${L({ ja: '差押金額', en: 'Seized' })}<b id="seized-total">${yen(j.seizedTotal)}</b></div>
<div>${L({ ja: '取立指示額', en: 'To collect' })}<b id="collect-total">${yen(j.collectTotal)}</b></div>
<div>${L({ ja: '解除額', en: 'To release' })}<b id="release-total">${yen(j.releaseTotal)}</b></div>
</div>
<h2>${L({ ja: '結果コード別', en: 'By result code' })}</h2>
${table(ja ? ['結果コード', '内容', '件数', '取立金額'] : ['result code', 'meaning', 'records', 'collected'], [
  ...Object.entries(j.results).map(([c, v]) => [escapeHtml(c), escapeHtml(L(label(c))), num(v.records), yen(v.collected)]),
  ...(d.pending > 0 ? [['—', escapeHtml(L({ ja: '結果未取込', en: 'results not imported' })), num(d.pending), '']] : []),
], 'by-result')}
<h2>${L({ ja: '指示した口座', en: 'Instructed accounts' })}</h2>
${table(
  ja ? ['宛名番号', '依頼番号', '枝番', '口座（支店-種目-番号）', '差押金額', '差押禁止額（照会時）', '取立指示額', '解除額', '結果コード', '取立金額', '取立日'] : ['atena number', 'request number', 'sub number', 'account (branch-type-number)', 'seized', 'protected at inquiry', 'to collect', 'to release', 'result code', 'collected', 'collection date'],
  d.rows.map((x) => [escapeHtml(x.atena), escapeHtml(x.requestNumber), escapeHtml(x.subNumber), escapeHtml(account(x)), yen(x.seized), yen(x.protectedAmount), yen(x.collect), yen(x.release), escapeHtml(x.resultCode ?? '—'), x.collected === null ? '—' : yen(x.collected), escapeHtml(x.collectionDate ?? '—')]),
  'instructed',
)}
<p class="note">${L({ ja: '作成日時', en: 'generated' })} ${escapeHtml(formatTokyoTime(generatedAt, lang))}${sep}sashiosae</p>
</body></html>
`;
}
