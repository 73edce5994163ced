/**
 * The tables of the CSV export (src/domain/csv-tables.ts, ADR 0105) are the one list of
 * the columns: these tests check that what is derived from them follows them (the fast
 * path's positional binding, the staging tables, the upserts), that they agree with the
 * database schema and the rules they carry, and that `personal` decides what a message
 * may show.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../../src/core/errors.js';
import { CSV_TABLES, csvHeader, csvTable, Issue, keyPositions, type FileRole } from '../../src/domain/csv-tables.js';
import { TargetsStaging, upsertSql } from '../../src/db/targets.js';
import { TARGET_ROWS } from '../../src/steps/import-targets/target-rows.js';
import { importTargets } from '../../src/steps/import-targets/index.js';
import { newDb, setCell, tmpDir, writeSet } from './helpers.js';

const ROLES: FileRole[] = ['taxpayers', 'debts', 'accounts', 'payments'];
const KEYED = ['taxpayers', 'debts', 'accounts'] as const;

/** One row per file whose every value differs from the other values of its type in the row. */
const ROW: Record<FileRole, Record<string, string>> = {
  taxpayers: { 宛名番号: 'T-1', 氏名: '甲野　太郎', 氏名カナ: 'コウノ　タロウ', 生年月日: '1970-01-02', 住所: '鹿児島市山下町11番1号', 状態: '3' },
  debts: {
    調定番号: 'C-1',
    宛名番号: 'T-1',
    債権区分: '2',
    税目コード: '01',
    税目名: '市県民税',
    年度: '2024',
    期別: '4期',
    納期限: '2024-09-30',
    本税: '50000',
    本税収納済額: '1234',
    督促手数料: '100',
    督促手数料収納済額: '7',
    延滞金収納済額: '555',
    延滞金区分: '1',
    督促状発付日: '20241020',
    時効完成日: '2029-10-31',
  },
  accounts: { 宛名番号: 'T-1', 金融機関コード: '0184', 支店コード: '012', 預金種目: '2', 口座番号: '7654321', 口座名義カナ: 'ｺｳﾉ ﾀﾛｳ', 調査日: '2026-11-01', 調査時残高: '98765' },
  payments: { 調定番号: 'C-1', 収納日: '2025-01-15', 本税: '1234', 督促手数料: '7', 延滞金: '3' },
};

/** The export of ROW, each file's header in the reverse of its table's order. */
function writeReversed(dir: string): Record<FileRole, string> {
  const out = {} as Record<FileRole, string>;
  for (const role of ROLES) {
    const names = [...csvHeader(role)].reverse();
    const file = path.join(dir, `${role}.csv`);
    fs.writeFileSync(file, `${names.join(',')}\r\n${names.map((n) => ROW[role][n]).join(',')}\r\n`);
    out[role] = file;
  }
  return out;
}

describe('the tables of the CSV export', () => {
  it('every value lands in its own database column, whatever the header order, on both paths', async () => {
    for (const fastPath of [true, false]) {
      const dir = tmpDir();
      const db = newDb(dir);
      const s = await importTargets(db, { ...writeReversed(dir), asOf: '2026-12-01', operator: 'tester', engine: { producer: fastPath ? 'worker' : 'inline' } });
      expect(s.fastPath).toBe(fastPath);
      for (const role of ROLES) {
        const stored = db.prepare(`SELECT * FROM ${role}`).get() as Record<string, unknown>;
        for (const c of csvTable(role)) {
          const want = c.rule(ROW[role][c.csv]!);
          expect(want).not.toBeInstanceOf(Issue);
          expect({ role, column: c.column, value: stored[c.column] }).toEqual({ role, column: c.column, value: want });
        }
      }
      db.close();
    }
  });

  it('the fast path binds numbers where the table says numeric, and the statements list the table in order', () => {
    // the rows the fast-path worker hands over: the table's columns by header, in table order, numbers where numeric
    for (const role of ROLES) expect(Object.entries(TARGET_ROWS[role].schema)).toEqual(csvTable(role).map((c) => [c.csv, c.numeric ? 'int?' : 'str?']));
    for (const role of KEYED) {
      const columns = csvTable(role).map((c) => c.column);
      for (const from of ['row', 'stage'] as const) {
        const into = /^INSERT INTO \w+ \(([^)]*)\)/.exec(upsertSql(role, from))![1]!.split(', ');
        expect(into.slice(0, columns.length)).toEqual(columns);
      }
      const conflict = /ON CONFLICT \(([^)]*)\)/.exec(upsertSql(role, 'row'))![1]!.split(', ');
      expect(conflict).toEqual(keyPositions(role).map((i) => csvTable(role)[i]!.column));
    }
  });

  it('the staging tables have the table columns in order, numbers as INTEGER', () => {
    const db = newDb(tmpDir());
    const staging = new TargetsStaging(db);
    const info = (t: string): Array<{ name: string; type: string }> => db.prepare(`PRAGMA temp.table_info(${t})`).all() as Array<{ name: string; type: string }>;
    for (const role of KEYED) {
      expect(info(`stage_${role}`)).toEqual([...csvTable(role).map((c) => ({ name: c.column, type: c.numeric ? 'INTEGER' : 'TEXT' })), { name: 'line', type: 'INTEGER' }].map((x) => expect.objectContaining(x)));
    }
    expect(info('stage_payments')).toEqual([{ name: 'seq', type: 'INTEGER' }, ...csvTable('payments').map((c) => ({ name: c.column, type: c.numeric ? 'INTEGER' : 'TEXT' }))].map((x) => expect.objectContaining(x)));
    staging.drop();
    db.close();
  });

  it('agree with the schema: each column exists, INTEGER exactly when numeric; the keys are the tables’ keys', () => {
    const db = newDb(tmpDir());
    for (const role of ROLES) {
      const cols = new Map((db.prepare(`PRAGMA table_info(${role})`).all() as Array<{ name: string; type: string; pk: number }>).map((c) => [c.name, c]));
      for (const c of csvTable(role)) expect({ role, column: c.column, type: cols.get(c.column)?.type }).toEqual({ role, column: c.column, type: c.numeric ? 'INTEGER' : 'TEXT' });
      if (role === 'taxpayers' || role === 'debts') {
        const pk = [...cols.values()].filter((c) => c.pk > 0).map((c) => c.name);
        expect(pk).toEqual(keyPositions(role).map((i) => csvTable(role)[i]!.column));
      }
    }
    db.close();
  });

  it('a required column refuses an empty cell; an optional one takes it', () => {
    for (const role of ROLES) {
      for (const c of csvTable(role)) {
        const v = c.rule('');
        expect({ role, csv: c.csv, required: v instanceof Issue && v.code === 'required' }).toEqual({ role, csv: c.csv, required: c.required });
      }
    }
  });

  it('personal columns are the ones cli.md names (names, kana, birth date, address, account number and holder)', () => {
    const personal = ROLES.flatMap((r) => csvTable(r).filter((c) => c.personal).map((c) => `${r}.${c.csv}`));
    expect(personal.sort()).toEqual(['taxpayers.氏名', 'taxpayers.氏名カナ', 'taxpayers.生年月日', 'taxpayers.住所', 'accounts.口座番号', 'accounts.口座名義カナ'].sort());
    expect(Object.keys(CSV_TABLES)).toEqual(ROLES);
  });

  it('a bad value is shown in a finding exactly when its column is not personal', async () => {
    const dir = tmpDir();
    const long = 'ア'.repeat(401);
    const files = writeSet(dir, {
      taxpayers: (t) => setCell(setCell(setCell(setCell(setCell(t, 2, '氏名', long), 2, '氏名カナ', long), 2, '生年月日', '1970-02-30'), 2, '住所', long), 3, '状態', '9'),
      accounts: (t) => setCell(setCell(t, 2, '口座番号', '12345678'), 3, '口座名義カナ', long),
      debts: (t) => setCell(t, 2, '年度', '1899'),
    });
    const e = await importTargets(newDb(dir), { ...files, asOf: '2026-12-01', operator: 'tester' }).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(AppError);
    const findings = (e as AppError).findings.filter((f) => f.column !== undefined && ['import.tooLong', 'import.date', 'import.account', 'import.code', 'import.year'].includes(f.code));
    const shown = Object.fromEntries(findings.map((f) => [`${f.file}:${f.column}`, f.found]));
    expect(shown).toEqual({
      'taxpayers.csv:氏名': undefined,
      'taxpayers.csv:氏名カナ': undefined,
      'taxpayers.csv:生年月日': undefined,
      'taxpayers.csv:住所': undefined,
      'taxpayers.csv:状態': '9',
      'accounts.csv:口座番号': undefined,
      'accounts.csv:口座名義カナ': undefined,
      'debts.csv:年度': '1899',
    });
    expect(JSON.stringify((e as AppError).findings)).not.toMatch(/アアア|12345678|1970-02-30/);
  });
});
