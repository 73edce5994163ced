import type { Command } from 'commander';
import { t } from '../core/i18n.js';
import { openDb } from '../db/connection.js';
import { listBatches, type BatchRow } from '../db/batches.js';
import { batchesJson, batchNextStep } from '../report/batches.js';
import { batchKindMsg, batchStateLabel } from '../domain/vocabulary.js';
import { globals, printJson, say } from './context.js';
import { yen } from '../core/yen.js';
import { count, formatTable } from '../core/table.js';

/**
 * `sashiosae batches [--json]`: every batch of every kind, newest first, so a batch id can
 * be found again without the extract / inquire output (cli.md `batches --json`: keys that
 * do not apply to a kind are null; `requests` = inquiries of an inquiry batch).
 */
export function register(program: Command): void {
  program
    .command('batches')
    .description('バッチの一覧（新しい順、全種別）(list batches of every kind, newest first)')
    .action((_o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const rows = listBatches(db);
        if (g.json) {
          printJson(batchesJson(rows));
          return;
        }
        if (rows.length === 0) {
          say(g, t({ ja: 'バッチはまだありません（inquire または extract で作ります）。', en: 'no batches yet (inquire or extract creates them).' }));
          return;
        }
        const ja = t({ ja: 'ja', en: 'en' }) === 'ja';
        const next = (b: BatchRow): string => {
          const m = batchNextStep(db, b);
          return m === null ? '—' : ja ? `次: ${m.ja}` : `next: ${m.en}`;
        };
        const table = formatTable(
          rows.map((b) => {
            const kind = t(batchKindMsg(b.kind));
            if (b.kind === 'inquiry') {
              return ja
                ? [b.id, kind, `金融機関 ${b.bank_code}`, batchStateLabel(b.state), next(b), `照会基準日 ${b.execution_date}`, `照会 ${count(b.requests)}件`, '', '']
                : [b.id, kind, `bank ${b.bank_code}`, batchStateLabel(b.state), next(b), `base date ${b.execution_date}`, `${count(b.requests)} inquiries`, '', ''];
            }
            if (b.kind === 'instruction') {
              return ja
                ? [b.id, kind, `金融機関 ${b.bank_code}`, batchStateLabel(b.state), next(b), `指示日 ${b.execution_date}`, `差押バッチ ${b.seizure_batch_id ?? '—'}`, `口座 ${count(b.records)}件`, '']
                : [b.id, kind, `bank ${b.bank_code}`, batchStateLabel(b.state), next(b), `instruction date ${b.execution_date}`, `seizure batch ${b.seizure_batch_id ?? '—'}`, `${count(b.records)} records`, ''];
            }
            return ja
              ? [b.id, kind, `金融機関 ${b.bank_code}`, batchStateLabel(b.state), next(b), `執行日 ${b.execution_date}`, `依頼 ${count(b.requests)}件`, `口座 ${count(b.records)}件`, `限度額合計 ${yen(b.limit_total)}`]
              : [b.id, kind, `bank ${b.bank_code}`, batchStateLabel(b.state), next(b), `execution ${b.execution_date}`, `${count(b.requests)} requests`, `${count(b.records)} records`, `limit total ${yen(b.limit_total)}`];
          }),
          ['left', 'left', 'left', 'left', 'left', 'left', 'right', 'right', 'right'],
        );
        for (const line of table) say(g, line);
      } finally {
        db.close();
      }
    });
}
