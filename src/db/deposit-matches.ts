/**
 * Step: match a batch's collections to the city's bank statement
 * (domain.md "Bank statement", docs/adr/0061-deposit-matching.md).
 *
 * Idempotent: the batch's earlier matches are released and recomputed from what is
 * stored now, so it can run after every statement import and again at
 * reconciliation. Deposits taken by other batches are never considered.
 */
import { nowTokyoTimestamp } from '../core/dates.js';
import { audit } from './audit.js';
import { noSuchBatch } from './no-such-batch.js';
import type { Db } from './connection.js';
import {
  collectedByDate,
  collectedByFileAndDate,
  depositAccountOf,
  collectingFileNumbers,
  getBatchRow,
  statementExists,
  storeDepositMatches,
  storedDepositMatches,
  takenEntries,
  unassignedDeposits,
} from './reconcile.js';
import { matchCollectionsToDeposits, type DepositMatch } from '../domain/deposit-matching.js';

export interface DepositMatchSummary {
  batchId: string;
  /** false: no statement of the city's deposit account at that bank has been imported */
  statementImported: boolean;
  /** false: the bank has no settings (no known deposit account) */
  accountKnown: boolean;
  /** files of the batch: with several, a date is matched one deposit per file (ADR 0090) */
  files: number;
  matches: DepositMatch[];
}

const RESULT_STATES = new Set(['results-imported', 'reconciled', 'closed']);

/** The batch's total collected per 取立日 (dates with money only), in date order. */
export type CollectedByDate = Array<{ date: string; collected: number }>;

/**
 * Compute (without storing) the matches the batch would get now. `collected`: the
 * batch's totals per 取立日 when the caller has just read them (reconcile reads every
 * collection anyway); otherwise they are read here.
 */
export function planDeposits(db: Db, batchId: string, collected?: CollectedByDate): DepositMatchSummary {
  return planWithTaken(db, batchId, collected).summary;
}

/** The plan and, per date, the deposits the batch takes (one per file of a batch of several files). */
function planWithTaken(db: Db, batchId: string, collected?: CollectedByDate): { summary: DepositMatchSummary; taken: Map<string, number[]> } {
  const taken = new Map<string, number[]>();
  return { summary: planned(db, batchId, taken, collected), taken };
}

function planned(db: Db, batchId: string, taken: Map<string, number[]>, collected?: CollectedByDate): DepositMatchSummary {
  const batch = getBatchRow(db, batchId);
  if (batch === undefined) {
    throw noSuchBatch(batchId);
  }
  const acct = depositAccountOf(db, batch.bankCode);
  const files = collectingFileNumbers(db, batchId).length;
  if (!RESULT_STATES.has(batch.state)) {
    return { batchId, statementImported: acct !== undefined && statementExists(db, acct), accountKnown: acct !== undefined, files, matches: [] };
  }
  const collections = collected ?? collectedByDate(db, batchId);
  if (acct === undefined) {
    return {
      batchId,
      statementImported: false,
      accountKnown: false,
      files,
      matches: collections.map((c) => ({ date: c.date, collected: c.collected, entryId: null, deposit: null, difference: null, matched: false })),
    };
  }
  const deposits = unassignedDeposits(
    db,
    acct,
    batchId,
    collections.map((c) => c.date),
  );
  return {
    batchId,
    statementImported: statementExists(db, acct),
    accountKnown: true,
    files,
    // a batch of several files: one deposit per file and date (ADR 0090); the per-file
    // totals are read only when there is a deposit to match them to
    matches: matchCollectionsToDeposits(collections, deposits, deposits.length > 0 && files > 1 ? collectedByFileAndDate(db, batchId) : [], taken),
  };
}

/**
 * Match and store (deposit_matches, statement_entries.matched_batch/matched_date).
 * `collected` as in planDeposits (reconcile passes the per-date totals it read).
 * Runs in its own transaction, or inside the caller's (better-sqlite3 nests as a
 * savepoint). Does nothing for a batch without results yet. Audited only when
 * the stored matches change.
 */
export function matchDeposits(db: Db, batchId: string, operator?: string, collected?: CollectedByDate): DepositMatchSummary {
  return db.transaction(() => {
    const { summary: plan, taken } = planWithTaken(db, batchId, collected);
    const batch = getBatchRow(db, batchId);
    if (batch === undefined || !RESULT_STATES.has(batch.state)) return plan;
    const before = JSON.stringify([storedDepositMatches(db, batchId), takenEntries(db, batchId)]);
    storeDepositMatches(db, batchId, plan.matches, taken);
    const after = JSON.stringify([storedDepositMatches(db, batchId), takenEntries(db, batchId)]);
    if (before !== after) {
      audit(
        db,
        {
          action: 'batch.match-deposits',
          batchId,
          details: {
            at: nowTokyoTimestamp(),
            dates: plan.matches.length,
            matched: plan.matches.filter((m) => m.matched).length,
            statementImported: plan.statementImported,
          },
        },
        operator,
      );
    }
    return plan;
  })();
}
