/**
 * Codec benchmark (cli.md "Benchmarks"): `npm run bench:codec -- --records N [--json]`.
 * Every measurement runs in its own child process (src/bench/codec-worker.ts), which
 * reports its own peak RSS, so a baseline that loads a whole file cannot inflate ours.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Samples, describeSamples, summarize } from './samples.js';

export interface CodecBenchDoc {
  records: number;
  peakRssMB: number;
  encode: { seconds: number; recordsPerSecond: number };
  decode: { seconds: number; recordsPerSecond: number };
  baselines: { iconvPerRecord: { encodeSeconds: number; decodeSeconds: number }; iconvThenEvologi: { decodeSeconds: number } };
  ratios: { encodeVsIconv: number; decodeVsEvologi: number };
}

interface WorkerResult {
  mode: string;
  seconds: number;
  records: number;
  bytes: number;
  files: number;
  maxRssMB: number;
}

export interface CodecBenchDetail {
  doc: CodecBenchDoc;
  bytes: number;
  files: number;
  runs: WorkerResult[];
  /** seconds per mode over its repeats; the document's figures are each mode's minimum */
  samples: Record<string, Samples>;
}

function runWorker(mode: string, records: number, prefix: string): Promise<WorkerResult> {
  const worker = fileURLToPath(new URL('./codec-worker.js', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [worker, mode, String(records), prefix], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench worker ${mode} exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as WorkerResult);
      } catch (e) {
        reject(e);
      }
    });
  });
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Run the whole codec benchmark for `records` data records; temp files are removed. */
export async function measureCodec(records: number, opts: { dir?: string; onProgress?: (line: string) => void; repeat?: number } = {}): Promise<CodecBenchDetail> {
  const repeat = opts.repeat ?? 3;
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-bench-'));
  const ours = path.join(dir, 'ours');
  const base = path.join(dir, 'iconv');
  const runs: WorkerResult[] = [];
  try {
    for (const [mode, prefix] of [
      ['encode', ours],
      ['decode', ours],
      ['iconv-encode', base],
      ['iconv-decode', ours],
      ['evologi-decode', ours],
    ] as const) {
      for (let i = 1; i <= repeat; i++) {
        const r = await runWorker(mode, records, prefix);
        opts.onProgress?.(`${mode}${repeat > 1 ? ` [${i}/${repeat}]` : ''}: ${r.seconds.toFixed(3)} s, peak RSS ${r.maxRssMB} MB`);
        runs.push(r);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const modes = [...new Set(runs.map((r) => r.mode))];
  const samples = Object.fromEntries(modes.map((m) => [m, summarize(runs.filter((r) => r.mode === m).map((r) => r.seconds))]));
  /** a mode's fastest run (its seconds are the figure); peak RSS is the largest of its runs */
  const get = (m: string): WorkerResult => {
    const of = runs.filter((r) => r.mode === m);
    const best = of.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    return { ...best, maxRssMB: Math.max(...of.map((r) => r.maxRssMB)) };
  };
  const enc = get('encode');
  const dec = get('decode');
  const doc: CodecBenchDoc = {
    records,
    peakRssMB: Math.max(enc.maxRssMB, dec.maxRssMB),
    encode: { seconds: round(enc.seconds), recordsPerSecond: Math.round(records / enc.seconds) },
    decode: { seconds: round(dec.seconds), recordsPerSecond: Math.round(records / dec.seconds) },
    baselines: {
      iconvPerRecord: { encodeSeconds: round(get('iconv-encode').seconds), decodeSeconds: round(get('iconv-decode').seconds) },
      iconvThenEvologi: { decodeSeconds: round(get('evologi-decode').seconds) },
    },
    ratios: {
      encodeVsIconv: round(get('iconv-encode').seconds / enc.seconds, 2),
      decodeVsEvologi: round(get('evologi-decode').seconds / dec.seconds, 2),
    },
  };
  return { doc, bytes: enc.bytes, files: enc.files, runs, samples };
}

function parseArgs(argv: string[]): { records: number; json: boolean; repeat: number } {
  let records = 100_000;
  let json = false;
  let repeat = 3;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') json = true;
    else if (a === '--records') records = Number(argv[++i]);
    else if (a?.startsWith('--records=')) records = Number(a.slice(10));
    else if (a === '--repeat') repeat = Number(argv[++i]);
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(records) || records < 1) throw new Error('--records must be a positive whole number');
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat must be a positive whole number');
  return { records, json, repeat };
}

async function main(): Promise<void> {
  const { records, json, repeat } = parseArgs(process.argv.slice(2));
  const log = (l: string) => process.stderr.write(l + '\n');
  const r = await measureCodec(records, { onProgress: json ? undefined : log, repeat });
  if (json) {
    process.stdout.write(JSON.stringify(r.doc) + '\n');
    return;
  }
  const d = r.doc;
  const mb = r.bytes / 1e6;
  const line = (name: string, s: number) => `${name.padEnd(34)} ${s.toFixed(3).padStart(8)} s ${Math.round(records / s).toLocaleString('en-US').padStart(12)} rec/s ${(mb / s).toFixed(1).padStart(8)} MB/s`;
  console.log(`codec benchmark: ${records.toLocaleString('en-US')} seizure-120 data records, ${r.files} file(s), ${mb.toFixed(1)} MB`);
  console.log(line('encode (sashiosae)', d.encode.seconds));
  console.log(line('encode (iconv-lite per record)', d.baselines.iconvPerRecord.encodeSeconds));
  console.log(line('decode+validate (sashiosae)', d.decode.seconds));
  console.log(line('decode (iconv-lite per record)', d.baselines.iconvPerRecord.decodeSeconds));
  console.log(line('decode (iconv-lite + evologi)', d.baselines.iconvThenEvologi.decodeSeconds));
  console.log(`ratios: encode ×${d.ratios.encodeVsIconv} vs iconv per record; decode ×${d.ratios.decodeVsEvologi} vs iconv+evologi`);
  if (repeat > 1) console.log(`each figure is the minimum of ${repeat} runs: ${Object.entries(r.samples).map(([m, x]) => `${m} ${describeSamples(x)}`).join('; ')}`);
  console.log(`peak RSS (sashiosae stages): ${d.peakRssMB} MB; per run: ${r.runs.map((x) => `${x.mode} ${x.maxRssMB} MB`).join(', ')}`);
  console.log(JSON.stringify(d));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((e: unknown) => {
    process.stderr.write(`bench:codec failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  });
}
