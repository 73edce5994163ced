/**
 * inquire's producer on the second core (docs/adr/0189): reads the pages of the snapshot
 * the inquire transaction began from and posts each page's decision (page.ts: columnar
 * rows whose buffers are transferred, ADR 0101) to the consuming main thread, which
 * stores it.
 *
 * Snapshot rule: the consumer already holds the write lock (BEGIN IMMEDIATE) when this
 * worker starts, so the snapshot openSnapshotReader pins is exactly the committed state
 * the inquire transaction began from (see inquire.ts pageSource for why the pages read
 * the same rows as the inline path).
 */
import { buffersOf } from '../../core/rows.js';
import { runProducer, type ProducerContext } from '../../core/sync-worker.js';
import { openSnapshotReader } from '../../db/connection.js';
import { extractPageReader } from '../../db/batches.js';
import { inquirePageReader, paddedIdCollisions } from '../../db/inquiries.js';
import { inquirePages, type InquirePage, type InquirePageContext } from './page.js';

export interface InquireWorkerInput {
  file: string;
  page: InquirePageContext;
}

export default runProducer((ctx: ProducerContext<InquireWorkerInput, InquirePage>) => {
  const snapshot = openSnapshotReader(ctx.input.file);
  try {
    const db = snapshot.db;
    const pages = inquirePages({ people: inquirePageReader(db), pages: extractPageReader(db), collisions: paddedIdCollisions(db) }, ctx.input.page);
    for (let p = pages.next(); p !== undefined; p = pages.next()) {
      if (ctx.cancelled()) return;
      ctx.post(p, buffersOf(p.exclusions, p.people));
    }
  } finally {
    snapshot.end();
  }
});
