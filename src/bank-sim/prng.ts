/**
 * Small seeded pseudo-random generator for the simulator (deterministic per seed,
 * no dependency): a Weyl sequence (golden-ratio increment) passed through a 32-bit
 * avalanche mix. Not for anything security-related.
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    // spread small seeds (0, 1, 2 …) over the state space
    this.state = Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x27d4eb2d) >>> 0;
  }

  /** Next unsigned 32-bit value. */
  u32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  /** Log-uniform integer in [lo, hi]: many small values, a few large ones (balances). */
  logUniform(lo: number, hi: number): number {
    const a = Math.log(lo);
    const b = Math.log(hi);
    return Math.min(hi, Math.max(lo, Math.floor(Math.exp(a + this.next() * (b - a)))));
  }
}
