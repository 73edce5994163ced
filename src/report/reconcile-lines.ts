/**
 * The lines of a reconcile summary that say how the statement's deposits matched: the CLI
 * (`reconcile`) and the web application's result page show the same words.
 */
import type { Msg } from '../core/i18n.js';
import { count } from '../core/table.js';
import { yen } from '../core/yen.js';
import type { DepositMatch } from '../domain/deposit-matching.js';

/** One line per 取立日 on the statement matching (a batch of several files: one deposit per file, ADR 0090). */
export function depositLine(m: DepositMatch, files: number): Msg {
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

/** 取立 ＝ 収納（本税・延滞金・督促手数料）＋ 過誤納金: the reconcile summary's totals in one line. */
export function reconcileTotalsLine(s: {
  collected: number;
  receipts: { count: number; honzei: number; entaikin: number; fee: number; total: number };
  overpayment: { count: number; amount: number };
}): Msg {
  return {
    ja: `取立 ${yen(s.collected)} ＝ 収納 ${count(s.receipts.count)} 件 ${yen(s.receipts.total)}（本税 ${yen(s.receipts.honzei)}・延滞金 ${yen(s.receipts.entaikin)}・督促手数料 ${yen(s.receipts.fee)}）＋ 過誤納金 ${count(s.overpayment.count)} 件 ${yen(s.overpayment.amount)}`,
    en: `Collected ${yen(s.collected)} = ${count(s.receipts.count)} receipts ${yen(s.receipts.total)} (principal ${yen(s.receipts.honzei)}, late charge ${yen(s.receipts.entaikin)}, fee ${yen(s.receipts.fee)}) + ${count(s.overpayment.count)} overpayments ${yen(s.overpayment.amount)}`,
  };
}
