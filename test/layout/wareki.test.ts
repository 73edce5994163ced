import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readGWareki, readWareki, writeGWareki, writeWareki } from '../../src/layout/index.js';
import { GWarekiDates, gymdBytesValid } from '../../src/layout/wareki.js';
import { fromDayNumber, toDayNumber } from '../../src/core/dates.js';

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

describe('和暦 GYYMMDD (era digit: 1 明治 … 5 令和)', () => {
  // Each era's first and last day (layout-xml.md "和暦 with an era digit"), and the day after / before.
  const BOUNDS: Array<[string, string]> = [
    ['1060101', '1873-01-01'], // 明治6年1月1日: the Gregorian calendar
    ['1450729', '1912-07-29'],
    ['2010730', '1912-07-30'], // 大正元年
    ['2151224', '1926-12-24'],
    ['3011225', '1926-12-25'], // 昭和元年
    ['3640107', '1989-01-07'],
    ['4010108', '1989-01-08'], // 平成元年
    ['4310430', '2019-04-30'],
    ['5010501', '2019-05-01'], // 令和元年
  ];
  it('reads and writes each era bound exactly', () => {
    for (const [g, iso] of BOUNDS) {
      expect(readGWareki(g), g).toBe(iso);
      expect(writeGWareki(iso), iso).toBe(g);
    }
  });
  it('refuses a date outside its era (the same day written in the wrong era)', () => {
    for (const g of [
      '1051231', // 明治5年12月31日: before the Gregorian calendar
      '1450730', // 明治45年7月30日 is 大正元年
      '2010729', // 大正元年7月29日 is still 明治
      '2151225', // 大正15年12月25日 is 昭和元年
      '3011224',
      '3640108', // 昭和64年1月8日 is 平成元年
      '4010107',
      '4310501', // 平成31年5月1日 is 令和元年
      '5010430', // 令和元年4月30日 is 平成31年
      '0010101', // era 0
      '6010101', // era 6
      '5000101', // year 0
      '5080229', // 令和8 = 2026: no 29 Feb
      '5081301',
      '508123a',
    ]) {
      expect(readGWareki(g), g).toBeNull();
    }
    expect(readGWareki('5060229')).toBe('2024-02-29');
    expect(writeGWareki('1872-12-31')).toBeNull();
  });
  it('property: every day from 1873 to 2117 round trips, in the era in force that day', () => {
    const day = fc.integer({ min: Date.UTC(1873, 0, 1) / 86_400_000, max: Date.UTC(2117, 11, 31) / 86_400_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, (iso) => {
        const g = writeGWareki(iso)!;
        expect(g).toMatch(/^[1-5]\d{6}$/);
        expect(readGWareki(g)).toBe(iso);
        const era = Number(g[0]);
        const starts = ['1873-01-01', '1912-07-30', '1926-12-25', '1989-01-08', '2019-05-01'];
        expect(iso >= starts[era - 1]!).toBe(true);
        if (era < 5) expect(iso < starts[era]!).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
  it('property: any 7 digits are valid exactly when they are the one writing of their date, and the byte check agrees', () => {
    const g7 = fc.oneof(
      fc.stringMatching(/^[0-9]{7}$/),
      // near the bounds: an era digit with a year around its start or end
      fc.tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 66 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(
        ([g, y, m, d]) => `${g}${String(y).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`,
      ),
    );
    fc.assert(
      fc.property(g7, (g) => {
        const iso = readGWareki(g);
        if (iso !== null) expect(writeGWareki(iso)).toBe(g);
        expect(gymdBytesValid(Buffer.from(g, 'latin1'), 0)).toBe(iso !== null);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('GWarekiDates (writeGWareki memoised; write and import answers, issue 15 item 7)', () => {
  it('write() equals writeGWareki, null included, for every day from 1790 to 2210, asked twice, and for text that is no date', () => {
    const g = new GWarekiDates();
    const from = toDayNumber('1790-01-01');
    const to = toDayNumber('2210-12-31');
    for (let round = 0; round < 2; round++) {
      for (let n = from; n <= to; n += round === 0 ? 1 : 7) {
        const iso = fromDayNumber(n);
        expect(g.write(iso)).toBe(writeGWareki(iso));
      }
    }
    for (const odd of ['1873-01-01', '1872-12-31', '2117-12-31', '2118-01-01', '2026-02-30', 'x', '', '2026-13-01', '2026-00-00', '2026-01-32', '2026-1-011', '20261201xx', '２０２６-１２-０１']) {
      expect(g.write(odd)).toBe(writeGWareki(odd));
      expect(g.write(odd)).toBe(writeGWareki(odd));
      expect(g.gwareki(odd)).toBe(writeGWareki(odd) ?? '0000000');
    }
  });
});
