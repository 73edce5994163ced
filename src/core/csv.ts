/**
 * The one CSV encoder of the product (ADR 0111), on csv-stringify's synchronous API.
 *
 * Every CSV the product writes — report, receipts export, exclusion list, reject files,
 * the demo's exports — is encoded by `stringify` with the options below: comma, CRLF, a cell
 * quoted (quotes doubled) when it holds a comma, a quote, a CR or an LF; numbers as
 * `String(n)`; null and undefined empty. The reject files too: they once used csv-stringify's
 * defaults, which quote a line break only when it is the record delimiter (CRLF), so a rejected
 * row whose cell held a lone LF or CR (an export with mixed line endings, a quote left open:
 * `import.line-break`) broke the reject file into extra rows.
 *
 * `csvLine` and `csvCell` are the fast path for files of up to a million rows (report,
 * receipts, exclusions, the demo generator): csv-stringify costs ~6× as much per row there.
 * They give exactly `stringify([row], CSV)`'s bytes; test/core/csv.test.ts holds the two
 * equal on generated cells.
 */
import { stringify, type Options } from 'csv-stringify/sync';

export type CsvValue = string | number | null | undefined;

/** The product's CSV: CRLF, quoted on comma, quote, CR or LF. */
export const CSV: Readonly<Options> = Object.freeze({ record_delimiter: '\r\n', quoted_match: /[\r\n]/ });


/** Rows to CSV text (each row ends with the record delimiter). */
export function csvRows(rows: ReadonlyArray<ReadonlyArray<CsvValue>>, options: Readonly<Options> = CSV): string {
  return stringify(rows as CsvValue[][], { ...options });
}

const NEEDS_QUOTES = /[",\r\n]/;

/** One cell as `CSV` writes it: quoted (quotes doubled) when it holds a comma, quote, CR or LF. */
export function csvCell(v: string): string {
  return NEEDS_QUOTES.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

function field(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v); // digits, sign, point: never quoted
  return csvCell(v);
}

/** One row as `CSV` writes it, CRLF included: equal to `csvRows([values])`. */
export function csvLine(values: ReadonlyArray<CsvValue>): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i === 0 ? '' : ',') + field(values[i]);
  return line + '\r\n';
}
