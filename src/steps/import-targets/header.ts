/**
 * The header row of an export file (import-csv.md): read it alone, map column names
 * to indexes and list what is wrong with it (a name twice, a required column missing).
 * Shared by the import's one-thread path and its fast path's worker.
 */
import { rejected, type Finding } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { csvHeader, csvTable, type FileRole } from '../../domain/csv-tables.js';
import { countNewlines, readCsvSync } from './csv-source.js';
import { wrongEncoding, type CsvEncoding } from './encoding.js';

export interface CsvHeader {
  /** line of the header record */
  line: number;
  /** the trimmed column names */
  header: string[];
  /** column name → cell index (first occurrence) */
  index: Map<string, number>;
  /** header findings (import.duplicate-column, import.missing-column); empty when the header is usable */
  structural: Finding[];
}

/** Read the header of `file`; an empty file is an exit-3 error (import.no-header). */
export function readHeader(file: string, name: string, encoding: CsvEncoding, role: FileRole): CsvHeader {
  // the header is the first record: read it alone (the reader stops after it)
  let first: { line: number; cells: string[] } | null = null;
  readCsvSync(file, name, encoding, (line, cells) => {
    first = { line, cells: cells.map((c) => c.trim()) };
    return false;
  });
  if (first === null) {
    throw rejected('import.no-header', { ja: 'ファイルが空です（見出し行が必要です）', en: 'the file is empty (a header row is required)' }, [], { file: name, line: 1 });
  }
  const { line, cells: header } = first as { line: number; cells: string[] };
  // no column of the contract at all: when the encoding looks wrong, say that, once (issue 13, item 7)
  const names = csvHeader(role);
  if (!header.some((h) => names.includes(h))) {
    const wrong = wrongEncoding(file, name, encoding, names);
    if (wrong) throw wrong;
  }
  const index = new Map<string, number>();
  const structural: Finding[] = [];
  header.forEach((h, i) => {
    if (h === '') return;
    if (index.has(h)) {
      // a name of the contract is shown; any other "name" may be a data value (a file without its header row)
      const known = names.includes(h);
      structural.push({
        code: 'import.duplicate-column',
        file: name,
        line,
        ...(known ? { column: h } : {}),
        message: { ja: `同じ列名が2回以上あります（${i + 1}列目）`, en: `the same column name appears twice (field ${i + 1})` },
      });
    } else index.set(h, i);
  });
  for (const d of csvTable(role)) {
    if (d.required && !index.has(d.csv)) {
      structural.push({
        code: 'import.missing-column',
        file: name,
        line,
        column: d.csv,
        message: { ja: `必須の列「${d.csv}」が見出し行にありません。出力設定を確認してください`, en: `required column ${d.csv} is missing from the header row; check the export settings` },
      });
    }
  }
  return { line, header, index, structural };
}

/**
 * A data row whose shape cannot be trusted, reported as exactly that and with none of
 * its values shown (issue 13, item 1). Null for a row of the header's shape.
 * - `import.field-count`: its field count differs from the header's — its values have
 *   shifted (an unquoted comma in a name …), so no cell can be trusted to be what its
 *   column says.
 * - `import.line-break`: a cell holds a line break. No column of the export contract can
 *   (import-csv.md): it is a quote opened in one row and closed rows later, which would
 *   swallow the rows between into this one and — as a snapshot import — make them
 *   inactive without a word.
 */
export interface RowShapeIssue {
  code: 'import.field-count' | 'import.line-break';
  message: Msg;
  expected: string;
  found: string;
}

export function rowShapeIssue(header: CsvHeader, cells: readonly string[]): RowShapeIssue | null {
  const want = header.header.length;
  const got = cells.length;
  if (got !== want) {
    return {
      code: 'import.field-count',
      message: {
        ja: `列の数が見出し行と違います（見出し行 ${want} 列、この行 ${got} 列）。値の中に引用符（"）で囲まれていないカンマがないか確認し、出力し直してください`,
        en: `the row has a different number of fields from the header row (header ${want}, this row ${got}); check for a comma inside a value that is not enclosed in quotes (") and export again`,
      },
      expected: String(want),
      found: String(got),
    };
  }
  const breaks = countNewlines(cells);
  if (breaks === 0) return null;
  return {
    code: 'import.line-break',
    message: {
      ja: `この行の値に改行が含まれ、${breaks + 1} 行にまたがっています。引用符（"）の閉じ忘れで後の行が 1 行に取り込まれている可能性があります。出力し直してください`,
      en: `a value of this row holds a line break, so the row spans ${breaks + 1} lines; most likely a quote (") left open swallowed the rows after it. Export again`,
    },
    expected: '1',
    found: String(breaks + 1),
  };
}
