/**
 * 延滞金 (late-payment charge on local taxes) for one debt — domain.md "延滞金".
 *
 * Pure and integer-only (docs/adr/0011-entaikin-integer-arithmetic.md):
 *  - base = outstanding 本税 floored to ¥1,000; a period in which the outstanding
 *    本税 is under ¥2,000 accrues nothing;
 *  - the first month (民法143条, `firstMonthEnd`) at the low rate, afterwards the
 *    high rate; rates per calendar year (entaikin-rates.ts);
 *  - segments split at the first-month end, at 1 January and where the base changes
 *    (a payment of 本税 lowers the base from the day after the payment);
 *  - each segment = base × rateBp × days / (10000 × 365), floored to the yen —
 *    365 also in leap years, days are real calendar days;
 *  - total floored to ¥100; a total under ¥1,000 is 0.
 * Days are counted from the day after 納期限 to `to` inclusive.
 */
import { dayToIso, daysInMonth, dayToYmd, isoToDay, yearOfDay, yearStartDay, ymdToDay } from './calendar.js';
import { rateBpForYear } from './entaikin-rates.js';

/** A payment of 本税 on that date; the base drops from the day after. */
export interface PrincipalPayment {
  date: string;
  honzei: number;
}

/** principal = original 本税; `to` = last day counted (inclusive), e.g. the payment/collection/processing date. */
export interface EntaikinInput {
  principal: number;
  dueDate: string;
  payments: PrincipalPayment[];
  to: string;
}

export interface EntaikinSegment {
  from: string;
  to: string;
  days: number;
  base: number;
  rateBp: number;
  amount: number;
}

/**
 * base = base of the first segment (floored to ¥1,000); when there is no segment,
 * the outstanding 本税 on the day after 納期限, floored to ¥1,000.
 * rawTotal = sum of the per-segment floors, before the ¥100 floor / ¥1,000 threshold.
 */
export interface EntaikinResult {
  entaikin: number;
  base: number;
  segments: EntaikinSegment[];
  rawTotal: number;
}

/** 10000 (basis points) × 365 (days a year, also in leap years). */
const DIVISOR = 3_650_000;
const MIN_BASE = 2_000;

/**
 * floor(base × rateBp × days / 3,650,000) exactly. Inputs are non-negative
 * integers. Up to 2^53 the product is exact in a double, and subtracting the
 * (exact) remainder first makes the division one of an exact multiple; above, BigInt.
 */
export function segmentAmount(base: number, rateBp: number, days: number): number {
  const product = base * rateBp * days;
  if (product <= Number.MAX_SAFE_INTEGER) {
    return (product - (product % DIVISOR)) / DIVISOR;
  }
  return Number((BigInt(base) * BigInt(rateBp) * BigInt(days)) / BigInt(DIVISOR));
}

/** Day number of the last day of the first month for a 納期限 day number. */
function firstMonthEndDay(dueDay: number): number {
  const [y, m, d] = dayToYmd(dueDay + 1); // S, the first day counted
  const ny = m === 12 ? y + 1 : y;
  const nm = m === 12 ? 1 : m + 1;
  const len = daysInMonth(ny, nm);
  // the day before S's day-of-month in the next month; if that month has no
  // such day, its last day (民法143条2項ただし書)
  return d <= len ? ymdToDay(ny, nm, d) - 1 : ymdToDay(ny, nm, len);
}

/**
 * Last day of the first month after 納期限 (民法143条): due 2025-09-01 → 2025-10-01;
 * 2021-05-31 → 2021-06-30; 2026-04-30 → 2026-05-31; 2026-01-30 → 2026-02-28.
 */
export function firstMonthEnd(dueDate: string): string {
  return dayToIso(firstMonthEndDay(isoToDay(dueDate)));
}

function checkYen(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative whole number of yen: ${value}`);
  }
}

const NO_PAYMENTS: Array<[number, number]> = [];

export function computeEntaikin(input: EntaikinInput): EntaikinResult {
  const segments: EntaikinSegment[] = [];
  const r = accrue(input, segments);
  return { entaikin: r.entaikin, base: r.base, segments, rawTotal: r.rawTotal };
}

/**
 * computeEntaikin(input).entaikin without building the segment list (the same
 * arithmetic, for hot paths such as allocation that only need the amount).
 */
export function entaikinAmount(input: EntaikinInput): number {
  return accrue(input, null).entaikin;
}

/** The computation behind computeEntaikin; segments are pushed to `segments` when given. */
function accrue(input: EntaikinInput, segments: EntaikinSegment[] | null): { entaikin: number; base: number; rawTotal: number } {
  checkYen(input.principal, 'principal');
  const due = isoToDay(input.dueDate);
  const to = isoToDay(input.to);
  const start = due + 1;

  // Payments as [day, yen], sorted; those on or before 納期限 reduce the base from the start.
  let outstanding = input.principal;
  let pays = NO_PAYMENTS;
  if (input.payments.length > 0) {
    pays = [];
    for (const p of input.payments) {
      checkYen(p.honzei, 'payment');
      const day = isoToDay(p.date);
      if (p.honzei === 0 || day >= to) continue; // a payment on `to` only matters from the day after
      if (day < start) outstanding -= p.honzei;
      else pays.push([day, p.honzei]);
    }
    if (pays.length > 1) pays.sort((a, b) => a[0] - b[0]);
  }
  if (outstanding < 0) outstanding = 0;
  let base = outstanding - (outstanding % 1000);
  const firstBase = base;

  let rawTotal = 0;
  if (to < start || base < MIN_BASE) {
    return { entaikin: 0, base: firstBase, rawTotal };
  }

  const firstEnd = firstMonthEndDay(due);
  let pi = 0; // next payment not yet applied
  let cur = start;
  while (cur <= to) {
    // payments made before `cur` lower the base from `cur` on
    if (pi < pays.length && (pays[pi] as [number, number])[0] < cur) {
      while (pi < pays.length && (pays[pi] as [number, number])[0] < cur) {
        outstanding -= (pays[pi] as [number, number])[1];
        pi++;
      }
      if (outstanding < 0) outstanding = 0;
      base = outstanding - (outstanding % 1000);
    }
    if (base < MIN_BASE) break; // the base never grows again
    const year = yearOfDay(cur);
    const inFirst = cur <= firstEnd;
    let end = yearStartDay(year + 1) - 1;
    if (inFirst && firstEnd < end) end = firstEnd;
    if (to < end) end = to;
    // A payment on day p (cur ≤ p < end) changes the base from p + 1: end the
    // segment at p, but only if the floored base actually changes.
    while (pi < pays.length) {
      const p = (pays[pi] as [number, number])[0];
      if (p >= end) break;
      let after = outstanding;
      let j = pi;
      while (j < pays.length && (pays[j] as [number, number])[0] === p) {
        after -= (pays[j] as [number, number])[1];
        j++;
      }
      if (after < 0) after = 0;
      if (after - (after % 1000) !== base) {
        end = p; // applied at the top of the next iteration
        break;
      }
      outstanding = after;
      pi = j;
    }
    const rateBp = rateBpForYear(year, inFirst);
    const days = end - cur + 1;
    const amount = segmentAmount(base, rateBp, days);
    if (segments !== null) segments.push({ from: dayToIso(cur), to: dayToIso(end), days, base, rateBp, amount });
    rawTotal += amount;
    cur = end + 1;
  }

  const entaikin = rawTotal < 1000 ? 0 : rawTotal - (rawTotal % 100);
  return { entaikin, base: firstBase, rawTotal };
}

/** max(0, computeEntaikin(input).entaikin − entaikinPaid). */
export function outstandingEntaikin(input: EntaikinInput & { entaikinPaid: number }): number {
  checkYen(input.entaikinPaid, 'entaikinPaid');
  const r = computeEntaikin(input).entaikin - input.entaikinPaid;
  return r > 0 ? r : 0;
}
