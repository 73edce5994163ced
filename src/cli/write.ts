import type { Command } from 'commander';
import { count } from '../core/table.js';
import { AppError } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { openDb } from '../db/connection.js';
import { writeBatches } from '../steps/write/index.js';
import { globals, printJson, say } from './context.js';

/**
 * `write BATCH… --media DIR [--copy DIR] [--layout ID|PATH]`. With --json: one
 * document per batch, one per line (NDJSON), in the order given.
 */
export function register(program: Command): void {
  program
    .command('write')
    .description('依頼ファイルを媒体に書き出し、読み戻して検証する (write request files to media and verify)')
    .argument('<batch...>', 'バッチID / batch id(s)')
    .requiredOption('--media <dir>', '書出し先フォルダ（USBメモリ）/ media folder')
    .option('--copy <dir>', '副本の書出し先 / folder for the second copy')
    .option('--layout <idOrPath>', 'レイアウトID またはパス / layout id or path')
    .action(async (batches: string[], o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const ids = [...new Set(batches)];
        const { results, errors } = await writeBatches(db, ids, {
          media: String(o['media']),
          ...(typeof o['copy'] === 'string' ? { copy: o['copy'] } : {}),
          ...(typeof o['layout'] === 'string' ? { layout: o['layout'] } : {}),
          ...(g.operator !== undefined ? { operator: g.operator } : {}),
        });
        for (const r of results) {
          if (g.json) printJson({ batch: r.batch, files: r.files.map((f) => ({ path: f.path, sha256: f.sha256, bytes: f.bytes, records: f.records })) });
          for (const n of r.notes) say(g, `${r.batch}: ${t(n)}`);
          for (const w of r.warnings) process.stderr.write(`${t({ ja: '警告', en: 'Warning' })}: ${t(w)}\n`);
          for (const f of r.files) {
            say(g, t({
              ja: `${r.batch}: ${f.adopted ? '採用' : '書出し'} ${f.path}（${count(f.records)}件、${f.bytes.toLocaleString()} バイト、SHA-256 ${f.sha256}）読み戻し検証OK${f.copyPath ? `、副本 ${f.copyPath} も検証OK` : ''}`,
              en: `${r.batch}: ${f.adopted ? 'adopted' : 'wrote'} ${f.path} (${count(f.records)} records, ${count(f.bytes)} bytes, SHA-256 ${f.sha256}), read back and verified${f.copyPath ? `; copy ${f.copyPath} verified` : ''}`,
            }));
            say(g, t({ ja: `  合計表: ${f.sheetPath}（印刷して押印し、媒体に添えてください）`, en: `  totals sheet: ${f.sheetPath} (print, sign, and send with the media)` }));
          }
        }
        if (errors.length > 0) {
          for (const e of errors.slice(1)) {
            const m = e.error instanceof AppError ? e.error.describe() : String(e.error);
            process.stderr.write(`${e.batch}: ${m}\n`);
          }
          throw errors[0]!.error;
        }
      } finally {
        db.close();
      }
    });
}
