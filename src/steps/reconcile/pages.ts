/**
 * Reconcile's reading and allocation, page by page, apart from its writes: what each
 * page of a batch's requests collected, the debts they cover, and the receipts and
 * overpayments the allocation policy books — as columnar rows the step then inserts.
 *
 * The same generator runs inline (on the step's own connection, inside its
 * transaction) or in a worker thread on the second core, reading the snapshot the
 * step's transaction began from (src/steps/reconcile/worker.ts, ADR 0054). The two
 * read the same data because a debt is covered by at most one request of a batch;
 * `checkRepeats` verifies that as it goes (see SnapshotUnsafe).
 */
import { AppError, EXIT } from '../../core/errors.js';
import type { Db } from '../../db/connection.js';
import { CD, collectionsInRange, coveredDebtState, coveredDebtsOf, requestIdPage, type CoveredDebtRaw } from '../../db/reconcile.js';
import { allocateCollections, type AllocationPolicy, type DebtState } from '../../domain/allocation.js';
import { KeySet } from '../../core/key-set.js';
import { defineRows, type RowsChunk } from '../../core/rows.js';

/** A receipt per debt per request per 取立日 (ADR 0101: columns, transferred whole). */
export const RECEIPT_ROWS = defineRows({ requestId: 'int', chotei: 'str', atena: 'str', date: 'str', honzei: 'int', entaikin: 'int', fee: 'int' });
/** An overpayment (過誤納金) per request per 取立日. */
export const OVERPAYMENT_ROWS = defineRows({ requestId: 'int', atena: 'str', date: 'str', amount: 'int' });
/** Collected per 取立日 in a page. */
export const BY_DATE_ROWS = defineRows({ date: 'str', amount: 'int' });

/** What one page books. Columnar rows: no object per row to build, send or collect. */
export interface PageBookings {
  receipts: RowsChunk<typeof RECEIPT_ROWS.schema>;
  overpayments: RowsChunk<typeof OVERPAYMENT_ROWS.schema>;
  byDate: RowsChunk<typeof BY_DATE_ROWS.schema>;
  /** Σ collected of the page */
  collected: number;
}

/**
 * Thrown (with `checkRepeats`) when a debt is covered by a second request of the batch
 * that collected money, on a later page. Extract never does that (one request per
 * taxpayer per batch, a debt belongs to one taxpayer), but a database could: the later
 * page then needs the receipts booked earlier in the same transaction, which a snapshot
 * does not show, so the step reconciles inline instead.
 */
export class SnapshotUnsafe extends AppError {
  static readonly CODE = 'reconcile.snapshot-unsafe';
  /** Also true for the copy a worker thread's error arrives as (a plain AppError). */
  static is(e: unknown): boolean {
    return e instanceof AppError && e.code === SnapshotUnsafe.CODE;
  }
  constructor(batchId: string) {
    super({
      code: SnapshotUnsafe.CODE,
      exit: EXIT.unexpected,
      msg: {
        ja: `バッチ ${batchId} の依頼が宛名番号順ではありません（並行読込は使えません）`,
        en: `the requests of batch ${batchId} are not in 宛名番号 order (no parallel reading)`,
      },
    });
  }
}

function stateOf(row: CoveredDebtRaw): DebtState {
  const s = coveredDebtState(row);
  return {
    chotei: row[CD.chotei],
    dueDate: row[CD.dueDate],
    honzeiOut: s.honzeiOut,
    feeOut: s.feeOut,
    entaikinKind: row[CD.entaikinKind] === 1 ? 1 : 0,
    principal: s.principal,
    principalPayments: s.payments,
    entaikinPaid: s.entaikinPaid,
  };
}

/**
 * Pages of `pageSize` request ids (keyset), each read with two joins — the collections
 * (ordered by request and date), then the debts covered by the requests that
 * collected money — and allocated by `policy` (docs/adr/0063). A collected amount
 * without a 取立日 is an error (exit 3). `deferred`: a 取立保留 batch, whose money was
 * collected by instruction results, each on its own 取立日 (延滞金 to that date).
 */
export function* allocatePages(db: Db, batchId: string, policy: AllocationPolicy, pageSize: number, checkRepeats: boolean, deferred = false): Generator<PageBookings> {
  // a 取立保留 batch's collections are its instruction results (db/reconcile.ts)
  const readCollections = collectionsInRange(db, deferred);
  const readDebts = coveredDebtsOf(db);
  let after = 0;
  // debts of earlier pages (only with checkRepeats; compact: ≈ 30 bytes a debt)
  const booked = new KeySet(checkRepeats ? 1 << 16 : 16);
  const mine: Array<{ date: string; amount: number }> = [];
  const receipts = RECEIPT_ROWS.builder(pageSize);
  const overpayments = OVERPAYMENT_ROWS.builder(64);
  const perDate = BY_DATE_ROWS.builder(16);
  const rc = receipts.set;
  const op = overpayments.set;
  for (;;) {
    const { last } = requestIdPage(db, batchId, after, pageSize);
    if (last === null) break;
    const collections = readCollections(batchId, after, last);
    const withMoney: number[] = [];
    for (const c of collections) if (withMoney[withMoney.length - 1] !== c[0]) withMoney.push(c[0]);
    const debts = readDebts(withMoney);
    let collected = 0;
    const byDate = new Map<string, number>();
    // within a page a debt covered twice (never within one batch, but be safe)
    // carries its state forward; across pages the inline path reads the receipts
    // booked so far back (checkOrder rules the case out for a snapshot)
    const carried = new Map<string, DebtState>();
    let di = 0;
    let ci = 0;
    const nc = collections.length;
    const nd = debts.length;
    while (ci < nc) {
      const first = collections[ci] as (typeof collections)[number];
      const requestId = first[0];
      const atena = first[1];
      mine.length = 0;
      while (ci < nc) {
        const c = collections[ci] as (typeof collections)[number];
        if (c[0] !== requestId) break;
        const date = c[2];
        if (date === null) {
          throw new AppError({
            code: 'reconcile.collection-date-missing',
            exit: EXIT.rejected,
            msg: {
              ja: `宛名番号 ${atena} の依頼に取立金額がありますが取立日がありません。結果ファイルの取込を確認してください`,
              en: `A request of 宛名番号 ${atena} has a collected amount but no collection date. Check the result import`,
            },
          });
        }
        mine.push({ date, amount: c[3] });
        collected += c[3];
        byDate.set(date, (byDate.get(date) ?? 0) + c[3]);
        ci++;
      }
      while (di < nd && (debts[di] as CoveredDebtRaw)[CD.requestId] < requestId) di++;
      const covered: DebtState[] = [];
      while (di < nd && (debts[di] as CoveredDebtRaw)[CD.requestId] === requestId) {
        const row = debts[di] as CoveredDebtRaw;
        const chotei = row[CD.chotei];
        const inPage = carried.get(chotei);
        if (inPage === undefined && checkRepeats) {
          if (!booked.add(chotei)) throw new SnapshotUnsafe(batchId);
        }
        covered.push(inPage ?? stateOf(row));
        di++;
      }
      const { dates, final } = allocateCollections(policy, covered, mine);
      for (const d of final) carried.set(d.chotei, d);
      for (const day of dates) {
        for (const a of day.debts) {
          rc.requestId(requestId);
          rc.chotei(a.chotei);
          rc.atena(atena);
          rc.date(day.date);
          rc.honzei(a.honzei);
          rc.entaikin(a.entaikin);
          rc.fee(a.fee);
          receipts.endRow();
        }
        if (day.overpayment > 0) {
          op.requestId(requestId);
          op.atena(atena);
          op.date(day.date);
          op.amount(day.overpayment);
          overpayments.endRow();
        }
      }
    }
    for (const [date, amount] of byDate) {
      perDate.set.date(date);
      perDate.set.amount(amount);
      perDate.endRow();
    }
    yield { receipts: receipts.finish(), overpayments: overpayments.finish(), byDate: perDate.finish(), collected };
    after = last;
  }
}
