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

/**
 * The inquiry targets (issue 15 item 7): inquire + write + import answers within 6× the
 * plain-SQLite baseline of the same run (its insert + scan + update-by-key sum), peak RSS of
 * the inquiry stages ≤ 300 MB. The baseline is timed with the seizure `--records` rows; for a
 * different number of inquiries it is scaled in proportion (its three loops are linear in the
 * rows). Below 1,000,000 inquiries time is not judged, as for the seizure cycle (ADR 0072).
 */
export const INQUIRY_BASELINE_FACTOR = 6;

export interface InquiryTargets {
  /** the baseline sum scaled to the inquiries: baseline × inquiries / records */
  baselineSeconds: number;
  baselineFactorMax: number;
  inquiryCycleSecondsMax: number;
  /** inquiryCycleSeconds ÷ baselineSeconds */
  baselineRatio: number;
  /** null: fewer than 1,000,000 inquiries (not judged on time) */
  cycleMet: boolean | null;
  peakRssMBMax: number;
  rssMet: boolean;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function judgeInquiry(run: { inquiries: number; inquiryCycleSeconds: number; peakRssMB: number; baselineSeconds: number; baselineRecords: number }): InquiryTargets {
  const baseline = (run.baselineSeconds * run.inquiries) / Math.max(1, run.baselineRecords);
  const max = INQUIRY_BASELINE_FACTOR * baseline;
  return {
    baselineSeconds: r3(baseline),
    baselineFactorMax: INQUIRY_BASELINE_FACTOR,
    inquiryCycleSecondsMax: r3(max),
    baselineRatio: r3(run.inquiryCycleSeconds / Math.max(1e-9, baseline)),
    cycleMet: run.inquiries >= 1_000_000 ? run.inquiryCycleSeconds <= max : null,
    peakRssMBMax: PEAK_RSS_MB_MAX,
    rssMet: run.peakRssMB <= PEAK_RSS_MB_MAX,
  };
}
