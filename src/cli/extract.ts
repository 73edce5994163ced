import type { Command } from 'commander';
import { usageError } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { extract, type CollectionMode, type ExtractResult } from '../steps/extract/index.js';
import { REASON_LABELS, type ExclusionReason } from '../domain/eligibility.js';
import { globals, printJson, say, type GlobalOpts } from './context.js';
import { warnUnstatedRateYear } from './rate-year-warning.js';
import { runSelection } from './selection-run.js';
import { yen } from '../core/yen.js';
import { count } from '../core/table.js';

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}


export function register(program: Command): void {
  program
    .command('extract')
    .description('差押対象を抽出し、金融機関ごとにバッチを作る (select targets, one batch per bank)')
    .requiredOption('--date <date>', '処理日（差押執行日）YYYY-MM-DD / processing date')
    .option('--bank <code>', '金融機関コード（複数可）/ bank code (repeatable)', collect, [] as string[])
    .option('--collection <mode>', 'immediate（即時取立）| deferred（取立保留）')
    .option('--min-amount <yen>', '差押限度額の下限 / minimum limit')
    .option('--max-account-age <days>', '口座情報の有効日数（照会基準日・調査日から。既定 180）/ days account information stays usable (default 180)')
    .option('--allow-multiple-banks', '1人1件の原則を外す / lift the one-open-request rule')
    .option('--dry-run', '計算して表示するだけで保存しない / compute and report, store nothing')
    .option('--exclusions <file>', '対象外とした宛名番号と理由を CSV に書き出す（既存のファイルには書かない）/ write the excluded 宛名番号 and reasons as CSV (never over an existing file)')
    .action((o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      let minAmount: number | undefined;
      if (o['minAmount'] !== undefined) {
        const s = String(o['minAmount']).replaceAll(',', '');
        if (!/^\d+$/.test(s)) {
          throw usageError('extract.min-amount', { ja: `--min-amount は円単位の整数で指定してください（${String(o['minAmount'])}）。`, en: `--min-amount must be whole yen (${String(o['minAmount'])}).` });
        }
        minAmount = Number(s);
      }
      let maxAccountAge: number | undefined;
      if (o['maxAccountAge'] !== undefined) {
        const s = String(o['maxAccountAge']);
        if (!/^\d{1,5}$/.test(s)) {
          throw usageError('extract.max-account-age', {
            ja: `--max-account-age は日数（0以上の整数）で指定してください（${s}）。`,
            en: `--max-account-age must be a whole number of days, 0 or more (${s}).`,
          });
        }
        maxAccountAge = Number(s);
      }
      const coll = o['collection'];
      if (coll !== undefined && coll !== 'immediate' && coll !== 'deferred') {
        throw usageError('extract.collection', { ja: `--collection は immediate か deferred です（${String(coll)}）。`, en: `--collection is immediate or deferred (${String(coll)}).` });
      }
      runSelection(
        g,
        {
          exclusions: typeof o['exclusions'] === 'string' ? o['exclusions'] : undefined,
          progress: (done, total) => ({ ja: `抽出中… ${done} / ${total} 人`, en: `extracting… ${done} / ${total} taxpayers` }),
        },
        (db, hooks) =>
          extract(db, {
            ...hooks,
            date: String(o['date']),
            banks: o['bank'] as string[],
            ...(coll !== undefined ? { collection: coll as CollectionMode } : {}),
            ...(minAmount !== undefined ? { minAmount } : {}),
            ...(maxAccountAge !== undefined ? { maxAccountAge } : {}),
            allowMultipleBanks: o['allowMultipleBanks'] === true,
            dryRun: o['dryRun'] === true,
            ...(g.operator !== undefined ? { operator: g.operator } : {}),
          }),
        (r) => {
          if (r.batches.length > 0) warnUnstatedRateYear([r.processingDate]);
          if (g.json) {
            printJson({
              batches: r.batches.map((b) => ({
                id: b.id,
                bankCode: b.bankCode,
                fileNumber: b.fileNumber,
                requests: b.requests,
                records: b.records,
                limitTotal: b.limitTotal,
                collection: b.collectionMode,
              })),
              excluded: r.excluded,
              debtsLeftOut: r.debtsLeftOut,
              accountsLeftOut: r.accountsLeftOut,
              protected: r.protected,
            });
          } else printHuman(g, r);
        },
      );
    });
}

function printHuman(g: GlobalOpts, r: ExtractResult): void {
  say(g, t(r.dryRun
    ? { ja: `【試算のみ（--dry-run）: 何も保存していません】処理日 ${r.processingDate}`, en: `[dry run: nothing stored] processing date ${r.processingDate}` }
    : { ja: `抽出しました（抽出番号 ${r.extractionId}）処理日 ${r.processingDate}`, en: `extracted (extraction ${r.extractionId}), processing date ${r.processingDate}` }));
  if (r.batches.length === 0) say(g, t({ ja: '作成したバッチはありません。', en: 'no batch created.' }));
  for (const b of r.batches) {
    const files = b.files > 1 ? t({ ja: `（${b.files}ファイル: 番号 ${b.fileNumber}〜${b.fileNumber + b.files - 1}）`, en: ` (${b.files} files: ${b.fileNumber}–${b.fileNumber + b.files - 1})` }) : '';
    say(g, t({
      ja: `  バッチ ${b.id}  金融機関 ${b.bankCode}  ファイル番号 ${b.fileNumber}${files}  依頼 ${count(b.requests)}件  口座 ${count(b.records)}件  差押限度額合計 ${yen(b.limitTotal)}  ${b.collectionMode === 'deferred' ? '取立保留' : '即時取立'}`,
      en: `  batch ${b.id}  bank ${b.bankCode}  file ${b.fileNumber}${files}  requests ${count(b.requests)}  records ${count(b.records)}  limit total ${yen(b.limitTotal)}  ${b.collectionMode}`,
    }));
  }
  if (r.protected.requests > 0) {
    say(g, t({
      ja: `差押禁止の入金（年金・児童手当等）がある口座: ${count(r.protected.accounts)}口座・保護額合計 ${yen(r.protected.amount)}（その依頼 ${count(r.protected.requests)}件は取立保留のバッチに入れました。保護額は後の取立指示で解除できます）`,
      en: `accounts with protected credits (pension, child allowance …): ${count(r.protected.accounts)}, protected total ${yen(r.protected.amount)} (their ${count(r.protected.requests)} requests are in the 取立保留 (deferred) batch; release the protected part by instruction later)`,
    }));
  }
  const ex = Object.entries(r.excluded);
  if (ex.length > 0) {
    say(g, t({ ja: '対象外（理由別）:', en: 'excluded (by reason):' }));
    for (const [k, n] of ex) say(g, `  ${t(REASON_LABELS[k as ExclusionReason])} [${k}]: ${count(n)}`);
  }
  const dl = Object.entries(r.debtsLeftOut);
  if (dl.length > 0) {
    say(g, t({ ja: '依頼に含めなかった債権:', en: 'debts left out:' }));
    for (const [k, n] of dl) say(g, `  ${t(REASON_LABELS[k as keyof typeof REASON_LABELS])} [${k}]: ${count(n)}`);
  }
  const al = Object.entries(r.accountsLeftOut);
  if (al.length > 0) {
    say(g, t({ ja: '依頼に含めなかった口座:', en: 'accounts left out:' }));
    for (const [k, n] of al) say(g, `  ${t(REASON_LABELS[k as keyof typeof REASON_LABELS])} [${k}]: ${count(n)}`);
  }
  if (r.unconfiguredBanks.length > 0) {
    say(g, t({ ja: `注意: 設定のない金融機関 ${r.unconfiguredBanks.join(', ')} は対象外です（sashiosae settings で設定してください）。`, en: `note: banks without settings were skipped: ${r.unconfiguredBanks.join(', ')} (configure them with sashiosae settings).` }));
  }
  if (!r.dryRun && r.batches.length > 0) {
    say(g, t({ ja: `次の手順: sashiosae write ${r.batches.map((b) => b.id).join(' ')} --media <USBのフォルダ>`, en: `next: sashiosae write ${r.batches.map((b) => b.id).join(' ')} --media <USB folder>` }));
  }
}
