/** `sashiosae import results FILE` (cli.md): validate a result file against its batch and store it, all or nothing. */
import type { Command } from 'commander';
import { t } from '../core/i18n.js';
import { importResults, resultsJson, resultsSummaryLines } from '../steps/import-results/index.js';
import { say } from './context.js';
import { registerFileImport } from './import.js';

export function register(program: Command): void {
  registerFileImport(program, {
    name: 'results',
    description: '銀行の結果ファイルを検証して取り込む（全件か無し）/ validate a result file against its batch and store it (all or nothing)',
    argument: '結果ファイル / result file',
    run: importResults,
    json: resultsJson,
    human: (g, s) => resultsSummaryLines(s).forEach((m) => say(g, t(m))),
  });
}
