/**
 * The write step's read-back on the second core (ADR 0043, amended by 0058): validates
 * and hashes the temporary file while the step is still writing it, following the
 * bytes as they land, and reports once the step said the file is complete (fsynced).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../core/sync-worker.js';
import { validateFile } from '../../file/reader.js';
import { loadLayout } from '../../layout/load.js';

export interface ReadBackInput {
  /** a read descriptor of the temporary file, opened (and closed) by the step: the file
   * may be renamed before this thread starts reading */
  fd: number;
  layoutFile: string;
  /** Int32 [0]: 1 once the writer finished */
  ctrl: SharedArrayBuffer;
}

const input = workerData as ReadBackInput;
const ctrl = new Int32Array(input.ctrl);
try {
  const result = validateFile(input.fd, loadLayout(input.layoutFile), { hash: 'sha256' }, {
    finished: () => Atomics.load(ctrl, 0) === 1,
    wait: () => void Atomics.wait(ctrl, 0, 0, 5),
  });
  parentPort?.postMessage({ result });
} catch (e) {
  parentPort?.postMessage({ error: serializeError(e) });
}
