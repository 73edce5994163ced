import type { Command } from 'commander';
import { count } from '../core/table.js';
import { t, type Msg } from '../core/i18n.js';
import type { DepositMatch } from '../domain/deposit-matching.js';
import { reconcile } from '../steps/reconcile/index.js';
import { openDb } from '../db/connection.js';
import { globals, printJson, say } from './context.js';
import { warnUnstatedRateYear } from './rate-year-warning.js';
import { yen } from '../core/yen.js';
import { inactiveDebtsMessage } from '../report/model.js';

/** One line per 取立日 on the statement matching (a batch of several files: one deposit per file, ADR 0090). */
function depositLine(m: DepositMatch, files: number): Msg {
  if (m.matched) {
    return files > 1
      ? { ja: `  ${m.date}: ファイルごとの入金（計 ${yen(m.deposit)}）と一致`, en: `  ${m.date}: matched the files' deposits (total ${yen(m.deposit)})` }
      : { ja: `  ${m.date}: 入金 ${yen(m.deposit)} と一致`, en: `  ${m.date}: matched deposit ${yen(m.deposit)}` };
  }
  if (m.deposit === null) {
    return { ja: `  ${m.date}: 取立 ${yen(m.collected)} に対応する入金なし — 銀行に確認してください`, en: `  ${m.date}: no deposit for ${yen(m.collected)} — ask the bank` };
  }
  if (files > 1) {
    return {
      ja: `  ${m.date}: 不一致 — ${files} ファイルの取立 ${yen(m.collected)}、ファイルごとの入金がそろいません（照合候補の入金の計 ${yen(m.deposit)}）、差額 ${yen(m.difference)}。銀行に確認してください`,
      en: `  ${m.date}: NOT matched — the ${files} files collected ${yen(m.collected)}, not every file has its deposit (candidate deposits total ${yen(m.deposit)}), difference ${yen(m.difference)}. Ask the bank`,
    };
  }
  return {
    ja: `  ${m.date}: 不一致 — 取立 ${yen(m.collected)}、同日最大の入金 ${yen(m.deposit)}、差額 ${yen(m.difference)}。銀行に確認してください`,
    en: `  ${m.date}: NOT matched — collected ${yen(m.collected)}, largest deposit ${yen(m.deposit)}, difference ${yen(m.difference)}. Ask the bank`,
  };
}

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
        say(
          g,
          t({
            ja: `取立 ${yen(s.collected)} ＝ 収納 ${count(s.receipts.count)} 件 ${yen(s.receipts.total)}（本税 ${yen(s.receipts.honzei)}・延滞金 ${yen(s.receipts.entaikin)}・督促手数料 ${yen(s.receipts.fee)}）＋ 過誤納金 ${count(s.overpayment.count)} 件 ${yen(s.overpayment.amount)}`,
            en: `Collected ${yen(s.collected)} = ${count(s.receipts.count)} receipts ${yen(s.receipts.total)} (principal ${yen(s.receipts.honzei)}, late charge ${yen(s.receipts.entaikin)}, fee ${yen(s.receipts.fee)}) + ${count(s.overpayment.count)} overpayments ${yen(s.overpayment.amount)}`,
          }),
        );
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
