/** Issue 13, item 5: a 照会番号 stored already for the account and date, with other content, is a conflict. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importStatement } from '../../src/steps/import-statement/import-statement.js';
import { AppError } from '../../src/core/errors.js';
import { SyncRecordWriter } from '../../src/file/writer.js';
import { loadLayout } from '../../src/layout/load.js';
import { dbFingerprint, newDb } from '../results/fixture.js';

const CLI = path.resolve('dist/cli/main.js');

/** One account group on 2026-12-01: entries [照会番号, 入払区分, amount]; `created` varies the bytes. */
function statement(file: string, txs: Array<[number, 1 | 2, number]>, created = '2026-12-02'): void {
  const w = new SyncRecordWriter(file, loadLayout('statement-03'));
  w.header({ createdDate: created, periodFrom: '2026-12-01', periodTo: '2026-12-01', bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', branchCode: '123', reserved: '000', accountType: '1', accountNumber: '0001234567', accountName: 'ｶｺﾞｼﾏｼ', overdraftKubun: '0', passbookKubun: '0', openingBalance: 1_000_000 });
  let bal = 1_000_000;
  for (const [inq, io, amt] of txs) {
    w.data({ inquiryNumber: inq, valueDate: '2026-12-01', transactionDate: '2026-12-01', inOutKubun: io, transactionKubun: '14', amount: amt, remitterName: 'ﾃｽﾄ', summary: 'ﾃｽﾄ' });
    bal += io === 1 ? amt : -amt;
  }
  w.trailer({ overdraftKubun: '0', closingBalance: bal });
  w.end({});
  w.close();
}

describe('import statement: the same 照会番号 with other content', () => {
  it('the same entry again (overlapping statement) is known, not stored twice', () => {
    const { db, dir } = newDb();
    const a = path.join(dir, 'A.DAT');
    const b = path.join(dir, 'B.DAT');
    statement(a, [[101, 1, 46_800]]);
    statement(b, [[101, 1, 46_800], [102, 1, 5_000]], '2026-12-03');
    importStatement(db, a);
    const s = importStatement(db, b);
    expect(s.known).toBe(1);
    expect(s.entries).toBe(1);
    expect((db.prepare('SELECT COUNT(*) AS n FROM statement_entries').get() as { n: number }).n).toBe(2);
  });

  it('another amount for a stored 照会番号 → exit 4 naming the 照会番号 and both amounts, account masked, nothing stored', () => {
    const { db, dir } = newDb();
    const a = path.join(dir, 'A.DAT');
    const b = path.join(dir, 'B.DAT');
    statement(a, [[101, 1, 46_800]]);
    statement(b, [[100, 1, 1_000], [101, 1, 46_900]], '2026-12-03');
    importStatement(db, a);
    const before = dbFingerprint(db);
    let err: unknown;
    try {
      importStatement(db, b);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.exit).toBe(4);
    expect(e.code).toBe('statement.inquiry-conflict');
    expect(e.msg.ja).toContain('101');
    expect(e.msg.ja).toContain('46,800');
    expect(e.msg.ja).toContain('46,900');
    expect(e.msg.ja).toContain('***4567');
    expect(e.msg.ja).not.toContain('1234567');
    expect(e.msg.en).toContain('46,900');
    expect(e.location).toMatchObject({ file: 'B.DAT', record: 2, field: 'amount' });
    expect(dbFingerprint(db)).toBe(before);
  });

  it('CLI: exit 4 on stderr, the account masked, the database unchanged', () => {
    const { db, dir, file } = newDb();
    db.close();
    const a = path.join(dir, 'A.DAT');
    const b = path.join(dir, 'B.DAT');
    statement(a, [[101, 1, 46_800]]);
    statement(b, [[101, 1, 46_900]], '2026-12-03');
    expect(spawnSync('node', [CLI, '--db', file, 'import', 'statement', a], { encoding: 'utf8' }).status).toBe(0);
    const r = spawnSync('node', [CLI, '--db', file, 'import', 'statement', b], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(4);
    expect(r.stderr).toContain('101');
    expect(r.stderr).not.toContain('1234567');
    expect(r.stdout + r.stderr).not.toContain('重複登録しません');
  });
});

describe('import statement: one file with a 照会番号 twice and two amounts', () => {
  it('exit 3 (the file is wrong) saying the file itself repeats the 照会番号 (not “already imported”), nothing stored', () => {
    const { db, dir } = newDb();
    const a = path.join(dir, 'A.DAT');
    statement(a, [[101, 1, 46_800], [101, 1, 46_900]]);
    const before = dbFingerprint(db);
    let err: unknown;
    try {
      importStatement(db, a);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.exit).toBe(3);
    expect(e.code).toBe('statement.inquiry-repeated');
    expect(e.msg.ja).toContain('このファイルの中で');
    expect(e.msg.ja).not.toContain('取込ID');
    expect(e.msg.ja).toContain('46,800');
    expect(e.msg.ja).toContain('46,900');
    expect(dbFingerprint(db)).toBe(before);
  });
});
