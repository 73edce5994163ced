/**
 * The cancel step (spec/cli.md `cancel`): a batch not yet written, or whose media
 * was never delivered, is cancelled; its taxpayers are free for a new extraction
 * (a cancelled batch is not open). Its file numbers are never reused. Every kind alike:
 * a cancelled inquiry does not count for --reinquire-after (inquiry-300.md).
 */
import { conflict } from '../../core/errors.js';
import { nowTokyoTimestamp } from '../../core/dates.js';
import type { Db } from '../../db/connection.js';
import { audit, currentOperator } from '../../db/audit.js';
import { getBatch, setBatchState } from '../../db/batches.js';
import { noSuchBatch } from '../../db/no-such-batch.js';
import { batchStateMsg, type BatchKind, type BatchState } from '../../domain/vocabulary.js';

export interface CancelResult {
  batch: string;
  /** seizure, inquiry or instruction: every kind is cancelled alike (cli.md) */
  kind: BatchKind;
  previousState: BatchState;
  requests: number;
  /** data records (instruction: the accounts that return to held) */
  records: number;
}

export function cancelBatch(db: Db, batchId: string, opts: { reason?: string; operator?: string } = {}): CancelResult {
  const operator = currentOperator(opts.operator);
  return db.transaction((): CancelResult => {
    const b = getBatch(db, batchId);
    if (!b) {
      throw noSuchBatch(batchId);
    }
    if (b.state !== 'extracted' && b.state !== 'written') {
      throw conflict('batch.wrong-state', {
        ja: `バッチ ${batchId} は状態「${batchStateMsg(b.state).ja}」のため取り消せません（取り消せるのは「抽出済」と、媒体を渡していない「媒体作成済」のみ）。`,
        en: `batch ${batchId} is '${batchStateMsg(b.state).en}' and cannot be cancelled (only extracted, or written with media never delivered).`,
      });
    }
    setBatchState(db, batchId, 'cancelled', nowTokyoTimestamp());
    audit(db, { action: 'batch.cancel', batchId, details: { kind: b.kind, previousState: b.state, reason: opts.reason ?? null, requests: b.requests, ...(b.kind === 'instruction' ? { seizureBatch: b.seizure_batch_id, records: b.records } : {}) } }, operator);
    return { batch: batchId, kind: b.kind, previousState: b.state, requests: b.requests, records: b.records };
  })();
}
