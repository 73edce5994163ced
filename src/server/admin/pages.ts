/**
 * The admin's pages: the settings as `settings show` shows them with a form to load a
 * settings file, and the users as `users list` lists them with forms to add and disable.
 * Never a password or a hash on a page; the city's own deposit account masked.
 */
import type { Lang, Msg } from '../../core/i18n.js';
import type { UserInfo } from '../../db/users.js';
import { DEFAULT_PROTECTED_PATTERNS, type ProtectedPattern } from '../../domain/protected-funds.js';
import { PASSWORD_MIN_CHARS, ROLE_LABELS, ROLES } from '../../domain/users.js';
import { escapeHtml as h } from '../../report/html.js';
import type { SettingsShowJson } from '../../report/settings.js';
import { tr } from '../http.js';
import { layout } from '../pages.js';

const cellTable = (caption: string, heads: readonly string[], rows: readonly (readonly string[])[], cls = ''): string =>
  `<table${cls ? ` class="${cls}"` : ''}><caption>${caption}</caption><thead><tr>${heads.map((x) => `<th scope="col">${x}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

/** What a page says after a form: an outcome (ok) or a refusal (its HTML, from errorSection or a message). */
export interface Notice {
  ok?: Msg;
  /** already escaped HTML */
  errorHtml?: string;
}

function noticeHtml(n: Notice | undefined, lang: Lang): string {
  if (n === undefined) return '';
  return `${n.ok !== undefined ? `<p class="ok" role="status">${h(tr(n.ok, lang))}</p>` : ''}${n.errorHtml ?? ''}`;
}

export function settingsPage(doc: SettingsShowJson, lang: Lang, user: UserInfo, csrf: string, notice?: Notice): string {
  const t = (m: Msg) => h(tr(m, lang));
  const unset = t({ ja: '（未設定）', en: '(not set)' });
  const value = (v: string | null, none = unset) => (v === null ? none : h(v));
  const install = cellTable(
    t({ ja: '全体の設定', en: 'Installation settings' }),
    [t({ ja: '項目', en: 'Setting' }), t({ ja: '値', en: 'Value' })],
    [
      [`${t({ ja: '執行機関', en: 'Authority' })} <code>authority</code>`, value(doc.authority)],
      [`${t({ ja: '徴収職員', en: 'Collector' })} <code>collector</code>`, value(doc.collector)],
      [`${t({ ja: '帳票フォント', en: 'Document font' })} <code>documentFont</code>`, value(doc.documentFont, t({ ja: '（未設定: 既定のフォント）', en: '(not set: the default font)' }))],
      [`${t({ ja: 'アップロード上限', en: 'Upload limit' })} <code>uploadLimitMB</code>`, `${h(doc.uploadLimitMB)} MB`],
    ],
  );
  const patternRows = (ps: readonly ProtectedPattern[], origin: Msg) => ps.map((p) => [h(p.pattern), h(p.kind), t(origin)]);
  const patterns = cellTable(
    t({ ja: '差押禁止の摘要パターン（protectedPatterns）', en: 'Protected 摘要 patterns (protectedPatterns)' }),
    [t({ ja: 'パターン', en: 'Pattern' }), t({ ja: '種類', en: 'Kind' }), t({ ja: '由来', en: 'Origin' })],
    [...patternRows(DEFAULT_PROTECTED_PATTERNS, { ja: '既定（常に適用）', en: 'default (always applied)' }), ...patternRows(doc.protectedPatterns, { ja: '追加分（設定ファイル）', en: 'extra (settings file)' })],
  );
  const banks =
    doc.banks.length === 0
      ? `<h2 id="banks">${t({ ja: '金融機関', en: 'Banks' })}</h2><p>${t({ ja: '設定された金融機関はありません。下のフォームで設定ファイルを読み込んでください。', en: 'No bank is configured; load a settings file with the form below.' })}</p>`
      : `<h2 id="banks">${t({ ja: '金融機関', en: 'Banks' })}</h2>${cellTable(
          t({ ja: `金融機関ごとの設定（${doc.banks.length} 行、入金先口座番号は伏せ字）`, en: `Settings per bank (${doc.banks.length}; deposit account numbers masked)` }),
          [
            { ja: '金融機関', en: 'Bank' },
            { ja: '依頼者', en: 'Requester' },
            { ja: '入金先口座（支店・種目・口座）', en: 'Deposit account (branch, type, number)' },
            { ja: '差押: レイアウト・最大件数・ファイル名', en: 'Seizure: layout, max records, file name' },
            { ja: '取立区分', en: 'Collection' },
            { ja: '次のファイル番号', en: 'Next file number' },
            { ja: '照会: レイアウト・ファイル名', en: 'Inquiry: layout, file name' },
            { ja: '取立指示: レイアウト・ファイル名', en: 'Instruction: layout, file name' },
            { ja: '更新', en: 'Updated' },
          ].map(t),
          doc.banks.map((b) => [
            `${h(b.bankCode)} ${h(b.bankName)}`,
            `${h(b.requesterCode)} ${h(b.requesterName)}`,
            `${h(b.depositBranch)} · ${h(b.depositAccountType)} · ${h(b.depositAccountNumber)}`,
            `${h(b.layout)} · ${h(b.maxRecordsPerFile.toLocaleString('en-US'))} · <code>${h(b.fileNamePattern)}</code>`,
            b.collectionMode === 'immediate' ? t({ ja: '即時取立', en: 'immediate' }) : t({ ja: '取立保留', en: 'deferred' }),
            h(b.nextFileNumber),
            `${h(b.inquiryLayout)} · <code>${h(b.inquiryFileNamePattern)}</code>`,
            `${h(b.instructionLayout)} · <code>${h(b.instructionFileNamePattern)}</code>`,
            h(b.updatedAt),
          ]),
          'wide',
        )}`;
  const form = `<section class="no-print"><h2 id="load">${t({ ja: '設定ファイルの読み込み', en: 'Load a settings file' })}</h2>
<p>${t({
    ja: '設定ファイル（JSON。書き方は docs/settings.md、例は samples/settings.json）です。ファイル全体を検査し、誤りがあれば何も保存しません。書かれていない全体の設定は今の値のままです。',
    en: 'A settings file (JSON; described in docs/settings.md, example samples/settings.json). The whole file is checked first; if anything is wrong, nothing is stored. Installation settings the file leaves out keep their values.',
  })}</p>
<form method="post" action="/admin/settings?_csrf=${h(encodeURIComponent(csrf))}" enctype="multipart/form-data">
<label>${t({ ja: '設定ファイル（JSON）', en: 'Settings file (JSON)' })} <input type="file" name="settings" accept=".json,application/json" required></label>
<button type="submit">${t({ ja: '読み込む', en: 'Load' })}</button>
</form></section>`;
  const title = tr({ ja: '設定', en: 'Settings' }, lang);
  return layout(title, `<h1>${h(title)}</h1>${noticeHtml(notice, lang)}${install}${patterns}${banks}${form}`, lang, { user, csrf, here: '/admin/settings' });
}

export interface UserForm {
  name?: string;
  role?: string;
}

export function usersPage(users: readonly UserInfo[], lang: Lang, me: UserInfo, csrf: string, notice?: Notice, form: UserForm = {}): string {
  const t = (m: Msg) => h(tr(m, lang));
  const csrfField = `<input type="hidden" name="_csrf" value="${h(csrf)}">`;
  const rows = users.map((u) => {
    const state = u.disabled ? t({ ja: '無効', en: 'disabled' }) : t({ ja: '有効', en: 'enabled' });
    const action =
      u.disabled || u.name === me.name
        ? '—'
        : `<form method="post" action="/admin/users/${h(encodeURIComponent(u.name))}/disable" class="inline">${csrfField}<label><input type="checkbox" name="confirm" value="1" required> ${t({ ja: `${u.name} を無効にする`, en: `disable ${u.name}` })}</label> <button type="submit">${t({ ja: '無効にする', en: 'Disable' })}</button></form>`;
    return [h(u.name), `${h(tr(ROLE_LABELS[u.role], lang))} <code>${h(u.role)}</code>`, state, h(u.createdAt), action];
  });
  const list =
    users.length === 0
      ? `<p>${t({ ja: '利用者はまだいません。', en: 'No users yet.' })}</p>`
      : cellTable(
          t({ ja: `利用者の一覧（${users.length} 人）`, en: `Users (${users.length})` }),
          [t({ ja: '利用者名', en: 'Name' }), t({ ja: '役割', en: 'Role' }), t({ ja: '状態', en: 'State' }), t({ ja: '作成日時', en: 'Created' }), t({ ja: '操作', en: 'Action' })],
          rows,
        );
  const options = ROLES.map((r) => `<option value="${r}"${form.role === r ? ' selected' : ''}>${h(tr(ROLE_LABELS[r], lang))} (${r})</option>`).join('');
  const add = `<section class="no-print"><h2 id="add">${t({ ja: '利用者の追加', en: 'Add a user' })}</h2>
<form method="post" action="/admin/users">${csrfField}
<label>${t({ ja: '利用者名（半角英数字と . _ -、64 文字まで）', en: 'User name (A–Z a–z 0–9 . _ -, up to 64)' })} <input name="name" value="${h(form.name ?? '')}" required maxlength="64" pattern="[A-Za-z0-9._\\-]{1,64}" autocomplete="off"></label>
<label>${t({ ja: '役割', en: 'Role' })} <select name="role" required>${options}</select></label>
<label>${t({ ja: `パスワード（${PASSWORD_MIN_CHARS} 文字以上）`, en: `Password (${PASSWORD_MIN_CHARS} characters or more)` })} <input name="password" type="password" required minlength="${PASSWORD_MIN_CHARS}" autocomplete="new-password"></label>
<button type="submit">${t({ ja: '追加する', en: 'Add' })}</button>
</form>
<p>${t({ ja: '無効にした利用者はすぐにサインアウトされ、サインインできなくなります。自分自身は無効にできません。', en: 'A disabled user is signed out at once and cannot sign in. You cannot disable yourself.' })}</p></section>`;
  const title = tr({ ja: '利用者', en: 'Users' }, lang);
  return layout(title, `<h1>${h(title)}</h1>${noticeHtml(notice, lang)}${list}${add}`, lang, { user: me, csrf, here: '/admin/users' });
}
