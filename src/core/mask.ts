/** Masking of personal data for console and logs (design.md, cli.md). */

/** '0012345' → '***2345' (last four digits kept). */
export function maskAccount(account: string): string {
  const s = account.trim();
  if (s.length <= 4) return '*'.repeat(s.length);
  return `***${s.slice(-4)}`;
}

/** A value that must not be shown at all. */
export function maskAll(value: string): string {
  return value.length === 0 ? '' : '***';
}
