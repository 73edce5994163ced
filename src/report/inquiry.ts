/**
 * The report of an inquiry batch (cli.md `report --json` of an inquiry batch; issue 15
 * item 6): inquiries, answers by 回答区分, accounts found and their signed balance total,
 * and the paper follow-ups (回答区分 3 電子回答不可, 4 照会不備) listed by 宛名番号 only —
 * for the terminal, JSON, CSV and the HTML page (the seizure report's styles and helpers).
 * Before the answers are imported it shows the inquiries and 回答未取込.
 */
import { getLang, type Lang, type Msg } from '../core/i18n.js';
import { csvLine, csvRows } from '../core/csv.js';
import { formatTokyoTime } from '../core/dates.js';
import { openOutputFile } from '../core/output-file.js';
import { count as n, formatTable } from '../core/table.js';
import { yen } from '../core/yen.js';
import type { Db } from '../db/connection.js';
import { getBatch, batchFiles } from '../db/batches.js';
import { inquiryReportFigures, iterateAnswerDetails, iterateFollowUps } from '../db/inquiries.js';
import { protectedByAccount, protectedPatternList } from '../domain/protected-funds.js';
import { configuredProtectedPatterns } from '../settings/index.js';
import { requireKind } from '../db/no-such-batch.js';
import { ANSWER_CODES, answerLabel, batchStateMsg, type AnswerCode } from '../domain/vocabulary.js';
import { REPORT_CSS, barChart, escapeHtml, table } from './html.js';

/** cli.md `report --json` of an inquiry batch: exactly these keys. */
export interface InquiryReportJson {
  batchId: string;
  kind: 'inquiry';
  bankCode: string;
  state: string;
  inquiries: number;
  answers: Record<AnswerCode, number>;
  accounts: number;
  /** signed 残高 total of the accounts found */
  balanceTotal: number;
  /** protected (差押禁止) part of the balances: Σ of the accounts' protected amounts (docs/protected-funds-policy.md, today's patterns) */
  protectedTotal: number;
}

export interface InquiryReportDetails {
  baseDate: string;
  historyFrom: string | null;
  fileNumbers: number[];
  /** inquiries whose answer is not imported yet */
  pending: number;
  /** 回答区分 3 and 4, by 宛名番号 (the first `listLimit`) */
  followUps: { count: number; rows: Array<{ atena: string; code: AnswerCode }> };
  listLimit: number;
}

export interface InquiryReport {
  json: InquiryReportJson;
  details: InquiryReportDetails;
}

/** Σ of the protected amounts of the batch's answer accounts, by the policy extract uses. */
function protectedTotal(db: Db, batchId: string): number {
  let total = 0;
  for (const p of protectedByAccount(iterateAnswerDetails(db, batchId), protectedPatternList(configuredProtectedPatterns(db))).values()) total += p;
  return total;
}

export function buildInquiryReport(db: Db, batchId: string, listLimit = 500): InquiryReport {
  requireKind(db, batchId, 'report', ['inquiry']);
  const b = getBatch(db, batchId)!;
  const fig = inquiryReportFigures(db, batchId);
  const rows = [...iterateFollowUps(db, batchId, listLimit)].map(([atena, code]) => ({ atena, code: code as AnswerCode }));
  return {
    json: {
      batchId: b.id,
      kind: 'inquiry',
      bankCode: b.bank_code,
      state: b.state,
      inquiries: fig.inquiries,
      answers: fig.answers,
      accounts: fig.accounts,
      balanceTotal: fig.balanceTotal,
      protectedTotal: protectedTotal(db, batchId),
    },
    details: {
      baseDate: b.execution_date,
      historyFrom: b.history_from,
      fileNumbers: batchFiles(db, batchId).map((f) => f.file_number),
      pending: fig.pending,
      followUps: { count: fig.answers['3'] + fig.answers['4'], rows },
      listLimit,
    },
  };
}

const notAnswered: Msg = { ja: '回答未取込', en: 'answers not imported yet' };

export function renderInquiryTerminal(r: InquiryReport, maxListed = 20): string {
  const ja = getLang() === 'ja';
  const { json: j, details: d } = r;
  const L: string[] = [];
  const state = batchStateMsg(j.state)[ja ? 'ja' : 'en'];
  const files = d.fileNumbers.map((f) => String(f).padStart(8, '0')).join(', ');
  L.push(ja ? `預金照会バッチ ${j.batchId}（金融機関 ${j.bankCode}・照会ファイル番号 ${files}）状態: ${state}` : `Inquiry batch ${j.batchId} (bank ${j.bankCode}, file ${files}) state: ${state}`);
  L.push(ja ? `  照会基準日 ${d.baseDate}・取引明細開始日 ${d.historyFrom ?? 'なし'}` : `  base date ${d.baseDate}, history from ${d.historyFrom ?? 'none'}`);
  L.push(ja ? `照会: ${n(j.inquiries)} 件` : `Inquiries: ${n(j.inquiries)}`);
  if (d.pending === j.inquiries) {
    L.push(ja ? `回答: ${notAnswered.ja}` : `Answers: ${notAnswered.en}`);
    return L.join('\n');
  }
  L.push(ja ? '回答区分別:' : 'By answer code:');
  const rows = ANSWER_CODES.map((c) => [c, answerLabel(c)[ja ? 'ja' : 'en'], `${n(j.answers[c])}${ja ? ' 件' : ''}`]);
  if (d.pending > 0) rows.push(['—', notAnswered[ja ? 'ja' : 'en'], `${n(d.pending)}${ja ? ' 件' : ''}`]);
  L.push(...formatTable(rows, ['left', 'left', 'right'], '  '));
  L.push(ja ? `口座: ${n(j.accounts)} 件・残高合計 ${yen(j.balanceTotal)}（うち差押禁止 ${yen(j.protectedTotal)}）` : `Accounts found: ${n(j.accounts)}, balance total ${yen(j.balanceTotal)} (protected ${yen(j.protectedTotal)})`);
  if (d.followUps.count > 0) {
    L.push(ja ? `書面での確認が必要（回答区分 3・4）: ${n(d.followUps.count)} 件` : `Paper follow-ups (answer codes 3 and 4): ${n(d.followUps.count)}`);
    for (const f of d.followUps.rows.slice(0, maxListed)) L.push(`  ${ja ? '宛名番号' : 'person'} ${f.atena}  ${f.code} ${answerLabel(f.code)[ja ? 'ja' : 'en']}`);
    if (d.followUps.count > maxListed) L.push(ja ? `  …ほか ${n(d.followUps.count - maxListed)} 件（--csv で全件）` : `  … ${n(d.followUps.count - maxListed)} more (see --csv)`);
  }
  return L.join('\n');
}

const CSV_COLUMNS: readonly Msg[] = [
  { ja: 'バッチID', en: 'Batch ID' },
  { ja: '行', en: 'Row' },
  { ja: '宛名番号', en: 'Atena number' },
  { ja: '回答区分', en: 'Answer code' },
  { ja: '内容', en: 'Meaning' },
  { ja: '件数', en: 'Count' },
  { ja: '金額', en: 'Amount' },
];

/**
 * `report --csv F` of an inquiry batch (UTF-8 with BOM, CRLF, 0600): the totals (one row
 * per 回答区分, the not-yet-answered, the accounts with their signed balance total), then
 * one row per follow-up with 宛名番号 and 回答区分 — every one, not capped.
 */
export function writeInquiryReportCsv(db: Db, r: InquiryReport, file: string, lang: Lang = getLang()): { rows: number; bytes: number } {
  const { json: j, details: d } = r;
  const out = openOutputFile(file, { clobber: false });
  let rows = 0;
  const put = (v: Parameters<typeof csvLine>[0]): void => {
    out.write(csvLine(v));
    rows++;
  };
  try {
    out.write('\uFEFF');
    out.write(csvRows([CSV_COLUMNS.map((c) => c[lang])]));
    const total = { ja: '集計', en: 'total' }[lang];
    put([j.batchId, total, null, null, { ja: '照会', en: 'inquiries' }[lang], j.inquiries, null]);
    for (const c of ANSWER_CODES) put([j.batchId, total, null, c, answerLabel(c)[lang], j.answers[c], null]);
    put([j.batchId, total, null, null, notAnswered[lang], d.pending, null]);
    put([j.batchId, total, null, '1', { ja: '口座（残高合計）', en: 'accounts (balance total)' }[lang], j.accounts, j.balanceTotal]);
    put([j.batchId, total, null, null, { ja: '差押禁止額合計', en: 'protected total' }[lang], null, j.protectedTotal]);
    const follow = { ja: '要確認', en: 'follow-up' }[lang];
    for (const [atena, code] of iterateFollowUps(db, j.batchId)) put([j.batchId, follow, atena, code, answerLabel(code)[lang], null, null]);
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
  return { rows, bytes: out.bytes };
}

/** `report --html F` of an inquiry batch: one self-contained page, people by 宛名番号 only. */
export function renderInquiryHtml(r: InquiryReport, generatedAt: string, lang: Lang = getLang()): string {
  const { json: j, details: d } = r;
  const L = (m: Msg): string => m[lang];
  const ja = lang === 'ja';
  const num = (x: number): string => x.toLocaleString('en-US');
  const cnt = (x: number): string => (ja ? `${num(x)} 件` : num(x));
  const sep = ja ? '・' : ', ';
  const answered = d.pending < j.inquiries;
  const items = ANSWER_CODES.map((c) => ({ label: `${c} ${L(answerLabel(c))}`, value: j.answers[c], text: cnt(j.answers[c]), cls: c === '1' ? 'bar ok' : c === '2' ? 'bar na' : 'bar mid' }));
  const answerRows = ANSWER_CODES.map((c) => [escapeHtml(c), escapeHtml(L(answerLabel(c))), num(j.answers[c])]);
  if (d.pending > 0) answerRows.push(['—', escapeHtml(L(notAnswered)), num(d.pending)]);
  const more = d.followUps.count - d.followUps.rows.length;
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${L({ ja: '預金照会バッチ報告', en: 'Inquiry batch report' })} ${escapeHtml(j.batchId)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${REPORT_CSS}</style></head>
<body>
<h1>${L({ ja: '預金照会バッチ報告', en: 'Deposit inquiry batch report' })} <span id="batch-id">${escapeHtml(j.batchId)}</span></h1>
<p>${L({ ja: '金融機関', en: 'bank' })} ${escapeHtml(j.bankCode)}${sep}${L({ ja: '照会ファイル番号', en: 'file number' })} ${escapeHtml(d.fileNumbers.join(', '))}${sep}${L({ ja: '照会基準日', en: 'base date' })} ${escapeHtml(d.baseDate)}${sep}${L({ ja: '取引明細開始日', en: 'history from' })} ${escapeHtml(d.historyFrom ?? L({ ja: 'なし', en: 'none' }))}${sep}${L({ ja: '状態', en: 'state' })} <b id="state">${escapeHtml(L(batchStateMsg(j.state)))}</b></p>

<h2>${L({ ja: '合計', en: 'Totals' })}</h2>
<div class="kpi">
<div>${L({ ja: '照会', en: 'Inquiries' })}<b id="inquiries">${cnt(j.inquiries)}</b></div>
<div>${L({ ja: '口座', en: 'Accounts found' })}<b id="accounts">${cnt(j.accounts)}</b></div>
<div>${L({ ja: '残高合計', en: 'Balance total' })}<b id="balance-total">${yen(j.balanceTotal)}</b>${L({ ja: '差押禁止', en: 'protected' })} ${yen(j.protectedTotal)}</div>
<div>${L({ ja: '要確認（書面）', en: 'Paper follow-ups' })}<b id="follow-ups">${cnt(d.followUps.count)}</b></div>
</div>

<h2>${L({ ja: '回答区分別', en: 'By answer code' })}</h2>
${answered ? barChart(L({ ja: '回答区分別 件数', en: 'Inquiries by answer code' }), items, 'chart-answers') : `<p id="not-answered">${L(notAnswered)}</p>`}
${table(ja ? ['回答区分', '内容', '件数'] : ['answer code', 'meaning', 'inquiries'], answerRows, 'by-answer')}

<h2>${L({ ja: '書面での確認が必要な照会（回答区分 3・4）', en: 'Inquiries to follow up on paper (answer codes 3 and 4)' })}</h2>
${d.followUps.count > 0 ? table(ja ? ['宛名番号', '回答区分', '内容'] : ['atena number', 'answer code', 'meaning'], d.followUps.rows.map((f) => [escapeHtml(f.atena), escapeHtml(f.code), escapeHtml(L(answerLabel(f.code)))]), 'follow-ups') + (more > 0 ? `<p class="note">${escapeHtml(L({ ja: `ほか ${num(more)} 件（全件は --csv の出力を参照）`, en: `${num(more)} more (see the --csv output for all)` }))}</p>` : '') : `<p>${L({ ja: 'ありません。', en: 'None.' })}</p>`}

<p class="note">${L({ ja: '作成日時', en: 'generated' })} ${escapeHtml(formatTokyoTime(generatedAt, lang))}${sep}sashiosae</p>
</body></html>
`;
}
