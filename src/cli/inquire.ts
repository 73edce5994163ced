/**
 * `inquire --date D [--bank CODE]… [--history-days N] [--reinquire-after DAYS] [--dry-run]
 * [--exclusions FILE]` (cli.md; inquiry-300.md "Writing a request"): parses the options and
 * calls the inquire step.
 */
import type { Command } from 'commander';
import { usageError } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { count } from '../core/table.js';
import { INQUIRE_REASON_LABELS, REASON_LABELS, type ExclusionReason } from '../domain/eligibility.js';
import { inquire, type InquireResult } from '../steps/inquire/index.js';
import { globals, printJson, say, type GlobalOpts } from './context.js';
import { runSelection } from './selection-run.js';

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function wholeDays(flag: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (!/^\d+$/.test(s)) {
    throw usageError('inquire.days', { ja: `${flag} は0以上の整数（日数）で指定してください（${s}）。`, en: `${flag} must be a whole number of days, 0 or more (${s}).` });
  }
  return Number(s);
}

export function register(program: Command): void {
  program
    .command('inquire')
    .description('預金照会: 金融機関ごとに照会バッチを作る (deposit inquiry: one inquiry batch per bank)')
    .requiredOption('--date <date>', '照会基準日 YYYY-MM-DD（今日以降の営業日）/ inquiry base date (a business day, not before today)')
    .option('--bank <code>', '金融機関コード（複数可、既定は設定のある全金融機関）/ bank code (repeatable; default every bank with settings)', collect, [] as string[])
    .option('--history-days <n>', '取引明細の日数（既定 90、0 で明細なし）/ days of transaction history (default 90; 0 = none)')
    .option('--reinquire-after <days>', 'この日数以内に照会済みの金融機関には照会しない（既定 30）/ skip a bank asked within this many days (default 30)')
    .option('--dry-run', '計算して表示するだけで保存しない / compute and report, store nothing')
    .option('--exclusions <file>', '対象外とした宛名番号と理由を CSV に書き出す（既存のファイルには書かない）/ write the excluded 宛名番号 and reasons as CSV (never over an existing file)')
    .action((o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const historyDays = wholeDays('--history-days', o['historyDays']);
      const reinquireAfter = wholeDays('--reinquire-after', o['reinquireAfter']);
      runSelection(
        g,
        {
          exclusions: typeof o['exclusions'] === 'string' ? o['exclusions'] : undefined,
          labels: INQUIRE_REASON_LABELS,
          progress: (done, total) => ({ ja: `照会対象を抽出中… ${done} / ${total} 人`, en: `selecting… ${done} / ${total} taxpayers` }),
        },
        (db, hooks) =>
          inquire(db, {
            date: String(o['date']),
            banks: o['bank'] as string[],
            ...(historyDays !== undefined ? { historyDays } : {}),
            ...(reinquireAfter !== undefined ? { reinquireAfter } : {}),
            dryRun: o['dryRun'] === true,
            ...(g.operator !== undefined ? { operator: g.operator } : {}),
            ...hooks,
          }),
        (r) => {
          if (g.json) {
            printJson({
              run: r.run,
              date: r.date,
              historyFrom: r.historyFrom,
              batches: r.batches.map((b) => ({ id: b.id, bankCode: b.bankCode, fileNumbers: b.fileNumbers, inquiries: b.inquiries })),
              excluded: r.excluded,
              skipped: r.skipped,
              substituted: r.substituted,
            });
          } else printHuman(g, r);
        },
      );
    });
}

function printHuman(g: GlobalOpts, r: InquireResult): void {
  const history = r.historyFrom === null ? t({ ja: '取引明細なし', en: 'no transaction history' }) : t({ ja: `取引明細 ${r.historyFrom}〜`, en: `history from ${r.historyFrom}` });
  say(g, t(r.dryRun
    ? { ja: `【試算のみ（--dry-run）: 何も保存していません】照会 第${r.run}回 照会基準日 ${r.date}（${history}）`, en: `[dry run: nothing stored] inquiry run ${r.run}, base date ${r.date} (${history})` }
    : { ja: `照会バッチを作成しました（照会 第${r.run}回）照会基準日 ${r.date}（${history}）`, en: `inquiry batches created (run ${r.run}), base date ${r.date} (${history})` }));
  if (r.batches.length === 0) say(g, t({ ja: '作成したバッチはありません。', en: 'no batch created.' }));
  for (const b of r.batches) {
    const first = b.fileNumbers[0] as number;
    const last = b.fileNumbers[b.fileNumbers.length - 1] as number;
    const files = b.fileNumbers.length > 1 ? `${first}〜${last}（${b.fileNumbers.length}ファイル）` : String(first);
    const filesEn = b.fileNumbers.length > 1 ? `${first}–${last} (${b.fileNumbers.length} files)` : String(first);
    say(g, t({ ja: `  バッチ ${b.id}  金融機関 ${b.bankCode}  ファイル番号 ${files}  照会 ${count(b.inquiries)}件`, en: `  batch ${b.id}  bank ${b.bankCode}  file ${filesEn}  inquiries ${count(b.inquiries)}` }));
  }
  const ex = Object.entries(r.excluded);
  if (ex.length > 0) {
    say(g, t({ ja: '対象外（理由別）:', en: 'excluded (by reason):' }));
    for (const [k, n] of ex) say(g, `  ${t(INQUIRE_REASON_LABELS[k as ExclusionReason] ?? REASON_LABELS[k as ExclusionReason])} [${k}]: ${count(n)}`);
  }
  const skipped = r.skipped['recently-inquired'];
  if (skipped > 0) {
    say(g, t({ ja: `照会しなかった金融機関（最近照会済み）[recently-inquired]: ${count(skipped)} 件（人×金融機関）`, en: `skipped (recently inquired) [recently-inquired]: ${count(skipped)} (taxpayer × bank)` }));
  }
  const s = r.substituted;
  if (s.gaiji + s.nameShortened + s.addressShortened > 0) {
    say(g, t({
      ja: `書き換え（照会レコード・項目ごと）: 外字を〓に ${count(s.gaiji)}件・氏名の切り詰め ${count(s.nameShortened)}件・住所の切り詰め ${count(s.addressShortened)}件`,
      en: `substituted (per inquiry record and field): 外字 as 〓 ${count(s.gaiji)}, name shortened ${count(s.nameShortened)}, address shortened ${count(s.addressShortened)}`,
    }));
  }
  if (!r.dryRun && r.batches.length > 0) {
    say(g, t({ ja: `次の手順: sashiosae write ${r.batches.map((b) => b.id).join(' ')} --media <USBのフォルダ>`, en: `next: sashiosae write ${r.batches.map((b) => b.id).join(' ')} --media <USB folder>` }));
  }
}
