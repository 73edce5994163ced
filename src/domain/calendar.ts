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
// Day numbers (pure integer arithmetic)

const CUM_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Number of leap years in [1, y). */
function leapsBefore(y: number): number {
  const p = y - 1;
  return Math.floor(p / 4) - Math.floor(p / 100) + Math.floor(p / 400);
}
const LEAPS_BEFORE_1970 = leapsBefore(1970);

/** Day number (days since 1970-01-01) of 1 January of year y. */
export function yearStartDay(y: number): number {
  return 365 * (y - 1970) + leapsBefore(y) - LEAPS_BEFORE_1970;
}

/** Day number of a valid calendar date (month 1–12, day 1–31); no validation. */
export function ymdToDay(y: number, m: number, d: number): number {
  return yearStartDay(y) + (CUM_DAYS[m - 1] as number) + (m > 2 && isLeapYear(y) ? 1 : 0) + d - 1;
}

/** The calendar year a day number falls in. */
export function yearOfDay(n: number): number {
  let y = 1970 + Math.floor(n / 365.2425);
  while (yearStartDay(y) > n) y--;
  while (yearStartDay(y + 1) <= n) y++;
  return y;
}

/** [year, month 1–12, day 1–31] of a day number. */
export function dayToYmd(n: number): [number, number, number] {
  const y = yearOfDay(n);
  let doy = n - yearStartDay(y);
  const leap = isLeapYear(y);
  let m = 1;
  for (;;) {
    const len = m === 2 ? (leap ? 29 : 28) : daysInMonth(y, m);
    if (doy < len) break;
    doy -= len;
    m++;
  }
  return [y, m, doy + 1];
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
function pad4(n: number): string {
  return n < 10 ? `000${n}` : n < 100 ? `00${n}` : n < 1000 ? `0${n}` : String(n);
}

/** 'YYYY-MM-DD' of a day number (years 0000–9999). */
export function dayToIso(n: number): string {
  const [y, m, d] = dayToYmd(n);
  return `${pad4(y)}-${pad2(m)}-${pad2(d)}`;
}

/**
 * Day number of a strict 'YYYY-MM-DD' string; throws RangeError for anything
 * else (wrong shape or a date that does not exist, e.g. 2026-02-29).
 * Agrees with core/dates.ts `toDayNumber` (tested).
 */
export function isoToDay(iso: string): number {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) {
    throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
  }
  let y = 0;
  let m = 0;
  let d = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = iso.charCodeAt(i) - 48;
    if (c < 0 || c > 9) throw new RangeError(`not a YYYY-MM-DD date: ${iso}`);
    if (i < 4) y = y * 10 + c;
    else if (i < 7) m = m * 10 + c;
    else d = d * 10 + c;
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    throw new RangeError(`not a real date: ${iso}`);
  }
  return ymdToDay(y, m, d);
}

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
