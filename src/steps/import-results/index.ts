/** The import-results step: its only entry from outside this folder (docs/architecture.md). */
export { type ImportResultsSummary, importResults, resolveFileLayout, resultsJson } from './import-results.js';
export { digitsValue, resultFileRule, ymdToIso } from './result-rules.js';
