/**
 * Order of accounts within a request (枝番) and the choice of the bank a
 * taxpayer's one open request goes to. Pure rules (docs/adr/0040, 0042).
 */

export interface OrderableAccount {
  branchCode: string;
  accountType: string;
  accountNumber: string;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareAccounts(a: OrderableAccount, b: OrderableAccount): number {
  return (
    cmp(a.branchCode.padStart(3, '0'), b.branchCode.padStart(3, '0')) ||
    cmp(a.accountType.padStart(1, '0'), b.accountType.padStart(1, '0')) ||
    cmp(a.accountNumber.padStart(7, '0'), b.accountNumber.padStart(7, '0'))
  );
}

/**
 * Seizure order of the accounts of one request: 支店番号, then 預金種目, then
 * 口座番号, each compared as zero-padded digits (so '12' sorts as '012').
 * 枝番 01.. follow this order. Returns a new array.
 */
export function orderAccounts<T extends OrderableAccount>(accounts: readonly T[]): T[] {
  // Usually already in this order (the database hands them sorted): the stable
  // sort below would then return them unchanged, so return a copy.
  let sorted = true;
  for (let i = 1; i < accounts.length && sorted; i++) sorted = compareAccounts(accounts[i - 1] as T, accounts[i] as T) <= 0;
  if (sorted) return accounts.slice();
  const key = (a: T): [string, string, string] => [
    a.branchCode.padStart(3, '0'),
    a.accountType.padStart(1, '0'),
    a.accountNumber.padStart(7, '0'),
  ];
  return accounts
    .map((a) => ({ a, k: key(a) }))
    .sort((x, y) => cmp(x.k[0], y.k[0]) || cmp(x.k[1], y.k[1]) || cmp(x.k[2], y.k[2]))
    .map((x) => x.a);
}

/**
 * The bank of the taxpayer's one open request: the largest Σ 調査時残高 (an
 * unknown balance counts 0); ties go to the lower bank code. `balances` maps
 * bank code → Σ balance over the taxpayer's active accounts there. Null when empty.
 */
export function chooseBank(balances: ReadonlyMap<string, number>): string | null {
  let best: string | null = null;
  let bestSum = 0;
  for (const [bank, sum] of balances) {
    if (best === null || sum > bestSum || (sum === bestSum && bank < best)) {
      best = bank;
      bestSum = sum;
    }
  }
  return best;
}

/** Largest 枝番 the 2-digit field can carry. */
export const MAX_SUB_NUMBER = 99;
