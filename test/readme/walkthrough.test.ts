import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWalkthrough, type Step } from './run-walkthrough.js';

/**
 * Follows the README's sample walkthroughs exactly as written: the commands
 * between a walkthrough's markers are read from README.md and run in a temp
 * folder holding a copy of samples/. A README that drifts from the tool fails here.
 * Two blocks: `walkthrough` (seizure from accounts.csv) and `walkthrough-inquiry`
 * (deposit inquiry, answers from samples/book.csv, seizure from the answers).
 */
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');

/** Each file a walkthrough made in `dir` is byte for byte its counterpart in samples/files. */
function expectSamples(dir: string, pairs: Array<[made: string, sample: string]>): void {
  for (const [made, sample] of pairs) {
    const a = fs.readFileSync(path.join(dir, made));
    const b = fs.readFileSync(path.join(root, 'samples/files', sample));
    expect(a.equals(b), `${made} differs from samples/files/${sample}`).toBe(true);
  }
}

describe("README's sample walkthrough", () => {
  let dir: string;
  let steps: Step[] = [];

  beforeAll(() => {
    ({ dir, steps } = runWalkthrough('walkthrough'));
  }, 120_000);

  it('has the whole cycle in it', () => {
    const joined = steps.map((s) => s.line).join('\n');
    for (const cmd of ['import targets', 'extract', 'write', 'bank-sim', 'import results', 'import statement', 'reconcile', 'report', 'export receipts']) {
      expect(joined).toContain(`sashiosae ${cmd}`);
    }
  });

  it('every command succeeds (exit 0)', () => {
    for (const s of steps) expect(s.status, `${s.line}\n${s.stderr}`).toBe(0);
  });

  it('reproduces the request, result and statement files in samples/files byte for byte', () => {
    expectSamples(dir, [
      ['usb/SASHI_0184_00000001.DAT', 'SASHI_0184_00000001.DAT'],
      ['bank/RESULT_0184_00000001.DAT', 'RESULT_0184_00000001.DAT'],
      ['bank/STATEMENT_0184.DAT', 'STATEMENT_0184.DAT'],
    ]);
  });

  it('reproduces the report CSV, the receipts and the report JSON in samples/files byte for byte', () => {
    // the renovation's guard (issue 14): a change that moves code must not move a byte or a yen
    expectSamples(dir, [
      ['report.csv', 'REPORT_0184.csv'],
      ['receipts.csv', 'RECEIPTS_0184.csv'],
      ['receipts-0005.csv', 'RECEIPTS_0005.csv'],
    ]);
    const r = spawnSync(process.execPath, [cli, '--db', path.join(dir, 'walkthrough.db'), 'report', '0184-00000001', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-30' } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(fs.readFileSync(path.join(root, 'samples/files/REPORT_0184.json'), 'utf8')));
  });

  it('ends reconciled, with every collected yen booked and the deposit matched', () => {
    const r = spawnSync(process.execPath, [cli, '--db', path.join(dir, 'walkthrough.db'), 'report', '0184-00000001', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-30' } });
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as { state: string; collected: { amount: number }; receipts: { total: number }; overpayment: number; statement: { matched: boolean; difference: number } };
    expect(rep.state).toBe('reconciled');
    expect(rep.collected.amount).toBeGreaterThan(0);
    expect(rep.receipts.total + rep.overpayment).toBe(rep.collected.amount);
    expect(rep.statement.matched).toBe(true);
    expect(rep.statement.difference).toBe(0);
    for (const f of ['report.html', 'report.csv', 'receipts.csv']) {
      expect(fs.statSync(path.join(dir, f)).mode & 0o777).toBe(0o600);
    }
  });

  it('the extraction matches what samples/README.md promises (0184: 3 requests, 4 accounts, ¥320,700)', () => {
    const ex = steps.find((s) => /sashiosae extract/.test(s.line));
    expect(ex).toBeDefined();
    expect(ex!.stdout).toMatch(/0184-00000001[^\n]*依頼 3件[^\n]*口座 4件[^\n]*¥320,700/);
    const samplesReadme = fs.readFileSync(path.join(root, 'samples/README.md'), 'utf8');
    expect(samplesReadme).toMatch(/320,700/);
  });

  it("writes every batch the extract names in its next step (issue 13: 0005 was left unwritten)", () => {
    const ex = steps.find((s) => /sashiosae extract/.test(s.line))!;
    const next = /次の手順: sashiosae write ([^\n]*?) --media/.exec(ex.stdout);
    expect(next, ex.stdout).not.toBeNull();
    const named = next![1]!.split(/\s+/);
    expect(named).toEqual(['0005-00000001', '0184-00000001']);
    const written = steps.filter((s) => /sashiosae write /.test(s.line)).flatMap((s) => s.line.split(/\s+/).filter((w) => /^\d{4}-\d{8}$/.test(w)));
    expect(written.sort()).toEqual(named);
    for (const id of named) {
      const bank = id.slice(0, 4);
      expect(fs.existsSync(path.join(dir, `usb/SASHI_${bank}_00000001.DAT`)), id).toBe(true);
    }
  });

  it('takes the 0005 batch through the cycle too: reconciled', () => {
    const r = spawnSync(process.execPath, [cli, '--db', path.join(dir, 'walkthrough.db'), 'report', '0005-00000001', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-30' } });
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout) as { state: string; receipts: { total: number }; overpayment: number; collected: { amount: number }; statement: { matched: boolean } };
    expect(rep.state).toBe('reconciled');
    expect(rep.receipts.total + rep.overpayment).toBe(rep.collected.amount);
    expect(rep.statement.matched).toBe(true);
  });

  it('the README explains the archive/ folder and the Debian packages of the report test, in both languages', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const [ja, en] = readme.split('## English');
    for (const part of [ja!, en!]) {
      expect(part).toContain('archive/results/');
      expect(part).toContain('fonts-noto-cjk');
      expect(part).toContain('chromium');
      expect(part).toContain('--exclusions');
    }
    // the archive the README describes is the one the walkthrough's import made
    const archived = fs.readdirSync(path.join(dir, 'archive/results')).filter((f) => f.endsWith('.dat'));
    expect(archived.length).toBeGreaterThanOrEqual(1);
  });
});

describe("README's second walkthrough: deposit inquiry, then seizure from the answers", () => {
  let dir: string;
  let steps: Step[] = [];

  beforeAll(() => {
    ({ dir, steps } = runWalkthrough('walkthrough-inquiry'));
  }, 120_000);

  const report = (batch: string) => {
    const r = spawnSync(process.execPath, [cli, '--db', path.join(dir, 'inquiry.db'), 'report', batch, '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-30' } });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };

  it('runs from inquiry to reconcile with no accounts.csv', () => {
    const joined = steps.map((s) => s.line).join('\n');
    expect(joined).not.toContain('accounts.csv');
    expect(joined).not.toContain('--accounts');
    for (const cmd of ['import targets', 'inquire --date', 'write', 'validate', 'bank-sim', 'import answers', 'report 0184-00000001', 'extract --date', 'import results', 'holds 0184-00000003', 'instruct 0184-00000003 --date', 'import statement', 'reconcile', 'report 0184-00000002', 'report 0184-00000003']) {
      expect(joined).toContain(`sashiosae ${cmd}`);
    }
    // the bank answers and seizes from its book; an instruction needs no book (bank-sim refuses one)
    const fromBook = steps.filter((s) => s.line.includes('bank-sim') && !s.line.includes('usb/INST_'));
    expect(fromBook.length).toBe(5);
    expect(fromBook.every((s) => s.line.includes('--book samples/book.csv --transactions samples/transactions.csv --seed 7'))).toBe(true);
  });

  it('every command succeeds (exit 0)', () => {
    for (const s of steps) expect(s.status, `${s.line}\n${s.stderr}`).toBe(0);
  });

  it('reproduces the inquiry, the answer and the seizure request made from the answers byte for byte', () => {
    expectSamples(dir, [
      ['usb/INQ_0184_00000001.DAT', 'INQ_0184_00000001.DAT'],
      ['bank/ANSWER_0184_00000001.DAT', 'ANSWER_0184_00000001.DAT'],
      ['usb/SASHI_0184_00000002.DAT', 'SASHI_0184_00000002.DAT'],
      ['usb/SASHI_0184_00000003.DAT', 'SASHI_0184_00000003.DAT'],
      ['usb/INST_0184_00000004.DAT', 'INST_0184_00000004.DAT'],
      ['bank/INSTRESULT_0184_00000004.DAT', 'INSTRESULT_0184_00000004.DAT'],
    ]);
  });

  it('the answers are what the README and samples/README.md say', () => {
    // two child allowances (900000001, 900000013), ¥20,000 each, still in the accounts at the base date
    expect(report('0184-00000001')).toMatchObject({ kind: 'inquiry', state: 'answered', inquiries: 6, answers: { '1': 4, '2': 2, '3': 0, '4': 0 }, accounts: 5, balanceTotal: 1168970, protectedTotal: 40000 });
    expect(report('0005-00000001')).toMatchObject({ kind: 'inquiry', state: 'answered', inquiries: 6, answers: { '1': 1, '2': 5, '3': 0, '4': 0 }, accounts: 1 });
    const ex = steps.find((s) => /sashiosae extract/.test(s.line))!;
    expect(ex.stdout).toMatch(/0184-00000002[^\n]*依頼 1件[^\n]*口座 1件[^\n]*¥203,200[^\n]*即時取立/);
    expect(ex.stdout).toMatch(/0184-00000003[^\n]*依頼 2件[^\n]*口座 3件[^\n]*¥117,500[^\n]*取立保留/);
    expect(ex.stdout).toMatch(/0005-00000002[^\n]*依頼 1件[^\n]*口座 1件[^\n]*¥32,000/);
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toMatch(/該当あり 4・該当なし 2（口座 5 件、取引明細 25 件）/);
    expect(readme).toMatch(/0184 answers 4 found and 2 not found \(5 accounts, 25 transactions\)/);
  });

  it("samples/README.md counts the book's rows as they are (7 accounts, 33 transactions), in both languages", () => {
    const rows = (f: string) => fs.readFileSync(path.join(root, 'samples', f)).toString('latin1').split('\r\n').filter((l) => l.length > 0).length - 1;
    expect([rows('book.csv'), rows('transactions.csv')]).toEqual([7, 33]);
    const doc = fs.readFileSync(path.join(root, 'samples/README.md'), 'utf8');
    for (const said of ['口座台帳 (模擬) 7 口座', 'その取引明細 33 件', '`book.csv` (7 accounts)', '`transactions.csv` (33 rows']) expect(doc).toContain(said);
  });

  it('ends reconciled at both banks, seizing from the answers, the deposit matched', () => {
    for (const batch of ['0184-00000002', '0184-00000003', '0005-00000002']) {
      const rep = report(batch) as { state: string; collected: { amount: number }; receipts: { total: number }; overpayment: number; statement: { matched: boolean; difference: number } };
      expect(rep.state, batch).toBe('reconciled');
      expect(rep.collected.amount).toBeGreaterThan(0);
      expect(rep.receipts.total + rep.overpayment).toBe(rep.collected.amount);
      expect(rep.statement.matched).toBe(true);
      expect(rep.statement.difference).toBe(0);
    }
    expect(report('0184-00000002')).toMatchObject({ results: { '01': { records: 1, seized: 203200 } }, seized: { records: 1, amount: 203200 } });
  });

  it('resolves the held (取立保留) batch: the child allowance is released, the rest collected on the instruction date', () => {
    // 900000001: ¥70,600 seized, ¥20,000 protected at inquiry → collect ¥50,600, release ¥20,000;
    // 900000013: its savings account covered the limit, the ordinary account with the child allowance (ordered last) was not needed (31)
    const held = report('0184-00000003');
    expect(held).toMatchObject({
      results: { '01': { records: 2, seized: 117500, collected: 0 }, '31': { records: 1, seized: 0 } },
      holds: { held: { records: 2, amount: 117500 }, collected: { records: 2, amount: 97500 }, released: { records: 1, amount: 20000 } },
      collected: { amount: 97500 },
    });
    const inst = report('0184-00000004');
    expect(inst).toEqual({
      batchId: '0184-00000004', kind: 'instruction', seizureBatch: '0184-00000003', bankCode: '0184', state: 'results-imported',
      records: 2, seizedTotal: 117500, collectTotal: 97500, releaseTotal: 20000, results: { '01': { records: 2, collected: 97500 } },
    });
    const h = spawnSync(process.execPath, [cli, '--db', path.join(dir, 'inquiry.db'), '--json', 'holds', '0184-00000003'], { cwd: dir, encoding: 'utf8' });
    expect(h.status, h.stderr).toBe(0);
    expect(JSON.parse(h.stdout).holds).toEqual([
      { batch: '0184-00000003', request: 1, sub: 1, taxpayer: '900000001', account: '***2345', seized: 70600, protected: 20000, proposal: 50600, state: 'collected' },
      { batch: '0184-00000003', request: 2, sub: 1, taxpayer: '900000013', account: '***3446', seized: 46900, protected: 0, proposal: 46900, state: 'collected' },
    ]);
  });
});
