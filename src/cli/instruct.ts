/**
 * `instruct BATCH --date D [--collect REQ-SUB=YEN]… [--dry-run] [--json]` (cli.md;
 * instruction-120.md "Writing instructions"): parses the options and calls the instruct step.
 */
import type { Command } from 'commander';
import { t } from '../core/i18n.js';
import { count } from '../core/table.js';
import { yen } from '../core/yen.js';
import { openDb } from '../db/connection.js';
import { instruct } from '../steps/instruct/index.js';
import { globals, printJson, say } from './context.js';

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

export function register(program: Command): void {
  program
    .command('instruct')
    .description('取立・解除指示バッチを作る（取立保留の差押バッチ）(instruction batch: collect or release the holds of a deferred seizure batch)')
    .argument('<batch>', '取立保留の差押バッチID / deferred seizure batch id')
    .requiredOption('--date <date>', '指示日 YYYY-MM-DD（差押執行日以降・今日以降の営業日）/ instruction date (a business day, not before the execution date nor today)')
    .option('--collect <req-sub=yen>', '1口座の取立指示額を指定（例 101-01=5000、0 で全額解除、複数可）/ override one account (e.g. 101-01=5000; 0 releases it; repeatable)', collect, [] as string[])
    .option('--dry-run', '計算して表示するだけで保存しない / compute and report, store nothing')
    .action((batch: string, o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const r = instruct(db, batch, {
          date: String(o['date']),
          collect: o['collect'] as string[],
          dryRun: o['dryRun'] === true,
          ...(g.operator !== undefined ? { operator: g.operator } : {}),
        });
        if (g.json) {
          printJson({
            batch: r.batch,
            seizureBatch: r.seizureBatch,
            files: r.files.map((f) => ({ fileNumber: f.fileNumber, records: f.records })),
            seizedTotal: r.seizedTotal,
            collectTotal: r.collectTotal,
            releaseTotal: r.releaseTotal,
          });
          return;
        }
        say(g, t(r.dryRun
          ? { ja: `【試算のみ（--dry-run）: 何も保存していません】取立指示 ${r.batch}（差押バッチ ${r.seizureBatch}、指示日 ${r.date}）`, en: `[dry run: nothing stored] instruction ${r.batch} (seizure batch ${r.seizureBatch}, instruction date ${r.date})` }
          : { ja: `取立指示バッチ ${r.batch} を作成しました（差押バッチ ${r.seizureBatch}、指示日 ${r.date}）`, en: `instruction batch ${r.batch} created (seizure batch ${r.seizureBatch}, instruction date ${r.date})` }));
        for (const f of r.files) {
          say(g, t({ ja: `  指示ファイル番号 ${f.fileNumber}（差押依頼ファイル ${f.seizureFileNumber}）: ${count(f.records)}件`, en: `  file ${f.fileNumber} (seizure file ${f.seizureFileNumber}): ${count(f.records)} records` }));
        }
        say(g, t({
          ja: `  口座 ${count(r.records)}件（依頼 ${count(r.requests)}件）差押金額 ${yen(r.seizedTotal)}、取立指示額 ${yen(r.collectTotal)}、解除額 ${yen(r.releaseTotal)}（解除 ${count(r.releases)}件）`,
          en: `  ${count(r.records)} accounts (${count(r.requests)} requests): seized ${yen(r.seizedTotal)}, collect ${yen(r.collectTotal)}, release ${yen(r.releaseTotal)} (${count(r.releases)} releases)`,
        }));
        for (const x of r.overrides) {
          say(g, t({ ja: `  指定 ${x.record}: 提案 ${yen(x.proposal)} → 取立指示額 ${yen(x.collect)}`, en: `  override ${x.record}: proposal ${yen(x.proposal)} → collect ${yen(x.collect)}` }));
        }
        if (!r.dryRun) say(g, t({ ja: `次の手順: sashiosae write ${r.batch} --media <USBのフォルダ>`, en: `next: sashiosae write ${r.batch} --media <USB folder>` }));
      } finally {
        db.close();
      }
    });
}
