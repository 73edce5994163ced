import type { Command } from 'commander';
import { t } from '../core/i18n.js';
import { reconcile } from '../steps/reconcile/index.js';
import { openDb } from '../db/connection.js';
import { globals, printJson, say } from './context.js';
import { warnUnstatedRateYear } from './rate-year-warning.js';
import { inactiveDebtsMessage } from '../report/model.js';
import { depositLine, reconcileTotalsLine } from '../report/reconcile-lines.js';

/** `sashiosae reconcile BATCH [--policy NAME] [--json]` (cli.md). */
export function register(program: Command): void {
  program
    .command('reconcile')
    .description('取立金を債権に充当し収納を計上、入金明細と照合する (allocate collected money to receipts; match the statement)')
    .argument('<batch>', 'バッチID / batch id')
    .option('--policy <name>', '充当ポリシー (既定 statutory-oldest-first) / allocation policy')
    .action((batchId: string, opts: { policy?: string }, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const s = reconcile(db, batchId, { ...(opts.policy !== undefined ? { policy: opts.policy } : {}), ...(g.operator ? { operator: g.operator } : {}) });
        if (s.changed) warnUnstatedRateYear(s.deposits.matches.map((m) => m.date));
        if (g.json) {
          printJson({
            batchId: s.batchId,
            changed: s.changed,
            policy: s.policy,
            collected: s.collected,
            receipts: s.receipts,
            overpayment: s.overpayment,
            deposits: s.deposits.matches.map((m) => ({ date: m.date, collected: m.collected, deposit: m.deposit, difference: m.difference, matched: m.matched })),
            statementImported: s.deposits.statementImported,
            inactiveDebts: s.inactiveDebts,
          });
        }
        const review = (): void => {
          if (s.inactiveDebts.count > 0) say(g, t({ ja: '要確認: ', en: 'Needs attention: ' }) + t(inactiveDebtsMessage(s.inactiveDebts)));
        };
        if (!s.changed) {
          say(g, t({ ja: `バッチ ${batchId} は消込済みです（変更なし）`, en: `Batch ${batchId} is already reconciled (nothing changed)` }));
          review();
          return;
        }
        say(g, t({ ja: `バッチ ${batchId} を消込しました（充当ポリシー ${s.policy}）`, en: `Batch ${batchId} reconciled (policy ${s.policy})` }));
        say(g, t(reconcileTotalsLine(s)));
        if (!s.deposits.statementImported) {
          say(g, t({ ja: '入金明細は未取込です。取り込むと自動で照合されます（import statement）', en: 'No statement imported yet; it is matched when imported (import statement)' }));
        }
        if (s.deposits.statementImported) for (const m of s.deposits.matches) say(g, t(depositLine(m, s.deposits.files)));
        review();
        if (s.overpayment.count > 0) {
          say(g, t({ ja: `過誤納金があります。report ${batchId} で還付対象（宛名番号）を確認してください`, en: `There are overpayments to refund; see report ${batchId}` }));
        }
      } finally {
        db.close();
      }
    });
}
