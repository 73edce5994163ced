/** `sashiosae import results FILE` (cli.md): validate a result file against its batch and store it, all or nothing. */
import type { Command } from 'commander';
import { count } from '../core/table.js';
import { t } from '../core/i18n.js';
import { importResults, resultsJson, type ImportResultsSummary } from '../steps/import-results/index.js';
import { resultLabel } from '../domain/vocabulary.js';
import { say, type GlobalOpts } from './context.js';
import { registerFileImport } from './import.js';
import { yen } from '../core/yen.js';
import { batchStateMsg } from '../domain/vocabulary.js';


/** An instruction result (種別コード 63): collected and released, and what stays held. */
function printInstruction(g: GlobalOpts, s: ImportResultsSummary, i: { seizureBatch: string; released: number }): void {
  const done = s.results['01'];
  const notDone = s.results['99'];
  say(g, t({
    ja: `取立・解除指示の結果を取り込みました（取込ID ${s.importId}）: 指示バッチ ${s.batchId}（差押バッチ ${i.seizureBatch}）、指示ファイル番号 ${s.fileNumber}、${s.records.toLocaleString('ja-JP')} 件`,
    en: `instruction result imported (import ${s.importId}): instruction batch ${s.batchId} (seizure batch ${i.seizureBatch}), file number ${s.fileNumber}, ${count(s.records)} records`,
  }));
  say(g, t({
    ja: `  01 処理済: ${(done?.records ?? 0).toLocaleString('ja-JP')} 件、取立 ${yen(s.collected)}、解除 ${yen(i.released)}`,
    en: `  01 done: ${count(done?.records ?? 0)}, collected ${yen(s.collected)}, released ${yen(i.released)}`,
  }));
  if (notDone) {
    say(g, t({
      ja: `  99 未処理: ${notDone.records.toLocaleString('ja-JP')} 件（取立保留のまま。次の instruct で再指示）`,
      en: `  99 not done: ${count(notDone.records)} (still held; instructed again by the next instruct)`,
    }));
  }
  say(g, notDone
    ? t({ ja: `  指示バッチの状態: ${batchStateMsg(s.batchState).ja}。次は sashiosae instruct ${i.seizureBatch} --date <指示日> で未処理の口座を再指示`, en: `  instruction batch state: ${batchStateMsg(s.batchState).en}. Next: sashiosae instruct ${i.seizureBatch} --date <instruction date> for the accounts not done` })
    : t({ ja: `  指示バッチの状態: ${batchStateMsg(s.batchState).ja}。次は sashiosae reconcile ${i.seizureBatch}（保留がすべて解消後。sashiosae holds ${i.seizureBatch} で確認）`, en: `  instruction batch state: ${batchStateMsg(s.batchState).en}. Next: sashiosae reconcile ${i.seizureBatch} (once every hold is resolved; see sashiosae holds ${i.seizureBatch})` }));
}

function printHuman(g: GlobalOpts, s: ImportResultsSummary): void {
  if (s.instruction) {
    printInstruction(g, s, s.instruction);
    return;
  }
  say(g, t({
    ja: `結果ファイルを取り込みました（取込ID ${s.importId}）: バッチ ${s.batchId}、依頼ファイル番号 ${s.fileNumber}、${s.records.toLocaleString('ja-JP')} 件`,
    en: `result file imported (import ${s.importId}): batch ${s.batchId}, file number ${s.fileNumber}, ${count(s.records)} records`,
  }));
  for (const [code, v] of Object.entries(s.results).sort(([a], [b]) => a.localeCompare(b))) {
    const label = resultLabel(code);
    say(g, t({
      ja: `  ${code} ${label.ja}: ${v.records.toLocaleString('ja-JP')} 件${v.seized > 0 ? `、差押 ${yen(v.seized)}、取立 ${yen(v.collected)}` : ''}`,
      en: `  ${code} ${label.en}: ${count(v.records)}${v.seized > 0 ? `, seized ${yen(v.seized)}, collected ${yen(v.collected)}` : ''}`,
    }));
  }
  say(g, t({ ja: `  差押金額合計 ${yen(s.seized)}、取立金額合計 ${yen(s.collected)}`, en: `  seized total ${yen(s.seized)}, collected total ${yen(s.collected)}` }));
  if (s.collectionMode === 'deferred') {
    say(g, t({ ja: '  取立保留のため、差押は成立していますが取立はまだです（差押済・未取立として記録）', en: '  deferred collection: seized but not yet collected (stored as seized, not collected)' }));
  }
  say(g, s.batchState === 'results-imported' && s.collectionMode === 'deferred'
    ? t({ ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（全ファイルの結果が揃いました）。次は sashiosae holds ${s.batchId} で保留を確かめ、sashiosae instruct ${s.batchId} --date <指示日> で取立・解除を指示`, en: `  batch state: ${batchStateMsg(s.batchState).en} (all files in). Next: sashiosae holds ${s.batchId} to see the holds, then sashiosae instruct ${s.batchId} --date <instruction date> to collect or release` })
    : s.batchState === 'results-imported'
    ? t({ ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（全ファイルの結果が揃いました）。次は sashiosae reconcile ${s.batchId}`, en: `  batch state: ${batchStateMsg(s.batchState).en} (all files in). Next: sashiosae reconcile ${s.batchId}` })
    : t({ ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（結果がまだのファイルがあります）`, en: `  batch state: ${batchStateMsg(s.batchState).en} (some files still without results)` }));
}

export function register(program: Command): void {
  registerFileImport(program, {
    name: 'results',
    description: '銀行の結果ファイルを検証して取り込む（全件か無し）/ validate a result file against its batch and store it (all or nothing)',
    argument: '結果ファイル / result file',
    run: importResults,
    json: resultsJson,
    human: printHuman,
  });
}
