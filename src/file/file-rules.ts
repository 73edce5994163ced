/**
 * Extension hook for file-intrinsic rules beyond the layout (e.g. the seizure-120
 * result-file rules 3–6, added by the import-results part). `validate`, `inspect` and
 * readRecords run every registered rule whose factory returns a checker for the file.
 *
 *   registerFileRule('seizure-120-result', (layout, header) =>
 *     layout.records.data?.byId.has('resultCode') && header?.['typeCode'] === '52'
 *       ? { data(rec, report) { … }, trailer(rec, report) { … }, end(report) { … } }
 *       : null);
 */
import type { Finding } from '../core/errors.js';
import type { Fields } from '../layout/codec.js';
import type { FieldDef, Layout, RecordKind } from '../layout/types.js';

/** A record as rules see it: fields decoded on first access. */
export interface RuleRecord {
  index: number;
  /** byte offset of the record in the file */
  offset: number;
  kind: RecordKind;
  readonly fields: Fields;
  /** byte offset in the file of a field of this record */
  fieldOffset(id: string): number;
  def(id: string): FieldDef | undefined;
}

export type Report = (f: Finding) => void;

export interface RecordChecker {
  header?(rec: RuleRecord, report: Report): void;
  data?(rec: RuleRecord, report: Report): void;
  trailer?(rec: RuleRecord, report: Report): void;
  /** the end record (when the layout has one) */
  endRecord?(rec: RuleRecord, report: Report): void;
  /** after the last record */
  finish?(report: Report): void;
}

/** Called once per file, when its first header is read (header null when the layout has none). */
export type FileRule = (layout: Layout, header: Fields | null) => RecordChecker | null;

const rules = new Map<string, FileRule>();

/** Register (or replace) a named rule. */
export function registerFileRule(name: string, rule: FileRule): void {
  rules.set(name, rule);
}
export function unregisterFileRule(name: string): void {
  rules.delete(name);
}
export function fileRules(): ReadonlyMap<string, FileRule> {
  return rules;
}
