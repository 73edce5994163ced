/**
 * extract after a real `import answers` (a Shift_JIS answer file with detail records,
 * written by the layout engine's writer and imported by the step): a debit whose 摘要 says
 * ﾈﾝｷﾝ protects nothing, a child allowance that is the whole balance is left out, a
 * pension credit makes the request 取立保留 (issue 16, "Bad input": the debit ﾈﾝｷﾝ).
 */
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { ANSWERS, answerRecords, makeInquiryBatch, writeAnswer, type Answer } from '../helpers/inquiry-fixture.js';
import { importAnswers } from '../../src/steps/import-answers/index.js';
import { extract } from '../../src/steps/extract/index.js';
import { debt, settings, taxpayer } from './helpers.js';

describe('extract after import answers: protection from the imported details', () => {
  it('debit ﾈﾝｷﾝ not protected; wholly protected child allowance left out (taxpayer excluded); pension credit → 取立保留 with its protected amount', () => {
    const dir = tempDir();
    const { db } = fixtureDb(dir);
    settings(db);
    const b = makeInquiryBatch(db, dir);
    const answers: Answer[] = [
      {
        code: '1',
        accounts: [
          {
            branch: '310', type: '1', number: '0012345', holder: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: 150_000, lastTx: '2026-11-25',
            details: [
              { date: '2026-11-10', direction: 1, amount: 200_000, after: 200_000, description: 'ｷﾕｳﾖ' },
              { date: '2026-11-25', direction: 2, amount: 50_000, after: 150_000, description: 'ﾈﾝｷﾝ ﾌﾘｺﾐ' },
            ],
          },
        ],
      },
      {
        code: '1',
        accounts: [
          {
            branch: '310', type: '1', number: '0022222', holder: 'ｻﾄｳ ﾊﾅｺ', balance: 15_000, lastTx: '2026-11-12',
            details: [{ date: '2026-11-12', direction: 1, amount: 15_000, after: 15_000, description: 'ｼﾞﾄﾞｳﾃｱﾃ' }],
          },
        ],
      },
      { code: '2' },
      ANSWERS[3]!, // 1004: ｺｸﾐﾝﾈﾝｷﾝ 64,000 into a balance of 80,000
      { code: '3' },
    ];
    const file = writeAnswer(path.join(dir, 'ANS.DAT'), answerRecords(b, b.files[0]!, answers));
    importAnswers(db, file, { archiveDir: path.join(dir, 'archive') });
    for (const p of b.files[0]!.people) {
      taxpayer(db, { atena: p.atena });
      debt(db, { chotei: `C${p.atena}`, atena: p.atena, honzei: 100_000 });
    }
    const r = extract(db, { date: '2026-12-07' });
    expect(r.batches.map((x) => [x.id, x.collectionMode, x.requests])).toEqual([
      ['0184-00000044', 'immediate', 1],
      ['0184-00000045', 'deferred', 1],
    ]);
    expect(r.excluded).toEqual({ 'no-account-at-bank': 2, 'protected-funds': 1 });
    expect(r.protected).toEqual({ requests: 1, accounts: 1, amount: 64_000 });
    expect(
      db
        .prepare(
          `SELECT b.collection_mode AS mode, r.atena, rr.protected_amount AS protected FROM request_records rr
           JOIN requests r ON r.id = rr.request_id JOIN batches b ON b.id = r.batch_id ORDER BY b.id`,
        )
        .all(),
    ).toEqual([
      { mode: 'immediate', atena: '1001', protected: 0 },
      { mode: 'deferred', atena: '1004', protected: 64_000 },
    ]);
    expect(db.prepare("SELECT atena FROM exclusions WHERE reason = 'protected-funds'").all()).toEqual([{ atena: '1002' }]);
  });
});
