/**
 * Matching a batch's collections to the city's bank statement — domain.md
 * "Bank statement" (docs/adr/0061-deposit-matching.md).
 *
 * Pure. For each collection date (in date order) of one batch: among the deposits
 * (入金) of the city's account with 勘定日 = that date that no batch has taken yet,
 * the one whose amount equals the batch's total collected that day matches (two
 * equal candidates: the lower 照会番号 wins). A matched deposit is taken and can
 * never match another date or batch. When none matches, the difference is stated
 * against the largest still-unassigned deposit of that date (ties: lower 照会番号),
 * which stays unassigned; with no deposit at all that day, "no deposit".
 */

export interface StatementDeposit {
  id: number;
  /** 照会番号 as stored (digits) */
  inquiryNumber: string;
  /** 勘定日, ISO */
  valueDate: string;
  amount: number;
}

export interface DateCollection {
  date: string;
  collected: number;
}

export interface DepositMatch {
  date: string;
  collected: number;
  /** the matched deposit, or the one the difference is stated against; null: no deposit */
  entryId: number | null;
  deposit: number | null;
  /** deposit − collected; null when there is no deposit that day */
  difference: number | null;
  matched: boolean;
}

/** Numeric order of 照会番号 (digits, possibly of different widths), then text. */
export function compareInquiry(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `deposits` must be the unassigned deposits only (not taken by another batch).
 * Does not mutate its arguments.
 */
export function matchCollectionsToDeposits(
  collections: readonly DateCollection[],
  deposits: readonly StatementDeposit[],
): DepositMatch[] {
  const taken = new Set<number>();
  const out: DepositMatch[] = [];
  for (const c of [...collections].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    const sameDay = deposits
      .filter((d) => d.valueDate === c.date && !taken.has(d.id))
      .sort((a, b) => compareInquiry(a.inquiryNumber, b.inquiryNumber));
    const exact = sameDay.find((d) => d.amount === c.collected);
    if (exact !== undefined) {
      taken.add(exact.id);
      out.push({ date: c.date, collected: c.collected, entryId: exact.id, deposit: exact.amount, difference: exact.amount - c.collected, matched: true });
      continue;
    }
    let largest: StatementDeposit | undefined;
    for (const d of sameDay) if (largest === undefined || d.amount > largest.amount) largest = d;
    if (largest === undefined) {
      out.push({ date: c.date, collected: c.collected, entryId: null, deposit: null, difference: null, matched: false });
    } else {
      out.push({
        date: c.date,
        collected: c.collected,
        entryId: largest.id,
        deposit: largest.amount,
        difference: largest.amount - c.collected,
        matched: false,
      });
    }
  }
  return out;
}
