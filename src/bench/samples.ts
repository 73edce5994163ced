/**
 * Repeated timings (issue 14, "a steadier benchmark"): this machine's speed swings by half
 * from one run to the next, so a figure is the minimum of several samples (the run least
 * disturbed by the rest of the machine), printed beside its median and spread, and the
 * `--json` document says how many samples stand behind each figure.
 */
export interface Samples {
  /** the figure: the smallest sample */
  min: number;
  median: number;
  max: number;
  /** max − min */
  spread: number;
  n: number;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export function summarize(values: readonly number[]): Samples {
  if (values.length === 0) throw new Error('no samples');
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  const median = s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  const min = r3(s[0]!);
  const max = r3(s[s.length - 1]!);
  return { min, median: r3(median), max, spread: r3(max - min), n: s.length };
}

/** "3.47 s (median 3.61, spread 0.42, 3 samples)" — one sample reads as just the figure. */
export function describeSamples(x: Samples, unit = 's'): string {
  if (x.n === 1) return `${x.min.toFixed(2)} ${unit}`;
  return `${x.min.toFixed(2)} ${unit} (median ${x.median.toFixed(2)}, spread ${x.spread.toFixed(2)}, ${x.n} samples)`;
}
