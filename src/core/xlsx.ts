/**
 * The one spreadsheet writer (issue 17 item 2, ADR 0175): an .xlsx streamed with exceljs's
 * WorkbookWriter into an output file of output-file.ts (temporary file 0600, then linked into
 * place; an existing target → exit 4). Sheets are written one after the other, their rows
 * committed as they are read from an iterator, waiting every few hundred rows for the zip
 * stream to drain (memory stays flat; exceljs itself ignores back-pressure).
 *
 * Every sheet: a header row, frozen (ySplit 1), with an autofilter over its columns; cells
 * typed by the column's kind — `text` as strings (identifiers keep their leading zeros),
 * `int` as numbers, `yen` as numbers with the yen format, `date` (ISO `YYYY-MM-DD` in) as
 * real dates shown `yyyy-mm-dd`. Column widths fit the header and the first rows (a
 * sample of SAMPLE_ROWS; a streamed sheet's widths are written before its rows), East
 * Asian wide characters counted as 2 (string-width), capped at MAX_WIDTH.
 */
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { createRequire } from 'node:module';
import type ExcelJSModule from 'exceljs';
import stringWidth from 'string-width';
import { openOutputFile } from './output-file.js';

/**
 * exceljs, loaded when a workbook is first written (about 20 MB of modules): every other
 * command — and every benchmark stage, whose peak RSS is a target — starts without it.
 */
let excel: typeof ExcelJSModule | null = null;
function exceljs(): typeof ExcelJSModule {
  excel ??= createRequire(import.meta.url)('exceljs') as typeof ExcelJSModule;
  return excel;
}

export type CellKind = 'text' | 'int' | 'yen' | 'date';
export type Cell = string | number | null | undefined;

export interface SheetColumn {
  header: string;
  kind: CellKind;
}

/** Integer yen: comma grouping and 円 (a number, not text: it sums in Excel). */
export const YEN_FORMAT = '#,##0"円"';
export const DATE_FORMAT = 'yyyy-mm-dd';
const INT_FORMAT = '0';
export const SAMPLE_ROWS = 1000;
export const MAX_WIDTH = 60;
/** rows between two waits for the zip stream to drain */
const DRAIN_EVERY = 500;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function cellValue(kind: CellKind, v: Cell): string | number | Date | null {
  if (v === null || v === undefined || v === '') return null;
  switch (kind) {
    case 'text':
      return String(v);
    case 'int':
    case 'yen':
      return typeof v === 'number' ? v : Number(v);
    case 'date': {
      const m = ISO_DATE.exec(String(v));
      // midnight UTC is the date's serial number in exceljs (it converts from UTC)
      return m === null ? String(v) : new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    }
  }
}

/** The width a cell takes as shown (wide characters 2). */
function shownWidth(kind: CellKind, v: Cell): number {
  if (v === null || v === undefined) return 0;
  if (kind === 'yen') return (typeof v === 'number' ? v : Number(v)).toLocaleString('en-US').length + 2;
  if (kind === 'date') return 10;
  return stringWidth(String(v));
}

export function columnWidths(columns: readonly SheetColumn[], sample: readonly (readonly Cell[])[]): number[] {
  return columns.map((c, i) => {
    let w = stringWidth(c.header);
    for (const row of sample) w = Math.max(w, shownWidth(c.kind, row[i]));
    // a margin for the autofilter's button
    return Math.min(MAX_WIDTH, w + 3);
  });
}

function numFmt(kind: CellKind): string | undefined {
  return kind === 'yen' ? YEN_FORMAT : kind === 'date' ? DATE_FORMAT : kind === 'int' ? INT_FORMAT : undefined;
}

export interface XlsxFile {
  readonly path: string;
  /** write one sheet from its rows (iterated once, committed as read); returns the data rows written */
  sheet(name: string, columns: readonly SheetColumn[], rows: Iterable<readonly Cell[]>): Promise<number>;
  /** finish the zip and give the file its name (exit 4 if the target appeared meanwhile) */
  commit(): Promise<void>;
  /** remove the temporary file */
  abort(): void;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Back-pressure exceljs does not give (its sheet stream ignores write()'s false): wait until
 * the zip has taken the sheet's stream (it takes the sheets in order) and its destination
 * (the deflate stream) has drained. Without it a large sheet is buffered whole in memory.
 */
/** Node's writableNeedDrain, or the readable-stream 2 state archiver's streams carry. */
function needsDrain(w: Writable): boolean {
  return w.writableNeedDrain ?? (w as unknown as { _writableState?: { needDrain?: boolean } })._writableState?.needDrain ?? false;
}

async function drained(ws: object): Promise<void> {
  const s = (ws as unknown as { stream: { pipes?: Writable[] } }).stream;
  for (;;) {
    const pipes = s.pipes ?? [];
    if (pipes.length === 0) {
      await pause(2);
      continue;
    }
    const full = pipes.find(needsDrain);
    if (full === undefined) return;
    await once(full, 'drain');
  }
}

/** Open a new workbook file; an existing target is refused here (exit 4), before anything is written. */
export function openXlsx(file: string): XlsxFile {
  const out = openOutputFile(file, { clobber: false });
  let aborted = false;
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (aborted) return cb();
      try {
        out.write(chunk);
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
  });
  const wb = new (exceljs().stream.xlsx.WorkbookWriter)({ stream, useStyles: true, useSharedStrings: false });
  return {
    path: file,
    async sheet(name, columns, rows) {
      const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
      ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, columns.length) } };
      const it = rows[Symbol.iterator]();
      let n = 0;
      try {
        const sample: Array<readonly Cell[]> = [];
        let ended = false;
        while (sample.length < SAMPLE_ROWS) {
          const r = it.next();
          if (r.done === true) {
            ended = true;
            break;
          }
          sample.push(r.value);
        }
        const widths = columnWidths(columns, sample);
        ws.columns = columns.map((c, i) => {
          const f = numFmt(c.kind);
          return { width: widths[i] ?? 10, ...(f !== undefined ? { style: { numFmt: f } } : {}) };
        });
        const header = ws.addRow(columns.map((c) => c.header));
        header.font = { bold: true };
        header.commit();
        const put = (cells: readonly Cell[]): void => {
          ws.addRow(columns.map((c, i) => cellValue(c.kind, cells[i]))).commit();
          n++;
        };
        for (const r of sample) put(r);
        if (!ended) {
          for (let r = it.next(); !r.done; r = it.next()) {
            put(r.value);
            if (n % DRAIN_EVERY === 0) await drained(ws);
          }
        }
      } finally {
        it.return?.();
      }
      ws.commit();
      return n;
    },
    async commit() {
      await wb.commit();
      out.commit();
    },
    abort() {
      aborted = true;
      out.abort();
    },
  };
}
