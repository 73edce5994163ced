/**
 * The performance issue's targets, judged from one bench run (docs/performance.md). They are
 * stated for a batch of 1,000,000 seizure records: the cycle ≤ 20 s, the import ≤ 15 s per
 * 1,000,000 debts, peak RSS ≤ 300 MB. A larger run is held to the same rates (20 s per
 * million records, 15 s per million debts). A smaller run is not judged on time (null):
 * its fixed costs (processes, worker threads, fsyncs) weigh more, and the target
 * for it is the growth ratio (`--scale`), not a time.
 */
export const CYCLE_SECONDS_PER_MILLION = 20;
export const IMPORT_SECONDS_PER_MILLION_DEBTS = 15;
export const PEAK_RSS_MB_MAX = 300;

export interface Targets {
  cycleSecondsMax: number;
  peakRssMBMax: number;
  /** null: fewer than 1,000,000 records (not judged on time) */
  cycleMet: boolean | null;
  rssMet: boolean;
  importSecondsPerMillionDebtsMax: number;
  importSecondsPerMillionDebts: number;
  /** null: fewer than 1,000,000 records (not judged on time) */
  importMet: boolean | null;
}

export function judge(run: { records: number; cycleSeconds: number; peakRssMB: number; importSeconds: number; debts: number }): Targets {
  const judged = run.records >= 1_000_000;
  const perMillionDebts = Math.round(((run.importSeconds * 1_000_000) / Math.max(1, run.debts)) * 1000) / 1000;
  return {
    cycleSecondsMax: CYCLE_SECONDS_PER_MILLION,
    peakRssMBMax: PEAK_RSS_MB_MAX,
    cycleMet: judged ? run.cycleSeconds <= (CYCLE_SECONDS_PER_MILLION * run.records) / 1_000_000 : null,
    rssMet: run.peakRssMB <= PEAK_RSS_MB_MAX,
    importSecondsPerMillionDebtsMax: IMPORT_SECONDS_PER_MILLION_DEBTS,
    importSecondsPerMillionDebts: perMillionDebts,
    importMet: judged ? perMillionDebts <= IMPORT_SECONDS_PER_MILLION_DEBTS : null,
  };
}

/** How a judgement reads in the plain output. */
export function verdict(met: boolean | null): string {
  return met === null ? 'not judged below 1,000,000 records' : met ? 'met' : 'NOT met';
}
