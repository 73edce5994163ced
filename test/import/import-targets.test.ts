import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importTargets } from '../../src/steps/import-targets/import-targets.js';
import { outstandingOf } from '../../src/db/targets.js';
import { addReceipt, counts, newDb, removeLine, seedBatch, setCell, tmpDir, writeSet, rejection } from './helpers.js';

describe('import targets: the fixture export', () => {
  it('imports every file with typed values, history flags, an imports row and an audit row', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const files = writeSet(dir);
    const s = await importTargets(db, { ...files, asOf: '2025-01-31', operator: 'tester' });
    expect(s).toMatchObject({ taxpayers: 7, debts: 8, accounts: 7, payments: 2, rejected: 0, paymentMismatches: 0, receiptsIncluded: 0, inactivated: { taxpayers: 0, debts: 0, accounts: 0 } });
    expect(s.encodings).toEqual({ taxpayers: 'utf8', debts: 'utf8', accounts: 'utf8', payments: 'utf8' });
    const corp = db.prepare("SELECT * FROM taxpayers WHERE atena = '1000000002'").get() as Record<string, unknown>;
    expect(corp).toMatchObject({ birth_date: null, status: 0, active: 1, kana: 'カ）サクラジマシヨウジ' });
    expect((db.prepare('SELECT status FROM taxpayers ORDER BY atena').all() as Array<{ status: number }>).map((r) => r.status)).toEqual([0, 0, 1, 2, 3, 4, 5]);
    expect(db.prepare("SELECT birth_date FROM taxpayers WHERE atena = '1000000003'").get()).toEqual({ birth_date: '1985-03-12' });
    const d = db.prepare("SELECT * FROM debts WHERE chotei = 'C2024000101'").get() as Record<string, unknown>;
    expect(d).toMatchObject({ honzei: 65000, honzei_paid: 10000, fee: 100, fee_paid: 100, kubun: 1, fiscal_year: 2024, period: '1', due_date: '2024-07-01', reminder_date: '2024-07-21', prescription_date: '2029-07-01', has_history: 1 });
    expect(db.prepare("SELECT honzei, reminder_date, prescription_date, has_history FROM debts WHERE chotei = 'C2024000201'").get()).toEqual({ honzei: 1250000, reminder_date: '2024-05-20', prescription_date: null, has_history: 0 });
    expect(db.prepare("SELECT reminder_date FROM debts WHERE chotei = 'C2024000102'").get()).toEqual({ reminder_date: '2024-10-20' });
    expect((db.prepare('SELECT DISTINCT kubun FROM debts ORDER BY kubun').all() as Array<{ kubun: number }>).map((r) => r.kubun)).toEqual([1, 2, 3]);
    expect(db.prepare("SELECT account_number, holder_kana, balance, inquiry_date FROM accounts WHERE bank_code = '0184' AND atena = '1000000002'").get()).toEqual({
      account_number: '0012345',
      holder_kana: 'カ）サクラジマシヨウジ',
      balance: 2500000,
      inquiry_date: '2024-11-05',
    });
    expect(db.prepare("SELECT holder_kana, balance, inquiry_date FROM accounts WHERE atena = '1000000005'").get()).toEqual({ holder_kana: null, balance: null, inquiry_date: null });
    expect(db.prepare("SELECT paid_date, honzei, fee, entaikin FROM payments WHERE chotei = 'C2024000501'").get()).toEqual({ paid_date: '2024-10-10', honzei: 12000, fee: 100, entaikin: 0 });
    // partly paid debts all have their payments listed; the six unpaid ones without history are not a risk
    expect(s.debtsWithoutHistory).toBe(0);

    const imp = db.prepare('SELECT * FROM imports').get() as Record<string, unknown>;
    expect(imp).toMatchObject({ id: s.import, kind: 'targets', as_of: '2025-01-31', operator: 'tester', sha256: s.sha256 });
    expect(JSON.parse(String(imp['files']))).toEqual(['taxpayers.csv', 'debts.csv', 'accounts.csv', 'payments.csv']);
    expect(JSON.parse(String(imp['summary']))).toMatchObject({ taxpayers: 7, debts: 8 });
    const a = db.prepare("SELECT * FROM audit_log WHERE action = 'import.targets'").get() as Record<string, unknown>;
    expect(a).toMatchObject({ operator: 'tester', sha256: s.sha256 });
    const details = String(a['details']);
    for (const personal of ['カゴシマ', '鹿児島 太郎', '1234567', '1970-04-01', '山下町']) expect(details).not.toContain(personal);
    db.close();
  });

  it('reads UTF-8 with BOM and CP932 to the same rows; --encoding utf8 on a CP932 file is refused with a byte offset', async () => {
    const snapshot = async (encoding: 'utf8' | 'utf8bom' | 'cp932') => {
      const dir = tmpDir();
      const db = newDb(dir);
      const s = await importTargets(db, { ...writeSet(dir, {}, { encoding }), asOf: '2025-01-31' });
      const rows = ['taxpayers', 'debts', 'accounts', 'payments'].map((t) => db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all().map((r) => ({ ...(r as object), import_id: 0, id: 0 })));
      db.close();
      return { s, rows };
    };
    const plain = await snapshot('utf8');
    const bom = await snapshot('utf8bom');
    const sjis = await snapshot('cp932');
    expect(bom.rows).toEqual(plain.rows);
    expect(sjis.rows).toEqual(plain.rows);
    expect(bom.s.encodings.taxpayers).toBe('utf8');
    expect(sjis.s.encodings.taxpayers).toBe('cp932');
    expect(plain.rows[0]!.length).toBe(7);

    const dir = tmpDir();
    const db = newDb(dir);
    const e = await rejection(importTargets(db, { ...writeSet(dir, {}, { encoding: 'cp932' }), encoding: 'utf8' }));
    expect(e.exit).toBe(3);
    expect(e.location).toMatchObject({ file: 'taxpayers.csv', offset: 0 }); // the header's first byte is already CP932
    expect(counts(db)['imports']).toBe(0);
    db.close();
  });
});

type Case = { name: string; edit: Parameters<typeof writeSet>[1]; file: string; line: number; column: string; code: string; found?: string | undefined };
const CASES: Case[] = [
  { name: '状態 out of set', edit: { taxpayers: (t) => setCell(t, 2, '状態', '6') }, file: 'taxpayers.csv', line: 2, column: '状態', code: 'import.code', found: '6' },
  { name: 'empty 氏名', edit: { taxpayers: (t) => setCell(t, 3, '氏名', '') }, file: 'taxpayers.csv', line: 3, column: '氏名', code: 'import.required' },
  { name: 'impossible 生年月日 (personal: value not shown)', edit: { taxpayers: (t) => setCell(t, 2, '生年月日', '1970-02-30') }, file: 'taxpayers.csv', line: 2, column: '生年月日', code: 'import.date' },
  { name: 'duplicate 宛名番号', edit: { taxpayers: (t) => setCell(t, 4, '宛名番号', '1000000001') }, file: 'taxpayers.csv', line: 4, column: '宛名番号', code: 'import.duplicate-key', found: '1000000001' },
  { name: '納期限 with slashes', edit: { debts: (t) => setCell(t, 2, '納期限', '2024/07/01') }, file: 'debts.csv', line: 2, column: '納期限', code: 'import.date', found: '2024/07/01' },
  { name: '本税 with a decimal point', edit: { debts: (t) => setCell(t, 3, '本税', '32000.5') }, file: 'debts.csv', line: 3, column: '本税', code: 'import.amount', found: '32000.5' },
  { name: '本税 with misplaced commas', edit: { debts: (t) => setCell(t, 3, '本税', '3,20,00') }, file: 'debts.csv', line: 3, column: '本税', code: 'import.amount', found: '3,20,00' },
  { name: '債権区分 4', edit: { debts: (t) => setCell(t, 4, '債権区分', '4') }, file: 'debts.csv', line: 4, column: '債権区分', code: 'import.code', found: '4' },
  { name: '延滞金区分 2', edit: { debts: (t) => setCell(t, 4, '延滞金区分', '2') }, file: 'debts.csv', line: 4, column: '延滞金区分', code: 'import.code', found: '2' },
  { name: 'debt of an unknown taxpayer', edit: { debts: (t) => setCell(t, 5, '宛名番号', '1999999999') }, file: 'debts.csv', line: 5, column: '宛名番号', code: 'import.unknown-taxpayer', found: '1999999999' },
  { name: 'duplicate 調定番号', edit: { debts: (t) => setCell(t, 3, '調定番号', 'C2024000101') }, file: 'debts.csv', line: 3, column: '調定番号', code: 'import.duplicate-key', found: 'C2024000101' },
  { name: '本税収納済額 above 本税', edit: { debts: (t) => setCell(t, 3, '本税収納済額', '32001') }, file: 'debts.csv', line: 3, column: '本税収納済額', code: 'import.paidOver', found: '32001' },
  { name: '年度 not 4 digits', edit: { debts: (t) => setCell(t, 2, '年度', 'R6') }, file: 'debts.csv', line: 2, column: '年度', code: 'import.year', found: 'R6' },
  { name: '金融機関コード 3 digits', edit: { accounts: (t) => setCell(t, 2, '金融機関コード', '184') }, file: 'accounts.csv', line: 2, column: '金融機関コード', code: 'import.digits', found: '184' },
  { name: '支店コード 4 digits', edit: { accounts: (t) => setCell(t, 3, '支店コード', '2010') }, file: 'accounts.csv', line: 3, column: '支店コード', code: 'import.digits', found: '2010' },
  { name: '預金種目 5', edit: { accounts: (t) => setCell(t, 3, '預金種目', '5') }, file: 'accounts.csv', line: 3, column: '預金種目', code: 'import.code', found: '5' },
  { name: '口座番号 of 8 digits (personal)', edit: { accounts: (t) => setCell(t, 2, '口座番号', '12345678') }, file: 'accounts.csv', line: 2, column: '口座番号', code: 'import.account' },
  { name: 'account of an unknown taxpayer', edit: { accounts: (t) => setCell(t, 4, '宛名番号', '1000000099') }, file: 'accounts.csv', line: 4, column: '宛名番号', code: 'import.unknown-taxpayer', found: '1000000099' },
  { name: 'duplicate account key', edit: { accounts: (t) => setCell(setCell(t, 3, '金融機関コード', '0184'), 3, '支店コード', '100').replace('0184,100,1,7654321', '0184,100,1,1234567') }, file: 'accounts.csv', line: 3, column: '口座番号', code: 'import.duplicate-key' },
  { name: '調査時残高 negative', edit: { accounts: (t) => setCell(t, 2, '調査時残高', '-5') }, file: 'accounts.csv', line: 2, column: '調査時残高', code: 'import.amount', found: '-5' },
  { name: 'payment of an unknown debt', edit: { payments: (t) => setCell(t, 3, '調定番号', 'C9999') }, file: 'payments.csv', line: 3, column: '調定番号', code: 'import.unknown-debt', found: 'C9999' },
  { name: '収納日 not a date', edit: { payments: (t) => setCell(t, 2, '収納日', '2024-08-32') }, file: 'payments.csv', line: 2, column: '収納日', code: 'import.date', found: '2024-08-32' },
];

describe('import targets: every validation rule refuses the whole import (exit 3, nothing stored)', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const dir = tmpDir();
      const db = newDb(dir);
      await importTargets(db, { ...writeSet(dir), asOf: '2025-01-31' }); // an earlier good import
      const before = counts(db);
      const next = tmpDir();
      const e = await rejection(importTargets(db, { ...writeSet(next, c.edit), asOf: '2025-02-28' }));
      expect(e.exit).toBe(3);
      const f = e.findings.find((x) => x.line === c.line && x.column === c.column);
      expect(f, JSON.stringify(e.findings)).toBeDefined();
      expect(f).toMatchObject({ file: c.file, code: c.code });
      expect(f!.found).toBe(c.found);
      expect(counts(db)).toEqual(before);
      expect(fs.readdirSync(next).filter((n) => n.includes('rejected'))).toEqual([]);
      db.close();
    });
  }

  it('a missing required column names the file and the column', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const e = await rejection(importTargets(db, writeSet(dir, { debts: (t) => t.replace('本税収納済額', '本税収納額') })));
    expect(e.exit).toBe(3);
    expect(e.findings).toEqual([expect.objectContaining({ code: 'import.missing-column', file: 'debts.csv', column: '本税収納済額', line: 1 })]);
    expect(counts(db)['imports']).toBe(0);
    db.close();
  });

  it('collects every bad row, not just the first', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const e = await rejection(
      importTargets(db, writeSet(dir, { taxpayers: (t) => setCell(t, 2, '状態', 'x'), debts: (t) => setCell(setCell(t, 3, '本税', 'abc'), 6, '納期限', '2024-13-01'), accounts: (t) => setCell(t, 8, '預金種目', '0') })),
    );
    expect(e.findings.map((f) => `${f.file}:${f.line}:${f.column}`)).toEqual(['taxpayers.csv:2:状態', 'debts.csv:3:本税', 'debts.csv:6:納期限', 'accounts.csv:8:預金種目']);
    db.close();
  });

  it('an empty file and a malformed CSV are refused', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    expect((await rejection(importTargets(db, writeSet(dir, { accounts: () => '' })))).location).toMatchObject({ file: 'accounts.csv' });
    const e = await rejection(importTargets(db, writeSet(dir, { debts: (t) => t.replace('市県民税,2024,1', '"市県民税,2024,1') })));
    expect(e.exit).toBe(3);
    expect(e.location?.file).toBe('debts.csv');
    expect(counts(db)['imports']).toBe(0);
    db.close();
  });
});

describe('import targets --skip-invalid', () => {
  it('imports the good rows; the bad row and the rows depending on it go to <input>.rejected.csv (0600) with reasons', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const files = writeSet(dir, { taxpayers: (t) => setCell(t, 2, '状態', '9'), accounts: (t) => setCell(t, 5, '口座番号', '12345678') });
    const s = await importTargets(db, { ...files, skipInvalid: true, maxRejectRate: 100, asOf: '2025-01-31' });
    // 1000000001: 1 taxpayer + 2 debts + 2 accounts + 1 payment; plus 1 bad account of 1000000003
    expect(s).toMatchObject({ taxpayers: 6, debts: 6, accounts: 4, payments: 1, rejected: 7 });
    expect(s.rejectedByFile).toEqual({ taxpayers: 1, debts: 2, accounts: 3, payments: 1 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM taxpayers WHERE atena = '1000000001'").get()).toEqual({ n: 0 });
    expect(s.rejectFiles.sort()).toEqual(['accounts', 'debts', 'payments', 'taxpayers'].map((r) => `${files[r as 'debts']}.rejected.csv`).sort());
    for (const f of s.rejectFiles) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    const tp = fs.readFileSync(`${files.taxpayers}.rejected.csv`, 'utf8');
    expect(tp.charCodeAt(0)).toBe(0xfeff);
    const lines = tp.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('行番号,不備の理由,宛名番号,氏名,氏名カナ,生年月日,住所,状態,備考');
    expect(lines[1]).toBe('2,"状態: 次のいずれかのコードを入力してください: 0,1,2,3,4,5",1000000001,鹿児島 太郎,カゴシマ タロウ,1970-04-01,鹿児島市山下町11番1号,9,');
    const debts = fs.readFileSync(`${files.debts}.rejected.csv`, 'utf8');
    expect(debts).toContain('滞納者行が不備のため');
    expect(debts.trim().split('\r\n')).toHaveLength(3);
    expect(fs.readFileSync(`${files.accounts}.rejected.csv`, 'utf8')).toContain('口座番号: 口座番号は7桁以内の数字で入力してください');
    db.close();
  });

  it('rejects both rows of a duplicated 宛名番号, and the debts of it', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const files = writeSet(dir, { taxpayers: (t) => setCell(t, 8, '宛名番号', '1000000006') });
    const s = await importTargets(db, { ...files, skipInvalid: true, maxRejectRate: 100 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM taxpayers WHERE atena IN ('1000000006', '1000000007')").get()).toEqual({ n: 0 });
    const rej = fs.readFileSync(`${files.taxpayers}.rejected.csv`, 'utf8');
    expect(rej).toContain('8,宛名番号: 宛名番号が7行目と重複');
    expect(rej).toContain('7,宛名番号: 宛名番号が後の行と重複');
    expect(s.taxpayers).toBe(5);
    // 1000000006's debt and account depend on the rejected taxpayer; 1000000007's now reference nobody
    expect(s.debts).toBe(6);
    db.close();
  });

  it('a CP932 input gets a CP932 reject file', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const files = writeSet(dir, { debts: (t) => setCell(t, 9, '本税', 'ABC') }, { encoding: 'cp932' });
    const s = await importTargets(db, { ...files, skipInvalid: true, maxRejectRate: 100 });
    expect(s.rejected).toBe(1);
    const bytes = fs.readFileSync(`${files.debts}.rejected.csv`);
    expect(Buffer.from(bytes).toString('utf8')).not.toContain('行番号');
    const iconv = (await import('iconv-lite')).default;
    expect(iconv.decode(bytes, 'cp932')).toContain('9,本税: 金額は円単位の数字で入力してください');
    db.close();
  });
});

describe('import targets: snapshots', () => {
  it('a newer export updates by key, inactivates what it lacks (kept), replaces payments per debt', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const first = await importTargets(db, { ...writeSet(dir), asOf: '2025-01-31' });
    const next = tmpDir();
    const s = await importTargets(db, {
      ...writeSet(next, {
        taxpayers: (t) => removeLine(setCell(t, 3, '状態', '3'), 8), // 1000000007 gone
        debts: (t) => removeLine(setCell(setCell(t, 2, '本税収納済額', '20000'), 2, '督促手数料収納済額', '100'), 9),
        accounts: (t) => removeLine(removeLine(t, 8), 3), // 1000000007's account and 1000000001's second account gone
        payments: (t) => `${t}C2024000101,2024-12-20,10000,0,0\n`,
      }),
      asOf: '2025-02-28',
    });
    expect(s.import).toBe(first.import + 1);
    expect(s.inactivated).toEqual({ taxpayers: 1, debts: 1, accounts: 2 });
    expect(db.prepare("SELECT active, status FROM taxpayers WHERE atena = '1000000007'").get()).toEqual({ active: 0, status: 5 });
    expect(db.prepare("SELECT active, import_id FROM debts WHERE chotei = 'C2024000701'").get()).toEqual({ active: 0, import_id: first.import });
    expect(db.prepare("SELECT status, active FROM taxpayers WHERE atena = '1000000002'").get()).toEqual({ status: 3, active: 1 });
    expect(db.prepare("SELECT honzei_paid FROM debts WHERE chotei = 'C2024000101'").get()).toEqual({ honzei_paid: 20000 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM accounts WHERE active = 1").get()).toEqual({ n: 5 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM accounts").get()).toEqual({ n: 7 });
    expect(db.prepare("SELECT paid_date, honzei FROM payments WHERE chotei = 'C2024000101' ORDER BY seq").all()).toEqual([
      { paid_date: '2024-08-15', honzei: 10000 },
      { paid_date: '2024-12-20', honzei: 10000 },
    ]);
    expect(s.paymentMismatches).toBe(0);
    db.close();
  });

  it('reports debts whose payment history disagrees with 本税収納済額 (which decides what is outstanding)', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const s = await importTargets(db, writeSet(dir, { payments: (t) => setCell(t, 3, '本税', '11000') }));
    expect(s.paymentMismatches).toBe(1);
    expect(s.mismatchChotei).toEqual(['C2024000501']);
    expect(outstandingOf(db, 'C2024000501').honzei).toBe(48000 - 12000);
    db.close();
  });
});

describe('import targets: receipts booked here are never counted twice nor lost', () => {
  it('with payments.csv: included when the export lists the same 調定番号, 収納日 and amounts', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    await importTargets(db, { ...writeSet(dir), asOf: '2025-01-10' });
    const b = seedBatch(db, '1000000001');
    const listed = addReceipt(db, b, { chotei: 'C2024000102', atena: '1000000001', date: '2025-01-15', honzei: 12000, fee: 100, entaikin: 0 });
    const notListed = addReceipt(db, b, { chotei: 'C2024000101', atena: '1000000001', date: '2025-01-15', honzei: 5000, fee: 0, entaikin: 300 });
    expect(outstandingOf(db, 'C2024000102')).toEqual({ honzei: 20000, fee: 0, entaikinPaid: 0 });
    expect(outstandingOf(db, 'C2024000101')).toEqual({ honzei: 50000, fee: 0, entaikinPaid: 300 });

    // the next export contains the first receipt (paid amounts and history), not the second
    const next = tmpDir();
    const files = writeSet(next, {
      debts: (t) => setCell(setCell(t, 3, '本税収納済額', '12000'), 3, '督促手数料収納済額', '100'),
      payments: (t) => `${t}C2024000102,2025-01-15,12000,100,0\n`,
    });
    const s = await importTargets(db, { ...files, asOf: '2025-01-31' });
    expect(s.receiptsIncluded).toBe(1);
    const inc = (id: number) => (db.prepare('SELECT included_import_id AS i FROM receipts WHERE id = ?').get(id) as { i: number | null }).i;
    expect(inc(listed)).toBe(s.import);
    expect(inc(notListed)).toBeNull();
    expect(outstandingOf(db, 'C2024000102')).toEqual({ honzei: 20000, fee: 0, entaikinPaid: 0 }); // not 8000: not counted twice
    expect(outstandingOf(db, 'C2024000101')).toEqual({ honzei: 50000, fee: 0, entaikinPaid: 300 }); // not lost

    // the same export again: nothing new is included, nothing changes
    const again = await importTargets(db, { ...files, asOf: '2025-01-31' });
    expect(again.receiptsIncluded).toBe(0);
    expect(inc(listed)).toBe(s.import);
    expect(outstandingOf(db, 'C2024000102').honzei).toBe(20000);
    db.close();
  });

  it('with payments.csv: one listed payment accounts for one receipt only', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    await importTargets(db, writeSet(dir));
    const b1 = seedBatch(db, '1000000001');
    const b2 = seedBatch(db, '1000000001');
    addReceipt(db, b1, { chotei: 'C2024000102', atena: '1000000001', date: '2025-01-15', honzei: 1000, fee: 0, entaikin: 0 });
    addReceipt(db, b2, { chotei: 'C2024000102', atena: '1000000001', date: '2025-01-15', honzei: 1000, fee: 0, entaikin: 0 });
    const s = await importTargets(db, writeSet(tmpDir(), { debts: (t) => setCell(t, 3, '本税収納済額', '1000'), payments: (t) => `${t}C2024000102,2025-01-15,1000,0,0\n` }));
    expect(s.receiptsIncluded).toBe(1);
    expect(outstandingOf(db, 'C2024000102').honzei).toBe(32000 - 1000 - 1000);
    db.close();
  });

  it('without payments.csv: included only when exported and 収納日 ≤ as-of', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    await importTargets(db, { ...writeSet(dir), asOf: '2025-01-10' });
    const b = seedBatch(db, '1000000001');
    const exportedBefore = addReceipt(db, b, { chotei: 'C2024000102', atena: '1000000001', date: '2025-01-15', honzei: 12000, fee: 100, entaikin: 0, exportedAt: '2025-01-20T10:00:00.000+09:00' });
    const notExported = addReceipt(db, b, { chotei: 'C2024000101', atena: '1000000001', date: '2025-01-15', honzei: 5000, fee: 0, entaikin: 0 });
    const b2 = seedBatch(db, '1000000001');
    const exportedAfter = addReceipt(db, b2, { chotei: 'C2024000101', atena: '1000000001', date: '2025-02-05', honzei: 7000, fee: 0, entaikin: 0, exportedAt: '2025-02-06T10:00:00.000+09:00' });
    const files = writeSet(tmpDir(), { debts: (t) => setCell(setCell(t, 3, '本税収納済額', '12000'), 3, '督促手数料収納済額', '100') });
    const { payments: _omit, ...noPayments } = files;
    const s = await importTargets(db, { ...noPayments, asOf: '2025-01-31' });
    expect(s.receiptsIncluded).toBe(1);
    const inc = (id: number) => (db.prepare('SELECT included_import_id AS i FROM receipts WHERE id = ?').get(id) as { i: number | null }).i;
    expect(inc(exportedBefore)).toBe(s.import);
    expect(inc(notExported)).toBeNull();
    expect(inc(exportedAfter)).toBeNull();
    expect(outstandingOf(db, 'C2024000102').honzei).toBe(20000);
    expect(outstandingOf(db, 'C2024000101').honzei).toBe(55000 - 5000 - 7000);
    // without payments.csv, the earlier history is kept and still flags the debt
    expect(db.prepare("SELECT has_history FROM debts WHERE chotei = 'C2024000101'").get()).toEqual({ has_history: 1 });
    db.close();
  });
});

describe('import targets: arguments', () => {
  it('a missing file or a bad --as-of is a usage error (exit 2)', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const files = writeSet(dir);
    expect((await rejection(importTargets(db, { ...files, debts: path.join(dir, 'nope.csv') }))).exit).toBe(2);
    expect((await rejection(importTargets(db, { ...files, asOf: '2025-02-30' }))).exit).toBe(2);
    db.close();
  });
});

describe('import targets: reading order (payments before accounts, ADR 0026) is not visible', () => {
  it('findings come in file order taxpayers → debts → accounts → payments, and the cap counts the rest', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const edit = {
      taxpayers: (t: string) => setCell(t, 2, '状態', '6'),
      debts: (t: string) => setCell(t, 2, '年度', 'R6'),
      accounts: (t: string) => setCell(t, 2, '調査時残高', '-5'),
      payments: (t: string) => setCell(t, 2, '収納日', '2024-08-32'),
    };
    const e = await rejection(importTargets(db, { ...writeSet(dir, edit), asOf: '2025-01-31' }));
    expect(e.exit).toBe(3);
    const files = e.findings.map((f) => f.file);
    expect(files.filter((f, i) => files.indexOf(f) === i)).toEqual(['taxpayers.csv', 'debts.csv', 'accounts.csv', 'payments.csv']);
    const capped = await rejection(importTargets(db, { ...writeSet(tmpDir(), edit), asOf: '2025-01-31', findingsCap: 3 }));
    expect(capped.findings.map((f) => f.file)).toEqual(files.slice(0, 3));
    expect(capped.moreFindings).toBe(files.length - 3);
    db.close();
  });

  it('with --skip-invalid the reject files are listed in file order', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const s = await importTargets(db, {
      ...writeSet(dir, { accounts: (t) => setCell(t, 2, '調査時残高', '-5'), payments: (t) => setCell(t, 2, '収納日', '2024-08-32') }),
      asOf: '2025-01-31',
      skipInvalid: true,
      maxRejectRate: 100, // tiny fixtures: a bad row is more than 5 % of a file
    });
    expect(s.rejectFiles.map((f) => path.basename(f).split('.')[0])).toEqual(['accounts', 'payments']);
    db.close();
  });
});
