/**
 * The one error for a batch id that does not exist (write, cancel, reconcile, report,
 * export): a usage error (exit 2, cli.md) — the argument is wrong, nothing about the
 * state — with one stable code and one message that says what to do.
 */
import { usageError, type AppError } from '../core/errors.js';

export function noSuchBatch(batchId: string): AppError {
  return usageError('batch.not-found', {
    ja: `バッチ ${batchId} はありません。extract の出力にあるバッチID（例: 0184-00000001）を指定してください。一覧は sashiosae batches で見られます。`,
    en: `there is no batch ${batchId}; give a batch id printed by extract (e.g. 0184-00000001); sashiosae batches lists them.`,
  });
}
