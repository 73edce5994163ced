/**
 * The collector's actions on a batch's page (server/index.ts shows them above the report): the
 * batch's files (batch_files: names, numbers, written or not) and its next step, the write form
 * for an inquiry or seizure batch the write step accepts, and the cancel form.
 */
import type { Msg } from '../../core/i18n.js';
import { count } from '../../core/table.js';
import { yen } from '../../core/yen.js';
import { batchFiles } from '../../db/batches.js';
import { mayDo } from '../../domain/users.js';
import { batchNextStep } from '../../report/batches.js';
import { escapeHtml as h } from '../../report/html.js';
import { tr, type BatchActions } from '../http.js';
import { destinationFields } from '../media.js';

/** Kinds the collector writes (an instruction batch is the accountant's: write-instruction). */
export const COLLECTOR_WRITE_KINDS: readonly string[] = ['inquiry', 'seizure'];
/** States the write step accepts (extracted; written: to write again and re-check). */
export const WRITABLE_STATES: readonly string[] = ['extracted', 'written'];
/** States the cancel step accepts. */
export const CANCELLABLE_STATES: readonly string[] = ['extracted', 'written'];

export const COLLECTOR_BATCH_ACTIONS: BatchActions = ({ ctx, batch, user, csrf, lang }) => {
  const mayWrite = mayDo(user.role, 'write-request');
  const mayCancel = mayDo(user.role, 'cancel');
  if (!mayWrite && !mayCancel) return '';
  const t = (m: Msg) => h(tr(m, lang));
  const id = encodeURIComponent(batch.id);
  let out = '';

  const next = batchNextStep(ctx.db, batch);
  if (next !== null) out += `<p>${t({ ja: '次の手順', en: 'Next step' })}: <strong data-next-step>${t(next)}</strong></p>`;

  const files = batchFiles(ctx.db, batch.id);
  if (files.length > 0) {
    const head: Msg[] = [
      { ja: 'ファイル番号', en: 'File number' },
      { ja: 'ファイル名', en: 'File name' },
      { ja: '依頼番号', en: 'Requests' },
      { ja: 'レコード', en: 'Records' },
      ...(batch.kind === 'seizure' ? [{ ja: '差押限度額合計', en: 'Limit total' }] : []),
      { ja: '状態', en: 'State' },
      { ja: 'SHA-256', en: 'SHA-256' },
    ];
    const rows = files.map((f) => {
      const state: Msg = f.written_at === null ? { ja: '未書出し', en: 'not written' } : { ja: `書出し済（${f.written_at}、${count(f.bytes ?? 0)} バイト）`, en: `written (${f.written_at}, ${count(f.bytes ?? 0)} bytes)` };
      return `<tr><td class="n">${h(f.file_number)}</td><td>${h(f.file_name ?? '—')}</td><td class="n">${h(f.first_request)}–${h(f.last_request)}</td><td class="n">${h(count(f.records))}</td>${batch.kind === 'seizure' ? `<td class="n">${h(yen(f.limit_total))}</td>` : ''}<td>${t(state)}</td><td><code>${h(f.sha256 ?? '')}</code></td></tr>`;
    });
    out += `<h3>${t({ ja: 'このバッチのファイル', en: 'Files of this batch' })}</h3><table class="batch-files"><thead><tr>${head.map((m) => `<th>${t(m)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }

  if (mayWrite && COLLECTOR_WRITE_KINDS.includes(batch.kind) && WRITABLE_STATES.includes(batch.state)) {
    out += `<form method="post" action="/collector/batches/${id}/write" class="write">
<input type="hidden" name="_csrf" value="${h(csrf)}">
<fieldset><legend>${t({ ja: '依頼ファイルを書き出す（読み戻して検証）', en: 'Write the request file(s) (read back and verified)' })}</legend>
${destinationFields(ctx, lang, { ja: 'ダウンロード（依頼ファイル・マニフェスト・合計表）', en: 'Download (request files, manifest, totals sheet)' })}
<button type="submit">${t({ ja: '書き出す', en: 'Write' })}</button>
</fieldset></form>`;
  }

  if (mayCancel && CANCELLABLE_STATES.includes(batch.state)) {
    out += `<form method="post" action="/collector/batches/${id}/cancel" class="cancel">
<input type="hidden" name="_csrf" value="${h(csrf)}">
<fieldset><legend>${t({ ja: 'このバッチを取り消す', en: 'Cancel this batch' })}</legend>
<label>${t({ ja: '取消理由（監査ログに記録）', en: 'Reason (kept in the audit log)' })} <input name="reason" maxlength="500"></label>
<label><input type="checkbox" name="confirm" value="1" required> ${t({ ja: '取り消します。媒体に書いたファイルがあれば破棄します。', en: 'Cancel it; any media written for it will be destroyed.' })}</label>
<button type="submit">${t({ ja: '取り消す', en: 'Cancel batch' })}</button>
</fieldset></form>`;
  }
  return out;
};
