import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDb } from '../../src/db/connection.js';
import { getInstallationSetting, listBankSettings } from '../../src/db/settings.js';
import { documentSettings, loadSettingsFile } from '../../src/settings/index.js';
import { printableText, resolveFont } from '../../src/steps/documents/font.js';
import { yenText } from '../../src/steps/documents/page.js';
import { tmpDir } from '../import/helpers.js';
import { appErrorOf } from '../helpers/errors.js';

const BANK = { bankCode: '0184', requesterCode: '0000012345', requesterName: 'ｶｺﾞｼﾏｼ', depositBranch: '123', depositAccountType: '1', depositAccountNumber: '1234567' };

function writeJson(dir: string, value: unknown): string {
  const f = path.join(dir, 'settings.json');
  fs.writeFileSync(f, JSON.stringify(value));
  return f;
}

describe('settings of documents: authority, collector, documentFont', () => {
  it('stored by settings load beside the banks, kept by a load without them', () => {
    const dir = tmpDir();
    const font = path.join(dir, 'f.ttf');
    fs.writeFileSync(font, 'x');
    const db = openDb(path.join(dir, 's.db'));
    const r = loadSettingsFile(db, writeJson(dir, { authority: '鹿児島市長　甲', collector: '徴収職員　乙', documentFont: font, banks: [BANK] }));
    expect(r.documents).toEqual(['authority', 'collector', 'documentFont']);
    expect(documentSettings(db)).toEqual({ authority: '鹿児島市長　甲', collector: '徴収職員　乙', documentFont: font });
    loadSettingsFile(db, writeJson(dir, { collector: '徴収職員　丙', banks: [BANK] }));
    expect(documentSettings(db)).toEqual({ authority: '鹿児島市長　甲', collector: '徴収職員　丙', documentFont: font });
    db.close();
  });

  const BAD: Array<[string, Record<string, unknown>, string]> = [
    ['an empty authority', { authority: ' ' }, 'authority'],
    ['a collector over two lines', { collector: '徴収職員\n乙' }, 'collector'],
    ['a font that does not exist', { documentFont: '/nonexistent/font.ttf' }, 'documentFont'],
    ['a font file that is not a font', { documentFont: '/etc/hostname' }, 'documentFont'],
  ];
  for (const [name, value, field] of BAD) {
    it(`refuses ${name} (exit 3 at ${field}, nothing stored)`, () => {
      const dir = tmpDir();
      const db = openDb(path.join(dir, 's.db'));
      const e = appErrorOf(() => loadSettingsFile(db, writeJson(dir, { ...value, banks: [BANK] })));
      expect(e.exit).toBe(3);
      expect(e.findings.map((f) => f.field)).toContain(field);
      expect(getInstallationSetting(db, field as 'authority')).toBeUndefined();
      expect(listBankSettings(db)).toEqual([]);
      db.close();
    });
  }
});

describe('documents: text helpers', () => {
  it('yen with comma grouping and 円', () => {
    expect(yenText(0)).toBe('0円');
    expect(yenText(999)).toBe('999円');
    expect(yenText(1000)).toBe('1,000円');
    expect(yenText(1234567)).toBe('1,234,567円');
  });

  it('a character the font lacks becomes 〓 and is counted (surrogate pairs as one)', () => {
    const has = (cp: number): boolean => cp !== 0x20bb7;
    expect(printableText('\u{20BB7}田　一郎', has)).toEqual({ text: '〓田　一郎', missing: 1 });
    expect(printableText('吉田', has)).toEqual({ text: '吉田', missing: 0 });
  });

  it('the font: the setting when it exists, else the first default present; none: exit 2', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'a.ttf');
    fs.writeFileSync(f, 'x');
    expect(resolveFont(f).path).toBe(f);
    expect(resolveFont(undefined, ['/nonexistent/x.ttf', f]).path).toBe(f);
    expect(resolveFont(undefined, ['/x/NotoSansCJK-Regular.ttc', path.join(dir, 'NotoSansCJK-Regular.ttc')].map((p, i) => (i === 1 ? (fs.writeFileSync(p, 'x'), p) : p))).family).toBe('NotoSansCJKjp-Regular');
    expect(appErrorOf(() => resolveFont(undefined, ['/nonexistent/x.ttf'])).exit).toBe(2);
    expect(appErrorOf(() => resolveFont('/nonexistent/y.ttf')).code).toBe('documents.font-missing');
  });
});
