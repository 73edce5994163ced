import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ACCOUNT_COLUMNS,
  DEBT_COLUMNS,
  PAYMENT_COLUMNS,
  TAXPAYER_COLUMNS,
  generateExport,
  type GenerateResult,
} from '../../src/demo/generate.js';
import { AppError } from '../../src/core/errors.js';
import { settingsFileSchema } from '../../src/settings/index.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

type Row = Record<string, string>;
function readCsv(file: string, enc: 'cp932' | 'utf8' = 'cp932'): { header: string[]; rows: Row[]; text: string } {
  const bytes = fs.readFileSync(file);
  const text = enc === 'cp932' ? iconv.decode(bytes, 'cp932') : bytes.toString('utf8');
  const records = parse(text, { relax_column_count: false }) as string[][];
  const header = records[0]!;
  const rows = records.slice(1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]!])));
  return { header, rows, text };
}
function sha(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
const CSV_FILES = ['taxpayers', 'debts', 'accounts', 'payments'] as const;
const COLUMNS = { taxpayers: TAXPAYER_COLUMNS, debts: DEBT_COLUMNS, accounts: ACCOUNT_COLUMNS, payments: PAYMENT_COLUMNS };

describe('generateExport — realistic profile', () => {
  let res: GenerateResult;
  let dir: string;
  const load = () => Object.fromEntries(CSV_FILES.map((f) => [f, readCsv(res.files[f])])) as Record<(typeof CSV_FILES)[number], ReturnType<typeof readCsv>>;

  it('writes the four CSVs with exactly the contract headers, CRLF, CP932 that decodes back', async () => {
    dir = path.join(tmp(), 'export');
    res = await generateExport({ outDir: dir, taxpayers: 1200, seed: 7 });
    expect(res.taxpayers).toBe(1200);
    for (const f of CSV_FILES) {
      const bytes = fs.readFileSync(res.files[f]);
      const { header, text } = readCsv(res.files[f]);
      expect(header).toEqual([...COLUMNS[f]]);
      expect(iconv.encode(text, 'cp932').equals(bytes)).toBe(true); // decodes back byte for byte
      expect(text).not.toContain('\ufffd');
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/); // no bare LF/CR
    }
    // not UTF-8: the kana bytes are Shift_JIS
    expect(fs.readFileSync(res.files.taxpayers).includes(Buffer.from('宛名番号', 'utf8'))).toBe(false);
    expect(fs.readFileSync(res.files.taxpayers).includes(iconv.encode('宛名番号', 'cp932'))).toBe(true);
  });

  it('row counts match the result and the options; keys are unique; references resolve', () => {
    const d = load();
    expect(d.taxpayers.rows.length).toBe(res.taxpayers);
    expect(d.debts.rows.length).toBe(res.debts);
    expect(d.accounts.rows.length).toBe(res.accounts);
    expect(d.payments.rows.length).toBe(res.payments);
    const ids = new Set(d.taxpayers.rows.map((r) => r['宛名番号']));
    expect(ids.size).toBe(1200);
    const debtIds = new Set(d.debts.rows.map((r) => r['調定番号']));
    expect(debtIds.size).toBe(res.debts);
    for (const r of d.debts.rows) expect(ids.has(r['宛名番号'])).toBe(true);
    for (const r of d.accounts.rows) expect(ids.has(r['宛名番号'])).toBe(true);
    for (const r of d.payments.rows) expect(debtIds.has(r['調定番号'])).toBe(true);
    const accKeys = new Set(d.accounts.rows.map((r) => [r['宛名番号'], r['金融機関コード'], r['支店コード'], r['預金種目'], r['口座番号']].join('|')));
    expect(accKeys.size).toBe(res.accounts);
  });

  it('values follow the contract formats', () => {
    const d = load();
    const iso = /^\d{4}-\d{2}-\d{2}$/;
    for (const r of d.taxpayers.rows) {
      expect(r['状態']).toMatch(/^[0-5]$/);
      expect(r['生年月日'] === '' || iso.test(r['生年月日']!)).toBe(true);
      expect(r['氏名']!.length).toBeGreaterThan(0);
      expect(r['氏名カナ']!.length).toBeGreaterThan(0);
    }
    for (const r of d.debts.rows) {
      expect(r['債権区分']).toMatch(/^[123]$/);
      expect(r['納期限']).toMatch(iso);
      expect(r['納期限']! < '2026-12-01').toBe(true);
      for (const k of ['本税', '本税収納済額', '督促手数料', '督促手数料収納済額', '延滞金収納済額']) expect(r[k]).toMatch(/^\d+$/);
      const honzei = Number(r['本税']);
      expect(honzei).toBeGreaterThanOrEqual(1_000);
      expect(honzei).toBeLessThanOrEqual(400_000);
      expect(Number(r['本税収納済額'])).toBeLessThanOrEqual(honzei);
      expect(Number(r['督促手数料収納済額'])).toBeLessThanOrEqual(Number(r['督促手数料']));
      if (r['債権区分'] !== '1') {
        expect(r['延滞金区分']).toBe('0');
        expect(r['督促手数料']).toBe('0');
      } else expect(r['延滞金区分']).toBe('1');
      if (r['督促状発付日'] !== '') expect(r['督促状発付日']! > r['納期限']!).toBe(true);
    }
    for (const r of d.accounts.rows) {
      expect(r['金融機関コード']).toMatch(/^(0184|0005|0009)$/);
      expect(r['支店コード']).toMatch(/^\d{3}$/);
      expect(r['預金種目']).toMatch(/^[12349]$/);
      expect(r['口座番号']).toMatch(/^\d{7}$/);
      expect(r['調査時残高']).toMatch(/^\d+$/);
    }
  });

  it('payments.csv history agrees with 本税収納済額 / 督促手数料収納済額 and comes after the due date', () => {
    const d = load();
    const paid = new Map<string, { honzei: number; fee: number; first: string }>();
    for (const p of d.payments.rows) {
      const cur = paid.get(p['調定番号']!) ?? { honzei: 0, fee: 0, first: '9999' };
      cur.honzei += Number(p['本税']);
      cur.fee += Number(p['督促手数料']);
      if (p['収納日']! < cur.first) cur.first = p['収納日']!;
      paid.set(p['調定番号']!, cur);
      expect(p['収納日']! < '2026-12-01').toBe(true);
    }
    let withHistory = 0;
    for (const r of d.debts.rows) {
      const h = paid.get(r['調定番号']!);
      expect(h?.honzei ?? 0).toBe(Number(r['本税収納済額']));
      expect(h?.fee ?? 0).toBe(Number(r['督促手数料収納済額']));
      if (h) {
        withHistory++;
        expect(h.first > r['納期限']!).toBe(true);
      }
    }
    expect(withHistory).toBe(res.expected.partlyPaidDebts + res.expected.debtsByKind.onlyEntaikin);
  });

  it('expected counts match what is in the files', () => {
    const d = load();
    const e = res.expected;
    const byStatus: Record<string, number> = {};
    for (const r of d.taxpayers.rows) byStatus[r['状態']!] = (byStatus[r['状態']!] ?? 0) + 1;
    for (const s of ['0', '1', '2', '3', '4', '5'] as const) expect(byStatus[s] ?? 0).toBe(e.taxpayersByStatus[s]);
    for (const s of ['1', '2', '3', '4', '5']) expect(byStatus[s] ?? 0).toBeGreaterThan(0);
    expect(byStatus['0']! / 1200).toBeGreaterThan(0.7);

    const byKubun: Record<string, number> = {};
    for (const r of d.debts.rows) byKubun[r['債権区分']!] = (byKubun[r['債権区分']!] ?? 0) + 1;
    expect(byKubun).toEqual({ '1': e.debtsByKubun['1'], '2': e.debtsByKubun['2'], '3': e.debtsByKubun['3'] });
    const kinds = e.debtsByKind;
    expect(kinds.ripe + kinds.notRipe + kinds.noReminder + kinds.prescribed + kinds.onlyEntaikin).toBe(e.debtsByKubun['1']);
    expect(kinds.notEnforceable).toBe(e.debtsByKubun['2'] + e.debtsByKubun['3']);
    for (const k of Object.values(kinds)) expect(k).toBeGreaterThan(0);

    // prescribed: 時効完成日 on or before the processing date, exactly as many as intended
    expect(d.debts.rows.filter((r) => r['時効完成日'] !== '' && r['時効完成日']! <= '2026-12-01').length).toBe(kinds.prescribed);
    // missing reminders
    expect(d.debts.rows.filter((r) => r['債権区分'] === '1' && r['督促状発付日'] === '').length).toBe(kinds.noReminder);
    // reminders issued but fewer than 11 days before the processing date
    expect(d.debts.rows.filter((r) => r['督促状発付日'] !== '' && r['督促状発付日']! > '2026-11-20').length).toBe(kinds.notRipe);
    // owing only 延滞金: 本税 and fee fully paid
    expect(
      d.debts.rows.filter((r) => r['債権区分'] === '1' && r['本税'] === r['本税収納済額'] && r['督促手数料'] === r['督促手数料収納済額']).length,
    ).toBe(kinds.onlyEntaikin);

    const accByBank: Record<string, number> = {};
    const tpByBank: Record<string, Set<string>> = {};
    for (const r of d.accounts.rows) {
      const b = r['金融機関コード']!;
      accByBank[b] = (accByBank[b] ?? 0) + 1;
      (tpByBank[b] ??= new Set()).add(r['宛名番号']!);
    }
    expect(accByBank).toEqual(e.accountsByBank);
    for (const b of e.banks) expect(tpByBank[b]!.size).toBe(e.taxpayersWithAccountsByBank[b]);
    const withAccount = new Set(d.accounts.rows.map((r) => r['宛名番号']));
    expect(1200 - withAccount.size).toBe(e.taxpayersWithoutAccounts);
    expect(e.recordsAtFirstBank).toBe(accByBank['0184']);
    // several accounts at one bank for some taxpayers
    const perTpBank = new Map<string, number>();
    for (const r of d.accounts.rows) perTpBank.set(`${r['宛名番号']}|${r['金融機関コード']}`, (perTpBank.get(`${r['宛名番号']}|${r['金融機関コード']}`) ?? 0) + 1);
    expect([...perTpBank.values()].some((n) => n >= 2)).toBe(true);
  });

  it('makes corporations without birth dates and the intended unwritable names', () => {
    const d = load();
    const e = res.expected;
    const corp = d.taxpayers.rows.filter((r) => /^(カ|ユ|ド|トクヒ|シャ)）|（カ$/.test(r['氏名カナ']!));
    expect(corp.length).toBe(e.corporations);
    for (const r of corp) expect(r['生年月日']).toBe('');
    const wo = d.taxpayers.rows.filter((r) => r['氏名カナ']!.includes('ヲ'));
    expect(wo.length).toBe(e.unwritableNames.wo);
    const kanji = d.taxpayers.rows.filter((r) => /\p{Script=Han}/u.test(r['氏名カナ']!));
    expect(kanji.length).toBe(e.unwritableNames.kanjiInKana);
    expect(e.unwritableNames.wo).toBeGreaterThan(0);
    expect(e.unwritableNames.kanjiInKana).toBeGreaterThan(0);
    expect(e.unwritableNames.tooLong).toBe(1); // index 29 only (the other is at 3001)
    // their accounts carry no bank-reported name, so 氏名カナ is what would be written
    const bad = new Set([...wo, ...kanji].map((r) => r['宛名番号']));
    for (const a of d.accounts.rows) if (bad.has(a['宛名番号'])) expect(a['口座名義カナ']).toBe('');
    // 口座名義カナ: sometimes empty, sometimes full-width, sometimes half-width
    const holders = d.accounts.rows.map((r) => r['口座名義カナ']!);
    expect(holders.some((h) => h === '')).toBe(true);
    expect(holders.some((h) => /[ァ-ヶ]/.test(h))).toBe(true);
    expect(holders.some((h) => /[ｦ-ﾟ]/.test(h))).toBe(true);
  });

  it('files are mode 0600 and a new directory is 0700; settings.json passes the settings schema', () => {
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of Object.values(res.files)) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(dir).sort()).toEqual(['accounts.csv', 'debts.csv', 'payments.csv', 'settings.json', 'taxpayers.csv']);
    const settings = JSON.parse(fs.readFileSync(res.files.settings, 'utf8'));
    expect(settingsFileSchema.safeParse(settings).success).toBe(true);
    expect(settings.banks.map((b: { bankCode: string }) => b.bankCode)).toEqual(['0184', '0005', '0009']);
    expect(settings.banks[0]).toMatchObject({ bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', requesterCode: '0000012345', requesterName: 'ｶｺﾞｼﾏｼ', layout: 'seizure-120' });
    expect(settings.banks[1].bankName).toBe('ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ');
    expect(settings.banks[2].bankName).toBe('ﾐﾂｲｽﾐﾄﾓ');
  });
});

describe('determinism', () => {
  it('the same seed gives byte-identical files; another seed gives different ones', async () => {
    const a = await generateExport({ outDir: tmp(), taxpayers: 300, seed: 42 });
    const b = await generateExport({ outDir: tmp(), taxpayers: 300, seed: 42 });
    const c = await generateExport({ outDir: tmp(), taxpayers: 300, seed: 43 });
    for (const f of [...CSV_FILES, 'settings'] as const) expect(sha(a.files[f])).toBe(sha(b.files[f]));
    for (const f of CSV_FILES) expect(sha(a.files[f])).not.toBe(sha(c.files[f]));
    expect(a.expected).toEqual(b.expected);
  });

  it('utf8 holds the same text as cp932', async () => {
    const a = await generateExport({ outDir: tmp(), taxpayers: 200, seed: 5 });
    const u = await generateExport({ outDir: tmp(), taxpayers: 200, seed: 5, encoding: 'utf8' });
    for (const f of CSV_FILES) {
      expect(fs.readFileSync(u.files[f], 'utf8')).toBe(iconv.decode(fs.readFileSync(a.files[f]), 'cp932'));
    }
  });
});

describe('bench profile', () => {
  it('gives exactly `records` accounts, all at the first bank, every taxpayer seizable', async () => {
    const res = await generateExport({ outDir: tmp(), records: 2_501, taxpayers: 10, profile: 'bench', seed: 9 });
    const acc = readCsv(res.files.accounts).rows;
    expect(acc.length).toBe(2_501);
    expect(acc.every((r) => r['金融機関コード'] === '0184')).toBe(true);
    expect(res.expected.recordsAtFirstBank).toBe(2_501);
    expect(res.taxpayers).toBeGreaterThan(1_500); // records wins over taxpayers: 10
    const tps = readCsv(res.files.taxpayers).rows;
    expect(tps.every((r) => r['状態'] === '0')).toBe(true);
    const perTp = new Map<string, number>();
    for (const r of acc) perTp.set(r['宛名番号']!, (perTp.get(r['宛名番号']!) ?? 0) + 1);
    expect(perTp.size).toBe(tps.length); // every taxpayer has an account
    expect([...perTp.values()].every((n) => n === 1 || n === 2)).toBe(true);
    const debts = readCsv(res.files.debts).rows;
    const owners = new Set(debts.map((r) => r['宛名番号']));
    expect(owners.size).toBe(tps.length);
    for (const r of debts) {
      expect(r['債権区分']).toBe('1');
      expect(r['督促状発付日']! <= '2026-11-20').toBe(true); // ripe on 2026-12-01
      expect(r['督促状発付日']).not.toBe('');
      expect(r['時効完成日']).toBe('');
    }
    expect(res.payments).toBe(0);
    expect(res.expected.seizableAccountsByBank['0184']).toBe(2_501);
  });

  it('honours --records in the realistic profile too (accounts at the first bank)', async () => {
    const res = await generateExport({ outDir: tmp(), records: 700, seed: 3 });
    const acc = readCsv(res.files.accounts).rows;
    expect(acc.filter((r) => r['金融機関コード'] === '0184').length).toBe(700);
  });
});

describe('options', () => {
  it('refuses bad options with usage errors (exit 2) in Japanese and English', async () => {
    const out = tmp();
    for (const bad of [
      { taxpayers: 0 },
      { records: -5 },
      { taxpayers: 1.5 },
      { banks: ['9999'] },
      { banks: ['0184', '0184'] },
      { processingDate: '2026-02-30' },
    ]) {
      const err = await generateExport({ outDir: out, ...bad }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).exit).toBe(2);
      expect((err as AppError).msg.ja.length).toBeGreaterThan(0);
    }
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('other banks and processing dates are honoured', async () => {
    const res = await generateExport({ outDir: tmp(), taxpayers: 300, banks: ['0001', '0184'], processingDate: '2025-03-03', seed: 1 });
    const acc = readCsv(res.files.accounts).rows;
    expect(new Set(acc.map((r) => r['金融機関コード']))).toEqual(new Set(['0001', '0184']));
    const debts = readCsv(res.files.debts).rows;
    expect(debts.every((r) => r['納期限']! < '2025-03-03')).toBe(true);
    expect(res.expected.processingDate).toBe('2025-03-03');
    const s = JSON.parse(fs.readFileSync(res.files.settings, 'utf8'));
    expect(s.banks[0]).toMatchObject({ bankCode: '0001', bankName: 'ﾐｽﾞﾎ' });
  });
});
