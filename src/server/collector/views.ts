/**
 * How a job page shows the outcome of each of the collector's jobs (main thread; server/jobs/views.ts
 * joins them): the counts the CLI's summary prints (cli/import.ts, inquire.ts, extract.ts, write.ts),
 * as tables, with links to the batches made.
 */
import type { Lang, Msg } from '../../core/i18n.js';
import { count } from '../../core/table.js';
import { yen } from '../../core/yen.js';
import { INQUIRE_REASON_LABELS, REASON_LABELS } from '../../domain/eligibility.js';
import type { ExtractResult } from '../../steps/extract/index.js';
import type { InquireResult } from '../../steps/inquire/index.js';
import { escapeHtml as h } from '../../report/html.js';
import { tr } from '../http.js';
import type { JobView } from '../jobs/view-types.js';
import type { ImportJobResult, WriteJobResult } from './jobs.js';
import { ROLE_LABEL } from './labels.js';

const p = (m: Msg, lang: Lang, cls = ''): string => `<p${cls ? ` class="${cls}"` : ''}>${h(tr(m, lang))}</p>`;

function table(head: readonly Msg[], rows: readonly string[][], lang: Lang): string {
  return `<table><thead><tr>${head.map((m) => `<th>${h(tr(m, lang))}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.join('')}</tr>`).join('')}</tbody></table>`;
}
const td = (v: string | number): string => `<td>${h(v)}</td>`;
const tdn = (v: number): string => `<td class="n">${h(count(v))}</td>`;
const batchLink = (id: string): string => `<td><a href="/batches/${encodeURIComponent(id)}">${h(id)}</a></td>`;

type Labels = Partial<Record<string, { ja: string; en: string }>>;

/** Counts by reason code, in the order the step gives them (the order it tries them, as the CLI prints them). */
function byReason(title: Msg, counts: Record<string, number>, lang: Lang, ...labels: Labels[]): string {
  const keys = Object.keys(counts);
  if (keys.length === 0) return '';
  const label = (k: string) => labels.map((l) => l[k]).find((m) => m !== undefined);
  return `<h2>${h(tr(title, lang))}</h2>${table(
    [{ ja: '理由', en: 'Reason' }, { ja: 'コード', en: 'Code' }, { ja: '件数', en: 'Count' }],
    keys.map((k) => {
      const m = label(k);
      return [td(m ? tr(m, lang) : k), `<td><code>${h(k)}</code></td>`, tdn(counts[k] ?? 0)];
    }),
    lang,
  )}`;
}

const dryRunNote = (dry: boolean, lang: Lang): string => (dry ? p({ ja: '【試算のみ（dry run）: 何も保存していません】', en: '[dry run: nothing was stored]' }, lang, 'ok') : '');

function renderImport(result: unknown, lang: Lang): string {
  const s = result as ImportJobResult;
  let out = p({ ja: `取り込み #${s.import} を記録しました（基準日 ${s.asOf}）`, en: `import #${s.import} recorded (as of ${s.asOf})` }, lang, 'ok');
  out += table(
    [{ ja: 'ファイル', en: 'File' }, { ja: '種類', en: 'Kind' }, { ja: '取り込んだ件数', en: 'Imported' }, { ja: '文字コード', en: 'Encoding' }, { ja: '除外した行', en: 'Rows rejected' }],
    s.perFile.map((f) => [td(f.name), td(tr(ROLE_LABEL[f.role], lang)), tdn(f.rows), td(f.encoding === 'utf8' ? 'UTF-8' : 'CP932'), tdn(f.rejected)]),
    lang,
  );
  if (!s.withAccounts) out += p({ ja: '口座: 今回の取り込みに accounts.csv はありません（登録済みの口座・照会の回答はそのまま）', en: 'accounts: not part of this import (the known accounts and inquiry answers are left as they are)' }, lang);
  const ia = s.inactivated;
  out += p(
    {
      ja: `今回の出力に無かったため無効にした行（履歴として保持、今後差押しません）: 滞納者 ${count(ia.taxpayers)}・債権 ${count(ia.debts)}・口座 ${count(ia.accounts)}`,
      en: `absent from this export, now inactive (kept, never seized): taxpayers ${count(ia.taxpayers)}, debts ${count(ia.debts)}, accounts ${count(ia.accounts)}`,
    },
    lang,
  );
  if (s.receiptsIncluded > 0) out += p({ ja: `本システムで記帳した収納のうち、この出力に反映済みのもの: ${count(s.receiptsIncluded)} 件`, en: `receipts booked here that this export already contains: ${count(s.receiptsIncluded)}` }, lang);
  if (s.paymentMismatches > 0) {
    const list = s.mismatchChotei.slice(0, 20).join(', ') + (s.paymentMismatches > 20 ? ' …' : '');
    out += p(
      {
        ja: `収納履歴の合計が本税収納済額と一致しない債権: ${count(s.paymentMismatches)} 件（未納額は本税収納済額で計算します）: ${list}`,
        en: `debts whose payment history does not sum to 本税収納済額: ${count(s.paymentMismatches)} (outstanding follows 本税収納済額): ${list}`,
      },
      lang,
    );
  }
  if (s.debtsWithoutHistory > 0)
    out += p(
      {
        ja: `一部収納済みで収納履歴のない債権: ${count(s.debtsWithoutHistory)} 件（延滞金は実際より少なく出ることがあります。payments.csv を添えてください）`,
        en: `partly paid debts without a payment history: ${count(s.debtsWithoutHistory)} (延滞金 can only be under-stated; add payments.csv)`,
      },
      lang,
    );
  if (s.rejected > 0)
    out += p({ ja: `不備のため取り込まなかった行: ${count(s.rejected)} 行。理由は下の除外ファイル（.rejected.csv）にあります。`, en: `rows not imported because they are invalid: ${count(s.rejected)}; the reasons are in the reject files below (.rejected.csv).` }, lang, 'err');
  out += `<p><a href="/collector/inquire">${h(tr({ ja: '次: 預金照会', en: 'next: deposit inquiry' }, lang))}</a> · <a href="/collector/extract">${h(tr({ ja: '差押対象の抽出', en: 'extract seizure targets' }, lang))}</a></p>`;
  return out;
}

function renderInquire(result: unknown, lang: Lang): string {
  const r = result as InquireResult;
  const history = r.historyFrom === null ? { ja: '取引明細なし', en: 'no transaction history' } : { ja: `取引明細 ${r.historyFrom}〜`, en: `history from ${r.historyFrom}` };
  let out = dryRunNote(r.dryRun, lang);
  out += p(
    r.dryRun
      ? { ja: `照会 第${r.run}回（試算）照会基準日 ${r.date}（${history.ja}）`, en: `inquiry run ${r.run} (dry run), base date ${r.date} (${history.en})` }
      : { ja: `照会バッチを作成しました（照会 第${r.run}回）照会基準日 ${r.date}（${history.ja}）`, en: `inquiry batches created (run ${r.run}), base date ${r.date} (${history.en})` },
    lang,
  );
  if (r.batches.length === 0) out += p({ ja: '作成したバッチはありません。', en: 'no batch created.' }, lang);
  else
    out += table(
      [{ ja: 'バッチID', en: 'Batch' }, { ja: '金融機関', en: 'Bank' }, { ja: 'ファイル番号', en: 'File numbers' }, { ja: '照会件数', en: 'Inquiries' }],
      r.batches.map((b) => [r.dryRun ? td(b.id) : batchLink(b.id), td(b.bankCode), td(b.fileNumbers.join(', ')), tdn(b.inquiries)]),
      lang,
    );
  out += byReason({ ja: '対象外（理由別）', en: 'Excluded (by reason)' }, r.excluded, lang, INQUIRE_REASON_LABELS, REASON_LABELS);
  const skipped = r.skipped['recently-inquired'];
  if (skipped > 0) out += p({ ja: `照会しなかった金融機関（最近照会済み）[recently-inquired]: ${count(skipped)} 件（人×金融機関）`, en: `skipped (recently inquired) [recently-inquired]: ${count(skipped)} (taxpayer × bank)` }, lang);
  const s = r.substituted;
  out += `<h2>${h(tr({ ja: '書き換え（照会レコード・項目ごと）', en: 'Substituted (per inquiry record and field)' }, lang))}</h2>${table(
    [{ ja: '外字を〓に', en: '外字 as 〓' }, { ja: '氏名の切り詰め', en: 'name shortened' }, { ja: '住所の切り詰め', en: 'address shortened' }],
    [[tdn(s.gaiji), tdn(s.nameShortened), tdn(s.addressShortened)]],
    lang,
  )}`;
  if (!r.dryRun && r.batches.length > 0) out += p({ ja: '次の手順: 各バッチのページで媒体に書き出します。', en: 'next: write each batch from its page.' }, lang);
  return out;
}

function renderExtract(result: unknown, lang: Lang): string {
  const r = result as ExtractResult;
  let out = dryRunNote(r.dryRun, lang);
  out += p(r.dryRun ? { ja: `処理日 ${r.processingDate}（試算）`, en: `processing date ${r.processingDate} (dry run)` } : { ja: `抽出しました（抽出番号 ${r.extractionId}）処理日 ${r.processingDate}`, en: `extracted (extraction ${r.extractionId}), processing date ${r.processingDate}` }, lang);
  if (r.batches.length === 0) out += p({ ja: '作成したバッチはありません。', en: 'no batch created.' }, lang);
  else
    out += table(
      [
        { ja: 'バッチID', en: 'Batch' },
        { ja: '金融機関', en: 'Bank' },
        { ja: '取立', en: 'Collection' },
        { ja: 'ファイル番号', en: 'File numbers' },
        { ja: '依頼', en: 'Requests' },
        { ja: '口座', en: 'Records' },
        { ja: '差押限度額合計', en: 'Limit total' },
      ],
      r.batches.map((b) => [
        r.dryRun ? td(b.id) : batchLink(b.id),
        td(b.bankCode),
        td(tr(b.collectionMode === 'deferred' ? { ja: '取立保留', en: 'deferred (取立保留)' } : { ja: '即時取立', en: 'immediate' }, lang)),
        td(b.files > 1 ? `${b.fileNumber}–${b.fileNumber + b.files - 1}` : String(b.fileNumber)),
        tdn(b.requests),
        tdn(b.records),
        `<td class="n">${h(yen(b.limitTotal))}</td>`,
      ]),
      lang,
    );
  out += `<h2>${h(tr({ ja: '差押禁止の入金（年金・児童手当等）', en: 'Protected credits (pension, child allowance …)' }, lang))}</h2>${table(
    [{ ja: '依頼（取立保留へ）', en: 'Requests (to 取立保留)' }, { ja: '口座', en: 'Accounts' }, { ja: '保護額合計', en: 'Protected total' }],
    [[tdn(r.protected.requests), tdn(r.protected.accounts), `<td class="n">${h(yen(r.protected.amount))}</td>`]],
    lang,
  )}`;
  out += byReason({ ja: '対象外（理由別）', en: 'Excluded (by reason)' }, r.excluded, lang, REASON_LABELS);
  out += byReason({ ja: '依頼に含めなかった債権', en: 'Debts left out' }, r.debtsLeftOut, lang, REASON_LABELS);
  out += byReason({ ja: '依頼に含めなかった口座', en: 'Accounts left out' }, r.accountsLeftOut, lang, REASON_LABELS);
  if (r.unconfiguredBanks.length > 0)
    out += p({ ja: `注意: 設定のない金融機関 ${r.unconfiguredBanks.join(', ')} は対象外です（管理者が設定してください）。`, en: `note: banks without settings were skipped: ${r.unconfiguredBanks.join(', ')} (an administrator configures them).` }, lang, 'err');
  if (!r.dryRun && r.batches.length > 0) out += p({ ja: '次の手順: 各バッチのページで媒体に書き出します。', en: 'next: write each batch from its page.' }, lang);
  return out;
}

function renderWrite(result: unknown, lang: Lang): string {
  const r = result as WriteJobResult;
  let out = p(
    r.destination === 'media'
      ? { ja: `バッチ ${r.batch} をサーバーのフォルダ ${r.mediaDir ?? ''} に書き出し、読み戻して検証しました。`, en: `batch ${r.batch} written to the server's folder ${r.mediaDir ?? ''}, read back and verified.` }
      : { ja: `バッチ ${r.batch} を書き出し、読み戻して検証しました。下のファイルをダウンロードして媒体に保存してください。`, en: `batch ${r.batch} written, read back and verified; download the files below onto the media.` },
    lang,
    'ok',
  );
  out += table(
    [{ ja: '依頼ファイル', en: 'Request file' }, { ja: 'ファイル番号', en: 'File number' }, { ja: 'レコード', en: 'Records' }, { ja: 'バイト', en: 'Bytes' }, { ja: 'SHA-256（マニフェスト）', en: 'SHA-256 (manifest)' }],
    r.written.map((f) => [
      td(f.name + (f.adopted ? tr({ ja: '（同じ内容の既存ファイルを採用）', en: ' (existing identical file adopted)' }, lang) : '')),
      tdn(f.fileNumber),
      tdn(f.records),
      tdn(f.bytes),
      `<td><code>${h(f.sha256)}</code></td>`,
    ]),
    lang,
  );
  const beside = r.files.filter((f) => !r.written.some((w) => w.name === f.name)).map((f) => f.name);
  if (beside.length > 0) out += p({ ja: `マニフェストと合計表: ${beside.join('、')}`, en: `manifest and totals sheet: ${beside.join(', ')}` }, lang);
  for (const n of r.notes) out += p(n, lang);
  for (const w of r.warnings) out += p({ ja: `警告: ${w.ja}`, en: `Warning: ${w.en}` }, lang, 'err');
  return out;
}

export const COLLECTOR_VIEWS: Record<string, JobView> = {
  'collector.import-targets': { title: { ja: '滞納データの取り込み', en: 'Import the delinquency export' }, render: renderImport },
  'collector.inquire': { title: { ja: '預金照会', en: 'Deposit inquiry' }, render: renderInquire },
  'collector.extract': { title: { ja: '差押対象の抽出', en: 'Extract seizure targets' }, render: renderExtract },
  'collector.write': { title: { ja: '依頼ファイルの書出し', en: 'Write request files' }, render: renderWrite },
};
