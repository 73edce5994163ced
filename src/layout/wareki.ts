/**
 * 和暦 YYMMDD without an era (layout-xml.md, ADR 0003).
 *
 * Reading: YY is taken as 令和 when that gives a real 令和 date no later than one
 * year after today; else as 平成 when that gives a real 平成 date; else the value is
 * a violation. Writing: the era in force on the date (平成 up to 2019-04-30, 令和 from
 * 2019-05-01); a date before 平成 (1989-01-08) cannot be written.
 */
import { addDays, isValidIso, toDayNumber, type IsoDate } from '../core/dates.js';

const REIWA_START: IsoDate = '2019-05-01';
const HEISEI_START: IsoDate = '1989-01-08';
const HEISEI_END: IsoDate = '2019-04-30';

function iso(y: number, m: number, d: number): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** YYMMDD (digits) → ISO date, or null when it is no valid date of either era. */
export function readWareki(yymmdd: string, today: IsoDate): IsoDate | null {
  if (!/^\d{6}$/.test(yymmdd)) return null;
  const yy = Number(yymmdd.slice(0, 2));
  const mm = Number(yymmdd.slice(2, 4));
  const dd = Number(yymmdd.slice(4, 6));
  if (yy === 0) return null;
  const limit = toDayNumber(addDays(today, 0)) + daysInYearAfter(today);
  const r = iso(2018 + yy, mm, dd);
  if (isValidIso(r) && r >= REIWA_START && toDayNumber(r) <= limit) return r;
  const h = iso(1988 + yy, mm, dd);
  if (isValidIso(h) && h >= HEISEI_START && h <= HEISEI_END) return h;
  return null;
}

/** Days from today to the same calendar day one year later (29 Feb → 28 Feb or 1 Mar: 1 Mar). */
function daysInYearAfter(today: IsoDate): number {
  const y = Number(today.slice(0, 4)) + 1;
  let next = `${y}${today.slice(4)}`;
  if (!isValidIso(next)) next = `${y}-03-01`;
  return toDayNumber(next) - toDayNumber(today);
}

/** ISO date → YYMMDD in the era in force on that date, or null before 平成. */
export function writeWareki(date: IsoDate): string | null {
  if (!isValidIso(date)) return null;
  const y = Number(date.slice(0, 4));
  let yy: number;
  if (date >= REIWA_START) yy = y - 2018;
  else if (date >= HEISEI_START) yy = y - 1988;
  else return null;
  if (yy > 99) return null;
  return `${String(yy).padStart(2, '0')}${date.slice(5, 7)}${date.slice(8, 10)}`;
}

/** YYYYMMDD → ISO or null. */
export function readYmd(s: string): IsoDate | null {
  if (!/^\d{8}$/.test(s)) return null;
  const d = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}`;
  return isValidIso(d) ? d : null;
}

/** MMDD is a real month/day in some year (29 Feb allowed). */
export function validMmdd(s: string): boolean {
  if (!/^\d{4}$/.test(s)) return false;
  return isValidIso(`2000-${s.slice(0, 2)}-${s.slice(2, 4)}`);
}

function dim(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function d2(buf: Uint8Array, i: number): number {
  return (buf[i]! - 0x30) * 10 + (buf[i + 1]! - 0x30);
}

/** YYYYMMDD digits at buf[s..s+8) form a real date (the caller checked they are digits). Year 0001–9999. */
export function ymdBytesValid(buf: Uint8Array, s: number): boolean {
  const y = d2(buf, s) * 100 + d2(buf, s + 2);
  const m = d2(buf, s + 4);
  const d = d2(buf, s + 6);
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= dim(y, m);
}

/** MMDD digits form a real month/day (29 Feb allowed). */
export function mmddBytesValid(buf: Uint8Array, s: number): boolean {
  const m = d2(buf, s);
  const d = d2(buf, s + 2);
  return m >= 1 && m <= 12 && d >= 1 && d <= dim(2000, m);
}
