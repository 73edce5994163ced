/** The liaison's actions on a batch's page (server/index.ts shows them above the report): the upload of the file the batch waits for. */
import type { Msg } from '../../core/i18n.js';
import { mayDo } from '../../domain/users.js';
import { escapeHtml as h } from '../../report/html.js';
import { holdProgressOf } from '../../report/batches.js';
import { tr, type BatchActions } from '../http.js';
import { KIND_ACTION, type UploadKind } from './kinds.js';

export const LIAISON_BATCH_ACTIONS: BatchActions = ({ ctx, batch, user, lang }) => {
  let kind: UploadKind | undefined;
  let text: Msg | undefined;
  if (batch.kind === 'inquiry' && batch.state === 'written') {
    kind = 'answers';
    text = { ja: 'このバッチは銀行の照会回答を待っています。', en: 'This batch waits for the bank’s inquiry answers.' };
  } else if (batch.state === 'written') {
    kind = 'results';
    text = { ja: 'このバッチは銀行の結果ファイルを待っています。', en: 'This batch waits for the bank’s result file.' };
  } else if (batch.kind === 'seizure' && batch.state === 'results-imported' && (holdProgressOf(ctx.db, batch)?.instructed ?? 0) > 0) {
    kind = 'results';
    text = { ja: 'このバッチは取立・解除指示の結果ファイルを待っています。', en: 'This batch waits for the result of its collection/release instruction.' };
  }
  if (kind === undefined || text === undefined || !mayDo(user.role, KIND_ACTION[kind])) return '';
  const link = tr({ ja: '銀行ファイル取込へ', en: 'Upload it' }, lang);
  return `<p class="liaison-action">${h(tr(text, lang))} <a href="/liaison/upload?kind=${kind}">${h(link)}</a></p>`;
};
