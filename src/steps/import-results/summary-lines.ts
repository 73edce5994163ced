/** An imported result file's summary in words, line by line (the CLI prints them, the web application's result page shows them). */
import type { Msg } from '../../core/i18n.js';
import { count } from '../../core/table.js';
import { yen } from '../../core/yen.js';
import { batchStateMsg, resultLabel } from '../../domain/vocabulary.js';
import type { ImportResultsSummary } from './summary.js';

/** An instruction result (種別コード 63): collected and released, and what stays held. */
function instructionLines(s: ImportResultsSummary, i: { seizureBatch: string; released: number }): Msg[] {
  const done = s.results['01'];
  const notDone = s.results['99'];
  const out: Msg[] = [{
    ja: `取立・解除指示の結果を取り込みました（取込ID ${s.importId}）: 指示バッチ ${s.batchId}（差押バッチ ${i.seizureBatch}）、指示ファイル番号 ${s.fileNumber}、${s.records.toLocaleString('ja-JP')} 件`,
    en: `instruction result imported (import ${s.importId}): instruction batch ${s.batchId} (seizure batch ${i.seizureBatch}), file number ${s.fileNumber}, ${count(s.records)} records`,
  }, {
    ja: `  01 処理済: ${(done?.records ?? 0).toLocaleString('ja-JP')} 件、取立 ${yen(s.collected)}、解除 ${yen(i.released)}`,
    en: `  01 done: ${count(done?.records ?? 0)}, collected ${yen(s.collected)}, released ${yen(i.released)}`,
  }];
  if (notDone) {
    out.push({
      ja: `  99 未処理: ${notDone.records.toLocaleString('ja-JP')} 件（取立保留のまま。次の instruct で再指示）`,
      en: `  99 not done: ${count(notDone.records)} (still held; instructed again by the next instruct)`,
    });
  }
  out.push(notDone
    ? { ja: `  指示バッチの状態: ${batchStateMsg(s.batchState).ja}。次は sashiosae instruct ${i.seizureBatch} --date <指示日> で未処理の口座を再指示`, en: `  instruction batch state: ${batchStateMsg(s.batchState).en}. Next: sashiosae instruct ${i.seizureBatch} --date <instruction date> for the accounts not done` }
    : { ja: `  指示バッチの状態: ${batchStateMsg(s.batchState).ja}。次は sashiosae reconcile ${i.seizureBatch}（保留がすべて解消後。sashiosae holds ${i.seizureBatch} で確認）`, en: `  instruction batch state: ${batchStateMsg(s.batchState).en}. Next: sashiosae reconcile ${i.seizureBatch} (once every hold is resolved; see sashiosae holds ${i.seizureBatch})` });
  return out;
}

export function resultsSummaryLines(s: ImportResultsSummary): Msg[] {
  if (s.instruction) return instructionLines(s, s.instruction);
  const out: Msg[] = [{
    ja: `結果ファイルを取り込みました（取込ID ${s.importId}）: バッチ ${s.batchId}、依頼ファイル番号 ${s.fileNumber}、${s.records.toLocaleString('ja-JP')} 件`,
    en: `result file imported (import ${s.importId}): batch ${s.batchId}, file number ${s.fileNumber}, ${count(s.records)} records`,
  }];
  for (const [code, v] of Object.entries(s.results).sort(([a], [b]) => a.localeCompare(b))) {
    const label = resultLabel(code);
    out.push({
      ja: `  ${code} ${label.ja}: ${v.records.toLocaleString('ja-JP')} 件${v.seized > 0 ? `、差押 ${yen(v.seized)}、取立 ${yen(v.collected)}` : ''}`,
      en: `  ${code} ${label.en}: ${count(v.records)}${v.seized > 0 ? `, seized ${yen(v.seized)}, collected ${yen(v.collected)}` : ''}`,
    });
  }
  out.push({ ja: `  差押金額合計 ${yen(s.seized)}、取立金額合計 ${yen(s.collected)}`, en: `  seized total ${yen(s.seized)}, collected total ${yen(s.collected)}` });
  if (s.collectionMode === 'deferred') {
    out.push({ ja: '  取立保留のため、差押は成立していますが取立はまだです（差押済・未取立として記録）', en: '  deferred collection: seized but not yet collected (stored as seized, not collected)' });
  }
  out.push(s.batchState === 'results-imported' && s.collectionMode === 'deferred'
    ? { ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（全ファイルの結果が揃いました）。次は sashiosae holds ${s.batchId} で保留を確かめ、sashiosae instruct ${s.batchId} --date <指示日> で取立・解除を指示`, en: `  batch state: ${batchStateMsg(s.batchState).en} (all files in). Next: sashiosae holds ${s.batchId} to see the holds, then sashiosae instruct ${s.batchId} --date <instruction date> to collect or release` }
    : s.batchState === 'results-imported'
    ? { ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（全ファイルの結果が揃いました）。次は sashiosae reconcile ${s.batchId}`, en: `  batch state: ${batchStateMsg(s.batchState).en} (all files in). Next: sashiosae reconcile ${s.batchId}` }
    : { ja: `  バッチの状態: ${batchStateMsg(s.batchState).ja}（結果がまだのファイルがあります）`, en: `  batch state: ${batchStateMsg(s.batchState).en} (some files still without results)` });
  return out;
}
