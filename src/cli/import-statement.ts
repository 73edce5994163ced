/** `sashiosae import statement FILE` (cli.md, statement-03.md): load a Zengin 入出金取引明細, then match deposits. */
import type { Command } from 'commander';
import { t } from '../core/i18n.js';
import { importStatement, statementSummaryLines } from '../steps/import-statement/index.js';
import { say } from './context.js';
import { registerFileImport } from './import.js';


export function register(program: Command): void {
  registerFileImport(program, {
    name: 'statement',
    description: '入出金取引明細（全銀 種別03）を取り込む / load a Zengin bank statement (種別コード 03)',
    argument: '入出金取引明細ファイル / statement file',
    run: importStatement,
    json: (s) => ({
      import: s.importId,
      entries: s.entries,
      known: s.known,
      accounts: s.accounts,
      matches: s.matches.map((m) => ({ batch: m.batchId, dates: m.matches })),
    }),
    human: (g, s) => statementSummaryLines(s).forEach((m) => say(g, t(m))),
  });
}
