/**
 * `report --html F`: one self-contained page for accountants, in the language of
 * --lang (Japanese by default; the html lang attribute follows): no external assets,
 * inline CSS, charts as inline SVG. Every value is escaped.
 * People appear by 宛名番号 and accounts masked (the details model carries nothing
 * else), so the page can be passed around inside the office.
 */
import { getLang, type Lang, type Msg } from '../core/i18n.js';
import { resultLabel } from '../domain/vocabulary.js';
import { resultEntries, type ReportDetails, type ReportJson } from './model.js';
import { batchStateMsg, policyLabel } from '../domain/vocabulary.js';
import { formatTokyoTime } from '../core/dates.js';
import { yen } from '../core/yen.js';
import { holdStateMsg } from '../domain/hold.js';
import type { HoldsJson } from './holds.js';

export function escapeHtml(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const num = (n: number): string => n.toLocaleString('en-US');

/** Horizontal bars: one per item, scaled to the largest value. */
export function barChart(title: string, items: Array<{ label: string; value: number; text: string; cls?: string }>, id: string): string {
  const rowH = 26;
  const labelW = 210;
  const barW = 380;
  const width = labelW + barW + 150;
  const height = Math.max(1, items.length) * rowH + 30;
  const max = Math.max(1, ...items.map((i) => i.value));
  const rows = items
    .map((it, i) => {
      const y = 24 + i * rowH;
      const w = Math.max(it.value > 0 ? 2 : 0, Math.round((it.value / max) * barW));
      return `<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${escapeHtml(it.label)}</text>` +
        `<rect class="${it.cls ?? 'bar'}" x="${labelW}" y="${y}" width="${w}" height="${rowH - 8}"><title>${escapeHtml(it.label)}: ${escapeHtml(it.text)}</title></rect>` +
        `<text x="${labelW + w + 6}" y="${y + 14}">${escapeHtml(it.text)}</text>`;
    })
    .join('');
  return `<svg id="${id}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<text class="ttl" x="0" y="14">${escapeHtml(title)}</text>${rows}</svg>`;
}

export function table(headers: string[], rows: Array<Array<string>>, cls = ''): string {
  const th = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * Fonts for Japanese text (friction, issue 13): the first one installed wins — Noto
 * Sans CJK JP (Debian fonts-noto-cjk), IPA fonts, macOS Hiragino, Windows Yu Gothic
 * and Meiryo — so a browser never falls back to a font without kana and kanji (□).
 */
export const JAPANESE_FONT_STACK =
  '"Noto Sans CJK JP","Noto Sans JP","IPAexGothic","IPAGothic","Hiragino Kaku Gothic ProN","Hiragino Sans","Yu Gothic","YuGothic",Meiryo,sans-serif';

/** The report pages' one style sheet (batch reports of every kind). */
export const REPORT_CSS = `
body{font-family:${JAPANESE_FONT_STACK};margin:24px;color:#1d2330;max-width:1100px}
h1{font-size:22px;border-bottom:3px solid #2a5caa;padding-bottom:6px}h2{font-size:17px;margin-top:28px;border-left:5px solid #2a5caa;padding-left:8px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #c5cbd6;padding:4px 10px;font-size:13px}th{background:#eef2f8;text-align:left}
td.n,td:not(:first-child){font-variant-numeric:tabular-nums}.kpi{display:flex;flex-wrap:wrap;gap:12px}
.kpi div{border:1px solid #c5cbd6;border-radius:6px;padding:8px 14px;min-width:150px}.kpi b{display:block;font-size:18px}
svg text{font-size:12px;fill:#1d2330}svg .ttl{font-weight:bold;font-size:13px}.bar{fill:#2a5caa}.bar.ok{fill:#2e8b57}.bar.mid{fill:#d79b00}.bar.na{fill:#8a94a6}.bar.ng{fill:#b03a2e}
ul.anomalies li{margin:4px 0}li.error b{color:#b03a2e}li.warning b{color:#b36b00}li.info b{color:#2a5caa}.note{color:#555;font-size:12px}.ok{color:#2e8b57}
small.id{color:#666;font-size:11px}
@media print{body{margin:0}}`;

/**
 * The bar class of a result code: seized (01, 02) ok; 21 (an earlier seizure) and
 * 31 (not needed: the request's limit was already reached) are no failure of the
 * seizure — 31 is shown neutral, 21 amber; the rest (no balance, no account …) red.
 */
function resultClass(code: string): string {
  if (code === '01' || code === '02') return 'bar ok';
  if (code === '31') return 'bar na';
  if (code === '21') return 'bar mid';
  return 'bar ng';
}

export function renderHtml(r: ReportJson, d: ReportDetails, generatedAt: string, lang: Lang = getLang()): string {
  const L = (m: Msg): string => m[lang];
  const ja = lang === 'ja';
  const cnt = (n: number): string => (ja ? `${num(n)} 件` : num(n));
  const capped = (count: number, shown: number): string =>
    count > shown ? `<p class="note">${escapeHtml(L({ ja: `ほか ${num(count - shown)} 件（全件は --csv の出力を参照）`, en: `${num(count - shown)} more (see the --csv output for all)` }))}</p>` : '';
  const none = `<p>${L({ ja: 'ありません。', en: 'None.' })}</p>`;
  const matchedText = (m: boolean): string => (m ? L({ ja: '一致', en: 'matched' }) : `<b>${L({ ja: '不一致', en: 'not matched' })}</b>`);

  const resultItems = resultEntries(r.results).map(([code, v]) => ({
    label: `${code} ${L(resultLabel(code))}`,
    value: v.records,
    text: `${cnt(v.records)} / ${yen(v.seized)}`,
    cls: resultClass(code),
  }));
  const dateItems = d.byDate.flatMap((m) => [
    { label: `${m.date} ${L({ ja: '取立', en: 'collected' })}`, value: m.collected, text: yen(m.collected), cls: 'bar' },
    { label: `${m.date} ${L({ ja: '入金', en: 'deposit' })}`, value: m.deposit ?? 0, text: m.deposit === null ? L({ ja: '入金なし', en: 'no deposit' }) : yen(m.deposit), cls: m.matched ? 'bar ok' : 'bar ng' },
  ]);
  const st = r.statement;
  const statementText =
    st.matched === null
      ? L({ ja: '明細未取込', en: 'statement not imported' })
      : ja
        ? `${st.matched ? '一致' : '不一致'}（入金 ${yen(st.deposit)}・差額 ${yen(st.difference)}）`
        : `${st.matched ? 'matched' : 'not matched'} (deposit ${yen(st.deposit)}, difference ${yen(st.difference)})`;
  const severity = (s: string): string =>
    s === 'error' ? L({ ja: '重要', en: 'Error' }) : s === 'warning' ? L({ ja: '注意', en: 'Warning' }) : L({ ja: '情報', en: 'Info' });

  const anomalies =
    d.anomalies.length === 0
      ? `<p class="ok">${L({ ja: '要確認事項はありません。', en: 'Nothing needs attention.' })}</p>`
      : `<ul class="anomalies">${d.anomalies
          .map((a) => `<li class="${a.severity}" data-kind="${a.kind}"><b>${severity(a.severity)}</b> ${escapeHtml(L(a.message))}</li>`)
          .join('')}</ul>`;



  const deferredHtml = `<h2>${L({ ja: '取立保留（差押済・未取立）', en: 'Deferred collection (seized, not collected)' })}</h2>
${d.deferred.count > 0 ? `<p>${cnt(d.deferred.count)} ${yen(d.deferred.amount)}</p>` + table(
  ja ? ['宛名番号', '依頼番号', '枝番', '口座（支店-種目-番号）', '結果コード', '差押金額'] : ['atena number', 'request number', 'sub number', 'account (branch-type-number)', 'result code', 'seized'],
  d.deferred.rows.map((x) => [escapeHtml(x.atena), escapeHtml(x.requestNumber), escapeHtml(x.subNumber), escapeHtml(x.account), escapeHtml(x.resultCode), yen(x.seized)]),
  'deferred',
) + capped(d.deferred.count, d.deferred.rows.length) : none}`;
  const sep = ja ? '・' : ', ';
  const policy = d.policy ? `${sep}${L({ ja: '充当ポリシー', en: 'allocation policy' })} ${escapeHtml(L(policyLabel(d.policy)))} <small class="id">${escapeHtml(d.policy)}</small>` : '';
  const mode = d.collectionMode === 'deferred' ? L({ ja: '取立保留', en: 'deferred' }) : L({ ja: '即時取立', en: 'immediate' });
  const reconciledNote = r.collected.amount === r.receipts.total + r.overpayment ? '' : ja ? '（<b>未消込または不一致</b>）' : ' (<b>not reconciled or not matching</b>)';

  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${L({ ja: '差押バッチ報告', en: 'Seizure batch report' })} ${escapeHtml(r.batchId)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${REPORT_CSS}</style></head>
<body>
<h1>${L({ ja: '預金差押バッチ報告', en: 'Seizure batch report' })} <span id="batch-id">${escapeHtml(r.batchId)}</span></h1>
<p>${L({ ja: '金融機関', en: 'bank' })} ${escapeHtml(r.bankCode)}${sep}${L({ ja: '依頼ファイル番号', en: 'file number' })} ${escapeHtml(r.fileNumber)}${sep}${L({ ja: '差押執行日', en: 'execution date' })} ${escapeHtml(d.executionDate)}${sep}${L({ ja: '取立区分', en: 'collection' })} ${mode}${sep}${L({ ja: '状態', en: 'state' })} <b id="state">${escapeHtml(L(batchStateMsg(r.state)))}</b>${policy}</p>

<h2>${L({ ja: '合計', en: 'Totals' })}</h2>
<div class="kpi">
<div>${L({ ja: '依頼', en: 'Requested' })}<b id="requested">${ja ? `${num(r.requested.requests)} 件` : `${num(r.requested.requests)} requests`}</b>${ja ? `口座 ${num(r.requested.records)} 件・限度額 ${yen(r.requested.limitTotal)}` : `${num(r.requested.records)} accounts, limit ${yen(r.requested.limitTotal)}`}</div>
<div>${L({ ja: '差押', en: 'Seized' })}<b id="seized">${yen(r.seized.amount)}</b>${ja ? `${num(r.seized.records)} 件` : `${num(r.seized.records)} records`}</div>
<div>${L({ ja: '取立', en: 'Collected' })}<b id="collected">${yen(r.collected.amount)}</b>${ja ? `${num(r.collected.records)} 件` : `${num(r.collected.records)} records`}</div>
<div>${L({ ja: '収納', en: 'Receipts' })}<b id="receipts-total">${yen(r.receipts.total)}</b>${ja ? `${num(r.receipts.count)} 件` : `${num(r.receipts.count)} receipts`}</div>
<div>${L({ ja: '過誤納金', en: 'Overpayment' })}<b id="overpayment">${yen(r.overpayment)}</b>${ja ? `${num(d.overpayments.count)} 件` : `${num(d.overpayments.count)} records`}</div>
<div>${L({ ja: '入金照合', en: 'Statement' })}<b id="statement">${escapeHtml(statementText)}</b></div>
</div>
${table(
  ja ? ['区分', '本税', '延滞金', '督促手数料', '計'] : ['', 'principal', 'late charge', 'reminder fee', 'total'],
  [[ L({ ja: '収納', en: 'receipts' }), yen(r.receipts.honzei), yen(r.receipts.entaikin), yen(r.receipts.fee), `<b>${yen(r.receipts.total)}</b>` ]],
)}
<p>${ja ? `取立金額 ${yen(r.collected.amount)} ＝ 収納 ${yen(r.receipts.total)} ＋ 過誤納金 ${yen(r.overpayment)}` : `collected ${yen(r.collected.amount)} = receipts ${yen(r.receipts.total)} + overpayment ${yen(r.overpayment)}`}${reconciledNote}</p>

<h2>${L({ ja: '要確認事項', en: 'Needs attention' })}</h2>
${anomalies}

<h2>${L({ ja: '結果コード別', en: 'By result code' })}</h2>
${resultItems.length > 0 ? barChart(L({ ja: '結果コード別 件数', en: 'Records by result code' }), resultItems, 'chart-results') : `<p>${L({ ja: '結果未取込', en: 'results not imported yet' })}</p>`}
${table(
  ja ? ['結果コード', '内容', '件数', '差押金額', '取立金額'] : ['result code', 'meaning', 'records', 'seized', 'collected'],
  resultEntries(r.results).map(([code, v]) => [escapeHtml(code), escapeHtml(L(resultLabel(code))), num(v.records), yen(v.seized), yen(v.collected)]),
)}

<h2>${L({ ja: '取立日別 取立金額と入金額', en: 'Collected and deposited by collection date' })}</h2>
${d.byDate.length > 0 ? barChart(L({ ja: '取立と入金（取立日別）', en: 'Collected and deposited (by collection date)' }), dateItems, 'chart-deposits') : `<p>${L({ ja: '取立はありません。', en: 'Nothing collected.' })}</p>`}
${table(
  ja ? ['取立日', '取立金額', '入金額', '差額（入金−取立）', '照合'] : ['collection date', 'collected', 'deposit', 'difference (deposit − collected)', 'check'],
  d.byDate.map((m) => [escapeHtml(m.date), yen(m.collected), m.deposit === null ? (d.statementImported ? L({ ja: '入金なし', en: 'no deposit' }) : L({ ja: '明細未取込', en: 'statement not imported' })) : yen(m.deposit), yen(m.difference), matchedText(m.matched)]),
  'by-date',
)}
${d.unmatchedDeposits.length > 0 ? `<p>${L({ ja: '未照合の入金（取立日と同じ勘定日）:', en: 'Deposits not matched (value date of a collection date):' })}</p>${table(ja ? ['照会番号', '勘定日', '金額'] : ['inquiry number', 'value date', 'amount'], d.unmatchedDeposits.map((u) => [escapeHtml(u.inquiryNumber), escapeHtml(u.valueDate), yen(u.amount)]))}` : ''}

<h2>${L({ ja: '税目別 収納', en: 'Receipts by tax' })}</h2>
${d.receiptsByTax.length > 0 ? table(
  ja ? ['税目コード', '税目', '件数', '本税', '延滞金', '督促手数料', '計'] : ['tax code', 'tax', 'receipts', 'principal', 'late charge', 'reminder fee', 'total'],
  d.receiptsByTax.map((x) => [escapeHtml(x.taxCode), escapeHtml(x.taxName), num(x.count), yen(x.honzei), yen(x.entaikin), yen(x.fee), yen(x.honzei + x.entaikin + x.fee)]),
  'by-tax',
) : `<p>${L({ ja: '収納はありません。', en: 'No receipts.' })}</p>`}

<h2>${L({ ja: '過誤納金（還付対象）', en: 'Overpayments (to refund)' })}</h2>
${d.overpayments.count > 0 ? table(
  ja ? ['宛名番号', '依頼番号', '取立日', '金額'] : ['atena number', 'request number', 'collection date', 'amount'],
  d.overpayments.rows.map((o) => [escapeHtml(o.atena), escapeHtml(o.requestNumber), escapeHtml(o.date), yen(o.amount)]),
  'overpayments',
) + capped(d.overpayments.count, d.overpayments.rows.length) : none}

${d.holds !== null && r.holds !== undefined ? holdsHtml(r.holds, d.holds, L, ja, capped(r.holds.held.records, d.holds.rows.length)) : deferredHtml}

<h2>${L({ ja: '収納履歴のない債権（延滞金が過少の可能性）', en: 'Debts without payment history (late charge may be too low)' })}</h2>
${d.noHistory.count > 0 ? table(ja ? ['調定番号', '宛名番号'] : ['chotei number', 'atena number'], d.noHistory.rows.map((x) => [escapeHtml(x.chotei), escapeHtml(x.atena)]), 'no-history') + capped(d.noHistory.count, d.noHistory.rows.length) : none}

<p class="note">${L({ ja: '作成日時', en: 'generated' })} ${escapeHtml(formatTokyoTime(generatedAt, lang))}${sep}sashiosae</p>
</body></html>
`;
}

/**
 * The held seizures (取立保留) of a deferred batch: held, collected and released totals,
 * then per record the protected amount at inquiry that justified a release (people by
 * 宛名番号, accounts masked): what the 差押解除通知書 documents state.
 */
function holdsHtml(j: HoldsJson, h: NonNullable<ReportDetails['holds']>, L: (m: Msg) => string, ja: boolean, more: string): string {
  const cnt = (n: number): string => (ja ? `${num(n)} 件` : num(n));
  return `<h2>${L({ ja: '取立保留（差押済）の取立・解除', en: 'Held seizures (取立保留): collected and released' })}</h2>
<div class="kpi" id="holds">
<div>${L({ ja: '保留', en: 'Held' })}<b id="holds-held">${yen(j.held.amount)}</b>${cnt(j.held.records)}</div>
<div>${L({ ja: '取立', en: 'Collected' })}<b id="holds-collected">${yen(j.collected.amount)}</b>${cnt(j.collected.records)}</div>
<div>${L({ ja: '差押解除', en: 'Released' })}<b id="holds-released">${yen(j.released.amount)}</b>${cnt(j.released.records)}</div>
<div>${L({ ja: '未解決', en: 'Unresolved' })}<b id="holds-unresolved">${yen(h.unresolved.amount)}</b>${cnt(h.unresolved.records)}</div>
</div>
${table(
  ja ? ['宛名番号', '依頼番号', '枝番', '口座（支店-種目-番号）', '差押金額', '差押禁止額（照会時）', '状態', '取立金額', '取立日', '解除額'] : ['atena number', 'request number', 'sub number', 'account (branch-type-number)', 'seized', 'protected at inquiry', 'state', 'collected', 'collection date', 'released'],
  h.rows.map((x) => [escapeHtml(x.atena), escapeHtml(x.requestNumber), escapeHtml(x.subNumber), escapeHtml(x.account), yen(x.seized), yen(x.protectedAmount), escapeHtml(L(holdStateMsg(x.state))), yen(x.collected), escapeHtml(x.collectionDate ?? '—'), yen(x.released)]),
  'holds',
)}${more}`;
}
