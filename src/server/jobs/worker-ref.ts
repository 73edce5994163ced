/** The typed reference to the job worker script (core/sync-worker.ts `workerRef`, ADR 0112). */
import { workerRef } from '../../core/sync-worker.js';

export const JOB_WORKER = workerRef<typeof import('./worker.js')>(new URL('./worker.js', import.meta.url));
