import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_POLICY,
  POLICIES,
  allocateCollections,
  entaikinOwedAt,
  getPolicy,
  statutoryOldestFirst,
  type DebtState,
} from '../../src/domain/allocation.js';

function d(over: Partial<DebtState> & { chotei: string }): DebtState {
  const honzei = over.honzeiOut ?? 65000;
  return {
    dueDate: '2021-05-31',
    honzeiOut: honzei,
    feeOut: 0,
    entaikinKind: 1,
    principal: honzei,
    principalPayments: [],
    entaikinPaid: 0,
    ...over,
  };
}

const P = statutoryOldestFirst;

describe('statutory-oldest-first (worked by hand)', () => {
  it('is the default and is selectable by name', () => {
    expect(DEFAULT_POLICY).toBe('statutory-oldest-first');
    expect(getPolicy(undefined)).toBe(statutoryOldestFirst);
    expect(getPolicy('principal-first')?.name).toBe('principal-first');
    expect(getPolicy('nope')).toBeUndefined();
  });

  it('豊橋市 example: 延滞金 computed to the collection date, rest is overpayment', () => {
    // 65,000 due 2021-05-31, collected 2022-01-31: 133 + 2,883 + 480 = 3,496 → 3,400
    const r = P.allocate([d({ chotei: 'A' })], 70000, '2022-01-31');
    expect(r.debts).toEqual([{ chotei: 'A', fee: 0, honzei: 65000, entaikin: 3400 }]);
    expect(r.overpayment).toBe(1600);
  });

  it('fee before principal; no 延滞金 while principal is not fully paid', () => {
    const r = P.allocate([d({ chotei: 'A', feeOut: 100 })], 65050, '2022-01-31');
    expect(r.debts).toEqual([{ chotei: 'A', fee: 100, honzei: 64950, entaikin: 0 }]);
    expect(r.overpayment).toBe(0);
  });

  it('延滞金 already paid is subtracted', () => {
    const r = P.allocate([d({ chotei: 'A', entaikinPaid: 1000 })], 100000, '2022-01-31');
    expect(r.debts).toEqual([{ chotei: 'A', fee: 0, honzei: 65000, entaikin: 2400 }]);
    expect(r.overpayment).toBe(100000 - 65000 - 2400);
  });

  it('oldest 納期限 first, ties by 調定番号, each debt fee → 本税 → 延滞金 before the next', () => {
    const debts = [
      d({ chotei: 'C9', dueDate: '2021-05-31', honzeiOut: 10000 }),
      d({ chotei: 'B1', dueDate: '2021-05-31', honzeiOut: 65000, feeOut: 100 }),
      d({ chotei: 'Z0', dueDate: '2020-12-31', honzeiOut: 1500, entaikinKind: 0 }),
    ];
    // Z0 first (oldest): 1,500 (no 延滞金). Then B1 (tie with C9, 'B1' < 'C9'): fee 100, 本税 65,000,
    // 延滞金 3,400 to 2022-01-31. Then C9: 10,000 base, 本税 gets the remaining 5,000.
    const r = P.allocate(debts, 1500 + 100 + 65000 + 3400 + 5000, '2022-01-31');
    expect(r.debts).toEqual([
      { chotei: 'Z0', fee: 0, honzei: 1500, entaikin: 0 },
      { chotei: 'B1', fee: 100, honzei: 65000, entaikin: 3400 },
      { chotei: 'C9', fee: 0, honzei: 5000, entaikin: 0 },
    ]);
    expect(r.overpayment).toBe(0);
  });

  it('principal-first pays every principal before any 延滞金', () => {
    const pf = getPolicy('principal-first')!;
    const debts = [d({ chotei: 'A' }), d({ chotei: 'B', honzeiOut: 10000, principal: 10000 })];
    const r = pf.allocate(debts, 75000, '2022-01-31');
    expect(r.debts).toEqual([
      { chotei: 'A', fee: 0, honzei: 65000, entaikin: 0 },
      { chotei: 'B', fee: 0, honzei: 10000, entaikin: 0 },
    ]);
    const s = P.allocate(debts, 75000, '2022-01-31');
    expect(s.debts[0]).toEqual({ chotei: 'A', fee: 0, honzei: 65000, entaikin: 3400 });
  });

  it('two collection dates: the first 本税 payment lowers the base for the second', () => {
    // 2022-01-31: 30,000 → 本税. 2022-03-31: 50,000 → 本税 35,000, then 延滞金 to 3/31 with the base
    // dropping to 35,000 from 2022-02-01: 133 + 2,883 + 480 + 35,000×8.7%×59/365 (= 492) = 3,988 → 3,900.
    const { dates, final } = allocateCollections(P, [d({ chotei: 'A' })], [
      { date: '2022-03-31', amount: 50000 },
      { date: '2022-01-31', amount: 30000 },
    ]);
    expect(dates).toEqual([
      { date: '2022-01-31', amount: 30000, debts: [{ chotei: 'A', fee: 0, honzei: 30000, entaikin: 0 }], overpayment: 0 },
      { date: '2022-03-31', amount: 50000, debts: [{ chotei: 'A', fee: 0, honzei: 35000, entaikin: 3900 }], overpayment: 11100 },
    ]);
    expect(final[0]).toMatchObject({ honzeiOut: 0, entaikinPaid: 3900 });
    expect(final[0]!.principalPayments).toEqual([
      { date: '2022-01-31', honzei: 30000 },
      { date: '2022-03-31', honzei: 35000 },
    ]);
  });

  it('amounts of the same date are added before allocating', () => {
    const { dates } = allocateCollections(P, [d({ chotei: 'A', entaikinKind: 0 })], [
      { date: '2022-01-31', amount: 40000 },
      { date: '2022-01-31', amount: 30000 },
    ]);
    expect(dates).toHaveLength(1);
    expect(dates[0]).toMatchObject({ amount: 70000, overpayment: 5000 });
  });

  it('延滞金 under ¥1,000 is 0 and before 納期限 nothing accrues', () => {
    expect(entaikinOwedAt(d({ chotei: 'A' }), '2021-06-10')).toBe(0);
    expect(entaikinOwedAt(d({ chotei: 'A' }), '2021-05-01')).toBe(0);
    expect(entaikinOwedAt(d({ chotei: 'A', entaikinPaid: 5000 }), '2022-01-31')).toBe(0);
  });

  it('refuses negative or fractional money', () => {
    expect(() => P.allocate([d({ chotei: 'A' })], -1, '2022-01-31')).toThrow(RangeError);
    expect(() => P.allocate([d({ chotei: 'A' })], 1.5, '2022-01-31')).toThrow(RangeError);
  });
});

const debtArb = fc.record({
  chotei: fc.string({ minLength: 1, maxLength: 3 }),
  dueDate: fc.constantFrom('2020-03-31', '2021-05-31', '2022-07-01', '2023-12-28', '2024-02-29'),
  honzeiOut: fc.integer({ min: 0, max: 300000 }),
  feeOut: fc.constantFrom(0, 100, 200),
  entaikinKind: fc.constantFrom<0 | 1>(0, 1),
  entaikinPaid: fc.integer({ min: 0, max: 5000 }),
});
const debtsArb = fc.uniqueArray(debtArb, { selector: (x) => x.chotei, minLength: 0, maxLength: 6 }).map((xs) =>
  xs.map((x) => ({ ...x, principal: x.honzeiOut, principalPayments: [] }) as DebtState),
);
const collArb = fc.array(
  fc.record({ date: fc.constantFrom('2024-03-15', '2024-06-03', '2025-01-15', '2025-01-16'), amount: fc.integer({ min: 0, max: 400000 }) }),
  { maxLength: 4 },
);

describe('allocation properties (every policy)', () => {
  for (const policy of POLICIES) {
    it(`${policy.name}: receipts + overpayment = collected; never negative; only covered debts; never more than owed`, () => {
      fc.assert(
        fc.property(debtsArb, collArb, (debts, colls) => {
          const { dates } = allocateCollections(policy, debts, colls);
          const total = colls.reduce((s, c) => s + c.amount, 0);
          let booked = 0;
          const paid = new Map<string, { fee: number; honzei: number; entaikin: number }>();
          for (const day of dates) {
            let dayBooked = day.overpayment;
            expect(day.overpayment).toBeGreaterThanOrEqual(0);
            for (const a of day.debts) {
              expect(a.fee).toBeGreaterThanOrEqual(0);
              expect(a.honzei).toBeGreaterThanOrEqual(0);
              expect(a.entaikin).toBeGreaterThanOrEqual(0);
              expect(a.fee + a.honzei + a.entaikin).toBeGreaterThan(0);
              expect(debts.some((x) => x.chotei === a.chotei)).toBe(true);
              const p = paid.get(a.chotei) ?? { fee: 0, honzei: 0, entaikin: 0 };
              p.fee += a.fee;
              p.honzei += a.honzei;
              p.entaikin += a.entaikin;
              paid.set(a.chotei, p);
              dayBooked += a.fee + a.honzei + a.entaikin;
            }
            expect(dayBooked).toBe(day.amount);
            booked += dayBooked;
          }
          expect(booked).toBe(total);
          const lastDate = dates.at(-1)?.date;
          for (const x of debts) {
            const p = paid.get(x.chotei) ?? { fee: 0, honzei: 0, entaikin: 0 };
            expect(p.fee).toBeLessThanOrEqual(x.feeOut);
            expect(p.honzei).toBeLessThanOrEqual(x.honzeiOut);
            if (lastDate !== undefined) expect(p.entaikin).toBeLessThanOrEqual(entaikinOwedAt(x, lastDate));
            if (p.entaikin > 0) expect(p.honzei).toBe(x.honzeiOut);
          }
          // overpayment only when every debt is paid in full (fee, 本税, 延滞金 to that date)
          for (const day of dates) {
            if (day.overpayment > 0) {
              for (const x of debts) {
                const p = paid.get(x.chotei) ?? { fee: 0, honzei: 0, entaikin: 0 };
                expect(p.fee).toBe(x.feeOut);
                expect(p.honzei).toBe(x.honzeiOut);
              }
            }
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
