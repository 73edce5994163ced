import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCOUNT_COLUMNS, DEBT_COLUMNS, PAYMENT_COLUMNS, TAXPAYER_COLUMNS } from '../../src/demo/generate.js';
import { CORPORATIONS, GIVEN_FEMALE, GIVEN_MALE, KANJI_KANA_NAMES, SURNAMES, TOO_LONG_NAMES, WO_NAMES, bankHalfWidth, halfWidthBytes } from '../../src/demo/names.js';
import { Rng } from '../../src/demo/rng.js';
import { encodeCp932Into } from '../../src/demo/csv-sink.js';
import { narrowName } from '../../src/text/narrow.js';
import { settingsFileSchema } from '../../src/settings/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SAMPLES = path.join(ROOT, 'samples');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function readSample(name: string): string[][] {
  const bytes = fs.readFileSync(path.join(SAMPLES, name));
  const text = iconv.decode(bytes, 'cp932');
  expect(iconv.encode(text, 'cp932').equals(bytes)).toBe(true);
  expect(text).not.toContain('\ufffd');
  expect(text.endsWith('\r\n')).toBe(true);
  return parse(text) as string[][];
}

describe('samples/', () => {
  it('CSV files are CP932 with the contract headers', () => {
    const cases: Array<[string, readonly string[], number]> = [
      ['taxpayers.csv', TAXPAYER_COLUMNS, 15],
      ['debts.csv', DEBT_COLUMNS, 21],
      ['accounts.csv', ACCOUNT_COLUMNS, 16],
      ['payments.csv', PAYMENT_COLUMNS, 2],
    ];
    for (const [file, cols, n] of cases) {
      const rows = readSample(file);
      expect(rows[0]).toEqual([...cols]);
      expect(rows.length - 1).toBe(n);
      for (const r of rows) expect(r.length).toBe(cols.length);
    }
    // not UTF-8 by accident
    expect(fs.readFileSync(path.join(SAMPLES, 'taxpayers.csv')).includes(Buffer.from('宛名番号', 'utf8'))).toBe(false);
  });

  it('settings.json passes the settings schema; README documents every taxpayer', () => {
    const s = JSON.parse(fs.readFileSync(path.join(SAMPLES, 'settings.json'), 'utf8'));
    expect(settingsFileSchema.safeParse(s).success).toBe(true);
    const readme = fs.readFileSync(path.join(SAMPLES, 'README.md'), 'utf8');
    for (const r of readSample('taxpayers.csv').slice(1)) expect(readme).toContain(r[0]!);
  });

  it('extracting on 2026-12-01 gives exactly the outcome samples/README.md states', () => {
    const main = path.join(ROOT, 'dist/cli/main.js');
    expect(fs.existsSync(main)).toBe(true); // built by `pretest`
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    dirs.push(dir);
    const run = (...args: string[]) =>
      execFileSync(process.execPath, [main, '--db', path.join(dir, 'db.sqlite'), ...args], { encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-30' } });
    run('init'); // only init creates a database (cli.md)
    run('settings', 'load', path.join(SAMPLES, 'settings.json'));
    run('import', 'targets', '--taxpayers', path.join(SAMPLES, 'taxpayers.csv'), '--debts', path.join(SAMPLES, 'debts.csv'),
      '--accounts', path.join(SAMPLES, 'accounts.csv'), '--payments', path.join(SAMPLES, 'payments.csv'), '--as-of', '2026-11-30');
    const both = JSON.parse(run('--json', 'extract', '--date', '2026-12-01', '--dry-run'));
    const byBank = Object.fromEntries(both.batches.map((b: { bankCode: string }) => [b.bankCode, b]));
    expect(byBank['0184']).toMatchObject({ requests: 3, records: 4, limitTotal: 320_700 });
    expect(byBank['0005']).toMatchObject({ requests: 1, records: 1, limitTotal: 32_000 });
    expect(both.excluded).toEqual({
      'status-suspended': 1, 'status-instalments': 1, 'status-bankrupt': 1, 'status-deceased': 1,
      'no-seizable-debt': 4, 'no-account-at-bank': 1, 'name-not-writable': 2, 'assigned-to-other-bank': 1,
    });
    expect(both.debtsLeftOut).toEqual({ 'not-enforceable': 3, 'nothing-owing': 1, prescribed: 1, 'reminder-not-ripe': 3 });
    const only0184 = JSON.parse(run('--json', 'extract', '--date', '2026-12-01', '--dry-run', '--bank', '0184'));
    expect(only0184.batches).toHaveLength(1);
    expect(only0184.batches[0]).toMatchObject({ bankCode: '0184', requests: 4, records: 5, limitTotal: 352_700 });
  });
});

describe('name lists', () => {
  it('every ordinary person and corporation name narrows to ≤ 30 bytes; the product agrees', () => {
    const longestSurname = Math.max(...SURNAMES.map((s) => halfWidthBytes(s[1])));
    const longestGiven = Math.max(...[...GIVEN_MALE, ...GIVEN_FEMALE].map((g) => halfWidthBytes(g[1])));
    expect(longestSurname + 1 + longestGiven).toBeLessThanOrEqual(30);
    for (const s of SURNAMES) for (const g of [...GIVEN_MALE, ...GIVEN_FEMALE].slice(0, 8)) {
      const r = narrowName(`${s[1]}　${g[1]}`, { cls: 'party', maxBytes: 30 });
      expect(r.ok).toBe(true);
    }
    for (const [, kana] of CORPORATIONS) expect(narrowName(kana, { cls: 'party', maxBytes: 30 }).ok).toBe(true);
    // half-width bank-reported forms are writable too
    for (const [, kana] of CORPORATIONS) expect(narrowName(bankHalfWidth(kana), { cls: 'party', maxBytes: 30 }).ok).toBe(true);
  });

  it('the deliberately unwritable names are refused for the intended reason', () => {
    for (const [, kana] of WO_NAMES) {
      expect(kana).toContain('ヲ');
      const r = narrowName(kana, { cls: 'party', maxBytes: 30 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toBe('wo');
    }
    for (const [, kana] of KANJI_KANA_NAMES) {
      const r = narrowName(kana, { cls: 'party', maxBytes: 30 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toBe('kanji');
    }
    for (const [, kana] of TOO_LONG_NAMES) {
      expect(halfWidthBytes(kana)).toBeGreaterThan(30);
      const r = narrowName(kana, { cls: 'party', maxBytes: 30 });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toBe('too-long');
    }
  });

  it('bankHalfWidth writes voiced kana as base + mark and small kana full size', () => {
    expect(bankHalfWidth('ゴトウ　ジョージ')).toBe('ｺﾞﾄｳ ｼﾞﾖ-ｼﾞ');
    expect(bankHalfWidth('ベップ　ジュンペイ')).toBe('ﾍﾞﾂﾌﾟ ｼﾞﾕﾝﾍﾟｲ');
    expect(bankHalfWidth('カ）サクラショウジ')).toBe('ｶ)ｻｸﾗｼﾖｳｼﾞ');
  });
});

describe('Rng and the CP932 table', () => {
  it('is deterministic per seed, in range, and roughly uniform', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const c = new Rng(124);
    const sa = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 50 }, () => c.next())).not.toEqual(sa);
    const r = new Rng(1);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) {
      const v = r.next();
      expect(v >= 0 && v < 1).toBe(true);
      buckets[Math.floor(v * 10)]!++;
    }
    for (const n of buckets) expect(Math.abs(n - 10_000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const v = r.int(3, 5);
      expect(v === 3 || v === 4 || v === 5).toBe(true);
    }
  });

  it('encodes like iconv-lite and refuses characters CP932 lacks instead of writing ?', () => {
    const s = '鹿児島県　ﾔﾏﾀﾞ ﾀﾛｳ,ヴ～－①髙';
    const buf = Buffer.alloc(100);
    const n = encodeCp932Into(s, buf, 0);
    expect(buf.subarray(0, n).equals(iconv.encode(s, 'cp932'))).toBe(true);
    expect(() => encodeCp932Into('𠮷', buf, 0)).toThrow(RangeError);
    expect(() => encodeCp932Into('한', buf, 0)).toThrow(RangeError);
  });
});
