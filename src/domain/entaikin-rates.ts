/**
 * 延滞金 rates as data, per calendar year, in integer basis points (1% = 100 bp).
 *
 * `firstMonthBp` applies from the day after 納期限 to the end of the first month
 * (民法143条, see entaikin.ts `firstMonthEnd`), `afterBp` afterwards. A rate applies
 * to the days of its calendar year; a period crossing 1 January is split.
 *
 * Law: 地方税法 本則 7.3% / 14.6%, reduced by 地方税法附則第3条の2 (特例):
 *  - 2000–2013: first month = 特例基準割合 (前年11月30日の商業手形の基準割引率 + 4%);
 *    afterwards 14.6% unchanged.
 *  - 2014–2020: first month = 特例基準割合 + 1%, afterwards 特例基準割合 + 7.3%
 *    (特例基準割合 = 財務大臣告示の平均貸付割合 + 1%).
 *  - 2021–:     first month = 延滞金特例基準割合 + 1%, afterwards + 7.3%
 *    (延滞金特例基準割合 = 平均貸付割合 + 0.5%).
 *
 * Published per-year figures this table reproduces (retrieved through stored copies
 * of the municipalities' pages):
 *  - 蟹江町 税務課「延滞金」 https://www.town.kanie.aichi.jp/soshiki/6/enntaikin.html
 *    (~平成11年 7.3/14.6; 平成12–13年 4.5; 平成14–18年 4.1; 平成19年 4.4; 平成20年 4.7;
 *    平成21年 4.5; 平成22–25年 4.3 (all with 14.6 afterwards); 平成26年 2.9/9.2;
 *    平成27・28年 2.8/9.1; 平成29年 2.7/9.0; 平成30–令和2年 2.6/8.9; 令和3年 2.5/8.8)
 *  - 西尾市「延滞金」 http://www.city.nishio.aichi.jp/index.cfm/6,3756,63,543,html (same 2000–2017)
 *  - 香美市「滞納した場合の延滞金」 https://www.city.kami.lg.jp/soshiki/15-1/entai20220101.html
 *  - うるま市「延滞金の割合について」 http://www.city.uruma.lg.jp/kurashi/108/775/776
 *    (令和4–6年 2.4/8.7)
 *  - 2025: 2.4/8.7 and 2026: 2.8/9.1 as given in the project's domain brief
 *    (shared/domain.md), which cites the published municipal tables.
 *
 * Years after the last row use the last row until a new row is added: the rates
 * for a year are announced in the preceding December, so this table must get a
 * new row every year (see docs/adr/0010-entaikin-rate-table.md).
 */

export interface EntaikinRateRow {
  /** first calendar year the row applies to */
  fromYear: number;
  /** last calendar year (inclusive); null = open-ended */
  toYear: number | null;
  firstMonthBp: number;
  afterBp: number;
}

/** Rows in ascending, gap-free order. Years before the first row use the 本則 rates. */
export const ENTAIKIN_RATE_TABLE: readonly EntaikinRateRow[] = Object.freeze([
  { fromYear: 2000, toYear: 2001, firstMonthBp: 450, afterBp: 1460 },
  { fromYear: 2002, toYear: 2006, firstMonthBp: 410, afterBp: 1460 },
  { fromYear: 2007, toYear: 2007, firstMonthBp: 440, afterBp: 1460 },
  { fromYear: 2008, toYear: 2008, firstMonthBp: 470, afterBp: 1460 },
  { fromYear: 2009, toYear: 2009, firstMonthBp: 450, afterBp: 1460 },
  { fromYear: 2010, toYear: 2013, firstMonthBp: 430, afterBp: 1460 },
  { fromYear: 2014, toYear: 2014, firstMonthBp: 290, afterBp: 920 },
  { fromYear: 2015, toYear: 2016, firstMonthBp: 280, afterBp: 910 },
  { fromYear: 2017, toYear: 2017, firstMonthBp: 270, afterBp: 900 },
  { fromYear: 2018, toYear: 2020, firstMonthBp: 260, afterBp: 890 },
  { fromYear: 2021, toYear: 2021, firstMonthBp: 250, afterBp: 880 },
  { fromYear: 2022, toYear: 2025, firstMonthBp: 240, afterBp: 870 },
  { fromYear: 2026, toYear: null, firstMonthBp: 280, afterBp: 910 },
]);

/**
 * The last calendar year the table states rates for: the open-ended last row's first
 * year. Later years reuse that row until a new one is added, so callers warn.
 */
export const LAST_STATED_RATE_YEAR: number = ENTAIKIN_RATE_TABLE[ENTAIKIN_RATE_TABLE.length - 1]!.fromYear;

/** The latest year among these ISO dates that the table has no rates of its own for, or null. */
export function unstatedRateYear(isoDates: Iterable<string>): number | null {
  let worst: number | null = null;
  for (const d of isoDates) {
    const y = Number(d.slice(0, 4));
    if (y > LAST_STATED_RATE_YEAR && (worst === null || y > worst)) worst = y;
  }
  return worst;
}

/** 地方税法 本則 (applies before 2000): 7.3% / 14.6%. */
const HONSOKU_RATES = Object.freeze({ firstMonthBp: 730, afterBp: 1460 });

export interface YearRates {
  firstMonthBp: number;
  afterBp: number;
}

const FIRST_INDEXED_YEAR = 1900;
const LAST_INDEXED_YEAR = 2200;
const firstByYear = new Int32Array(LAST_INDEXED_YEAR - FIRST_INDEXED_YEAR + 1);
const afterByYear = new Int32Array(LAST_INDEXED_YEAR - FIRST_INDEXED_YEAR + 1);

function lookup(year: number): YearRates {
  const first = ENTAIKIN_RATE_TABLE[0];
  if (first === undefined || year < first.fromYear) return HONSOKU_RATES;
  for (const row of ENTAIKIN_RATE_TABLE) {
    if (year >= row.fromYear && (row.toYear === null || year <= row.toYear)) {
      return row;
    }
  }
  const last = ENTAIKIN_RATE_TABLE[ENTAIKIN_RATE_TABLE.length - 1] as EntaikinRateRow;
  return last;
}

for (let y = FIRST_INDEXED_YEAR; y <= LAST_INDEXED_YEAR; y++) {
  const r = lookup(y);
  firstByYear[y - FIRST_INDEXED_YEAR] = r.firstMonthBp;
  afterByYear[y - FIRST_INDEXED_YEAR] = r.afterBp;
}

/** Rates (basis points) in force during calendar year `year`. */
export function ratesForYear(year: number): YearRates {
  if (year >= FIRST_INDEXED_YEAR && year <= LAST_INDEXED_YEAR) {
    const i = year - FIRST_INDEXED_YEAR;
    return { firstMonthBp: firstByYear[i] as number, afterBp: afterByYear[i] as number };
  }
  return lookup(year);
}

/** Fast path: first-month (`first` true) or afterwards rate in basis points for a year. */
export function rateBpForYear(year: number, first: boolean): number {
  if (year >= FIRST_INDEXED_YEAR && year <= LAST_INDEXED_YEAR) {
    const i = year - FIRST_INDEXED_YEAR;
    return (first ? firstByYear[i] : afterByYear[i]) as number;
  }
  const r = lookup(year);
  return first ? r.firstMonthBp : r.afterBp;
}
