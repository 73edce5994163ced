import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  debtDue,
  debtLeftOutReason,
  evaluateDebts,
  reminderRipeFrom,
  statusExclusion,
  type DebtFacts,
} from '../../src/domain/eligibility.js';
import { chooseBank, orderAccounts } from '../../src/domain/seizure-order.js';

function debt(over: Partial<DebtFacts> = {}): DebtFacts {
  return {
    chotei: 'D1',
    kubun: 1,
    dueDate: '2026-04-30',
    honzeiOut: 100_000,
    feeOut: 100,
    entaikinPaid: 0,
    entaikinKind: 1,
    reminderDate: '2026-05-20',
    prescriptionDate: null,
    payments: [],
    ...over,
  };
}

describe('taxpayer status', () => {
  it('maps 1–5 to their reasons and 0 to eligible', () => {
    expect(statusExclusion(0)).toBeNull();
    expect(statusExclusion(1)).toBe('status-suspended');
    expect(statusExclusion(2)).toBe('status-deferred');
    expect(statusExclusion(3)).toBe('status-instalments');
    expect(statusExclusion(4)).toBe('status-bankrupt');
    expect(statusExclusion(5)).toBe('status-deceased');
    expect(() => statusExclusion(6)).toThrow(RangeError);
  });
});

describe('debt rules', () => {
  it('区分 2 and 3 are never enforceable', () => {
    expect(debtLeftOutReason(debt({ kubun: 2 }), '2026-12-01')).toBe('not-enforceable');
    expect(debtLeftOutReason(debt({ kubun: 3 }), '2026-12-01')).toBe('not-enforceable');
    expect(debtLeftOutReason(debt({ kubun: 1 }), '2026-12-01')).toBeNull();
  });

  it('reminder ripe on 発付日 + 11 days: 2026-11-20 → from 2026-12-01', () => {
    expect(reminderRipeFrom('2026-11-20')).toBe('2026-12-01');
    const d = debt({ reminderDate: '2026-11-20' });
    expect(debtLeftOutReason(d, '2026-11-30')).toBe('reminder-not-ripe');
    expect(debtLeftOutReason(d, '2026-12-01')).toBeNull();
  });

  it('no reminder date means not ripe', () => {
    expect(debtLeftOutReason(debt({ reminderDate: null }), '2030-01-10')).toBe('reminder-not-ripe');
  });

  it('prescribed when 時効完成日 is on or before the processing date', () => {
    expect(debtLeftOutReason(debt({ prescriptionDate: '2026-12-01' }), '2026-12-01')).toBe('prescribed');
    expect(debtLeftOutReason(debt({ prescriptionDate: '2026-11-30' }), '2026-12-01')).toBe('prescribed');
    expect(debtLeftOutReason(debt({ prescriptionDate: '2026-12-02' }), '2026-12-01')).toBeNull();
  });

  it('a debt owing only 延滞金 is nothing-owing', () => {
    expect(debtLeftOutReason(debt({ honzeiOut: 0, feeOut: 0, entaikinPaid: 0 }), '2026-12-01')).toBe('nothing-owing');
    expect(debtLeftOutReason(debt({ honzeiOut: 0, feeOut: 100 }), '2026-12-01')).toBeNull();
    expect(debtLeftOutReason(debt({ honzeiOut: 1, feeOut: 0 }), '2026-12-01')).toBeNull();
  });
});

describe('limit', () => {
  it('豊橋市 example: 本税 65,000 due 2021-05-31 to 2022-01-31 → 延滞金 3,400', () => {
    const d = debt({ dueDate: '2021-05-31', honzeiOut: 65_000, feeOut: 0 });
    expect(debtDue(d, '2022-01-31')).toEqual({ chotei: 'D1', honzei: 65_000, fee: 0, entaikin: 3_400 });
    expect(debtDue({ ...d, entaikinPaid: 400 }, '2022-01-31').entaikin).toBe(3_000);
    expect(debtDue({ ...d, entaikinPaid: 5_000 }, '2022-01-31').entaikin).toBe(0);
  });

  it('base drops the day after a 本税 payment (hand computed)', () => {
    // 100,000 due 2026-04-30; 40,000 paid 2026-06-15; to 2026-12-01.
    // 5/1–5/31 100,000×2.8%×31/365 = 237; 6/1–6/15 100,000×9.1%×15/365 = 373;
    // 6/16–12/1 60,000×9.1%×169/365 = 2,528; sum 3,138 → 3,100.
    const d = debt({ honzeiOut: 60_000, feeOut: 100, payments: [{ date: '2026-06-15', honzei: 40_000 }] });
    expect(debtDue(d, '2026-12-01')).toEqual({ chotei: 'D1', honzei: 60_000, fee: 100, entaikin: 3_100 });
    // without history the outstanding 60,000 counts from the day after 納期限:
    // 60,000×2.8%×31/365 = 142; 60,000×9.1%×184/365 = 2,752; 2,894 → 2,800
    expect(debtDue(debt({ honzeiOut: 60_000 }), '2026-12-01').entaikin).toBe(2_800);
  });

  it('延滞金区分 0 accrues nothing', () => {
    expect(debtDue(debt({ entaikinKind: 0 }), '2026-12-01').entaikin).toBe(0);
  });

  it('evaluateDebts sums covered debts only and reports the others', () => {
    const v = evaluateDebts(
      [
        debt({ chotei: 'A', honzeiOut: 1_500, feeOut: 100, entaikinKind: 0 }),
        debt({ chotei: 'B', kubun: 3, honzeiOut: 50_000 }),
        debt({ chotei: 'C', honzeiOut: 1_000, feeOut: 0, entaikinKind: 0, reminderDate: '2026-11-25' }),
        debt({ chotei: 'D', honzeiOut: 0, feeOut: 0 }),
        debt({ chotei: 'E', honzeiOut: 700, feeOut: 0, entaikinKind: 0, prescriptionDate: '2026-01-01' }),
        debt({ chotei: 'F', honzeiOut: 2_000, feeOut: 0, entaikinKind: 0 }),
      ],
      '2026-12-01',
    );
    expect(v.limit).toBe(1_600 + 2_000);
    expect(v.covered.map((c) => c.chotei)).toEqual(['A', 'F']);
    expect(v.leftOut).toEqual([
      { chotei: 'B', reason: 'not-enforceable' },
      { chotei: 'C', reason: 'reminder-not-ripe' },
      { chotei: 'D', reason: 'nothing-owing' },
      { chotei: 'E', reason: 'prescribed' },
    ]);
  });

  it('limit is the exact sum of per-debt dues (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ h: fc.nat(5_000_000), f: fc.nat(1_000), k: fc.constantFrom(0, 1) }), { maxLength: 8 }), (xs) => {
        const ds = xs.map((x, i) => debt({ chotei: `D${i}`, honzeiOut: x.h, feeOut: x.f, entaikinKind: x.k }));
        const v = evaluateDebts(ds, '2026-12-01');
        const sum = v.covered.reduce((s, c) => s + c.honzei + c.fee + c.entaikin, 0);
        expect(v.limit).toBe(sum);
        expect(Number.isSafeInteger(v.limit)).toBe(true);
        expect(v.covered.length + v.leftOut.length).toBe(ds.length);
      }),
    );
  });
});

describe('seizure order and bank choice', () => {
  it('orders by 支店番号, 預金種目, 口座番号', () => {
    const acc = (b: string, t: string, n: string) => ({ branchCode: b, accountType: t, accountNumber: n });
    const out = orderAccounts([acc('310', '1', '0000002'), acc('010', '2', '0000001'), acc('010', '1', '9999999'), acc('310', '1', '0000001')]);
    expect(out).toEqual([acc('010', '1', '9999999'), acc('010', '2', '0000001'), acc('310', '1', '0000001'), acc('310', '1', '0000002')]);
  });

  it('chooses the largest balance, ties to the lower bank code', () => {
    expect(chooseBank(new Map([['0184', 100], ['0005', 200]]))).toBe('0005');
    expect(chooseBank(new Map([['0184', 200], ['0005', 200]]))).toBe('0005');
    expect(chooseBank(new Map([['0184', 201], ['0005', 200]]))).toBe('0184');
    expect(chooseBank(new Map())).toBeNull();
  });
});
