/**
 * Where the batch list sends each role for a batch's next step (the words are report/batches.ts
 * `batchNextStep`'s, the CLI's): the page of the area whose role does it. The cases follow
 * domain/vocabulary.ts `nextStepMsg` one by one (test/server/admin.test.ts checks that a link
 * exists exactly when a next step does).
 */
import type { BatchRow } from '../db/batches.js';
import type { Action } from '../domain/users.js';
import type { HoldProgress } from '../domain/vocabulary.js';

export interface NextStepLink {
  href: string;
  /** the role action the step needs: the link is shown to the roles that may */
  action: Action;
}

const batchPage = (id: string) => `/batches/${encodeURIComponent(id)}`;

/** The page of a batch's next step (null: no next step). */
export function nextStepLink(b: Pick<BatchRow, 'id' | 'kind' | 'state'>, holds?: HoldProgress): NextStepLink | null {
  const { id, kind, state } = b;
  if (state === 'cancelled' || state === 'closed') return null;
  // write: the forms on the batch's page (the collector's for requests, the accountant's for instructions)
  if (state === 'extracted') return { href: batchPage(id), action: kind === 'instruction' ? 'write-instruction' : 'write-request' };
  if (kind === 'inquiry') {
    if (state === 'written') return { href: '/liaison/upload?kind=answers', action: 'import-answers' };
    if (state === 'answered') return { href: '/collector/extract', action: 'extract' };
    return null;
  }
  if (state === 'written') return { href: '/liaison/upload?kind=results', action: 'import-results' };
  if (kind === 'instruction') return null;
  if (state === 'results-imported' && holds !== undefined && holds.instructable > 0) return { href: `/accountant/holds/${encodeURIComponent(id)}`, action: 'holds' };
  if (state === 'results-imported' && holds !== undefined && holds.instructed > 0) return { href: '/liaison/upload?kind=results', action: 'import-results' };
  // reconcile and export receipts: the accountant's forms on the batch's page
  if (state === 'results-imported') return { href: batchPage(id), action: 'reconcile' };
  if (state === 'reconciled') return { href: batchPage(id), action: 'export' };
  return null;
}
