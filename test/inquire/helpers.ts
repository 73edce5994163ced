/**
 * Fixtures of the inquire tests: a database loaded by the import targets step from CSV
 * written here, and bank settings loaded by the settings module.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDb, type Db } from '../../src/db/connection.js';
import { importTargets } from '../../src/steps/import-targets/index.js';
import { loadSettingsFile } from '../../src/settings/index.js';
import { tempDir } from '../helpers/db.js';

export const TODAY = '2026-12-01'; // a Tuesday
export const BANKS = ['0184', '0187', '0188'];

export interface Person {
  atena: string;
  name?: string;
  kana?: string;
  birth?: string;
  address?: string;
  status?: number;
  /** 債権区分 of its one debt (default 1) */
  kubun?: number;
  /** no debt at all */
  noDebt?: boolean;
  /** accounts.csv rows at these banks (for extract) */
  accountsAt?: string[];
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const line = (cells: Array<string | number>) => cells.map((c) => csvCell(String(c))).join(',');

/** A database with these people (one debt each unless noDebt), accounts as asked, and settings for `banks`. */
export async function inquiryDb(
  people: Person[],
  opts: { banks?: string[]; maxRecordsPerFile?: number; nextFileNumber?: number; dir?: string } = {},
): Promise<{ db: Db; dir: string; file: string }> {
  const dir = opts.dir ?? tempDir();
  const tp = ['宛名番号,氏名,氏名カナ,生年月日,住所,状態,備考'];
  const debts = ['調定番号,宛名番号,債権区分,税目コード,税目名,年度,期別,納期限,本税,本税収納済額,督促手数料,督促手数料収納済額,延滞金収納済額,延滞金区分,督促状発付日,時効完成日'];
  const accts = ['宛名番号,金融機関コード,支店コード,預金種目,口座番号,口座名義カナ,調査日,調査時残高'];
  let n = 0;
  for (const p of people) {
    tp.push(line([p.atena, p.name ?? '山田 太郎', p.kana ?? 'ヤマダ タロウ', p.birth ?? '1970-04-01', p.address ?? '鹿児島市山下町11番1号', p.status ?? 0, '']));
    if (p.noDebt !== true) debts.push(line([`C${String(++n).padStart(6, '0')}`, p.atena, p.kubun ?? 1, '01', '市県民税', 2026, 1, '2026-04-30', 50000, 0, 100, 0, 0, 1, '2026-05-20', '']));
    for (const [i, b] of (p.accountsAt ?? []).entries()) accts.push(line([p.atena, b, '100', '1', String(1000000 + n * 10 + i), 'ヤマダ タロウ', '2026-11-01', 100000]));
  }
  const files: Record<string, string> = {};
  for (const [role, rows] of Object.entries({ taxpayers: tp, debts, accounts: accts })) {
    files[role] = path.join(dir, `${role}.csv`);
    fs.writeFileSync(files[role]!, `${rows.join('\n')}\n`);
  }
  const file = path.join(dir, 'inq.db');
  const db = openDb(file);
  await importTargets(db, { taxpayers: files['taxpayers']!, debts: files['debts']!, accounts: files['accounts']!, asOf: '2026-11-30', operator: 'tester' });
  const settings = path.join(dir, 'settings.json');
  fs.writeFileSync(
    settings,
    JSON.stringify({
      banks: (opts.banks ?? BANKS).map((b, i) => ({
        bankCode: b,
        requesterCode: String(12345 + i).padStart(10, '0'),
        requesterName: 'ｶｺﾞｼﾏｼ',
        bankName: 'ｷﾞﾝｺｳ',
        depositBranch: '123',
        depositAccountType: '1',
        depositAccountNumber: '1234567',
        ...(opts.maxRecordsPerFile !== undefined ? { maxRecordsPerFile: opts.maxRecordsPerFile } : {}),
        ...(opts.nextFileNumber !== undefined ? { nextFileNumber: opts.nextFileNumber } : {}),
      })),
    }),
  );
  loadSettingsFile(db, settings, 'tester');
  return { db, dir, file };
}

/** Row counts of what inquire stores (and settings' file numbers). */
export function stored(db: Db): Record<string, unknown> {
  const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    batches: n('SELECT COUNT(*) AS n FROM batches'),
    files: n('SELECT COUNT(*) AS n FROM batch_files'),
    inquiries: n('SELECT COUNT(*) AS n FROM inquiries'),
    runs: n('SELECT COUNT(*) AS n FROM extractions'),
    exclusions: n('SELECT COUNT(*) AS n FROM exclusions'),
    audit: n("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE '%inquire%'"),
    next: db.prepare('SELECT bank_code, next_file_number FROM bank_settings ORDER BY bank_code').all(),
  };
}

export function inquiriesOf(db: Db, batchId: string): Array<{ seq: number; atena: string; kana: string; name: string; address: string; birth_date: string | null }> {
  return db.prepare('SELECT seq, atena, kana, name, address, birth_date FROM inquiries WHERE batch_id = ? ORDER BY seq').all(batchId) as never;
}
