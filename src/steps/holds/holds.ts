/**
 * `holds [BATCH]` (cli.md, instruction-120.md): the held seizures (取立保留) of one
 * deferred seizure batch, or of every deferred seizure batch not yet reconciled, with
 * their state and totals per state. The rows are db/holds.ts's (one definition of what
 * is held); this step only checks the batch and counts.
 */
import type { Db } from '../../db/connection.js';
import { holdCounts, holdRows, type HoldCounts, type HoldRow } from '../../db/holds.js';
import { requireDeferredSeizure } from '../../db/no-such-batch.js';

export interface HoldsResult {
  rows: HoldRow[];
  counts: HoldCounts;
  /** proposal total of the rows per state (the 取立指示額 an instruct would default to) */
  proposals: Record<HoldRow['state'], number>;
}

/** BATCH of another kind or an immediate batch: exit 4; no such batch: exit 2. */
export function listHolds(db: Db, seizureBatchId?: string): HoldsResult {
  if (seizureBatchId !== undefined) requireDeferredSeizure(db, seizureBatchId, 'holds');
  const rows = holdRows(db, seizureBatchId);
  const proposals: HoldsResult['proposals'] = { held: 0, instructed: 0, collected: 0, released: 0, 'not-done': 0 };
  for (const r of rows) proposals[r.state] += r.proposal;
  return { rows, counts: holdCounts(rows), proposals };
}
