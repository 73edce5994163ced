/**
 * Human summary of a batch report for the terminal (Japanese; English with
 * --lang en). Names people only by 宛名番号 and shows accounts masked — the
 * details model already carries nothing else.
 */
import { getLang, t } from '../core/i18n.js';
import { resultLabel } from '../domain/vocabulary.js';
import { resultEntries, type ReportDetails, type ReportJson } from './model.js';
import { batchStateLabel, policyLabel } from '../domain/vocabulary.js';
import { yen } from '../core/yen.js';
import { holdStateMsg } from '../domain/hold.js';
import { count as n, formatTable } from '../core/table.js';


export function renderTerminal(r: ReportJson, d: ReportDetails, maxListed = 20): string {
  const ja = getLang() === 'ja';
  const L: string[] = [];
  const state = batchStateLabel(r.state);
  L.push(ja ? `差押バッチ ${r.batchId}（金融機関 ${r.bankCode}・ファイル番号 ${r.fileNumber ?? '—'}）状態: ${state}` : `Seizure batch ${r.batchId} (bank ${r.bankCode}, file ${r.fileNumber ?? '—'}) state: ${state}`);
  L.push(ja ? `  差押執行日 ${d.executionDate}・取立区分 ${d.collectionMode === 'deferred' ? '取立保留' : '即時取立'}` : `  execution date ${d.executionDate}, collection ${d.collectionMode}`);
  L.push(ja ? `依頼: ${n(r.requested.requests)} 件（口座 ${n(r.requested.records)} 件）差押限度額合計 ${yen(r.requested.limitTotal)}` : `Requested: ${n(r.requested.requests)} requests (${n(r.requested.records)} accounts), limit total ${yen(r.requested.limitTotal)}`);
  L.push(ja ? '結果コード別:' : 'By result code:');
  L.push(
    ...formatTable(
      resultEntries(r.results).map(([code, v]) => [code, t(resultLabel(code)), `${n(v.records)}${ja ? ' 件' : ''}`, `${ja ? '差押' : 'seized'} ${yen(v.seized)}`, `${ja ? '取立' : 'collected'} ${yen(v.collected)}`]),
      ['left', 'left', 'right', 'left', 'left'],
      '  ',
    ),
  );
  L.push(ja ? `差押: ${n(r.seized.records)} 件 ${yen(r.seized.amount)}／取立: ${n(r.collected.records)} 件 ${yen(r.collected.amount)}` : `Seized: ${n(r.seized.records)} records ${yen(r.seized.amount)} / collected: ${n(r.collected.records)} records ${yen(r.collected.amount)}`);
  L.push(
    ja
      ? `収納: ${n(r.receipts.count)} 件 計 ${yen(r.receipts.total)}（本税 ${yen(r.receipts.honzei)}・延滞金 ${yen(r.receipts.entaikin)}・督促手数料 ${yen(r.receipts.fee)}）／過誤納金 ${yen(r.overpayment)}`
      : `Receipts: ${n(r.receipts.count)}, total ${yen(r.receipts.total)} (principal ${yen(r.receipts.honzei)}, late charge ${yen(r.receipts.entaikin)}, fee ${yen(r.receipts.fee)}) / overpayment ${yen(r.overpayment)}`,
  );
  if (d.policy) L.push(ja ? `  充当ポリシー: ${policyLabel(d.policy).ja}（${d.policy}）` : `  allocation policy: ${policyLabel(d.policy).en} (${d.policy})`);
  if (r.statement.matched === null) {
    L.push(ja ? '入金照合: 明細未取込' : 'Statement: not imported yet');
  } else {
    L.push(
      ja
        ? `入金照合: 入金 ${yen(r.statement.deposit)}・差額 ${yen(r.statement.difference)}・${r.statement.matched ? '一致' : '不一致'}`
        : `Statement: deposit ${yen(r.statement.deposit)}, difference ${yen(r.statement.difference)}, ${r.statement.matched ? 'matched' : 'NOT matched'}`,
    );
    for (const m of d.byDate) {
      L.push(`  ${m.date}  ${ja ? '取立' : 'collected'} ${yen(m.collected)}  ${ja ? '入金' : 'deposit'} ${yen(m.deposit)}  ${m.matched ? (ja ? '一致' : 'matched') : ja ? '不一致' : 'not matched'}`);
    }
  }
  if (r.holds !== undefined && d.holds !== null) {
    const h = r.holds;
    L.push(
      ja
        ? `取立保留: 保留 ${n(h.held.records)} 件 ${yen(h.held.amount)}／取立 ${n(h.collected.records)} 件 ${yen(h.collected.amount)}／差押解除 ${n(h.released.records)} 件 ${yen(h.released.amount)}／未解決 ${n(d.holds.unresolved.records)} 件 ${yen(d.holds.unresolved.amount)}`
        : `Held (取立保留): ${n(h.held.records)} records ${yen(h.held.amount)} / collected ${n(h.collected.records)} ${yen(h.collected.amount)} / released ${n(h.released.records)} ${yen(h.released.amount)} / unresolved ${n(d.holds.unresolved.records)} ${yen(d.holds.unresolved.amount)}`,
    );
    L.push(
      ...formatTable(
        d.holds.rows.slice(0, maxListed).map((x) => [
          `${ja ? '宛名番号' : 'person'} ${x.atena}`,
          `${x.requestNumber}-${String(x.subNumber).padStart(2, '0')}`,
          x.account,
          `${ja ? '差押' : 'seized'} ${yen(x.seized)}`,
          `${ja ? '禁止額' : 'protected'} ${yen(x.protectedAmount)}`,
          t(holdStateMsg(x.state)),
          `${ja ? '取立' : 'collected'} ${yen(x.collected)}${x.collectionDate ? ` ${x.collectionDate}` : ''}`,
          `${ja ? '解除' : 'released'} ${yen(x.released)}`,
        ]),
        ['left', 'right', 'left', 'left', 'left', 'left', 'left', 'left'],
        '  ',
      ),
    );
    if (r.holds.held.records > maxListed) L.push(ja ? `  …ほか ${n(r.holds.held.records - maxListed)} 件（--csv / --html で全件）` : `  … ${n(r.holds.held.records - maxListed)} more (see --csv / --html)`);
  }
  if (d.overpayments.count > 0) {
    L.push(ja ? `過誤納金（還付対象）${n(d.overpayments.count)} 件:` : `Overpayments to refund (${n(d.overpayments.count)}):`);
    for (const o of d.overpayments.rows.slice(0, maxListed)) L.push(`  ${ja ? '宛名番号' : 'person'} ${o.atena}  ${o.date}  ${yen(o.amount)}`);
    if (d.overpayments.count > maxListed) L.push(ja ? `  …ほか ${n(d.overpayments.count - maxListed)} 件（--csv / --html で全件）` : `  … ${n(d.overpayments.count - maxListed)} more (see --csv / --html)`);
  }
  if (d.anomalies.length > 0) {
    L.push(ja ? '要確認事項:' : 'Needs attention:');
    for (const a of d.anomalies) L.push(`  [${a.severity === 'error' ? (ja ? '重要' : 'ERROR') : a.severity === 'warning' ? (ja ? '注意' : 'WARN') : ja ? '情報' : 'INFO'}] ${t(a.message)}`);
  }
  return L.join('\n');
}
