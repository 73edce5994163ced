/**
 * `npm run bench -- --records N --json` (cli.md "Benchmarks"): the document other tools read.
 * A tiny run: the keys of the contract, and figures that agree with each other.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judge, judgeInquiry, verdict } from '../../src/bench/targets.js';

const CYCLE = fileURLToPath(new URL('../../dist/bench/cycle.js', import.meta.url));
const STAGES = ['importTargets', 'extract', 'write', 'bankSim', 'importResults', 'reconcile', 'report'];
const INQUIRY_STAGES = ['inquire', 'write', 'bankSimAnswer', 'importAnswers'];

describe('bench --json', () => {
  it('prints the contract document with consistent figures', () => {
    const r = spawnSync(process.execPath, [CYCLE, '--records', '240', '--inquiries', '120', '--json', '--repeat', '2', '--baseline-repeat', '3'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const d = JSON.parse(lines[0]!);
    expect(d.records).toBe(240);
    expect(d.files).toBe(1);
    expect(Object.keys(d.stages)).toEqual(STAGES);
    for (const s of STAGES) expect(d.stages[s]).toBeGreaterThan(0);
    // cycleSeconds = extract + write + importResults + reconcile (each rounded to ms)
    const sum = d.stages.extract + d.stages.write + d.stages.importResults + d.stages.reconcile;
    expect(Math.abs(d.cycleSeconds - sum)).toBeLessThanOrEqual(0.003);
    expect(d.peakRssMB).toBe(Math.max(...STAGES.map((s) => d.stageRssMB[s])));
    expect(Object.keys(d.codec).sort()).toEqual(['baselines', 'decode', 'encode', 'peakRssMB', 'ratios', 'records']);
    expect(d.codec.records).toBe(240);
    // the import target is per 1,000,000 debts: the export's debts, scaled
    expect(d.debts).toBeGreaterThan(0);
    expect(d.debts).toBeLessThanOrEqual(240);
    const perMillion = (d.stages.importTargets * 1_000_000) / d.debts;
    expect(Math.abs(d.targets.importSecondsPerMillionDebts - perMillion)).toBeLessThanOrEqual((0.0005 * 1_000_000) / d.debts + 0.001);
    // below 1,000,000 records time is not judged (the growth ratio is that run's target)
    expect(d.targets.importMet).toBeNull();
    expect(d.targets.cycleMet).toBeNull();
    expect(d.targets.rssMet).toBe(d.peakRssMB <= 300);
    // --repeat 2: every stage has two samples and its figure is their minimum; the baselines
    // were timed three times (--baseline-repeat), the codec modes max(repeat, baseline-repeat)
    expect(d.repeat).toBe(2);
    for (const s of STAGES) {
      const x = d.samples.stages[s];
      expect(x.n).toBe(2);
      expect(x.min).toBe(d.stages[s]);
      expect(x.min).toBeLessThanOrEqual(x.median);
      expect(x.median).toBeLessThanOrEqual(x.max);
      expect(x.spread).toBeCloseTo(x.max - x.min, 3);
    }
    for (const k of ['insertSeconds', 'scanSeconds', 'updateSeconds']) {
      expect(d.samples.sqliteBaseline[k].n).toBe(3);
      expect(d.samples.sqliteBaseline[k].min).toBe(d.sqliteBaseline[k]);
    }
    expect(Object.keys(d.samples.codec).sort()).toEqual(['decode', 'encode', 'evologi-decode', 'iconv-decode', 'iconv-encode']);
    for (const m of Object.keys(d.samples.codec)) expect(d.samples.codec[m].n).toBe(3);
    expect(d.samples.codec['iconv-encode'].min).toBe(d.codec.baselines.iconvPerRecord.encodeSeconds);

    // the inquiry part (issue 15 item 7): 120 inquiries, one per generated taxpayer
    const q = d.inquiry;
    expect(q.inquiries).toBe(120);
    expect(Object.keys(q.stages)).toEqual(INQUIRY_STAGES);
    for (const s of INQUIRY_STAGES) {
      expect(q.stages[s]).toBeGreaterThan(0);
      // records/s of the unrounded seconds; `stages` holds them rounded to the millisecond
      expect(Math.abs(q.recordsPerSecond[s] * q.stages[s] - 120)).toBeLessThanOrEqual(120 * 0.02 + 1);
      expect(q.samples[s].n).toBe(2);
      expect(q.samples[s].min).toBe(q.stages[s]);
    }
    // inquiryCycleSeconds = inquire + write + importAnswers (bank-sim is the bank's side)
    expect(Math.abs(q.inquiryCycleSeconds - (q.stages.inquire + q.stages.write + q.stages.importAnswers))).toBeLessThanOrEqual(0.003);
    // peak of the product's steps; the simulated bank's memory is reported, not judged
    expect(q.peakRssMB).toBe(Math.max(q.stageRssMB.inquire, q.stageRssMB.write, q.stageRssMB.importAnswers));
    expect(q.stageRssMB.bankSimAnswer).toBeGreaterThan(0);
    // the bench book: about half the taxpayers hold one account, about five transactions each
    expect(q.accounts).toBeGreaterThan(30);
    expect(q.accounts).toBeLessThan(90);
    expect(q.details).toBeGreaterThan(q.accounts);
    // the baseline of this run (240 rows) scaled to 120 inquiries, 6× of it the limit
    const base = ((d.sqliteBaseline.insertSeconds + d.sqliteBaseline.scanSeconds + d.sqliteBaseline.updateSeconds) * 120) / 240;
    expect(Math.abs(q.targets.baselineSeconds - base)).toBeLessThanOrEqual(0.001);
    expect(q.targets.baselineFactorMax).toBe(6);
    expect(q.targets.cycleMet).toBeNull();
    expect(q.targets.rssMet).toBe(q.peakRssMB <= 300);
  }, 130_000);

  it('--skip-inquiry runs only the seizure part', () => {
    const r = spawnSync(process.execPath, [CYCLE, '--records', '60', '--json', '--skip-inquiry', '--baseline-repeat', '1'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const d = JSON.parse(r.stdout.trim());
    expect(d.records).toBe(60);
    expect(d.inquiry).toBeUndefined();
    expect(r.stderr).not.toMatch(/inquir/);
  }, 130_000);
});

describe('judging the inquiry targets', () => {
  // a day the baseline (1M inserts + scan + updates) takes 2.2 s: the limit is 13.2 s
  const run = { inquiries: 1_000_000, inquiryCycleSeconds: 13.19, peakRssMB: 299.9, baselineSeconds: 2.2, baselineRecords: 1_000_000 };
  it('at 1,000,000 inquiries: within 6× the same run\'s baseline, peak ≤ 300 MB', () => {
    expect(judgeInquiry(run)).toEqual({ baselineSeconds: 2.2, baselineFactorMax: 6, inquiryCycleSecondsMax: 13.2, baselineRatio: 5.995, cycleMet: true, peakRssMBMax: 300, rssMet: true });
    expect(judgeInquiry({ ...run, inquiryCycleSeconds: 13.21 }).cycleMet).toBe(false);
    expect(judgeInquiry({ ...run, peakRssMB: 300.1 }).rssMet).toBe(false);
  });
  it('the baseline is scaled to the inquiries; fewer than 1,000,000 are not judged on time', () => {
    const twice = judgeInquiry({ ...run, inquiries: 2_000_000, inquiryCycleSeconds: 26.3 });
    expect([twice.baselineSeconds, twice.inquiryCycleSecondsMax, twice.cycleMet]).toEqual([4.4, 26.4, true]);
    const small = judgeInquiry({ ...run, inquiries: 100_000, inquiryCycleSeconds: 99 });
    expect([small.baselineSeconds, small.cycleMet, small.rssMet]).toEqual([0.22, null, true]);
  });
});

describe('judging the targets', () => {
  const run = { records: 1_000_000, cycleSeconds: 19.99, peakRssMB: 299.9, importSeconds: 13.85, debts: 923_755 };
  it('at 1,000,000 records: cycle ≤ 20 s, import ≤ 15 s per million debts, peak ≤ 300 MB', () => {
    expect(judge(run)).toEqual({
      cycleSecondsMax: 20,
      peakRssMBMax: 300,
      cycleMet: true,
      rssMet: true,
      importSecondsPerMillionDebtsMax: 15,
      importSecondsPerMillionDebts: 14.993,
      importMet: true,
    });
    expect(judge({ ...run, cycleSeconds: 20.01 }).cycleMet).toBe(false);
    expect(judge({ ...run, peakRssMB: 300.1 }).rssMet).toBe(false);
    expect(judge({ ...run, importSeconds: 13.87 }).importMet).toBe(false); // 15.015 s per million debts
  });
  it('a larger run is held to the same rates; a smaller one is not judged on time', () => {
    expect(judge({ ...run, records: 2_000_000, cycleSeconds: 39.9 }).cycleMet).toBe(true);
    expect(judge({ ...run, records: 2_000_000, cycleSeconds: 40.1 }).cycleMet).toBe(false);
    const small = judge({ ...run, records: 100_000, cycleSeconds: 99 });
    expect([small.cycleMet, small.importMet, small.rssMet]).toEqual([null, null, true]);
    expect([verdict(null), verdict(true), verdict(false)]).toEqual(['not judged below 1,000,000 records', 'met', 'NOT met']);
  });
});
