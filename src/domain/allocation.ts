/**
 * Allocation of collected money (充当) — domain.md "Allocation of collected money".
 *
 * Pure: knows nothing about SQL or files. A policy takes the state of the debts one
 * request covers and the money collected for that request on one date, and says
 * how much goes to each debt's 督促手数料 / 本税 / 延滞金 and how much is left over
 * (過誤納金, to be refunded). Policies are named and selectable
 * (docs/allocation-policy.md); the default is 'statutory-oldest-first'.
 *
 * `allocateCollections` applies a policy date by date (oldest collection first),
 * carrying each debt's state forward, so money collected on a later date (another
 * 枝番) never pays the same yen twice, and a 本税 paid on an earlier date lowers
 * the 延滞金 base from the day after.
 */
import type { Msg } from '../core/i18n.js';
import { entaikinAmount, type PrincipalPayment } from './entaikin.js';

/** What one covered debt owes when the money arrives, and what 延滞金 needs. */
export interface DebtState {
  chotei: string;
  /** 納期限 */
  dueDate: string;
  /** outstanding 本税 now */
  honzeiOut: number;
  /** outstanding 督促手数料 now */
  feeOut: number;
  /** 1 地方税法の延滞金 · 0 none */
  entaikinKind: 0 | 1;
  /** 本税 at the start of the principal history used for 延滞金 */
  principal: number;
  /** principal payments (history + receipts already booked), any order */
  principalPayments: PrincipalPayment[];
  /** 延滞金 already paid (export + receipts already booked) */
  entaikinPaid: number;
}

export interface DebtAllocation {
  chotei: string;
  fee: number;
  honzei: number;
  entaikin: number;
}

export interface DateAllocation {
  date: string;
  amount: number;
  /** only debts that received money, in allocation order */
  debts: DebtAllocation[];
  /** left over after every covered debt was paid in full (過誤納金) */
  overpayment: number;
}

export interface AllocationPolicy {
  name: string;
  /** its short name for people (report, messages) */
  label: Msg;
  description: Msg;
  /**
   * Allocate `amount` collected on `date` over `debts` (all of them covered by the
   * request). Must not mutate its arguments. Returns per-debt amounts (only > 0
   * ones) and the overpayment; the sum of both equals `amount`.
   */
  allocate(debts: readonly DebtState[], amount: number, date: string): { debts: DebtAllocation[]; overpayment: number };
}

/** 延滞金 still owed by a debt at `date` (to = date inclusive), not below 0. */
export function entaikinOwedAt(debt: DebtState, date: string): number {
  if (debt.entaikinKind !== 1) return 0;
  const total = entaikinAmount({
    principal: debt.principal,
    dueDate: debt.dueDate,
    payments: debt.principalPayments,
    to: date,
  });
  return Math.max(0, total - debt.entaikinPaid);
}

function compareOldestFirst(a: DebtState, b: DebtState): number {
  if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
  return a.chotei < b.chotei ? -1 : a.chotei > b.chotei ? 1 : 0;
}

function checkAmount(amount: number): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError(`collected amount must be a non-negative whole number of yen: ${amount}`);
  }
}

/**
 * Default (domain.md): debts by 納期限 oldest first, ties by 調定番号; within a debt
 * 督促手数料 → 本税 → 延滞金. 延滞金 is computed to the collection date over the
 * principal history (a 本税 paid that day only lowers the base from the next day,
 * so it does not change the figure) minus 延滞金 already paid, and receives money
 * only once the debt's 本税 is fully paid.
 */
export const statutoryOldestFirst: AllocationPolicy = {
  name: 'statutory-oldest-first',
  label: { ja: '法定充当（納期限の古い順）', en: 'statutory order (oldest due date first)' },
  description: {
    ja: '納期限の古い順（同日は調定番号順）、各債権内は督促手数料→本税→延滞金（延滞金は取立日まで計算、本税完納後のみ充当）',
    en: 'Oldest 納期限 first (ties by 調定番号); within a debt reminder fee → principal → late charge (computed to the collection date, only after the principal is paid in full)',
  },
  allocate(debts, amount, date) {
    checkAmount(amount);
    return allocateInOrder([...debts].sort(compareOldestFirst), amount, date, true);
  },
};

/**
 * Alternative kept to show the policy is a choice: every debt's 督促手数料 and 本税
 * first (oldest first), then 延滞金 in the same order. Not the statutory default.
 */
const principalFirst: AllocationPolicy = {
  name: 'principal-first',
  label: { ja: '本税優先', en: 'principal first' },
  description: {
    ja: '全債権の督促手数料・本税を納期限の古い順に先に充当し、残りを延滞金に充当',
    en: 'Reminder fees and principal of every debt first (oldest first), then late charges in the same order',
  },
  allocate(debts, amount, date) {
    checkAmount(amount);
    return allocateInOrder([...debts].sort(compareOldestFirst), amount, date, false);
  },
};

/**
 * Shared engine over debts already in allocation order. With `entaikinPerDebt`, a
 * debt's 延滞金 is paid right after its own 本税 (statutory); otherwise all fees and
 * principal first, then all 延滞金. 延滞金 is only reached once that debt's 本税 is
 * fully paid.
 */
function allocateInOrder(
  sorted: DebtState[],
  amount: number,
  date: string,
  entaikinPerDebt: boolean,
): { debts: DebtAllocation[]; overpayment: number } {
  let left = amount;
  const out = new Map<string, DebtAllocation>();
  const order: DebtAllocation[] = [];
  const slot = (chotei: string): DebtAllocation => {
    let a = out.get(chotei);
    if (a === undefined) {
      a = { chotei, fee: 0, honzei: 0, entaikin: 0 };
      out.set(chotei, a);
      order.push(a);
    }
    return a;
  };
  const payEntaikin = (d: DebtState, honzeiPaidNow: number): void => {
    if (left === 0 || d.honzeiOut - honzeiPaidNow > 0) return;
    const owed = entaikinOwedAt(d, date);
    const e = Math.min(left, owed);
    if (e > 0) {
      slot(d.chotei).entaikin += e;
      left -= e;
    }
  };
  const paidHonzei = new Map<string, number>();
  for (const d of sorted) {
    if (left === 0) break;
    const fee = Math.min(left, Math.max(0, d.feeOut));
    if (fee > 0) {
      slot(d.chotei).fee += fee;
      left -= fee;
    }
    const honzei = Math.min(left, Math.max(0, d.honzeiOut));
    if (honzei > 0) {
      slot(d.chotei).honzei += honzei;
      left -= honzei;
    }
    paidHonzei.set(d.chotei, honzei);
    if (entaikinPerDebt) payEntaikin(d, honzei);
  }
  if (!entaikinPerDebt) {
    for (const d of sorted) {
      if (left === 0) break;
      payEntaikin(d, paidHonzei.get(d.chotei) ?? 0);
    }
  }
  return { debts: order.filter((a) => a.fee + a.honzei + a.entaikin > 0), overpayment: left };
}

/** The state of a debt after an allocation on `date` (pure: returns a new object). */
function applyAllocation(d: DebtState, a: DebtAllocation, date: string): DebtState {
  return {
    ...d,
    feeOut: d.feeOut - a.fee,
    honzeiOut: d.honzeiOut - a.honzei,
    entaikinPaid: d.entaikinPaid + a.entaikin,
    principalPayments: a.honzei > 0 ? [...d.principalPayments, { date, honzei: a.honzei }] : d.principalPayments,
  };
}

/**
 * Allocate every collection of one request, date by date in date order (amounts
 * of the same date are added together first), carrying the debts' state forward.
 * Returns one DateAllocation per date with money, and the debts' final state.
 */
export function allocateCollections(
  policy: AllocationPolicy,
  debts: readonly DebtState[],
  collections: ReadonlyArray<{ date: string; amount: number }>,
): { dates: DateAllocation[]; final: DebtState[] } {
  // dates with money, in date order, amounts of the same date added together
  let dates: string[];
  let amounts: number[];
  if (collections.length === 1) {
    // the common case (one 取立日): no grouping needed
    const c = collections[0] as { date: string; amount: number };
    checkAmount(c.amount);
    dates = c.amount > 0 ? [c.date] : [];
    amounts = c.amount > 0 ? [c.amount] : [];
  } else {
    const byDate = new Map<string, number>();
    for (const c of collections) {
      checkAmount(c.amount);
      if (c.amount > 0) byDate.set(c.date, (byDate.get(c.date) ?? 0) + c.amount);
    }
    dates = [...byDate.keys()].sort();
    amounts = dates.map((d) => byDate.get(d) as number);
  }
  let state = [...debts];
  const result: DateAllocation[] = [];
  for (let i = 0; i < dates.length; i++) {
    const date = dates[i] as string;
    const amount = amounts[i] as number;
    const r = policy.allocate(state, amount, date);
    if (r.debts.length > 0) {
      const byChotei = new Map(r.debts.map((a) => [a.chotei, a]));
      state = state.map((d) => {
        const a = byChotei.get(d.chotei);
        return a === undefined ? d : applyAllocation(d, a, date);
      });
    }
    result.push({ date, amount, debts: r.debts, overpayment: r.overpayment });
  }
  return { dates: result, final: state };
}

export const POLICIES: readonly AllocationPolicy[] = [statutoryOldestFirst, principalFirst];
export const DEFAULT_POLICY = 'statutory-oldest-first';

export function getPolicy(name: string | undefined): AllocationPolicy | undefined {
  return POLICIES.find((p) => p.name === (name ?? DEFAULT_POLICY));
}
