/**
 * Tax items (税目) and their instalment due dates (納期限) for generated exports.
 *
 * Due dates follow the usual municipal calendars (市県民税 June/Aug/Oct/Jan,
 * 固定資産税 Apr/Jul/Dec/Feb, 国保税 and 介護保険料 eight instalments July–February,
 * monthly 使用料 …). A due date on a Saturday or Sunday moves to the following Monday
 * (地方税法20条の5; national holidays are not considered here — see ADR 0031).
 * 督促状 is issued 20 days after the due date, moved back to Friday when that is a
 * weekend (地方税法66条 etc.: within 20 days).
 */
import { dayOfWeek, fromDayNumber, toDayNumber } from '../core/dates.js';

export type Kubun = 1 | 2 | 3;

export interface TaxItem {
  code: string;
  name: string;
  kubun: Kubun;
  /** 延滞金区分: 1 地方税法の延滞金, 0 none */
  entaikin: 0 | 1;
  /** 督促手数料 charged on this item (yen) — 0 for 区分 2/3 */
  fee: number;
  /** instalments: [month, day] in fiscal-year order; day 0 = last day of month */
  instalments: ReadonlyArray<readonly [number, number]>;
  /** 本税 per instalment, yen, inclusive range (rounded to ¥100) */
  amount: readonly [number, number];
  forCorporations: boolean;
  forPersons: boolean;
}

const MONTHLY: ReadonlyArray<readonly [number, number]> = [
  [4, 0], [5, 0], [6, 0], [7, 0], [8, 0], [9, 0], [10, 0], [11, 0], [12, 25], [1, 0], [2, 0], [3, 0],
];
const EIGHT: ReadonlyArray<readonly [number, number]> = [
  [7, 0], [8, 0], [9, 0], [10, 0], [11, 0], [12, 25], [1, 0], [2, 0],
];

export const TAX_ITEMS: readonly TaxItem[] = [
  { code: '01', name: '市県民税', kubun: 1, entaikin: 1, fee: 100, instalments: [[6, 0], [8, 0], [10, 0], [1, 0]], amount: [5_000, 150_000], forCorporations: false, forPersons: true },
  { code: '02', name: '固定資産税', kubun: 1, entaikin: 1, fee: 100, instalments: [[4, 0], [7, 0], [12, 25], [2, 0]], amount: [3_000, 400_000], forCorporations: true, forPersons: true },
  { code: '03', name: '軽自動車税', kubun: 1, entaikin: 1, fee: 100, instalments: [[5, 0]], amount: [2_000, 10_800], forCorporations: true, forPersons: true },
  { code: '04', name: '国民健康保険税', kubun: 1, entaikin: 1, fee: 100, instalments: EIGHT, amount: [5_000, 80_000], forCorporations: false, forPersons: true },
  { code: '05', name: '介護保険料', kubun: 1, entaikin: 1, fee: 100, instalments: EIGHT, amount: [1_000, 15_000], forCorporations: false, forPersons: true },
  { code: '06', name: '法人市民税', kubun: 1, entaikin: 1, fee: 100, instalments: [[5, 0]], amount: [50_000, 400_000], forCorporations: true, forPersons: false },
  { code: '21', name: '行政財産使用料', kubun: 2, entaikin: 0, fee: 0, instalments: [[4, 0]], amount: [5_000, 120_000], forCorporations: true, forPersons: true },
  { code: '22', name: '放課後児童クラブ利用料', kubun: 2, entaikin: 0, fee: 0, instalments: MONTHLY, amount: [3_000, 12_000], forCorporations: false, forPersons: true },
  { code: '31', name: '市営住宅使用料', kubun: 3, entaikin: 0, fee: 0, instalments: MONTHLY, amount: [8_000, 60_000], forCorporations: false, forPersons: true },
  { code: '32', name: '水道料金', kubun: 3, entaikin: 0, fee: 0, instalments: [[5, 0], [7, 0], [9, 0], [11, 0], [1, 0], [3, 0]], amount: [1_000, 20_000], forCorporations: true, forPersons: true },
];

const FIRST_FISCAL_YEAR = 2019;

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

export interface Instalment {
  item: TaxItem;
  fiscalYear: number;
  period: number;
  /** due date as a day number, after the weekend move */
  due: number;
  dueIso: string;
  /** 督促状発付日 as a day number (due + 20, back to Friday on a weekend) */
  reminder: number;
  reminderIso: string;
}

/** Monday for a Saturday/Sunday, else the day itself. */
function weekendForward(day: number): number {
  const dow = dayOfWeek(fromDayNumber(day));
  return dow === 6 ? day + 2 : dow === 0 ? day + 1 : day;
}
/** Friday for a Saturday/Sunday, else the day itself. */
export function weekendBack(day: number): number {
  const dow = dayOfWeek(fromDayNumber(day));
  return dow === 6 ? day - 1 : dow === 0 ? day - 2 : day;
}

/** Every instalment of every item from FY2019 whose due date is before `processing`. */
export function instalmentsBefore(processing: number): Instalment[] {
  const out: Instalment[] = [];
  const lastFy = Number(fromDayNumber(processing).slice(0, 4));
  for (const item of TAX_ITEMS) {
    for (let fy = FIRST_FISCAL_YEAR; fy <= lastFy; fy++) {
      item.instalments.forEach(([m, d], i) => {
        const y = m >= 4 ? fy : fy + 1;
        const dd = d === 0 ? daysInMonth(y, m) : d;
        const iso = `${y}-${String(m).padStart(2, '0')}-${String(dd).padStart(2, '0')}`;
        const due = weekendForward(toDayNumber(iso));
        if (due >= processing) return;
        const reminder = weekendBack(due + 20);
        out.push({ item, fiscalYear: fy, period: i + 1, due, dueIso: fromDayNumber(due), reminder, reminderIso: fromDayNumber(reminder) });
      });
    }
  }
  return out;
}

const isoCache = new Map<number, string>();
/** ISO date of a day number, memoised (the generator formats the same few thousand days millions of times). */
export function isoOfDay(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = fromDayNumber(day);
    if (isoCache.size < 100_000) isoCache.set(day, s);
  }
  return s;
}
