/**
 * The validate/inspect step's shared parts (moved from cli/ for issue 18, so the CLI's
 * `validate` and `inspect` and the web application's file check run the same rules):
 * the file rules of every kind of file this system reads (docs/adr/0108) and how a file's
 * layout is resolved. Each rule decides from the layout and the first header whether it
 * applies — the result rules (3–6) to a file whose header says 種別コード 52, the balance
 * rule to a statement with balances, the request rules of the write step to a header
 * saying 51, 61 or 53 (ADR 0178) — so a targets file gets none of them. The steps pass
 * their own rules themselves.
 */
import type { FileRule } from '../../file/index.js';
import { detectFileLayout } from '../../file/index.js';
import { loadLayout, type Layout } from '../../layout/index.js';
import { instructionResultFileRule, resultFileRule } from '../import-results/index.js';
import { statementBalanceRule } from '../import-statement/index.js';
import { answerFileRule } from '../import-answers/index.js';
import { REQUEST_FILE_RULES } from '../write/index.js';

export const FILE_RULES: readonly FileRule[] = [resultFileRule, statementBalanceRule, answerFileRule, instructionResultFileRule, ...REQUEST_FILE_RULES];

/** A file's layout: `--layout ID|PATH` (cli.md, layout-xml.md), else detected from the file (record length + header const/values among formats/). */
export function resolveLayout(file: string, layoutOpt: unknown): Layout {
  if (typeof layoutOpt === 'string' && layoutOpt !== '') return loadLayout(layoutOpt);
  return detectFileLayout(file);
}
