/** The import-results step: its only entry from outside this folder (docs/architecture.md). */
export { type ImportResultsSummary, archiveCopy, importResults, prepareArchive, resolveFileLayout, resultsJson } from './import-results.js';
export { type DecodedRecord, digitsValue, resultFileRule, ymdToIso } from './result-rules.js';
export { instructionResultFileRule } from './instruction-rules.js';
export { resultsSummaryLines } from './summary-lines.js';
