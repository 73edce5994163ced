/**
 * `sashiosae inquire` (cli.md): --json exactly as the contract, the human output in
 * Japanese without personal data, exit codes of bad dates and banks, --exclusions, the
 * audit log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cli } from '../import/helpers.js';
import { TODAY, inquiryDb, stored } from './helpers.js';
import { openDb } from '../../src/db/connection.js';

// "today" for the step and the CLI it spawns (vitest restores the variable after each test)
beforeEach(() => vi.stubEnv('SASHIOSAE_TODAY', TODAY));
afterEach(() => vi.unstubAllEnvs());

const PEOPLE = [
  { atena: '10', name: '𠮷田 😀子', kana: 'ヨシダ ハナコ', address: '鹿児島県鹿児島市山下町十一番一号'.repeat(4).slice(0, 60), birth: '1980-02-03' },
  { atena: '11', kana: 'ヲガワ ジロウ' },
  { atena: '12', status: 3 },
];
const PERSONAL = ['𠮷田', '😀', 'ヨシダ', 'ﾖｼﾀﾞ', 'ヲガワ', '山下町', '1980', '〓'];

describe('sashiosae inquire', () => {
  it('--json: the contract document; stored as it says; audit rows', async () => {
    const { db, file } = await inquiryDb(PEOPLE, { maxRecordsPerFile: 1 });
    db.close();
    const r = await cli(['--db', file, 'inquire', '--date', TODAY, '--history-days', '30', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      run: 1,
      date: TODAY,
      historyFrom: '2026-11-01',
      batches: [
        { id: '0184-00000001', bankCode: '0184', fileNumbers: [1], inquiries: 1 },
        { id: '0187-00000001', bankCode: '0187', fileNumbers: [1], inquiries: 1 },
        { id: '0188-00000001', bankCode: '0188', fileNumbers: [1], inquiries: 1 },
      ],
      excluded: { 'status-instalments': 1, 'name-not-writable': 1 },
      skipped: { 'recently-inquired': 0 },
      substituted: { gaiji: 3, nameShortened: 0, addressShortened: 3 },
    });
    for (const p of PERSONAL) expect(r.out + r.err, p).not.toContain(p);
    const db2 = openDb(file);
    const audits = db2.prepare("SELECT action, batch_id, details FROM audit_log WHERE action IN ('inquire', 'batch.inquire') ORDER BY id").all() as Array<{ action: string; batch_id: string | null; details: string }>;
    expect(audits.map((a) => [a.action, a.batch_id])).toEqual([
      ['batch.inquire', '0184-00000001'],
      ['batch.inquire', '0187-00000001'],
      ['batch.inquire', '0188-00000001'],
      ['inquire', null],
    ]);
    for (const a of audits) for (const p of PERSONAL) expect(a.details).not.toContain(p);
    db2.close();
  });

  it('human output: Japanese first (batches, file numbers, reasons, substitutions), English with --lang en; no personal data', async () => {
    const { db, file } = await inquiryDb(PEOPLE);
    db.close();
    const dry = await cli(['--db', file, 'inquire', '--date', TODAY, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('試算のみ');
    expect(dry.out).toContain('バッチ 0184-00000001  金融機関 0184  ファイル番号 1  照会 1件');
    expect(dry.out).toContain('分納誓約中 [status-instalments]: 1');
    expect(dry.out).toContain('氏名カナを半角カナ40バイト以内で書けない [name-not-writable]: 1');
    expect(dry.out).toContain('外字を〓に 3件');
    expect(dry.out).toContain('住所の切り詰め 3件');
    const en = await cli(['--db', file, '--lang', 'en', 'inquire', '--date', TODAY, '--bank', '0187']);
    expect(en.code).toBe(0);
    expect(en.out).toContain('batch 0187-00000001  bank 0187  file 1  inquiries 1');
    expect(en.out).toContain('next: sashiosae write 0187-00000001');
    for (const p of PERSONAL.filter((x) => x !== '〓')) expect(dry.out + dry.err + en.out + en.err, p).not.toContain(p);
  });

  it('--exclusions FILE lists who was left out and why (0600), none of their personal data', async () => {
    const { db, file, dir } = await inquiryDb(PEOPLE);
    db.close();
    const list = path.join(dir, 'excluded.csv');
    const r = await cli(['--db', file, 'inquire', '--date', TODAY, '--exclusions', list]);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(list, 'utf8');
    expect(text).toContain('11,name-not-writable,氏名カナを半角カナ40バイト以内で書けない');
    expect(text).toContain('12,status-instalments,分納誓約中');
    expect(fs.statSync(list).mode & 0o777).toBe(0o600);
    for (const p of PERSONAL) expect(text, p).not.toContain(p);
  });

  const BAD: Array<[string, string[], RegExp]> = [
    ['a base date before today', ['--date', '2026-11-30'], /照会基準日 2026-11-30 は今日（2026-12-01）より前です/],
    ['a base date on a Sunday', ['--date', '2026-12-06'], /照会基準日 2026-12-06 は金融機関の営業日ではありません（日曜日）/],
    ['a base date on a holiday', ['--date', '2026-11-23'], /照会基準日 2026-11-23 は金融機関の営業日ではありません（祝日/],
    ['a bank without settings', ['--date', TODAY, '--bank', '0009'], /金融機関 0009 の設定がありません/],
    ['a negative --history-days', ['--date', TODAY, '--history-days', '-1'], /--history-days/],
    ['a --reinquire-after that is not a number', ['--date', TODAY, '--reinquire-after', 'x'], /--reinquire-after/],
  ];
  for (const [what, args, message] of BAD) {
    it(`${what}: exit 2, located message, nothing stored`, async () => {
      const { db, file } = await inquiryDb(PEOPLE);
      const before = stored(db);
      db.close();
      const r = await cli(['--db', file, 'inquire', ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
      for (const p of PERSONAL) expect(r.out + r.err, p).not.toContain(p);
      const after = openDb(file);
      expect(stored(after)).toEqual(before);
      after.close();
    });
  }
});
