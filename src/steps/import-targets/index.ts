/** The import-targets step: its only entry from outside this folder (docs/architecture.md). */
export { type FileRole } from './columns.js';
export { DEFAULT_MAX_REJECT_RATE, type ImportSummary, importTargets, maxRejectRateError } from './import-targets.js';
