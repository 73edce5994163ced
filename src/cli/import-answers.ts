/** `sashiosae import answers FILE` (cli.md): validate an inquiry answer against its inquiry file and store it, all or nothing. */
import type { Command } from 'commander';
import { count } from '../core/table.js';
import { t } from '../core/i18n.js';
import { yen } from '../core/yen.js';
import { answerLabel, batchStateMsg } from '../domain/vocabulary.js';
import { answersJson, importAnswers, type ImportAnswersSummary } from '../steps/import-answers/index.js';
import { say, type GlobalOpts } from './context.js';
import { registerFileImport } from './import.js';

const signedYen = (v: number): string => (v < 0 ? `−${yen(-v)}` : yen(v));

function printHuman(g: GlobalOpts, s: ImportAnswersSummary): void {
  say(g, t({
    ja: `照会回答を取り込みました（取込ID ${s.importId}）: バッチ ${s.batchId}、照会ファイル番号 ${s.fileNumber}、照会 ${s.inquiries.toLocaleString('ja-JP')} 件`,
    en: `inquiry answer imported (import ${s.importId}): batch ${s.batchId}, file number ${s.fileNumber}, ${count(s.inquiries)} inquiries`,
  }));
  for (const code of ['1', '2', '3', '4'] as const) {
    const label = answerLabel(code);
    say(g, t({ ja: `  回答区分 ${code} ${label.ja}: ${s.answers[code].toLocaleString('ja-JP')} 件`, en: `  answer ${code} ${label.en}: ${count(s.answers[code])}` }));
  }
  say(g, t({
    ja: `  判明した口座 ${s.accounts.toLocaleString('ja-JP')} 件、取引明細 ${s.details.toLocaleString('ja-JP')} 件、残高合計 ${signedYen(s.balanceTotal)}`,
    en: `  accounts found ${count(s.accounts)}, transactions ${count(s.details)}, balance total ${signedYen(s.balanceTotal)}`,
  }));
  const paper = s.answers['3'];
  if (paper + s.answers['4'] > 0) {
    say(g, t({
      ja: `  要対応: 書面回答待ち ${paper.toLocaleString('ja-JP')} 件、照会不備 ${s.answers['4'].toLocaleString('ja-JP')} 件（sashiosae report ${s.batchId} で宛名番号を確認）`,
      en: `  follow-up: paper answers to come ${count(paper)}, defective inquiries ${count(s.answers['4'])} (see sashiosae report ${s.batchId} for the 宛名番号)`,
    }));
  }
  say(g, s.batchState === 'answered'
    ? t({ ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（全ファイルの回答が揃いました）。次は sashiosae extract`, en: `  batch state: ${batchStateMsg(s.batchState).en} (all files answered). Next: sashiosae extract` })
    : t({ ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（回答がまだのファイルがあります）`, en: `  batch state: ${batchStateMsg(s.batchState).en} (some files still without answers)` }));
}

export function register(program: Command): void {
  registerFileImport(program, {
    name: 'answers',
    description: '銀行の照会回答を検証して取り込む（全件か無し）/ validate an inquiry answer against its inquiry file and store it (all or nothing)',
    argument: '照会回答ファイル / answer file',
    run: importAnswers,
    json: answersJson,
    human: printHuman,
  });
}
