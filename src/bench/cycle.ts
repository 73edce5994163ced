/**
 * Whole-cycle benchmark (cli.md "Benchmarks"): `npm run bench -- --records N [--json] [--scale]`.
 * Generates a bench-profile export with N seizure data records at one bank, then
 * runs each stage in its own child process (src/bench/stage.ts) and the codec
 * benchmark with its baselines, and prints time per stage, records/s, peak RSS
 * and the comparison with the baselines (raw SQLite floor, iconv-lite, evologi).
 * --scale also runs N/10 and reports the cost ratio (target: ≤ 11× for 10× records).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CodecBenchDoc, measureCodec } from './codec.js';
import { CYCLE_SECONDS_PER_MILLION, IMPORT_SECONDS_PER_MILLION_DEBTS, PEAK_RSS_MB_MAX, judge, verdict, type Targets } from './targets.js';

const STAGES = ['importTargets', 'extract', 'write', 'bankSim', 'importResults', 'reconcile', 'report'] as const;
type Stage = (typeof STAGES)[number];
const CYCLE: Stage[] = ['extract', 'write', 'importResults', 'reconcile'];

interface StageResult {
  stage: string;
  seconds: number;
  maxRssMB: number;
  [k: string]: unknown;
}

function runStage(stage: string, work: string, records: number): Promise<StageResult> {
  const script = fileURLToPath(new URL('./stage.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, stage, work, String(records)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`stage ${stage} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as StageResult);
      } catch (e) {
        reject(e);
      }
    });
  });
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Let the OS write out what the previous stage left dirty in its page cache (hundreds
 * of MB of WAL and database pages at 1M records) before the next stage starts, so
 * that a stage is not timed doing the previous stage's write-back (ADR 0072). A
 * stage's own fsyncs stay in its time. Best effort: where `sync` is missing, nothing.
 */
function settle(): void {
  spawnSync('sync', { stdio: 'ignore' });
}

export interface CycleDoc {
  records: number;
  files: number;
  peakRssMB: number;
  cycleSeconds: number;
  stages: Record<Stage, number>;
  codec: CodecBenchDoc;
  /** additions beyond the cli.md contract */
  stageRssMB: Record<Stage, number>;
  recordsPerSecond: Record<Stage, number>;
  generateSeconds: number;
  sqliteBaseline: { insertSeconds: number; scanSeconds: number; updateSeconds: number };
  targets: Targets;
  /** debts in the generated export (the import target is stated per 1,000,000 debts) */
  debts: number;
  scale?: { smallRecords: number; smallCycleSeconds: number; ratio: number; met: boolean };
}

async function cycleRun(records: number, log: (s: string) => void): Promise<{ stages: Record<Stage, StageResult>; files: number; generateSeconds: number; baseline: StageResult }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-cycle-'));
  try {
    log(`generate: ${records} records…`);
    const gen = await runStage('generate', work, records);
    log(`generate: ${gen.seconds.toFixed(2)} s (${String(gen['taxpayers'])} taxpayers, ${String(gen['debts'])} debts) — not part of the cycle`);
    const stages = {} as Record<Stage, StageResult>;
    for (const s of STAGES) {
      settle();
      const r = await runStage(s, work, records);
      stages[s] = r;
      log(`${s.padEnd(14)} ${r.seconds.toFixed(2).padStart(8)} s  ${Math.round(records / r.seconds).toLocaleString('en-US').padStart(12)} rec/s  ${r.maxRssMB.toFixed(0).padStart(5)} MB`);
    }
    settle();
    const baseline = await runStage('sqliteBaseline', work, records);
    const files = Number(stages.write['files'] ?? 0);
    return { stages, files, generateSeconds: gen.seconds, baseline };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const scale = args.includes('--scale');
  const ri = args.indexOf('--records');
  const records = ri >= 0 ? Number(args[ri + 1]) : 100_000;
  if (!Number.isInteger(records) || records < 1) {
    process.stderr.write('--records must be a positive whole number\n');
    process.exit(2);
  }
  const log = (s: string): void => {
    process.stderr.write(s + '\n');
  };
  const run = await cycleRun(records, log);
  const stages = Object.fromEntries(STAGES.map((s) => [s, r3(run.stages[s].seconds)])) as Record<Stage, number>;
  const stageRssMB = Object.fromEntries(STAGES.map((s) => [s, run.stages[s].maxRssMB])) as Record<Stage, number>;
  const recordsPerSecond = Object.fromEntries(STAGES.map((s) => [s, Math.round(records / run.stages[s].seconds)])) as Record<Stage, number>;
  const cycleSeconds = r3(CYCLE.reduce((a, s) => a + run.stages[s].seconds, 0));
  const peakRssMB = Math.max(...STAGES.map((s) => run.stages[s].maxRssMB));
  // the import target is per 1,000,000 debts; the export holds fewer debts than records
  const debts = Number(run.stages.importTargets['debts']);
  log('codec benchmark (each measurement in its own process)…');
  const codec = (await measureCodec(records, { onProgress: log })).doc;
  const doc: CycleDoc = {
    records,
    files: run.files,
    peakRssMB,
    cycleSeconds,
    stages,
    codec,
    stageRssMB,
    recordsPerSecond,
    generateSeconds: r3(run.generateSeconds),
    sqliteBaseline: {
      insertSeconds: r3(Number(run.baseline['insertSeconds'])),
      scanSeconds: r3(Number(run.baseline['scanSeconds'])),
      updateSeconds: r3(Number(run.baseline['updateSeconds'])),
    },
    targets: judge({ records, cycleSeconds, peakRssMB, importSeconds: run.stages.importTargets.seconds, debts }),
    debts,
  };
  if (scale) {
    const small = Math.max(1, Math.round(records / 10));
    log(`scale check: ${small} records…`);
    const s = await cycleRun(small, log);
    const smallCycle = CYCLE.reduce((a, st) => a + s.stages[st].seconds, 0);
    const ratio = cycleSeconds / smallCycle;
    doc.scale = { smallRecords: small, smallCycleSeconds: r3(smallCycle), ratio: r3(ratio), met: ratio <= 11 };
  }
  if (json) {
    process.stdout.write(JSON.stringify(doc) + '\n');
    return;
  }
  const lines = [
    `sashiosae cycle benchmark — ${records.toLocaleString('en-US')} seizure data records in ${doc.files} file(s)`,
    '',
    'stage           seconds      records/s   peak MB',
    ...STAGES.map((s) => `${s.padEnd(14)} ${stages[s].toFixed(2).padStart(8)} ${recordsPerSecond[s].toLocaleString('en-US').padStart(14)} ${stageRssMB[s].toFixed(0).padStart(9)}${CYCLE.includes(s) ? '  (cycle)' : ''}`),
    '',
    `cycle (extract + write + importResults + reconcile): ${cycleSeconds.toFixed(2)} s — target ≤ ${CYCLE_SECONDS_PER_MILLION} s per 1,000,000 records: ${verdict(doc.targets.cycleMet)}`,
    `import of targets: ${stages.importTargets.toFixed(2)} s for ${debts.toLocaleString('en-US')} debts (${doc.targets.importSecondsPerMillionDebts.toFixed(2)} s per 1,000,000 debts) — target ≤ ${IMPORT_SECONDS_PER_MILLION_DEBTS} s per 1,000,000 debts: ${verdict(doc.targets.importMet)}`,
    `peak RSS of our stages: ${peakRssMB.toFixed(0)} MB — target ≤ ${PEAK_RSS_MB_MAX} MB: ${verdict(doc.targets.rssMet)}`,
    `baseline, plain SQLite with ${records.toLocaleString('en-US')} rows: insert ${doc.sqliteBaseline.insertSeconds.toFixed(2)} s, scan ${doc.sqliteBaseline.scanSeconds.toFixed(2)} s, update by key ${doc.sqliteBaseline.updateSeconds.toFixed(2)} s`,
    `codec: encode ${codec.encode.seconds.toFixed(2)} s (${codec.ratios.encodeVsIconv.toFixed(1)}× iconv-lite per record), decode+validate ${codec.decode.seconds.toFixed(2)} s (${codec.ratios.decodeVsEvologi.toFixed(1)}× iconv-lite + @evologi/fixed-width), peak ${codec.peakRssMB.toFixed(0)} MB`,
  ];
  if (doc.scale) lines.push(`scale: ${doc.scale.smallRecords.toLocaleString('en-US')} records cycle ${doc.scale.smallCycleSeconds.toFixed(2)} s; ratio ${doc.scale.ratio.toFixed(2)}× for 10× records — target ≤ 11×: ${doc.scale.met ? 'met' : 'NOT met'}`);
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
