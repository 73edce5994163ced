/**
 * The warning every command that computes 延滞金 gives when a day counted falls in a
 * year the rate table does not state yet (domain/entaikin-rates.ts): the amount was
 * computed with the last stated year's rates, which may be wrong for that year.
 * Always on stderr (with --json too), never silent.
 */
import { t } from '../core/i18n.js';
import { LAST_STATED_RATE_YEAR, unstatedRateYear } from '../domain/entaikin-rates.js';

export function warnUnstatedRateYear(isoDates: Iterable<string>): void {
  const year = unstatedRateYear(isoDates);
  if (year === null) return;
  const last = LAST_STATED_RATE_YEAR;
  process.stderr.write(
    t({
      ja: `注意: ${year}年の延滞金の割合がまだ登録されていないため、${last}年の割合で計算しました。${year}年の割合が告示されていれば、その割合を登録した版の sashiosae に更新してから計算し直してください（割合は src/domain/entaikin-rates.ts）。`,
      en: `warning: the rates of ${year} are not in the 延滞金 rate table yet, so ${last}'s rates were used. If the ${year} rates have been announced, update sashiosae to a version that has them and compute again (rates: src/domain/entaikin-rates.ts).`,
    }) + '\n',
  );
}
