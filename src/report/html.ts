/**
 * `report --html F`: one self-contained page for accountants (Japanese): no
 * external assets, inline CSS, charts as inline SVG. Every value is escaped.
 * People appear by 宛名番号 and accounts masked (the details model carries nothing
 * else), so the page can be passed around inside the office.
 */
import { resultEntries, resultLabel, type ReportDetails, type ReportJson } from './model.js';
import { yen } from '../core/yen.js';

export function escapeHtml(s: string | number | null | undefined): string {
  if (s === null || s === undefined) return '';
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const num = (n: number): string => n.toLocaleString('en-US');

/** Horizontal bars: one per item, scaled to the largest value. */
function barChart(title: string, items: Array<{ label: string; value: number; text: string; cls?: string }>, id: string): string {
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

function table(headers: string[], rows: Array<Array<string>>, cls = ''): string {
  const th = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('');
  return `<table class="${cls}"><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

function capped(count: number, shown: number): string {
  return count > shown ? `<p class="note">ほか ${num(count - shown)} 件（全件は --csv の出力を参照）</p>` : '';
}

const STATE_JA: Record<string, string> = {
  extracted: '抽出済',
  written: '媒体作成済',
  'results-imported': '結果取込済',
  reconciled: '消込済',
  closed: '完了',
  cancelled: '取消',
};

export function renderHtml(r: ReportJson, d: ReportDetails, generatedAt: string): string {
  const resultItems = resultEntries(r.results).map(([code, v]) => ({
    label: `${code} ${resultLabel(code).ja}`,
    value: v.records,
    text: `${num(v.records)} 件 / ${yen(v.seized)}`,
    cls: code === '01' || code === '02' ? 'bar ok' : code === '21' ? 'bar mid' : 'bar ng',
  }));
  const dateItems = d.byDate.flatMap((m) => [
    { label: `${m.date} 取立`, value: m.collected, text: yen(m.collected), cls: 'bar' },
    { label: `${m.date} 入金`, value: m.deposit ?? 0, text: m.deposit === null ? '入金なし' : yen(m.deposit), cls: m.matched ? 'bar ok' : 'bar ng' },
  ]);
  const st = r.statement;
  const statementText =
    st.matched === null ? '明細未取込' : `${st.matched ? '一致' : '不一致'}（入金 ${yen(st.deposit)}・差額 ${yen(st.difference)}）`;

  const anomalies =
    d.anomalies.length === 0
      ? '<p class="ok">要確認事項はありません。</p>'
      : `<ul class="anomalies">${d.anomalies
          .map((a) => `<li class="${a.severity}" data-kind="${a.kind}"><b>${a.severity === 'error' ? '重要' : a.severity === 'warning' ? '注意' : '情報'}</b> ${escapeHtml(a.message.ja)}</li>`)
          .join('')}</ul>`;

  const css = `
body{font-family:"Hiragino Kaku Gothic ProN","Noto Sans CJK JP","Yu Gothic",Meiryo,sans-serif;margin:24px;color:#1d2330;max-width:1100px}
h1{font-size:22px;border-bottom:3px solid #2a5caa;padding-bottom:6px}h2{font-size:17px;margin-top:28px;border-left:5px solid #2a5caa;padding-left:8px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #c5cbd6;padding:4px 10px;font-size:13px}th{background:#eef2f8;text-align:left}
td.n,td:not(:first-child){font-variant-numeric:tabular-nums}.kpi{display:flex;flex-wrap:wrap;gap:12px}
.kpi div{border:1px solid #c5cbd6;border-radius:6px;padding:8px 14px;min-width:150px}.kpi b{display:block;font-size:18px}
svg text{font-size:12px;fill:#1d2330}svg .ttl{font-weight:bold;font-size:13px}.bar{fill:#2a5caa}.bar.ok{fill:#2e8b57}.bar.mid{fill:#d79b00}.bar.ng{fill:#b03a2e}
ul.anomalies li{margin:4px 0}li.error b{color:#b03a2e}li.warning b{color:#b36b00}li.info b{color:#2a5caa}.note{color:#555;font-size:12px}.ok{color:#2e8b57}
@media print{body{margin:0}}`;

  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>差押バッチ報告 ${escapeHtml(r.batchId)}</title>
<meta name="viewport" content="width=device-width,initial-scale=1"><style>${css}</style></head>
<body>
<h1>預金差押バッチ報告 <span id="batch-id">${escapeHtml(r.batchId)}</span></h1>
<p>金融機関 ${escapeHtml(r.bankCode)}・依頼ファイル番号 ${escapeHtml(r.fileNumber)}・差押執行日 ${escapeHtml(d.executionDate)}・取立区分 ${d.collectionMode === 'deferred' ? '取立保留' : '即時取立'}・状態 <b id="state">${escapeHtml(STATE_JA[r.state] ?? r.state)}</b>${d.policy ? `・充当ポリシー ${escapeHtml(d.policy)}` : ''}</p>

<h2>合計</h2>
<div class="kpi">
<div>依頼<b id="requested">${num(r.requested.requests)} 件</b>口座 ${num(r.requested.records)} 件・限度額 ${yen(r.requested.limitTotal)}</div>
<div>差押<b id="seized">${yen(r.seized.amount)}</b>${num(r.seized.records)} 件</div>
<div>取立<b id="collected">${yen(r.collected.amount)}</b>${num(r.collected.records)} 件</div>
<div>収納<b id="receipts-total">${yen(r.receipts.total)}</b>${num(r.receipts.count)} 件</div>
<div>過誤納金<b id="overpayment">${yen(r.overpayment)}</b>${num(d.overpayments.count)} 件</div>
<div>入金照合<b id="statement">${escapeHtml(statementText)}</b></div>
</div>
${table(
  ['区分', '本税', '延滞金', '督促手数料', '計'],
  [[ '収納', yen(r.receipts.honzei), yen(r.receipts.entaikin), yen(r.receipts.fee), `<b>${yen(r.receipts.total)}</b>` ]],
)}
<p>取立金額 ${yen(r.collected.amount)} ＝ 収納 ${yen(r.receipts.total)} ＋ 過誤納金 ${yen(r.overpayment)}${r.collected.amount === r.receipts.total + r.overpayment ? '' : '（<b>未消込または不一致</b>）'}</p>

<h2>要確認事項</h2>
${anomalies}

<h2>結果コード別</h2>
${resultItems.length > 0 ? barChart('結果コード別 件数', resultItems, 'chart-results') : '<p>結果未取込</p>'}
${table(
  ['結果コード', '内容', '件数', '差押金額', '取立金額'],
  resultEntries(r.results).map(([code, v]) => [escapeHtml(code), escapeHtml(resultLabel(code).ja), num(v.records), yen(v.seized), yen(v.collected)]),
)}

<h2>取立日別 取立金額と入金額</h2>
${d.byDate.length > 0 ? barChart('取立と入金（取立日別）', dateItems, 'chart-deposits') : '<p>取立はありません。</p>'}
${table(
  ['取立日', '取立金額', '入金額', '差額（入金−取立）', '照合'],
  d.byDate.map((m) => [escapeHtml(m.date), yen(m.collected), m.deposit === null ? (d.statementImported ? '入金なし' : '明細未取込') : yen(m.deposit), yen(m.difference), m.matched ? '一致' : '<b>不一致</b>']),
  'by-date',
)}
${d.unmatchedDeposits.length > 0 ? `<p>未照合の入金（取立日と同じ勘定日）:</p>${table(['照会番号', '勘定日', '金額'], d.unmatchedDeposits.map((u) => [escapeHtml(u.inquiryNumber), escapeHtml(u.valueDate), yen(u.amount)]))}` : ''}

<h2>税目別 収納</h2>
${d.receiptsByTax.length > 0 ? table(
  ['税目コード', '税目', '件数', '本税', '延滞金', '督促手数料', '計'],
  d.receiptsByTax.map((x) => [escapeHtml(x.taxCode), escapeHtml(x.taxName), num(x.count), yen(x.honzei), yen(x.entaikin), yen(x.fee), yen(x.honzei + x.entaikin + x.fee)]),
  'by-tax',
) : '<p>収納はありません。</p>'}

<h2>過誤納金（還付対象）</h2>
${d.overpayments.count > 0 ? table(
  ['宛名番号', '依頼番号', '取立日', '金額'],
  d.overpayments.rows.map((o) => [escapeHtml(o.atena), escapeHtml(o.requestNumber), escapeHtml(o.date), yen(o.amount)]),
  'overpayments',
) + capped(d.overpayments.count, d.overpayments.rows.length) : '<p>ありません。</p>'}

<h2>取立保留（差押済・未取立）</h2>
${d.deferred.count > 0 ? `<p>${num(d.deferred.count)} 件 ${yen(d.deferred.amount)}</p>` + table(
  ['宛名番号', '依頼番号', '枝番', '口座（支店-種目-番号）', '結果コード', '差押金額'],
  d.deferred.rows.map((x) => [escapeHtml(x.atena), escapeHtml(x.requestNumber), escapeHtml(x.subNumber), escapeHtml(x.account), escapeHtml(x.resultCode), yen(x.seized)]),
  'deferred',
) + capped(d.deferred.count, d.deferred.rows.length) : '<p>ありません。</p>'}

<h2>収納履歴のない債権（延滞金が過少の可能性）</h2>
${d.noHistory.count > 0 ? table(['調定番号', '宛名番号'], d.noHistory.rows.map((x) => [escapeHtml(x.chotei), escapeHtml(x.atena)]), 'no-history') + capped(d.noHistory.count, d.noHistory.rows.length) : '<p>ありません。</p>'}

<p class="note">作成日時 ${escapeHtml(generatedAt)}・sashiosae</p>
</body></html>
`;
}
