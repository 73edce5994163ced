/** extract and protected deposits (domain.md "Protected deposits"; docs/protected-funds-policy.md; issue 16 item 2). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract } from '../../src/steps/extract/extract.js';
import { setInstallationSetting } from '../../src/db/settings.js';
import { account, count, debt, freshDb, settings, taxpayer } from './helpers.js';
import { answeredBatch, type AnswerAccountIn, type AnsweredInquiryIn } from '../helpers/answers-fixture.js';
import type { Db } from '../../src/db/connection.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
const D = '2026-12-01';
const ANSWERED = '2026-11-02';

/** domain.md's worked example: balance 130,000, protected 50,000 */
const WORKED: AnswerAccountIn['details'] = [
  { direction: 1, amount: 130_000, description: 'ｺｸﾐﾝﾈﾝｷﾝ' },
  { direction: 2, amount: 100_000, description: 'ｶ-ﾄﾞ' },
  { direction: 1, amount: 80_000, description: 'ｷﾕｳﾖ' },
];

function delinquent(db: Db, atena: string): void {
  taxpayer(db, { atena });
  debt(db, { chotei: `C${atena}`, atena, honzei: 100_000 });
}

/**
 * T1 wholly protected (child allowance is the whole balance) → excluded protected-funds;
 * T2 partly protected (the worked example on 0000001) beside a salary account 1111111 → 取立保留 batch, 0000001 second;
 * T3 a CSV account only → the chosen mode's batch;
 * T4 one wholly protected account beside a plain one → chosen mode, the protected one left out;
 * T5 ﾈﾝｷﾝ only on a debit → not protected, chosen mode.
 */
function scenario(db: Db): { ids: number[] } {
  settings(db);
  for (const t of ['T1', 'T2', 'T3', 'T4', 'T5']) delinquent(db, t);
  account(db, { atena: 'T3', number: '3333333', balance: 40_000 });
  const inquiries: AnsweredInquiryIn[] = [
    { atena: 'T1', code: '1', accounts: [{ number: '1000001', balance: 15_000, details: [{ direction: 1, amount: 15_000, description: 'ｼﾞﾄﾞｳﾃｱﾃ' }] }] },
    {
      atena: 'T2',
      code: '1',
      accounts: [
        { number: '0000001', balance: 130_000, details: WORKED },
        { number: '1111111', balance: 50_000, details: [{ direction: 1, amount: 50_000, description: 'ｷﾕｳﾖ' }] },
      ],
    },
    {
      atena: 'T4',
      code: '1',
      accounts: [
        { number: '4000001', balance: 60_000, details: [{ direction: 1, amount: 65_000, description: 'ｾｲｶﾂﾎｺﾞﾋ' }, { direction: 2, amount: 5_000, description: 'ATM' }] },
        { number: '4000002', balance: 20_000 },
      ],
    },
    { atena: 'T5', code: '1', accounts: [{ number: '5000001', balance: 90_000, details: [{ direction: 1, amount: 100_000, description: 'ｷﾕｳﾖ' }, { direction: 2, amount: 10_000, description: 'ﾈﾝｷﾝ ﾊﾗｲｺﾐ' }] }] },
  ];
  return { ids: answeredBatch(db, { date: ANSWERED, fileNumber: 5, inquiries }).accountIds };
}

interface Rec {
  batch: string;
  collection: string;
  request: number;
  atena: string;
  sub: number;
  number: string;
  protected: number;
}
function records(db: Db): Rec[] {
  return db
    .prepare(
      `SELECT b.id AS batch, b.collection_mode AS collection, r.request_number AS request, r.atena, rr.sub_number AS sub,
              rr.account_number AS number, rr.protected_amount AS protected
       FROM request_records rr JOIN requests r ON r.id = rr.request_id JOIN batches b ON b.id = r.batch_id
       ORDER BY b.id, r.request_number, rr.sub_number`,
    )
    .all() as Rec[];
}

describe('extract: protected deposits', () => {
  it('wholly protected accounts left out, a taxpayer with none excluded, a partly protected request in the 取立保留 batch after the chosen mode’s, protected accounts last', () => {
    const { db } = freshDb();
    scenario(db);
    const r = extract(db, { date: D });
    expect(r.batches.map((b) => [b.id, b.collectionMode, b.fileNumber, b.requests, b.records])).toEqual([
      ['0184-00000042', 'immediate', 42, 3, 3],
      ['0184-00000043', 'deferred', 43, 1, 2],
    ]);
    expect(r.excluded).toEqual({ 'protected-funds': 1 });
    expect(r.accountsLeftOut).toEqual({ 'protected-funds': 1 });
    expect(r.protected).toEqual({ requests: 1, accounts: 1, amount: 50_000 });
    expect(records(db)).toEqual([
      { batch: '0184-00000042', collection: 'immediate', request: 1, atena: 'T3', sub: 1, number: '3333333', protected: 0 },
      { batch: '0184-00000042', collection: 'immediate', request: 2, atena: 'T4', sub: 1, number: '4000002', protected: 0 },
      { batch: '0184-00000042', collection: 'immediate', request: 3, atena: 'T5', sub: 1, number: '5000001', protected: 0 },
      { batch: '0184-00000043', collection: 'deferred', request: 1, atena: 'T2', sub: 1, number: '1111111', protected: 0 },
      { batch: '0184-00000043', collection: 'deferred', request: 1, atena: 'T2', sub: 2, number: '0000001', protected: 50_000 },
    ]);
    expect(db.prepare("SELECT atena, bank_code AS bank, reason FROM exclusions WHERE reason = 'protected-funds'").all()).toEqual([{ atena: 'T1', bank: '0184', reason: 'protected-funds' }]);
    expect(db.prepare("SELECT next_file_number AS n FROM bank_settings WHERE bank_code = '0184'").get()).toEqual({ n: 44 });
    expect(db.prepare("SELECT f.batch_id AS b, f.file_number AS f FROM batch_files f JOIN batches b ON b.id = f.batch_id WHERE b.kind = 'seizure' ORDER BY f.file_number").all()).toEqual([
      { b: '0184-00000042', f: 42 },
      { b: '0184-00000043', f: 43 },
    ]);
  });

  it('--dry-run stores nothing and reports the same figures', () => {
    const { db } = freshDb();
    scenario(db);
    const dry = extract(db, { date: D, dryRun: true });
    expect(count(db, 'SELECT COUNT(*) AS n FROM request_records')).toBe(0);
    expect(count(db, "SELECT COUNT(*) AS n FROM batches WHERE kind = 'seizure'")).toBe(0);
    expect(count(db, 'SELECT COUNT(*) AS n FROM exclusions')).toBe(0);
    const real = extract(db, { date: D });
    expect({ ...dry, extractionId: null, dryRun: false }).toEqual({ ...real, extractionId: null, dryRun: false });
  });

  it('--collection deferred: one 取立保留 batch with every request', () => {
    const { db } = freshDb();
    scenario(db);
    const r = extract(db, { date: D, collection: 'deferred' });
    expect(r.batches.map((b) => [b.id, b.collectionMode, b.requests, b.records])).toEqual([['0184-00000042', 'deferred', 4, 5]]);
    expect(r.protected).toEqual({ requests: 1, accounts: 1, amount: 50_000 });
  });

  it('several files: the chosen mode’s batch takes the lower file numbers, the 取立保留 batch the next', () => {
    const { db } = freshDb();
    scenario(db);
    db.prepare("UPDATE bank_settings SET max_records_per_file = 2 WHERE bank_code = '0184'").run();
    const r = extract(db, { date: D });
    expect(r.batches.map((b) => [b.id, b.collectionMode, b.fileNumber, b.files])).toEqual([
      ['0184-00000042', 'immediate', 42, 2],
      ['0184-00000044', 'deferred', 44, 1],
    ]);
    expect(db.prepare("SELECT next_file_number AS n FROM bank_settings WHERE bank_code = '0184'").get()).toEqual({ n: 45 });
  });

  it('banks ascending, each with its own pair; the bank chosen by Σ(balance − protected)', () => {
    const { db } = freshDb();
    settings(db);
    settings(db, { bank: '0005', nextFileNumber: 7 });
    delinquent(db, 'T1');
    delinquent(db, 'T2');
    // T1: ¥100,000 at 0184, ¥90,000 of it pension; ¥50,000 at 0005 → 0005 (10,000 < 50,000)
    account(db, { atena: 'T1', bank: '0005', number: '7777777', balance: 50_000 });
    // T2: partly protected at 0005 only
    answeredBatch(db, { date: ANSWERED, fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '1000001', balance: 100_000, details: [{ direction: 1, amount: 10_000, description: 'ｷﾕｳﾖ' }, { direction: 1, amount: 90_000, description: 'ﾈﾝｷﾝ' }] }] }] });
    answeredBatch(db, { bank: '0005', date: ANSWERED, fileNumber: 2, inquiries: [{ atena: 'T2', code: '1', accounts: [{ number: '2000001', balance: 130_000, details: WORKED }] }] });
    const r = extract(db, { date: D });
    expect(r.batches.map((b) => [b.id, b.collectionMode])).toEqual([
      ['0005-00000007', 'immediate'],
      ['0005-00000008', 'deferred'],
    ]);
    expect(r.excluded).toEqual({ 'assigned-to-other-bank': 1 });
    expect(records(db).map((x) => [x.batch, x.atena, x.protected])).toEqual([
      ['0005-00000007', 'T1', 0],
      ['0005-00000008', 'T2', 50_000],
    ]);
  });

  it('configured patterns extend the defaults at the next extraction (the amount is computed at extract, not import)', () => {
    const { db } = freshDb();
    settings(db);
    delinquent(db, 'T1');
    answeredBatch(db, { date: ANSWERED, fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '1000001', balance: 30_000, details: [{ direction: 1, amount: 30_000, description: 'ｼﾞｿｳﾃｱﾃ' }] }] }] });
    expect(extract(db, { date: D, dryRun: true }).batches.map((b) => b.collectionMode)).toEqual(['immediate']);
    setInstallationSetting(db, 'protectedPatterns', [{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }], 't');
    const r = extract(db, { date: D });
    expect(r.batches).toEqual([]);
    expect(r.excluded).toEqual({ 'protected-funds': 1 });
  });

  it('CLI: --json per cli.md (collection per batch, protected, accountsLeftOut); the summary says how many and how much', () => {
    const { db, file } = freshDb();
    scenario(db);
    db.close();
    const run = (args: string[]) => spawnSync('node', [CLI, '--db', file, ...args], { encoding: 'utf8', env: { ...process.env, SASHIOSAE_LANG: 'ja' } });
    const human = run(['extract', '--date', D, '--dry-run']);
    expect(human.status).toBe(0);
    expect(human.stdout).toContain('保護額合計 ¥50,000');
    expect(human.stdout).toContain('[protected-funds]: 1');
    const j = run(['--json', 'extract', '--date', D]);
    expect(j.status).toBe(0);
    const doc = JSON.parse(j.stdout);
    expect(doc.batches).toEqual([
      { id: '0184-00000042', bankCode: '0184', fileNumber: 42, requests: 3, records: 3, limitTotal: 300_000, collection: 'immediate' },
      { id: '0184-00000043', bankCode: '0184', fileNumber: 43, requests: 1, records: 2, limitTotal: 100_000, collection: 'deferred' },
    ]);
    expect(doc.protected).toEqual({ requests: 1, accounts: 1, amount: 50_000 });
    expect(doc.accountsLeftOut).toEqual({ 'protected-funds': 1 });
    expect(doc.excluded).toEqual({ 'protected-funds': 1 });
    for (const out of [human.stdout, human.stderr, j.stdout, j.stderr]) expect(out).not.toMatch(/0000001|1111111|ﾈﾝｷﾝ|ｼﾞﾄﾞｳﾃｱﾃ/);
  });
});
