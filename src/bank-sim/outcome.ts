/**
 * What the simulated processing center decides for one account (pure).
 *
 * The center works through a request's accounts (枝番) in order and seizes until the
 * request's limit is reached (Σ seized ≤ limit; once reached, later 枝番 get 31).
 * For each account it draws a situation from a fixed, plausible mix:
 *
 *   12 no such account 3% · 13 closed 4% · 14 name/birth date mismatch 2% ·
 *   22 set-off pending 1% · 99 other 0.5% · 21 earlier seizure 3% (half of them with
 *   a part of the balance still seizable) · otherwise a balance: none (11) 38%, else
 *   log-uniform ¥1,000–¥3,000,000 → 01 when it covers the remaining limit, else 02.
 */
import type { Prng } from './prng.js';

export interface Outcome {
  code: string;
  seized: number;
}

export function decideOutcome(rng: Prng, remaining: number): Outcome {
  if (remaining <= 0) return { code: '31', seized: 0 };
  const r = rng.next();
  if (r < 0.03) return { code: '12', seized: 0 };
  if (r < 0.07) return { code: '13', seized: 0 };
  if (r < 0.09) return { code: '14', seized: 0 };
  if (r < 0.1) return { code: '22', seized: 0 };
  if (r < 0.105) return { code: '99', seized: 0 };
  if (r < 0.135) {
    // earlier seizure by another creditor: sometimes a part is still seizable
    if (rng.next() < 0.5) return { code: '21', seized: 0 };
    const part = Math.floor(rng.logUniform(1_000, 3_000_000) * 0.3);
    return { code: '21', seized: Math.max(1, Math.min(remaining, part)) };
  }
  if (rng.next() < 0.38) return { code: '11', seized: 0 };
  const balance = rng.logUniform(1_000, 3_000_000);
  return balance >= remaining ? { code: '01', seized: remaining } : { code: '02', seized: balance };
}

/**
 * The outcome for an account of the account book (`bank-sim --book`, ADR 0134): the
 * same order as decideOutcome — the limit reached first (31) — then the book decides:
 * not in the book 12, a balance of zero or less (overdraft) 11, else the balance seized
 * up to the remaining limit (01 when it covers it, 02 when not). `balance` is the
 * account's balance at the end of the execution date less what this file already
 * seized from it; null when the account is not in the book.
 */
export function decideFromBalance(balance: number | null, remaining: number): Outcome {
  if (remaining <= 0) return { code: '31', seized: 0 };
  if (balance === null) return { code: '12', seized: 0 };
  if (balance <= 0) return { code: '11', seized: 0 };
  return balance >= remaining ? { code: '01', seized: remaining } : { code: '02', seized: balance };
}
