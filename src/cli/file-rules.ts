/**
 * The file rules `validate` and `inspect` run beyond the layout: one place that names the
 * rule set of every kind of file this system reads (docs/adr/0108). Each rule decides from
 * the layout and the first header whether it applies — the result rules (3–6) to a file
 * whose header says 種別コード 52, the balance rule to a statement with balances — so a
 * request or targets file gets none of them. The steps pass their own rules themselves.
 */
import type { FileRule } from '../file/index.js';
import { instructionResultFileRule, resultFileRule } from '../steps/import-results/index.js';
import { statementBalanceRule } from '../steps/import-statement/index.js';
import { answerFileRule } from '../steps/import-answers/index.js';

export const FILE_RULES: readonly FileRule[] = [resultFileRule, statementBalanceRule, answerFileRule, instructionResultFileRule];
