/**
 * Day numbers: days since 1970-01-01 of calendar dates written 'YYYY-MM-DD' (Japan's
 * calendar days), by integer arithmetic only — no Date object, no time zone, no regular
 * expression. The one definition of the rule: core/dates.ts (toDayNumber, isValidIso,
 * fromDayNumber) and domain/calendar.ts (business days, 延滞金) both use it.
 */
const CUM_DAYS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

export function isLeapYear(y: number): boolean {
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
 * Day number of a strict 'YYYY-MM-DD' string (years 0000–9999), or null for anything
 * else (wrong shape or a date that does not exist, e.g. 2026-02-29). No exception, no
 * regular expression, no Date: the hot paths (a million birth dates, due dates) call it.
 */
export function isoDayOrNull(iso: string): number | null {
  if (iso.length !== 10 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45) return null;
  let y = 0;
  let m = 0;
  let d = 0;
  for (let i = 0; i < 10; i++) {
    if (i === 4 || i === 7) continue;
    const c = iso.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    if (i < 4) y = y * 10 + c;
    else if (i < 7) m = m * 10 + c;
    else d = d * 10 + c;
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return null;
  return ymdToDay(y, m, d);
}

/**
 * Day number of a strict 'YYYY-MM-DD' string; throws RangeError for anything
 * else (wrong shape or a date that does not exist, e.g. 2026-02-29).
 */
export function isoToDay(iso: string): number {
  const n = isoDayOrNull(iso);
  if (n === null) throw new RangeError(`not a real YYYY-MM-DD date: ${iso}`);
  return n;
}
