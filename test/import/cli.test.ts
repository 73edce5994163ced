import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli, setCell, tmpDir, writeSet } from './helpers.js';
import { migrations } from '../../src/db/schema.js';

describe('sashiosae init', () => {
  it('creates the database with mode 0600 and reports the migrations it applied', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'sub', 'city.db');
    const r = await cli(['--db', db, 'init', '--json']);
    expect(r.code).toBe(0);
    const versions = migrations.map((m) => m.version);
    expect(versions.length).toBeGreaterThanOrEqual(4);
    expect(JSON.parse(r.out)).toEqual({ db, migrations: versions, schemaVersion: Math.max(...versions), compaction: null });
    expect(fs.statSync(db).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(db)).mode & 0o777).toBe(0o700);
    const again = await cli(['--db', db, 'init']);
    expect(again.out).toContain(db);
    expect(again.out).toContain('スキーマは最新です');
  });
});

describe('sashiosae import targets', () => {
  it('--json prints the contract document; the human summary is Japanese', async () => {
    const dir = tmpDir();
    const f = writeSet(dir);
    const db = path.join(dir, 'x.db');
    expect((await cli(['--db', db, 'init'])).code).toBe(0); // only init creates a database (cli.md)
    expect((await cli(['--db', path.join(dir, 'bare.db'), 'init'])).code).toBe(0);
    const args = ['--db', db, 'import', 'targets', '--taxpayers', f.taxpayers, '--debts', f.debts, '--accounts', f.accounts, '--payments', f.payments, '--as-of', '2025-01-31'];
    const r = await cli([...args, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ import: 1, taxpayers: 7, debts: 8, accounts: 7, payments: 2, inactivated: { taxpayers: 0, debts: 0, accounts: 0 }, rejected: 0, paymentMismatches: 0, receiptsIncluded: 0 });
    const h = await cli(args);
    expect(h.code).toBe(0);
    expect(h.out).toContain('取り込み #2 を記録しました');
    expect(h.out).toContain('債権: 8 件');
    // every partly paid debt has its payments in payments.csv: nothing can be under-stated
    expect(h.out).not.toContain('収納履歴のない債権');
    // without payments.csv the two partly paid debts (C2024000101, C2024000501) are named as a risk
    const bare = ['--db', path.join(dir, 'bare.db'), 'import', 'targets', '--taxpayers', f.taxpayers, '--debts', f.debts, '--accounts', f.accounts, '--as-of', '2025-01-31'];
    const nb = await cli(bare);
    expect(nb.code).toBe(0);
    expect(nb.out).toContain('一部収納済みで収納履歴のない債権: 2 件');
  });

  it('a refused import exits 3, names file/line/column, and never prints personal values', async () => {
    const dir = tmpDir();
    const f = writeSet(dir, {
      taxpayers: (t) => setCell(setCell(t, 2, '生年月日', '1970-13-01'), 3, '状態', '8'),
      accounts: (t) => setCell(setCell(t, 2, '口座番号', '12345678'), 3, '口座名義カナ', 'ｶｺﾞｼﾏ\uFFFDﾀﾛｳ'),
    });
    const db = path.join(dir, 'x.db');
    expect((await cli(['--db', db, 'init'])).code).toBe(0); // only init creates a database (cli.md)
    for (const json of [false, true]) {
      const r = await cli(['--db', db, 'import', 'targets', '--taxpayers', f.taxpayers, '--debts', f.debts, '--accounts', f.accounts, ...(json ? ['--json'] : [])]);
      expect(r.code).toBe(3);
      const all = r.out + r.err;
      expect(r.err).toContain('ファイル taxpayers.csv、2行目、列「生年月日」');
      expect(r.err).toContain('ファイル accounts.csv、2行目、列「口座番号」');
      expect(r.err).toContain('列「状態」');
      expect(r.err).toContain('何も保存していません');
      for (const personal of ['1970-13-01', '12345678', 'ｶｺﾞｼﾏ', '鹿児島 太郎', 'カゴシマ', '山下町']) expect(all).not.toContain(personal);
      if (json) expect(JSON.parse(r.out).findings.length).toBe(4);
    }
  });

  it('--skip-invalid says where the reject files are; a bad --encoding is exit 2', async () => {
    const dir = tmpDir();
    const f = writeSet(dir, { debts: (t) => setCell(t, 2, '本税', 'x') });
    const db = path.join(dir, 'x.db');
    expect((await cli(['--db', db, 'init'])).code).toBe(0); // only init creates a database (cli.md)
    const r = await cli(['--db', db, 'import', 'targets', '--taxpayers', f.taxpayers, '--debts', f.debts, '--accounts', f.accounts, '--payments', f.payments, '--skip-invalid', '--max-reject-rate', '100']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${f.debts}.rejected.csv`);
    expect(r.out).toContain('不備のため取り込まなかった行: 2 行'); // the debt and its payment
    // the fast path left off at the bad row: the user is told why reading starts again
    expect(r.err).toContain('debts.csv に確認が必要な行があります。まだ何も保存していません。');
    const bad = await cli(['--db', db, 'import', 'targets', '--taxpayers', f.taxpayers, '--debts', f.debts, '--accounts', f.accounts, '--encoding', 'sjis']);
    expect(bad.code).toBe(2);
  });
});
