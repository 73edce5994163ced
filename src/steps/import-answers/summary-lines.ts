/** An imported answer file's summary in words, line by line (the CLI prints them, the web application's result page shows them). */
import type { Msg } from '../../core/i18n.js';
import { count } from '../../core/table.js';
import { yen } from '../../core/yen.js';
import { answerLabel, batchStateMsg } from '../../domain/vocabulary.js';
import type { ImportAnswersSummary } from './import-answers.js';

const signedYen = (v: number): string => (v < 0 ? `−${yen(-v)}` : yen(v));

export function answersSummaryLines(s: ImportAnswersSummary): Msg[] {
  const out: Msg[] = [{
    ja: `照会回答を取り込みました（取込ID ${s.importId}）: バッチ ${s.batchId}、照会ファイル番号 ${s.fileNumber}、照会 ${s.inquiries.toLocaleString('ja-JP')} 件`,
    en: `inquiry answer imported (import ${s.importId}): batch ${s.batchId}, file number ${s.fileNumber}, ${count(s.inquiries)} inquiries`,
  }];
  for (const code of ['1', '2', '3', '4'] as const) {
    const label = answerLabel(code);
    out.push({ ja: `  回答区分 ${code} ${label.ja}: ${s.answers[code].toLocaleString('ja-JP')} 件`, en: `  answer ${code} ${label.en}: ${count(s.answers[code])}` });
  }
  out.push({
    ja: `  判明した口座 ${s.accounts.toLocaleString('ja-JP')} 件、取引明細 ${s.details.toLocaleString('ja-JP')} 件、残高合計 ${signedYen(s.balanceTotal)}`,
    en: `  accounts found ${count(s.accounts)}, transactions ${count(s.details)}, balance total ${signedYen(s.balanceTotal)}`,
  });
  const paper = s.answers['3'];
  if (paper + s.answers['4'] > 0) {
    out.push({
      ja: `  要対応: 書面回答待ち ${paper.toLocaleString('ja-JP')} 件、照会不備 ${s.answers['4'].toLocaleString('ja-JP')} 件（sashiosae report ${s.batchId} で宛名番号を確認）`,
      en: `  follow-up: paper answers to come ${count(paper)}, defective inquiries ${count(s.answers['4'])} (see sashiosae report ${s.batchId} for the 宛名番号)`,
    });
  }
  out.push(s.batchState === 'answered'
    ? { ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（全ファイルの回答が揃いました）。次は sashiosae extract`, en: `  batch state: ${batchStateMsg(s.batchState).en} (all files answered). Next: sashiosae extract` }
    : { ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（回答がまだのファイルがあります）`, en: `  batch state: ${batchStateMsg(s.batchState).en} (some files still without answers)` });
  return out;
}
