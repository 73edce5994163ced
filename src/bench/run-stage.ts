/**
 * Run one stage of a benchmark (src/bench/stage.ts) in its own child process, so that its
 * peak RSS is its own; resolves with the stage's JSON line. Shared by the cycle benchmark
 * and the documents benchmark.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface StageResult {
  stage: string;
  seconds: number;
  maxRssMB: number;
  [k: string]: unknown;
}

export function runStage(stage: string, work: string, records: number): Promise<StageResult> {
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
