/**
 * The one error for a batch id that does not exist (write, cancel, reconcile, report,
 * export): a usage error (exit 2, cli.md) — the argument is wrong, nothing about the
 * state — with one stable code and one message that says what to do.
 *
 * And the one error for a batch of the wrong kind (cli.md: "A command given a batch of
 * the wrong kind … exits 4 naming the kind"), with `requireKind`, the check every
 * command that takes one kind of batch makes first.
 */
import { conflict, usageError, type AppError } from '../core/errors.js';
import { batchKindMsg, type BatchKind } from '../domain/vocabulary.js';
import { batchKindOf, getBatch, type BatchRow } from './batches.js';
import type { Db } from './connection.js';

export function noSuchBatch(batchId: string): AppError {
  return usageError('batch.not-found', {
    ja: `バッチ ${batchId} はありません。extract の出力にあるバッチID（例: 0184-00000001）を指定してください。一覧は sashiosae batches で見られます。`,
    en: `there is no batch ${batchId}; give a batch id printed by extract (e.g. 0184-00000001); sashiosae batches lists them.`,
  });
}

/** What to do with a batch of each kind instead (the next step it needs). */
const INSTEAD: Readonly<Record<BatchKind, { ja: string; en: string }>> = {
  seizure: { ja: '差押バッチは write → import results → reconcile → export receipts で進めます', en: 'a seizure batch goes write → import results → reconcile → export receipts' },
  inquiry: { ja: '預金照会バッチは write → import answers → extract（回答からの差押抽出）で進めます', en: 'an inquiry batch goes write → import answers → extract (seizure from the answers)' },
  instruction: { ja: '取立指示バッチは write → import results で進めます', en: 'an instruction batch goes write → import results' },
};

/** exit 4 `batch.wrong-kind`: `command` cannot take a batch of this kind. */
export function wrongKind(batchId: string, kind: string, command: string, expected: readonly BatchKind[] = ['seizure']): AppError {
  const k = batchKindMsg(kind);
  const want = { ja: expected.map((e) => batchKindMsg(e).ja).join('・'), en: expected.map((e) => batchKindMsg(e).en).join(', ') };
  const instead = (INSTEAD as Record<string, { ja: string; en: string }>)[kind];
  return conflict('batch.wrong-kind', {
    ja: `バッチ ${batchId} は${k.ja}バッチです。${command} にはできません（${want.ja}バッチのみ）。${instead?.ja ?? ''}`,
    en: `batch ${batchId} is a ${k.en} batch; ${command} takes only ${want.en} batches. ${instead?.en ?? ''}`.trimEnd(),
  });
}

/** The batch must exist (else exit 2) and be of one of `expected` kinds (else exit 4). */
export function requireKind(db: Db, batchId: string, command: string, expected: readonly BatchKind[] = ['seizure']): BatchKind {
  const kind = batchKindOf(db, batchId);
  if (kind === undefined) throw noSuchBatch(batchId);
  if (!expected.includes(kind)) throw wrongKind(batchId, kind, command, expected);
  return kind;
}

/**
 * The batch must be a seizure batch written with 取立区分 2 (取立保留): `holds BATCH` and
 * `instruct BATCH` (cli.md: "`instruct` of an immediate batch … exits 4 naming the kind").
 * Exit 2 for no such batch, exit 4 for another kind or an immediate seizure batch.
 */
export function requireDeferredSeizure(db: Db, batchId: string, command: string): BatchRow {
  requireKind(db, batchId, command, ['seizure']);
  const b = getBatch(db, batchId) as BatchRow;
  if (b.collection_mode !== 'deferred') {
    throw conflict('batch.not-deferred', {
      ja: `バッチ ${batchId} は即時取立（取立区分 1）の差押バッチです。${command} にできるのは取立保留（取立区分 2、extract --collection deferred）の差押バッチのみです。即時取立のバッチは取立済みで、指示するものはありません。`,
      en: `batch ${batchId} is an immediate (取立区分 1) seizure batch; ${command} takes only deferred (取立区分 2, extract --collection deferred) seizure batches. An immediate batch is already collected; there is nothing to instruct.`,
    });
  }
  return b;
}
