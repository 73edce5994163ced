/**
 * 和暦 YYMMDD without an era (layout-xml.md, ADR 0003).
 *
 * Reading: YY is taken as 令和 when that gives a real 令和 date no later than one
 * year after today; else as 平成 when that gives a real 平成 date; else the value is
 * a violation. Writing: the era in force on the date (平成 up to 2019-04-30, 令和 from
 * 2019-05-01); a date before 平成 (1989-01-08) cannot be written.
 */
import { addDays, isValidIso, toDayNumber, type IsoDate } from '../core/dates.js';
import { BoundedMemo } from '../core/memo.js';

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

/**
 * 和暦 with an era digit, GYYMMDD (layout-xml.md "和暦 with an era digit"): G = 1 明治,
 * 2 大正, 3 昭和, 4 平成, 5 令和; YY the year of that era (元年 = 01). The date must exist
 * and lie inside the era (bounds exact); 明治 only from 明治6年1月1日 (the Gregorian
 * calendar). Era start dates are the first day of each era, end = the next one's day before.
 */
const ERAS: ReadonlyArray<{ digit: number; start: IsoDate; end: IsoDate | null; baseYear: number }> = [
  { digit: 1, start: '1873-01-01', end: '1912-07-29', baseYear: 1867 },
  { digit: 2, start: '1912-07-30', end: '1926-12-24', baseYear: 1911 },
  { digit: 3, start: '1926-12-25', end: '1989-01-07', baseYear: 1925 },
  { digit: 4, start: '1989-01-08', end: '2019-04-30', baseYear: 1988 },
  { digit: 5, start: '2019-05-01', end: null, baseYear: 2018 },
];

/** GYYMMDD (7 digits) → ISO date, or null when not a real date inside that era. */
export function readGWareki(gyymmdd: string): IsoDate | null {
  if (!/^\d{7}$/.test(gyymmdd)) return null;
  const era = ERAS[Number(gyymmdd[0]) - 1];
  if (era === undefined) return null;
  const yy = Number(gyymmdd.slice(1, 3));
  if (yy === 0) return null;
  const d = iso(era.baseYear + yy, Number(gyymmdd.slice(3, 5)), Number(gyymmdd.slice(5, 7)));
  if (!isValidIso(d) || d < era.start || (era.end !== null && d > era.end)) return null;
  return d;
}

/** ISO date → GYYMMDD in the era in force on that date, or null before 1873-01-01 (or beyond 令和99年). */
export function writeGWareki(date: IsoDate): string | null {
  if (!isValidIso(date)) return null;
  for (let i = ERAS.length - 1; i >= 0; i--) {
    const era = ERAS[i]!;
    if (date < era.start) continue;
    const yy = Number(date.slice(0, 4)) - era.baseYear;
    if (yy > 99) return null;
    return `${era.digit}${String(yy).padStart(2, '0')}${date.slice(5, 7)}${date.slice(8, 10)}`;
  }
  return null;
}

/** GYYMMDD digits at buf[s..s+7) form a real date inside their era (the caller checked they are digits). */
export function gymdBytesValid(buf: Uint8Array, s: number): boolean {
  const era = ERAS[buf[s]! - 0x31];
  if (era === undefined) return false;
  const yy = d2(buf, s + 1);
  const m = d2(buf, s + 3);
  const d = d2(buf, s + 5);
  if (yy === 0 || m < 1 || m > 12 || d < 1) return false;
  const y = era.baseYear + yy;
  if (d > dim(y, m)) return false;
  const v = y * 10000 + m * 100 + d;
  return v >= ERA_BOUNDS[era.digit - 1]![0]! && v <= ERA_BOUNDS[era.digit - 1]![1]!;
}

function ymdNumber(d: IsoDate): number {
  return Number(d.slice(0, 4)) * 10000 + Number(d.slice(5, 7)) * 100 + Number(d.slice(8, 10));
}

/** Per era: [start, end] as YYYYMMDD numbers (令和: no end). */
const ERA_BOUNDS: ReadonlyArray<readonly [number, number]> = ERAS.map((e) => [ymdNumber(e.start), e.end === null ? Infinity : ymdNumber(e.end)] as const);

/**
 * writeGWareki memoised by the ISO date: the same birth dates recur across a million
 * inquiries (about 30,000 days in 80 years) — write's 生年月日 (codec.ts) and import
 * answers' echoed 生年月日 (rule 2) share it. Bounded.
 *
 * A date of the form YYYY-MM-DD (years 1800–2199, month ≤ 12, day ≤ 31) is looked up by a
 * number made from its digits in an array, not by the text in a Map: every date read from
 * the database is a new string, which a Map must hash and compare on each look-up — that
 * was most of this memo's cost (ADR 0188). Anything else takes the Map.
 */
export class GWarekiDates {
  private readonly byDay: Array<string | null | undefined> = new Array<string | null | undefined>(400 * 416);
  private readonly other = new BoundedMemo<string, string | null>(65536);

  /** writeGWareki(iso), memoised (null where it gives null). */
  write(iso: string): string | null {
    const k = dayKey(iso);
    if (k >= 0) {
      let v = this.byDay[k];
      if (v === undefined) {
        v = writeGWareki(iso);
        this.byDay[k] = v;
      }
      return v;
    }
    return this.other.get(iso, iso, writeGWareki);
  }

  /** writeGWareki(iso), or '0000000' where it gives null (import answers' rule 2). */
  gwareki(iso: string): string {
    return this.write(iso) ?? '0000000';
  }
}

/** (year − 1800) × 416 + month × 32 + day for YYYY-MM-DD text of years 1800–2199, month ≤ 12, day ≤ 31; else −1. */
function dayKey(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return -1;
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    y = y * 10 + c;
  }
  const m1 = s.charCodeAt(5) - 48;
  const m2 = s.charCodeAt(6) - 48;
  const day1 = s.charCodeAt(8) - 48;
  const day2 = s.charCodeAt(9) - 48;
  if (m1 < 0 || m1 > 9 || m2 < 0 || m2 > 9 || day1 < 0 || day1 > 9 || day2 < 0 || day2 > 9) return -1;
  const m = m1 * 10 + m2;
  const d = day1 * 10 + day2;
  if (y < 1800 || y > 2199 || m > 12 || d > 31) return -1;
  return (y - 1800) * 416 + m * 32 + d;
}
