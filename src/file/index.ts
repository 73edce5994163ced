/**
 * Fixed-width files — public API (import from 'src/file/index.js').
 *
 * Reading (constant memory; framing none/CRLF/CR/LF detected, optional final 0x1A):
 *   for await (const r of readRecords(pathOrStream, layout, opts)) { r.index, r.offset, r.kind, r.fields, r.raw }
 *   reader.summary → { framing, findings, moreFindings, valid, records, dataRecords }
 *   scanFileSync(path, layout, opts, onRecord) → ScanSummary   // synchronous, for DB transactions
 *   validateFile(path, layout, { maxFindings }) → ValidationResult
 *   validateFile(path, layout, { hash: 'sha256' }) → … + sha256 (validate and hash in one read)
 *   detectFileLayout(path) → Layout
 *
 * Writing (computes trailer / end totals; callers give only non-total fields):
 *   const w = new SyncRecordWriter(fdOrNewPath, layout);  w.header({...}); w.data({...}); w.trailer(); w.end(); w.close() → { records, bytes, sha256 }
 *   const w = new StreamRecordWriter(writable, layout);   await w.write('data', {...}); await w.close()
 *   Several data records: w.write('account', {...}); w.write('detail', {...})   // the data record's id
 *   Round trip: new SyncRecordWriter(fd, layout, framingOptions(summary.framing)); w.write(r.record ?? r.kind, r.fields, r.raw)
 *
 * File rules (extra checks, passed by the caller): validateFile(path, layout, { rules: [rule] }), rule = (layout, header) => checker | null
 * Findings: core/errors.ts Finding { code, record (0-based), offset (byte of the field / record / framing byte), field, expected, found, message }.
 */
export { readRecords, scanFileSync, validateFile, type ValidationResult, type ValidateOptions } from './reader.js';
export { RecordScanner, type ReadRecord, type ScanOptions, type ScanSummary, type Framing } from './scanner.js';
export { SyncRecordWriter, StreamRecordWriter, framingOptions, type WriterOptions, type WriteResult, type RecordRef } from './writer.js';
export { type FileRule, type RecordChecker, type RuleRecord, type Report } from './file-rules.js';
export { detectFileLayout } from './detect-file.js';
