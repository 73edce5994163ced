/**
 * CSV readers for the export files: decode UTF-8 (BOM stripped) or CP932
 * (iconv-lite), parse with csv-parse semantics and hand each record, with the
 * 1-based line on which it starts, to a synchronous callback. Blank lines are
 * skipped. Nothing is kept in memory beyond the current chunk.
 *
 * - `readCsvSync` (the import's reader, ADR 0025): synchronous chunked reads, so
 *   the whole import runs inside one better-sqlite3 transaction without an await.
 *   Records without a double quote (nearly all of an export) are split on the
 *   delimiter directly; every record that contains a quote goes, with the quoted
 *   records that follow it, through csv-parse itself. Any CSV syntax error is
 *   reported by `CsvSyntaxFallback`; the caller re-reads the file with `readCsv`
 *   (csv-parse streaming, the reference) for the exact error. Any of CRLF, LF and
 *   CR ends a record, even mixed in one file; a record is at most MAX_RECORD_CHARS.
 * - `readCsv`: csv-parse streaming (async), the reference implementation.
 */
import * as fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { CsvError, parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { rejected, type AppError } from '../../core/errors.js';
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
    // The line where the next record starts, counted as csv-parse makes each record
    // (on_record runs inside the parser, so at an error it is the failing record's line).
    let nextLine = 1;
    // any of CRLF, LF and CR ends a record (a file may mix them); records are bounded
    const parser = parse({
      bom: true,
      relax_column_count: true,
      record_delimiter: RECORD_DELIMITERS,
      max_record_size: MAX_RECORD_CHARS,
      // (typed as returning the record: csv-parse's overloads type a mapped record only with `columns`)
      on_record: ((rec: string[]) => {
        const line = nextLine;
        nextLine += 1 + countNewlines(rec);
        return { line, rec };
      }) as unknown as (rec: string[]) => string[],
    });
    let failed = false;
    const fail = (err: unknown): void => {
      if (failed) return;
      failed = true;
      raw.destroy();
      parser.destroy();
      reject(err instanceof CsvError ? csvSyntaxError(err, displayName, nextLine) : err);
    };
    parser.on('data', ({ line, rec }: { line: number; rec: string[] }) => {
      if (failed) return;
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

/**
 * csv-parse's refusal as an exit-3 error located at the line where the record starts.
 * Its own message is not used: it quotes the cell ("value is …"), which may be a name.
 */
function csvSyntaxError(e: CsvError, displayName: string, line: number): AppError {
  const code = String(e.code);
  if (code === 'CSV_MAX_RECORD_SIZE') return recordTooLong(displayName, line);
  const where = { file: displayName, line };
  if (code.endsWith('QUOTE_NOT_CLOSED')) {
    return rejected(
      'import.csv-syntax',
      {
        ja: `${line}行目から始まる行の引用符（"）が閉じられていません。値を囲む " の閉じ忘れを確認し、出力し直してください`,
        en: `a quote (") opened in the row starting at line ${line} is never closed; check the quotes around values and export again`,
      },
      [],
      where,
    );
  }
  if (code.endsWith('INVALID_OPENING_QUOTE') || code.endsWith('INVALID_CLOSING_QUOTE')) {
    return rejected(
      'import.csv-syntax',
      {
        ja: `値の途中に引用符（"）があります（${code}）。値の中の " は "" と二重にして値全体を " で囲むか、" を取り除いて出力し直してください`,
        en: `a quote (") stands inside a value (${code}); double it ("") and enclose the whole value in quotes, or remove it, and export again`,
      },
      [],
      where,
    );
  }
  return rejected(
    'import.csv-syntax',
    {
      ja: `CSV の形式が正しくありません（${code}）。引用符（"）の閉じ忘れなどを確認し、出力し直してください`,
      en: `the CSV is malformed (${code}); check for unclosed quotes (") and export it again`,
    },
    [],
    where,
  );
}

/**
 * Thrown by `readCsvSync` when csv-parse refuses a record: the file is malformed.
 * The exact error (code, line, wording) is the one `readCsv` gives for the file.
 */
export class CsvSyntaxFallback extends Error {
  constructor(
    readonly file: string,
    readonly displayName: string,
    readonly encoding: CsvEncoding,
    readonly error: unknown,
  ) {
    super(`CSV syntax error in ${displayName}`);
  }
}

/**
 * The callback of `readCsvSync`: `text` is the record's raw text when it was
 * split directly (no quote, no record delimiter inside), else null. Return
 * false to stop reading.
 */
export type CsvRecordSink = (line: number, cells: string[], text: string | null) => boolean | void;

const CHUNK = 1 << 20;
/** quoted records handed to csv-parse at once (amortises its set-up per call) */
const GROUP_RECORDS = 512;
const GROUP_CHARS = 1 << 18;
const QUOTE = 34;
const CR = 13;
const LF = 10;
const NEWLINES = /\r\n|\n|\r/g;
/** Any of these ends a record, whatever the others in the file (CRLF first: one ending, not two). */
const RECORD_DELIMITERS = ['\r\n', '\n', '\r'];
/**
 * The longest record accepted, in characters (~2 MB of memory): an export row is at
 * most a few kilobytes; a longer one is a broken file (an unclosed quote, a file with
 * no line endings), refused with its line instead of being buffered whole.
 */
const MAX_RECORD_CHARS = 1 << 20;

function recordTooLong(displayName: string, line: number): AppError {
  return rejected(
    'import.record-too-long',
    {
      ja: `${line}行目から始まる行が ${MAX_RECORD_CHARS.toLocaleString('ja-JP')} 文字を超えても終わりません。引用符（"）の閉じ忘れか、改行のないファイルです。出力し直してください`,
      en: `the row starting at line ${line} runs past ${MAX_RECORD_CHARS} characters without ending: an unclosed quote (") or a file without line endings; export it again`,
    },
    [],
    { file: displayName, line },
  );
}

/** Line breaks inside the cells of one record (a quoted cell may hold them). */
export function countNewlines(cells: readonly string[]): number {
  let n = 0;
  for (const c of cells) {
    if (c.includes('\n') || c.includes('\r')) {
      const m = c.match(NEWLINES);
      n += m ? m.length : 0;
    }
  }
  return n;
}

/**
 * Read `file` synchronously with the same records, line numbers and blank-line
 * skipping as `readCsv` (csv-parse, `bom: true`, `relax_column_count: true`, any of
 * CRLF, LF and CR ending a record, each on its own: a file may mix them, issue 13).
 * Throws `CsvSyntaxFallback` when csv-parse refuses the input, and an exit-3
 * AppError (`import.record-too-long`, file and line) when a record grows past
 * `MAX_RECORD_CHARS` (memory stays bounded whatever the file); an exception of the
 * callback propagates as is.
 */
export function readCsvSync(file: string, displayName: string, encoding: CsvEncoding, onRecord: CsvRecordSink): void {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    const dec = encoding === 'cp932' ? iconv.getDecoder('cp932') : new StringDecoder('utf8');
    let s = ''; // decoded text not yet consumed
    let first = true;
    let index = 0; // records so far, blank ones included
    let extra = 0; // newlines inside cells of earlier records
    let stopped = false;

    const emit = (cells: string[], text: string | null): void => {
      const line = index + 1 + extra;
      index++;
      if (text === null) extra += countNewlines(cells);
      else if (text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0) extra += countNewlines(cells);
      if (cells.length === 1 && cells[0] === '') return; // blank line
      if (onRecord(line, cells, text) === false) stopped = true;
    };

    /** Parse s[from, to) (whole records) with csv-parse; false when stopped. */
    const slow = (from: number, to: number): void => {
      let records: string[][];
      try {
        records = parseSync(s.slice(from, to), { bom: false, relax_column_count: true, record_delimiter: RECORD_DELIMITERS, max_record_size: MAX_RECORD_CHARS }) as string[][];
      } catch (err) {
        throw new CsvSyntaxFallback(file, displayName, encoding, err);
      }
      for (const rec of records) {
        emit(rec, null);
        if (stopped) return;
      }
    };

    // Where the scan of an incomplete quoted record stopped (index into s, quote state),
    // so that a long quoted record is not rescanned from its start for every chunk.
    let scanAt = -1;
    let scanInQuote = false;
    /**
     * End of the record starting at `from` that contains a quote: index just past
     * its line ending (CRLF, LF or CR outside quotes); -1 when the text ends first
     * (-2: ends on a CR that may start a CRLF). With `resume`, the scan continues
     * where it stopped.
     */
    const quotedEnd = (from: number, resume: boolean): number => {
      let inQuote = false;
      let i = from;
      if (resume && scanAt >= from) {
        i = scanAt;
        inQuote = scanInQuote;
      }
      const n = s.length;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c === QUOTE) inQuote = !inQuote;
        else if (!inQuote && c === LF) return i + 1;
        else if (!inQuote && c === CR) {
          if (i + 1 >= n) {
            scanAt = i;
            scanInQuote = inQuote;
            return -2;
          }
          return s.charCodeAt(i + 1) === LF ? i + 2 : i + 1;
        }
      }
      scanAt = n;
      scanInQuote = inQuote;
      return -1;
    };

    /** The record left incomplete at the end of the text may not grow without limit. */
    const bounded = (): void => {
      if (s.length > MAX_RECORD_CHARS) throw recordTooLong(displayName, index + 1 + extra);
    };

    const consume = (final: boolean): void => {
      const n = s.length;
      let pos = 0;
      let nextQuote = s.indexOf('"');
      if (nextQuote < 0) nextQuote = n;
      let nextCr = -1;
      let nextLf = -1;
      /** the first CR or LF at or after `from` (n when none), the two searches cached */
      const lineEnd = (from: number): number => {
        if (nextCr < from) {
          nextCr = s.indexOf('\r', from);
          if (nextCr < 0) nextCr = n;
        }
        if (nextLf < from) {
          nextLf = s.indexOf('\n', from);
          if (nextLf < 0) nextLf = n;
        }
        return nextCr < nextLf ? nextCr : nextLf;
      };
      while (pos < n && !stopped) {
        const end = lineEnd(pos);
        // no line ending yet, or a CR that may be the first half of a CRLF: wait for more text
        if (!final && (end === n || end === n - 1 && s.charCodeAt(end) === CR)) break;
        if (nextQuote >= end) {
          const text = s.slice(pos, end);
          emit(text.split(','), text);
          pos = end >= n ? n : s.charCodeAt(end) === CR && end + 1 < n && s.charCodeAt(end + 1) === LF ? end + 2 : end + 1;
          continue;
        }
        // records with quotes: csv-parse, several at once
        const from = pos;
        let to = quotedEnd(pos, pos === 0);
        scanAt = -1;
        if (to < 0 && !final) {
          // wait for more text; resume the scan there (s is re-based on pos below)
          const at = to === -2 ? n - 1 : n;
          s = s.slice(pos);
          scanAt = at - pos;
          bounded();
          return;
        }
        if (to < 0) to = n;
        let count = 1;
        while (to < n && count < GROUP_RECORDS && to - from < GROUP_CHARS) {
          if (nextQuote < to) {
            nextQuote = s.indexOf('"', to);
            if (nextQuote < 0) nextQuote = n;
          }
          if (nextQuote >= lineEnd(to)) break; // next record is plain
          const t2 = quotedEnd(to, false);
          scanAt = -1;
          if (t2 < 0) {
            if (final) {
              to = n;
              count++;
            }
            break;
          }
          to = t2;
          count++;
        }
        slow(from, to);
        pos = to;
        if (nextQuote < pos) {
          nextQuote = s.indexOf('"', pos);
          if (nextQuote < 0) nextQuote = n;
        }
      }
      s = final ? '' : s.slice(pos);
      bounded();
    };

    for (;;) {
      const got = fs.readSync(fd, buf, 0, CHUNK, null);
      const text = got === 0 ? dec.end() ?? '' : dec.write(buf.subarray(0, got));
      s = s.length === 0 ? text : s + text;
      if (first && (s.length > 0 || got === 0)) {
        first = false;
        if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
      }
      consume(got === 0);
      if (stopped || got === 0) return;
    }
  } finally {
    fs.closeSync(fd);
  }
}
