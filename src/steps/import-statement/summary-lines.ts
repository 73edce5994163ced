/** An imported statement's summary in words, line by line (the CLI prints them, the web application's result page shows them). */
import type { Msg } from '../../core/i18n.js';
import { count } from '../../core/table.js';
import { yen } from '../../core/yen.js';
import type { ImportStatementSummary } from './import-statement.js';

export function statementSummaryLines(s: ImportStatementSummary): Msg[] {
  const out: Msg[] = [{ ja: `入出金取引明細を取り込みました（取込ID ${s.importId}）: ${count(s.accounts.length)} 口座、${count(s.entries)} 明細`, en: `statement imported (import ${s.importId}): ${count(s.accounts.length)} account(s), ${count(s.entries)} entries` }];
  for (const a of s.accounts) {
    out.push({
      ja: `  ${a.bankCode}-${a.branchCode} 種目${a.accountType} ${a.account}（${a.periodFrom ?? '?'}〜${a.periodTo ?? '?'}）: 入金 ${count(a.deposits)} 件 ${yen(a.depositTotal)}、出金 ${count(a.withdrawals)} 件 ${yen(a.withdrawalTotal)}${a.known ? `、取込済みの明細 ${count(a.known)} 件は重複登録しません` : ''}`,
      en: `  ${a.bankCode}-${a.branchCode} type ${a.accountType} ${a.account} (${a.periodFrom ?? '?'}–${a.periodTo ?? '?'}): ${count(a.deposits)} deposits ${yen(a.depositTotal)}, ${count(a.withdrawals)} withdrawals ${yen(a.withdrawalTotal)}${a.known ? `, ${count(a.known)} entries already stored were skipped` : ''}`,
    });
  }
  for (const m of s.matches) {
    for (const d of m.matches) {
      out.push(d.matched
        ? { ja: `  バッチ ${m.batchId} 取立日 ${d.date}: 入金 ${yen(d.deposit ?? 0)} と一致しました`, en: `  batch ${m.batchId}, ${d.date}: matched deposit ${yen(d.deposit ?? 0)}` }
        : {
            ja: `  バッチ ${m.batchId} 取立日 ${d.date}: 取立金額 ${yen(d.collected)} に一致する入金がありません${d.deposit !== null ? `（最大の未照合入金 ${yen(d.deposit)}、差額 ${yen(d.difference ?? 0)}）` : '（入金なし）'}`,
            en: `  batch ${m.batchId}, ${d.date}: no deposit equals the collected ${yen(d.collected)}${d.deposit !== null ? ` (largest unassigned ${yen(d.deposit)}, difference ${yen(d.difference ?? 0)})` : ' (no deposit)'}`,
          });
    }
  }
  return out;
}
