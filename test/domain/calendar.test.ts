import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromDayNumber, isValidIso, toDayNumber } from '../../src/core/dates.js';
import {
  businessDayOnOrAfter,
  dayToIso,
  holidayName,
  isBusinessDay,
  isoToDay,
  nextBusinessDay,
  yearOfDay,
} from '../../src/domain/calendar.js';

// 2026 national holidays (内閣府「国民の祝日について」; 5/6 振替休日 because 5/3 is a Sunday;
// 9/22 国民の休日 because it lies between 敬老の日 9/21 and 秋分の日 9/23).
const HOLIDAYS_2026: Array<[string, string]> = [
  ['2026-01-01', '元日'],
  ['2026-01-12', '成人の日'],
  ['2026-02-11', '建国記念の日'],
  ['2026-02-23', '天皇誕生日'],
  ['2026-03-20', '春分の日'],
  ['2026-04-29', '昭和の日'],
  ['2026-05-03', '憲法記念日'],
  ['2026-05-04', 'みどりの日'],
  ['2026-05-05', 'こどもの日'],
  ['2026-05-06', '振替休日'],
  ['2026-07-20', '海の日'],
  ['2026-08-11', '山の日'],
  ['2026-09-21', '敬老の日'],
  ['2026-09-22', '国民の休日'],
  ['2026-09-23', '秋分の日'],
  ['2026-10-12', 'スポーツの日'],
  ['2026-11-03', '文化の日'],
  ['2026-11-23', '勤労感謝の日'],
];

describe('holidays', () => {
  it('knows every 2026 national holiday by name, and no other day of 2026', () => {
    for (const [iso, name] of HOLIDAYS_2026) expect(holidayName(iso), iso).toBe(name);
    const expected = new Set(HOLIDAYS_2026.map(([d]) => d));
    let count = 0;
    for (let n = isoToDay('2026-01-01'); n <= isoToDay('2026-12-31'); n++) {
      const iso = dayToIso(n);
      if (holidayName(iso) !== null) {
        count++;
        expect(expected.has(iso), iso).toBe(true);
      }
    }
    expect(count).toBe(18);
  });
  it('holidays on weekdays are not business days', () => {
    for (const [iso] of HOLIDAYS_2026) expect(isBusinessDay(iso), iso).toBe(false);
  });
  it('ordinary weekdays next to holidays are business days', () => {
    for (const d of ['2026-01-05', '2026-01-13', '2026-02-10', '2026-02-24', '2026-05-07', '2026-09-24', '2026-11-24', '2026-12-30']) {
      expect(isBusinessDay(d), d).toBe(true);
      expect(holidayName(d), d).toBeNull();
    }
  });
  it('knows substitute holidays and the citizens\' holiday of other years', () => {
    expect(holidayName('2025-11-24')).toBe('振替休日'); // 勤労感謝の日 on a Sunday
    expect(holidayName('2024-02-12')).toBe('振替休日'); // 建国記念の日 on a Sunday
    expect(holidayName('2019-05-01')).toBe('即位の日');
    expect(holidayName('2020-07-24')).toBe('スポーツの日'); // Olympic year
    expect(holidayName('2015-09-22')).toBe('国民の休日');
  });
});

describe('bank business days', () => {
  it('weekends are not business days', () => {
    expect(isBusinessDay('2026-11-28')).toBe(false); // Saturday
    expect(isBusinessDay('2026-11-29')).toBe(false); // Sunday
    expect(isBusinessDay('2026-11-27')).toBe(true); // Friday
    expect(isBusinessDay('2026-11-30')).toBe(true); // Monday
  });
  it('12/31–1/3 are not business days, even on weekdays', () => {
    // 2025-12-31 Wed, 2026-01-02 Fri; 2027-01-01 Fri 2027-01-02 Sat 2027-01-03 Sun; 2030-12-31 Tue
    for (const d of ['2025-12-31', '2026-01-02', '2026-12-31', '2027-01-01', '2030-12-31', '2031-01-03']) {
      expect(isBusinessDay(d), d).toBe(false);
    }
    expect(isBusinessDay('2027-01-04')).toBe(true); // Monday
    expect(isBusinessDay('2031-01-06')).toBe(true); // Monday (1/4–1/5 is a weekend)
  });
  it('nextBusinessDay is strictly after, businessDayOnOrAfter may be the same day', () => {
    expect(nextBusinessDay('2026-12-30')).toBe('2027-01-04'); // over 年末年始 and a weekend
    expect(nextBusinessDay('2026-05-01')).toBe('2026-05-07'); // Golden Week: 5/2 Sat … 5/6 振替休日
    expect(nextBusinessDay('2026-09-18')).toBe('2026-09-24'); // Silver Week
    expect(nextBusinessDay('2026-11-27')).toBe('2026-11-30');
    expect(nextBusinessDay('2026-11-30')).toBe('2026-12-01');
    expect(businessDayOnOrAfter('2026-11-30')).toBe('2026-11-30');
    expect(businessDayOnOrAfter('2026-11-28')).toBe('2026-11-30');
    expect(businessDayOnOrAfter('2026-12-31')).toBe('2027-01-04');
    expect(businessDayOnOrAfter('2026-05-03')).toBe('2026-05-07');
  });
  it('refuses impossible dates', () => {
    expect(() => isBusinessDay('2026-02-29')).toThrow(RangeError);
    expect(() => nextBusinessDay('2026/01/01')).toThrow(RangeError);
    expect(() => holidayName('20260101')).toThrow(RangeError);
  });
  it('property: the next business day is a business day, and every day in between is not', () => {
    fc.assert(
      fc.property(fc.integer({ min: isoToDay('1990-01-01'), max: isoToDay('2060-12-31') }), (n) => {
        const iso = dayToIso(n);
        const next = nextBusinessDay(iso);
        expect(isBusinessDay(next)).toBe(true);
        expect(isoToDay(next)).toBeGreaterThan(n);
        for (let k = n + 1; k < isoToDay(next); k++) expect(isBusinessDay(dayToIso(k))).toBe(false);
        const onOrAfter = businessDayOnOrAfter(iso);
        expect(onOrAfter === iso).toBe(isBusinessDay(iso));
      }),
      { numRuns: 500 },
    );
  });
});

describe('day numbers', () => {
  it("agree with the platform's proleptic Gregorian calendar (Date.UTC) for every day 1600–2400", () => {
    // the oracle is independent of core/days.ts: Date's own UTC arithmetic
    const start = Math.round(Date.UTC(1600, 0, 1) / 86_400_000);
    const end = Math.round(Date.UTC(2400, 11, 31) / 86_400_000);
    for (let n = start; n <= end; n++) {
      const iso = new Date(n * 86_400_000).toISOString().slice(0, 10);
      if (isoToDay(iso) !== n || dayToIso(n) !== iso) throw new Error(`mismatch at ${iso}`);
      if (toDayNumber(iso) !== n || fromDayNumber(n) !== iso) throw new Error(`core/dates mismatch at ${iso}`);
      if (yearOfDay(n) !== Number(iso.slice(0, 4))) throw new Error(`year mismatch at ${iso}`);
    }
  });
  it('refuse malformed and impossible dates', () => {
    for (const bad of ['2026-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '2026-1-01', '２０２６-01-01', '2026-01-01 ', 'abcd-ef-gh']) {
      expect(() => isoToDay(bad), bad).toThrow(RangeError);
    }
    expect(isoToDay('2024-02-29')).toBe(toDayNumber('2024-02-29'));
    for (const bad of ['2026-02-29', '1900-02-29', '2026-1-01', '', '2026-01-01T00']) {
      expect(isValidIso(bad), bad).toBe(false);
      expect(() => toDayNumber(bad), bad).toThrow(RangeError);
    }
    expect(isValidIso('2000-02-29')).toBe(true);
  });
});

describe('time zone independence', () => {
  it('the library call calendar.ts makes (getHolidaysOf) answers the same under any TZ', () => {
    // Run the library the way calendar.ts uses it (getHolidaysOf) in child processes with different TZ.
    const code =
      "const JH=require('japanese-holidays');let s='';for(let y=1990;y<=2060;y++)for(const h of JH.getHolidaysOf(y,true))s+=y+'-'+h.month+'-'+h.date+h.name+';';process.stdout.write(s)";
    const outputs = ['Asia/Tokyo', 'UTC', 'America/New_York', 'Pacific/Auckland', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Australia/Lord_Howe'].map((tz) =>
      execFileSync(process.execPath, ['-e', code], { env: { ...process.env, TZ: tz }, encoding: 'utf8' }),
    );
    for (const o of outputs) expect(o).toBe(outputs[0]);
    expect(outputs[0]).toContain('2026-9-22国民の休日');
  });
});
