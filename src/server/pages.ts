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
import { mayDo, type Action } from '../domain/users.js';
import { yen } from '../core/yen.js';
import { tr, type NavLink } from './http.js';
import { COLLECTOR_NAV } from './collector/nav.js';
import { LIAISON_NAV } from './liaison/nav.js';
import { ACCOUNTANT_NAV } from './accountant/nav.js';
import { ADMIN_NAV } from './admin/nav.js';

/** The header's links: each area's pages, shown to the roles that may use them. */
const NAV: readonly NavLink[] = [...COLLECTOR_NAV, ...LIAISON_NAV, ...ACCOUNTANT_NAV, ...ADMIN_NAV];

const CSS = `
body{font-family:"IPAexGothic","Noto Sans CJK JP","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;margin:0;color:#222}
header{background:#1f3a5f;color:#fff;padding:.6em 1em;display:flex;gap:1em;align-items:center}
header a{color:#fff}header nav{display:flex;gap:.8em;flex-wrap:wrap}header .who{margin-left:auto}main{padding:1em}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}td.n{text-align:right}
.err{color:#a00;font-weight:bold}.ok{color:#060;font-weight:bold}label{display:block;margin:.5em 0}
fieldset{margin:1em 0;border:1px solid #ccc}progress{width:30em;max-width:100%}code{font-size:90%}
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
  const nav =
    user === undefined
      ? ''
      : `<nav>${[{ href: '/', label: { ja: 'バッチ一覧', en: 'Batches' } }, ...NAV.filter((l) => mayDo(user.role, l.action))]
          .map((l) => `<a href="${h(l.href)}">${h(tr(l.label, lang))}</a>`)
          .join('')}</nav>`;
  const who =
    user === undefined
      ? ''
      : `<span class="who">${h(user.name)}（${h(tr(ROLE_LABELS[user.role], lang))}）</span>` +
        `<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${h(o.csrf ?? '')}"><button type="submit">${h(tr({ ja: 'サインアウト', en: 'Sign out' }, lang))}</button></form>`;
  const script = o.script === true ? '<script src="/assets/app.js" defer></script>' : '';
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${h(title)} — 差押 sashiosae</title><style>${CSS}</style>${o.head ?? ''}${script}</head>
<body><header><strong>差押 sashiosae</strong>${nav}${who}${other}</header><main>${body}</main></body></html>
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
}

export function batchesPage(lines: readonly BatchLine[], lang: Lang, user: UserInfo, csrf: string): string {
  const t = (m: Msg) => h(tr(m, lang));
  const q = '';
  const body =
    lines.length === 0
      ? `<p>${t({ ja: 'バッチはまだありません（inquire または extract で作ります）。', en: 'No batches yet (inquire or extract creates them).' })}</p>`
      : `<table><thead><tr>${[
          { ja: 'バッチID', en: 'Batch' },
          { ja: '種別', en: 'Kind' },
          { ja: '金融機関', en: 'Bank' },
          { ja: '状態', en: 'State' },
          { ja: '次の手順', en: 'Next step' },
          { ja: '執行日・基準日・指示日', en: 'Date' },
          { ja: '依頼・照会', en: 'Requests' },
          { ja: '口座', en: 'Records' },
          { ja: '限度額合計', en: 'Limit total' },
        ]
          .map((m) => `<th>${t(m)}</th>`)
          .join('')}</tr></thead><tbody>${lines
          .map(({ row: b, next }) => {
            const cells = [
              `<a href="/batches/${encodeURIComponent(b.id)}${q}">${h(b.id)}</a>`,
              t(batchKindMsg(b.kind)),
              h(b.bank_code),
              t(batchStateMsg(b.state)),
              next === null ? '—' : t(next),
              h(b.execution_date),
            ];
            return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}<td class="n">${h(b.requests)}</td><td class="n">${h(b.records)}</td><td class="n">${b.kind === 'seizure' ? h(yen(b.limit_total)) : '—'}</td></tr>`;
          })
          .join('')}</tbody></table>`;
  return layout(tr({ ja: 'バッチ一覧', en: 'Batches' }, lang), `<h1>${t({ ja: 'バッチ一覧', en: 'Batches' })}</h1>${body}`, lang, { user, csrf, here: '/' });
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
  const where = loc === undefined ? '' : [loc.file !== undefined ? unalias(loc.file, aliases) : undefined, loc.line !== undefined ? `${tr({ ja: '行', en: 'line' }, lang)} ${loc.line}` : undefined, loc.record !== undefined ? `${tr({ ja: 'レコード', en: 'record' }, lang)} ${loc.record + 1}` : undefined, loc.offset !== undefined ? `${tr({ ja: 'バイト位置', en: 'byte offset' }, lang)} ${loc.offset}` : undefined, loc.field].filter((x) => x !== undefined).join('、');
  const head = `<p class="err" role="alert">${t(e.msg)}${where ? `（${h(where)}）` : ''}</p><p>${h(tr({ ja: `終了コード ${e.exit}・${e.code}`, en: `exit code ${e.exit} · ${e.code}` }, lang))}</p>`;
  if (e.findings.length === 0) return head;
  const rows = e.findings
    .map((f) => `<tr><td>${h(f.file !== undefined ? unalias(f.file, aliases) : '')}</td><td class="n">${h(f.line ?? (f.record !== undefined ? f.record + 1 : ''))}</td><td class="n">${h(f.offset ?? '')}</td><td>${h(f.field ?? f.column ?? '')}</td><td>${t(f.message)}</td><td>${h(f.expected ?? '')}</td><td>${h(f.found ?? '')}</td></tr>`)
    .join('');
  const more = e.moreFindings > 0 ? `<p>${h(tr({ ja: `ほかに ${e.moreFindings} 件の指摘があります`, en: `${e.moreFindings} more findings` }, lang))}</p>` : '';
  return `${head}<table class="findings"><thead><tr>${[
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
