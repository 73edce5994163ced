/**
 * Whole-cycle benchmark (cli.md "Benchmarks"): `npm run bench -- --records N [--json] [--scale]`.
 * Generates a bench-profile export with N seizure data records at one bank, then
 * runs each stage in its own child process (src/bench/stage.ts) and the codec
 * benchmark with its baselines, and prints time per stage, records/s, peak RSS
 * and the comparison with the baselines (raw SQLite floor, iconv-lite, evologi).
 * --scale also runs N/10 and reports the cost ratio (target: ≤ 11× for 10× records).
 * --repeat N runs every stage N times (on fresh copies of the same generated export) and
 * reports the minimum beside the median and spread; the baselines are always timed
 * several times (--baseline-repeat, default 3), as the machine's speed swings between runs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type CodecBenchDoc, measureCodec } from './codec.js';
import { runStage, type StageResult } from './run-stage.js';
import { type Samples, describeSamples, summarize } from './samples.js';
import { CYCLE_SECONDS_PER_MILLION, IMPORT_SECONDS_PER_MILLION_DEBTS, INQUIRY_BASELINE_FACTOR, PEAK_RSS_MB_MAX, judge, judgeInquiry, verdict, type InquiryTargets, type Targets } from './targets.js';

const STAGES = ['importTargets', 'extract', 'write', 'bankSim', 'importResults', 'reconcile', 'report'] as const;
type Stage = (typeof STAGES)[number];
const CYCLE: Stage[] = ['extract', 'write', 'importResults', 'reconcile'];
const INQUIRY_STAGES = ['inquire', 'write', 'bankSimAnswer', 'importAnswers'] as const;
type InquiryStage = (typeof INQUIRY_STAGES)[number];
/** inquiryCycleSeconds = inquire + write + importAnswers (bank-sim is the bank's side) */
const INQUIRY_CYCLE: InquiryStage[] = ['inquire', 'write', 'importAnswers'];
/** the stage.ts script of each inquiry stage (the write stage writes whatever batches exist) */
const INQUIRY_SCRIPT: Record<InquiryStage, string> = { inquire: 'inquire', write: 'write', bankSimAnswer: 'bankSimAnswer', importAnswers: 'importAnswers' };


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
  /** how many times each stage ran; every figure above is the minimum of its samples */
  repeat: number;
  samples: {
    stages: Record<Stage, Samples>;
    sqliteBaseline: { insertSeconds: Samples; scanSeconds: Samples; updateSeconds: Samples };
    codec: Record<string, Samples>;
  };
  /** the inquiry stages (issue 15 item 7); absent with --skip-inquiry */
  inquiry?: InquiryDoc;
}

export interface InquiryDoc {
  /** inquiries the inquire stage made (one per generated taxpayer) */
  inquiries: number;
  stages: Record<InquiryStage, number>;
  /** inquire + write + importAnswers */
  inquiryCycleSeconds: number;
  /** the largest of the cycle's stages (inquire, write, importAnswers); bank-sim's is in stageRssMB */
  peakRssMB: number;
  recordsPerSecond: Record<InquiryStage, number>;
  stageRssMB: Record<InquiryStage, number>;
  /** accounts and details answered (and imported) */
  accounts: number;
  details: number;
  targets: InquiryTargets;
  /** generate (export and book) and the targets' import without accounts: not in the cycle */
  generateSeconds: number;
  setupSeconds: number;
  samples: Record<InquiryStage, Samples>;
  scale?: { smallInquiries: number; smallInquiryCycleSeconds: number; ratio: number; met: boolean };
}

interface CycleRun {
  /** the fastest sample of each stage (its figures: seconds, peak RSS, the stage's counts) */
  stages: Record<Stage, StageResult>;
  samples: Record<Stage, Samples>;
  files: number;
  generateSeconds: number;
  baseline: { insertSeconds: Samples; scanSeconds: Samples; updateSeconds: Samples };
}

/** Every run of each stage of a sequence: its fastest sample and the samples' summary. */
interface SequenceRun<S extends string> {
  stages: Record<S, StageResult>;
  samples: Record<S, Samples>;
  generate: StageResult;
}

/**
 * Generate once (`generateStage`, not timed into any cycle), then run the stage sequence
 * `repeat` times, each on a fresh database over the same export (a stage needs the state its
 * predecessors leave). `stages` lists [name shown, stage run by stage.ts]. Work is under `root`.
 */
async function runSequence<S extends string>(
  root: string,
  tag: string,
  records: number,
  repeat: number,
  generateStage: string,
  stages: ReadonlyArray<readonly [S, string]>,
  log: (s: string) => void,
): Promise<SequenceRun<S>> {
  const genDir = path.join(root, `${tag}gen`);
  fs.mkdirSync(genDir);
  log(`${tag}${generateStage}: ${records} records…`);
  const gen = await runStage(generateStage, genDir, records);
  log(`${tag}${generateStage}: ${gen.seconds.toFixed(2)} s (${String(gen['taxpayers'])} taxpayers, ${String(gen['debts'])} debts) — not part of the cycle`);
  const runs = new Map<S, StageResult[]>(stages.map(([s]) => [s, []]));
  for (let rep = 1; rep <= repeat; rep++) {
    const work = path.join(root, `${tag}run-${rep}`);
    fs.mkdirSync(work);
    fs.symlinkSync(path.join(genDir, 'export'), path.join(work, 'export'));
    for (const [s, script] of stages) {
      settle();
      const r = await runStage(script, work, records);
      runs.get(s)!.push(r);
      log(`${repeat > 1 ? `[${rep}/${repeat}] ` : ''}${s.padEnd(14)} ${r.seconds.toFixed(2).padStart(8)} s  ${Math.round(records / r.seconds).toLocaleString('en-US').padStart(12)} rec/s  ${r.maxRssMB.toFixed(0).padStart(5)} MB`);
    }
    fs.rmSync(work, { recursive: true, force: true });
  }
  const all = (s: S): StageResult[] => runs.get(s)!;
  const fastest = (s: S): StageResult => all(s).reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return {
    stages: Object.fromEntries(stages.map(([s]) => [s, fastest(s)])) as Record<S, StageResult>,
    samples: Object.fromEntries(stages.map(([s]) => [s, summarize(all(s).map((r) => r.seconds))])) as Record<S, Samples>,
    generate: gen,
  };
}

/**
 * The seizure stages (runSequence), then the plain-SQLite baseline `baselineRepeat` times,
 * each in its own process on a fresh file.
 */
async function cycleRun(records: number, repeat: number, baselineRepeat: number, log: (s: string) => void): Promise<CycleRun> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-cycle-'));
  try {
    const seq = await runSequence(root, '', records, repeat, 'generate', STAGES.map((s) => [s, s] as const), log);
    const base: StageResult[] = [];
    for (let i = 0; i < baselineRepeat; i++) {
      const work = path.join(root, `baseline-${i}`);
      fs.mkdirSync(work);
      settle();
      base.push(await runStage('sqliteBaseline', work, records));
      fs.rmSync(work, { recursive: true, force: true });
    }
    const of = (k: string): Samples => summarize(base.map((r) => Number(r[k])));
    return {
      stages: seq.stages,
      samples: seq.samples,
      files: Number(seq.stages.write['files'] ?? 0),
      generateSeconds: seq.generate.seconds,
      baseline: { insertSeconds: of('insertSeconds'), scanSeconds: of('scanSeconds'), updateSeconds: of('updateSeconds') },
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * The inquiry stages (issue 15 item 7): an export of N bench taxpayers with the bank's account
 * book (generate phase, not timed), the targets imported without accounts (setup, not timed
 * into the cycle), then inquire → write → bank-sim's answer → import answers.
 */
async function inquiryRun(inquiries: number, repeat: number, log: (s: string) => void): Promise<SequenceRun<InquiryStage | 'setup'>> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-inquiry-'));
  try {
    const seq: Array<readonly [InquiryStage | 'setup', string]> = [['setup', 'inquirySetup'], ...INQUIRY_STAGES.map((s) => [s, INQUIRY_SCRIPT[s]] as const)];
    return await runSequence(root, 'inquiry-', inquiries, repeat, 'generateInquiry', seq, log);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function inquiryCycleOf(stages: Record<InquiryStage, StageResult>): number {
  return INQUIRY_CYCLE.reduce((a, s) => a + stages[s].seconds, 0);
}

function wholeArg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`${name} must be a positive whole number\n`);
    process.exit(2);
  }
  return v;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const scale = args.includes('--scale');
  const records = wholeArg(args, '--records', 100_000);
  const repeat = wholeArg(args, '--repeat', 1);
  const baselineRepeat = wholeArg(args, '--baseline-repeat', 3);
  const inquiries = wholeArg(args, '--inquiries', records);
  const skipInquiry = args.includes('--skip-inquiry');
  const log = (s: string): void => {
    process.stderr.write(s + '\n');
  };
  const run = await cycleRun(records, repeat, baselineRepeat, log);
  const stages = Object.fromEntries(STAGES.map((s) => [s, r3(run.stages[s].seconds)])) as Record<Stage, number>;
  const stageRssMB = Object.fromEntries(STAGES.map((s) => [s, run.stages[s].maxRssMB])) as Record<Stage, number>;
  const recordsPerSecond = Object.fromEntries(STAGES.map((s) => [s, Math.round(records / run.stages[s].seconds)])) as Record<Stage, number>;
  const cycleSeconds = r3(CYCLE.reduce((a, s) => a + run.stages[s].seconds, 0));
  const peakRssMB = Math.max(...STAGES.map((s) => run.stages[s].maxRssMB));
  // the import target is per 1,000,000 debts; the export holds fewer debts than records
  const debts = Number(run.stages.importTargets['debts']);
  log('codec benchmark (each measurement in its own process)…');
  const codecRun = await measureCodec(records, { onProgress: log, repeat: Math.max(repeat, baselineRepeat) });
  const codec = codecRun.doc;
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
      insertSeconds: run.baseline.insertSeconds.min,
      scanSeconds: run.baseline.scanSeconds.min,
      updateSeconds: run.baseline.updateSeconds.min,
    },
    targets: judge({ records, cycleSeconds, peakRssMB, importSeconds: run.stages.importTargets.seconds, debts }),
    debts,
    repeat,
    samples: { stages: run.samples, sqliteBaseline: run.baseline, codec: codecRun.samples },
  };
  let inq: Awaited<ReturnType<typeof inquiryRun>> | null = null;
  if (!skipInquiry) {
    inq = await inquiryRun(inquiries, repeat, log);
    const made = Number(inq.stages.inquire['inquiries']);
    const baselineSum = doc.sqliteBaseline.insertSeconds + doc.sqliteBaseline.scanSeconds + doc.sqliteBaseline.updateSeconds;
    const inquiryCycleSeconds = r3(inquiryCycleOf(inq.stages));
    // the product's steps (the cycle); bank-sim's book is the simulated bank's memory (ADR 0134)
    const peak = Math.max(...INQUIRY_CYCLE.map((s) => inq!.stages[s].maxRssMB));
    doc.inquiry = {
      inquiries: made,
      stages: Object.fromEntries(INQUIRY_STAGES.map((s) => [s, r3(inq!.stages[s].seconds)])) as Record<InquiryStage, number>,
      inquiryCycleSeconds,
      peakRssMB: peak,
      recordsPerSecond: Object.fromEntries(INQUIRY_STAGES.map((s) => [s, Math.round(made / inq!.stages[s].seconds)])) as Record<InquiryStage, number>,
      stageRssMB: Object.fromEntries(INQUIRY_STAGES.map((s) => [s, inq!.stages[s].maxRssMB])) as Record<InquiryStage, number>,
      accounts: Number(inq.stages.importAnswers['accounts']),
      details: Number(inq.stages.importAnswers['details']),
      targets: judgeInquiry({ inquiries: made, inquiryCycleSeconds, peakRssMB: peak, baselineSeconds: baselineSum, baselineRecords: records }),
      generateSeconds: r3(inq.generate.seconds),
      setupSeconds: r3(inq.stages.setup.seconds),
      samples: Object.fromEntries(INQUIRY_STAGES.map((s) => [s, inq!.samples[s]])) as Record<InquiryStage, Samples>,
    };
  }
  if (scale) {
    const small = Math.max(1, Math.round(records / 10));
    log(`scale check: ${small} records…`);
    const s = await cycleRun(small, repeat, 1, log);
    const smallCycle = CYCLE.reduce((a, st) => a + s.stages[st].seconds, 0);
    const ratio = cycleSeconds / smallCycle;
    doc.scale = { smallRecords: small, smallCycleSeconds: r3(smallCycle), ratio: r3(ratio), met: ratio <= 11 };
    if (doc.inquiry) {
      const smallInq = Math.max(1, Math.round(inquiries / 10));
      log(`scale check: ${smallInq} inquiries…`);
      const si = await inquiryRun(smallInq, repeat, log);
      const smallCycleInq = inquiryCycleOf(si.stages);
      const ratioInq = doc.inquiry.inquiryCycleSeconds / smallCycleInq;
      doc.inquiry.scale = { smallInquiries: Number(si.stages.inquire['inquiries']), smallInquiryCycleSeconds: r3(smallCycleInq), ratio: r3(ratioInq), met: ratioInq <= 11 };
    }
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
    `baseline, plain SQLite with ${records.toLocaleString('en-US')} rows: insert ${describeSamples(run.baseline.insertSeconds)}, scan ${describeSamples(run.baseline.scanSeconds)}, update by key ${describeSamples(run.baseline.updateSeconds)}`,
    `codec: encode ${codec.encode.seconds.toFixed(2)} s (${codec.ratios.encodeVsIconv.toFixed(1)}× iconv-lite per record), decode+validate ${codec.decode.seconds.toFixed(2)} s (${codec.ratios.decodeVsEvologi.toFixed(1)}× iconv-lite + @evologi/fixed-width), peak ${codec.peakRssMB.toFixed(0)} MB`,
    `codec samples (the figure is the minimum): ${Object.entries(codecRun.samples).map(([m, x]) => `${m} ${describeSamples(x)}`).join('; ')}`,
  ];
  if (repeat > 1) lines.splice(2, 0, `each stage ran ${repeat} times; its figure is the minimum (median, spread): ${STAGES.map((st) => `${st} ${describeSamples(run.samples[st])}`).join('; ')}`, '');
  if (doc.inquiry && inq) {
    const q = doc.inquiry;
    lines.push(
      '',
      `inquiry — ${q.inquiries.toLocaleString('en-US')} inquiries; answered with ${q.accounts.toLocaleString('en-US')} accounts and ${q.details.toLocaleString('en-US')} details (generate ${q.generateSeconds.toFixed(2)} s and import of targets ${q.setupSeconds.toFixed(2)} s, not in the cycle)`,
      '',
      'stage           seconds      records/s   peak MB',
      ...INQUIRY_STAGES.map((s) => `${s.padEnd(14)} ${q.stages[s].toFixed(2).padStart(8)} ${q.recordsPerSecond[s].toLocaleString('en-US').padStart(14)} ${q.stageRssMB[s].toFixed(0).padStart(9)}${INQUIRY_CYCLE.includes(s) ? '  (cycle)' : ''}`),
      '',
      `inquiry cycle (inquire + write + importAnswers): ${q.inquiryCycleSeconds.toFixed(2)} s = ${q.targets.baselineRatio.toFixed(2)}× the plain-SQLite baseline (${q.targets.baselineSeconds.toFixed(2)} s for ${q.inquiries.toLocaleString('en-US')} rows) — target ≤ ${INQUIRY_BASELINE_FACTOR}× (${q.targets.inquiryCycleSecondsMax.toFixed(2)} s): ${verdict(q.targets.cycleMet)}`,
      `peak RSS of the inquiry cycle's stages: ${q.peakRssMB.toFixed(0)} MB — target ≤ ${PEAK_RSS_MB_MAX} MB: ${verdict(q.targets.rssMet)} (bank-sim, the simulated bank: ${q.stageRssMB.bankSimAnswer.toFixed(0)} MB, not judged)`,
    );
    if (repeat > 1) lines.push(`each inquiry stage ran ${repeat} times: ${INQUIRY_STAGES.map((st) => `${st} ${describeSamples(q.samples[st])}`).join('; ')}`);
  }
  if (doc.scale) lines.push(`scale: ${doc.scale.smallRecords.toLocaleString('en-US')} records cycle ${doc.scale.smallCycleSeconds.toFixed(2)} s; ratio ${doc.scale.ratio.toFixed(2)}× for 10× records — target ≤ 11×: ${doc.scale.met ? 'met' : 'NOT met'}`);
  if (doc.inquiry?.scale) {
    const x = doc.inquiry.scale;
    lines.push(`inquiry scale: ${x.smallInquiries.toLocaleString('en-US')} inquiries cycle ${x.smallInquiryCycleSeconds.toFixed(2)} s; ratio ${x.ratio.toFixed(2)}× for 10× inquiries — target ≤ 11×: ${x.met ? 'met' : 'NOT met'}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
