/** Compiled layout: what loadLayout returns (layout-xml.md, docs/formats.md). */
import type { CharClass } from '../text/jisx0201.js';

export type RecordKind = 'header' | 'data' | 'trailer' | 'end';
export const RECORD_KINDS: readonly RecordKind[] = ['header', 'data', 'trailer', 'end'];
export type FieldType = 'N' | 'C' | 'J' | 'X';
export type NFormat = 'date-yyyymmdd' | 'date-yymmdd-wareki' | 'date-gyymmdd-wareki' | 'date-mmdd' | 'amount';
export type Separator = 'crlf' | 'lf' | 'cr' | 'none';
export type Encoding = 'cp932' | 'shift_jis';
export type TotalKind = 'count' | 'sum' | 'records' | 'groups';

export interface WhereClause {
  field: string;
  op: '>' | '=' | '!=';
  value: string;
  /** compare numerically (the field is N) */
  numeric: boolean;
}

export interface FieldDef {
  id: string;
  name: string | undefined;
  type: FieldType;
  length: number;
  /** 0-based byte offset inside the record */
  offset: number;
  const: string | undefined;
  /** encoded bytes of const */
  constBytes: Uint8Array | undefined;
  /** allowed values (N: zero-padded to length; others: decoded text) */
  values: readonly string[] | undefined;
  /** N fields with values: the allowed values as numbers (fast check) */
  valueNumbers: ReadonlySet<number> | undefined;
  filler: boolean;
  class: CharClass;
  format: NFormat | undefined;
  total: TotalKind | undefined;
  of: string | undefined;
  oncePer: string | undefined;
  where: WhereClause | undefined;
  /** totals: the data record counted or summed (layout-xml.md "Several data records") */
  record?: string | undefined;
  /** totals: keep the value modulo 10^length (a checksum that may overflow its field) */
  modulo?: boolean | undefined;
  /** personal data: findings show only the offending bytes (docs/formats.md) */
  personal: boolean;
  /** N only: spaces accepted instead of digits / zero padding (lenient reading) */
  blankAllowed: boolean;
}

export interface RecordDef {
  kind: RecordKind;
  /** a data record's id (required when the layout has several data records) */
  id?: string | undefined;
  fields: readonly FieldDef[];
  byId: ReadonlyMap<string, FieldDef>;
  /** the identifying first field */
  first: FieldDef;
}

export interface Layout {
  id: string;
  name: string | undefined;
  source: string | undefined;
  /** absolute path of the XML it came from */
  file: string;
  recordLength: number;
  encoding: Encoding;
  separator: Separator;
  groups: 'one' | 'many';
  /** by kind; with several data records, `data` is the first one defined */
  records: Partial<Record<RecordKind, RecordDef>>;
  /**
   * every data record definition, in layout order (set by loadLayout; a layout built by
   * hand without it has the single records.data: use dataRecordsOf)
   */
  dataRecords?: readonly RecordDef[];
  /** record defs in file order (header, data…, trailer, end) */
  recordList: readonly RecordDef[];
}

/** A layout's data record definitions, in layout order. */
export function dataRecordsOf(layout: Layout): readonly RecordDef[] {
  return layout.dataRecords ?? (layout.records.data ? [layout.records.data] : []);
}
