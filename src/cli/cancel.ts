import type { Command } from 'commander';
import { count } from '../core/table.js';
import { t } from '../core/i18n.js';
import { openDb } from '../db/connection.js';
import { cancelBatch } from '../steps/cancel/index.js';
import { globals, printJson, say } from './context.js';
import { batchStateMsg } from '../domain/vocabulary.js';

export function register(program: Command): void {
  program
    .command('cancel')
    .description('書出し前、または媒体を渡していないバッチを取り消す (cancel a batch not delivered)')
    .argument('<batch>', 'バッチID / batch id')
    .option('--reason <text>', '取消理由（監査ログに記録）/ reason, kept in the audit log')
    .action((batch: string, o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const r = cancelBatch(db, batch, {
          ...(typeof o['reason'] === 'string' ? { reason: o['reason'] } : {}),
          ...(g.operator !== undefined ? { operator: g.operator } : {}),
        });
        if (g.json) printJson({ batch: r.batch, kind: r.kind, previousState: r.previousState, state: 'cancelled' });
        else if (r.kind === 'inquiry')
          say(g, t({
            ja: `預金照会バッチ ${r.batch} を取り消しました（元の状態 ${batchStateMsg(r.previousState).ja}、照会 ${count(r.requests)}件）。この照会は再照会の判定（--reinquire-after）に数えません。媒体に書いたファイルがあれば破棄してください。`,
            en: `inquiry batch ${r.batch} cancelled (was ${batchStateMsg(r.previousState).en}, ${count(r.requests)} inquiries); it does not count for --reinquire-after. Destroy any media written for it.`,
          }));
        else if (r.kind === 'instruction')
          say(g, t({
            ja: `取立指示バッチ ${r.batch} を取り消しました（元の状態 ${batchStateMsg(r.previousState).ja}、口座 ${count(r.records)}件）。その口座は取立保留中に戻り、次の instruct で再び指示できます。媒体に書いたファイルがあれば破棄してください。`,
            en: `instruction batch ${r.batch} cancelled (was ${batchStateMsg(r.previousState).en}, ${count(r.records)} accounts); its accounts are held again and the next instruct takes them. Destroy any media written for it.`,
          }));
        else
          say(g, t({
            ja: `バッチ ${r.batch} を取り消しました（元の状態 ${batchStateMsg(r.previousState).ja}、依頼 ${count(r.requests)}件）。対象者は次の抽出で再び対象になります。媒体に書いたファイルがあれば破棄してください。`,
            en: `batch ${r.batch} cancelled (was ${batchStateMsg(r.previousState).en}, ${count(r.requests)} requests); its taxpayers can be extracted again. Destroy any media written for it.`,
          }));
      } finally {
        db.close();
      }
    });
}
