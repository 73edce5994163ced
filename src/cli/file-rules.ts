/**
 * The file rules `validate` and `inspect` run beyond the layout: one place that names the
 * rule set of every kind of file this system reads (docs/adr/0108). Each rule decides from
 * the layout and the first header whether it applies — the result rules (3–6) to a file
 * whose header says 種別コード 52, the balance rule to a statement with balances, the
 * request rules of the write step to a header saying 51, 61 or 53 (ADR 0178) — so a
 * targets file gets none of them. The steps pass their own rules themselves.
 */
import type { FileRule } from '../file/index.js';
import { instructionResultFileRule, resultFileRule } from '../steps/import-results/index.js';
import { statementBalanceRule } from '../steps/import-statement/index.js';
import { answerFileRule } from '../steps/import-answers/index.js';
import { REQUEST_FILE_RULES } from '../steps/write/index.js';

export const FILE_RULES: readonly FileRule[] = [resultFileRule, statementBalanceRule, answerFileRule, instructionResultFileRule, ...REQUEST_FILE_RULES];
