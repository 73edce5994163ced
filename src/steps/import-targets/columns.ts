/**
 * The import's view of the CSV export contract (src/domain/csv-tables.ts, ADR 0105):
 * compiled row parsers that turn the text cells of a file, whatever the order of its
 * header, into the values of its table in table order, and the mojibake scan.
 */
import { csvTable, columnAt, Issue, type CsvColumn, type FileRole, type Rule } from '../../domain/csv-tables.js';

export type { FileRole } from '../../domain/csv-tables.js';

/** Whether a value of this column of `role` may be shown in a message: it is not personal (cli.md "console privacy"). */
export function isShown(role: FileRole, csv: string): boolean {
  return !csvTable(role).some((c) => c.csv === csv && c.personal);
}

export interface CellIssue {
  column: string;
  /** issue code, resolved by issueMessage */
  code: string;
}

const PAID_OVER_HONZEI = 'paidOver:本税';
const PAID_OVER_FEE = 'paidOver:督促手数料';
// a debt's paid amounts may not exceed what they pay (positions in the debts table)
const HONZEI = columnAt('debts', '本税');
const HONZEI_PAID = columnAt('debts', '本税収納済額');
const FEE = columnAt('debts', '督促手数料');
const FEE_PAID = columnAt('debts', '督促手数料収納済額');

interface CompiledColumn {
  name: string;
  /** cell index, −1 when the (optional) column is absent */
  at: number;
  rule: Rule<unknown>;
}

function compile(role: FileRole, index: ReadonlyMap<string, number>): CompiledColumn[] {
  return csvTable(role).map((d: CsvColumn) => ({ name: d.csv, at: index.get(d.csv) ?? -1, rule: d.rule }));
}

/** The cell's text as the rules see it: trimmed (only when it needs trimming), '' for an absent column. */
function cellOf(cells: string[], at: number): string {
  const raw = at < 0 ? '' : (cells[at] ?? '');
  return raw.length > 0 && (raw.charCodeAt(0) <= 32 || raw.charCodeAt(raw.length - 1) <= 32 || raw.charCodeAt(0) === 0x3000 || raw.charCodeAt(raw.length - 1) === 0x3000) ? raw.trim() : raw;
}

/**
 * Compile a row parser for a file whose header maps column names to indexes: it writes
 * the row's typed values in table order to `out` and returns every issue of the row
 * (null when it is good). Cells are trimmed; a column absent from the header (optional)
 * reads as ''.
 */
export function rowParser(role: FileRole, index: ReadonlyMap<string, number>): (cells: string[], out: unknown[]) => CellIssue[] | null {
  const cols = compile(role, index);
  const n = cols.length;
  const debts = role === 'debts';
  return (cells, out) => {
    let issues: CellIssue[] | null = null;
    for (let i = 0; i < n; i++) {
      const c = cols[i]!;
      const v = c.rule(cellOf(cells, c.at));
      if (v instanceof Issue) (issues ??= []).push({ column: c.name, code: v.code });
      else out[i] = v;
    }
    if (issues === null && debts) {
      if ((out[HONZEI_PAID] as number) > (out[HONZEI] as number)) (issues ??= []).push({ column: '本税収納済額', code: PAID_OVER_HONZEI });
      if ((out[FEE_PAID] as number) > (out[FEE] as number)) (issues ??= []).push({ column: '督促手数料収納済額', code: PAID_OVER_FEE });
    }
    return issues;
  };
}

/**
 * The same rules for a row that is only wanted when it is good (the import's fast
 * path): its typed values in table order are written to `out`, and the result is
 * false at the first issue (rowParser then tells which).
 */
export function valuesParser(role: FileRole, index: ReadonlyMap<string, number>): (cells: string[], out: unknown[]) => boolean {
  const cols = compile(role, index);
  const n = cols.length;
  const debts = role === 'debts';
  return (cells, out) => {
    for (let i = 0; i < n; i++) {
      const c = cols[i]!;
      const v = c.rule(cellOf(cells, c.at));
      if (v instanceof Issue) return false;
      out[i] = v;
    }
    return !debts || ((out[HONZEI_PAID] as number) <= (out[HONZEI] as number) && (out[FEE_PAID] as number) <= (out[FEE] as number));
  };
}

/**
 * A mojibake scan of one CSV row (import-csv.md: text the encoding could not decode is
 * refused): the positions of the role's columns present in the header, and a function
 * giving the positions of the cells holding U+FFFD — none unless the row's text has one,
 * so a clean row costs one `includes`. Shared by the full import path (one reason per
 * cell) and the fast path's worker (any at all leaves the fast path).
 */
export function mojibakeScan(role: FileRole, index: ReadonlyMap<string, number>): (cells: readonly string[], text: string | null) => number[] {
  const at = csvTable(role)
    .map((d) => index.get(d.csv))
    .filter((i): i is number => i !== undefined);
  const none: number[] = [];
  return (cells, text) => {
    if (text !== null && !text.includes('\uFFFD')) return none;
    const out: number[] = [];
    for (const i of at) if (cells[i] !== undefined && cells[i]!.includes('\uFFFD')) out.push(i);
    return out;
  };
}
