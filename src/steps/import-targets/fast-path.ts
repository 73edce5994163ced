/**
 * The targets import's fast path (docs/adr/0059-targets-import-second-core.md): a
 * worker thread reads and checks the export (worker.ts) while this
 * thread upserts its rows straight into taxpayers, debts and accounts, inside the
 * import's one transaction; payments go to temp.stage_payments for
 * finishTargetsImport. The staging tables and their copy are skipped.
 *
 * Only for a clean export: when the worker finds anything, `FastPathUnclean` is
 * thrown, the caller's transaction rolls back and the full path runs.
 */
import { SyncProducer } from '../../core/sync-worker.js';
import { TARGETS_WORKER } from './worker-ref.js';
import type { Db } from '../../db/connection.js';
import { stagedPaymentOfUnknownDebt, TargetsDirect, type TargetCounts } from '../../db/targets.js';
import { csvHeader } from '../../domain/csv-tables.js';
import type { FileRole } from './columns.js';
import type { TargetsFastInput } from './worker.js';
import { TARGET_ROWS, type RowsItem } from './target-rows.js';

/** The worker found something the full path reports or rejects (a kind, never a value). */
export class FastPathUnclean extends Error {
  constructor(
    readonly role: FileRole,
    readonly reason: string,
  ) {
    super(`fast path left at ${role}: ${reason}`);
  }
}

export interface FastProgress {
  onProgress?: ((p: { role: FileRole; file: string; rows: number; done: boolean }) => void) | undefined;
  every: number;
}

/**
 * Upsert what the worker reads, inside the caller's transaction (foreign keys off: the
 * worker's key checks stand for them, ADR 0059). Returns the rows per file.
 */
export function upsertFromWorker(db: Db, importId: number, input: TargetsFastInput, progress: FastProgress): TargetCounts {
  const direct = new TargetsDirect(db);
  const names = new Map(input.files.map((f) => [f.role, f.name]));
  const counts: TargetCounts = { taxpayers: 0, debts: 0, accounts: 0, payments: 0 };
  const producer = new SyncProducer(TARGETS_WORKER, input, { maxInFlight: 4 });
  try {
    for (let item = producer.next(); item !== undefined; item = producer.next()) {
      if (item.kind === 'unclean') throw new FastPathUnclean(item.role, item.reason);
      const file = names.get(item.role) ?? item.role;
      if (item.kind === 'file') {
        counts[item.role] = item.rows;
        progress.onProgress?.({ role: item.role, file, rows: item.rows, done: true });
        continue;
      }
      upsertRows(direct, item, importId);
      if (progress.onProgress) {
        const every = progress.every;
        for (let k = Math.floor(item.before / every) + 1; k * every <= item.before + item.rows.n; k++) progress.onProgress({ role: item.role, file, rows: k * every, done: false });
      }
    }
  } finally {
    producer.close();
  }
  if (counts.payments > 0 && stagedPaymentOfUnknownDebt(db, importId)) throw new FastPathUnclean('payments', 'unknown-debt');
  return counts;
}

/**
 * One item's rows, each as the statement's parameters: the values read by column name in the
 * order of the file's table (domain/csv-tables.ts), as db/targets.ts lists the columns of its
 * statements, then the import id.
 */
function upsertRows(direct: TargetsDirect, item: RowsItem, importId: number): void {
  const role = item.role;
  const stmt = role === 'taxpayers' ? direct.taxpayer : role === 'debts' ? direct.debt : role === 'accounts' ? direct.account : direct.payment;
  const values = TARGET_ROWS[role].readColumns(item.rows);
  const columns = csvHeader(role).map((name) => {
    const c = values[name];
    if (c === undefined) throw new Error(`no column ${name} in the ${role} rows`);
    return c;
  });
  const width = columns.length;
  const args: unknown[] = new Array(role === 'payments' ? width : width + 1);
  if (role !== 'payments') args[width] = importId;
  for (let r = 0; r < item.rows.n; r++) {
    for (let i = 0; i < width; i++) args[i] = columns[i]![r];
    // a 調定番号 or account key this import already stored: the upsert changed nothing (a duplicate)
    if (stmt.run(args).changes === 0) throw new FastPathUnclean(role, 'duplicate-key');
  }
}
