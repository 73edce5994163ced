/**
 * `npm run bench -- --records N --json` (cli.md "Benchmarks"): the document other tools read.
 * A tiny run: the keys of the contract, and figures that agree with each other.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CYCLE = fileURLToPath(new URL('../../dist/bench/cycle.js', import.meta.url));
const STAGES = ['importTargets', 'extract', 'write', 'bankSim', 'importResults', 'reconcile', 'report'];

describe('bench --json', () => {
  it('prints the contract document with consistent figures', () => {
    const r = spawnSync(process.execPath, [CYCLE, '--records', '240', '--json'], { encoding: 'utf8', timeout: 120_000 });
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
    expect(d.targets.importMet).toBe(d.targets.importSecondsPerMillionDebts <= 15);
    expect(d.targets.cycleMet).toBe(d.cycleSeconds <= (20 * 240) / 1_000_000);
  }, 130_000);
});
