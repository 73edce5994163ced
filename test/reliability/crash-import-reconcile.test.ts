import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Crash safety of `import results`, `import statement` and `reconcile`: each runs
 * as a child process and is SIGKILLed at a random moment; then the steps are run
 * again to the end. The database must end identical — in receipts, overpayments,
 * results, deposit matches and batch state — to an uninterrupted run, and the archive of
 * result files hold only archived files (no killed import's temporary copy).
 */
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
const env = { ...process.env, SASHIOSAE_TODAY: '2026-11-30' };
const RUNS = 20;

function cliSync(db: string, args: string[], cwd: string) {
  return spawnSync(process.execPath, [cli, '--db', db, ...args], { cwd, env, encoding: 'utf8' });
}

/** Start a step and SIGKILL it after `ms`; resolves with how it ended. */
function runAndKill(db: string, args: string[], cwd: string, ms: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, '--db', db, ...args], { cwd, env, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

function copyDb(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
    else fs.rmSync(to + suffix, { force: true });
  }
}

/** What must come out the same: money booked, results, matches, states. */
function snapshot(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).all();
    return JSON.stringify({
      batches: q('SELECT id, state, requests, records, limit_total FROM batches ORDER BY id'),
      results: q('SELECT request_id, sub_number, result_code, seized_amount, collected_amount, collection_date FROM request_records ORDER BY request_id, sub_number'),
      receipts: q('SELECT batch_id, request_id, chotei, atena, receipt_date, honzei, entaikin, fee FROM receipts ORDER BY request_id, chotei, receipt_date'),
      overpayments: q('SELECT batch_id, request_id, atena, collection_date, amount FROM overpayments ORDER BY request_id, collection_date'),
      deposits: q('SELECT batch_id, collection_date, collected, deposit, difference, matched FROM deposit_matches ORDER BY batch_id, collection_date'),
      statementEntries: q('SELECT inquiry_number, value_date, amount, matched_batch, matched_date FROM statement_entries ORDER BY inquiry_number'),
      imports: q("SELECT kind, sha256 FROM imports WHERE kind <> 'targets' ORDER BY kind, sha256"),
    });
  } finally {
    db.close();
  }
}

describe('crash safety: SIGKILL during import results / import statement / reconcile', () => {
  let work: string;
  let base: string;
  let resultFile: string;
  let statementFile: string;
  let reference: string;
  let stepMs: { results: number; statement: number; reconcile: number };
  /** the database just before each step: base, after results, after statement */
  let states: string[];

  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-crash-'));
    base = path.join(work, 'base.db');
    const gen = spawnSync(process.execPath, [cli, 'generate', '--out', path.join(work, 'export'), '--taxpayers', '2500', '--seed', '7'], { cwd: work, env, encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const e = path.join(work, 'export');
    for (const args of [
      ['init'], // only init creates a database (cli.md)
      ['settings', 'load', path.join(e, 'settings.json')],
      ['import', 'targets', '--taxpayers', path.join(e, 'taxpayers.csv'), '--debts', path.join(e, 'debts.csv'), '--accounts', path.join(e, 'accounts.csv'), '--payments', path.join(e, 'payments.csv'), '--as-of', '2026-11-30'],
      ['extract', '--date', '2026-12-01', '--bank', '0184'],
    ]) {
      const r = cliSync(base, args, work);
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
    }
    fs.mkdirSync(path.join(work, 'usb'));
    const w = cliSync(base, ['write', '0184-00000001', '--media', path.join(work, 'usb')], work);
    expect(w.status, w.stderr).toBe(0);
    const request = path.join(work, 'usb', fs.readdirSync(path.join(work, 'usb')).find((f) => f.endsWith('.DAT'))!);
    resultFile = path.join(work, 'RESULT.DAT');
    statementFile = path.join(work, 'STATEMENT.DAT');
    const sim = spawnSync(process.execPath, [cli, 'bank-sim', request, '--out', resultFile, '--statement', statementFile, '--seed', '3'], { cwd: work, env, encoding: 'utf8' });
    expect(sim.status, sim.stderr).toBe(0);
    // checkpoint so the copy is one file
    const db = new Database(base);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();

    // the uninterrupted run, timed per step
    const ref = path.join(work, 'ref.db');
    copyDb(base, ref);
    const time = (args: string[]): number => {
      const t0 = Date.now();
      const r = cliSync(ref, args, work);
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return Date.now() - t0;
    };
    const save = (name: string): string => {
      const d = new Database(ref);
      d.pragma('wal_checkpoint(TRUNCATE)');
      d.close();
      const to = path.join(work, `${name}.db`);
      copyDb(ref, to);
      return to;
    };
    states = [base];
    const results = time(['import', 'results', resultFile]);
    states.push(save('after-results'));
    const statement = time(['import', 'statement', statementFile]);
    states.push(save('after-statement'));
    const reconcile = time(['reconcile', '0184-00000001']);
    stepMs = { results, statement, reconcile };
    reference = snapshot(ref);
  }, 240_000);

  it('the reference run booked money and matched the deposit', () => {
    const r = JSON.parse(reference) as { batches: Array<{ state: string }>; receipts: unknown[]; deposits: Array<{ matched: number }> };
    expect(r.batches[0]!.state).toBe('reconciled');
    expect(r.receipts.length).toBeGreaterThan(10);
    expect(r.deposits.every((d) => d.matched === 1)).toBe(true);
  });

  it(`${RUNS} runs killed at random points end identical to the uninterrupted run`, async () => {
    let seed = 12345;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    let killedSomewhere = 0;
    for (let run = 0; run < RUNS; run++) {
      const db = path.join(work, `run${run}.db`);
      const steps: Array<[string[], number]> = [
        [['import', 'results', resultFile], stepMs.results],
        [['import', 'statement', statementFile], stepMs.statement],
        [['reconcile', '0184-00000001'], stepMs.reconcile],
      ];
      // each run kills one step (in turn) at a random moment within (and a little
      // beyond) its normal duration, starting from the state just before it;
      // later steps are killed too, now and then
      const target = run % 3;
      copyDb(states[target]!, db);
      for (let i = target; i < steps.length; i++) {
        const [args, ms] = steps[i]!;
        if (i === target || rnd() < 0.3) {
          const res = await runAndKill(db, args, work, Math.floor(rnd() * ms * 1.1));
          if (res.killed) killedSomewhere++;
        }
      }
      // then finish the cycle from the killed step on; "already done" (exit 4 for the same file) is fine
      for (const [args] of steps.slice(target)) {
        const r = cliSync(db, args, work);
        expect([0, 4], `${args.join(' ')} → ${r.status}\n${r.stderr}`).toContain(r.status);
      }
      expect(snapshot(db), `run ${run}`).toBe(reference);
      // no temporary copy a killed import left stays in the archive (ADR 0194)
      const archive = path.join(work, 'archive', 'results');
      expect(fs.readdirSync(archive).filter((n) => !/^[0-9a-f]{64}\.dat$/.test(n)), `run ${run}`).toEqual([]);
      // integrity of the SQLite file itself
      const check = new Database(db, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.pragma('foreign_key_check')).toEqual([]);
      check.close();
      for (const s of ['', '-wal', '-shm']) fs.rmSync(db + s, { force: true });
    }
    // the kills really interrupted running steps, not only finished ones
    expect(killedSomewhere).toBeGreaterThanOrEqual(RUNS / 2);
  }, 600_000);
});
