import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDb } from '../../src/db/connection.js';
import { getBankSettings, listBankSettings } from '../../src/db/settings.js';
import { loadSettingsFile } from '../../src/settings/index.js';
import { cli, tmpDir } from '../import/helpers.js';
import { appErrorOf } from '../helpers/errors.js';

const BANK = { bankCode: '0184', requesterCode: '0000012345', requesterName: 'ｶｺﾞｼﾏｼ', depositBranch: '123', depositAccountType: '1', depositAccountNumber: '1234567' };

function writeJson(dir: string, value: unknown): string {
  const f = path.join(dir, 'settings.json');
  fs.writeFileSync(f, JSON.stringify(value));
  return f;
}

const refused = appErrorOf;

describe('settings file', () => {
  it('loads with defaults, fills bankName from zengin-code, keeps next_file_number on reload', () => {
    const dir = tmpDir();
    const db = openDb(path.join(dir, 's.db'));
    const file = writeJson(dir, { banks: [BANK, { ...BANK, bankCode: '0187', bankName: 'ｶｺﾞｼﾏ', maxRecordsPerFile: 5000, fileNamePattern: 'K{bank}-{file}.DAT', collectionMode: 'deferred', layout: 'seizure-120' }] });
    const r = loadSettingsFile(db, file, 'tester');
    expect(r.banks).toEqual([
      { bankCode: '0184', created: true, bankNameFromZengin: true },
      { bankCode: '0187', created: true, bankNameFromZengin: false },
    ]);
    expect(getBankSettings(db, '0184')).toMatchObject({
      bankCode: '0184',
      requesterCode: '0000012345',
      requesterName: 'ｶｺﾞｼﾏｼ',
      bankName: 'ﾐﾔｻﾞｷ',
      depositBranch: '123',
      depositAccountType: '1',
      depositAccountNumber: '1234567',
      layout: 'seizure-120',
      maxRecordsPerFile: 999999,
      fileNamePattern: 'SASHI_{bank}_{file}.DAT',
      collectionMode: 'immediate',
      nextFileNumber: 1,
    });
    expect(getBankSettings(db, '0187')).toMatchObject({ bankName: 'ｶｺﾞｼﾏ', maxRecordsPerFile: 5000, collectionMode: 'deferred', fileNamePattern: 'K{bank}-{file}.DAT' });
    expect(getBankSettings(db, '9999')).toBeNull();
    db.prepare("UPDATE bank_settings SET next_file_number = 42 WHERE bank_code = '0184'").run();
    const again = loadSettingsFile(db, writeJson(dir, { banks: [{ ...BANK, requesterName: 'ｶｺﾞｼﾏｼ ｾﾞｲﾑｶ' }] }));
    expect(again.banks[0]!.created).toBe(false);
    expect(getBankSettings(db, '0184')).toMatchObject({ nextFileNumber: 42, requesterName: 'ｶｺﾞｼﾏｼ ｾﾞｲﾑｶ' });
    loadSettingsFile(db, writeJson(dir, { banks: [{ ...BANK, nextFileNumber: 7 }] }));
    expect(getBankSettings(db, '0184')!.nextFileNumber).toBe(42); // never lowered
    loadSettingsFile(db, writeJson(dir, { banks: [{ ...BANK, nextFileNumber: 100 }] }));
    expect(getBankSettings(db, '0184')!.nextFileNumber).toBe(100);
    expect(listBankSettings(db).map((b) => b.bankCode)).toEqual(['0184', '0187']);
    const audits = db.prepare("SELECT details FROM audit_log WHERE action = 'settings.load'").all() as Array<{ details: string }>;
    expect(audits.length).toBe(4);
    for (const a of audits) expect(a.details).not.toContain('1234567');
    db.close();
  });

  const BAD: Array<[string, Record<string, unknown>, string]> = [
    ['full-width requester name', { requesterName: 'カゴシマシ' }, 'banks.0.requesterName'],
    ['requester name with a kanji', { requesterName: 'ｶｺﾞｼﾏ市' }, 'banks.0.requesterName'],
    ['requester name of 41 bytes', { requesterName: 'ｱ'.repeat(41) }, 'banks.0.requesterName'],
    ['bank name with ( (not in the bank class)', { bankName: 'ﾐﾔｻﾞｷ(ｷﾞﾝｺｳ)' }, 'banks.0.bankName'],
    ['bank name of 16 bytes', { bankName: 'ｱ'.repeat(16) }, 'banks.0.bankName'],
    ['3-digit bank code', { bankCode: '184' }, 'banks.0.bankCode'],
    ['short requester code', { requesterCode: '12345' }, 'banks.0.requesterCode'],
    ['4-digit branch', { depositBranch: '1234' }, 'banks.0.depositBranch'],
    ['account type 5', { depositAccountType: '5' }, 'banks.0.depositAccountType'],
    ['8-digit account', { depositAccountNumber: '12345678' }, 'banks.0.depositAccountNumber'],
    ['max records 0', { maxRecordsPerFile: 0 }, 'banks.0.maxRecordsPerFile'],
    ['max records 1000000', { maxRecordsPerFile: 1_000_000 }, 'banks.0.maxRecordsPerFile'],
    ['pattern without {file}', { fileNamePattern: 'SASHI_{bank}.DAT' }, 'banks.0.fileNamePattern'],
    ['pattern with a directory', { fileNamePattern: '../{bank}_{file}.DAT' }, 'banks.0.fileNamePattern'],
    ['collection mode', { collectionMode: 'later' }, 'banks.0.collectionMode'],
    ['unknown key', { requestorCode: '1' }, 'banks.0.requestorCode'],
    ['missing deposit account', { depositAccountNumber: undefined }, 'banks.0.depositAccountNumber'],
    ['inquiry pattern without {bank}', { inquiryFileNamePattern: 'INQ_{file}.DAT' }, 'banks.0.inquiryFileNamePattern'],
    ['inquiry pattern with a directory', { inquiryFileNamePattern: 'a/INQ_{bank}_{file}.DAT' }, 'banks.0.inquiryFileNamePattern'],
    ['instruction pattern with ..', { instructionFileNamePattern: '..INST_{bank}_{file}.DAT' }, 'banks.0.instructionFileNamePattern'],
    ['inquiry layout with a space', { inquiryLayout: 'inquiry 300' }, 'banks.0.inquiryLayout'],
    ['instruction layout of 65 characters', { instructionLayout: 'x'.repeat(65) }, 'banks.0.instructionLayout'],
  ];
  for (const [name, patch, field] of BAD) {
    it(`refuses ${name} (exit 3, nothing stored)`, () => {
      const dir = tmpDir();
      const db = openDb(path.join(dir, 's.db'));
      const e = refused(() => loadSettingsFile(db, writeJson(dir, { banks: [{ ...BANK, ...patch }] })));
      expect(e.exit).toBe(3);
      expect(e.findings.map((f) => f.field)).toContain(field);
      expect(listBankSettings(db)).toEqual([]);
      db.close();
    });
  }

  it('inquiry and instruction keys: defaults, values from the file, kept by a reload that names them', () => {
    const dir = tmpDir();
    const db = openDb(path.join(dir, 's.db'));
    loadSettingsFile(db, writeJson(dir, { banks: [BANK] }));
    expect(getBankSettings(db, '0184')).toMatchObject({
      inquiryLayout: 'inquiry-300',
      inquiryFileNamePattern: 'INQ_{bank}_{file}.DAT',
      instructionLayout: 'instruction-120',
      instructionFileNamePattern: 'INST_{bank}_{file}.DAT',
    });
    const custom = { inquiryLayout: 'inquiry-300b', inquiryFileNamePattern: 'Q{bank}{file}.TXT', instructionLayout: 'inst-x', instructionFileNamePattern: 'I{bank}-{file}' };
    loadSettingsFile(db, writeJson(dir, { banks: [{ ...BANK, ...custom }] }));
    expect(getBankSettings(db, '0184')).toMatchObject(custom);
    const row = db.prepare('SELECT inquiry_layout_id, inquiry_file_name_pattern, instruction_layout_id, instruction_file_name_pattern FROM bank_settings').get();
    expect(row).toEqual({ inquiry_layout_id: 'inquiry-300b', inquiry_file_name_pattern: 'Q{bank}{file}.TXT', instruction_layout_id: 'inst-x', instruction_file_name_pattern: 'I{bank}-{file}' });
    db.close();
  });

  it('refuses a duplicated bank, invalid JSON and a bank unknown to zengin-code without bankName', () => {
    const dir = tmpDir();
    const db = openDb(path.join(dir, 's.db'));
    expect(refused(() => loadSettingsFile(db, writeJson(dir, { banks: [BANK, BANK] }))).findings[0]).toMatchObject({ field: 'banks.1.bankCode' });
    const f = path.join(dir, 'broken.json');
    fs.writeFileSync(f, '{"banks": [');
    expect(refused(() => loadSettingsFile(db, f)).exit).toBe(3);
    expect(refused(() => loadSettingsFile(db, writeJson(dir, { banks: [{ ...BANK, bankCode: '0003' }] }))).code).toBe('settings.bank-name-unknown');
    expect(refused(() => loadSettingsFile(db, path.join(dir, 'none.json'))).exit).toBe(2);
    expect(listBankSettings(db)).toEqual([]);
    db.close();
  });
});

describe('sashiosae settings (CLI)', () => {
  it('set, show --json (account masked), load', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'c.db');
    expect((await cli(['--db', db, 'init'])).code).toBe(0); // only init creates a database (cli.md)
    const missing = await cli(['--db', db, 'settings', 'set', '--bank', '0184', '--requester-code', '0000012345']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('--requester-name');
    const bad = await cli(['--db', db, 'settings', 'set', '--bank', '0184', '--requester-code', '0000012345', '--requester-name', 'かごしまし', '--deposit-branch', '123', '--deposit-type', '1', '--deposit-account', '1234567']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('依頼者名は半角カナ');
    const ok = await cli(['--db', db, 'settings', 'set', '--bank', '0184', '--requester-code', '0000012345', '--requester-name', 'ｶｺﾞｼﾏｼ', '--deposit-branch', '123', '--deposit-type', '1', '--deposit-account', '1234567', '--max-records', '500']);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('追加しました');
    const change = await cli(['--db', db, 'settings', 'set', '--bank', '0184', '--collection', 'deferred']);
    expect(change.code).toBe(0);
    const show = await cli(['--db', db, 'settings', 'show', '--json']);
    const doc = JSON.parse(show.out);
    expect(doc.banks[0]).toMatchObject({ bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', depositAccountNumber: '***4567', maxRecordsPerFile: 500, collectionMode: 'deferred' });
    const human = await cli(['--db', db, 'settings', 'show']);
    expect(human.out).toContain('***4567');
    expect(show.out + human.out).not.toContain('1234567');
    const file = writeJson(dir, { banks: [{ ...BANK, bankCode: '0187' }] });
    const load = await cli(['--db', db, 'settings', 'load', file]);
    expect(load.code).toBe(0);
    expect(load.out).toContain('金融機関 0187: 追加しました');
    const badFile = writeJson(dir, { banks: [{ ...BANK, depositBranch: '12' }] });
    const refusedLoad = await cli(['--db', db, 'settings', 'load', badFile]);
    expect(refusedLoad.code).toBe(3);
    expect(refusedLoad.err).toContain('banks.0.depositBranch');
    const inq = await cli(['--db', db, 'settings', 'set', '--bank', '0184', '--inquiry-layout', 'inquiry-300', '--inquiry-file-pattern', 'Q_{bank}_{file}.DAT', '--instruction-file-pattern', 'I_{bank}_{file}.DAT']);
    expect(inq.code).toBe(0);
    const shown = JSON.parse((await cli(['--db', db, 'settings', 'show', '--bank', '0184', '--json'])).out);
    expect(shown.banks[0]).toMatchObject({ inquiryLayout: 'inquiry-300', inquiryFileNamePattern: 'Q_{bank}_{file}.DAT', instructionLayout: 'instruction-120', instructionFileNamePattern: 'I_{bank}_{file}.DAT', collectionMode: 'deferred', maxRecordsPerFile: 500 });
    expect((await cli(['--db', db, 'settings', 'show'])).out).toContain('照会: レイアウト inquiry-300・ファイル名 Q_{bank}_{file}.DAT');
    const badInq = await cli(['--db', db, 'settings', 'set', '--bank', '0184', '--inquiry-file-pattern', 'Q_{bank}.DAT']);
    expect(badInq.code).toBe(2);
    expect(badInq.err).toContain('照会ファイル名パターン');
  });
});
