/** `sashiosae import statement FILE` (cli.md, statement-03.md): load a Zengin 入出金取引明細, then match deposits. */
import type { Command } from 'commander';
import { count } from '../core/table.js';
import { t } from '../core/i18n.js';
import { importStatement, type ImportStatementSummary } from '../steps/import-statement/index.js';
import { say, type GlobalOpts } from './context.js';
import { registerFileImport } from './import.js';
import { yen } from '../core/yen.js';


function printHuman(g: GlobalOpts, s: ImportStatementSummary): void {
  say(g, t({ ja: `入出金取引明細を取り込みました（取込ID ${s.importId}）: ${count(s.accounts.length)} 口座、${count(s.entries)} 明細`, en: `statement imported (import ${s.importId}): ${count(s.accounts.length)} account(s), ${count(s.entries)} entries` }));
  for (const a of s.accounts) {
    say(g, t({
      ja: `  ${a.bankCode}-${a.branchCode} 種目${a.accountType} ${a.account}（${a.periodFrom ?? '?'}〜${a.periodTo ?? '?'}）: 入金 ${count(a.deposits)} 件 ${yen(a.depositTotal)}、出金 ${count(a.withdrawals)} 件 ${yen(a.withdrawalTotal)}${a.known ? `、取込済みの明細 ${count(a.known)} 件は重複登録しません` : ''}`,
      en: `  ${a.bankCode}-${a.branchCode} type ${a.accountType} ${a.account} (${a.periodFrom ?? '?'}–${a.periodTo ?? '?'}): ${count(a.deposits)} deposits ${yen(a.depositTotal)}, ${count(a.withdrawals)} withdrawals ${yen(a.withdrawalTotal)}${a.known ? `, ${count(a.known)} entries already stored were skipped` : ''}`,
    }));
  }
  for (const m of s.matches) {
    for (const d of m.matches) {
      say(g, d.matched
        ? t({ ja: `  バッチ ${m.batchId} 取立日 ${d.date}: 入金 ${yen(d.deposit ?? 0)} と一致しました`, en: `  batch ${m.batchId}, ${d.date}: matched deposit ${yen(d.deposit ?? 0)}` })
        : t({
            ja: `  バッチ ${m.batchId} 取立日 ${d.date}: 取立金額 ${yen(d.collected)} に一致する入金がありません${d.deposit !== null ? `（最大の未照合入金 ${yen(d.deposit)}、差額 ${yen(d.difference ?? 0)}）` : '（入金なし）'}`,
            en: `  batch ${m.batchId}, ${d.date}: no deposit equals the collected ${yen(d.collected)}${d.deposit !== null ? ` (largest unassigned ${yen(d.deposit)}, difference ${yen(d.difference ?? 0)})` : ' (no deposit)'}`,
          }));
    }
  }
}

export function register(program: Command): void {
  registerFileImport(program, {
    name: 'statement',
    description: '入出金取引明細（全銀 種別03）を取り込む / load a Zengin bank statement (種別コード 03)',
    argument: '入出金取引明細ファイル / statement file',
    run: importStatement,
    json: (s) => ({
      import: s.importId,
      entries: s.entries,
      known: s.known,
      accounts: s.accounts,
      matches: s.matches.map((m) => ({ batch: m.batchId, dates: m.matches })),
    }),
    human: printHuman,
  });
}
