/**
 * Who and what may be seized (domain.md "the legal guard", "Who is excluded",
 * "The amount"). Pure rules: no SQL, no files.
 *
 * - a taxpayer whose status is not 0 (通常) is excluded with a status-* reason;
 * - a debt is covered by a seizure only when it is 区分 1 (強制徴収公債権), still
 *   owes 本税 or 督促手数料, is not prescribed on the processing date, and its
 *   督促状 is ripe (processing date ≥ 発付日 + 11 days);
 * - the limit (差押限度額) is Σ over covered debts of outstanding 本税 +
 *   outstanding 督促手数料 + outstanding 延滞金 computed to the processing date.
 *
 * Reason codes are the stable ones of spec/cli.md.
 */
import { addDays } from '../core/dates.js';
import { isoToDay } from './calendar.js';
import { entaikinAmount, type PrincipalPayment } from './entaikin.js';

export type StatusReason = 'status-suspended' | 'status-deferred' | 'status-instalments' | 'status-bankrupt' | 'status-deceased';

/** Why a taxpayer is not in a batch (spec/cli.md, stable codes). */
export type ExclusionReason =
  | StatusReason
  | 'no-seizable-debt'
  | 'no-account-at-bank'
  | 'account-info-stale'
  | 'name-not-writable'
  | 'in-open-batch'
  | 'assigned-to-other-bank'
  | 'bank-not-configured'
  | 'below-min-amount'
  // added with the inquiry (cli.md; inquire's order: domain/inquiry.ts)
  | 'id-not-writable'
  | 'recently-inquired'
  // added with protected deposits (domain.md "Protected deposits")
  | 'protected-funds';

/** Why one debt is left out of a request (spec/cli.md "debtsLeftOut"). */
export type DebtLeftOutReason = 'not-enforceable' | 'nothing-owing' | 'prescribed' | 'reminder-not-ripe';

/** Why one account is left out of a request (spec/cli.md "accountsLeftOut"). */
export type AccountLeftOutReason = 'name-not-writable' | 'over-sub-number-limit' | 'protected-funds';

export const EXCLUSION_REASONS: readonly ExclusionReason[] = [
  'status-suspended',
  'status-deferred',
  'status-instalments',
  'status-bankrupt',
  'status-deceased',
  'in-open-batch',
  'no-seizable-debt',
  'no-account-at-bank',
  'account-info-stale',
  'protected-funds',
  'bank-not-configured',
  'name-not-writable',
  'assigned-to-other-bank',
  'below-min-amount',
];

/** Where `inquire` means something else by a reason than `extract` does: its names are the taxpayer's 氏名カナ (40 bytes), not an account holder's. */
export const INQUIRE_REASON_LABELS: Partial<Record<ExclusionReason, { ja: string; en: string }>> = {
  'name-not-writable': { ja: '氏名カナを半角カナ40バイト以内で書けない', en: '氏名カナ cannot be written in 40 half-width bytes' },
};

/** Japanese / English labels for humans (codes stay in --json). */
export const REASON_LABELS: Record<ExclusionReason | DebtLeftOutReason | AccountLeftOutReason, { ja: string; en: string }> = {
  'status-suspended': { ja: '滞納処分の執行停止', en: 'enforcement suspended' },
  'status-deferred': { ja: '徴収猶予・換価猶予', en: 'collection deferred' },
  'status-instalments': { ja: '分納誓約中', en: 'paying by instalments' },
  'status-bankrupt': { ja: '破産', en: 'bankrupt' },
  'status-deceased': { ja: '死亡（相続人未確定）', en: 'deceased' },
  'no-seizable-debt': { ja: '差押可能な債権なし（区分1・督促済・時効前・未納のもの）', en: 'no seizable debt (区分1, ripe, unprescribed, owing)' },
  'no-account-at-bank': { ja: '対象金融機関に口座なし', en: 'no account at the bank' },
  'account-info-stale': { ja: '口座情報が古い（--max-account-age 超過）', en: 'account information too old (--max-account-age)' },
  'name-not-writable': { ja: '口座名義を半角カナにできない', en: 'holder name cannot be written' },
  'in-open-batch': { ja: '未完了の差押依頼あり', en: 'already in an open request' },
  'assigned-to-other-bank': { ja: '他の金融機関に割当（残高最大）', en: 'assigned to another bank (largest balance)' },
  'bank-not-configured': { ja: '金融機関の設定なし', en: 'bank not configured' },
  'below-min-amount': { ja: '最低金額未満', en: 'below the minimum amount' },
  'id-not-writable': { ja: '宛名番号を10桁で書けない（桁数超過・数字以外・0埋めで他の宛名番号と同じ）', en: '宛名番号 cannot be written in 10 digits (too long, not digits, or the same as another once zero-padded)' },
  'protected-funds': { ja: '残高が全額差押禁止（年金・児童手当等の入金）', en: 'balance wholly protected (pension, child allowance … credits)' },
  'recently-inquired': { ja: '最近照会済み（全金融機関に再照会期間内の照会あり）', en: 'recently inquired (at every bank, within --reinquire-after)' },
  'not-enforceable': { ja: '非強制徴収公債権・私債権（区分2・3）', en: 'not enforceable (区分 2/3)' },
  'nothing-owing': { ja: '本税・督促手数料の未納なし', en: 'no 本税 or fee owing' },
  prescribed: { ja: '時効完成', en: 'prescribed' },
  'reminder-not-ripe': { ja: '督促状発付後11日未経過（または発付日なし）', en: 'reminder not ripe (or no reminder date)' },
  'over-sub-number-limit': { ja: '枝番の上限を超える口座', en: 'beyond the sub-number limit' },
};

/** taxpayers.status → exclusion reason; null for 0 (通常). */
export function statusExclusion(status: number): StatusReason | null {
  switch (status) {
    case 0:
      return null;
    case 1:
      return 'status-suspended';
    case 2:
      return 'status-deferred';
    case 3:
      return 'status-instalments';
    case 4:
      return 'status-bankrupt';
    case 5:
      return 'status-deceased';
    default:
      throw new RangeError(`unknown taxpayer status ${status}`);
  }
}

/**
 * 地方税法: seizure is possible when the debt is not paid in full "by the day on
 * which ten days have passed counting from the day the 督促状 was issued", i.e.
 * from the 11th day after issue: ripe on 発付日 + 11 days.
 */
const REMINDER_RIPE_DAYS = 11;

/** First processing date on which a reminder issued on `reminderDate` is ripe. */
export function reminderRipeFrom(reminderDate: string): string {
  return addDays(reminderDate, REMINDER_RIPE_DAYS);
}

/** What the rules need to know about one debt (amounts already net of receipts). */
export interface DebtFacts {
  chotei: string;
  /** 債権区分 1, 2, 3 */
  kubun: number;
  /** 納期限 */
  dueDate: string;
  /** outstanding 本税 (debt_outstanding.honzei_out) */
  honzeiOut: number;
  /** outstanding 督促手数料 (debt_outstanding.fee_out) */
  feeOut: number;
  /** 延滞金 paid so far (debt_outstanding.entaikin_paid_total) */
  entaikinPaid: number;
  /** 延滞金区分: 1 地方税法, 0 none */
  entaikinKind: number;
  /** 督促状発付日 or null (no date: not ripe) */
  reminderDate: string | null;
  /** 時効完成日 or null */
  prescriptionDate: string | null;
  /**
   * 本税 payments with known dates (収納履歴 and this product's receipts not yet
   * in an export). The base of 延滞金 drops the day after each.
   */
  payments: PrincipalPayment[];
}

/** What debtLeftOutReason reads of a debt (inquire reads no more: db/batches.ts DebtRuleRaw). */
export type DebtRuleFacts = Pick<DebtFacts, 'kubun' | 'honzeiOut' | 'feeOut' | 'reminderDate' | 'prescriptionDate'>;

/** The day number of the processing date last asked for: one date for every debt of a step, parsed once. */
let lastDate = '';
let lastDay = 0;
function processingDay(date: string): number {
  if (date !== lastDate) {
    lastDay = isoToDay(date);
    lastDate = date;
  }
  return lastDay;
}

/** Why the debt cannot be covered on `processingDate`, or null when it can. Checked in this order. */
export function debtLeftOutReason(d: DebtRuleFacts, processingDate: string): DebtLeftOutReason | null {
  if (d.kubun !== 1) return 'not-enforceable';
  if (d.honzeiOut <= 0 && d.feeOut <= 0) return 'nothing-owing';
  const day = processingDay(processingDate);
  if (d.prescriptionDate !== null && isoToDay(d.prescriptionDate) <= day) return 'prescribed';
  if (d.reminderDate === null || isoToDay(d.reminderDate) + REMINDER_RIPE_DAYS > day) return 'reminder-not-ripe';
  return null;
}

/** What one covered debt owes at the processing date (stored in request_debts). */
export interface DebtDue {
  chotei: string;
  honzei: number;
  fee: number;
  entaikin: number;
}

/**
 * The principal as of 納期限 to compute 延滞金 from: the outstanding 本税 plus every
 * 本税 payment with a known date. 本税収納済額 decides what is outstanding, the
 * dated payments decide when the base dropped (import-csv.md); without a history
 * the outstanding 本税 counts as outstanding since the day after 納期限.
 */
function principalForEntaikin(d: DebtFacts): number {
  let p = d.honzeiOut;
  for (const x of d.payments) p += x.honzei;
  return p;
}

/**
 * 延滞金 totals of debts without a payment history depend only on (principal,
 * 納期限, to): an extraction of a million debts meets the same triple again and
 * again. A bounded memo of entaikinAmount (= computeEntaikin(...).entaikin) for those (pure, so the
 * values are exactly what computeEntaikin returns); debts with payments are
 * always computed.
 */
const MEMO_LIMIT = 200_000;
const entaikinMemo = new Map<string, Map<string, Map<number, number>>>();
let memoSize = 0;

function entaikinTotal(principal: number, dueDate: string, payments: PrincipalPayment[], to: string): number {
  if (payments.length > 0) return entaikinAmount({ principal, dueDate, payments, to });
  if (memoSize >= MEMO_LIMIT) {
    entaikinMemo.clear();
    memoSize = 0;
  }
  let byDue = entaikinMemo.get(to);
  if (byDue === undefined) entaikinMemo.set(to, (byDue = new Map()));
  let byPrincipal = byDue.get(dueDate);
  if (byPrincipal === undefined) byDue.set(dueDate, (byPrincipal = new Map()));
  let v = byPrincipal.get(principal);
  if (v === undefined) {
    v = entaikinAmount({ principal, dueDate, payments, to });
    byPrincipal.set(principal, v);
    memoSize++;
  }
  return v;
}

/** Outstanding 本税, 督促手数料 and 延滞金 (to the processing date) of one debt. */
export function debtDue(d: DebtFacts, processingDate: string): DebtDue {
  let entaikin = 0;
  if (d.entaikinKind === 1) {
    // = outstandingEntaikin(...): max(0, computed − paid), same checks in the same order
    const paid = d.entaikinPaid;
    if (!Number.isSafeInteger(paid) || paid < 0) throw new RangeError(`entaikinPaid must be a non-negative whole number of yen: ${paid}`);
    const r = entaikinTotal(principalForEntaikin(d), d.dueDate, d.payments, processingDate) - paid;
    entaikin = r > 0 ? r : 0;
  }
  return { chotei: d.chotei, honzei: Math.max(0, d.honzeiOut), fee: Math.max(0, d.feeOut), entaikin };
}

export interface TaxpayerDebtsVerdict {
  /** covered debts with what each owes, in 調定番号 order as given */
  covered: DebtDue[];
  /** debts left out with their reason */
  leftOut: Array<{ chotei: string; reason: DebtLeftOutReason }>;
  /** the limit: Σ honzei + fee + entaikin of covered debts */
  limit: number;
}

/** Apply the debt rules to every debt of one taxpayer. No covered debt → `no-seizable-debt` for the caller. */
export function evaluateDebts(debts: readonly DebtFacts[], processingDate: string): TaxpayerDebtsVerdict {
  const covered: DebtDue[] = [];
  const leftOut: Array<{ chotei: string; reason: DebtLeftOutReason }> = [];
  let limit = 0;
  for (const d of debts) {
    const reason = debtLeftOutReason(d, processingDate);
    if (reason !== null) {
      leftOut.push({ chotei: d.chotei, reason });
      continue;
    }
    const due = debtDue(d, processingDate);
    covered.push(due);
    limit += due.honzei + due.fee + due.entaikin;
  }
  return { covered, leftOut, limit };
}
