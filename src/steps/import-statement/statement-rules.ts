/**
 * The balance rule of a bank statement (statement-03.md): in every account group,
 * 取引前残高 + 入金 − 出金 = 取引後残高, the balances signed by their 貸越区分 (1 プラス,
 * 2 マイナス; blank or anything else read as プラス — the field is optional and some banks
 * fill it with spaces). The layout's own totals (入金額合計 and 出金額合計 against the data
 * records) cannot say this; a statement that breaks it has lost or gained a transaction
 * somewhere, and deposit matching would then compare against the wrong entries.
 *
 * A file rule of the format engine (`statementBalanceRule`), passed by `import statement`
 * and by `validate` / `inspect` (src/cli/file-rules.ts); it applies to any layout whose
 * header carries `openingBalance` and whose trailer carries `closingBalance`.
 * The balances are the city's own account's, not personal data.
 */
import type { Finding } from '../../core/errors.js';
import { yen } from '../../core/yen.js';
import type { FileRule, RecordChecker } from '../../file/file-rules.js';
import type { Layout } from '../../layout/types.js';

/** A balance with its 貸越区分: 2 (マイナス) makes it negative. */
function signedBalance(digits: string, overdraftKubun: string | undefined): number {
  const t = digits.trim();
  const v = t === '' ? 0 : Number(t);
  return overdraftKubun?.trim() === '2' ? -v : v;
}

/** Whether a layout describes a statement with balances (the rule applies). */
function hasBalances(layout: Layout): boolean {
  const r = layout.records;
  return (
    r.header?.byId.has('openingBalance') === true &&
    r.trailer?.byId.has('closingBalance') === true &&
    r.data?.byId.has('inOutKubun') === true &&
    r.data.byId.has('amount')
  );
}

/** The checker of one file: a running balance per account group. */
function balanceChecker(): RecordChecker {
  let running: number | null = null;
  return {
    header(rec) {
      running = signedBalance(rec.fields['openingBalance'] ?? '', rec.fields['overdraftKubun']);
    },
    data(rec) {
      if (running === null) return; // no header: the engine reports the order
      const amount = Number((rec.fields['amount'] ?? '').trim() || '0');
      if (!Number.isSafeInteger(amount)) {
        running = null; // not digits: the field check reports it
        return;
      }
      const io = (rec.fields['inOutKubun'] ?? '').trim();
      if (io === '1') running += amount;
      else if (io === '2') running -= amount;
      else running = null; // not 1 or 2: the field check reports it
    },
    trailer(rec, report) {
      if (running === null) return;
      const closing = signedBalance(rec.fields['closingBalance'] ?? '', rec.fields['overdraftKubun']);
      if (closing !== running) {
        const f: Finding = {
          code: 'statement.balance',
          record: rec.index,
          offset: rec.fieldOffset('closingBalance'),
          field: 'closingBalance',
          expected: String(running),
          found: String(closing),
          message: {
            ja: `第${rec.index + 1}レコード（トレーラー）の取引後残高 ${yen(closing)} が、取引前残高に入金を足し出金を引いた ${yen(running)} と合いません（差 ${yen(closing - running)}）。明細が欠けているか余分です`,
            en: `record ${rec.index + 1} (trailer): the closing balance ${yen(closing)} is not the opening balance plus deposits minus withdrawals, ${yen(running)} (off by ${yen(closing - running)}); an entry is missing or extra`,
          },
        };
        report(f);
      }
      running = null;
    },
  };
}

/** The balance rule as a file rule: a checker for every file whose layout has balances. */
export const statementBalanceRule: FileRule = (layout) => (hasBalances(layout) ? balanceChecker() : null);
