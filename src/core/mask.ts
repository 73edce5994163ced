/** Masking of personal data for console and logs (design.md, cli.md). */
import type { Msg } from './i18n.js';

/** '0012345' → '***2345' (last four digits kept). */
export function maskAccount(account: string): string {
  const s = account.trim();
  if (s.length <= 4) return '*'.repeat(s.length);
  return `***${s.slice(-4)}`;
}

/**
 * An expected and a found account number for a finding (issue 13, item 13): both
 * masked, and the 1-based position of the first digit where they differ, with a note
 * saying so — two numbers that differ before their last four digits mask alike
 * (`***2345` twice), and the position is what tells staff where to look, without
 * either number whole. `position` and `note` are null when the numbers are equal.
 */
export function maskedAccountDifference(expected: string, found: string): { expected: string; found: string; position: number | null; note: Msg | null } {
  let i = 0;
  while (i < expected.length && i < found.length && expected[i] === found[i]) i++;
  const position = i === expected.length && i === found.length ? null : i + 1;
  return {
    expected: maskAccount(expected),
    found: maskAccount(found),
    position,
    note: position === null ? null : { ja: `${position}桁目が異なります`, en: `digit ${position} differs` },
  };
}
