/** The import-targets step: its only entry from outside this folder (docs/architecture.md). */
export { type FileRole } from './columns.js';
export { DEFAULT_MAX_REJECT_RATE, type ImportSummary, importTargets, maxRejectRateError, parseMaxRejectRate } from './import-targets.js';
// the synchronous CSV reader, shared with the bank simulator's account book (issue 15 item 5)
export { CsvSyntaxFallback, readCsvSync, type CsvRecordSink } from './csv-source.js';
export { type CsvEncoding } from './encoding.js';
