/**
 * extract's producer on the second core (docs/adr/0056): reads the pages of the
 * snapshot the extract transaction began from and posts each page's evaluation
 * (page.ts: columnar rows whose buffers are transferred, ADR 0101) to the consuming
 * main thread, which stores it.
 *
 * Snapshot rule: the consumer already holds the write lock (BEGIN IMMEDIATE) when
 * this worker starts, so the snapshot openSnapshotReader pins is exactly the
 * committed state the extract transaction began from, and it never sees extract's
 * own inserts (see extract.ts for why that is correct).
 */
import { buffersOf } from '../../core/rows.js';
import { runProducer, type ProducerContext } from '../../core/sync-worker.js';
import { openSnapshotReader } from '../../db/connection.js';
import { extractPageReader } from '../../db/batches.js';
import { extractPages, type PageContext, type PageResult } from './page.js';

export interface ExtractWorkerInput {
  file: string;
  page: PageContext;
}

export default runProducer((ctx: ProducerContext<ExtractWorkerInput, PageResult>) => {
  const snapshot = openSnapshotReader(ctx.input.file);
  try {
    const pages = extractPages(extractPageReader(snapshot.db), ctx.input.page);
    for (let p = pages.next(); p !== undefined; p = pages.next()) {
      if (ctx.cancelled()) return;
      ctx.post(p, buffersOf(p.exclusions, p.requests, p.debts, p.records));
    }
  } finally {
    snapshot.end();
  }
});
