/** The accountant's own pages: the holds by batch, a batch's holds review, the batches ready to reconcile. */
import type { Lang, Msg } from '../../core/i18n.js';
import type { AppError } from '../../core/errors.js';
import { maskAccount } from '../../core/mask.js';
import { yen } from '../../core/yen.js';
import type { BatchRow } from '../../db/batches.js';
import type { UserInfo } from '../../db/users.js';
import { HOLD_STATES, holdStateMsg, isInstructable } from '../../domain/hold.js';
import { batchStateMsg } from '../../domain/vocabulary.js';
import { escapeHtml as h } from '../../report/html.js';
import type { HoldsResult } from '../../steps/holds/index.js';
import { recordKey } from '../../steps/instruct/index.js';
import { tr } from '../http.js';
import { errorSection, layout } from '../pages.js';
import { reconcileForm } from './batch-actions.js';

const bl = (id: string) => `<a href="/batches/${encodeURIComponent(id)}">${h(id)}</a>`;

/** GET /accountant/holds: each deferred seizure batch not yet reconciled, with its holds counted by state. */
export function holdsListPage(r: HoldsResult, lang: Lang, user: UserInfo, csrf: string): string {
  const t = (m: Msg) => h(tr(m, lang));
  const byBatch = new Map<string, Record<string, number>>();
  for (const row of r.rows) {
    let c = byBatch.get(row.batchId);
    if (c === undefined) byBatch.set(row.batchId, (c = Object.fromEntries(HOLD_STATES.map((s) => [s, 0]))));
    c[row.state] = (c[row.state] ?? 0) + 1;
  }
  const body =
    byBatch.size === 0
      ? `<p>${t({ ja: '取立保留中の差押はありません。', en: 'No held seizures.' })}</p>`
      : `<table><thead><tr><th>${t({ ja: '差押バッチ', en: 'Seizure batch' })}</th>${HOLD_STATES.map((s) => `<th>${t(holdStateMsg(s))}</th>`).join('')}<th></th></tr></thead><tbody>${[...byBatch]
          .map(([id, c]) => `<tr><td>${bl(id)}</td>${HOLD_STATES.map((s) => `<td class="n" data-state="${s}">${h(c[s] ?? 0)}</td>`).join('')}<td><a href="/accountant/holds/${encodeURIComponent(id)}">${t({ ja: '確認・指示', en: 'review' })}</a></td></tr>`)
          .join('')}</tbody></table>`;
  return layout(tr({ ja: '取立保留', en: 'Holds' }, lang), `<h1>${t({ ja: '取立保留', en: 'Holds' })}</h1>${body}`, lang, { user, csrf, here: '/accountant/holds' });
}

export interface ReviewForm {
  date: string;
  dryRun: boolean;
  /** collect.<依頼番号-枝番> as posted */
  collect: Record<string, string>;
}

/**
 * GET /accountant/holds/:batch: one row per held account (依頼番号-枝番, 宛名番号, bank and
 * branch, the account masked, 差押金額, protected amount at inquiry, proposal, state) and,
 * for each account an instruct would cover, its 取立指示額 prefilled with the proposal.
 */
export function holdsReviewPage(batch: BatchRow, r: HoldsResult, lang: Lang, user: UserInfo, csrf: string, form?: ReviewForm, error?: AppError | Error): string {
  const t = (m: Msg) => h(tr(m, lang));
  const id = batch.id;
  const open = r.rows.filter((x) => isInstructable(x.state));
  const rows = r.rows
    .map((x) => {
      const key = recordKey(x.requestNumber, x.subNumber);
      const value = form?.collect[key] ?? String(x.proposal);
      const input = isInstructable(x.state)
        ? `<label class="inline"><span class="skip">${h(key)} ${t({ ja: '取立指示額（円）', en: 'collect (yen)' })}</span> <input name="collect.${h(key)}" value="${h(value)}" inputmode="numeric" pattern="[0-9]*" size="10"></label>`
        : (x.instruction === null ? "—" : h(yen(x.instruction.collect)));
      return `<tr data-record="${h(key)}"><td>${h(key)}</td><td>${h(x.atena)}</td><td>${h(batch.bank_code)}-${h(x.branchCode)}</td><td>${h(maskAccount(x.accountNumber))}</td><td class="n">${h(yen(x.seized))}</td><td class="n">${h(yen(x.protectedAmount))}</td><td class="n" data-proposal="${h(x.proposal)}">${h(yen(x.proposal))}</td><td>${t(holdStateMsg(x.state))}</td><td class="n">${input}</td></tr>`;
    })
    .join('');
  const table = `<table class="holds"><thead><tr>${[
    { ja: '依頼番号-枝番', en: 'Request-sub' },
    { ja: '宛名番号', en: 'Taxpayer' },
    { ja: '金融機関-支店', en: 'Bank-branch' },
    { ja: '口座', en: 'Account' },
    { ja: '差押金額', en: 'Seized' },
    { ja: '保護額（照会時）', en: 'Protected at inquiry' },
    { ja: '取立提案額', en: 'Proposal' },
    { ja: '状態', en: 'State' },
    { ja: '取立指示額（円）', en: 'Collect (yen)' },
  ]
    .map((m) => `<th>${t(m)}</th>`)
    .join('')}</tr></thead><tbody>${rows}</tbody></table>`;
  const totals = `<p>${HOLD_STATES.filter((s) => r.counts[s].records > 0)
    .map((s) => t({ ja: `${holdStateMsg(s).ja} ${r.counts[s].records}件（差押金額 ${yen(r.counts[s].seized)}、取立提案額 ${yen(r.proposals[s])}）`, en: `${holdStateMsg(s).en}: ${r.counts[s].records} (seized ${yen(r.counts[s].seized)}, proposal ${yen(r.proposals[s])})` }))
    .join('<br>')}</p>`;
  const err = error === undefined ? '' : `<section class="error">${errorSection(error, lang)}<p>${t({ ja: '何も保存していません。', en: 'Nothing was stored.' })}</p></section>`;
  const submit =
    open.length === 0
      ? `<p>${t({ ja: '指示する口座はありません（すべて指示済・取立済・解除済）。', en: 'Nothing left to instruct (every hold is instructed, collected or released).' })}</p>`
      : `<label>${t({ ja: '指示日（営業日、差押執行日以降・今日以降）', en: 'Instruction date (a business day, on or after the execution date and today)' })} <input type="date" name="date" required value="${h(form?.date ?? '')}"></label>
<label><input type="checkbox" name="dryRun" value="1"${form?.dryRun === true ? ' checked' : ''}> ${t({ ja: '試算のみ（保存しない）', en: 'Dry run (store nothing)' })}</label>
<button type="submit">${t({ ja: '取立・解除指示を作る', en: 'Make the instruction' })}</button>`;
  const body = `<h1>${t({ ja: `取立保留の確認と指示: ${id}`, en: `Holds review: ${id}` })}</h1>
<p>${t({ ja: `差押バッチ ${id}（状態「${batchStateMsg(batch.state).ja}」、執行日 ${batch.execution_date}）。取立指示額は提案額（差押金額 − 照会時の保護額）で入っています。変えた口座だけが提案額からの変更として記録されます。0 は全額解除です。`, en: `Seizure batch ${id} ('${batchStateMsg(batch.state).en}', execution date ${batch.execution_date}). Each collect amount starts at its proposal (seized − protected at inquiry); only the ones you change are recorded as changes from the proposal; 0 releases the account entirely.` })} ${bl(id)}</p>
${err}<form method="post" action="/accountant/holds/${encodeURIComponent(id)}/instruct"><input type="hidden" name="_csrf" value="${h(csrf)}">
${table}${totals}${submit}</form>`;
  return layout(tr({ ja: `取立保留 ${id}`, en: `Holds ${id}` }, lang), body, lang, { user, csrf, here: `/accountant/holds/${encodeURIComponent(id)}` });
}

/** GET /accountant/reconcile: the seizure batches whose results are in, each with the reconcile form. */
export function reconcileListPage(batches: readonly BatchRow[], lang: Lang, user: UserInfo, csrf: string): string {
  const t = (m: Msg) => h(tr(m, lang));
  const body =
    batches.length === 0
      ? `<p>${t({ ja: '消込を待つ差押バッチはありません（結果を取り込むと並びます）。', en: 'No seizure batch awaits reconcile (import results first).' })}</p>`
      : `<table><thead><tr><th>${t({ ja: '差押バッチ', en: 'Seizure batch' })}</th><th>${t({ ja: '取立区分', en: 'Collection' })}</th><th>${t({ ja: '執行日', en: 'Execution date' })}</th><th></th></tr></thead><tbody>${batches
          .map((b) => `<tr><td>${bl(b.id)}</td><td>${t(b.collection_mode === 'deferred' ? { ja: '取立保留', en: 'deferred' } : { ja: '即時取立', en: 'immediate' })}</td><td>${h(b.execution_date)}</td><td>${reconcileForm(b.id, csrf, lang)}</td></tr>`)
          .join('')}</tbody></table>`;
  return layout(tr({ ja: '消込', en: 'Reconcile' }, lang), `<h1>${t({ ja: '消込', en: 'Reconcile' })}</h1>${body}`, lang, { user, csrf, here: '/accountant/reconcile' });
}
