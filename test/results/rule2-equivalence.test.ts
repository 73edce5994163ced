/**
 * Rule 2 is written twice (docs/adr/0109): in TypeScript for the full check
 * (steps/import-results/rule2.ts) and as SQL in the fast path's checked store
 * (db/results.ts BatchedResultUpdater). Random request/result pairs, matching and
 * mismatching in each field, must get the same verdict from both.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchedResultUpdater, iterateExpected } from '../../src/db/results.js';
import { loadLayout } from '../../src/layout/load.js';
import { digitsValue } from '../../src/steps/import-results/result-rules.js';
import { rule2Mismatches } from '../../src/steps/import-results/rule2.js';
import { makeBatch, newDb } from './fixture.js';

const D = loadLayout('seizure-120').records.data!;
const BR = D.byId.get('branchCode')!.length;
const ACC = D.byId.get('accountNumber')!.length;
const LIM = D.byId.get('limitAmount')!.length;

/** Text of digits and spaces (the codes as stored, or as a result field carries them). */
const text = (minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom('0', '1', '9', ' '), { minLength, maxLength }).map((a) => a.join(''));

const stored = fc.record({
  branch: text(0, BR + 1),
  type: fc.constantFrom('1', '2', '4', '9', ' ', '01', ''),
  account: text(0, ACC + 1),
  limit: fc.integer({ min: 0, max: 120 }),
});
type Stored = typeof stored extends fc.Arbitrary<infer T> ? T : never;

/** A result record for a stored request record: each field the request's value as the request file wrote it, or something near it. */
const resultFor = (s: Stored) =>
  fc.record({
    branchCode: fc.oneof(fc.constant(s.branch.padStart(BR, '0')), fc.constant(s.branch), text(BR, BR)),
    accountType: fc.oneof(fc.constant(s.type), fc.constantFrom('1', '2', '4', ' ')),
    accountNumber: fc.oneof(fc.constant(s.account.padStart(ACC, '0')), fc.constant(s.account), text(ACC, ACC)),
    limitAmount: fc.oneof(fc.constant(String(s.limit).padStart(LIM, '0')), fc.integer({ min: 0, max: 120 }).map((n) => String(n).padStart(LIM, '0'))),
  });

describe('rule 2: the full check and the checked store agree', () => {
  it('same verdict for random request/result pairs, matching and mismatching in each field', () => {
    const { db, dir } = newDb();
    const b = makeBatch(db, dir, { accounts: [1] });
    const setRecord = db.prepare('UPDATE request_records SET branch_code = ?, account_type = ?, account_number = ?, result_code = NULL');
    const setLimit = db.prepare('UPDATE requests SET limit_amount = ?');
    const verdicts = { match: 0, mismatch: 0 };
    const byField = new Set<string>();
    fc.assert(
      fc.property(stored.chain((s) => fc.tuple(fc.constant(s), resultFor(s))), ([s, r]) => {
        setRecord.run(s.branch, s.type, s.account);
        setLimit.run(s.limit);
        const exp = [...iterateExpected(db, b.batchId, 1, 1)];
        expect(exp).toHaveLength(1);
        const mismatches = rule2Mismatches(r, exp[0]!, BR, ACC);
        const full = mismatches.length === 0;
        db.exec('SAVEPOINT rule2');
        let store: boolean;
        try {
          const u = new BatchedResultUpdater(db, b.batchId, BR, ACC, 1);
          store = u.add(1, 1, r.branchCode, r.accountType, r.accountNumber, digitsValue(r.limitAmount), '01', 0, 0, null);
        } finally {
          db.exec('ROLLBACK TO rule2');
          db.exec('RELEASE rule2');
        }
        expect(store, JSON.stringify({ s, r, mismatches })).toBe(full);
        verdicts[full ? 'match' : 'mismatch']++;
        for (const m of mismatches) byField.add(m.field);
      }),
      { numRuns: 600, seed: 14 },
    );
    // both verdicts and a mismatch in every field were tried
    expect(verdicts.match).toBeGreaterThan(20);
    expect(verdicts.mismatch).toBeGreaterThan(20);
    expect([...byField].sort()).toEqual(['accountNumber', 'accountType', 'branchCode', 'limitAmount']);
    db.close();
  });
});
