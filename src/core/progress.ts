import { createRequire } from 'node:module';
import type cliProgressT from 'cli-progress';
import { count } from './table.js';

/**
 * Progress for long steps, always on stderr (stdout is for results and --json).
 * A bar on a terminal (cli-progress); plain lines, at most one per ~10 %, when
 * stderr is not a TTY (CI, logs, pipes); nothing when quiet.
 */
export interface Progress {
  start(label: string, total: number): void;
  update(done: number): void;
  stop(): void;
  /** a plain status line */
  line(text: string): void;
}

/**
 * One plain progress line: counts grouped by thousands and the percentage of what is
 * done (floor, capped at 100): "取込: 2,000/31,361 (6%)".
 */
function progressLine(label: string, done: number, total: number): string {
  const pct = total > 0 ? Math.min(100, Math.floor((done * 100) / total)) : 0;
  return `${label}: ${count(done)}/${count(total)} (${pct}%)`;
}

export function createProgress(opts: { quiet?: boolean } = {}): Progress {
  if (opts.quiet) {
    return { start() {}, update() {}, stop() {}, line() {} };
  }
  if (process.stderr.isTTY) {
    // loaded only for a terminal (it is not needed for plain lines)
    const cliProgress = createRequire(import.meta.url)('cli-progress') as typeof cliProgressT;
    let bar: cliProgressT.SingleBar | null = null;
    return {
      start(label, total) {
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% {value}/{total}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(total, 1), 0);
      },
      update(done) {
        bar?.update(done);
      },
      stop() {
        bar?.stop();
        bar = null;
      },
      line(text) {
        process.stderr.write(text + '\n');
      },
    };
  }
  let label = '';
  let total = 0;
  let lastTenth = -1;
  return {
    start(l, t) {
      label = l;
      total = t;
      lastTenth = -1;
    },
    update(done) {
      if (total <= 0) return;
      const tenth = Math.floor((done * 10) / total);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        process.stderr.write(progressLine(label, done, total) + '\n');
      }
    },
    stop() {},
    line(text) {
      process.stderr.write(text + '\n');
    },
  };
}
