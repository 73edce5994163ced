/**
 * The rows the targets import's fast-path worker (worker.ts) hands to the upserting thread
 * (fast-path.ts), declared once for both (core/rows.ts, ADR 0101): one schema per export
 * file, its columns named by their header and in the order of the file's table
 * (domain/csv-tables.ts) — the order the main thread binds them in. A number column is
 * 'int?' and a text column 'str?' (a cell may be empty: null). A module of its own:
 * importing worker.ts would start its producer.
 */
import { defineRows, type RowSchema, type RowsChunk, type RowsDef } from '../../core/rows.js';
import { csvTable, FILE_ROLES, type FileRole } from '../../domain/csv-tables.js';

/** A file's columns by header name, in table order. */
function schemaOf(role: FileRole): RowSchema {
  return Object.fromEntries(csvTable(role).map((c) => [c.csv, c.numeric ? 'int?' : 'str?']));
}

/** The rows of each export file as they cross between threads. */
export const TARGET_ROWS: Readonly<Record<FileRole, RowsDef<RowSchema>>> = Object.fromEntries(FILE_ROLES.map((r) => [r, defineRows(schemaOf(r))])) as Record<FileRole, RowsDef<RowSchema>>;

/** Up to `chunkRows` good rows of a file, and how many data rows of it were read before the first. */
export interface RowsItem {
  kind: 'rows';
  role: FileRole;
  /** data rows of the file read before this item's first row */
  before: number;
  rows: RowsChunk<RowSchema>;
}
