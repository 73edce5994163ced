/**
 * Documents benchmark (issue 17): `node dist/bench/documents.js --pages N [--json]`.
 * Setup, not timed, each stage in its own child process as the cycle benchmark does
 * (generate a bench export of about N/1.16 seizure data records, import, extract, write,
 * bank-sim, import results); then the `documents` stage prints every batch's 差押調書 and
 * 債権差押通知書 (one page per seized request and per request: about N pages in all) and
 * reports its time, pages/s and peak RSS. Figures in docs/performance.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runStage } from './run-stage.js';

function wholeArg(args: string[], name: string, dflt: number): number {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} takes a whole number`);
  return v;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const pages = wholeArg(args, '--pages', 10_000);
  const json = args.includes('--json');
  const log = (s: string): void => {
    if (!json) process.stdout.write(s + '\n');
    else process.stderr.write(s + '\n');
  };
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-bench-documents-'));
  try {
    // the bench export has about 1.16 pages (notice + seizure record) per seizure data record
    const records = Math.max(1, Math.round(pages / 1.16));
    for (const s of ['generate', 'importTargets', 'extract', 'write', 'bankSim', 'importResults']) {
      const r = await runStage(s, work, records);
      log(`setup ${s.padEnd(14)} ${r.seconds.toFixed(2)} s`);
    }
    const d = await runStage('documents', work, records);
    const made = Number(d['pages']);
    const doc = {
      pages: made,
      seconds: Math.round(d.seconds * 1000) / 1000,
      pagesPerSecond: Math.round(made / d.seconds),
      peakRssMB: d.maxRssMB,
      bytes: Number(d['bytes']),
    };
    if (json) process.stdout.write(JSON.stringify(doc) + '\n');
    else log(`documents: ${made} pages in ${doc.seconds} s (${doc.pagesPerSecond} pages/s), peak RSS ${doc.peakRssMB} MB, ${doc.bytes} bytes`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
