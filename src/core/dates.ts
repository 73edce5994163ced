/**
 * Calendar dates as ISO strings 'YYYY-MM-DD' (Japan's calendar, Asia/Tokyo),
 * and as integer day numbers (days since 1970-01-01) for arithmetic.
 * No Date object with a local time zone is used for a calendar date.
 */
import type { Lang } from './i18n.js';
import { usageError } from './errors.js';
import { dayToIso, isoDayOrNull, isoToDay } from './days.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;

export type IsoDate = string;

/** Days since 1970-01-01 for an ISO date (years 0000–9999); throws RangeError on anything else (core/days.ts). */
export function toDayNumber(iso: IsoDate): number {
  return isoToDay(iso);
}

/** The ISO date of a day number (core/days.ts). */
export function fromDayNumber(n: number): IsoDate {
  return dayToIso(n);
}

export function addDays(iso: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(iso) + days);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toDayNumber(b) - toDayNumber(a);
}

/** A strict 'YYYY-MM-DD' date that exists (no exception thrown or caught). */
export function isValidIso(s: string): boolean {
  return isoDayOrNull(s) !== null;
}

/** Accepts YYYY-MM-DD or YYYYMMDD; returns the ISO form or null. */
export function parseDate(s: string): IsoDate | null {
  const t = s.trim();
  let iso: string | null = null;
  if (ISO.test(t)) iso = t;
  else {
    const m = COMPACT.exec(t);
    if (m) iso = `${m[1]}-${m[2]}-${m[3]}`;
  }
  return iso !== null && isValidIso(iso) ? iso : null;
}

/** 'YYYYMMDD' for fixed-width fields. */
export function toCompact(iso: IsoDate): string {
  return iso.replaceAll('-', '');
}

/** Day of week, 0 = Sunday. */
export function dayOfWeek(iso: IsoDate): number {
  return (toDayNumber(iso) + 4) % 7; // 1970-01-01 was a Thursday
}

/**
 * SASHIOSAE_TODAY (tests, demos), or null when unset. A value that is not a real
 * YYYY-MM-DD date is a usage error naming it — never silently today.
 */
export function todayOverride(): IsoDate | null {
  const override = process.env['SASHIOSAE_TODAY'];
  if (override === undefined || override === '') return null;
  if (!isValidIso(override)) {
    throw usageError('env.today', {
      ja: `環境変数 SASHIOSAE_TODAY の値 ${JSON.stringify(override)} は日付（YYYY-MM-DD、実在する日）ではありません。正しい日付にするか、設定を外してください。`,
      en: `SASHIOSAE_TODAY ${JSON.stringify(override)} is not a real YYYY-MM-DD date; correct it or unset it.`,
    });
  }
  return override;
}

/** Today's date in Japan, whatever the machine's time zone. SASHIOSAE_TODAY overrides (tests, demos). */
export function todayTokyo(now: Date = new Date()): IsoDate {
  const override = todayOverride();
  if (override !== null) return override;
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Timestamp in Japan time, ISO 8601 with +09:00, for audit records. */
export function nowTokyoTimestamp(now: Date = new Date()): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().replace('Z', '+09:00');
}

/**
 * An ISO 8601 timestamp as Japan time: "2026年12月5日 14:03" (ja) or
 * "2026-12-05 14:03 JST" (en). Whatever the offset it was stored with, the
 * instant is shown in Japan time; a string that is no timestamp comes back as it is.
 */
export function formatTokyoTime(iso: string, lang: Lang): string {
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(ms)) return iso;
  const j = new Date(ms + 9 * 3_600_000);
  const y = j.getUTCFullYear();
  const mo = j.getUTCMonth() + 1;
  const d = j.getUTCDate();
  const hm = `${String(j.getUTCHours()).padStart(2, '0')}:${String(j.getUTCMinutes()).padStart(2, '0')}`;
  return lang === 'ja' ? `${y}年${mo}月${d}日 ${hm}` : `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')} ${hm} JST`;
}
