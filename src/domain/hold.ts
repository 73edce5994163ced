/**
 * Held seizures (取立保留) — domain.md "Deferred collection", instruction-120.md,
 * cli.md "holds states". Pure rules, one definition each: which seizure record is held,
 * the proposal an instruction defaults to, and a held record's state from its newest
 * instruction (not cancelled).
 */
import type { Msg } from '../core/i18n.js';
import { SEIZING_CODES } from './vocabulary.js';

/** cli.md: held → instructed → collected · released · not-done (instructed again by the next `instruct`). */
export const HOLD_STATES = ['held', 'instructed', 'collected', 'released', 'not-done'] as const;
export type HoldState = (typeof HOLD_STATES)[number];

const HOLD_STATE_LABELS: Readonly<Record<HoldState, Msg>> = {
  held: { ja: '取立保留中（指示なし）', en: 'held (no instruction yet)' },
  instructed: { ja: '指示済（結果待ち）', en: 'instructed (awaiting result)' },
  collected: { ja: '取立済', en: 'collected' },
  released: { ja: '全額解除', en: 'released' },
  'not-done': { ja: '未処理（再指示が必要）', en: 'not done (instruct again)' },
};

export function holdStateMsg(state: HoldState): Msg {
  return HOLD_STATE_LABELS[state];
}

/**
 * A record of a 取立保留 seizure batch is held when its seizure result seized money
 * (結果コード 01, 02 or 21 with 差押金額 > 0): nothing was collected, the amount is frozen.
 */
export function isHeldSeizure(resultCode: string | null, seized: number | null): boolean {
  return resultCode !== null && SEIZING_CODES.has(resultCode) && seized !== null && seized > 0;
}

/**
 * The proposal (instruction-120.md "Writing instructions"): 取立指示額 = max(0, 差押金額 −
 * protected amount at inquiry). A deliberate lower bound: every protected yen is assumed
 * to lie inside the seized amount.
 */
export function proposal(seized: number, protectedAmount: number): number {
  return Math.max(0, seized - protectedAmount);
}

/** The newest instruction row of a held record (its batch not cancelled), if any. */
export interface LatestInstruction {
  /** '01' · '99' · null (result not imported yet) */
  resultCode: string | null;
  collectAmount: number;
}

/** A held record's state from its newest instruction that is not cancelled. */
export function holdState(latest: LatestInstruction | undefined): HoldState {
  if (latest === undefined) return 'held';
  if (latest.resultCode === null) return 'instructed';
  if (latest.resultCode === '99') return 'not-done';
  return latest.collectAmount > 0 ? 'collected' : 'released';
}

/** Resolved: the bank collected or released it (result 01); nothing more to instruct. */
export function isResolved(state: HoldState): boolean {
  return state === 'collected' || state === 'released';
}

/** Instructable by the next `instruct`: held, or answered 99 (not done). */
export function isInstructable(state: HoldState): boolean {
  return state === 'held' || state === 'not-done';
}
