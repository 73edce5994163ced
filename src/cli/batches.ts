import type { Command } from 'commander';
import { t } from '../core/i18n.js';
import { openDb } from '../db/connection.js';
import { listBatches } from '../db/batches.js';
import { batchStateLabel } from '../domain/vocabulary.js';
import { globals, printJson, say } from './context.js';
import { yen } from '../core/yen.js';
import { count, formatTable } from '../core/table.js';

/**
 * `sashiosae batches [--json]`: every batch, newest first, so a batch id can be found
 * again without the extract output (not in cli.md's table; an addition, read-only).
 */
export function register(program: Command): void {
  program
    .command('batches')
    .description('バッチの一覧（新しい順）(list batches, newest first)')
    .action((_o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const rows = listBatches(db);
        if (g.json) {
          printJson({
            batches: rows.map((b) => ({
              id: b.id,
              bankCode: b.bank_code,
              state: b.state,
              executionDate: b.execution_date,
              collection: b.collection_mode,
              requests: b.requests,
              records: b.records,
              limitTotal: b.limit_total,
              createdAt: b.created_at,
            })),
          });
          return;
        }
        if (rows.length === 0) {
          say(g, t({ ja: 'バッチはまだありません（extract で作ります）。', en: 'no batches yet (extract creates them).' }));
          return;
        }
        const ja = t({ ja: 'ja', en: 'en' }) === 'ja';
        const table = formatTable(
          rows.map((b) =>
            ja
              ? [b.id, `金融機関 ${b.bank_code}`, batchStateLabel(b.state), `執行日 ${b.execution_date}`, `依頼 ${count(b.requests)}件`, `口座 ${count(b.records)}件`, `限度額合計 ${yen(b.limit_total)}`]
              : [b.id, `bank ${b.bank_code}`, batchStateLabel(b.state), `execution ${b.execution_date}`, `${count(b.requests)} requests`, `${count(b.records)} records`, `limit total ${yen(b.limit_total)}`],
          ),
          ['left', 'left', 'left', 'left', 'right', 'right', 'right'],
        );
        for (const line of table) say(g, line);
      } finally {
        db.close();
      }
    });
}
