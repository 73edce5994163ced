/** How a job page shows the outcome of each of the accountant's jobs (main thread; server/jobs/views.ts joins them). */
import type { Lang, Msg } from '../../core/i18n.js';
import { yen } from '../../core/yen.js';
import { escapeHtml as h } from '../../report/html.js';
import { inactiveDebtsMessage } from '../../report/model.js';
import { depositLine, reconcileTotalsLine } from '../../report/reconcile-lines.js';
import type { InstructResult } from '../../steps/instruct/index.js';
import type { reconcile } from '../../steps/reconcile/index.js';
import { tr } from '../http.js';
import type { JobView } from '../jobs/view-types.js';
import type { WriteJobResult } from '../jobs/write-job.js';
import type { DocumentKind } from './jobs.js';

type ReconcileSummary = ReturnType<typeof reconcile>;

const bl = (id: string) => `<a href="/batches/${encodeURIComponent(id)}">${h(id)}</a>`;
const p = (m: Msg, lang: Lang, cls = '') => `<p${cls ? ` class="${cls}"` : ''}>${h(tr(m, lang))}</p>`;

export const DOCUMENT_LABELS: Readonly<Record<DocumentKind, Msg>> = {
  'seizure-record': { ja: '差押調書（謄本）', en: 'seizure records' },
  notice: { ja: '債権差押通知書', en: 'seizure notices' },
  release: { ja: '差押解除通知書', en: 'release notices' },
};

function instructView(r: InstructResult, lang: Lang): string {
  const t = (m: Msg) => h(tr(m, lang));
  const head = r.dryRun
    ? `<p class="ok">${t({ ja: `【試算のみ: 何も保存していません】取立指示 ${r.batch}（差押バッチ ${r.seizureBatch}、指示日 ${r.date}）`, en: `[dry run: nothing stored] instruction ${r.batch} (seizure batch ${r.seizureBatch}, instruction date ${r.date})` })}</p>`
    : `<p class="ok">${t({ ja: `取立指示バッチを作成しました（差押バッチ ${r.seizureBatch}、指示日 ${r.date}）: `, en: `instruction batch created (seizure batch ${r.seizureBatch}, instruction date ${r.date}): ` })}${bl(r.batch)}</p>`;
  const files = `<table><thead><tr><th>${t({ ja: '指示ファイル番号', en: 'File number' })}</th><th>${t({ ja: '差押依頼ファイル', en: 'Seizure file' })}</th><th>${t({ ja: '件数', en: 'Records' })}</th></tr></thead><tbody>${r.files
    .map((f) => `<tr><td>${h(f.fileNumber)}</td><td>${h(f.seizureFileNumber)}</td><td class="n">${h(f.records)}</td></tr>`)
    .join('')}</tbody></table>`;
  const totals = `<table class="totals"><tbody>${[
    [{ ja: '口座', en: 'Accounts' }, String(r.records)],
    [{ ja: '差押金額', en: 'Seized' }, yen(r.seizedTotal)],
    [{ ja: '取立指示額', en: 'Collect' }, yen(r.collectTotal)],
    [{ ja: '解除額', en: 'Release' }, yen(r.releaseTotal)],
    [{ ja: '解除のある口座', en: 'Accounts with a release' }, String(r.releases)],
  ]
    .map(([m, v]) => `<tr><th>${t(m as Msg)}</th><td class="n" data-total>${h(v as string)}</td></tr>`)
    .join('')}</tbody></table>`;
  const overrides =
    r.overrides.length === 0
      ? p({ ja: '指定（提案額からの変更）はありません。', en: 'No overrides (every account at its proposal).' }, lang)
      : `<h2>${t({ ja: '指定した取立指示額', en: 'Overrides' })}</h2><ul class="overrides">${r.overrides
          .map((o) => `<li>${h(o.record)}: ${t({ ja: `提案 ${yen(o.proposal)} → 取立指示額 ${yen(o.collect)}`, en: `proposal ${yen(o.proposal)} → collect ${yen(o.collect)}` })}</li>`)
          .join('')}</ul>`;
  const next = r.dryRun ? '' : `<p><a href="/batches/${encodeURIComponent(r.batch)}#write">${t({ ja: `次の手順: ${r.batch} を書き出す`, en: `next: write ${r.batch}` })}</a></p>`;
  return head + files + totals + overrides + next;
}

function writeView(r: WriteJobResult, lang: Lang): string {
  const t = (m: Msg) => h(tr(m, lang));
  const rows = r.written
    .map((f) => `<tr><td>${h(f.name)}</td><td class="n">${h(f.records)}</td><td class="n">${h(f.bytes)}</td><td><code>${h(f.sha256)}</code></td><td>${t(f.adopted ? { ja: '採用（同じ内容が既にありました）', en: 'adopted (already there, same bytes)' } : { ja: '書出し・読み戻し検証OK', en: 'written, read back and verified' })}</td></tr>`)
    .join('');
  const where =
    r.destination === 'media'
      ? p({ ja: '指定の媒体フォルダに書き出しました。合計表を印刷して押印し、媒体に添えてください。', en: 'Written to the media folder. Print and sign the totals sheet and send it with the media.' }, lang)
      : p({ ja: '下のファイルをダウンロードして媒体に保存してください（合計表は印刷して押印し、媒体に添えてください）。', en: 'Download the files below onto the media (print and sign the totals sheet and send it with the media).' }, lang);
  return `<p class="ok">${t({ ja: 'バッチ', en: 'batch' })} ${bl(r.batch)}</p>${where}<table><thead><tr><th>${t({ ja: 'ファイル', en: 'File' })}</th><th>${t({ ja: '件数', en: 'Records' })}</th><th>${t({ ja: 'バイト', en: 'Bytes' })}</th><th>SHA-256</th><th>${t({ ja: '検証', en: 'Check' })}</th></tr></thead><tbody>${rows}</tbody></table>${[...r.notes.map((n) => p(n, lang)), ...r.warnings.map((w) => p(w, lang, 'err'))].join('')}`;
}

function reconcileView(s: ReconcileSummary, lang: Lang): string {
  const t = (m: Msg) => h(tr(m, lang));
  const lines: string[] = [];
  if (!s.changed) lines.push(p({ ja: `バッチ ${s.batchId} は消込済みです（変更なし）`, en: `Batch ${s.batchId} is already reconciled (nothing changed)` }, lang, 'ok'));
  else {
    lines.push(p({ ja: `バッチ ${s.batchId} を消込しました（充当ポリシー ${s.policy ?? ''}）`, en: `Batch ${s.batchId} reconciled (policy ${s.policy ?? ''})` }, lang, 'ok'));
    lines.push(p(reconcileTotalsLine(s), lang));
  }
  lines.push(
    `<table class="totals"><tbody>${[
      [{ ja: '取立額', en: 'Collected' }, yen(s.collected)],
      [{ ja: '収納件数', en: 'Receipts' }, String(s.receipts.count)],
      [{ ja: '本税', en: 'Principal' }, yen(s.receipts.honzei)],
      [{ ja: '延滞金', en: 'Late charge' }, yen(s.receipts.entaikin)],
      [{ ja: '督促手数料', en: 'Fee' }, yen(s.receipts.fee)],
      [{ ja: '過誤納金', en: 'Overpayment' }, yen(s.overpayment.amount)],
    ]
      .map(([m, v]) => `<tr><th>${t(m as Msg)}</th><td class="n">${h(v as string)}</td></tr>`)
      .join('')}</tbody></table>`,
  );
  if (!s.deposits.statementImported) lines.push(p({ ja: '入金明細は未取込です。取り込むと自動で照合されます（import statement）', en: 'No statement imported yet; it is matched when imported (import statement)' }, lang));
  else {
    const mismatches = s.deposits.matches.filter((m) => !m.matched).length;
    lines.push(p({ ja: `入金明細との照合: 不一致 ${mismatches} 件`, en: `Statement matching: ${mismatches} mismatch(es)` }, lang, mismatches > 0 ? 'err' : 'ok'));
    lines.push(`<ul class="deposits">${s.deposits.matches.map((m) => `<li class="${m.matched ? 'ok' : 'err'}">${t(depositLine(m, s.deposits.files))}</li>`).join('')}</ul>`);
  }
  if (s.inactiveDebts.count > 0) lines.push(p({ ja: `要確認: ${inactiveDebtsMessage(s.inactiveDebts).ja}`, en: `Needs attention: ${inactiveDebtsMessage(s.inactiveDebts).en}` }, lang, 'err'));
  if (s.overpayment.count > 0) lines.push(p({ ja: '過誤納金があります。報告書で還付対象（宛名番号）を確認してください', en: 'There are overpayments to refund; see the report' }, lang));
  lines.push(`<p><a href="/batches/${encodeURIComponent(s.batchId)}">${t({ ja: `バッチ ${s.batchId} の報告書を開く`, en: `open the report of batch ${s.batchId}` })}</a></p>`);
  return lines.join('');
}

interface ExportView {
  batch: string;
  format: 'csv' | 'xlsx';
  encoding?: string;
  receipts: number;
  honzei: number;
  entaikin: number;
  fee: number;
  alreadyExported: number;
}

function exportView(r: ExportView, lang: Lang): string {
  const out = [
    p(
      {
        ja: `収納データ ${r.receipts} 件を${r.format === 'xlsx' ? ' Excel ブックに' : ` CSV（${r.encoding ?? ''}）に`}書き出しました（本税 ${yen(r.honzei)}・延滞金 ${yen(r.entaikin)}・督促手数料 ${yen(r.fee)}）`,
        en: `Wrote ${r.receipts} receipts to ${r.format === 'xlsx' ? 'a workbook' : `a CSV (${r.encoding ?? ''})`} (principal ${yen(r.honzei)}, late charge ${yen(r.entaikin)}, fee ${yen(r.fee)})`,
      },
      lang,
      'ok',
    ),
  ];
  if (r.alreadyExported > 0)
    out.push(p({ ja: `注意: このうち ${r.alreadyExported} 件は以前にも出力済みです。基幹システムへの二重取込に注意してください`, en: `Warning: ${r.alreadyExported} of them were exported before. Do not load them twice into the core system` }, lang, 'err'));
  return out.join('');
}

interface DocumentsView {
  batch: string;
  draft: boolean;
  documents: Array<{ kind: DocumentKind; file: string; index: string; pages: number; requests: number; numbers: { first: string; last: string; newlyAssigned: number } }>;
  missingGlyphs: Array<{ kind: DocumentKind; taxpayer: string; characters: number }>;
}

function documentsView(r: DocumentsView, lang: Lang): string {
  const t = (m: Msg) => h(tr(m, lang));
  const rows = r.documents
    .map((d) => `<tr><td>${t(DOCUMENT_LABELS[d.kind])}</td><td>${h(d.file)}</td><td class="n">${h(d.pages)}</td><td class="n">${h(d.requests)}</td><td>${h(d.numbers.first)}〜${h(d.numbers.last)}</td><td class="n">${h(d.numbers.newlyAssigned)}</td></tr>`)
    .join('');
  const table = `<table><thead><tr>${[
    { ja: '帳票', en: 'Document' },
    { ja: 'ファイル', en: 'File' },
    { ja: 'ページ', en: 'Pages' },
    { ja: '件数', en: 'Requests' },
    { ja: '文書番号', en: 'Numbers' },
    { ja: '新たに採番', en: 'Newly numbered' },
  ]
    .map((m) => `<th>${t(m)}</th>`)
    .join('')}</tr></thead><tbody>${rows}</tbody></table>`;
  const draft = r.draft ? p({ ja: '見本として作りました。交付には使えません', en: 'made as samples (marked 見本); not for service' }, lang, 'err') : '';
  const glyphs = r.missingGlyphs.map((m) =>
    p({ ja: `注意: ${DOCUMENT_LABELS[m.kind].ja} 宛名番号 ${m.taxpayer}: フォントにない文字 ${m.characters} 字を 〓 で印字しました。手書きで補ってください`, en: `warning: ${DOCUMENT_LABELS[m.kind].en}, taxpayer ${m.taxpayer}: ${m.characters} character(s) missing from the font printed as 〓; complete them by hand` }, lang, 'err'),
  );
  return `<p class="ok">${t({ ja: 'バッチ', en: 'batch' })} ${bl(r.batch)}</p>${table}${draft}${glyphs.join('')}`;
}

export const ACCOUNTANT_VIEWS: Record<string, JobView> = {
  'accountant.instruct': { title: { ja: '取立・解除指示（instruct）', en: 'Instruct (collect or release holds)' }, render: (r, lang) => instructView(r as InstructResult, lang) },
  'accountant.write-instruction': { title: { ja: '取立指示ファイルの書出し（write）', en: 'Write the instruction files' }, render: (r, lang) => writeView(r as WriteJobResult, lang) },
  'accountant.reconcile': { title: { ja: '消込（reconcile）', en: 'Reconcile' }, render: (r, lang) => reconcileView(r as ReconcileSummary, lang) },
  'accountant.export': { title: { ja: '収納データの出力（export receipts）', en: 'Export receipts' }, render: (r, lang) => exportView(r as ExportView, lang) },
  'accountant.documents': { title: { ja: '法定帳票（documents）', en: 'Legal documents' }, render: (r, lang) => documentsView(r as DocumentsView, lang) },
};
