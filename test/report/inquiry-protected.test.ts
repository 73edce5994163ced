/** report of an inquiry batch: protectedTotal by the policy extract uses (issue 16 item 1; docs/protected-funds-policy.md). */
import { describe, expect, it } from 'vitest';
import { freshDb, settings } from '../extract/helpers.js';
import { answeredBatch } from '../helpers/answers-fixture.js';
import { buildInquiryReport } from '../../src/report/inquiry.js';
import { setInstallationSetting } from '../../src/db/settings.js';

describe('report of an inquiry batch: protectedTotal', () => {
  it('Σ of the answered accounts’ protected amounts (worked example 50,000 + child allowance 15,000; a debit ﾈﾝｷﾝ adds nothing); configured patterns count', () => {
    const { db } = freshDb();
    settings(db);
    const { batchId } = answeredBatch(db, {
      date: '2026-11-02',
      fileNumber: 5,
      inquiries: [
        {
          atena: 'T1',
          code: '1',
          accounts: [
            {
              number: '0000001',
              balance: 130_000,
              details: [
                { direction: 1, amount: 130_000, description: 'ﾈﾝｷﾝ' },
                { direction: 2, amount: 100_000, description: 'ｶ-ﾄﾞ' },
                { direction: 1, amount: 80_000, description: 'ｷﾕｳﾖ' },
              ],
            },
            { number: '0000002', balance: 20_000, details: [{ direction: 1, amount: 15_000, description: 'ｼﾞﾄﾞｳﾃｱﾃ' }] },
          ],
        },
        { atena: 'T2', code: '1', accounts: [{ number: '0000003', balance: 40_000, details: [{ direction: 2, amount: 5_000, description: 'ﾈﾝｷﾝ ﾊﾗｲｺﾐ' }, { direction: 1, amount: 7_000, description: 'ｼﾞｿｳﾃｱﾃ' }] }] },
        { atena: 'T3', code: '2' },
      ],
    });
    expect(buildInquiryReport(db, batchId).json).toMatchObject({ accounts: 3, balanceTotal: 190_000, protectedTotal: 65_000 });
    setInstallationSetting(db, 'protectedPatterns', [{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }], 't');
    expect(buildInquiryReport(db, batchId).json.protectedTotal).toBe(72_000);
  });
});
