/**
 * The collector's form pages: import (multipart, the CSRF token in the action URL), inquire and
 * extract (url-encoded). A form shown again after bad input keeps what was typed and shows why.
 */
import type { AppError } from '../../core/errors.js';
import type { Lang, Msg } from '../../core/i18n.js';
import type { UserInfo } from '../../db/users.js';
import { escapeHtml as h } from '../../report/html.js';
import { DEFAULT_MAX_REJECT_RATE } from '../../steps/import-targets/index.js';
import { tr } from '../http.js';
import { errorSection, layout } from '../pages.js';

export interface PageCtx {
  lang: Lang;
  user: UserInfo;
  csrf: string;
}
type Values = Readonly<Record<string, string>>;

function formPage(c: PageCtx, here: string, title: Msg, intro: Msg, form: string, error?: AppError): string {
  const t = (m: Msg) => h(tr(m, c.lang));
  const err = error === undefined ? '' : errorSection(error, c.lang);
  return layout(tr(title, c.lang), `<h1>${t(title)}</h1><p>${t(intro)}</p>${err}${form}`, c.lang, { user: c.user, csrf: c.csrf, here });
}

const text = (c: PageCtx, v: Values, name: string, label: Msg, extra = ''): string =>
  `<label>${h(tr(label, c.lang))} <input name="${name}" value="${h(v[name] ?? '')}"${extra}></label>`;
const check = (c: PageCtx, v: Values, name: string, label: Msg): string =>
  `<label><input type="checkbox" name="${name}" value="1"${v[name] === '1' ? ' checked' : ''}> ${h(tr(label, c.lang))}</label>`;
const submit = (c: PageCtx, label: Msg): string => `<button type="submit">${h(tr(label, c.lang))}</button>`;

export function importPage(c: PageCtx, v: Values, error?: AppError): string {
  const file = (name: string, label: Msg, required: boolean) =>
    `<label>${h(tr(label, c.lang))} <input type="file" name="${name}" accept=".csv,text/csv"${required ? ' required' : ''}></label>`;
  const enc = v['encoding'] ?? '';
  const opt = (val: string, label: Msg) => `<option value="${val}"${enc === val ? ' selected' : ''}>${h(tr(label, c.lang))}</option>`;
  const form = `<form method="post" action="/collector/import?_csrf=${encodeURIComponent(c.csrf)}" enctype="multipart/form-data">
${file('taxpayers', { ja: '滞納者 taxpayers.csv（必須）', en: 'Taxpayers taxpayers.csv (required)' }, true)}
${file('debts', { ja: '債権 debts.csv（必須）', en: 'Debts debts.csv (required)' }, true)}
${file('accounts', { ja: '預金調査結果 accounts.csv（任意。省略すると登録済みの口座はそのまま）', en: 'Accounts accounts.csv (optional; without it the known accounts are left as they are)' }, false)}
${file('payments', { ja: '収納履歴 payments.csv（任意）', en: 'Payments payments.csv (optional)' }, false)}
${text(c, v, 'asOf', { ja: '出力の基準日 YYYY-MM-DD（空欄: 今日）', en: 'As-of date of the export, YYYY-MM-DD (empty: today)' }, ' placeholder="YYYY-MM-DD" pattern="\\d{4}-\\d{2}-\\d{2}"')}
<label>${h(tr({ ja: '文字コード', en: 'Encoding' }, c.lang))} <select name="encoding">${opt('', { ja: '自動判定', en: 'detect' })}${opt('utf8', { ja: 'UTF-8', en: 'UTF-8' })}${opt('cp932', { ja: 'CP932（Shift_JIS）', en: 'CP932 (Shift_JIS)' })}</select></label>
${check(c, v, 'skipInvalid', { ja: '正しい行だけ取り込み、不備の行は除外ファイル（ダウンロード）にする', en: 'import the valid rows only; the invalid ones go to reject files (to download)' })}
${text(c, v, 'maxRejectRate', { ja: `除外してよい行の割合の上限（%、ファイルごと、空欄: ${DEFAULT_MAX_REJECT_RATE}）`, en: `largest share of a file's rows that may be left out (%, per file; empty: ${DEFAULT_MAX_REJECT_RATE})` }, ' inputmode="decimal"')}
${submit(c, { ja: '取り込む', en: 'Import' })}
</form>`;
  return formPage(
    c,
    '/collector/import',
    { ja: '滞納データの取り込み', en: 'Import the delinquency export' },
    { ja: '滞納管理システムの出力（CSV）を取り込みます。不備があれば何も保存せず、ファイル名・行・列で指摘します。', en: 'Load the delinquency system’s export (CSV). With an error nothing is stored, and the findings name the file, line and column.' },
    form,
    error,
  );
}

export function inquirePage(c: PageCtx, v: Values, error?: AppError): string {
  const form = `<form method="post" action="/collector/inquire">
<input type="hidden" name="_csrf" value="${h(c.csrf)}">
${text(c, v, 'baseDate', { ja: '照会基準日 YYYY-MM-DD（今日以降の営業日、必須）', en: 'Inquiry base date YYYY-MM-DD (a business day from today on; required)' }, ' required placeholder="YYYY-MM-DD"')}
${text(c, v, 'bank', { ja: '金融機関コード（空欄: 設定のある全金融機関。複数は空白かカンマで区切る）', en: 'Bank codes (empty: every bank with settings; several: separate with blanks or commas)' })}
${text(c, v, 'historyDays', { ja: '取引明細の日数（空欄: 90、0: 明細なし）', en: 'Days of transaction history (empty: 90; 0: none)' }, ' inputmode="numeric"')}
${text(c, v, 'reinquireAfter', { ja: 'この日数以内に照会済みの金融機関には照会しない（空欄: 30）', en: 'Skip a bank asked within this many days (empty: 30)' }, ' inputmode="numeric"')}
${check(c, v, 'dryRun', { ja: '試算のみ（何も保存しない）', en: 'Dry run (store nothing)' })}
${submit(c, { ja: '照会バッチを作る', en: 'Create inquiry batches' })}
</form>`;
  return formPage(c, '/collector/inquire', { ja: '預金照会', en: 'Deposit inquiry' }, { ja: '金融機関ごとに照会バッチを作ります。', en: 'Creates one inquiry batch per bank.' }, form, error);
}

export function extractPage(c: PageCtx, v: Values, error?: AppError): string {
  const coll = v['collection'] ?? '';
  const opt = (val: string, label: Msg) => `<option value="${val}"${coll === val ? ' selected' : ''}>${h(tr(label, c.lang))}</option>`;
  const form = `<form method="post" action="/collector/extract">
<input type="hidden" name="_csrf" value="${h(c.csrf)}">
${text(c, v, 'executionDate', { ja: '執行日（処理日）YYYY-MM-DD（営業日、必須）', en: 'Execution (processing) date YYYY-MM-DD (a business day; required)' }, ' required placeholder="YYYY-MM-DD"')}
${text(c, v, 'bank', { ja: '金融機関コード（空欄: すべて。複数は空白かカンマで区切る）', en: 'Bank codes (empty: all; several: separate with blanks or commas)' })}
<label>${h(tr({ ja: '取立', en: 'Collection' }, c.lang))} <select name="collection">${opt('', { ja: '金融機関の設定どおり', en: 'as the bank’s settings say' })}${opt('immediate', { ja: '即時取立', en: 'immediate' })}${opt('deferred', { ja: '取立保留', en: 'deferred (取立保留)' })}</select></label>
${text(c, v, 'minAmount', { ja: '差押限度額の下限（円、空欄: なし）', en: 'Minimum limit (yen; empty: none)' }, ' inputmode="numeric"')}
${text(c, v, 'maxAccountAge', { ja: '口座情報の有効日数（照会基準日・調査日から。空欄: 180）', en: 'Days account information stays usable (empty: 180)' }, ' inputmode="numeric"')}
${check(c, v, 'allowMultipleBanks', { ja: '1人1件の原則を外す（複数の金融機関に依頼する）', en: 'Lift the one-open-request rule (several banks per taxpayer)' })}
${check(c, v, 'dryRun', { ja: '試算のみ（何も保存しない）', en: 'Dry run (store nothing)' })}
${submit(c, { ja: '抽出する', en: 'Extract' })}
</form>`;
  return formPage(c, '/collector/extract', { ja: '差押対象の抽出', en: 'Extract seizure targets' }, { ja: '執行日時点の差押対象を選び、金融機関ごと（即時取立・取立保留）にバッチを作ります。', en: 'Selects the targets as of the execution date and creates batches per bank (immediate and 取立保留).' }, form, error);
}
