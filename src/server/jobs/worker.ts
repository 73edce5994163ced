/**
 * The worker thread of one job (ADR 0181): opens its own connection to the database,
 * records itself as running (a CLI command that meets the lock names it, exit 4), runs the
 * named job and posts its progress and its outcome. The server's main thread only reads.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError, type WorkerProtocol } from '../../core/sync-worker.js';
import { todayTokyo } from '../../core/dates.js';
import { openDb } from '../../db/connection.js';
import { busyError, isBusy, markRunning } from '../../db/running.js';
import { JOBS } from './registry.js';
import type { JobContext, JobInput, JobMessage, JobOutcome } from './types.js';

async function main(input: JobInput): Promise<JobOutcome> {
  const def = JOBS[input.name];
  if (def === undefined) return { ok: false, error: { message: `unknown job ${input.name}` } };
  const unmark = markRunning(input.dbPath, `serve (${input.name}, ${input.operator})`);
  try {
    const db = openDb(input.dbPath, { mustExist: true });
    try {
      const post = (m: JobMessage) => parentPort!.postMessage(m);
      let lastPost = 0;
      const ctx: JobContext = {
        db,
        dbPath: input.dbPath,
        operator: input.operator,
        outDir: input.outDir,
        today: todayTokyo(),
        progress: (progress) => {
          // at most ~10 a second reach the page, and always the last
          const now = Date.now();
          if (now - lastPost < 100 && progress.done < progress.total) return;
          lastPost = now;
          post({ type: 'progress', progress });
        },
      };
      const result = await (def.run as (ctx: JobContext, args: unknown) => unknown)(ctx, input.args);
      return { ok: true, result };
    } finally {
      db.close();
    }
  } catch (e) {
    return { ok: false, error: serializeError(isBusy(e) ? busyError(input.dbPath, e) : e) };
  } finally {
    unmark();
  }
}

if (parentPort !== null) {
  void main(workerData as JobInput).then((outcome) => parentPort!.postMessage({ type: 'outcome', outcome } satisfies JobMessage));
}

const protocol: WorkerProtocol<JobInput, JobMessage, 'plain'> = {};
export default protocol;
