/**
 * write's encoder on the second core (docs/adr/0190-write-encoder-second-core.md): reads
 * every other range of one file's record keys from a snapshot of the database and encodes
 * their data records with the batch kind's record source (kinds.ts, the same `data()` the
 * one-thread path runs) into one chunk of bytes per range, transferred to the writing
 * thread — which encodes the ranges in between itself, and adds separators, totals and
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
import { keyRange, kindWriter } from './kinds.js';

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
  /** record keys per range (KeyRange): the file's keys split into ranges of this many */
  chunkKeys: number;
  /** this worker encodes every `stride`-th range from range `start` (0-based), one item per range, in order */
  start: number;
  stride: number;
}


export default runProducer((ctx: ProducerContext<EncodeInput, EncodedRecords>) => {
  const { file, batchId, fileSeq, layoutFile, today, chunkKeys, start, stride } = ctx.input;
  const snapshot = openSnapshotReader(file);
  try {
    const batch = getBatch(snapshot.db, batchId);
    const f = batchFiles(snapshot.db, batchId).find((r) => r.seq === fileSeq);
    const kw = batch === undefined ? undefined : kindWriter(batch.kind);
    if (batch === undefined || f === undefined || kw === undefined) throw new Error(`write encoder: batch ${batchId} file ${fileSeq} not found`);
    const layout = loadLayout(layoutFile);
    const enc = new DataRecordEncoder(layout, chunkKeys, today, (c) => ctx.post(c, [c.bytes.buffer as ArrayBuffer, c.recs.buffer as ArrayBuffer]), ctx.recycled);
    for (let i = start; ; i += stride) {
      const keys = keyRange(f.first_request, f.last_request, chunkKeys, i);
      if (keys === null) break;
      kw.data(snapshot.db, enc, layout, batch, f, keys);
      enc.flush(); // one item per range, even an empty one
    }
  } finally {
    snapshot.end();
  }
});
