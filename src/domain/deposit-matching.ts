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
 * A batch of several files is matched file by file on each date (a bank pays one
 * deposit per file): `files` below.
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
  /** the (first) matched deposit, or the one the difference is stated against; null: no deposit */
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

/** One file's total collected on one 取立日 (a bank pays one deposit per file and date). */
export interface FileCollection {
  date: string;
  fileNumber: number;
  collected: number;
}

function byInquiry(a: StatementDeposit, b: StatementDeposit): number {
  return compareInquiry(a.inquiryNumber, b.inquiryNumber);
}

/** The largest of `ds` (ties: lower 照会番号, as `ds` is in 照会番号 order). */
function largestOf(ds: readonly StatementDeposit[]): StatementDeposit | undefined {
  let largest: StatementDeposit | undefined;
  for (const d of ds) if (largest === undefined || d.amount > largest.amount) largest = d;
  return largest;
}

/**
 * `deposits` must be the unassigned deposits only (not taken by another batch).
 * `files`: the batch's totals per file and 取立日 when it was written as several
 * files (docs/adr/0090-deposits-per-file.md): on such a date each file's total is
 * matched to its own deposit, and the date matches when every file's does — the
 * date's `deposit` is then the sum of those deposits. (A bank that paid the day's
 * total as one deposit matches too.) When some file finds none, the date is not
 * matched and nothing is taken: the files that found their exact deposit are stated
 * against it, each other file against the largest deposit still unreferenced that
 * day, and the date's `deposit` is the sum of these, `difference` = deposit − collected.
 * Without `files` (or with one file on a date) each date is matched as one amount.
 * `taken`, when given, receives per date the deposits the batch takes (to be marked).
 * Does not mutate its other arguments.
 */
export function matchCollectionsToDeposits(
  collections: readonly DateCollection[],
  deposits: readonly StatementDeposit[],
  files: readonly FileCollection[] = [],
  taken: Map<string, number[]> = new Map(),
): DepositMatch[] {
  const out: DepositMatch[] = [];
  const isTaken = (id: number): boolean => [...taken.values()].some((ids) => ids.includes(id));
  const take = (date: string, ids: number[]): void => {
    if (ids.length > 0) taken.set(date, [...(taken.get(date) ?? []), ...ids]);
  };
  for (const c of [...collections].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) {
    const sameDay = deposits.filter((d) => d.valueDate === c.date && !isTaken(d.id)).sort(byInquiry);
    const dayFiles = files.filter((f) => f.date === c.date && f.collected > 0).sort((a, b) => a.fileNumber - b.fileNumber);
    const perFile = dayFiles.length > 1 && dayFiles.reduce((s, f) => s + f.collected, 0) === c.collected;
    const none: DepositMatch = { date: c.date, collected: c.collected, entryId: null, deposit: null, difference: null, matched: false };
    if (perFile) {
      // one deposit per file
      const mine: StatementDeposit[] = [];
      const missing: number[] = [];
      for (const f of dayFiles) {
        const exact = sameDay.find((d) => d.amount === f.collected && !mine.includes(d));
        if (exact === undefined) missing.push(f.collected);
        else mine.push(exact);
      }
      if (missing.length === 0) {
        take(c.date, mine.map((d) => d.id));
        const deposit = mine.reduce((s, d) => s + d.amount, 0);
        out.push({ date: c.date, collected: c.collected, entryId: mine[0]?.id ?? null, deposit, difference: deposit - c.collected, matched: true });
        continue;
      }
      // the day's total as one deposit
      const whole = sameDay.find((d) => d.amount === c.collected);
      if (whole !== undefined) {
        take(c.date, [whole.id]);
        out.push({ date: c.date, collected: c.collected, entryId: whole.id, deposit: whole.amount, difference: 0, matched: true });
        continue;
      }
      // not matched: nothing is taken (the deposits may belong to another batch, ADR 0061)
      const referenced = [...mine];
      for (let i = 0; i < missing.length; i++) {
        const largest = largestOf(sameDay.filter((d) => !referenced.includes(d)));
        if (largest !== undefined) referenced.push(largest);
      }
      if (referenced.length === 0) {
        out.push(none);
        continue;
      }
      const deposit = referenced.reduce((s, d) => s + d.amount, 0);
      out.push({
        date: c.date,
        collected: c.collected,
        entryId: referenced[0]!.id,
        deposit,
        difference: deposit - c.collected,
        matched: false,
      });
      continue;
    }
    const exact = sameDay.find((d) => d.amount === c.collected);
    if (exact !== undefined) {
      take(c.date, [exact.id]);
      out.push({ date: c.date, collected: c.collected, entryId: exact.id, deposit: exact.amount, difference: exact.amount - c.collected, matched: true });
      continue;
    }
    const largest = largestOf(sameDay);
    if (largest === undefined) {
      out.push(none);
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
