import type { Command } from 'commander';
import { count } from '../core/table.js';
import { t } from '../core/i18n.js';
import { exportReceipts, exportReceiptsXlsx } from '../steps/export-receipts/index.js';
import { usageError } from '../core/errors.js';
import { refuseExisting } from '../core/output-file.js';
import { openDb } from '../db/connection.js';
import { globals, printJson, say } from './context.js';
import { yen } from '../core/yen.js';

/** `sashiosae export receipts BATCH --out F [--xlsx F] [--encoding utf8bom|cp932] [--json]` (cli.md; --xlsx: ADR 0175, either or both). */
export function register(program: Command): void {
  const exp = program.command('export').description('基幹システム向けの出力 (exports for the core system)');
  exp
    .command('receipts')
    .description('消込済バッチの収納データを CSV で出力する (receipts CSV for the core tax system)')
    .argument('<batch>', 'バッチID / batch id')
    .option('--out <file>', '出力ファイル（CSV、既存なら中止） / output CSV file (must not exist)')
    .option('--xlsx <file>', '同じ行の Excel ブック（既存なら中止） / the same rows as a workbook (must not exist)')
    .option('--encoding <enc>', 'utf8bom | cp932', 'utf8bom')
    .action(async (batchId: string, opts: { out?: string; xlsx?: string; encoding: string }, cmd: Command) => {
      const g = globals(cmd);
      if (opts.out === undefined && opts.xlsx === undefined) {
        throw usageError('export.no-output', {
          ja: '出力先を --out（CSV）か --xlsx（Excel）、または両方で指定してください',
          en: 'Name the output with --out (CSV), --xlsx (workbook) or both',
        });
      }
      const db = openDb(g.db, { mustExist: true });
      const operator = g.operator ? { operator: g.operator } : {};
      try {
        if (opts.xlsx !== undefined) refuseExisting(opts.xlsx);
        if (opts.out === undefined) {
          const x = await exportReceiptsXlsx(db, batchId, opts.xlsx as string, operator);
          if (g.json) printJson(x);
          say(
            g,
            t({
              ja: `収納データ ${count(x.receipts)} 件を Excel ブックに書き出しました: ${x.path}（本税 ${yen(x.honzei)}・延滞金 ${yen(x.entaikin)}・督促手数料 ${yen(x.fee)}）`,
              en: `Wrote ${count(x.receipts)} receipts to the workbook ${x.path} (principal ${yen(x.honzei)}, late charge ${yen(x.entaikin)}, fee ${yen(x.fee)})`,
            }),
          );
          return;
        }
        const r = exportReceipts(db, batchId, opts.out, { encoding: opts.encoding, ...operator });
        const x = opts.xlsx === undefined ? undefined : await exportReceiptsXlsx(db, batchId, opts.xlsx, operator);
        if (g.json) printJson(x === undefined ? r : { ...r, xlsx: x.path });
        say(
          g,
          t({
            ja: `収納データ ${count(r.receipts)} 件を書き出しました: ${r.path}（本税 ${yen(r.honzei)}・延滞金 ${yen(r.entaikin)}・督促手数料 ${yen(r.fee)}、${r.encoding}）`,
            en: `Exported ${count(r.receipts)} receipts to ${r.path} (principal ${yen(r.honzei)}, late charge ${yen(r.entaikin)}, fee ${yen(r.fee)}, ${r.encoding})`,
          }),
        );
        if (x !== undefined) say(g, t({ ja: `同じ行を Excel ブックに書き出しました: ${x.path}`, en: `The same rows written to the workbook ${x.path}` }));
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
