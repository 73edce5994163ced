/**
 * paddedIdCollisions (issue 15 item 7, ADR 0143): the leading-zero range check that skips
 * the full scan gives the same set as the full query, whatever the ids.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { paddedIdCollisions } from '../../src/db/inquiries.js';
import { freshDb, taxpayer } from '../extract/helpers.js';

const FULL = `WITH ids AS (SELECT atena, CAST(atena AS INTEGER) AS n FROM taxpayers
                WHERE active = 1 AND length(atena) BETWEEN 1 AND 10 AND atena NOT GLOB '*[^0-9]*')
              SELECT atena FROM ids WHERE n IN (SELECT n FROM ids GROUP BY n HAVING COUNT(*) > 1)`;

describe('paddedIdCollisions', () => {
  it('equals the full query with and without ids starting with 0, active or not', () => {
    const { db } = freshDb();
    const id = fc.constantFrom('0', '00', '1', '01', '001', '10', '010', '123', '0123', '00123', '9', '09', 'A1', '0A', '12345678901', '012345678901', '/', ':');
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(id, fc.constantFrom(0, 1)), { selector: ([a]) => a, maxLength: 12 }), (tps) => {
        db.exec('DELETE FROM taxpayers');
        for (const [atena, active] of tps) taxpayer(db, { atena, active });
        const full = new Set(db.prepare(FULL).pluck().all() as string[]);
        expect([...paddedIdCollisions(db)].sort()).toEqual([...full].sort());
      }),
      { numRuns: 400 },
    );
    db.close();
  });
});
