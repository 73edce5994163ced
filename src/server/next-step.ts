/**
 * Where the batch list sends each role for a batch's next step, in the pages' words (the CLI's
 * `batches` names the command: report/batches.ts `batchNextStep`), with the role that does it. The cases follow
 * domain/vocabulary.ts `nextStepMsg` one by one (test/server/admin.test.ts checks that a link
 * exists exactly when a next step does).
 */
import type { BatchRow } from '../db/batches.js';
import type { Action } from '../domain/users.js';
import type { HoldProgress } from '../domain/vocabulary.js';
import type { Msg } from '../core/i18n.js';

export interface NextStepLink {
  href: string;
  /** the role action the step needs: the link is shown to the roles that may */
  action: Action;
  /** the step in the words of the pages (the CLI's name a command), with the role that does it */
  label: Msg;
}

const COLLECTOR = { ja: '徴収担当', en: 'collector' };
const LIAISON = { ja: '金融機関連絡担当', en: 'bank liaison' };
const ACCOUNTANT = { ja: '会計担当', en: 'accountant' };
const step = (href: string, action: Action, what: Msg, who: Msg): NextStepLink => ({ href, action, label: { ja: `${what.ja}（${who.ja}）`, en: `${what.en} (${who.en})` } });

const batchPage = (id: string) => `/batches/${encodeURIComponent(id)}`;

/** The page of a batch's next step (null: no next step). */
export function nextStepLink(b: Pick<BatchRow, 'id' | 'kind' | 'state'>, holds?: HoldProgress): NextStepLink | null {
  const { id, kind, state } = b;
  if (state === 'cancelled' || state === 'closed') return null;
  // write: the forms on the batch's page (the collector's for requests, the accountant's for instructions)
  if (state === 'extracted')
    return kind === 'instruction'
      ? step(batchPage(id), 'write-instruction', { ja: '指示ファイルの書出し', en: 'write the instruction file' }, ACCOUNTANT)
      : step(batchPage(id), 'write-request', { ja: '依頼ファイルの書出し', en: 'write the request files' }, COLLECTOR);
  if (kind === 'inquiry') {
    if (state === 'written') return step('/liaison/upload?kind=answers', 'import-answers', { ja: '照会回答の取込', en: 'import the answers' }, LIAISON);
    if (state === 'answered') return step('/collector/extract', 'extract', { ja: '回答からの差押対象の抽出', en: 'extract from the answers' }, COLLECTOR);
    return null;
  }
  if (state === 'written') return step('/liaison/upload?kind=results', 'import-results', { ja: '結果ファイルの取込', en: 'import the result files' }, LIAISON);
  if (kind === 'instruction') return null;
  if (state === 'results-imported' && holds !== undefined && holds.instructable > 0)
    return step(`/accountant/holds/${encodeURIComponent(id)}`, 'holds', { ja: '取立保留の確認と取立・解除の指示', en: 'review the held seizures, instruct' }, ACCOUNTANT);
  if (state === 'results-imported' && holds !== undefined && holds.instructed > 0)
    return step('/liaison/upload?kind=results', 'import-results', { ja: '取立指示の結果の取込', en: 'import the instruction result' }, LIAISON);
  // reconcile and export receipts: the accountant's forms on the batch's page
  if (state === 'results-imported') return step(batchPage(id), 'reconcile', { ja: '消込', en: 'reconcile' }, ACCOUNTANT);
  if (state === 'reconciled') return step(batchPage(id), 'export', { ja: '収納データの出力', en: 'export the receipts' }, ACCOUNTANT);
  return null;
}
