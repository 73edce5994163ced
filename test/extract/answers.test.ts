/** extract from inquiry answers: the newest knowledge, holder kana, signed balances (issue 15 item 4; ADR 0131). */
import { describe, expect, it } from 'vitest';
import { extract } from '../../src/steps/extract/extract.js';
import { account, count, debt, freshDb, settings, taxpayer } from './helpers.js';
import { answeredBatch } from '../helpers/answers-fixture.js';
import type { Db } from '../../src/db/connection.js';

const D = '2026-12-01';

interface Rec {
  account_id: number | null;
  answer_account_id: number | null;
  account_number: string;
  holder_name: string;
  birth_date: string | null;
}
function records(db: Db, atena = 'T1'): Rec[] {
  return db
    .prepare(
      `SELECT rr.account_id, rr.answer_account_id, rr.account_number, rr.holder_name, rr.birth_date
       FROM request_records rr JOIN requests r ON r.id = rr.request_id WHERE r.atena = ? ORDER BY rr.sub_number`,
    )
    .all(atena) as Rec[];
}
/** One delinquent T1 (or atena) with a ripe debt; no account. */
function delinquent(db: Db, atena = 'T1'): void {
  taxpayer(db, { atena, birth: '1970-04-01' });
  debt(db, { chotei: `C${atena}`, atena, honzei: 100_000 });
}
function setup(): Db {
  const { db } = freshDb();
  settings(db);
  delinquent(db);
  return db;
}

describe('extract: the newest knowledge per taxpayer and bank', () => {
  it('an answer newer than the CSV row: its account, under the bank’s 口座名義カナ, with the taxpayer’s birth date', () => {
    const db = setup();
    account(db, { atena: 'T1', number: '1111111', date: '2026-10-01' });
    const { accountIds } = answeredBatch(db, { date: '2026-11-02', fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '9999999', holder: 'ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ' }] }] });
    const r = extract(db, { date: D });
    expect(r.batches[0]?.records).toBe(1);
    expect(records(db)).toEqual([{ account_id: null, answer_account_id: accountIds[0], account_number: '9999999', holder_name: 'ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ', birth_date: '19700401' }]);
  });

  it('a CSV row dated after the answer adds its account; a row dated the same day does not (tie to the answer)', () => {
    const db = setup();
    account(db, { atena: 'T1', number: '2222222', date: '2026-11-10' });
    account(db, { atena: 'T1', number: '3333333', date: '2026-11-02' });
    answeredBatch(db, { date: '2026-11-02', fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '9999999' }] }] });
    extract(db, { date: D });
    expect(records(db).map((x) => [x.account_number, x.account_id !== null ? 'csv' : 'answer'])).toEqual([
      ['2222222', 'csv'],
      ['9999999', 'answer'],
    ]);
  });

  it('the same account in both is taken once, from the newer source', () => {
    const db = setup();
    account(db, { atena: 'T1', number: '9999999', holder: 'ｽｽﾞｷ ｲﾁﾛｳ', date: '2026-11-10' });
    answeredBatch(db, { date: '2026-11-02', fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '9999999', holder: 'ﾔﾏﾀﾞ ﾀﾛｳ' }] }] });
    extract(db, { date: D });
    const recs = records(db);
    expect(recs).toHaveLength(1);
    expect(recs[0]).toMatchObject({ answer_account_id: null, account_number: '9999999', holder_name: 'ｽｽﾞｷ ｲﾁﾛｳ' });
  });

  it('an undated CSV row is older than any answer', () => {
    const db = setup();
    account(db, { atena: 'T1', number: '1111111' });
    answeredBatch(db, { date: '2026-11-02', fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '9999999' }] }] });
    extract(db, { date: D });
    expect(records(db).map((x) => x.account_number)).toEqual(['9999999']);
  });

  it('回答区分 2 hides the older CSV accounts (no-account-at-bank); 3 and 4 change nothing', () => {
    const db = setup();
    delinquent(db, 'T2');
    account(db, { atena: 'T1', number: '1111111', date: '2026-10-01' });
    account(db, { atena: 'T2', number: '2222222', date: '2026-10-01' });
    answeredBatch(db, { date: '2026-11-02', fileNumber: 5, inquiries: [{ atena: 'T1', code: '2' }, { atena: 'T2', code: '3' }] });
    answeredBatch(db, { date: '2026-11-09', fileNumber: 6, inquiries: [{ atena: 'T2', code: '4' }] });
    const r = extract(db, { date: D });
    expect(r.excluded).toEqual({ 'no-account-at-bank': 1 });
    expect(db.prepare("SELECT atena, reason FROM exclusions WHERE reason = 'no-account-at-bank'").all()).toEqual([{ atena: 'T1', reason: 'no-account-at-bank' }]);
    expect(records(db, 'T2').map((x) => [x.account_number, x.account_id !== null])).toEqual([['2222222', true]]);
  });

  it('two answers of the same 照会基準日: the higher file number wins; an older answer loses to a newer 回答区分 2', () => {
    const db = setup();
    delinquent(db, 'T2');
    answeredBatch(db, { date: '2026-11-02', fileNumber: 7, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '7777777' }] }] });
    answeredBatch(db, { date: '2026-11-02', fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '5555555' }] }, { atena: 'T2', code: '1', accounts: [{ number: '5555555' }] }] });
    answeredBatch(db, { date: '2026-11-09', fileNumber: 8, inquiries: [{ atena: 'T2', code: '2' }] });
    const r = extract(db, { date: D });
    expect(records(db).map((x) => x.account_number)).toEqual(['7777777']);
    expect(records(db, 'T2')).toEqual([]);
    expect(r.excluded).toEqual({ 'no-account-at-bank': 1 });
  });

  it('a cancelled inquiry batch counts for nothing', () => {
    const db = setup();
    account(db, { atena: 'T1', number: '1111111', date: '2026-10-01' });
    answeredBatch(db, { date: '2026-11-02', fileNumber: 5, state: 'cancelled', inquiries: [{ atena: 'T1', code: '2' }] });
    extract(db, { date: D });
    expect(records(db).map((x) => x.account_number)).toEqual(['1111111']);
  });

  it('a bank known only from answers is in scope without --bank', () => {
    const { db } = freshDb();
    settings(db, { bank: '0005', nextFileNumber: 3 });
    delinquent(db);
    answeredBatch(db, { bank: '0005', date: '2026-11-02', fileNumber: 2, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '9999999' }] }] });
    const r = extract(db, { date: D });
    expect(r.batches.map((b) => [b.bankCode, b.records])).toEqual([['0005', 1]]);
  });
});

describe('extract: names and balances of answered accounts', () => {
  it('a 口座名義カナ longer than 30 bytes is left out (name-not-writable): as an account, then as a taxpayer', () => {
    const db = setup();
    delinquent(db, 'T2');
    const long = 'ｱ'.repeat(31);
    answeredBatch(db, {
      date: '2026-11-02',
      fileNumber: 5,
      inquiries: [
        { atena: 'T1', code: '1', accounts: [{ number: '1111111', holder: long }, { number: '2222222', holder: 'ｱ'.repeat(30) }] },
        { atena: 'T2', code: '1', accounts: [{ number: '3333333', holder: long }] },
      ],
    });
    const r = extract(db, { date: D });
    expect(records(db).map((x) => x.account_number)).toEqual(['2222222']);
    expect(r.accountsLeftOut).toEqual({ 'name-not-writable': 1 });
    expect(r.excluded).toEqual({ 'name-not-writable': 1 });
    expect(count(db, "SELECT COUNT(*) AS n FROM exclusions WHERE atena = 'T2' AND reason = 'name-not-writable'")).toBe(1);
  });

  it('the bank is chosen by the signed 残高: an overdraft lowers the answer bank’s total', () => {
    const { db } = freshDb();
    settings(db, { bank: '0184' });
    settings(db, { bank: '0005', nextFileNumber: 3 });
    delinquent(db);
    delinquent(db, 'T2');
    account(db, { atena: 'T1', bank: '0005', number: '1111111', balance: 50_000, date: '2026-11-20' });
    account(db, { atena: 'T2', bank: '0005', number: '1111111', balance: 50_000, date: '2026-11-20' });
    answeredBatch(db, {
      date: '2026-11-02',
      fileNumber: 5,
      inquiries: [
        { atena: 'T1', code: '1', accounts: [{ number: '8888888', balance: 80_000 }, { number: '9999999', balance: -40_000 }] },
        { atena: 'T2', code: '1', accounts: [{ number: '8888888', balance: 80_000 }] },
      ],
    });
    const r = extract(db, { date: D });
    expect(db.prepare("SELECT atena, bank_code, detail FROM exclusions WHERE reason = 'assigned-to-other-bank' ORDER BY atena").all()).toEqual([
      { atena: 'T1', bank_code: '0184', detail: '0005' },
      { atena: 'T2', bank_code: '0005', detail: '0184' },
    ]);
    expect(r.batches.map((b) => [b.bankCode, b.requests])).toEqual([
      ['0005', 1],
      ['0184', 1],
    ]);
  });
});

describe('extract --max-account-age', () => {
  it('stale answers and dated CSV rows are not used; undated rows never stale; account-info-stale when nothing is left', () => {
    const db = setup();
    for (const t of ['T2', 'T3', 'T4']) delinquent(db, t);
    // T1: answer of 2026-05-01 (214 days before D): stale
    answeredBatch(db, { date: '2026-05-01', fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '1111111' }] }] });
    // T2: a CSV row of 2026-01-05: stale; T3: an undated CSV row: never stale
    account(db, { atena: 'T2', number: '2222222', date: '2026-01-05' });
    account(db, { atena: 'T3', number: '3333333' });
    // T4: a stale row and a fresh one: only the fresh one
    account(db, { atena: 'T4', number: '4444441', date: '2026-01-05' });
    account(db, { atena: 'T4', number: '4444442', date: '2026-11-05' });
    const r = extract(db, { date: D });
    expect(r.excluded).toEqual({ 'account-info-stale': 2 });
    expect(db.prepare("SELECT atena, bank_code, detail FROM exclusions WHERE reason = 'account-info-stale' ORDER BY atena").all()).toEqual([
      { atena: 'T1', bank_code: '0184', detail: '2026-05-01' },
      { atena: 'T2', bank_code: '0184', detail: '2026-01-05' },
    ]);
    expect(records(db, 'T3').map((x) => x.account_number)).toEqual(['3333333']);
    expect(records(db, 'T4').map((x) => x.account_number)).toEqual(['4444442']);
  });

  it('exactly DAYS before is usable; a larger --max-account-age uses what the default calls stale', () => {
    const db = setup();
    answeredBatch(db, { date: '2026-06-04', fileNumber: 5, inquiries: [{ atena: 'T1', code: '1', accounts: [{ number: '1111111' }] }] });
    expect(extract(db, { date: D, dryRun: true }).batches[0]?.records).toBe(1); // 180 days
    expect(extract(db, { date: D, dryRun: true, maxAccountAge: 179 }).excluded).toEqual({ 'account-info-stale': 1 });
    expect(extract(db, { date: D, dryRun: true, maxAccountAge: 400 }).batches[0]?.records).toBe(1);
    expect(count(db, 'SELECT COUNT(*) AS n FROM requests')).toBe(0);
  });

  it('stale accounts are removed before the bank is chosen', () => {
    const { db } = freshDb();
    settings(db, { bank: '0184' });
    settings(db, { bank: '0005', nextFileNumber: 3 });
    delinquent(db);
    account(db, { atena: 'T1', bank: '0005', number: '1111111', balance: 900_000, date: '2026-01-05' });
    account(db, { atena: 'T1', bank: '0184', number: '2222222', balance: 1_000, date: '2026-11-05' });
    const r = extract(db, { date: D });
    expect(r.excluded).toEqual({});
    expect(r.batches.map((b) => b.bankCode)).toEqual(['0184']);
  });

  it('its place in the order: after no-account-at-bank, before bank-not-configured and name-not-writable', () => {
    const db = setup();
    for (const t of ['N1', 'S1', 'S2']) delinquent(db, t);
    // N1: nothing known → no-account-at-bank; S1: stale at an unconfigured bank; S2: stale with a name that cannot be written
    account(db, { atena: 'S1', bank: '9999', number: '1111111', date: '2026-01-05' });
    account(db, { atena: 'S2', number: '2222222', holder: '山田', date: '2026-01-05' });
    const r = extract(db, { date: D, banks: ['0184', '9999'] });
    expect(r.excluded).toEqual({ 'no-account-at-bank': 2, 'account-info-stale': 2 });
    // the bank named is the one whose knowledge is stale
    expect(db.prepare("SELECT atena, bank_code FROM exclusions WHERE reason = 'account-info-stale' ORDER BY atena").all()).toEqual([
      { atena: 'S1', bank_code: '9999' },
      { atena: 'S2', bank_code: '0184' },
    ]);
  });

  it('a bad value is a usage error (exit 2)', () => {
    const db = setup();
    for (const v of [-1, 1.5, Number.NaN]) {
      try {
        extract(db, { date: D, maxAccountAge: v });
        expect.unreachable();
      } catch (e) {
        expect(e).toMatchObject({ code: 'extract.max-account-age', exit: 2 });
      }
    }
    expect(count(db, 'SELECT COUNT(*) AS n FROM extractions')).toBe(0);
  });
});

describe('extract: order of exclusions (cli.md)', () => {
  it('no-seizable-debt comes before in-open-batch', () => {
    const db = setup();
    account(db, { atena: 'T1', number: '1111111' });
    extract(db, { date: D });
    db.prepare("UPDATE debts SET honzei_paid = honzei WHERE atena = 'T1'").run();
    expect(extract(db, { date: D, dryRun: true }).excluded).toEqual({ 'no-seizable-debt': 1 });
  });
});
