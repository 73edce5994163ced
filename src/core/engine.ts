/**
 * How a bulk step runs its producer — the part of its work that needs no write
 * connection (reading, decoding, rules, allocation) — one option on every step
 * (docs/adr/0102-one-engine-option.md):
 *
 * - `producer`: 'worker' runs it in a worker thread on the second core while this
 *   thread writes (ADR 0054); 'inline' runs the step on this thread alone. Unset: the
 *   worker wherever the step can use it, which is what every step does by default.
 *   Asking for 'worker' where the step cannot use it is an Error (a test asked for it).
 *   What 'inline' runs, per step:
 *     extract, reconcile — the same page code, on this thread (same stored results);
 *     import results, import targets — the one-thread full check, which the two-thread
 *       fast path stands in for when the input is clean (same stored results);
 *     import answers — the one-thread pass (ADR 0128), likewise (ADR 0188).
 * - `chunk`: the unit handed from producer to consumer — extract: taxpayers per page
 *   (default 1,000); reconcile: request ids per page (5,000); import results: data
 *   records per chunk (8,192); import answers: data records per chunk (8,192); import
 *   targets: rows per chunk. Tests make it small to
 *   cross boundaries; the results never depend on it.
 */
export interface Engine {
  producer?: 'worker' | 'inline' | undefined;
  chunk?: number | undefined;
}

/**
 * Whether `step` runs its producer in a worker thread, given whether it can here
 * (`possible`): not with 'inline'; an Error with 'worker' where it cannot. Ask before
 * the step's transaction begins.
 */
export function runsInWorker(engine: Engine | undefined, possible: boolean, step: string, why: string): boolean {
  const producer = engine?.producer;
  if (producer === 'worker' && !possible) throw new Error(`${step}: the worker producer needs ${why}`);
  return producer !== 'inline' && possible;
}
