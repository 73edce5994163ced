import { describe, expect, it } from 'vitest';
import { extract } from '../../src/steps/extract/extract.js';
import { AppError } from '../../src/core/errors.js';
import { account, count, debt, freshDb, payment, settings, target, taxpayer } from './helpers.js';

const D = '2026-12-01'; // a Tuesday, business day

describe('extract: exclusions end to end', () => {
  it('reports every exclusion reason and stores them', () => {
    const { db } = freshDb();
    settings(db, { bank: '0184' });
    // 1..5 statuses
    for (let s = 1; s <= 5; s++) {
      taxpayer(db, { atena: `S${s}`, status: s });
      debt(db, { chotei: `CS${s}`, atena: `S${s}` });
      account(db, { atena: `S${s}`, number: '1000001' });
    }
    // no seizable debt: 区分3 only + unripe only
    taxpayer(db, { atena: 'N1' });
    debt(db, { chotei: 'CN1', atena: 'N1', kubun: 3 });
    debt(db, { chotei: 'CN2', atena: 'N1', reminder: '2026-11-21' });
    debt(db, { chotei: 'CN3', atena: 'N1', prescription: D });
    debt(db, { chotei: 'CN4', atena: 'N1', honzei: 5000, honzeiPaid: 5000, entaikinKind: 1 });
    account(db, { atena: 'N1', number: '1000001' });
    // no account at the bank (account only at an unconfigured bank outside --bank)
    taxpayer(db, { atena: 'A1' });
    debt(db, { chotei: 'CA1', atena: 'A1' });
    // bank not configured
    taxpayer(db, { atena: 'B1' });
    debt(db, { chotei: 'CB1', atena: 'B1' });
    account(db, { atena: 'B1', bank: '9999', number: '1000001' });
    // name not writable (kanji holder name)
    taxpayer(db, { atena: 'K1' });
    debt(db, { chotei: 'CK1', atena: 'K1' });
    account(db, { atena: 'K1', number: '1000001', holder: '山田太郎' });
    // below min amount
    taxpayer(db, { atena: 'M1' });
    debt(db, { chotei: 'CM1', atena: 'M1', honzei: 999 });
    account(db, { atena: 'M1', number: '1000001' });
    // inactive taxpayer / debt / account never count
    taxpayer(db, { atena: 'I1', active: 0 });
    debt(db, { chotei: 'CI1', atena: 'I1' });
    account(db, { atena: 'I1', number: '1000001' });
    // OK
    target(db, 'OK1');

    const r = extract(db, { date: D, minAmount: 1000 });
    expect(r.excluded).toEqual({
      'status-suspended': 1,
      'status-deferred': 1,
      'status-instalments': 1,
      'status-bankrupt': 1,
      'status-deceased': 1,
      'no-seizable-debt': 1,
      'no-account-at-bank': 1,
      'bank-not-configured': 1,
      'name-not-writable': 1,
      'below-min-amount': 1,
    });
    expect(r.debtsLeftOut).toEqual({ 'not-enforceable': 1, 'nothing-owing': 1, prescribed: 1, 'reminder-not-ripe': 1 });
    expect(r.unconfiguredBanks).toEqual(['9999']);
    expect(r.batches).toHaveLength(1);
    expect(r.batches[0]).toMatchObject({ id: '0184-00000042', bankCode: '0184', fileNumber: 42, requests: 1, records: 1, limitTotal: 100_000 });
    expect(count(db, 'SELECT COUNT(*) AS n FROM exclusions WHERE extraction_id = ?', r.extractionId)).toBe(10);
    expect(count(db, `SELECT COUNT(*) AS n FROM exclusions WHERE atena = 'B1' AND reason = 'bank-not-configured' AND bank_code = '9999'`)).toBe(1);
    expect(count(db, `SELECT COUNT(*) AS n FROM requests WHERE atena = 'I1'`)).toBe(0);
    const ext = db.prepare('SELECT summary FROM extractions WHERE id = ?').get(r.extractionId) as { summary: string };
    expect(JSON.parse(ext.summary).excluded['status-deceased']).toBe(1);
    expect(count(db, `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'extract'`)).toBe(1);
    expect(db.prepare(`SELECT next_file_number AS n FROM bank_settings WHERE bank_code='0184'`).get()).toEqual({ n: 43 });
  });

  it('an unripe debt is left out but the taxpayer qualifies by another; limit counts only covered debts', () => {
    const { db } = freshDb();
    settings(db);
    taxpayer(db, { atena: 'T1' });
    debt(db, { chotei: 'X1', atena: 'T1', honzei: 30_000, fee: 100 });
    debt(db, { chotei: 'X2', atena: 'T1', honzei: 70_000, reminder: '2026-11-21' }); // ripe 12-02
    debt(db, { chotei: 'X3', atena: 'T1', honzei: 5_000, kubun: 2 });
    account(db, { atena: 'T1', number: '0000001' });
    const r = extract(db, { date: D });
    expect(r.batches[0]?.limitTotal).toBe(30_100);
    expect(db.prepare('SELECT chotei, honzei_due, fee_due, entaikin_due FROM request_debts').all()).toEqual([
      { chotei: 'X1', honzei_due: 30_000, fee_due: 100, entaikin_due: 0 },
    ]);
    expect(r.debtsLeftOut).toEqual({ 'not-enforceable': 1, 'reminder-not-ripe': 1 });
  });

  it('limit to the yen with 延滞金 and a payment history (hand computed)', () => {
    const { db } = freshDb();
    settings(db);
    taxpayer(db, { atena: 'T1' });
    // 100,000 due 2026-04-30, 40,000 paid 2026-06-15, fee 100: 延滞金 to 12-01 = 3,100 (see eligibility test)
    debt(db, { chotei: 'E1', atena: 'T1', honzei: 100_000, honzeiPaid: 40_000, fee: 100, entaikinKind: 1 });
    payment(db, 'E1', '2026-06-15', 40_000);
    // 豊橋市-like: 65,000 due 2026-04-30 no history, 延滞金 paid 1,000:
    // 65,000×2.8%×31/365 = 154; 65,000×9.1%×184/365 = 2,981; 3,135 → 3,100; −1,000 = 2,100
    debt(db, { chotei: 'E2', atena: 'T1', honzei: 65_000, entaikinKind: 1, entaikinPaid: 1_000 });
    account(db, { atena: 'T1', number: '0000001' });
    const r = extract(db, { date: D });
    expect(db.prepare('SELECT chotei, honzei_due, fee_due, entaikin_due FROM request_debts ORDER BY chotei').all()).toEqual([
      { chotei: 'E1', honzei_due: 60_000, fee_due: 100, entaikin_due: 3_100 },
      { chotei: 'E2', honzei_due: 65_000, fee_due: 0, entaikin_due: 2_100 },
    ]);
    expect(r.batches[0]?.limitTotal).toBe(60_000 + 100 + 3_100 + 65_000 + 2_100);
    expect(db.prepare('SELECT limit_amount FROM requests').get()).toEqual({ limit_amount: 130_300 });
  });

  it('receipts not yet in an export lower what is owed', () => {
    const { db } = freshDb();
    settings(db);
    target(db, 'T1', { honzei: 50_000 });
    db.exec(`INSERT INTO extractions (id, processing_date, options, created_at, operator) VALUES (99, '2026-06-01', '{}', 't', 'x');
      INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
        VALUES ('0184-00000001', 99, '0184', '0000012345', '2026-06-01', 'immediate', 'seizure-120', 'reconciled', 1, 1, 1, 't', 't');
      INSERT INTO requests (id, batch_id, request_number, atena, limit_amount) VALUES (500, '0184-00000001', 1, 'T1', 1);
      INSERT INTO receipts (batch_id, request_id, chotei, atena, receipt_date, honzei, entaikin, fee) VALUES ('0184-00000001', 500, 'CT1', 'T1', '2026-06-01', 20000, 0, 0);`);
    const r = extract(db, { date: D });
    expect(r.batches[0]?.limitTotal).toBe(30_000);
    // file numbers continue after the highest used (42 > 1 here)
    expect(r.batches[0]?.id).toBe('0184-00000042');
  });
});

describe('extract: accounts, banks, files', () => {
  it('枝番 follow 支店番号, 預金種目, 口座番号; names from 口座名義カナ else 氏名カナ; refused account left out', () => {
    const { db } = freshDb();
    settings(db);
    taxpayer(db, { atena: 'T1', kana: 'ヤマダ　タロウ', birth: '1970-04-01' });
    debt(db, { chotei: 'X1', atena: 'T1' });
    account(db, { atena: 'T1', branch: '310', type: '1', number: '0000002' });
    account(db, { atena: 'T1', branch: '010', type: '2', number: '0000001', holder: 'カ）ヤマダショウテン' });
    account(db, { atena: 'T1', branch: '010', type: '1', number: '9999999', holder: 'ﾔﾏﾀﾞ ﾀﾛｳ' });
    account(db, { atena: 'T1', branch: '005', type: '1', number: '0000003', holder: 'ヲノ' });
    const r = extract(db, { date: D });
    expect(r.accountsLeftOut).toEqual({ 'name-not-writable': 1 });
    const recs = db.prepare('SELECT sub_number, branch_code, account_type, account_number, holder_name, birth_date FROM request_records ORDER BY sub_number').all();
    expect(recs).toEqual([
      { sub_number: 1, branch_code: '010', account_type: '1', account_number: '9999999', holder_name: 'ﾔﾏﾀﾞ ﾀﾛｳ', birth_date: '19700401' },
      { sub_number: 2, branch_code: '010', account_type: '2', account_number: '0000001', holder_name: 'ｶ)ﾔﾏﾀﾞｼﾖｳﾃﾝ', birth_date: '19700401' },
      { sub_number: 3, branch_code: '310', account_type: '1', account_number: '0000002', holder_name: 'ﾔﾏﾀﾞ ﾀﾛｳ', birth_date: '19700401' },
    ]);
    expect(r.batches[0]?.records).toBe(3);
  });

  it('one open request per taxpayer: largest Σ balance wins, ties to the lower code; --allow-multiple-banks lifts it', () => {
    const setup = () => {
      const { db } = freshDb();
      settings(db, { bank: '0184', nextFileNumber: 1 });
      settings(db, { bank: '0005', nextFileNumber: 7 });
      taxpayer(db, { atena: 'T1' });
      debt(db, { chotei: 'X1', atena: 'T1' });
      account(db, { atena: 'T1', bank: '0184', number: '0000001', balance: 300 });
      account(db, { atena: 'T1', bank: '0005', number: '0000001', balance: 200 });
      account(db, { atena: 'T1', bank: '0005', number: '0000002', balance: 200 });
      taxpayer(db, { atena: 'T2' });
      debt(db, { chotei: 'X2', atena: 'T2' });
      account(db, { atena: 'T2', bank: '0184', number: '0000001', balance: 500 });
      account(db, { atena: 'T2', bank: '0005', number: '0000001', balance: 500 });
      return db;
    };
    const db = setup();
    const r = extract(db, { date: D });
    expect(r.excluded).toEqual({ 'assigned-to-other-bank': 2 });
    expect(db.prepare('SELECT r.atena, b.bank_code FROM requests r JOIN batches b ON b.id = r.batch_id ORDER BY r.atena').all()).toEqual([
      { atena: 'T1', bank_code: '0005' },
      { atena: 'T2', bank_code: '0005' },
    ]);
    expect(r.batches.map((b) => b.id)).toEqual(['0005-00000007']);
    // a second run: both are in an open batch now
    const r2 = extract(db, { date: '2026-12-02' });
    expect(r2.excluded).toEqual({ 'in-open-batch': 2 });
    expect(r2.batches).toEqual([]);

    const db2 = setup();
    const m = extract(db2, { date: D, allowMultipleBanks: true });
    expect(m.excluded).toEqual({});
    expect(m.batches.map((b) => [b.id, b.requests])).toEqual([
      ['0005-00000007', 2],
      ['0184-00000001', 2],
    ]);
  });

  it('--bank restricts the run; cancelled batches free their taxpayers', () => {
    const { db } = freshDb();
    settings(db, { bank: '0184' });
    settings(db, { bank: '0005' });
    target(db, 'T1', { bank: '0005' });
    const r = extract(db, { date: D, banks: ['0184'] });
    expect(r.excluded).toEqual({ 'no-account-at-bank': 1 });
    expect(db.prepare(`SELECT bank_code FROM exclusions`).get()).toEqual({ bank_code: '0184' });
    const r2 = extract(db, { date: D, banks: ['0005'] });
    expect(r2.batches).toHaveLength(1);
    db.prepare(`UPDATE batches SET state = 'cancelled'`).run();
    const r3 = extract(db, { date: D, banks: ['0005'] });
    expect(r3.batches).toHaveLength(1);
    expect(r3.batches[0]?.id).toBe('0005-00000043');
  });

  it('splits into files at maxRecordsPerFile without splitting a request; request numbers by 宛名番号', () => {
    const { db } = freshDb();
    settings(db, { maxRecordsPerFile: 3, nextFileNumber: 100 });
    target(db, 'A01', { accounts: 2 });
    target(db, 'A02', { accounts: 2 });
    target(db, 'A03', { accounts: 1 });
    target(db, 'A04', { accounts: 3 });
    target(db, 'A05', { accounts: 4 }); // more than a file holds: 3 written, 1 left out
    const r = extract(db, { date: D, engine: { chunk: 2 } });
    expect(r.batches[0]).toMatchObject({ id: '0184-00000100', fileNumber: 100, files: 4, requests: 5, records: 11 });
    expect(r.accountsLeftOut).toEqual({ 'over-sub-number-limit': 1 });
    expect(db.prepare('SELECT seq, file_number, first_request, last_request, records, limit_total FROM batch_files ORDER BY seq').all()).toEqual([
      { seq: 1, file_number: 100, first_request: 1, last_request: 1, records: 2, limit_total: 100_000 },
      { seq: 2, file_number: 101, first_request: 2, last_request: 3, records: 3, limit_total: 200_000 },
      { seq: 3, file_number: 102, first_request: 4, last_request: 4, records: 3, limit_total: 100_000 },
      { seq: 4, file_number: 103, first_request: 5, last_request: 5, records: 3, limit_total: 100_000 },
    ]);
    expect(db.prepare('SELECT request_number, atena FROM requests ORDER BY request_number').all().map((x) => (x as { atena: string }).atena)).toEqual([
      'A01',
      'A02',
      'A03',
      'A04',
      'A05',
    ]);
    expect(db.prepare(`SELECT next_file_number AS n FROM bank_settings`).get()).toEqual({ n: 104 });
  });

  it('--dry-run computes the same and stores nothing', () => {
    const { db } = freshDb();
    settings(db);
    target(db, 'T1');
    taxpayer(db, { atena: 'T2', status: 1 });
    debt(db, { chotei: 'Y', atena: 'T2' });
    const before = count(db, 'SELECT COUNT(*) AS n FROM audit_log');
    const dry = extract(db, { date: D, dryRun: true });
    expect(dry.extractionId).toBeNull();
    expect(dry.batches[0]).toMatchObject({ id: '0184-00000042', requests: 1, limitTotal: 100_000 });
    expect(dry.excluded).toEqual({ 'status-suspended': 1 });
    for (const t of ['extractions', 'exclusions', 'batches', 'batch_files', 'requests', 'request_debts', 'request_records']) {
      expect(count(db, `SELECT COUNT(*) AS n FROM ${t}`)).toBe(0);
    }
    expect(count(db, 'SELECT COUNT(*) AS n FROM audit_log')).toBe(before);
    expect(db.prepare(`SELECT next_file_number AS n FROM bank_settings`).get()).toEqual({ n: 42 });
    const real = extract(db, { date: D });
    expect(real.batches).toEqual(dry.batches);
  });

  it('refuses a non-business day with exit 2, naming the holiday or weekday', () => {
    const { db } = freshDb();
    const err = (d: string): AppError => {
      try {
        extract(db, { date: d });
      } catch (e) {
        return e as AppError;
      }
      throw new Error('no error');
    };
    const sat = err('2026-12-05');
    expect(sat.exit).toBe(2);
    expect(sat.msg.ja).toContain('土曜日');
    const hol = err('2026-11-23');
    expect(hol.msg.ja).toContain('勤労感謝の日');
    expect(err('2026-12-31').msg.ja).toContain('年末年始');
    expect(err('2026-02-30').exit).toBe(2);
    expect(count(db, 'SELECT COUNT(*) AS n FROM extractions')).toBe(0);
  });

  it('collection mode: option, else bank setting', () => {
    const { db } = freshDb();
    settings(db, { collectionMode: 'deferred' });
    target(db, 'T1');
    const r = extract(db, { date: D });
    expect(r.batches[0]?.collectionMode).toBe('deferred');
    db.prepare(`UPDATE batches SET state='cancelled'`).run();
    const r2 = extract(db, { date: D, collection: 'immediate' });
    expect(db.prepare('SELECT collection_mode FROM batches WHERE id = ?').get(r2.batches[0]?.id)).toEqual({ collection_mode: 'immediate' });
  });
});
