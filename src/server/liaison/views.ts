/** How a job page shows the outcome of each of the liaison's jobs (main thread; server/jobs/views.ts joins them). */
import type { Lang, Msg } from '../../core/i18n.js';
import type { Finding } from '../../core/errors.js';
import { escapeHtml as h } from '../../report/html.js';
import { tr } from '../http.js';
import type { JobView } from '../jobs/view-types.js';
import type { ImportResult, ValidateResult } from './jobs.js';

const n = (v: number, lang: Lang) => v.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');

/**
 * A summary line as a web page says it: the CLI's hints to type a command (「次は sashiosae …」,
 * 「sashiosae report … で」) mean nothing to someone in the browser, so the next step is left to
 * the batch's page and the batch list (each shows it to the role that takes it).
 */
export function webLine(m: Msg): Msg {
  return {
    ja: m.ja.replace(/。次は sashiosae .*$/, '。').replace(/（sashiosae report \S+ で宛名番号を確認）/, '（宛名番号はバッチの報告書に）'),
    en: m.en.replace(/\. Next: sashiosae .*$/, '.').replace(/ \(see sashiosae report \S+ for the 宛名番号\)/, ' (the 宛名番号 are in the batch’s report)'),
  };
}

/** The step's summary (first line, then its items, without the CLI's command hints), and the batch's page with its next step. */
function renderImport(result: unknown, lang: Lang): string {
  const r = result as ImportResult;
  const [first, ...rest] = r.lines.map(webLine);
  let out = first === undefined ? '' : `<p class="ok">${h(tr(first, lang))}</p>`;
  if (rest.length > 0) out += `<ul class="summary">${rest.map((m) => `<li>${h(tr(m, lang).trim())}</li>`).join('')}</ul>`;
  if (r.batch !== undefined)
    out += `<p><a href="/batches/${encodeURIComponent(r.batch)}">${h(tr({ ja: `バッチ ${r.batch} を開く`, en: `open batch ${r.batch}` }, lang))}</a> · <a href="/">${h(tr({ ja: 'バッチ一覧（次の手順と担当）', en: 'the batch list (next steps and who takes them)' }, lang))}</a></p>`;
  return out;
}

function findingsTable(findings: readonly Finding[], more: number, lang: Lang): string {
  const t = (m: Msg) => h(tr(m, lang));
  const head = [
    { ja: 'レコード', en: 'Record' },
    { ja: 'バイト位置', en: 'Byte offset' },
    { ja: '項目', en: 'Field' },
    { ja: '内容', en: 'Finding' },
    { ja: '期待値', en: 'Expected' },
    { ja: '実際', en: 'Found' },
  ];
  const rows = findings
    .map((f) => `<tr><td class="n">${h(f.record !== undefined ? f.record + 1 : (f.line ?? ''))}</td><td class="n">${h(f.offset ?? '')}</td><td>${h(f.field ?? f.column ?? '')}</td><td>${t(f.message)}</td><td>${h(f.expected ?? '')}</td><td>${h(f.found ?? '')}</td></tr>`)
    .join('');
  const rest = more > 0 ? `<p>${t({ ja: `ほかに ${n(more, 'ja')} 件の指摘があります`, en: `${n(more, 'en')} more findings` })}</p>` : '';
  return `<table class="findings"><thead><tr>${head.map((m) => `<th>${t(m)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>${rest}`;
}

const KIND: Record<string, Msg> = {
  header: { ja: 'ヘッダー', en: 'header' },
  data: { ja: 'データ', en: 'data' },
  trailer: { ja: 'トレーラー', en: 'trailer' },
  end: { ja: 'エンド', en: 'end' },
};

/** validate's verdict and findings, then inspect's view of the first records (personal fields masked). */
function renderValidate(result: unknown, lang: Lang): string {
  const r = result as ValidateResult;
  const t = (m: Msg) => h(tr(m, lang));
  let out = r.valid
    ? `<p class="ok" data-valid="true">${t({ ja: `OK: ${r.name} はレイアウト ${r.layout} に適合しています`, en: `OK: ${r.name} conforms to layout ${r.layout}` })}</p>`
    : `<p class="err" data-valid="false">${t({ ja: `不適合: ${r.name} にレイアウト ${r.layout} に反する箇所が ${n(r.findings.length + r.moreFindings, 'ja')} 件あります。ファイルの送り主（銀行・作成元）に確認してください`, en: `INVALID: ${r.name} breaks layout ${r.layout} in ${n(r.findings.length + r.moreFindings, 'en')} place(s); check with whoever produced the file` })}</p>`;
  out += `<table class="summary"><tbody>${[
    [{ ja: 'レイアウト', en: 'Layout' }, h(r.layout)],
    [{ ja: 'レコード数', en: 'Records' }, h(n(r.records, lang))],
    [{ ja: 'データレコード数', en: 'Data records' }, h(n(r.dataRecords, lang))],
    [{ ja: 'バイト数', en: 'Bytes' }, h(n(r.bytes, lang))],
  ]
    .map(([k, v]) => `<tr><th>${t(k as Msg)}</th><td class="n">${v as string}</td></tr>`)
    .join('')}</tbody></table>`;
  if (!r.valid) out += `<h2>${t({ ja: '指摘', en: 'Findings' })}</h2>${findingsTable(r.findings, r.moreFindings, lang)}`;
  if (r.shown.length > 0) {
    out += `<h2>${t({ ja: `先頭 ${r.shown.length} レコードの内容（個人情報は伏せています）`, en: `The first ${r.shown.length} records (personal data masked)` })}</h2>`;
    for (const rec of r.shown) {
      const title = tr({ ja: `第${rec.index + 1}レコード（バイト位置 ${rec.offset}）${tr(KIND[rec.kind] ?? { ja: rec.kind, en: rec.kind }, 'ja')}`, en: `record ${rec.index + 1} (byte offset ${rec.offset}) ${tr(KIND[rec.kind] ?? { ja: rec.kind, en: rec.kind }, 'en')}` }, lang);
      out += `<details class="record"><summary>${h(title)}${rec.record !== undefined ? ` ${h(rec.record)}` : ''}</summary><table><tbody>${rec.fields
        .map((f) => `<tr><th><code>${h(f.id)}</code></th><td>${h(f.name)}</td><td><code>${h(JSON.stringify(f.value))}</code></td></tr>`)
        .join('')}</tbody></table></details>`;
    }
  }
  return out;
}

export const LIAISON_VIEWS: Record<string, JobView> = {
  'liaison.import-answers': { title: { ja: '照会回答の取込', en: 'Import of inquiry answers' }, render: renderImport },
  'liaison.import-results': { title: { ja: '結果ファイルの取込', en: 'Import of a result file' }, render: renderImport },
  'liaison.import-statement': { title: { ja: '入出金取引明細の取込', en: 'Import of a bank statement' }, render: renderImport },
  'liaison.validate': { title: { ja: 'ファイル検査', en: 'File check' }, render: renderValidate },
};
