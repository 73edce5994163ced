/**
 * Step: reconcile a batch (充当・消込) — cli.md `reconcile`, domain.md
 * "Allocation of collected money", docs/allocation-policy.md.
 *
 * In ONE transaction: book receipts per debt per request per 取立日 by the chosen
 * allocation policy, book overpayments (過誤納金), match the statement deposits,
 * move the batch to 'reconciled' and audit. A reconciled batch is left untouched.
 *
 * Reads page through the batch's requests by id (keyset, a few thousand at a
 * time) with two joins per page — the collections (ordered by request and date),
 * then the debts covered by the requests that collected money — never a query per
 * request, because better-sqlite3 cannot write while an iterator is open. Rows are
 * read raw (arrays), and the per-date totals for deposit matching are summed from
 * the same rows (docs/adr/0063-reconcile-report-performance.md).
 */
import { nowTokyoTimestamp } from '../core/dates.js';
import { AppError, EXIT, conflict, usageError } from '../core/errors.js';
import { audit } from '../db/audit.js';
import { withPageCache, type Db } from '../db/connection.js';
import {
  CD,
  bookedTotals,
  collectionsInRange,
  countBooked,
  coveredDebtsOf,
  getBatchRow,
  overpaymentInserter,
  coveredDebtState,
  receiptWriter,
  requestIdPage,
  setBatchState,
  storedDepositMatches,
  type CoveredDebtRaw,
} from '../db/reconcile.js';
import { POLICIES, allocateCollections, getPolicy, type DebtState } from '../domain/allocation.js';
import { matchDeposits, planDeposits, type DepositMatchSummary } from './match-deposits.js';
import { noSuchBatch } from './no-such-batch.js';

export interface ReconcileOptions {
  /** allocation policy name; default 'statutory-oldest-first' */
  policy?: string;
  operator?: string;
  /** request ids per page (tests use small pages to cross page boundaries) */
  pageSize?: number;
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
  };
}

export function reconcile(db: Db, batchId: string, opts: ReconcileOptions = {}): ReconcileSummary {
  const policy = getPolicy(opts.policy);
  if (policy === undefined) {
    throw usageError('unknown-policy', {
      ja: `充当ポリシー「${opts.policy ?? ''}」はありません。使えるもの: ${POLICIES.map((p) => p.name).join(', ')}`,
      en: `Unknown allocation policy "${opts.policy ?? ''}". Available: ${POLICIES.map((p) => p.name).join(', ')}`,
    });
  }
  const pageSize = opts.pageSize ?? 5000;

  const run = db.transaction((): ReconcileSummary => {
    const batch = getBatchRow(db, batchId);
    if (batch === undefined) {
      throw noSuchBatch(batchId);
    }
    if (batch.state === 'reconciled' || batch.state === 'closed') {
      return summarize(db, batchId, false, null, { ...planDeposits(db, batchId), matches: storedDepositMatches(db, batchId) });
    }
    if (batch.state !== 'results-imported') {
      throw conflict('batch-wrong-state', {
        ja: `バッチ ${batchId} は状態「${batch.state}」のため消込できません。結果ファイルを取り込んでから（import results）実行してください`,
        en: `Batch ${batchId} is "${batch.state}" and cannot be reconciled. Import its result file(s) first (import results)`,
      });
    }
    const booked = countBooked(db, batchId);
    if (booked.receipts > 0 || booked.overpayments > 0) {
      // cannot happen through this step (it books and changes state in one transaction)
      throw new AppError({
        code: 'receipts-exist',
        exit: EXIT.conflict,
        msg: {
          ja: `バッチ ${batchId} には既に収納データがあります（${booked.receipts} 件）。二重計上を避けるため中止しました。管理者に連絡してください`,
          en: `Batch ${batchId} already has ${booked.receipts} receipts; stopped to avoid booking twice. Contact the administrator`,
        },
      });
    }

    const readCollections = collectionsInRange(db);
    const readDebts = coveredDebtsOf(db);
    const insertReceipt = receiptWriter(db, batchId);
    const insertOverpayment = overpaymentInserter(db);

    const tot = { collected: 0, receipts: 0, honzei: 0, entaikin: 0, fee: 0, overpayments: 0, overpayment: 0 };
    // the batch's total collected per 取立日, from the same rows the allocation read
    const byDate = new Map<string, number>();
    const mine: Array<{ date: string; amount: number }> = [];
    let after = 0;
    for (;;) {
      const { last } = requestIdPage(db, batchId, after, pageSize);
      if (last === null) break;
      const collections = readCollections(batchId, after, last);
      const withMoney: number[] = [];
      for (const c of collections) if (withMoney[withMoney.length - 1] !== c[0]) withMoney.push(c[0]);
      const debts = readDebts(withMoney);
      // within a page a debt covered twice (never within one batch, but be safe)
      // carries its state forward; across pages the receipts booked so far are read back
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
              code: 'collection-date-missing',
              exit: EXIT.rejected,
              msg: {
                ja: `宛名番号 ${atena} の依頼に取立金額がありますが取立日がありません。結果ファイルの取込を確認してください`,
                en: `A request of 宛名番号 ${atena} has a collected amount but no collection date. Check the result import`,
              },
            });
          }
          mine.push({ date, amount: c[3] });
          tot.collected += c[3];
          byDate.set(date, (byDate.get(date) ?? 0) + c[3]);
          ci++;
        }
        while (di < nd && (debts[di] as CoveredDebtRaw)[CD.requestId] < requestId) di++;
        const covered: DebtState[] = [];
        while (di < nd && (debts[di] as CoveredDebtRaw)[CD.requestId] === requestId) {
          const row = debts[di] as CoveredDebtRaw;
          covered.push(carried.get(row[CD.chotei]) ?? stateOf(row));
          di++;
        }
        const { dates, final } = allocateCollections(policy, covered, mine);
        for (const d of final) carried.set(d.chotei, d);
        for (const day of dates) {
          for (const a of day.debts) {
            insertReceipt(requestId, a.chotei, atena, day.date, a.honzei, a.entaikin, a.fee);
            tot.receipts++;
            tot.honzei += a.honzei;
            tot.entaikin += a.entaikin;
            tot.fee += a.fee;
          }
          if (day.overpayment > 0) {
            insertOverpayment(batchId, requestId, atena, day.date, day.overpayment);
            tot.overpayments++;
            tot.overpayment += day.overpayment;
          }
        }
      }
      after = last;
    }

    const collectedByDate = [...byDate.keys()].sort().map((date) => ({ date, collected: byDate.get(date) as number }));
    const deposits = matchDeposits(db, batchId, opts.operator, collectedByDate);
    // every yen once: what was booked = what was read = what the records say per 取立日
    const perDate = deposits.matches.reduce((sum, m) => sum + m.collected, 0);
    if (tot.honzei + tot.entaikin + tot.fee + tot.overpayment !== tot.collected || perDate !== tot.collected) {
      throw new Error(`reconcile invariant broken for ${batchId}: receipts + overpayment ≠ collected`);
    }
    const at = nowTokyoTimestamp();
    if (!setBatchState(db, batchId, 'results-imported', 'reconciled', at)) {
      throw conflict('batch-wrong-state', {
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
    };
  });

  // A larger page cache for the bulk inserts (indexes keyed by 調定番号 are written in
  // random order); bounded, and restored afterwards.
  return withPageCache(db, 65_536, run);
}
