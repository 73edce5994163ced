/**
 * The write step's read-back on the second core (ADR 0043, amended by 0058): validates
 * and hashes the temporary file while the step is still writing it, following the
 * bytes as they land, and reports once the step said the file is complete (fsynced).
 */
import { serializeError, workerMain, type SerializedError } from '../../core/sync-worker.js';
import { validateFile, type ValidationResult } from '../../file/reader.js';
import { loadLayout } from '../../layout/load.js';

export interface ReadBackInput {
  /** a read descriptor of the temporary file, opened (and closed) by the step: the file
   * may be renamed before this thread starts reading */
  fd: number;
  layoutFile: string;
  /** Int32 [0]: 1 once the writer finished */
  ctrl: SharedArrayBuffer;
}

/** The one message back: the validation's result, or its error. */
export type ReadBackMessage = { result: ValidationResult; error?: undefined } | { result?: undefined; error: SerializedError };

export default workerMain((input: ReadBackInput): ReadBackMessage => {
  const ctrl = new Int32Array(input.ctrl);
  try {
    const result = validateFile(input.fd, loadLayout(input.layoutFile), { hash: 'sha256' }, {
      finished: () => Atomics.load(ctrl, 0) === 1,
      wait: () => void Atomics.wait(ctrl, 0, 0, 5),
    });
    return { result };
  } catch (e) {
    return { error: serializeError(e) };
  }
});
