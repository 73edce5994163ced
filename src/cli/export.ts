import type { Command } from 'commander';
import { count } from '../core/table.js';
import { t } from '../core/i18n.js';
import { exportReceipts } from '../steps/export-receipts/index.js';
import { openDb } from '../db/connection.js';
import { globals, printJson, say } from './context.js';
import { yen } from '../core/yen.js';

/** `sashiosae export receipts BATCH --out F [--encoding utf8bom|cp932] [--json]` (cli.md). */
export function register(program: Command): void {
  const exp = program.command('export').description('基幹システム向けの出力 (exports for the core system)');
  exp
    .command('receipts')
    .description('消込済バッチの収納データを CSV で出力する (receipts CSV for the core tax system)')
    .argument('<batch>', 'バッチID / batch id')
    .requiredOption('--out <file>', '出力ファイル（既存なら中止） / output file (must not exist)')
    .option('--encoding <enc>', 'utf8bom | cp932', 'utf8bom')
    .action((batchId: string, opts: { out: string; encoding: string }, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const r = exportReceipts(db, batchId, opts.out, { encoding: opts.encoding, ...(g.operator ? { operator: g.operator } : {}) });
        if (g.json) printJson(r);
        say(
          g,
          t({
            ja: `収納データ ${count(r.receipts)} 件を書き出しました: ${r.path}（本税 ${yen(r.honzei)}・延滞金 ${yen(r.entaikin)}・督促手数料 ${yen(r.fee)}、${r.encoding}）`,
            en: `Exported ${count(r.receipts)} receipts to ${r.path} (principal ${yen(r.honzei)}, late charge ${yen(r.entaikin)}, fee ${yen(r.fee)}, ${r.encoding})`,
          }),
        );
        if (r.alreadyExported > 0) {
          say(
            g,
            t({
              ja: `注意: このうち ${count(r.alreadyExported)} 件は以前にも出力済みです。基幹システムへの二重取込に注意してください`,
              en: `Warning: ${count(r.alreadyExported)} of them were exported before. Do not load them twice into the core system`,
            }),
          );
        }
      } finally {
        db.close();
      }
    });
}
