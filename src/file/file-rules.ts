/**
 * File-intrinsic rules beyond the layout (e.g. the seizure-120 result-file rules 3–6 of
 * the import-results step, the statement balance rule of the import-statement step).
 * Nothing is registered: a caller passes the rules it wants to the reader
 * (`ScanOptions.rules`, `validateFile(…, { rules })`), and each rule says from the
 * layout and the first header whether it applies to the file (docs/adr/0108).
 *
 *   const resultRule: FileRule = (layout, header) =>
 *     layout.records.data?.byId.has('resultCode') && header?.['typeCode'] === '52'
 *       ? { data(rec, report) { … }, trailer(rec, report) { … }, finish(report) { … } }
 *       : null;
 *   validateFile(file, layout, { rules: [resultRule] });
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

/** A record as a push checker needs it (a RuleRecord is one). */
export interface PushedRecord {
  index: number;
  offset: number;
  kind: RecordKind;
  readonly fields: Readonly<Record<string, string>>;
}

/** A checker fed record by record, reporting through the function it was made with (the result rules, the answer rules). */
export interface PushChecker {
  push(rec: PushedRecord): void;
  finish(): void;
}

/**
 * The RecordChecker of a push checker: its findings go to the report the reader passes
 * with each call; when data arrives before any header record (a reader that consumed
 * the header itself), the header the rule was given is pushed first, as record −1.
 */
export function pushCheckerRule(header: Fields, make: (report: Report) => PushChecker): RecordChecker {
  let sink: Report = () => {};
  const rules = make((f) => sink(f));
  const feed = (rec: RuleRecord, report: Report): void => {
    sink = report;
    rules.push(rec);
  };
  let headerSeen = false;
  return {
    header(rec, report) {
      headerSeen = true;
      feed(rec, report);
    },
    data(rec, report) {
      if (!headerSeen) {
        headerSeen = true;
        rules.push({ index: -1, offset: 0, kind: 'header', fields: header });
      }
      feed(rec, report);
    },
    trailer: feed,
    finish(report) {
      sink = report;
      rules.finish();
    },
  };
}
