import type { Command } from 'commander';
import { formatTable } from '../core/table.js';
import { usageError } from '../core/errors.js';
import { getLang, t } from '../core/i18n.js';
import { parseDate } from '../core/dates.js';
import { computeEntaikin, firstMonthEnd, type PrincipalPayment } from '../domain/entaikin.js';
import { globals, printJson, say } from './context.js';
import { warnUnstatedRateYear } from './rate-year-warning.js';

/**
 * `sashiosae entaikin --principal YEN --due D --paid D [--payment D:YEN ...] [--json]`
 * 延滞金 for one debt (domain.md "延滞金"): the amount and its segment table.
 */
export function register(program: Command): void {
  program
    .command('entaikin')
    .description('延滞金を計算する (late-payment charge for one debt)')
    .requiredOption('--principal <yen>', '本税額 (円) / principal in yen')
    .requiredOption('--due <date>', '納期限 YYYY-MM-DD / due date')
    .requiredOption('--paid <date>', '納付日 (この日まで数える) YYYY-MM-DD / payment date (last day counted)')
    .option(
      '--payment <date:yen>',
      '本税の一部納付 (複数可) 例 2021-08-31:30000 / partial payment of principal (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .action((opts: { principal: string; due: string; paid: string; payment: string[] }, cmd: Command) => {
      const g = globals(cmd);
      const principal = parseYen(opts.principal, '--principal');
      const dueDate = parseIsoOption(opts.due, '--due');
      const to = parseIsoOption(opts.paid, '--paid');
      const payments = opts.payment.map(parsePayment);

      const r = computeEntaikin({ principal, dueDate, to, payments });
      if (r.segments.length > 0) warnUnstatedRateYear([to]);
      if (g.json) {
        printJson({
          entaikin: r.entaikin,
          base: r.base,
          segments: r.segments.map((s) => ({ from: s.from, to: s.to, days: s.days, ratePercent: s.rateBp / 100, amount: s.amount })),
        });
        return;
      }
      const yen = (n: number) => n.toLocaleString('en-US');
      say(g, t({ ja: `延滞金: ${yen(r.entaikin)}円`, en: `Entaikin (late charge): ¥${yen(r.entaikin)}` }));
      say(
        g,
        t({
          ja: `本税 ${yen(principal)}円(計算の基礎 ${yen(r.base)}円)、納期限 ${dueDate}、納付日 ${to}、最初の1か月は ${firstMonthEnd(dueDate)} まで`,
          en: `principal ¥${yen(principal)} (base ¥${yen(r.base)}), due ${dueDate}, paid ${to}, first month ends ${firstMonthEnd(dueDate)}`,
        }),
      );
      if (r.segments.length === 0) {
        say(
          g,
          t(
            to <= dueDate
              ? { ja: '納付日が納期限以前のため、延滞金はかかりません。', en: 'Paid on or before the due date: no late charge.' }
              : { ja: '本税が2,000円未満のため、延滞金はかかりません。', en: 'Principal under ¥2,000: no late charge.' },
          ),
        );
        return;
      }
      const header = getLang() === 'ja' ? ['期間', '日数', '基礎額', '割合', '金額'] : ['period', 'days', 'base', 'rate', 'amount'];
      const rows = r.segments.map((s) => [`${s.from} – ${s.to}`, String(s.days), yen(s.base), `${(s.rateBp / 100).toFixed(1)}%`, yen(s.amount)]);
      for (const line of formatTable([header, ...rows], ['left', 'right', 'right', 'right', 'right'])) say(g, line);
      const rule = r.rawTotal < 1000
        ? { ja: `合計 ${yen(r.rawTotal)}円 → 1,000円未満のため 0円`, en: `total ¥${yen(r.rawTotal)} → under ¥1,000, so ¥0` }
        : { ja: `合計 ${yen(r.rawTotal)}円 → 100円未満切捨て ${yen(r.entaikin)}円`, en: `total ¥${yen(r.rawTotal)} → floored to ¥100: ¥${yen(r.entaikin)}` };
      say(g, t(rule));
    });
}

function parseYen(raw: string, option: string): number {
  const s = raw.trim();
  if (!/^(\d+|\d{1,3}(,\d{3})+)$/.test(s)) {
    throw usageError(
      'entaikin.bad-amount',
      {
        ja: `${option} の金額「${raw}」が読めません。円単位の整数で指定してください(例 65000)。`,
        en: `${option}: cannot read the amount "${raw}". Give whole yen, e.g. 65000.`,
      },
      { field: option },
    );
  }
  const n = Number(s.replaceAll(',', ''));
  if (!Number.isSafeInteger(n)) {
    throw usageError('entaikin.bad-amount', { ja: `${option} の金額「${raw}」が大きすぎます。`, en: `${option}: the amount "${raw}" is too large.` }, { field: option });
  }
  return n;
}

function parseIsoOption(raw: string, option: string): string {
  const iso = parseDate(raw);
  if (iso === null) {
    throw usageError(
      'entaikin.bad-date',
      {
        ja: `${option} の日付「${raw}」が正しくありません。実在する日付を YYYY-MM-DD で指定してください(例 2021-05-31)。`,
        en: `${option}: "${raw}" is not a valid date. Give a real date as YYYY-MM-DD, e.g. 2021-05-31.`,
      },
      { field: option },
    );
  }
  return iso;
}

function parsePayment(raw: string): PrincipalPayment {
  const i = raw.lastIndexOf(':');
  if (i < 0) {
    throw usageError(
      'entaikin.bad-payment',
      {
        ja: `--payment「${raw}」は 日付:金額 の形で指定してください(例 2021-08-31:30000)。`,
        en: `--payment "${raw}": write it as DATE:YEN, e.g. 2021-08-31:30000.`,
      },
      { field: '--payment' },
    );
  }
  return { date: parseIsoOption(raw.slice(0, i), '--payment'), honzei: parseYen(raw.slice(i + 1), '--payment') };
}
