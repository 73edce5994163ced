import type { Command } from 'commander';
import { t } from '../core/i18n.js';
import { openDb } from '../db/connection.js';
import { listBatches, type BatchRow } from '../db/batches.js';
import { holdCounts, holdRows } from '../db/holds.js';
import { batchKindMsg, batchStateLabel, nextStepMsg } from '../domain/vocabulary.js';
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
          printJson({
            batches: rows.map((b) => ({
              id: b.id,
              kind: b.kind,
              bankCode: b.bank_code,
              state: b.state,
              executionDate: b.execution_date,
              collection: b.kind === 'seizure' ? b.collection_mode : null,
              requests: b.requests,
              records: b.records,
              limitTotal: b.kind === 'seizure' ? b.limit_total : null,
              createdAt: b.created_at,
            })),
          });
          return;
        }
        if (rows.length === 0) {
          say(g, t({ ja: 'バッチはまだありません（inquire または extract で作ります）。', en: 'no batches yet (inquire or extract creates them).' }));
          return;
        }
        const ja = t({ ja: 'ja', en: 'en' }) === 'ja';
        // a 取立保留 seizure batch whose results are in: instruct its holds before reconciling
        const holdsOf = (b: BatchRow) => {
          if (b.kind !== 'seizure' || b.collection_mode !== 'deferred' || b.state !== 'results-imported') return undefined;
          const c = holdCounts(holdRows(db, b.id));
          return { instructable: c.held.records + c['not-done'].records, instructed: c.instructed.records };
        };
        const next = (kind: string, state: string, b?: BatchRow): string => {
          const m = nextStepMsg(kind, state, b === undefined ? undefined : holdsOf(b));
          return m === null ? '—' : ja ? `次: ${m.ja}` : `next: ${m.en}`;
        };
        const table = formatTable(
          rows.map((b) => {
            const kind = t(batchKindMsg(b.kind));
            if (b.kind === 'inquiry') {
              return ja
                ? [b.id, kind, `金融機関 ${b.bank_code}`, batchStateLabel(b.state), next(b.kind, b.state), `照会基準日 ${b.execution_date}`, `照会 ${count(b.requests)}件`, '', '']
                : [b.id, kind, `bank ${b.bank_code}`, batchStateLabel(b.state), next(b.kind, b.state), `base date ${b.execution_date}`, `${count(b.requests)} inquiries`, '', ''];
            }
            if (b.kind === 'instruction') {
              return ja
                ? [b.id, kind, `金融機関 ${b.bank_code}`, batchStateLabel(b.state), next(b.kind, b.state), `指示日 ${b.execution_date}`, `差押バッチ ${b.seizure_batch_id ?? '—'}`, `口座 ${count(b.records)}件`, '']
                : [b.id, kind, `bank ${b.bank_code}`, batchStateLabel(b.state), next(b.kind, b.state), `instruction date ${b.execution_date}`, `seizure batch ${b.seizure_batch_id ?? '—'}`, `${count(b.records)} records`, ''];
            }
            return ja
              ? [b.id, kind, `金融機関 ${b.bank_code}`, batchStateLabel(b.state), next(b.kind, b.state, b), `執行日 ${b.execution_date}`, `依頼 ${count(b.requests)}件`, `口座 ${count(b.records)}件`, `限度額合計 ${yen(b.limit_total)}`]
              : [b.id, kind, `bank ${b.bank_code}`, batchStateLabel(b.state), next(b.kind, b.state, b), `execution ${b.execution_date}`, `${count(b.requests)} requests`, `${count(b.records)} records`, `limit total ${yen(b.limit_total)}`];
          }),
          ['left', 'left', 'left', 'left', 'left', 'left', 'right', 'right', 'right'],
        );
        for (const line of table) say(g, line);
      } finally {
        db.close();
      }
    });
}
