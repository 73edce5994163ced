import { describe, expect, it } from 'vitest';
import { readWareki, writeWareki } from '../../src/layout/index.js';

describe('和暦 YYMMDD', () => {
  it('writes the era in force on the date (平成31 up to 2019-04-30, 令和元年 from 2019-05-01)', () => {
    expect(writeWareki('2019-04-30')).toBe('310430');
    expect(writeWareki('2019-05-01')).toBe('010501');
    expect(writeWareki('2026-12-01')).toBe('081201');
    expect(writeWareki('1989-01-08')).toBe('010108');
    expect(writeWareki('1989-01-07')).toBeNull(); // 昭和: not writable
  });
  it('reads 令和 when no later than one year after today, else 平成, else invalid', () => {
    const today = '2026-11-23';
    expect(readWareki('010501', today)).toBe('2019-05-01');
    expect(readWareki('310430', today)).toBe('2019-04-30');
    // 令和01-04-30 is before 令和 began → 平成01-04-30
    expect(readWareki('010430', today)).toBe('1989-04-30');
    // 令和09-11-23 = today + 1 year: still 令和; 令和09-11-24 is later → 平成09-11-24
    expect(readWareki('091123', today)).toBe('2027-11-23');
    expect(readWareki('091124', today)).toBe('1997-11-24');
    // 令和31-05-01 is far future, 平成31-05-01 does not exist (平成 ended 04-30) → invalid
    expect(readWareki('310501', today)).toBeNull();
    expect(readWareki('080229', today)).toBe('1996-02-29'); // 令和8 (2026) has no 29 Feb; 平成8 = 1996 does
    expect(readWareki('000101', today)).toBeNull();
    expect(readWareki('081301', today)).toBeNull();
  });
  it('round trips every day of 2019 and 2020', () => {
    for (let d = Date.UTC(2019, 0, 1); d < Date.UTC(2021, 0, 1); d += 86_400_000) {
      const iso = new Date(d).toISOString().slice(0, 10);
      expect(readWareki(writeWareki(iso)!, '2026-11-23')).toBe(iso);
    }
  });
});
