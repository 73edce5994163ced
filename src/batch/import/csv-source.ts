/**
 * Streaming CSV reader for the export files: decodes UTF-8 (BOM stripped) or
 * CP932 (iconv-lite stream), parses with csv-parse and hands each record, with
 * the 1-based line on which it starts, to a synchronous callback (no promise per
 * record: at a million rows that overhead matters). Blank lines are skipped.
 * Nothing is kept in memory beyond the current chunk.
 */
import * as fs from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { rejected } from '../../core/errors.js';
import type { CsvEncoding } from './encoding.js';

/**
 * Read `file`, calling `onRecord(line, cells)` for every record, the header
 * included (first call). An exception thrown by the callback stops the reading
 * and rejects the returned promise with it. A CSV syntax error (unclosed quote …)
 * becomes an exit-3 AppError with file and line.
 */
export function readCsv(file: string, displayName: string, encoding: CsvEncoding, onRecord: (line: number, cells: string[]) => void): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
    // record delimiter auto-detected (\n or \r\n); a stray \r is trimmed with the cell
    const parser = parse({ bom: true, relax_column_count: true });
    let index = 0; // records so far, blank ones included
    let extraNewlines = 0; // newlines inside quoted cells of earlier records
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      raw.destroy();
      parser.destroy();
      const e = err as CsvError & { lines?: number };
      if (typeof e?.code === 'string' && e.code.startsWith('CSV_')) {
        reject(
          rejected(
            'csv-syntax',
            {
              ja: `CSV の形式が正しくありません（${e.code}）。引用符（"）の閉じ忘れなどを確認し、出力し直してください`,
              en: `the CSV is malformed (${e.code}); check for unclosed quotes (") and export it again`,
            },
            [],
            { file: displayName, ...(typeof e.lines === 'number' ? { line: e.lines } : {}) },
          ),
        );
      } else reject(err);
    };
    parser.on('data', (rec: string[]) => {
      if (failed) return;
      const line = index + 1 + extraNewlines;
      index++;
      for (const c of rec) {
        if (c.includes('\n') || c.includes('\r')) {
          const m = c.match(/\r\n|\n|\r/g);
          extraNewlines += m ? m.length : 0;
        }
      }
      if (rec.length === 1 && rec[0] === '') return; // blank line
      try {
        onRecord(line, rec);
      } catch (err) {
        fail(err);
      }
    });
    parser.on('error', fail);
    parser.on('end', () => {
      if (!failed) resolve();
    });
    raw.on('error', fail);
    if (encoding === 'cp932') {
      const dec = iconv.decodeStream('cp932');
      dec.on('error', fail);
      raw.pipe(dec).pipe(parser);
    } else raw.pipe(parser);
  });
}

const STOP = Symbol('stop');

/** The first record (the header row) of a file, or null when the file has none. */
export async function readFirstRecord(file: string, displayName: string, encoding: CsvEncoding): Promise<{ line: number; cells: string[] } | null> {
  let first: { line: number; cells: string[] } | null = null;
  try {
    await readCsv(file, displayName, encoding, (line, cells) => {
      first = { line, cells };
      throw STOP;
    });
  } catch (err) {
    if (err !== STOP) throw err;
  }
  return first;
}
