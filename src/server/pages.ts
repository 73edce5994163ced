/**
 * The server-rendered pages (issue 18 item 3, first slice): Japanese first, English with
 * `?lang=en`. No scripts at all (the CSP allows only same-origin scripts, and there are none).
 */
import type { Lang, Msg } from '../core/i18n.js';
import { AppError } from '../core/errors.js';
import { escapeHtml as h } from '../report/html.js';
import type { BatchRow } from '../db/batches.js';
import { batchKindMsg, batchStateMsg } from '../domain/vocabulary.js';
import { ROLE_LABELS } from '../domain/users.js';
import type { UserInfo } from '../db/users.js';
import { mayDo } from '../domain/users.js';
import { yen } from '../core/yen.js';
import { tr, type NavLink } from './http.js';
import { fieldLabel } from './field-names.js';
import type { NextStepLink } from './next-step.js';
import { COLLECTOR_NAV } from './collector/nav.js';
import { LIAISON_NAV } from './liaison/nav.js';
import { ACCOUNTANT_NAV } from './accountant/nav.js';
import { ADMIN_NAV } from './admin/nav.js';

/** The header's links: each area's pages, shown to the roles that may use them. */
const NAV: NavLink[] = [...COLLECTOR_NAV, ...LIAISON_NAV, ...ACCOUNTANT_NAV, ...ADMIN_NAV];

/** A link added to the header by a server's extra routes (the web demo's simulated bank); once per href. */
export function addNavLink(link: NavLink): void {
  if (!NAV.some((l) => l.href === link.href)) NAV.push(link);
}

const CSS = `
body{font-family:"IPAexGothic","Noto Sans CJK JP","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;margin:0;color:#222;background:#fff;line-height:1.45}
header{background:#1f3a5f;color:#fff;padding:.5em 1em;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
header a{color:#fff}header nav{display:flex;gap:.8em;flex-wrap:wrap}header .who{margin-left:auto}header form{margin:0}main{padding:1em;max-width:80em}
h1{font-size:1.4em;margin:.2em 0 .6em}h2{font-size:1.15em;margin:1.2em 0 .4em}
table{border-collapse:collapse;margin:.5em 0 1em}caption{text-align:left;font-weight:bold;padding:.2em 0}
th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
tbody tr:nth-child(even){background:#f8f9fb}table.wide td{font-size:.92em}
.err{color:#a00;font-weight:bold}.ok{color:#060;font-weight:bold}label{display:block;margin:.5em 0}form.inline label,form.filter label{display:inline}form.inline,form.filter{display:inline}
fieldset{margin:1em 0;border:1px solid #ccc}progress{width:30em;max-width:100%}code{font-size:90%}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #e8a317;outline-offset:2px}
.skip{position:absolute;left:-999em}.skip:focus{left:1em;top:.3em;background:#fff;color:#000;padding:.2em .5em;z-index:9}
@media print{header,.skip,form,.actions,.no-print{display:none!important}main{padding:0;max-width:none}body{font-size:10.5pt;color:#000}
a{color:#000;text-decoration:none}th{background:#eee!important}tbody tr:nth-child(even){background:none}table{page-break-inside:auto}tr{page-break-inside:avoid}thead{display:table-header-group}}
`;

export interface PageOptions {
  user?: UserInfo;
  csrf?: string;
  /** the page's own path (with its query), for the language switch to come back to */
  here?: string;
  /** load /assets/app.js (job pages) */
  script?: boolean;
  /** extra <head> content (e.g. a <noscript> refresh) */
  head?: string;
}

export function layout(title: string, body: string, lang: Lang, o: PageOptions = {}): string {
  const back = encodeURIComponent(o.here ?? '/');
  const other = lang === 'ja' ? `<a href="/lang/en?back=${back}" lang="en">English</a>` : `<a href="/lang/ja?back=${back}" lang="ja">日本語</a>`;
  const user = o.user;
  const here = (o.here ?? '').replace(/\?.*$/, '');
  const nav =
    user === undefined
      ? ''
      : `<nav aria-label="${h(tr({ ja: 'メニュー', en: 'Menu' }, lang))}">${[{ href: '/', label: { ja: 'バッチ一覧', en: 'Batches' } }, ...NAV.filter((l) => mayDo(user.role, l.action))]
          .map((l) => `<a href="${h(l.href)}"${l.href === here ? ' aria-current="page"' : ''}>${h(tr(l.label, lang))}</a>`)
          .join('')}</nav>`;
  const who =
    user === undefined
      ? ''
      : `<span class="who">${h(user.name)}${lang === 'ja' ? `（${h(ROLE_LABELS[user.role].ja)}）` : ` (${h(ROLE_LABELS[user.role].en)})`}</span>` +
        `<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${h(o.csrf ?? '')}"><button type="submit">${h(tr({ ja: 'サインアウト', en: 'Sign out' }, lang))}</button></form>`;
  // the product's name: 差押 is Japanese, so English pages name it by its romanisation only
  const brand = lang === 'ja' ? '差押 sashiosae' : 'sashiosae';
  const script = o.script === true ? '<script src="/assets/app.js" defer></script>' : '';
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${h(title)} — ${brand}</title><style>${CSS}</style>${o.head ?? ''}${script}</head>
<body><a class="skip" href="#main">${h(tr({ ja: '本文へ', en: 'Skip to content' }, lang))}</a><header><strong>${brand}</strong>${nav}${who}${other}</header><main id="main">${body}</main></body></html>
`;
}

export function loginPage(lang: Lang, csrf: string, error?: Msg): string {
  const t = (m: Msg) => h(tr(m, lang));
  const err = error === undefined ? '' : `<p class="err" role="alert">${t(error)}</p>`;
  return layout(
    tr({ ja: 'サインイン', en: 'Sign in' }, lang),
    `<h1>${t({ ja: 'サインイン', en: 'Sign in' })}</h1>${err}
<form method="post" action="/login${lang === 'en' ? '?lang=en' : ''}">
<input type="hidden" name="_csrf" value="${h(csrf)}">
<label>${t({ ja: '利用者名', en: 'User name' })} <input name="username" autocomplete="username" required></label>
<label>${t({ ja: 'パスワード', en: 'Password' })} <input name="password" type="password" autocomplete="current-password" required></label>
<button type="submit">${t({ ja: 'サインイン', en: 'Sign in' })}</button>
</form>`,
    lang,
    { here: '/login' },
  );
}

export interface BatchLine {
  row: BatchRow;
  next: Msg | null;
  /** the page of the next step (server/next-step.ts), shown to the roles that may do it */
  link: NextStepLink | null;
}

/**
 * The batch list `/`: every batch (or those in `state`), newest first, with its created date,
 * the next step in the CLI's words and, for the signed-in role, a link to where it does it.
 */
export function batchesPage(lines: readonly BatchLine[], lang: Lang, user: UserInfo, csrf: string, state?: string): string {
  const t = (m: Msg) => h(tr(m, lang));
  const filter = state !== undefined && state !== '' ? state : undefined;
  const states = [...new Set([...lines.map((l) => l.row.state), ...(filter !== undefined ? [filter] : [])])];
  const shown = filter === undefined ? lines : lines.filter((l) => l.row.state === filter);
  const form = `<form method="get" action="/" class="filter"><label>${t({ ja: '状態で絞り込む', en: 'Filter by state' })} <select name="state"><option value="">${t({ ja: 'すべて', en: 'all' })}</option>${states
    .map((s) => `<option value="${h(s)}"${s === filter ? ' selected' : ''}>${t(batchStateMsg(s))}</option>`)
    .join('')}</select></label> <button type="submit">${t({ ja: '表示', en: 'Show' })}</button></form>`;
  const caption =
    filter === undefined
      ? t({ ja: `バッチ ${lines.length} 件（新しい順）`, en: `${lines.length} batches (newest first)` })
      : t({ ja: `状態「${batchStateMsg(filter).ja}」のバッチ ${shown.length} 件（全 ${lines.length} 件）`, en: `${shown.length} of ${lines.length} batches in state “${batchStateMsg(filter).en}”` });
  const table =
    shown.length === 0
      ? `<p>${t({ ja: 'この状態のバッチはありません。', en: 'No batch is in this state.' })}</p>`
      : `<table class="batches"><caption>${caption}</caption><thead><tr>${[
          { ja: 'バッチID', en: 'Batch' },
          { ja: '種別', en: 'Kind' },
          { ja: '金融機関', en: 'Bank' },
          { ja: '状態', en: 'State' },
          { ja: '次の手順', en: 'Next step' },
          { ja: '執行日・基準日・指示日', en: 'Date' },
          { ja: '作成日', en: 'Created' },
          { ja: '依頼・照会', en: 'Requests' },
          { ja: '口座', en: 'Records' },
          { ja: '限度額合計', en: 'Limit total' },
        ]
          .map((m) => `<th scope="col">${t(m)}</th>`)
          .join('')}</tr></thead><tbody>${shown
          .map(({ row: b, next, link }) => {
            const go = next !== null && link !== null && mayDo(user.role, link.action) ? ` <a href="${h(link.href)}" class="next no-print">${t({ ja: '手順へ', en: 'go to step' })}<span class="skip"> ${h(b.id)}</span></a>` : '';
            const cells = [
              `<a href="/batches/${encodeURIComponent(b.id)}">${h(b.id)}</a>`,
              t(batchKindMsg(b.kind)),
              h(b.bank_code),
              t(batchStateMsg(b.state)),
              next === null ? '—' : `${t(link?.label ?? next)}${go}`,
              h(b.execution_date),
              h(b.created_at.slice(0, 10)),
            ];
            return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}<td class="n">${h(b.requests)}</td><td class="n">${h(b.records)}</td><td class="n">${b.kind === 'seizure' ? h(yen(b.limit_total)) : '—'}</td></tr>`;
          })
          .join('')}</tbody></table>`;
  const body =
    lines.length === 0
      ? `<p>${t({ ja: 'バッチはまだありません（inquire または extract で作ります）。', en: 'No batches yet (inquire or extract creates them).' })}</p>`
      : `${form}${table}`;
  const here = filter === undefined ? '/' : `/?state=${encodeURIComponent(filter)}`;
  return layout(tr({ ja: 'バッチ一覧', en: 'Batches' }, lang), `<h1>${t({ ja: 'バッチ一覧', en: 'Batches' })}</h1>${body}`, lang, { user, csrf, here });
}

/** A whole report document (report/html.ts & co.) with the application's header put after <body>. */
export function withHeader(report: string, lang: Lang, user: UserInfo, csrf: string, here = '/'): string {
  const head = layout('', '', lang, { user, csrf, here });
  const header = /<header>[\s\S]*<\/header>/.exec(head)?.[0] ?? '';
  const style = `<style>${CSS.replace(/body\{[^}]*\}/, '')}</style>`;
  return report.replace(/<body([^>]*)>/, (m) => `${m}${style}${header}`);
}

export function errorPage(status: number, msg: Msg, lang: Lang, user?: UserInfo, csrf?: string, here?: string): string {
  return layout(String(status), `<h1>${status}</h1><p class="err">${h(tr(msg, lang))}</p>`, lang, { ...(user ? { user } : {}), ...(csrf ? { csrf } : {}), ...(here ? { here } : {}) });
}

/** `text` with each server-side path replaced by the name it stands for (an upload's own name). */
export function unalias(text: string, aliases: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [p, name] of Object.entries(aliases)) out = out.split(p).join(name);
  return out;
}

/**
 * An error as a page shows it: its message, then its findings (record, byte offset, field,
 * what was expected and found — personal values arrive masked by the steps) in a table.
 */
export function errorSection(e: AppError | Error, lang: Lang, aliases: Readonly<Record<string, string>> = {}): string {
  const t = (m: Msg) => h(unalias(tr(m, lang), aliases));
  if (!(e instanceof AppError)) return `<p class="err" role="alert">${h(tr({ ja: '予期しないエラーで止まりました（何も保存していません）', en: 'stopped by an unexpected error (nothing was stored)' }, lang))}</p>`;
  const loc = e.location;
  const where = loc === undefined ? '' : [loc.file !== undefined ? unalias(loc.file, aliases) : undefined, loc.line !== undefined ? `${tr({ ja: '行', en: 'line' }, lang)} ${loc.line}` : undefined, loc.record !== undefined ? `${tr({ ja: 'レコード', en: 'record' }, lang)} ${loc.record + 1}` : undefined, loc.offset !== undefined ? `${tr({ ja: 'バイト位置', en: 'byte offset' }, lang)} ${loc.offset}` : undefined, loc.field].filter((x) => x !== undefined).join(lang === 'ja' ? '、' : ', ');
  const head = `<p class="err" role="alert">${t(e.msg)}${where ? (lang === 'ja' ? `（${h(where)}）` : ` (${h(where)})`) : ''}</p><p>${h(tr({ ja: `終了コード ${e.exit}・${e.code}`, en: `exit code ${e.exit} · ${e.code}` }, lang))}</p>`;
  if (e.findings.length === 0) return head;
  const rows = e.findings
    .map((f) => `<tr><td>${h(f.file !== undefined ? unalias(f.file, aliases) : '')}</td><td class="n">${h(f.line ?? (f.record !== undefined ? f.record + 1 : ''))}</td><td class="n">${h(f.offset ?? '')}</td><td>${h(f.field !== undefined ? fieldLabel(f.field) : (f.column ?? ''))}</td><td>${t(f.message)}</td><td>${h(f.expected ?? '')}</td><td>${h(f.found ?? '')}</td></tr>`)
    .join('');
  const more = e.moreFindings > 0 ? `<p>${h(tr({ ja: `ほかに ${e.moreFindings} 件の指摘があります`, en: `${e.moreFindings} more findings` }, lang))}</p>` : '';
  return `${head}<table class="findings"><caption>${h(tr({ ja: `指摘 ${e.findings.length} 件`, en: `${e.findings.length} finding(s)` }, lang))}</caption><thead><tr>${[
    { ja: 'ファイル', en: 'File' },
    { ja: '行・レコード', en: 'Line / record' },
    { ja: 'バイト位置', en: 'Byte offset' },
    { ja: '項目', en: 'Field' },
    { ja: '内容', en: 'Finding' },
    { ja: '期待値', en: 'Expected' },
    { ja: '実際', en: 'Found' },
  ]
    .map((m) => `<th>${h(tr(m, lang))}</th>`)
    .join('')}</tr></thead><tbody>${rows}</tbody></table>${more}`;
}
