/**
 * Who is asked in a deposit inquiry (inquiry-300.md "Writing a request"): pure rules.
 * The debt rules are extract's (eligibility.ts); these are the inquiry's own.
 */
import type { ExclusionReason } from './eligibility.js';

/** The inquiry's exclusion reasons, in the order they are tried (a taxpayer is counted under the first). */
export const INQUIRY_EXCLUSION_REASONS: readonly ExclusionReason[] = [
  'status-suspended',
  'status-deferred',
  'status-instalments',
  'status-bankrupt',
  'status-deceased',
  'no-seizable-debt',
  'in-open-batch',
  'id-not-writable',
  'name-not-writable',
  'recently-inquired',
];

/** Bytes of the inquiry-300 fields the request fills from the taxpayer. */
export const INQUIRY_FIELD_BYTES = { nameKana: 40, name: 40, address: 100 } as const;

/** 宛名番号 fits the 10-digit N field: 1–10 digits. */
export function idWritable(atena: string): boolean {
  return /^\d{1,10}$/.test(atena);
}

/** Options of one run (defaults of inquiry-300.md). */
export const INQUIRY_DEFAULTS = { historyDays: 90, reinquireAfterDays: 30 } as const;
