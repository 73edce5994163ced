/**
 * `sashiosae inspect FILE [--layout ID|PATH] [--max-findings N] [--json]` (cli.md):
 * decode a fixed-width file record by record. Showing the file is this command's job, so
 * field values are printed in full (the one exception to console privacy); findings go to
 * stderr, and a damaged file exits 3 after printing every record it could decode.
 */
import type { Command } from 'commander';
import { requireInputFile } from '../core/fsutil.js';
import { EXIT, formatFinding } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { count, padEndW } from '../core/table.js';
import { readRecords } from '../file/index.js';
import { recordDef, type RecordKind } from '../layout/index.js';
import { globals } from './context.js';
import { FILE_RULES } from './file-rules.js';
import { maxFindingsOpt, resolveLayout } from './layouts.js';

const KIND_LABEL: Record<RecordKind, { ja: string; en: string }> = {
  header: { ja: 'ヘッダー', en: 'header' },
  data: { ja: 'データ', en: 'data' },
  trailer: { ja: 'トレーラー', en: 'trailer' },
  end: { ja: 'エンド', en: 'end' },
};

export function register(program: Command): void {
  program
    .command('inspect')
    .description('固定長ファイルをレコードごとに表示する / decode a fixed-width file record by record')
    .argument('<file>', '表示するファイル / file to show')
    .option('--layout <idOrPath>', 'レイアウトID またはXMLのパス（省略時はファイルから判別）/ layout id or XML path (default: detected)')
    .option('--max-findings <n>', '表示する指摘の上限（既定 1000）/ findings shown (default 1000)')
    .action(async (file: string, o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      requireInputFile(file);
      const max = maxFindingsOpt(o['maxFindings']);
      const layout = resolveLayout(file, o['layout']);
      const reader = readRecords(file, layout, { maxFindings: max, raw: false, rules: FILE_RULES });
      const out = process.stdout;
      let pending = '';
      const flush = async () => {
        if (pending && !out.write(pending)) await new Promise<void>((r) => out.once('drain', () => r()));
        pending = '';
      };
      if (!g.json) pending += t({ ja: `ファイル ${file}（レイアウト ${layout.id}）\n`, en: `file ${file} (layout ${layout.id})\n` });
      for await (const r of reader) {
        if (g.json) pending += JSON.stringify({ index: r.index, offset: r.offset, kind: r.kind, record: r.record, fields: r.fields }) + '\n';
        else {
          const def = recordDef(layout, r.record ?? r.kind)!;
          const id = r.record !== undefined ? ` ${r.record}` : '';
          pending += t({ ja: `第${r.index + 1}レコード（バイト位置 ${r.offset}）${KIND_LABEL[r.kind].ja}${id}\n`, en: `record ${r.index + 1} (byte offset ${r.offset}) ${KIND_LABEL[r.kind].en}${id}\n` });
          for (const f of def.fields) {
            if (f.filler) continue;
            pending += `  ${padEndW(f.id, 22)} ${padEndW(f.name ?? '', 24)} ${JSON.stringify(r.fields[f.id])}\n`;
          }
        }
        if (pending.length > 1 << 16) await flush();
      }
      await flush();
      const s = reader.summary!;
      if (!s.valid) {
        for (const f of s.findings) process.stderr.write(`${formatFinding({ ...f, file })}\n`);
        if (s.moreFindings > 0) process.stderr.write(t({ ja: `…ほか ${count(s.moreFindings)} 件の指摘は省略しました（--max-findings）\n`, en: `… and ${count(s.moreFindings)} more findings not shown (--max-findings)\n` }));
        process.stderr.write(t({ ja: `指摘 ${count(s.findings.length + s.moreFindings)} 件: ファイルはレイアウト ${layout.id} に適合していません\n`, en: `${count(s.findings.length + s.moreFindings)} finding(s): the file does not conform to layout ${layout.id}\n` }));
        process.exitCode = EXIT.rejected;
      }
    });
}
