/**
 * The accountant's actions on a batch's page (server/index.ts shows them above the report):
 * an instruction batch the write step accepts: write it; a deferred seizure batch: its holds
 * review; a seizure batch whose results are in: reconcile; every batch: the report as
 * downloads; a reconciled one: export receipts; the documents its state allows.
 */
import type { Lang, Msg } from '../../core/i18n.js';
import { POLICIES } from '../../domain/allocation.js';
import { mayDo } from '../../domain/users.js';
import { escapeHtml as h } from '../../report/html.js';
import { countDocumentable } from '../../db/documents.js';
import { kindsAllowed } from '../../steps/documents/index.js';
import { tr, type BatchActions, type ServerContext } from '../http.js';
import { destinationFields } from '../media.js';
import { DOCUMENT_LABELS } from './views.js';

const hidden = (csrf: string) => `<input type="hidden" name="_csrf" value="${h(csrf)}">`;

export function writeForm(ctx: ServerContext, id: string, csrf: string, lang: Lang): string {
  const t = (m: Msg) => h(tr(m, lang));
  return `<form method="post" action="/accountant/batches/${encodeURIComponent(id)}/write" id="write">${hidden(csrf)}
<fieldset><legend>${t({ ja: '取立指示ファイルを書き出す（write）', en: 'Write the instruction files' })}</legend>
${destinationFields(ctx, lang, { ja: 'ダウンロードする（指示ファイル・マニフェスト・合計表）', en: 'Download them (instruction file, manifest, totals sheet)' })}
<button type="submit">${t({ ja: '書き出す', en: 'Write' })}</button></fieldset></form>`;
}

export function reconcileForm(id: string, csrf: string, lang: Lang): string {
  const t = (m: Msg) => h(tr(m, lang));
  return `<form method="post" action="/accountant/batches/${encodeURIComponent(id)}/reconcile">${hidden(csrf)}
<fieldset><legend>${t({ ja: '消込する（reconcile）', en: 'Reconcile' })}</legend>
<label>${t({ ja: '充当ポリシー', en: 'Allocation policy' })} <select name="policy">${POLICIES.map((p, i) => `<option value="${h(p.name)}"${i === 0 ? ' selected' : ''}>${h(p.name)}</option>`).join('')}</select></label>
<button type="submit">${t({ ja: '消込する', en: 'Reconcile' })}</button></fieldset></form>`;
}

export const ACCOUNTANT_BATCH_ACTIONS: BatchActions = ({ ctx, batch, user, csrf, lang }) => {
  const t = (m: Msg) => h(tr(m, lang));
  const may = (a: Parameters<typeof mayDo>[1]) => mayDo(user.role, a);
  const id = encodeURIComponent(batch.id);
  const out: string[] = [];
  if (batch.kind === 'instruction' && (batch.state === 'extracted' || batch.state === 'written') && may('write-instruction')) out.push(writeForm(ctx, batch.id, csrf, lang));
  if (batch.kind === 'seizure' && batch.collection_mode === 'deferred' && may('holds')) out.push(`<p><a href="/accountant/holds/${id}">${t({ ja: '取立保留の確認と指示', en: 'Review and instruct the holds' })}</a></p>`);
  if (batch.kind === 'seizure' && batch.state === 'results-imported' && may('reconcile')) out.push(reconcileForm(batch.id, csrf, lang));
  if (batch.state !== 'cancelled' && may('export')) {
    const links = [
      [`report.csv`, { ja: '報告 CSV', en: 'report CSV' }],
      ...(batch.kind === 'seizure' ? [[`report.xlsx`, { ja: '報告 Excel', en: 'report workbook' }] as const] : []),
      [`report.html`, { ja: '報告 HTML', en: 'report HTML' }],
    ] as const;
    out.push(`<p class="downloads">${links.map(([f, m]) => `<a href="/accountant/batches/${id}/${f}" download>${t(m)}</a>`).join(' ')}</p>`);
  }
  if (batch.kind === 'seizure' && (batch.state === 'reconciled' || batch.state === 'closed') && may('export')) {
    out.push(`<form method="post" action="/accountant/batches/${id}/export">${hidden(csrf)}
<fieldset><legend>${t({ ja: '収納データを出力する（export receipts）', en: 'Export receipts' })}</legend>
<label><input type="radio" name="format" value="csv" checked> CSV</label>
<label><input type="radio" name="format" value="xlsx"> Excel (xlsx)</label>
<label>${t({ ja: 'CSV の文字コード', en: 'CSV encoding' })} <select name="encoding"><option value="utf8bom" selected>UTF-8 (BOM)</option><option value="cp932">Shift_JIS (cp932)</option></select></label>
<button type="submit">${t({ ja: '出力する', en: 'Export' })}</button></fieldset></form>`);
  }
  const kinds = batch.kind === 'seizure' ? kindsAllowed(batch.state) : [];
  if (kinds.length > 0 && may('documents')) {
    out.push(`<form method="post" action="/accountant/batches/${id}/documents">${hidden(csrf)}
<fieldset><legend>${t({ ja: '法定帳票を作る（documents）', en: 'Legal documents' })}</legend>
${kinds
  .map((k) => {
    // a kind with nothing to print (e.g. release notices of a batch nothing was released from) is offered unchecked: checked, the step refuses the whole request
    const none = countDocumentable(ctx.db, batch.id, k) === 0;
    return `<label><input type="checkbox" name="kind" value="${h(k)}"${none ? '' : ' checked'}> ${t(DOCUMENT_LABELS[k])}${none ? t({ ja: '（該当なし）', en: ' (none in this batch)' }) : ''}</label>`;
  })
  .join('\n')}
<label><input type="checkbox" name="draft" value="1"> ${t({ ja: '見本として作る（執行機関・徴収職員の設定がなくてもよい）', en: 'as samples (見本; authority and collector settings may be missing)' })}</label>
<button type="submit">${t({ ja: '作る', en: 'Make' })}</button></fieldset></form>`);
  }
  return out.join('\n');
};
