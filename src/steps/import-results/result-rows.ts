/**
 * What the result import's fast-path worker (worker.ts) hands to the storing thread
 * (import-results.ts), declared once for both (core/rows.ts, ADR 0101). A module of its
 * own: importing worker.ts would start its producer.
 */
import { defineRows, type RowsChunk } from '../../core/rows.js';

/**
 * The data records' fields the fast path stores, by name (ADR 0101): 取立日 as the number
 * YYYYMMDD (0 = none); 支店番号, 預金種目 and 口座番号 as text.
 */
export const RESULT_ROWS = defineRows({
  req: 'int',
  sub: 'int',
  limit: 'int',
  code: 'int',
  seized: 'int',
  collected: 'int',
  date: 'int',
  branch: 'str',
  type: 'str',
  account: 'str',
});

/** Data records i = 0 … n−1, column by column (buffers transferred). */
export type ResultChunk = { kind: 'chunk' } & RowsChunk<typeof RESULT_ROWS.schema>;
