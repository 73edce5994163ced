/**
 * `holds [BATCH] [--json]` (cli.md; instruction-120.md "Writing instructions"): held
 * seizures with 差押金額, protected amount at inquiry, proposal and state. People by
 * 宛名番号, accounts masked. The state list of cli.md's JSON omits `released`; it is a
 * state value here too, as cli.md "holds states" names it.
 */
import type { Command } from 'commander';
import { t } from '../core/i18n.js';
import { maskAccount } from '../core/mask.js';
import { count, formatTable } from '../core/table.js';
import { yen } from '../core/yen.js';
import { openDb } from '../db/connection.js';
import { HOLD_STATES, holdStateMsg } from '../domain/hold.js';
import { recordKey } from '../steps/instruct/index.js';
import { listHolds } from '../steps/holds/index.js';
import { globals, printJson, say } from './context.js';

export function register(program: Command): void {
  program
    .command('holds')
    .description('取立保留中の差押（保護額・取立提案額・状態）(held seizures with protected amounts, proposals and state)')
    .argument('[batch]', '取立保留の差押バッチID（省略時は消込前の全バッチ）/ deferred seizure batch id (default: every one not yet reconciled)')
    .action((batch: string | undefined, _o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const r = listHolds(db, batch);
        if (g.json) {
          printJson({
            holds: r.rows.map((h) => ({
              batch: h.batchId,
              request: h.requestNumber,
              sub: h.subNumber,
              taxpayer: h.atena,
              account: maskAccount(h.accountNumber),
              seized: h.seized,
              protected: h.protectedAmount,
              proposal: h.proposal,
              state: h.state,
            })),
          });
          return;
        }
        if (r.rows.length === 0) {
          say(g, t(batch === undefined
            ? { ja: '取立保留中の差押はありません。', en: 'no held seizures.' }
            : { ja: `バッチ ${batch} に取立保留中の差押はありません。`, en: `batch ${batch} has no held seizures.` }));
          return;
        }
        const ja = t({ ja: 'ja', en: 'en' }) === 'ja';
        const head = ja
          ? ['バッチ', '依頼番号-枝番', '宛名番号', '口座', '差押金額', '保護額（照会時）', '取立提案額', '状態']
          : ['batch', 'request-sub', 'taxpayer', 'account', 'seized', 'protected', 'proposal', 'state'];
        const body = r.rows.map((h) => [
          h.batchId,
          recordKey(h.requestNumber, h.subNumber),
          h.atena,
          maskAccount(h.accountNumber),
          yen(h.seized),
          yen(h.protectedAmount),
          yen(h.proposal),
          t(holdStateMsg(h.state)),
        ]);
        for (const line of formatTable([head, ...body], ['left', 'left', 'left', 'left', 'right', 'right', 'right', 'left'])) say(g, line);
        say(g, t({ ja: '状態別の合計:', en: 'totals by state:' }));
        const totals = HOLD_STATES.filter((s) => r.counts[s].records > 0).map((s) =>
          ja
            ? [`  ${t(holdStateMsg(s))}`, `${count(r.counts[s].records)}件`, `差押金額 ${yen(r.counts[s].seized)}`, `取立提案額 ${yen(r.proposals[s])}`]
            : [`  ${t(holdStateMsg(s))}`, `${count(r.counts[s].records)} records`, `seized ${yen(r.counts[s].seized)}`, `proposal ${yen(r.proposals[s])}`],
        );
        for (const line of formatTable(totals, ['left', 'right', 'right', 'right'])) say(g, line);
      } finally {
        db.close();
      }
    });
}
