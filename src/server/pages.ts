/**
 * The server-rendered pages (issue 18 item 3, first slice): Japanese first, English with
 * `?lang=en`. No scripts at all (the CSP allows only same-origin scripts, and there are none).
 */
import type { Lang, Msg } from '../core/i18n.js';
import { escapeHtml as h } from '../report/html.js';
import type { BatchRow } from '../db/batches.js';
import { batchKindMsg, batchStateMsg } from '../domain/vocabulary.js';
import { ROLE_LABELS } from '../domain/users.js';
import type { UserInfo } from '../db/users.js';
import { yen } from '../core/yen.js';

const tr = (m: Msg, lang: Lang): string => (lang === 'ja' ? m.ja : m.en);

const CSS = `
body{font-family:"IPAexGothic","Noto Sans CJK JP","Hiragino Sans","Yu Gothic",Meiryo,sans-serif;margin:0;color:#222}
header{background:#1f3a5f;color:#fff;padding:.6em 1em;display:flex;gap:1em;align-items:center}
header a{color:#fff}header form{margin-left:auto}main{padding:1em}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}td.n{text-align:right}
.err{color:#a00;font-weight:bold}label{display:block;margin:.5em 0}
`;

export function layout(title: string, body: string, lang: Lang, user?: UserInfo, csrf?: string): string {
  const other = lang === 'ja' ? '<a href="?lang=en">English</a>' : '<a href="?lang=ja">日本語</a>';
  const who =
    user === undefined
      ? ''
      : `<a href="/">${h(tr({ ja: 'バッチ一覧', en: 'Batches' }, lang))}</a><span>${h(user.name)}（${h(tr(ROLE_LABELS[user.role], lang))}）</span>` +
        `<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${h(csrf ?? '')}"><button type="submit">${h(tr({ ja: 'サインアウト', en: 'Sign out' }, lang))}</button></form>`;
  return `<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${h(title)} — 差押 sashiosae</title><style>${CSS}</style></head>
<body><header><strong>差押 sashiosae</strong>${who}${other}</header><main>${body}</main></body></html>
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
  );
}

export interface BatchLine {
  row: BatchRow;
  next: Msg | null;
}

export function batchesPage(lines: readonly BatchLine[], lang: Lang, user: UserInfo, csrf: string): string {
  const t = (m: Msg) => h(tr(m, lang));
  const q = lang === 'en' ? '?lang=en' : '';
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
  return layout(tr({ ja: 'バッチ一覧', en: 'Batches' }, lang), `<h1>${t({ ja: 'バッチ一覧', en: 'Batches' })}</h1>${body}`, lang, user, csrf);
}

/** A whole report document (report/html.ts & co.) with the application's header put after <body>. */
export function withHeader(report: string, lang: Lang, user: UserInfo, csrf: string): string {
  const head = layout('', '', lang, user, csrf);
  const header = /<header>[\s\S]*<\/header>/.exec(head)?.[0] ?? '';
  const style = `<style>${CSS.replace(/body\{[^}]*\}/, '')}</style>`;
  return report.replace(/<body([^>]*)>/, (m) => `${m}${style}${header}`);
}

export function errorPage(status: number, msg: Msg, lang: Lang, user?: UserInfo, csrf?: string): string {
  return layout(String(status), `<h1>${status}</h1><p class="err">${h(tr(msg, lang))}</p>`, lang, user, csrf);
}
