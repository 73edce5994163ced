import { describe, expect, it } from 'vitest';
import { fromDayNumber, toDayNumber } from '../../src/core/dates.js';
import { writeGWareki } from '../../src/layout/wareki.js';
import { GWarekiDates } from '../../src/steps/import-answers/import-answers.js';

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
