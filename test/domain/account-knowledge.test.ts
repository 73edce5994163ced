import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  isStale,
  knownAccounts,
  newestAnswer,
  staleBefore,
  type AnswerKnowledge,
  type KnownAccount,
} from '../../src/domain/account-knowledge.js';

interface Acc extends KnownAccount {
  src: string;
}
const acc = (number: string, date: string | null, src: string, branch = '310'): Acc => ({ branchCode: branch, accountType: '1', accountNumber: number, date, src });
const ans = (date: string, fileNumber: number, code: string, accounts: Acc[] = []): AnswerKnowledge<Acc> => ({ date, fileNumber, code, accounts });

describe('knownAccounts: the newest knowledge wins (inquiry-300.md)', () => {
  it('without an answer of 回答区分 1/2: the CSV rows as they are', () => {
    const csv = [acc('1', null, 'csv'), acc('2', '2026-01-01', 'csv')];
    expect(knownAccounts(csv, [])).toBe(csv);
    expect(knownAccounts(csv, [ans('2026-11-01', 5, '3'), ans('2026-11-02', 6, '4')])).toBe(csv);
  });

  it('an answer newer than the CSV rows replaces them', () => {
    const csv = [acc('1', '2026-10-01', 'csv'), acc('2', null, 'csv')];
    const a = ans('2026-11-01', 5, '1', [acc('9', '2026-11-01', 'ans')]);
    expect(knownAccounts(csv, [a]).map((x) => x.src + x.accountNumber)).toEqual(['ans9']);
  });

  it('a CSV row dated after the answer adds its account; a tie goes to the answer', () => {
    const csv = [acc('1', '2026-11-02', 'csv'), acc('2', '2026-11-01', 'csv')];
    const a = ans('2026-11-01', 5, '1', [acc('9', '2026-11-01', 'ans')]);
    expect(knownAccounts(csv, [a]).map((x) => x.src + x.accountNumber)).toEqual(['ans9', 'csv1']);
  });

  it('the same account in both is taken once, from the newer source', () => {
    const a = ans('2026-11-01', 5, '1', [acc('1', '2026-11-01', 'ans'), acc('2', '2026-11-01', 'ans')]);
    expect(knownAccounts([acc('1', '2026-11-05', 'csv')], [a]).map((x) => x.src + x.accountNumber)).toEqual(['ans2', 'csv1']);
    expect(knownAccounts([acc('1', '2026-10-05', 'csv')], [a]).map((x) => x.src + x.accountNumber)).toEqual(['ans1', 'ans2']);
    // another branch is another account
    expect(knownAccounts([acc('1', '2026-11-05', 'csv', '311')], [a]).map((x) => x.src + x.branchCode)).toEqual(['ans310', 'ans310', 'csv311']);
  });

  it('回答区分 2 hides older CSV rows; undated rows are older than any answer', () => {
    const csv = [acc('1', null, 'csv'), acc('2', '2020-01-01', 'csv')];
    expect(knownAccounts(csv, [ans('2026-11-01', 5, '2')])).toEqual([]);
    expect(knownAccounts([...csv, acc('3', '2026-12-01', 'csv')], [ans('2026-11-01', 5, '2')]).map((x) => x.accountNumber)).toEqual(['3']);
  });

  it('newestAnswer: by 照会基準日, then the higher file number; 3 and 4 ignored', () => {
    const older = ans('2026-10-01', 9, '1');
    const same1 = ans('2026-11-01', 5, '1');
    const same2 = ans('2026-11-01', 7, '2');
    const paper = ans('2026-12-01', 8, '3');
    expect(newestAnswer([same2, older, same1, paper])).toBe(same2);
    expect(newestAnswer([older, same1])).toBe(same1);
    expect(newestAnswer([paper])).toBeNull();
  });

  it('property: the result does not depend on the order of the answers, and never repeats an account', () => {
    const date = fc.integer({ min: 1, max: 28 }).map((d) => `2026-11-${String(d).padStart(2, '0')}`);
    const account = fc.record({ n: fc.integer({ min: 1, max: 4 }), date: fc.option(date, { nil: null }) });
    const answer = fc.record({ date, fileNumber: fc.integer({ min: 1, max: 50 }), code: fc.constantFrom('1', '2', '3', '4'), accs: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }) });
    fc.assert(
      fc.property(fc.uniqueArray(account, { selector: (a) => a.n, maxLength: 4 }), fc.uniqueArray(answer, { selector: (a) => a.fileNumber, maxLength: 4 }), (csvIn, answersIn) => {
        const csv = csvIn.map((c) => acc(String(c.n), c.date, 'csv'));
        const answers = answersIn.map((a) => ans(a.date, a.fileNumber, a.code, a.code === '1' ? a.accs.map((n) => acc(String(n), a.date, 'ans')) : []));
        const k1 = knownAccounts(csv, answers);
        const k2 = knownAccounts(csv, [...answers].reverse());
        expect(k2).toEqual(k1);
        const keys = k1.map((x) => x.accountNumber);
        expect(new Set(keys).size).toBe(keys.length);
        const newest = newestAnswer(answers);
        for (const x of k1) {
          if (newest === null) expect(x.src).toBe('csv');
          else if (x.src === 'csv') expect(x.date !== null && x.date > newest.date).toBe(true);
        }
      }),
    );
  });
});

describe('stale knowledge (--max-account-age)', () => {
  it('more than DAYS before the processing date is stale; exactly DAYS is not; undated never', () => {
    const cut = staleBefore('2026-12-01', 180);
    expect(cut).toBe('2026-06-04');
    expect(isStale('2026-06-04', cut)).toBe(false); // 180 days before
    expect(isStale('2026-06-03', cut)).toBe(true); // 181 days before
    expect(isStale(null, cut)).toBe(false);
    expect(isStale('2026-12-01', staleBefore('2026-12-01', 0))).toBe(false);
    expect(isStale('2026-11-30', staleBefore('2026-12-01', 0))).toBe(true);
  });
});
