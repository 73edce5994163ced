/**
 * Bank business days in Japan (domain.md "Bank business days") and fast
 * integer day-number helpers for the domain's hot paths.
 *
 * Dates are ISO strings 'YYYY-MM-DD' meaning Japan's calendar days. Day numbers
 * are days since 1970-01-01 — the same numbering as src/core/dates.ts
 * (`toDayNumber`), computed here with integer arithmetic only (no Date object),
 * because the 延滞金 calculation runs once per debt for a million debts.
 *
 * National holidays come from the `japanese-holidays` package, asked only for
 * `getHolidaysOf(year)` (month/day/name triples). That function builds its dates
 * with Date.UTC shifted by +9 h and reads them back with getUTC* accessors, so
 * its answer does not depend on the machine's time zone (checked by a test that
 * runs it under several TZ values). We never pass it a Date.
 */
import { createRequire } from 'node:module';

// ---------------------------------------------------------------------------
// Day numbers: the one definition is core/days.ts (integer arithmetic only)

export { dayToIso, dayToYmd, daysInMonth, isoDayOrNull, isoToDay, yearOfDay, yearStartDay, ymdToDay } from '../core/days.js';
import { dayToIso, dayToYmd, isoToDay, yearOfDay, ymdToDay } from '../core/days.js';

// ---------------------------------------------------------------------------
// Holidays

interface HolidayEntry {
  month: number;
  date: number;
  name: string;
}
interface JapaneseHolidaysModule {
  getHolidaysOf(year: number, furikae?: boolean): HolidayEntry[];
}
const require = createRequire(import.meta.url);
const JapaneseHolidays = require('japanese-holidays') as JapaneseHolidaysModule;

/** Per year: day number → holiday name (国民の祝日, 振替休日, 国民の休日). */
const holidayCache = new Map<number, Map<number, string>>();

function holidaysOfYear(y: number): Map<number, string> {
  let map = holidayCache.get(y);
  if (map === undefined) {
    map = new Map();
    // The Act on National Holidays dates from 1948; the library has nothing before.
    if (y >= 1948) {
      for (const h of JapaneseHolidays.getHolidaysOf(y, true)) {
        map.set(ymdToDay(y, h.month, h.date), h.name);
      }
    }
    holidayCache.set(y, map);
  }
  return map;
}

/** Name of the national holiday on that day (incl. 振替休日 and 国民の休日), else null. */
export function holidayName(iso: string): string | null {
  return holidayNameOfDay(isoToDay(iso));
}

function holidayNameOfDay(n: number): string | null {
  return holidaysOfYear(yearOfDay(n)).get(n) ?? null;
}

/** Bank business day test on a day number (see isBusinessDay). */
function isBusinessDayNumber(n: number): boolean {
  const dow = (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
  if (dow === 0 || dow === 6) return false;
  const [y, m, d] = dayToYmd(n);
  if ((m === 12 && d === 31) || (m === 1 && d <= 3)) return false; // 年末年始 12/31–1/3
  return !holidaysOfYear(y).has(n);
}

/**
 * A bank business day: not Saturday or Sunday, not a national holiday (国民の祝日,
 * including 振替休日 and 国民の休日), and not 12/31–1/3.
 */
export function isBusinessDay(iso: string): boolean {
  return isBusinessDayNumber(isoToDay(iso));
}

/** The first bank business day strictly after iso. */
export function nextBusinessDay(iso: string): string {
  let n = isoToDay(iso) + 1;
  while (!isBusinessDayNumber(n)) n++;
  return dayToIso(n);
}

/** iso itself when it is a bank business day, else the next one. */
export function businessDayOnOrAfter(iso: string): string {
  let n = isoToDay(iso);
  while (!isBusinessDayNumber(n)) n++;
  return dayToIso(n);
}
