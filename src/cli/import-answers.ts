/** `sashiosae import answers FILE` (cli.md): validate an inquiry answer against its inquiry file and store it, all or nothing. */
import type { Command } from 'commander';
import { t } from '../core/i18n.js';
import { answersJson, answersSummaryLines, importAnswers } from '../steps/import-answers/index.js';
import { say } from './context.js';
import { registerFileImport } from './import.js';

export function register(program: Command): void {
  registerFileImport(program, {
    name: 'answers',
    description: '銀行の照会回答を検証して取り込む（全件か無し）/ validate an inquiry answer against its inquiry file and store it (all or nothing)',
    argument: '照会回答ファイル / answer file',
    run: importAnswers,
    json: answersJson,
    human: (g, s) => answersSummaryLines(s).forEach((m) => say(g, t(m))),
  });
}
