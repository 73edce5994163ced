/**
 * A small seeded PRNG (mulberry32) so the same seed always gives byte-identical
 * generated files (ADR 0030). Only integer operations with exact results are used
 * (Math.imul, shifts, a division by 2^32), so the sequence is the same on every
 * platform and Node version. Not for cryptography.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    // Any integer seed; mix it once so seeds 1, 2, 3 … do not start alike.
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    this.next();
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** true with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    const v = items[Math.floor(this.next() * items.length)];
    if (v === undefined) throw new RangeError('pick from an empty list');
    return v;
  }

  /** Index chosen by integer weights (e.g. percentages). */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}
