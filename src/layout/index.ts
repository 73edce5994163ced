/**
 * Layout engine — public API (import from 'src/layout/index.js').
 *
 *   const layout = loadLayout('seizure-120');          // id → formats/<id>.xml, or a path
 *   const layout = detectLayout(firstBytes);           // by recordLength + header const/values
 *   listLayouts(), listLayoutIds(), formatsDir()       // formats/ (env SASHIOSAE_FORMATS)
 *
 *   layout.records.data!.byId.get('holderName')        // FieldDef: offset, length, type, …
 *   layout.dataRecords, recordDef(layout, 'detail')     // several data records, by id (layout-xml.md)
 *   decodeRecord(rec, buf, start) → Fields             // every non-filler field as text
 *   encodeRecord(layout, rec, values, out, pos, base?) // throws AppError on a bad value
 *   fieldOrder(layout, rec, ids) → order               // ids checked once, then
 *   encodeRecordInOrder(layout, order, row, out, pos)  // row[j] is the value of ids[j]
 *   checkRecord(rec, buf, start, ctx, report)          // per-field findings
 *   readWareki / writeWareki                           // 和暦 YYMMDD
 *   readGWareki / writeGWareki                         // 和暦 GYYMMDD (era digit)
 *
 * Refused layouts throw AppError (exit 2) naming file, record and field.
 * Files are read and written through src/file/index.js.
 */
export type { Layout, RecordDef, FieldDef, RecordKind, FieldType, NFormat, Separator, Encoding, TotalKind, WhereClause } from './types.js';
export { loadLayout, listLayouts, listLayoutIds, formatsDir, compileLayoutXml, recordDef } from './load.js';
export { detectLayout } from './detect.js';
export {
  decodeRecord,
  decodeField,
  encodeRecord,
  encodeRecordInOrder,
  fieldOrder,
  checkRecord,
  type Fields,
  type FieldInput,
  type FieldInputs,
  type CheckContext,
  type FieldOrder,
} from './codec.js';
export { readWareki, writeWareki, readGWareki, writeGWareki } from './wareki.js';
