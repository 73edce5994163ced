/**
 * Step: reconcile a batch (充当・消込) — cli.md `reconcile`, domain.md
 * "Allocation of collected money", docs/allocation-policy.md.
 *
 * In ONE transaction: book receipts per debt per request per 取立日 by the chosen
 * allocation policy, book overpayments (過誤納金), match the statement deposits,
 * move the batch to 'reconciled' and audit. A reconciled batch is left untouched.
 *
 * The reading and the allocation (src/steps/reconcile/pages.ts: pages of request ids,
 * two joins per page, raw rows; docs/adr/0063-reconcile-report-performance.md) run in
 * a worker thread on the second core for a database file, reading the snapshot this
 * transaction began from, while this thread inserts the bookings (ADR 0054); inline
 * otherwise. The per-date totals for deposit matching come from the same rows.
 */
import * as path from 'node:path';
import { nowTokyoTimestamp } from '../../core/dates.js';
import { AppError, EXIT, conflict, usageError } from '../../core/errors.js';
import type { Engine } from '../../core/engine.js';
import { SyncProducer } from '../../core/sync-worker.js';
import { RECONCILE_WORKER } from './worker-ref.js';
import { audit } from '../../db/audit.js';
import { producerInWorker, withPageCache, type Db } from '../../db/connection.js';
import {
  bookedTotals,
  countBooked,
  filesWithoutResults,
  fileNumbersOf,
  getBatchRow,
  inactiveDebtReceipts,
  overpaymentInserter,
  type InactiveDebtReceipt,
  receiptWriter,
  setBatchState,
  storedDepositMatches,
} from '../../db/reconcile.js';
import { POLICIES, getPolicy, type AllocationPolicy } from '../../domain/allocation.js';
import { BY_DATE_ROWS, OVERPAYMENT_ROWS, RECEIPT_ROWS, SnapshotUnsafe, allocatePages, type PageBookings } from './pages.js';
import type { ReconcileWorkerInput } from './worker.js';
import { matchDeposits, planDeposits, type DepositMatchSummary } from '../../db/deposit-matches.js';
import { noSuchBatch, requireKind } from '../../db/no-such-batch.js';
import { batchStateMsg } from '../../domain/vocabulary.js';
import { holdCounts, holdRows } from '../../db/holds.js';

export interface ReconcileOptions {
  /** allocation policy name; default 'statutory-oldest-first' */
  policy?: string;
  operator?: string;
  /**
   * where the reading and allocation run (core/engine.ts): `producer` 'worker' (second
   * core, reading the snapshot the transaction began from) or 'inline'; unset: the
   * worker where the database allows it (producerInWorker) — the results are the same.
   * `chunk`: request ids per page (default 5,000; tests use small pages to cross page
   * boundaries)
   */
  engine?: Engine;
}

/**
 * The pages' bookings: from a worker thread on the second core while this thread
 * inserts (ADR 0054), or computed here between the inserts.
 */
function* pagesOf(db: Db, batchId: string, policy: AllocationPolicy, pageSize: number, useWorker: boolean, deferred: boolean): Generator<PageBookings> {
  if (!useWorker) {
    yield* allocatePages(db, batchId, policy, pageSize, false, deferred);
    return;
  }
  const input: ReconcileWorkerInput = { file: path.resolve(db.name), batchId, policy: policy.name, pageSize, deferred };
  const producer = new SyncProducer(RECONCILE_WORKER, input, { maxInFlight: 2 });
  try {
    for (let p = producer.next(); p !== undefined; p = producer.next()) yield p;
  } finally {
    producer.close();
  }
}

export interface ReconcileSummary {
  batchId: string;
  /** false: the batch was already reconciled and nothing changed */
  changed: boolean;
  policy: string | null;
  collected: number;
  receipts: { count: number; honzei: number; entaikin: number; fee: number; total: number };
  overpayment: { count: number; amount: number };
  deposits: DepositMatchSummary;
  /**
   * 要確認: debts the latest export no longer lists (inactive) that this batch booked
   * money to, by 宛名番号 and 調定番号 (at most 500 rows; `count` is all). Not an error:
   * the money was collected for them; staff check why the export dropped them.
   */
  inactiveDebts: { count: number; rows: InactiveDebtReceipt[] };
}

function summarize(db: Db, batchId: string, changed: boolean, policy: string | null, deposits: DepositMatchSummary): ReconcileSummary {
  const t = bookedTotals(db, batchId);
  return {
    batchId,
    changed,
    policy,
    collected: t.collected,
    receipts: { count: t.receiptCount, honzei: t.honzei, entaikin: t.entaikin, fee: t.fee, total: t.honzei + t.entaikin + t.fee },
    overpayment: { count: t.overpaymentCount, amount: t.overpayment },
    deposits,
    inactiveDebts: inactiveDebtReceipts(db, batchId),
  };
}

/**
 * A 取立保留 batch reconciles once every held record is resolved — collected or released
 * by an instruction result 01 (instruction-120.md "What an imported instruction result
 * means"); before that exit 4, naming how many are still held, instructed and not done.
 */
function refuseUnresolvedHolds(db: Db, batchId: string): void {
  const c = holdCounts(holdRows(db, batchId));
  const open = c.held.records + c.instructed.records + c['not-done'].records;
  if (open === 0) return;
  throw conflict('reconcile.holds-unresolved', {
    ja: `取立保留のバッチ ${batchId} には未解決の差押が ${open} 件あります（指示なし ${c.held.records} 件、指示済・結果待ち ${c.instructed.records} 件、未処理 99 ${c['not-done'].records} 件）。すべて取立または解除されてから消込してください（sashiosae holds ${batchId}、instruct、import results）`,
    en: `deferred batch ${batchId} has ${open} unresolved held seizure(s) (held ${c.held.records}, instructed ${c.instructed.records}, not done ${c['not-done'].records}); reconcile once every one is collected or released (sashiosae holds ${batchId}, instruct, import results)`,
  });
}

export function reconcile(db: Db, batchId: string, opts: ReconcileOptions = {}): ReconcileSummary {
  const policy = getPolicy(opts.policy);
  if (policy === undefined) {
    throw usageError('reconcile.unknown-policy', {
      ja: `充当ポリシー「${opts.policy ?? ''}」はありません。使えるもの: ${POLICIES.map((p) => p.name).join(', ')}`,
      en: `Unknown allocation policy "${opts.policy ?? ''}". Available: ${POLICIES.map((p) => p.name).join(', ')}`,
    });
  }
  const pageSize = opts.engine?.chunk ?? 5000;

  const run = db.transaction((useWorker: boolean): ReconcileSummary => {
    requireKind(db, batchId, 'reconcile');
    const batch = getBatchRow(db, batchId);
    if (batch === undefined) {
      throw noSuchBatch(batchId);
    }
    if (batch.state === 'reconciled' || batch.state === 'closed') {
      return summarize(db, batchId, false, null, { ...planDeposits(db, batchId), matches: storedDepositMatches(db, batchId) });
    }
    if (batch.state === 'written') {
      // a batch of several files: some files' results are in, not all — say which are missing
      const all = fileNumbersOf(db, batchId);
      const missing = filesWithoutResults(db, batchId);
      if (all.length > 1 && missing.length > 0 && missing.length < all.length) {
        throw conflict('batch.results-missing', {
          ja: `バッチ ${batchId} は ${all.length} ファイル中 ${all.length - missing.length} ファイルの結果しか取り込まれていないため消込できません。未取込のファイル番号: ${missing.join('、')}。その結果ファイルを取り込んでから（import results）実行してください`,
          en: `Batch ${batchId} cannot be reconciled: the results of ${all.length - missing.length} of its ${all.length} files are imported; not yet imported: file number(s) ${missing.join(', ')}. Import those result files first (import results)`,
        });
      }
    }
    if (batch.state !== 'results-imported') {
      throw conflict('batch.wrong-state', {
        ja: `バッチ ${batchId} は状態「${batchStateMsg(batch.state).ja}」のため消込できません。結果ファイルを取り込んでから（import results）実行してください`,
        en: `Batch ${batchId} is "${batchStateMsg(batch.state).en}" and cannot be reconciled. Import its result file(s) first (import results)`,
      });
    }
    const deferred = batch.collectionMode === 'deferred';
    if (deferred) refuseUnresolvedHolds(db, batchId);
    const booked = countBooked(db, batchId);
    if (booked.receipts > 0 || booked.overpayments > 0) {
      // cannot happen through this step (it books and changes state in one transaction)
      throw new AppError({
        code: 'reconcile.receipts-exist',
        exit: EXIT.conflict,
        msg: {
          ja: `バッチ ${batchId} には既に収納データがあります（${booked.receipts} 件）。二重計上を避けるため中止しました。管理者に連絡してください`,
          en: `Batch ${batchId} already has ${booked.receipts} receipts; stopped to avoid booking twice. Contact the administrator`,
        },
      });
    }

    const insertReceipt = receiptWriter(db, batchId);
    const insertOverpayment = overpaymentInserter(db);

    const tot = { collected: 0, receipts: 0, honzei: 0, entaikin: 0, fee: 0, overpayments: 0, overpayment: 0 };
    // the batch's total collected per 取立日, from the same rows the allocation read
    const byDate = new Map<string, number>();
    for (const page of pagesOf(db, batchId, policy, pageSize, useWorker, deferred)) {
      const r = RECEIPT_ROWS.read(page.receipts);
      for (let i = 0; i < page.receipts.n; i++) {
        const honzei = r.honzei(i);
        const entaikin = r.entaikin(i);
        const fee = r.fee(i);
        insertReceipt(r.requestId(i), r.chotei(i), r.atena(i), r.date(i), honzei, entaikin, fee);
        tot.receipts++;
        tot.honzei += honzei;
        tot.entaikin += entaikin;
        tot.fee += fee;
      }
      const o = OVERPAYMENT_ROWS.read(page.overpayments);
      for (let i = 0; i < page.overpayments.n; i++) {
        const amount = o.amount(i);
        insertOverpayment(batchId, o.requestId(i), o.atena(i), o.date(i), amount);
        tot.overpayments++;
        tot.overpayment += amount;
      }
      const perDate = BY_DATE_ROWS.read(page.byDate);
      for (let i = 0; i < page.byDate.n; i++) {
        const date = perDate.date(i);
        byDate.set(date, (byDate.get(date) ?? 0) + perDate.amount(i));
      }
      tot.collected += page.collected;
    }

    const collectedByDate = [...byDate.keys()].sort().map((date) => ({ date, collected: byDate.get(date) as number }));
    const deposits = matchDeposits(db, batchId, opts.operator, collectedByDate);
    // every yen once: what was booked = what was read = what the records say per 取立日
    const perDate = deposits.matches.reduce((sum, m) => sum + m.collected, 0);
    if (tot.honzei + tot.entaikin + tot.fee + tot.overpayment !== tot.collected || perDate !== tot.collected) {
      throw new Error(`reconcile invariant broken for ${batchId}: receipts + overpayment ≠ collected`);
    }
    const inactiveDebts = inactiveDebtReceipts(db, batchId);
    const at = nowTokyoTimestamp();
    if (!setBatchState(db, batchId, 'results-imported', 'reconciled', at)) {
      throw conflict('batch.wrong-state', {
        ja: `バッチ ${batchId} の状態が処理中に変わりました。もう一度実行してください`,
        en: `Batch ${batchId} changed state while reconciling. Run it again`,
      });
    }
    audit(
      db,
      {
        action: 'batch.reconcile',
        batchId,
        details: {
          policy: policy.name,
          collected: tot.collected,
          receipts: tot.receipts,
          honzei: tot.honzei,
          entaikin: tot.entaikin,
          fee: tot.fee,
          overpayments: tot.overpayments,
          overpayment: tot.overpayment,
          depositDates: deposits.matches.length,
          depositMatched: deposits.matches.filter((m) => m.matched).length,
          inactiveDebts: inactiveDebts.count,
        },
      },
      opts.operator,
    );
    return {
      batchId,
      changed: true,
      policy: policy.name,
      collected: tot.collected,
      receipts: { count: tot.receipts, honzei: tot.honzei, entaikin: tot.entaikin, fee: tot.fee, total: tot.honzei + tot.entaikin + tot.fee },
      overpayment: { count: tot.overpayments, amount: tot.overpayment },
      deposits,
      inactiveDebts,
    };
  });

  // A larger page cache for the bulk inserts (indexes keyed by 調定番号 are written in
  // random order); bounded (16 MiB: with the worker's heap beside it, 64 MiB put the
  // peak near 290 MB at 1M records), and restored afterwards.
  // The write lock is taken first (IMMEDIATE): a worker's snapshot is then exactly the
  // state this transaction began from. A batch whose requests a snapshot cannot serve
  // (SnapshotUnsafe: never one extract made) is reconciled inline instead.
  const useWorker = producerInWorker(db, opts.engine, 'reconcile');
  return withPageCache(db, 16_384, () => {
    if (!useWorker) return run.immediate(false);
    try {
      return run.immediate(true);
    } catch (e) {
      if (!SnapshotUnsafe.is(e)) throw e;
      return run.immediate(false);
    }
  });
}
