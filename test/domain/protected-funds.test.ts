import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_PROTECTED_PATTERNS,
  isProtectedCredit,
  isWhollyProtected,
  protectedAmount,
  protectedPatternList,
  type Detail,
} from '../../src/domain/protected-funds.js';

const DEFAULTS = protectedPatternList();

/** Details built from an opening balance and moves, 取引後残高 consistent with them. */
function history(opening: number, moves: Array<{ credit: boolean; amount: number; description: string }>): Detail[] {
  let balance = opening;
  return moves.map((m) => {
    balance += m.credit ? m.amount : -m.amount;
    return { direction: m.credit ? 1 : 2, amount: m.amount, balanceAfter: balance, description: m.description };
  });
}

const description = fc.constantFrom('ｷﾕｳﾖ', 'ﾈﾝｷﾝ', 'ｺｸﾐﾝﾈﾝｷﾝ', 'ｶ-ﾄﾞ', 'ｼﾞﾄﾞｳﾃｱﾃ', 'ATM', 'ﾃﾞﾝｷﾀﾞｲ', 'ﾛｳｻｲ ﾎｹﾝ');
const move = fc.record({ credit: fc.boolean(), amount: fc.integer({ min: 1, max: 500_000 }), description });
const account = fc.record({ opening: fc.integer({ min: -100_000, max: 1_000_000 }), moves: fc.array(move, { maxLength: 30 }) });

describe('protected funds: lowest-intermediate-balance', () => {
  it("domain.md's worked example: ¥50,000 protected of ¥130,000", () => {
    const d = history(20_000, [
      { credit: true, amount: 130_000, description: 'ﾈﾝｷﾝ' },
      { credit: false, amount: 100_000, description: 'ｶ-ﾄﾞ' },
      { credit: true, amount: 80_000, description: 'ｷﾕｳﾖ' },
    ]);
    expect(d.map((x) => x.balanceAfter)).toEqual([150_000, 50_000, 130_000]);
    expect(protectedAmount(d, DEFAULTS)).toBe(50_000);
  });

  it('the 2013 case: 児童手当 ¥130,000 into ¥73 is protected ¥130,000 of ¥130,073 (not wholly)', () => {
    const d = history(73, [{ credit: true, amount: 130_000, description: 'ｼﾞﾄﾞｳﾃｱﾃ' }]);
    expect(protectedAmount(d, DEFAULTS)).toBe(130_000);
    expect(isWhollyProtected(130_000, 130_073)).toBe(false);
    expect(isWhollyProtected(130_000, 130_000)).toBe(true);
    expect(isWhollyProtected(0, 0)).toBe(false);
  });

  it('no details: 0', () => {
    expect(protectedAmount([], DEFAULTS)).toBe(0);
  });

  it('a debit whose 摘要 mentions ﾈﾝｷﾝ is not protected', () => {
    const d = history(200_000, [{ credit: false, amount: 10_000, description: 'ﾈﾝｷﾝ ﾊﾗｲｺﾐ' }]);
    expect(isProtectedCredit(d[0] as Detail, DEFAULTS)).toBe(false);
    expect(protectedAmount(d, DEFAULTS)).toBe(0);
  });

  it('configured patterns extend the defaults (which always apply)', () => {
    const d = history(0, [
      { credit: true, amount: 30_000, description: 'ｼﾞｿｳﾃｱﾃ' },
      { credit: true, amount: 40_000, description: 'ﾈﾝｷﾝ' },
    ]);
    expect(protectedAmount(d, DEFAULTS)).toBe(40_000);
    const extended = protectedPatternList([{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }]);
    expect(extended).toEqual([...DEFAULT_PROTECTED_PATTERNS.map((p) => p.pattern).filter((p, i, a) => a.indexOf(p) === i), 'ｼﾞｿｳﾃｱﾃ']);
    expect(protectedAmount(d, extended)).toBe(70_000);
    // a configured duplicate of a default is taken once
    expect(protectedPatternList([{ kind: '年金', pattern: 'ﾈﾝｷﾝ' }])).toEqual(DEFAULTS);
  });

  it('property: never negative, never more than the (non-negative) balance', () => {
    fc.assert(
      fc.property(account, ({ opening, moves }) => {
        const d = history(opening, moves);
        const p = protectedAmount(d, DEFAULTS);
        const balance = d.length === 0 ? opening : (d[d.length - 1] as Detail).balanceAfter;
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(Math.max(0, balance));
        if (d.length === 0) expect(p).toBe(0);
      }),
    );
  });

  it('property: nothing spent (credits only, opening ≥ 0) → the sum of the protected credits', () => {
    const credit = fc.record({ credit: fc.constant(true), amount: fc.integer({ min: 1, max: 500_000 }), description });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(credit, { maxLength: 30 }), (opening, moves) => {
        const d = history(opening, moves);
        const sum = d.filter((x) => isProtectedCredit(x, DEFAULTS)).reduce((s, x) => s + x.amount, 0);
        expect(protectedAmount(d, DEFAULTS)).toBe(sum);
      }),
    );
  });

  it('property: unprotected money is spent first — a debit no larger than the unprotected part leaves the protected amount unchanged', () => {
    fc.assert(
      fc.property(account, fc.integer({ min: 1, max: 500_000 }), ({ opening, moves }, spend) => {
        const d = history(opening, moves);
        const before = protectedAmount(d, DEFAULTS);
        const balance = d.length === 0 ? opening : (d[d.length - 1] as Detail).balanceAfter;
        fc.pre(balance - before >= spend);
        const after = protectedAmount([...d, { direction: 2, amount: spend, balanceAfter: balance - spend, description: 'ATM' }], DEFAULTS);
        expect(after).toBe(before);
      }),
    );
  });
});
