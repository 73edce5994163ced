/**
 * Reconcile's producer on the second core (ADR 0054): reads the snapshot the step's
 * transaction began from and posts each page's bookings (src/steps/reconcile/pages.ts)
 * while the step inserts the previous ones.
 */
import { buffersOf } from '../../core/rows.js';
import { runProducer, type ProducerContext } from '../../core/sync-worker.js';
import { openSnapshotReader } from '../../db/connection.js';
import { getPolicy } from '../../domain/allocation.js';
import { allocatePages, type PageBookings } from './pages.js';

export interface ReconcileWorkerInput {
  file: string;
  batchId: string;
  policy: string;
  pageSize: number;
  /** a 取立保留 batch: collections from its instruction results */
  deferred?: boolean;
}

export default runProducer((ctx: ProducerContext<ReconcileWorkerInput, PageBookings>) => {
  const { file, batchId, pageSize } = ctx.input;
  const policy = getPolicy(ctx.input.policy);
  if (policy === undefined) throw new Error(`unknown policy ${ctx.input.policy}`);
  const snap = openSnapshotReader(file);
  try {
    for (const page of allocatePages(snap.db, batchId, policy, pageSize, true, ctx.input.deferred === true)) {
      if (ctx.cancelled()) return;
      ctx.post(page, buffersOf(page.receipts, page.overpayments, page.byDate));
    }
  } finally {
    snap.end();
  }
});
