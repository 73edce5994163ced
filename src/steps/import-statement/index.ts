/** The import-statement step: its only entry from outside this folder (docs/architecture.md). */
export { type ImportStatementSummary, importStatement } from './import-statement.js';
export { statementBalanceRule } from './statement-rules.js';
export { statementSummaryLines } from './summary-lines.js';
