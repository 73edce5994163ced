/** `sashiosae validate FILE [--layout ID|PATH] [--max-findings N] [--json]` (cli.md). */
import type { Command } from 'commander';
import { count } from '../core/table.js';
import { requireInputFile } from '../core/fsutil.js';
import { EXIT, formatFinding, type Finding } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { validateFile } from '../file/index.js';
import { globals, printJson, say } from './context.js';
import { FILE_RULES } from './file-rules.js';
import { maxFindingsOpt, resolveLayout } from './layouts.js';

function findingJson(f: Finding): Record<string, unknown> {
  return {
    record: f.record ?? null,
    offset: f.offset ?? null,
    field: f.field ?? null,
    expected: f.expected ?? null,
    found: f.found ?? null,
    message: t(f.message),
    code: f.code,
  };
}

export function register(program: Command): void {
  program
    .command('validate')
    .description('固定長ファイルをレイアウトに照らして検査する / check a fixed-width file against its layout')
    .argument('<file>', '検査するファイル / file to check')
    .option('--layout <idOrPath>', 'レイアウトID またはXMLのパス（省略時はファイルから判別）/ layout id or XML path (default: detected)')
    .option('--max-findings <n>', '表示する指摘の上限（既定 1000）/ findings shown (default 1000)')
    .action((file: string, o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      requireInputFile(file);
      const max = maxFindingsOpt(o['maxFindings']);
      const layout = resolveLayout(file, o['layout']);
      const r = validateFile(file, layout, { maxFindings: max, rules: FILE_RULES });
      if (g.json) {
        printJson({ valid: r.valid, layout: layout.id, findings: r.findings.map(findingJson), moreFindings: r.moreFindings });
      } else if (r.valid) {
        say(g, t({
          ja: `OK: ${file} はレイアウト ${layout.id} に適合しています（${r.records.toLocaleString('ja-JP')} レコード、うちデータ ${r.dataRecords.toLocaleString('ja-JP')} 件）`,
          en: `OK: ${file} conforms to layout ${layout.id} (${r.records.toLocaleString('en-US')} records, ${r.dataRecords.toLocaleString('en-US')} data records)`,
        }));
      } else {
        const n = r.findings.length + r.moreFindings;
        say(g, t({
          ja: `不適合: ${file} にレイアウト ${layout.id} に反する箇所が ${n.toLocaleString('ja-JP')} 件あります。ファイルの送り主（銀行・作成元）に確認してください`,
          en: `INVALID: ${file} breaks layout ${layout.id} in ${n.toLocaleString('en-US')} place(s); check with whoever produced the file`,
        }));
        for (const f of r.findings) say(g, `  - ${formatFinding({ ...f, file })}`);
        if (r.moreFindings > 0) say(g, t({ ja: `  …ほか ${r.moreFindings.toLocaleString('ja-JP')} 件の指摘は省略しました（--max-findings）`, en: `  … and ${count(r.moreFindings)} more findings not shown (--max-findings)` }));
      }
      if (!r.valid) process.exitCode = EXIT.rejected;
    });
}
