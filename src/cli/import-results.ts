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


function printHuman(g: GlobalOpts, s: ImportResultsSummary): void {
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
  say(g, s.batchState === 'results-imported'
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
