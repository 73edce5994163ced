/**
 * Refusing a date on the command line that is not a bank business day (exit 2), naming
 * why: the rule `extract --date`, `inquire --date` (and `instruct --date`) share.
 */
import { isValidIso } from '../core/dates.js';
import { usageError, type ErrorCode } from '../core/errors.js';
import type { Msg } from '../core/i18n.js';
import { holidayName, isBusinessDay } from './calendar.js';

const WEEKDAYS: Msg[] = [
  { ja: '日曜日', en: 'Sunday' },
  { ja: '月曜日', en: 'Monday' },
  { ja: '火曜日', en: 'Tuesday' },
  { ja: '水曜日', en: 'Wednesday' },
  { ja: '木曜日', en: 'Thursday' },
  { ja: '金曜日', en: 'Friday' },
  { ja: '土曜日', en: 'Saturday' },
];

/**
 * Throws exit 2 when `date` is not a real YYYY-MM-DD date (`codes.invalid`) or not a bank
 * business day (`codes.notBusinessDay`: a Saturday/Sunday, a national holiday by name,
 * the year-end bank holidays 12/31–1/3). `what` names the date (処理日, 照会基準日).
 */
export function requireBusinessDay(date: string, what: Msg, codes: { invalid: ErrorCode; notBusinessDay: ErrorCode }): void {
  if (!isValidIso(date)) {
    throw usageError(codes.invalid, {
      ja: `${what.ja} ${JSON.stringify(date)} は YYYY-MM-DD 形式の実在する日付ではありません。--date 2026-12-01 のように指定してください。`,
      en: `${what.en} ${JSON.stringify(date)} is not a real YYYY-MM-DD date; give e.g. --date 2026-12-01.`,
    });
  }
  if (isBusinessDay(date)) return;
  const hol = holidayName(date);
  const [m, d] = [Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const dow = WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()] as Msg;
  const why: Msg =
    hol !== null
      ? { ja: `祝日（${hol}）`, en: `a national holiday (${hol})` }
      : (m === 12 && d === 31) || (m === 1 && d <= 3)
        ? { ja: '年末年始の休業日（12/31〜1/3）', en: 'a year-end bank holiday (12/31–1/3)' }
        : { ja: dow.ja, en: `a ${dow.en}` };
  throw usageError(codes.notBusinessDay, {
    ja: `${what.ja} ${date} は金融機関の営業日ではありません（${why.ja}）。営業日を指定してください。`,
    en: `${what.en} ${date} is not a bank business day (${why.en}); choose a business day.`,
  });
}
