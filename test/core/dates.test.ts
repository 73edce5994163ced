import { describe, expect, it } from 'vitest';
import { addDays, dayOfWeek, daysBetween, parseDate, todayTokyo, toDayNumber } from '../../src/core/dates.js';

describe('calendar dates', () => {
  it('parses both export date forms and refuses impossible dates', () => {
    expect(parseDate('2026-02-28')).toBe('2026-02-28');
    expect(parseDate('20260228')).toBe('2026-02-28');
    expect(parseDate('2026-02-29')).toBeNull();
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(parseDate('2026/02/28')).toBeNull();
  });
  it('does day arithmetic across month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(daysBetween('2021-06-01', '2022-01-31')).toBe(244);
    expect(toDayNumber('1970-01-01')).toBe(0);
  });
  it('knows the weekday (2026-11-23 is a Monday)', () => {
    expect(dayOfWeek('2026-11-23')).toBe(1);
    expect(dayOfWeek('2026-11-22')).toBe(0);
  });
  it("uses Japan's date whatever the machine's time zone", () => {
    const saved = process.env['SASHIOSAE_TODAY'];
    delete process.env['SASHIOSAE_TODAY'];
    // 2026-11-23T16:00Z is already 11/24 01:00 in Tokyo
    expect(todayTokyo(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
    expect(todayTokyo(new Date('2026-11-23T14:59:00Z'))).toBe('2026-11-23');
    if (saved !== undefined) process.env['SASHIOSAE_TODAY'] = saved;
  });
});
