/**
 * The batches list as `batches --json` (cli.md) and the next step each batch needs: one
 * builder for the CLI (`sashiosae batches`) and the web application (`GET /api/batches`,
 * the page `/`), so the two cannot drift.
 */
import type { Db } from '../db/connection.js';
import { listBatches, seizureBatchSince, type BatchRow } from '../db/batches.js';
import { holdCounts, holdRows } from '../db/holds.js';
import { nextStepMsg, type HoldProgress } from '../domain/vocabulary.js';
import type { Msg } from '../core/i18n.js';

export interface BatchesJson {
  batches: Array<{
    id: string;
    kind: string;
    bankCode: string;
    state: string;
    executionDate: string;
    collection: string | null;
    requests: number;
    records: number;
    limitTotal: number | null;
    createdAt: string;
  }>;
}

/** The document of `batches --json` for these rows (newest first, every kind). */
export function batchesJson(rows: readonly BatchRow[]): BatchesJson {
  return {
    batches: rows.map((b) => ({
      id: b.id,
      kind: b.kind,
      bankCode: b.bank_code,
      state: b.state,
      executionDate: b.execution_date,
      collection: b.kind === 'seizure' ? b.collection_mode : null,
      requests: b.requests,
      records: b.records,
      limitTotal: b.kind === 'seizure' ? b.limit_total : null,
      createdAt: b.created_at,
    })),
  };
}

/** `batches --json` from the database. */
export function buildBatchesJson(db: Db): BatchesJson {
  return batchesJson(listBatches(db));
}

/** A 取立保留 seizure batch whose results are in: its holds' progress (instruct before reconciling). */
export function holdProgressOf(db: Db, b: BatchRow): HoldProgress | undefined {
  if (b.kind !== 'seizure' || b.collection_mode !== 'deferred' || b.state !== 'results-imported') return undefined;
  const c = holdCounts(holdRows(db, b.id));
  return { instructable: c.held.records + c['not-done'].records, instructed: c.instructed.records };
}

/**
 * The next step a batch needs (null: none), with the holds' progress of a 取立保留 batch. An
 * answered inquiry batch whose bank has had a seizure batch made since it was answered has
 * been extracted from: it needs nothing more.
 */
export function batchNextStep(db: Db, b: BatchRow): Msg | null {
  if (b.kind === 'inquiry' && b.state === 'answered' && seizureBatchSince(db, b.bank_code, b.updated_at)) return null;
  return nextStepMsg(b.kind, b.state, b.kind === 'seizure' ? holdProgressOf(db, b) : undefined);
}
