import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber } from '../../src/core/dates.js';
import { writeGWareki } from '../../src/layout/wareki.js';
import { GWarekiDates } from '../../src/steps/import-answers/import-answers.js';
import { IsoDates } from '../../src/steps/import-answers/answer-rules.js';
import { ymdToIso } from '../../src/steps/import-results/index.js';

describe('GWarekiDates (import answers: the echoed 生年月日 memoised, ADR 0144)', () => {
  it('equals writeGWareki (or 0000000) for every day from 1860 to 2130, asked twice, across a cache clear', () => {
    const g = new GWarekiDates();
    const from = toDayNumber('1860-01-01');
    const to = toDayNumber('2130-12-31');
    for (let round = 0; round < 2; round++) {
      for (let n = from; n <= to; n += round === 0 ? 1 : 7) {
        const iso = fromDayNumber(n);
        expect(g.gwareki(iso)).toBe(writeGWareki(iso) ?? '0000000');
      }
    }
    for (const odd of ['1873-01-01', '1872-12-31', '2019-04-30', '2019-05-01', '2117-12-31', '2118-01-01', '2026-02-30', 'x', '1799-12-31', '1800-01-01', '2199-12-31', '2200-01-01', '2026-13-01', '2026-00-00', '2026-01-32', '2026-1-011', '20261201xx']) {
      expect(g.gwareki(odd)).toBe(writeGWareki(odd) ?? '0000000');
    }
  });
});

describe('IsoDates (import answers: 8-digit dates memoised, ADR 0188)', () => {
  it('equals ymdToIso for every day from 1860 to 2130 as YYYYMMDD, asked twice, across a cache clear, and for text that is not 8 digits', () => {
    const d = new IsoDates();
    const from = toDayNumber('1860-01-01');
    const to = toDayNumber('2130-12-31');
    for (let round = 0; round < 2; round++) {
      for (let n = from; n <= to; n += round === 0 ? 1 : 7) {
        const ymd = fromDayNumber(n).replaceAll('-', '');
        expect(d.iso(ymd)).toBe(ymdToIso(ymd));
      }
    }
    for (const odd of ['00000000', '20260230', '20261301', '00010101', '2026120', '202612011', '2026-12-', '2026120x', '', '        ', '２０２６１２０１']) {
      expect(d.iso(odd)).toBe(ymdToIso(odd));
      expect(d.iso(odd)).toBe(ymdToIso(odd));
    }
  });
});
