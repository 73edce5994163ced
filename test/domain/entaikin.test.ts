import { describe, expect, it } from 'vitest';
import { computeEntaikin, firstMonthEnd } from '../../src/domain/entaikin.js';

describe('entaikin smoke', () => {
  it('豊橋市 example', () => {
    const r = computeEntaikin({ principal: 65000, dueDate: '2021-05-31', payments: [], to: '2022-01-31' });
    expect(r.segments.map((s) => s.amount)).toEqual([133, 2883, 480]);
    expect(r.entaikin).toBe(3400);
    expect(firstMonthEnd('2026-01-30')).toBe('2026-02-28');
  });
});
