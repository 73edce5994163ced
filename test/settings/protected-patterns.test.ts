import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDb } from '../../src/db/connection.js';
import { getInstallationSetting, listBankSettings } from '../../src/db/settings.js';
import { configuredProtectedPatterns, loadSettingsFile } from '../../src/settings/index.js';
import { cli, tmpDir } from '../import/helpers.js';
import { appErrorOf } from '../helpers/errors.js';

const BANK = { bankCode: '0184', requesterCode: '0000012345', requesterName: 'ｶｺﾞｼﾏｼ', depositBranch: '123', depositAccountType: '1', depositAccountNumber: '1234567' };

function writeJson(dir: string, value: unknown): string {
  const f = path.join(dir, 'settings.json');
  fs.writeFileSync(f, JSON.stringify(value));
  return f;
}

describe('settings: protectedPatterns (installation-wide)', () => {
  it('stored with the banks in one load, kept by a load without the key, replaced by one with it', () => {
    const dir = tmpDir();
    const db = openDb(path.join(dir, 's.db'));
    const r = loadSettingsFile(db, writeJson(dir, { protectedPatterns: [{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }], banks: [BANK] }));
    expect(r.protectedPatterns).toEqual([{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }]);
    expect(configuredProtectedPatterns(db)).toEqual([{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }]);
    loadSettingsFile(db, writeJson(dir, { banks: [BANK] }));
    expect(configuredProtectedPatterns(db)).toEqual([{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }]);
    loadSettingsFile(db, writeJson(dir, { protectedPatterns: [], banks: [BANK] }));
    expect(configuredProtectedPatterns(db)).toEqual([]);
    db.close();
  });

  const BAD: Array<[string, unknown, string]> = [
    ['an empty pattern', [{ kind: '年金', pattern: '' }], 'protectedPatterns.0.pattern'],
    ['a pattern of spaces', [{ kind: '年金', pattern: '  ' }], 'protectedPatterns.0.pattern'],
    ['a full-width pattern', [{ kind: '年金', pattern: 'ネンキン' }], 'protectedPatterns.0.pattern'],
    ['a pattern longer than 摘要', [{ kind: '年金', pattern: 'ｱ'.repeat(41) }], 'protectedPatterns.0.pattern'],
    ['a missing kind', [{ pattern: 'ﾃｱﾃ' }], 'protectedPatterns.0.kind'],
    ['an unknown key', [{ kind: '年金', pattern: 'ﾃｱﾃ', note: 'x' }], 'protectedPatterns.0.note'],
    ['not a list', { kind: '年金', pattern: 'ﾃｱﾃ' }, 'protectedPatterns'],
  ];
  for (const [name, value, field] of BAD) {
    it(`refuses ${name} at ${field} (exit 3, nothing stored: neither the patterns nor the banks)`, () => {
      const dir = tmpDir();
      const db = openDb(path.join(dir, 's.db'));
      const e = appErrorOf(() => loadSettingsFile(db, writeJson(dir, { protectedPatterns: value, banks: [BANK] })));
      expect(e.exit).toBe(3);
      expect(e.findings.map((f) => f.field)).toContain(field);
      expect(e.findings.every((f) => f.file === 'settings.json')).toBe(true);
      expect(getInstallationSetting(db, 'protectedPatterns')).toBeUndefined();
      expect(listBankSettings(db)).toEqual([]);
      db.close();
    });
  }

  it('settings show lists the defaults and the extra patterns; --json gives the extra ones', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 's.db');
    openDb(db).close();
    const file = writeJson(dir, { protectedPatterns: [{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }], banks: [BANK] });
    const load = await cli(['--db', db, 'settings', 'load', file, '--json']);
    expect(load.code).toBe(0);
    expect(JSON.parse(load.out).protectedPatterns).toEqual([{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }]);
    const shown = JSON.parse((await cli(['--db', db, 'settings', 'show', '--json'])).out);
    expect(shown.protectedPatterns).toEqual([{ kind: '自治体独自手当', pattern: 'ｼﾞｿｳﾃｱﾃ' }]);
    const human = (await cli(['--db', db, 'settings', 'show'])).out;
    expect(human).toContain('ﾈﾝｷﾝ（年金）');
    expect(human).toContain('ｼﾞｿｳﾃｱﾃ（自治体独自手当）');
    const bad = await cli(['--db', db, 'settings', 'load', writeJson(dir, { protectedPatterns: [{ kind: '年金', pattern: 'ネンキン' }], banks: [BANK] })]);
    expect(bad.code).toBe(3);
    expect(bad.err).toContain('protectedPatterns.0.pattern');
    expect(bad.err).toContain('半角カナ');
  });
});
