import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateBank } from '../../src/bank-sim/index.js';
import { importResults } from '../../src/steps/import-results/import-results.js';
import { importStatement, normalizeAccount } from '../../src/steps/import-statement/import-statement.js';
import { AppError } from '../../src/core/errors.js';
import { SyncRecordWriter } from '../../src/file/writer.js';
import { loadLayout } from '../../src/layout/load.js';
import { validateFile as validateLayout } from '../../src/file/index.js';
import { FILE_RULES } from '../../src/cli/file-rules.js';
import { dbFingerprint, makeBatch, newDb } from '../results/fixture.js';

/** What `validate` checks: the layout and the file rules (a statement's balances). */
const validateFile = (file: string, layout: Parameters<typeof validateLayout>[1]) => validateLayout(file, layout, { rules: FILE_RULES });

const CLI = path.resolve('dist/cli/main.js');

function settings(db: ReturnType<typeof newDb>['db']): void {
  db.prepare(
    `INSERT INTO bank_settings (bank_code, requester_code, requester_name, deposit_branch, deposit_account_type, deposit_account_number, updated_at)
     VALUES ('0184', '0000012345', 'ｶｺﾞｼﾏｼ', '123', '1', '1234567', 't')`,
  ).run();
}

/** A statement with two account groups; the second writes its account 7 digits space-padded (a known bank variation). */
function twoAccounts(file: string, opts: { badTotal?: boolean } = {}): void {
  const layout = loadLayout('statement-03');
  const w = new SyncRecordWriter(file, layout);
  const group = (branch: string, acct: string, txs: Array<[number, 1 | 2, number]>) => {
    w.header({ createdDate: '2026-12-02', periodFrom: '2026-12-01', periodTo: '2026-12-02', bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', branchCode: branch, reserved: '000', accountType: '1', accountNumber: acct, accountName: 'ｶｺﾞｼﾏｼ', overdraftKubun: '0', passbookKubun: '0', openingBalance: 1_000_000 });
    let bal = 1_000_000;
    for (const [inq, io, amt] of txs) {
      w.data({ inquiryNumber: inq, valueDate: '2026-12-01', transactionDate: '2026-12-01', inOutKubun: io, transactionKubun: '14', amount: amt, remitterName: 'ﾃｽﾄ', summary: 'ﾃｽﾄ' });
      bal += io === 1 ? amt : -amt;
    }
    w.trailer({ overdraftKubun: '0', closingBalance: bal });
  };
  group('123', '0001234567', [[1, 1, 5_000], [2, 2, 700]]);
  group('200', '', [[10, 1, 42_000]]);
  w.end({});
  w.close();
  // second group's 口座番号: "7654321   " (7 digits left, spaces) — accepted leniently
  const b = fs.readFileSync(file);
  const second = 4 * 202; // header1, data, data, trailer → header2 at record 4
  Buffer.from('7654321   ', 'latin1').copy(b, second + 63);
  if (opts.badTotal) {
    const t = 3 * 202 + 7; // first trailer 入金額合計
    Buffer.from('0000000006200', 'latin1').copy(b, t);
  }
  fs.writeFileSync(file, b);
}

/** The error importStatement refuses the file with (none: the test fails). */
function refused(db: ReturnType<typeof newDb>['db'], f: string): AppError {
  try {
    importStatement(db, f);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('the statement was imported');
}

describe('import statement', () => {
  it('normalizes account numbers from both bank conventions', () => {
    expect(normalizeAccount('0001234567')).toBe('1234567');
    expect(normalizeAccount('1234567   ')).toBe('1234567');
    expect(normalizeAccount('12345678901'.slice(0, 10))).toBe('1234567890');
  });

  it('two accounts: entries carry each group header’s account; the same file again → exit 4 unchanged', () => {
    const { db, dir } = newDb();
    const f = path.join(dir, 'S.DAT');
    twoAccounts(f);
    const s = importStatement(db, f);
    expect(s.accounts.map((a) => [a.branchCode, a.account, a.entries, a.depositTotal])).toEqual([
      ['123', '***4567', 2, 5_000],
      ['200', '***4321', 1, 42_000],
    ]);
    const rows = db.prepare('SELECT branch_code, account_number, inquiry_number, value_date, in_out, amount FROM statement_entries ORDER BY id').all();
    expect(rows).toEqual([
      { branch_code: '123', account_number: '1234567', inquiry_number: '00000001', value_date: '2026-12-01', in_out: 1, amount: 5_000 },
      { branch_code: '123', account_number: '1234567', inquiry_number: '00000002', value_date: '2026-12-01', in_out: 2, amount: 700 },
      { branch_code: '200', account_number: '7654321', inquiry_number: '00000010', value_date: '2026-12-01', in_out: 1, amount: 42_000 },
    ]);
    expect((db.prepare(`SELECT kind FROM imports WHERE id = ?`).get(s.importId) as { kind: string }).kind).toBe('statement');
    expect(db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import.statement'`).get()).toEqual({ n: 1 });
    const before = dbFingerprint(db) + JSON.stringify(db.prepare('SELECT COUNT(*) AS n FROM audit_log').get());
    let err: unknown;
    try {
      importStatement(db, f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).exit).toBe(4);
    expect(dbFingerprint(db) + JSON.stringify(db.prepare('SELECT COUNT(*) AS n FROM audit_log').get())).toBe(before);
  });

  it('an invalid statement (trailer total off) → exit 3 with the place, nothing stored', () => {
    const { db, dir } = newDb();
    const f = path.join(dir, 'S.DAT');
    twoAccounts(f, { badTotal: true });
    const before = dbFingerprint(db);
    const err = refused(db, f);
    expect(err.exit).toBe(3);
    expect(err.findings.find((x) => x.field === 'depositTotal')).toMatchObject({ record: 3, offset: 3 * 202 + 7 });
    expect(dbFingerprint(db)).toBe(before);
  });

  it('after results, the simulated statement is stored and the deposit matched to the batch', () => {
    const { db, dir } = newDb();
    settings(db);
    const b = makeBatch(db, dir, { accounts: [1, 2, 3, 1, 4] });
    const out = path.join(dir, 'R.DAT');
    const st = path.join(dir, 'S.DAT');
    const sim = simulateBank({ requestPath: b.files[0]!.path, resultPath: out, statementPath: st, seed: 7 });
    importResults(db, out);
    const s = importStatement(db, st);
    expect(s.matches.map((m) => m.batchId)).toEqual([b.batchId]);
    expect(s.matches[0]!.matches).toEqual([expect.objectContaining({ date: '2026-12-01', collected: sim.collected, deposit: sim.collected, matched: true })]);
    const dm = db.prepare('SELECT matched, deposit FROM deposit_matches WHERE batch_id = ?').get(b.batchId);
    expect(dm).toEqual({ matched: 1, deposit: sim.collected });
  });

  it('CLI: --json, exit 4 on the second run', () => {
    const { db, dir, file } = newDb();
    db.close();
    const f = path.join(dir, 'S.DAT');
    twoAccounts(f);
    const r1 = spawnSync('node', [CLI, '--db', file, 'import', 'statement', f, '--json'], { encoding: 'utf8' });
    expect(r1.status, r1.stderr).toBe(0);
    const j = JSON.parse(r1.stdout) as { import: number; entries: number; accounts: Array<{ account: string }> };
    expect(j.entries).toBe(3);
    expect(r1.stdout).not.toContain('7654321');
    const r2 = spawnSync('node', [CLI, '--db', file, 'import', 'statement', f], { encoding: 'utf8' });
    expect(r2.status).toBe(4);
    expect(r2.stderr).toContain('取込済み');
    expect(r2.stderr).toMatch(/取込ID \d+、\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}）/);
  });
});

/** One account group: opening balance and its 貸越区分, entries [in/out, amount], closing balance and its 貸越区分. */
function oneAccount(file: string, open: [number, string], txs: Array<[1 | 2, number]>, close: [number, string]): void {
  const w = new SyncRecordWriter(file, loadLayout('statement-03'));
  const kubun = (k: string): string => (k === ' ' ? '0' : k); // the writer writes digits: a blank is patched in below
  w.header({ createdDate: '2026-12-02', periodFrom: '2026-12-01', periodTo: '2026-12-02', bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', branchCode: '123', reserved: '000', accountType: '1', accountNumber: '0001234567', accountName: 'ｶｺﾞｼﾏｼ', overdraftKubun: kubun(open[1]), passbookKubun: '0', openingBalance: open[0] });
  txs.forEach(([io, amt], i) => w.data({ inquiryNumber: i + 1, valueDate: '2026-12-01', transactionDate: '2026-12-01', inOutKubun: io, transactionKubun: '14', amount: amt, remitterName: 'ﾃｽﾄ', summary: 'ﾃｽﾄ' }));
  w.trailer({ overdraftKubun: kubun(close[1]), closingBalance: close[0] });
  w.end({});
  w.close();
  const b = fs.readFileSync(file);
  const trailerKubun = (1 + txs.length) * 202 + 39;
  expect([b[113], b[trailerKubun]]).toEqual([kubun(open[1]).charCodeAt(0), kubun(close[1]).charCodeAt(0)]);
  if (open[1] === ' ') b[113] = 0x20;
  if (close[1] === ' ') b[trailerKubun] = 0x20;
  fs.writeFileSync(file, b);
}

describe('statement balance: opening + deposits − withdrawals = closing, per account', () => {
  it('a closing balance that does not follow from the entries → exit 3 at the trailer’s 取引後残高, nothing stored', () => {
    const { db, dir } = newDb();
    const f = path.join(dir, 'S.DAT');
    twoAccounts(f);
    // first group: 1,000,000 + 5,000 − 700 = 1,004,300; the file says 1,005,300 (its other totals still agree)
    const b = fs.readFileSync(f);
    const at = 3 * 202 + 40;
    expect(b.toString('latin1', at, at + 14)).toBe('00000001004300');
    Buffer.from('00000001005300', 'latin1').copy(b, at);
    fs.writeFileSync(f, b);
    const before = dbFingerprint(db);
    const err = refused(db, f);
    expect(err.exit).toBe(3);
    expect(err.findings).toEqual([
      expect.objectContaining({ code: 'statement.balance', record: 3, offset: at, field: 'closingBalance', expected: '1004300', found: '1005300' }),
    ]);
    expect(err.findings[0]!.message.ja).toContain('¥1,004,300');
    expect(dbFingerprint(db)).toBe(before);
    // validate says the same
    const v = validateFile(f, loadLayout('statement-03'));
    expect(v.findings.map((x) => [x.code, x.record, x.offset])).toEqual([['statement.balance', 3, at]]);
  });

  it('balances are signed by 貸越区分 (2 マイナス; blank or 1 プラス)', () => {
    const { db, dir } = newDb();
    const ok: Array<[[number, string], Array<[1 | 2, number]>, [number, string]]> = [
      [[5_000, '2'], [[1, 12_000]], [7_000, '1']], // overdrawn, then in credit
      [[5_000, '1'], [[2, 8_000]], [3_000, '2']], // into overdraft
      [[5_000, ' '], [[1, 1]], [5_001, ' ']], // the optional field left blank
      [[5_000, '0'], [[2, 5_000]], [0, '0']],
    ];
    ok.forEach(([open, txs, close], i) => {
      const f = path.join(dir, `ok${i}.DAT`);
      oneAccount(f, open, txs, close);
      expect(validateFile(f, loadLayout('statement-03')).findings, `case ${i}`).toEqual([]);
    });
    const f = path.join(dir, 'bad.DAT');
    oneAccount(f, [5_000, '2'], [[1, 12_000]], [7_000, '2']);
    expect(validateFile(f, loadLayout('statement-03')).findings).toEqual([expect.objectContaining({ code: 'statement.balance', expected: '7000', found: '-7000' })]);
    const cli = spawnSync('node', [CLI, 'validate', f, '--json'], { encoding: 'utf8' });
    expect(cli.status).toBe(3);
    expect((JSON.parse(cli.stdout) as { findings: Array<{ code: string }> }).findings.map((x) => x.code)).toEqual(['statement.balance']);
    expect(refused(db, f).exit).toBe(3);
  });
});
