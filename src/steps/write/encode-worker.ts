/**
 * write's encoder on the second core (docs/adr/0190-write-encoder-second-core.md): reads
 * one file's data records from a snapshot of the database and encodes them with the
 * batch kind's record source (kinds.ts, the same `data()` the one-thread path runs) into
 * chunks of bytes, transferred to the writing thread, which adds separators, totals and
 * the hash and writes the file (SyncRecordWriter.writeEncoded).
 *
 * Snapshot: write changes no row a record source reads (request records, inquiries,
 * instruction records are fixed once extracted; write stores only file names, hashes and
 * the batch state, after every file is written), so the snapshot's records are the ones
 * the main connection would read. Nothing here is logged.
 */
import { runProducer, type ProducerContext } from '../../core/sync-worker.js';
import { openSnapshotReader } from '../../db/connection.js';
import { batchFiles, getBatch } from '../../db/batches.js';
import { DataRecordEncoder, type EncodedRecords } from '../../file/writer.js';
import { loadLayout } from '../../layout/load.js';
import { kindWriter } from './kinds.js';

export interface EncodeInput {
  /** the database file */
  file: string;
  batchId: string;
  /** batch_files.seq of the file to encode */
  fileSeq: number;
  /** the layout's XML file (Layout.file), loaded here as the main thread loaded it */
  layoutFile: string;
  /** the writer's date for 和暦 checks */
  today: string;
  /** data records per chunk */
  chunkRecords: number;
}

export default runProducer((ctx: ProducerContext<EncodeInput, EncodedRecords>) => {
  const { file, batchId, fileSeq, layoutFile, today, chunkRecords } = ctx.input;
  const snapshot = openSnapshotReader(file);
  try {
    const batch = getBatch(snapshot.db, batchId);
    const f = batchFiles(snapshot.db, batchId).find((r) => r.seq === fileSeq);
    const kw = batch === undefined ? undefined : kindWriter(batch.kind);
    if (batch === undefined || f === undefined || kw === undefined) throw new Error(`write encoder: batch ${batchId} file ${fileSeq} not found`);
    const layout = loadLayout(layoutFile);
    const enc = new DataRecordEncoder(layout, chunkRecords, today, (c) => ctx.post(c, [c.bytes.buffer as ArrayBuffer, c.recs.buffer as ArrayBuffer]), ctx.recycled);
    kw.data(snapshot.db, enc, layout, batch, f);
    enc.flush();
  } finally {
    snapshot.end();
  }
});
