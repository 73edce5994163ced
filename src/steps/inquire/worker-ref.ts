/**
 * The typed reference to this step's worker script (core/sync-worker.ts `workerRef`,
 * docs/adr/0112-typed-worker-references.md): its types come from the script module; a
 * renamed script is a compile error here. The script itself is loaded only by the worker.
 */
import { workerRef } from '../../core/sync-worker.js';

export const INQUIRE_WORKER = workerRef<typeof import('./worker.js')>(new URL('./worker.js', import.meta.url));
