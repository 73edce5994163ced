/**
 * The batch report model (cli.md `report --json`, docs/adr/0062-report-design.md).
 *
 * `buildReport` returns exactly the `report --json` contract. `buildReportDetails`
 * adds what the humans need (per-date deposits, receipts by 税目, overpayments,
 * anomalies) for the terminal and HTML renderers. Lists are capped (the CSV has
 * every record); counts are always complete.
 */
import type { Msg } from '../core/i18n.js';
import { maskAccount } from '../core/mask.js';
import { planDeposits, type CollectedByDate } from '../db/deposit-matches.js';
import type { Db } from '../db/connection.js';
import { depositAccountOf, inactiveDebtReceipts, storedDepositMatches, type InactiveDebtReceipt } from '../db/reconcile.js';
import {
  batchHead,
  deferredList,
  noHistoryDebts,
  overpaymentList,
  receiptTotals,
  receiptsByTaxWithNoHistory,
  reconcilePolicy,
  recordGroups,
  requestTotals,
  unmatchedDepositsOnDates,
  type OverpaymentRow,
  type TaxRow,
} from '../db/report.js';
import type { DepositMatch } from '../domain/deposit-matching.js';
import { noSuchBatch, requireKind } from '../db/no-such-batch.js';
import { yen } from '../core/yen.js';
import { holdsNotice, holdsView, type HoldLine, type HoldsJson, type HoldsView } from './holds.js';

export interface ReportJson {
  batchId: string;
  bankCode: string;
  fileNumber: number | null;
  state: string;
  requested: { requests: number; records: number; limitTotal: number };
  results: Record<string, { records: number; seized: number; collected: number }>;
  seized: { records: number; amount: number };
  collected: { records: number; amount: number };
  receipts: { count: number; honzei: number; entaikin: number; fee: number; total: number };
  overpayment: number;
  statement: { deposit: number | null; difference: number | null; matched: boolean | null };
  /** a batch with held seizures (取立保留) only (cli.md): held, and what instruction results collected and released */
  holds?: HoldsJson;
}

export type AnomalyKind =
  | 'statement-missing'
  | 'statement-difference'
  | 'no-deposit'
  | 'unmatched-deposit'
  | 'deferred-collection'
  | 'no-payment-history'
  | 'overpayment'
  | 'not-reconciled'
  | 'bank-not-configured'
  | 'inactive-debt';

export interface Anomaly {
  kind: AnomalyKind;
  severity: 'error' | 'warning' | 'info';
  message: Msg;
}

export interface ReportDetails {
  executionDate: string;
  collectionMode: string;
  policy: string | null;
  statementImported: boolean;
  byDate: DepositMatch[];
  receiptsByTax: TaxRow[];
  overpayments: { count: number; rows: OverpaymentRow[] };
  /** 取立保留 / seized but not collected; account masked */
  deferred: {
    count: number;
    amount: number;
    rows: Array<{ atena: string; requestNumber: number; subNumber: number; account: string; resultCode: string; seized: number }>;
  };
  noHistory: { count: number; rows: Array<{ chotei: string; atena: string }> };
  unmatchedDeposits: Array<{ inquiryNumber: string; valueDate: string; amount: number }>;
  /** receipts of the batch on debts the latest export no longer lists (要確認), by 宛名番号 and 調定番号 */
  inactiveDebts: { count: number; rows: InactiveDebtReceipt[] };
  anomalies: Anomaly[];
  /** the held seizures per record (held, collected, released, protected at inquiry), or null without holds */
  holds: { rows: HoldLine[]; unresolved: { records: number; amount: number } } | null;
  /** the cap applied to the lists above */
  listLimit: number;
}


/** The result codes present, in code order (01, 02, 11 …): an object's integer-like keys ("11") would otherwise come before "01". */
export function resultEntries(results: ReportJson['results']): Array<[string, ReportJson['results'][string]]> {
  return Object.entries(results).sort(([a], [b]) => a.localeCompare(b));
}


function head(db: Db, batchId: string): NonNullable<ReturnType<typeof batchHead>> {
  requireKind(db, batchId, 'report', ['seizure']); // an inquiry batch's report: report/inquiry.ts
  const h = batchHead(db, batchId);
  if (h === undefined) {
    throw noSuchBatch(batchId);
  }
  return h;
}

/** Per-date matches: the stored ones, else (nothing stored yet) what matching would find now. */
function depositView(
  db: Db,
  batchId: string,
  collected?: CollectedByDate,
): { statementImported: boolean; accountKnown: boolean; files: number; matches: DepositMatch[] } {
  const plan = planDeposits(db, batchId, collected);
  const stored = storedDepositMatches(db, batchId);
  return { statementImported: plan.statementImported, accountKnown: plan.accountKnown, files: plan.files, matches: stored.length > 0 ? stored : plan.matches };
}

type SeizedCollected = {
  seizedRecords: number;
  seized: number;
  collectedRecords: number;
  collected: number;
  deferredRecords: number;
  deferred: number;
};
type ReceiptTotals = ReturnType<typeof receiptTotals>;
type DepositView = ReturnType<typeof depositView>;

/** What buildReport read that buildReportDetails needs again (kept per report object). */
interface Computed {
  sc: SeizedCollected;
  rt: ReceiptTotals;
  dv: DepositView;
  hv: HoldsView | null;
}
const computedFor = new WeakMap<ReportJson, Computed>();

/**
 * The record-level figures of the report from ONE pass over the batch's records
 * (recordGroups: per result code and 取立日), instead of one pass per figure.
 */
function recordFigures(
  db: Db,
  batchId: string,
): { records: number; results: ReportJson['results']; sc: SeizedCollected; collectedByDate: CollectedByDate } {
  const groups = recordGroups(db, batchId);
  const sc: SeizedCollected = { seizedRecords: 0, seized: 0, collectedRecords: 0, collected: 0, deferredRecords: 0, deferred: 0 };
  const byCode = new Map<string, { records: number; seized: number; collected: number }>();
  const byDate = new Map<string, { records: number; collected: number }>();
  let records = 0;
  for (const g of groups) {
    records += g.records;
    sc.seizedRecords += g.seizedRecords;
    sc.seized += g.seized;
    sc.collectedRecords += g.collectedRecords;
    sc.collected += g.collected;
    sc.deferredRecords += g.deferredRecords;
    sc.deferred += g.deferred;
    if (g.code !== null) {
      const c = byCode.get(g.code) ?? { records: 0, seized: 0, collected: 0 };
      c.records += g.records;
      c.seized += g.seized;
      c.collected += g.collected;
      byCode.set(g.code, c);
    }
    if (g.date !== null && g.collectedRecords > 0) {
      const d = byDate.get(g.date) ?? { records: 0, collected: 0 };
      d.records += g.collectedRecords;
      d.collected += g.collectedPositive;
      byDate.set(g.date, d);
    }
  }
  const results: ReportJson['results'] = {};
  for (const code of [...byCode.keys()].sort()) results[code] = byCode.get(code) as { records: number; seized: number; collected: number };
  const collectedByDate = [...byDate.keys()].sort().map((date) => ({ date, collected: (byDate.get(date) as { collected: number }).collected }));
  return { records, results, sc, collectedByDate };
}

export function buildReport(db: Db, batchId: string): ReportJson {
  const h = head(db, batchId);
  const req = requestTotals(db, batchId);
  const fig = recordFigures(db, batchId);
  const sc = fig.sc;
  const rt = receiptTotals(db, batchId);
  // a 取立保留 batch collects through instruction results: its per-date totals are read by
  // planDeposits from them (db/reconcile.ts), not from the seizure result's records
  const hv = h.collectionMode === 'deferred' ? holdsView(db, batchId) : null;
  const collected = { records: sc.collectedRecords + (hv?.json.collected.records ?? 0), amount: sc.collected + (hv?.json.collected.amount ?? 0) };
  const dv = depositView(db, batchId, h.collectionMode === 'deferred' ? undefined : fig.collectedByDate);
  let statement: ReportJson['statement'] = { deposit: null, difference: null, matched: null };
  if (dv.statementImported) {
    const deposit = dv.matches.reduce((s, m) => s + (m.deposit ?? 0), 0);
    statement = { deposit, difference: deposit - collected.amount, matched: dv.matches.every((m) => m.matched) };
  }
  const report: ReportJson = {
    batchId: h.id,
    bankCode: h.bankCode,
    fileNumber: h.fileNumber,
    state: h.state,
    requested: { requests: req.requests, records: fig.records, limitTotal: req.limitTotal },
    results: fig.results,
    seized: { records: sc.seizedRecords, amount: sc.seized },
    collected,
    receipts: { count: rt.count, honzei: rt.honzei, entaikin: rt.entaikin, fee: rt.fee, total: rt.honzei + rt.entaikin + rt.fee },
    overpayment: rt.overpayment,
    statement,
    ...(hv !== null ? { holds: hv.json } : {}),
  };
  computedFor.set(report, { sc, rt, dv, hv });
  return report;
}


/**
 * 要確認 (issue 13, item 14): money booked to debts the latest export no longer lists —
 * by 宛名番号 and 調定番号 (the first 20 named; the rest counted). Shared by the report and
 * the reconcile command's output.
 */
export function inactiveDebtsMessage(list: { count: number; rows: readonly InactiveDebtReceipt[] }): Msg {
  const shown = list.rows.slice(0, 20);
  const more = list.count - shown.length;
  const ja = shown.map((r) => `宛名番号 ${r.atena} 調定番号 ${r.chotei}（${yen(r.amount)}）`).join('、');
  const en = shown.map((r) => `宛名番号 ${r.atena} 調定番号 ${r.chotei} (${yen(r.amount)})`).join(', ');
  return {
    ja: `最新の滞納データに無い（非アクティブの）債権 ${list.count} 件に収納を計上しました: ${ja}${more > 0 ? ` ほか ${more} 件` : ''}。消除・更正などで外れた理由を確認し、必要なら還付・振替してください`,
    en: `Receipts were booked to ${list.count} debt(s) the latest export no longer lists (inactive): ${en}${more > 0 ? ` and ${more} more` : ''}. Check why they were dropped and refund or transfer if needed`,
  };
}

export function buildReportDetails(db: Db, batchId: string, report: ReportJson = buildReport(db, batchId), listLimit = 500): ReportDetails {
  const h = head(db, batchId);
  // the figures buildReport already read for this report object, else read them now
  const known = computedFor.get(report);
  const fig = known === undefined ? recordFigures(db, batchId) : undefined;
  const dv = known?.dv ?? depositView(db, batchId, h.collectionMode === 'deferred' ? undefined : fig?.collectedByDate);
  const hv = known !== undefined ? known.hv : h.collectionMode === 'deferred' ? holdsView(db, batchId) : null;
  const sc = known?.sc ?? (fig as NonNullable<typeof fig>).sc;
  const rt = known?.rt ?? receiptTotals(db, batchId);
  const deferredRows = (sc.deferredRecords > 0 ? deferredList(db, batchId, listLimit) : []).map((r) => ({
    atena: r.atena,
    requestNumber: r.requestNumber,
    subNumber: r.subNumber,
    account: `${r.branchCode}-${r.accountType}-${maskAccount(r.accountNumber)}`,
    resultCode: r.resultCode,
    seized: r.seized,
  }));
  const byTax = receiptsByTaxWithNoHistory(db, batchId);
  // noHistoryDebts only when some receipt of the batch is of such a debt
  const noHistory = byTax.some((t) => t.noHistoryReceipts > 0) ? noHistoryDebts(db, batchId, listLimit) : { count: 0, rows: [] };
  const acct = depositAccountOf(db, h.bankCode);
  const unmatched =
    acct === undefined
      ? []
      : unmatchedDepositsOnDates(
          db,
          acct,
          dv.matches.map((m) => m.date),
        ).map((u) => ({ inquiryNumber: u.inquiryNumber, valueDate: u.valueDate, amount: u.amount }));

  const anomalies: Anomaly[] = [];
  const reconciled = report.state === 'reconciled' || report.state === 'closed';
  if (!reconciled && report.collected.amount > 0) {
    anomalies.push({
      kind: 'not-reconciled',
      severity: 'warning',
      message: {
        ja: `未消込: 取立金額 ${yen(report.collected.amount)} はまだ収納に充当されていません（reconcile を実行してください）`,
        en: `Not reconciled: collected ${yen(report.collected.amount)} is not yet allocated to receipts (run reconcile)`,
      },
    });
  }
  if (!dv.accountKnown) {
    anomalies.push({
      kind: 'bank-not-configured',
      severity: 'error',
      message: {
        ja: `金融機関 ${h.bankCode} の入金先口座が設定されていないため、入金明細と照合できません`,
        en: `No deposit account is configured for bank ${h.bankCode}: the statement cannot be matched`,
      },
    });
  } else if (!dv.statementImported && report.collected.amount > 0) {
    anomalies.push({
      kind: 'statement-missing',
      severity: 'warning',
      message: {
        ja: '入出金取引明細がまだ取り込まれていません（import statement）。入金額は未確認です',
        en: 'No bank statement imported yet (import statement): the deposits are unconfirmed',
      },
    });
  }
  if (dv.statementImported) {
    for (const m of dv.matches) {
      if (m.matched) continue;
      if (m.deposit === null) {
        anomalies.push({
          kind: 'no-deposit',
          severity: 'error',
          message: {
            ja: `取立日 ${m.date}: 取立金額 ${yen(m.collected)} に対応する入金が明細にありません`,
            en: `Collection date ${m.date}: no deposit in the statement for the collected ${yen(m.collected)}`,
          },
        });
      } else if (dv.files > 1) {
        // a batch of several files: one deposit per file (ADR 0090)
        anomalies.push({
          kind: 'statement-difference',
          severity: 'error',
          message: {
            ja: `取立日 ${m.date}: ${dv.files} ファイルの取立金額 ${yen(m.collected)} に、ファイルごとの入金がそろいません。照合候補の入金（ファイルごとに一致した入金、無いファイルは同日最大の未照合入金）の計 ${yen(m.deposit)} との差額 ${yen(m.difference ?? 0)}。銀行に確認してください`,
            en: `Collection date ${m.date}: the ${dv.files} files' collected ${yen(m.collected)} do not each have their deposit; the candidate deposits (each file's equal deposit, else the largest unassigned of the day) total ${yen(m.deposit)}, difference ${yen(m.difference ?? 0)}. Ask the bank`,
          },
        });
      } else {
        anomalies.push({
          kind: 'statement-difference',
          severity: 'error',
          message: {
            ja: `取立日 ${m.date}: 取立金額 ${yen(m.collected)} と一致する入金がありません。同日最大の未照合入金 ${yen(m.deposit)} との差額 ${yen(m.difference ?? 0)}`,
            en: `Collection date ${m.date}: no deposit equals the collected ${yen(m.collected)}; the largest unassigned deposit that day is ${yen(m.deposit)}, difference ${yen(m.difference ?? 0)}`,
          },
        });
      }
    }
    for (const u of unmatched) {
      anomalies.push({
        kind: 'unmatched-deposit',
        severity: 'warning',
        message: {
          ja: `照会番号 ${u.inquiryNumber}（勘定日 ${u.valueDate}）の入金 ${yen(u.amount)} はどのバッチとも照合されていません`,
          en: `Deposit ${yen(u.amount)} (照会番号 ${u.inquiryNumber}, value date ${u.valueDate}) is not matched to any batch`,
        },
      });
    }
  }
  if (hv !== null) {
    anomalies.push({ kind: 'deferred-collection', severity: hv.unresolved.records > 0 ? 'warning' : 'info', message: holdsNotice(hv) });
  } else if (sc.deferredRecords > 0) {
    anomalies.push({
      kind: 'deferred-collection',
      severity: 'info',
      message: {
        ja: `取立保留（差押済・未取立）: ${sc.deferredRecords} 件 ${yen(sc.deferred)}。取立または差押解除の判断が必要です`,
        en: `Seized but not collected (取立保留): ${sc.deferredRecords} records, ${yen(sc.deferred)}. Collect or release them`,
      },
    });
  }
  if (noHistory.count > 0) {
    anomalies.push({
      kind: 'no-payment-history',
      severity: 'warning',
      message: {
        ja: `収納履歴のない一部納付済の債権 ${noHistory.count} 件: 延滞金は納期限翌日から未納本税があったものとして計算しており、過少の可能性があります`,
        en: `${noHistory.count} partly paid debts have no payment history: their 延滞金 was computed as if the outstanding 本税 ran from the due date, which may under-state it`,
      },
    });
  }
  const inactiveDebts = rt.count > 0 ? inactiveDebtReceipts(db, batchId, listLimit) : { count: 0, rows: [] };
  if (inactiveDebts.count > 0) {
    anomalies.push({ kind: 'inactive-debt', severity: 'warning', message: inactiveDebtsMessage(inactiveDebts) });
  }
  if (rt.overpaymentCount > 0) {
    anomalies.push({
      kind: 'overpayment',
      severity: 'warning',
      message: {
        ja: `過誤納金 ${rt.overpaymentCount} 件 ${yen(rt.overpayment)} を還付してください`,
        en: `${rt.overpaymentCount} overpayments totalling ${yen(rt.overpayment)} must be refunded`,
      },
    });
  }

  return {
    executionDate: h.executionDate,
    collectionMode: h.collectionMode,
    policy: reconcilePolicy(db, batchId),
    statementImported: dv.statementImported,
    byDate: dv.matches,
    receiptsByTax: byTax.map((t) => ({ taxCode: t.taxCode, taxName: t.taxName, count: t.count, honzei: t.honzei, entaikin: t.entaikin, fee: t.fee })),
    overpayments: { count: rt.overpaymentCount, rows: overpaymentList(db, batchId, listLimit) },
    deferred: { count: sc.deferredRecords, amount: sc.deferred, rows: deferredRows },
    noHistory,
    unmatchedDeposits: unmatched,
    inactiveDebts,
    anomalies,
    holds: hv === null ? null : { rows: hv.lines.slice(0, listLimit), unresolved: hv.unresolved },
    listLimit,
  };
}
