/**
 * The worker half of the targets import's fast path (fast-path.ts,
 * docs/adr/0059-targets-import-second-core.md).
 *
 * Here, on the second core: reading and decoding the export files, the header
 * checks, the cell rules of every row (valuesParser, the same rules as the full
 * path), duplicate 宛名番号 and the 宛名番号 of debts and accounts (one compact key
 * set, ADR 0026). The main thread upserts the rows in its one transaction meanwhile;
 * its upserts find a repeated 調定番号 or account key, and a payment of an unknown
 * 調定番号 is looked up there at the end (no key set for them here: memory).
 *
 * Only a clean export goes this way. The first thing the full path would report or
 * reject — a header finding, mojibake, a bad cell, a duplicate key, an unknown
 * 宛名番号 or 調定番号, a CSV syntax error, any error at all — ends the stream with
 * an `unclean` item: the main thread rolls back and runs the full path, which
 * reports everything. Nothing here is logged, and `unclean` says what kind of thing
 * was found, never a value.
 *
 * Items posted, per file in reading order (taxpayers, debts, payments, accounts):
 *   rows — up to `chunkRows` good rows as TARGET_ROWS (target-rows.ts, core/rows.ts:
 *          columns named by header, in the order of the file's table, their buffers
 *          transferred; no object per row crosses the thread boundary);
 *   file — the file is read: its data rows;
 * then `unclean` (stop), or the end of the stream.
 */
import { runProducer, type ProducerContext } from '../../core/sync-worker.js';
import { buffersOf } from '../../core/rows.js';
import { columnAt, csvTable } from '../../domain/csv-tables.js';
import { mojibakeScan, valuesParser, type FileRole } from './columns.js';
import { readCsvSync } from './csv-source.js';
import type { CsvEncoding } from './encoding.js';
import { readHeader, rowShapeIssue } from './header.js';
import { KeySet } from '../../core/key-set.js';
import { TARGET_ROWS, type RowsItem } from './target-rows.js';

export interface TargetsFastInput {
  /** in reading order */
  files: Array<{ role: FileRole; file: string; name: string; encoding: CsvEncoding }>;
  /** good rows per `rows` item (default 1,024: larger items made the peak RSS at 1M rows 290–340 MB instead of 264–271 MB; ADR 0059) */
  chunkRows?: number;
}

export interface FileItem {
  kind: 'file';
  role: FileRole;
  rows: number;
}
export interface UncleanItem {
  kind: 'unclean';
  role: FileRole;
  /** what was found (a kind, never a value) */
  reason: string;
}
export type TargetsFastItem = RowsItem | FileItem | UncleanItem;

// where the 宛名番号 checked here is in each file's row of values
const TAXPAYER_ATENA = columnAt('taxpayers', '宛名番号');
const DEBT_ATENA = columnAt('debts', '宛名番号');
const ACCOUNT_ATENA = columnAt('accounts', '宛名番号');

class Unclean extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export default runProducer((ctx: ProducerContext<TargetsFastInput, TargetsFastItem>) => {
  const chunkRows = Math.max(1, ctx.input.chunkRows ?? 1024);
  const taxpayerKeys = new KeySet(1 << 18);
  let role: FileRole = 'taxpayers';
  try {
    for (const input of ctx.input.files) {
      role = input.role;
      const head = readHeader(input.file, input.name, input.encoding, role);
      const { index, structural } = head;
      if (structural.length > 0) throw new Unclean('header');
      const parse = valuesParser(role, index);
      const mojibakeCells = mojibakeScan(role, index);
      // `vals` is in the order of the file's table, which is the order of TARGET_ROWS' columns (target-rows.ts)
      const out = TARGET_ROWS[role].builder(chunkRows);
      const vals: Array<number | string | null> = new Array(csvTable(role).length);

      let rows = 0;
      let before = 0;
      const flush = (): void => {
        if (out.n === 0) return;
        const item: RowsItem = { kind: 'rows', role, before, rows: out.finish() };
        ctx.post(item, buffersOf(item.rows));
        before = rows;
      };

      let isHeader = true;
      readCsvSync(input.file, input.name, input.encoding, (_line, cells, text) => {
        if (isHeader) {
          isHeader = false;
          return;
        }
        rows++;
        if (rowShapeIssue(head, cells) !== null) throw new Unclean('row-shape');
        if (mojibakeCells(cells, text).length > 0) throw new Unclean('mojibake');
        if (!parse(cells, vals)) throw new Unclean('invalid-row');
        switch (role) {
          case 'taxpayers':
            if (!taxpayerKeys.add(vals[TAXPAYER_ATENA] as string)) throw new Unclean('duplicate-key');
            break;
          case 'debts':
            if (!taxpayerKeys.has(vals[DEBT_ATENA] as string)) throw new Unclean('unknown-taxpayer');
            break;
          case 'accounts':
            if (!taxpayerKeys.has(vals[ACCOUNT_ATENA] as string)) throw new Unclean('unknown-taxpayer');
            break;
          // payments: their 調定番号 are looked up by the main thread at the end
        }
        // a number column's value is a number or null, a text column's a string or null (valuesParser)
        out.pushRow(vals);
        if (out.n === chunkRows) flush();
      });
      // a closed consumer makes post() throw: no check per row
      flush();
      ctx.post({ kind: 'file', role, rows });
    }
  } catch (e) {
    if (ctx.cancelled()) return;
    // anything the full path would report (or any error at all): it runs instead
    ctx.post({ kind: 'unclean', role, reason: e instanceof Unclean ? e.reason : e instanceof Error ? e.name : 'error' });
  }
});
