/**
 * inquire (inquiry-300.md "Writing a request"): who is asked and where, every exclusion
 * reason in its order, the recently-inquired skip, numbering in numeric 宛名番号 order,
 * files and the bank's one file-number sequence, history, dry run, names as written.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { inquire } from '../../src/steps/inquire/index.js';
import { extract } from '../../src/steps/extract/index.js';
import { GETA } from '../../src/text/widen.js';
import { appErrorOf } from '../helpers/errors.js';
import { BANKS, TODAY, inquiriesOf, inquiryDb, stored } from './helpers.js';

// "today" for the step and the CLI it spawns (vitest restores the variable after each test)
beforeEach(() => vi.stubEnv('SASHIOSAE_TODAY', TODAY));
afterEach(() => vi.unstubAllEnvs());

describe('inquire: who is asked', () => {
  it('asks every eligible taxpayer at every bank with settings, in numeric 宛名番号 order; each exclusion under its first reason', async () => {
    const { db } = await inquiryDb([
      { atena: '1000' },
      { atena: '99' },
      { atena: '100' },
      { atena: '5', noDebt: true }, // not a delinquent: not counted at all
      { atena: '200', status: 1, kana: '山田' }, // status first, before name-not-writable
      { atena: '201', status: 5 },
      { atena: '300', kubun: 2, kana: 'ヲノ' }, // no-seizable-debt before name-not-writable
      { atena: '400', accountsAt: ['0184'], kana: '山田' }, // in an open seizure request: before name-not-writable
      { atena: '0123' }, // pads to the same 10 digits as 123: both
      { atena: '123' },
      { atena: '12345678901' }, // 11 digits
      { atena: 'A12' },
      { atena: '500', kana: 'ヲガワ ハナコ' }, // ヲ cannot be written
      { atena: '501', kana: '山田太郎' }, // kanji-only kana
      { atena: '502', kana: 'ア'.repeat(41) }, // longer than 40
    ]);
    const ex = extract(db, { date: TODAY, banks: ['0184'] });
    expect(ex.batches.map((b) => b.requests)).toEqual([1]);
    const r = inquire(db, { date: TODAY });
    expect(r.excluded).toEqual({
      'status-suspended': 1,
      'status-deceased': 1,
      'no-seizable-debt': 1,
      'in-open-batch': 1,
      'id-not-writable': 4,
      'name-not-writable': 3,
    });
    expect(Object.keys(r.excluded)).toEqual(['status-suspended', 'status-deceased', 'no-seizable-debt', 'in-open-batch', 'id-not-writable', 'name-not-writable']);
    expect(r.skipped).toEqual({ 'recently-inquired': 0 });
    // the extract took file number 1 at 0184: the inquiry batch takes 2 there, 1 at the others
    expect(r.batches).toEqual([
      { id: '0184-00000002', bankCode: '0184', fileNumbers: [2], inquiries: 3 },
      { id: '0187-00000001', bankCode: '0187', fileNumbers: [1], inquiries: 3 },
      { id: '0188-00000001', bankCode: '0188', fileNumbers: [1], inquiries: 3 },
    ]);
    expect(r.run).toBe(1);
    for (const b of r.batches) expect(inquiriesOf(db, b.id).map((i) => [i.seq, i.atena])).toEqual([[1, '99'], [2, '100'], [3, '1000']]);
    const rows = db.prepare('SELECT atena, reason, detail FROM exclusions e JOIN extractions x ON x.id = e.extraction_id WHERE x.kind = \'inquiry\' ORDER BY atena').all();
    expect(rows).toEqual([
      { atena: '0123', reason: 'id-not-writable', detail: 'padded-duplicate' },
      { atena: '123', reason: 'id-not-writable', detail: 'padded-duplicate' },
      { atena: '12345678901', reason: 'id-not-writable', detail: 'not-1-to-10-digits' },
      { atena: '200', reason: 'status-suspended', detail: null },
      { atena: '201', reason: 'status-deceased', detail: null },
      { atena: '300', reason: 'no-seizable-debt', detail: 'C000006:not-enforceable' },
      { atena: '400', reason: 'in-open-batch', detail: '0184' },
      { atena: '500', reason: 'name-not-writable', detail: 'wo' },
      { atena: '501', reason: 'name-not-writable', detail: 'kanji' },
      { atena: '502', reason: 'name-not-writable', detail: 'too-long' },
      { atena: 'A12', reason: 'id-not-writable', detail: 'not-1-to-10-digits' },
    ]);
    const batch = db.prepare("SELECT kind, state, execution_date, history_from, layout_id, requests, records, collection_mode FROM batches WHERE id = '0187-00000001'").get();
    expect(batch).toEqual({ kind: 'inquiry', state: 'extracted', execution_date: TODAY, history_from: '2026-09-02', layout_id: 'inquiry-300', requests: 3, records: 3, collection_mode: null });
    db.close();
  });

  it('--bank limits the banks; a bank without settings and a database without any are usage errors (exit 2), nothing stored', async () => {
    const { db } = await inquiryDb([{ atena: '1' }], { banks: ['0184'] });
    const before = stored(db);
    const e = appErrorOf(() => inquire(db, { date: TODAY, banks: ['0184', '0009'] }));
    expect(e.exit).toBe(2);
    expect(e.msg.ja).toContain('0009');
    expect(appErrorOf(() => inquire(db, { date: TODAY, banks: ['184'] })).exit).toBe(2);
    expect(stored(db)).toEqual(before);
    db.prepare('DELETE FROM bank_settings').run();
    const none = appErrorOf(() => inquire(db, { date: TODAY }));
    expect([none.exit, none.code]).toEqual([2, 'inquire.no-banks']);
    db.close();
  });
});

describe('inquire: recently inquired', () => {
  it('skips a (taxpayer, bank) asked within --reinquire-after; a taxpayer skipped everywhere is excluded instead; a cancelled inquiry does not count', async () => {
    const { db } = await inquiryDb([{ atena: '1' }, { atena: '2' }, { atena: '3' }]);
    const first = inquire(db, { date: TODAY, banks: ['0184'] });
    expect(first.batches).toEqual([{ id: '0184-00000001', bankCode: '0184', fileNumbers: [1], inquiries: 3 }]);

    const second = inquire(db, { date: '2026-12-02' });
    expect(second.skipped).toEqual({ 'recently-inquired': 3 });
    expect(second.excluded).toEqual({});
    expect(second.batches.map((b) => [b.bankCode, b.inquiries])).toEqual([['0187', 3], ['0188', 3]]);
    expect(second.run).toBe(2);

    // now asked everywhere within 30 days: excluded, and their pairs not counted as skipped
    const third = inquire(db, { date: '2026-12-03', dryRun: true });
    expect(third.excluded).toEqual({ 'recently-inquired': 3 });
    expect(third.skipped).toEqual({ 'recently-inquired': 0 });
    expect(third.batches).toEqual([]);

    // outside the window (照会基準日 ≥ D − days): asked again
    expect(inquire(db, { date: '2026-12-03', reinquireAfter: 0, dryRun: true }).batches.map((b) => b.inquiries)).toEqual([3, 3, 3]);
    // a cancelled batch does not count: asked again at 0184, still skipped at 0187 and 0188
    db.prepare("UPDATE batches SET state = 'cancelled' WHERE id = '0184-00000001'").run();
    const fourth = inquire(db, { date: '2026-12-03' });
    expect(fourth.skipped).toEqual({ 'recently-inquired': 6 });
    expect(fourth.excluded).toEqual({});
    expect(fourth.batches.map((b) => [b.id, b.inquiries])).toEqual([['0184-00000002', 3]]);
    db.close();
  });

  it('an answered inquiry counts like a pending one (any answer code)', async () => {
    const { db } = await inquiryDb([{ atena: '1' }], { banks: ['0184'] });
    inquire(db, { date: TODAY });
    db.prepare("UPDATE batches SET state = 'answered'").run();
    // every file answered (ADR 0195: the codes are derived from the file's answer import)
    const imp = db.prepare("INSERT INTO imports (kind, sha256, files, imported_at, operator) VALUES ('answers', 'x', '[]', 't', 'test')").run().lastInsertRowid;
    db.prepare('UPDATE batch_files SET results_import_id = ?').run(imp);
    expect(db.prepare('SELECT DISTINCT answer_code FROM inquiry_answers').pluck().all()).toEqual(['2']);
    expect(inquire(db, { date: '2026-12-28', dryRun: true }).excluded).toEqual({ 'recently-inquired': 1 });
    expect(inquire(db, { date: '2026-12-28', reinquireAfter: 26, dryRun: true }).excluded).toEqual({});
    db.close();
  });
});

describe('inquire: batches, files, numbers', () => {
  it('pages of any size give the same batches, counts and order (keyset pages in text order, numbers in numeric order)', async () => {
    const atenas = ['7', '70', '700', '8', '9', '10', '1', '0010', '11', '2'];
    const { db } = await inquiryDb(atenas.map((atena, i) => ({ atena, ...(i % 4 === 3 ? { status: 1 } : {}) })));
    inquire(db, { date: TODAY, banks: ['0188'] });
    const one = inquire(db, { date: '2026-12-02', dryRun: true, pageSize: 1 });
    const three = inquire(db, { date: '2026-12-02', dryRun: true, pageSize: 3 });
    const all = inquire(db, { date: '2026-12-02' });
    expect(one).toEqual({ ...all, dryRun: true });
    expect(three).toEqual({ ...all, dryRun: true });
    expect(all.excluded).toEqual({ 'status-suspended': 2, 'id-not-writable': 1 }); // 0010 suspended first, 10 still collides with it
    expect(all.skipped).toEqual({ 'recently-inquired': 7 });
    expect(inquiriesOf(db, all.batches[0]!.id).map((i) => i.atena)).toEqual(['1', '2', '7', '9', '11', '70', '700']);
    db.close();
  });

  it('splits a batch into files of maxRecordsPerFile; numbers run across the batch; the file numbers are reserved', async () => {
    const { db } = await inquiryDb(['1', '2', '3', '4', '5'].map((atena) => ({ atena })), { banks: ['0184'], maxRecordsPerFile: 2 });
    const r = inquire(db, { date: TODAY });
    expect(r.batches).toEqual([{ id: '0184-00000001', bankCode: '0184', fileNumbers: [1, 2, 3], inquiries: 5 }]);
    expect(db.prepare('SELECT seq, file_number, first_request, last_request, records, limit_total FROM batch_files ORDER BY seq').all()).toEqual([
      { seq: 1, file_number: 1, first_request: 1, last_request: 2, records: 2, limit_total: 0 },
      { seq: 2, file_number: 2, first_request: 3, last_request: 4, records: 2, limit_total: 0 },
      { seq: 3, file_number: 3, first_request: 5, last_request: 5, records: 1, limit_total: 0 },
    ]);
    expect(inquiriesOf(db, '0184-00000001').map((i) => i.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stored(db)['next']).toEqual([{ bank_code: '0184', next_file_number: 4 }]);
    db.close();
  });

  it('one file-number sequence per bank: an extract after an inquire takes the next number, and an inquire after an extract', async () => {
    const { db } = await inquiryDb([{ atena: '1', accountsAt: ['0184'] }, { atena: '2' }], { banks: ['0184'], nextFileNumber: 7 });
    expect(inquire(db, { date: TODAY }).batches.map((b) => b.fileNumbers)).toEqual([[7]]);
    const ex = extract(db, { date: TODAY, banks: ['0184'] });
    expect(ex.batches.map((b) => [b.id, b.fileNumber])).toEqual([['0184-00000008', 8]]);
    const again = inquire(db, { date: '2026-12-02', reinquireAfter: 0 });
    expect(again.batches.map((b) => [b.id, b.fileNumbers])).toEqual([['0184-00000009', [9]]]);
    expect(again.excluded).toEqual({ 'in-open-batch': 1 });
    db.close();
  });

  it('--history-days: 取引明細開始日 = D − N (default 90), 0 = none (null)', async () => {
    const { db } = await inquiryDb([{ atena: '1' }], { banks: ['0184'] });
    expect(inquire(db, { date: TODAY, dryRun: true }).historyFrom).toBe('2026-09-02');
    expect(inquire(db, { date: TODAY, historyDays: 30, dryRun: true }).historyFrom).toBe('2026-11-01');
    const r = inquire(db, { date: TODAY, historyDays: 0 });
    expect(r.historyFrom).toBeNull();
    expect(db.prepare('SELECT history_from FROM batches').pluck().get()).toBeNull();
    db.close();
  });

  it('--dry-run computes the same (file numbers included) and stores and reserves nothing', async () => {
    const { db } = await inquiryDb([{ atena: '1' }, { atena: '2' }, { atena: '3', status: 2 }], { maxRecordsPerFile: 1, nextFileNumber: 5 });
    const before = stored(db);
    const dry = inquire(db, { date: TODAY, dryRun: true });
    expect(stored(db)).toEqual(before);
    expect(dry.dryRun).toBe(true);
    const real = inquire(db, { date: TODAY });
    expect({ ...dry, dryRun: false }).toEqual(real);
    expect(real.batches.map((b) => b.fileNumbers)).toEqual([[5, 6], [5, 6], [5, 6]]);
    expect(real.run).toBe(1);
    db.close();
  });
});

describe('inquire: names and addresses as written', () => {
  it('氏名カナ narrowed; 氏名 with 𠮷 and an emoji → 〓 counted per record (3 banks: 3); a 60-character address shortened, counted', async () => {
    const address = '鹿児島県鹿児島市山下町十一番一号'.repeat(4).slice(0, 60);
    const { db } = await inquiryDb([
      { atena: '10', name: '𠮷田 😀子', kana: 'ヨシダ ハナコ', address },
      { atena: '11', name: 'ｻﾄｳ 〜−', address: 'ﾋﾞﾙ 1-2' },
    ]);
    const r = inquire(db, { date: TODAY });
    expect(r.substituted).toEqual({ gaiji: 3, nameShortened: 0, addressShortened: 3 });
    for (const b of BANKS) {
      const [p, q] = inquiriesOf(db, `${b}-00000001`);
      expect(p).toMatchObject({ kana: 'ﾖｼﾀﾞ ﾊﾅｺ', name: `${GETA}田　${GETA}子`, address: address.slice(0, 50), birth_date: '1970-04-01' });
      expect(q).toMatchObject({ name: 'サトウ　～－', address: 'ビル　１－２' });
    }
    db.close();
  });
});

describe('inquire: the base date', () => {
  const BAD: Array<[string, string, RegExp]> = [
    ['before today', '2026-11-30', /今日（2026-12-01）より前/],
    ['a Sunday', '2026-12-06', /営業日ではありません（日曜日）/],
    ['a national holiday', '2026-11-23', /営業日ではありません（祝日（勤労感謝の日）/],
    ['not a date', '2026-02-30', /実在する日付ではありません/],
  ];
  for (const [what, date, message] of BAD) {
    it(`refuses ${what} (exit 2, nothing stored)`, async () => {
      const { db } = await inquiryDb([{ atena: '1' }]);
      const before = stored(db);
      const e = appErrorOf(() => inquire(db, { date }));
      expect(e.exit).toBe(2);
      expect(e.msg.ja).toMatch(message);
      expect(e.msg.ja).toContain('照会基準日');
      expect(stored(db)).toEqual(before);
      db.close();
    });
  }

  it("measures 'before today' against the caller's today when one is given (the demo's scenario, ADR 0137)", async () => {
    const { db } = await inquiryDb([{ atena: '1' }]);
    const e = appErrorOf(() => inquire(db, { date: '2026-11-30', today: '2026-12-02' }));
    expect(e.msg.ja).toMatch(/今日（2026-12-02）より前/);
    const r = inquire(db, { date: '2026-11-30', today: '2026-11-30' });
    expect(r.batches.map((b) => b.inquiries)).toEqual(BANKS.map(() => 1));
    expect(process.env['SASHIOSAE_TODAY']).toBe(TODAY); // the clock the CLI reads is untouched
    db.close();
  });
});
