/**
 * Streaming CSV reader for the export files: decodes UTF-8 (BOM stripped) or
 * CP932 (iconv-lite stream), parses with csv-parse and yields each record with
 * the 1-based line on which it starts. Blank lines are skipped. Nothing is kept
 * in memory beyond the current chunk.
 */
import * as fs from 'node:fs';
import { parse, type CsvError } from 'csv-parse';
import iconv from 'iconv-lite';
import { rejected } from '../../core/errors.js';
import type { CsvEncoding } from './encoding.js';

export interface CsvRecord {
  line: number;
  cells: string[];
}

/**
 * Yield the records of `file` (the header included, as the first record).
 * A CSV syntax error (unclosed quote …) becomes an exit-3 AppError with file and line.
 */
export async function* readCsv(file: string, displayName: string, encoding: CsvEncoding): AsyncGenerator<CsvRecord> {
  const raw = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  const parser = parse({
    bom: true,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n', '\r'],
    encoding: 'utf8',
  });
  const source: NodeJS.ReadableStream = encoding === 'cp932' ? raw.pipe(iconv.decodeStream('cp932')) : raw;
  raw.on('error', (e: Error) => parser.destroy(e));
  source.pipe(parser);
  let index = 0; // records so far, blank ones included
  let extraNewlines = 0; // newlines inside quoted cells of earlier records
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      const line = index + 1 + extraNewlines;
      index++;
      for (const c of rec) {
        if (c.includes('\n') || c.includes('\r')) {
          const m = c.match(/\r\n|\n|\r/g);
          extraNewlines += m ? m.length : 0;
        }
      }
      if (rec.length === 1 && rec[0] === '') continue; // blank line
      yield { line, cells: rec };
    }
  } catch (err) {
    const e = err as CsvError & { lines?: number };
    if (typeof e.code === 'string' && e.code.startsWith('CSV_')) {
      throw rejected(
        'csv-syntax',
        {
          ja: `CSV の形式が正しくありません（${e.code}）。引用符（"）の閉じ忘れなどを確認し、出力し直してください`,
          en: `the CSV is malformed (${e.code}); check for unclosed quotes (") and export it again`,
        },
        [],
        { file: displayName, ...(typeof e.lines === 'number' ? { line: e.lines } : {}) },
      );
    }
    throw err;
  } finally {
    raw.destroy();
  }
}
