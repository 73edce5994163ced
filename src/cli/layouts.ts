/**
 * How the CLI resolves a file's layout: `--layout ID|PATH`, else detected from the file
 * (record length + header const/values among formats/) — cli.md, layout-xml.md.
 */
import { usageError } from '../core/errors.js';

export { resolveLayout } from '../steps/validate/index.js';

/** `--max-findings N` (default 1,000). */
export function maxFindingsOpt(v: unknown): number {
  if (v === undefined) return 1000;
  const s = String(v);
  if (!/^[1-9]\d{0,8}$/.test(s)) {
    throw usageError('cli.max-findings', { ja: `--max-findings は1以上の整数です（${s}）`, en: `--max-findings must be a whole number ≥ 1 (${s})` });
  }
  return Number(s);
}
