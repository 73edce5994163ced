/** How a job page shows the outcome of each of the admin's jobs (main thread; server/jobs/views.ts joins them). */
import type { Msg } from '../../core/i18n.js';
import { escapeHtml as h } from '../../report/html.js';
import { tr } from '../http.js';
import type { JobView } from '../jobs/view-types.js';
import type { SettingsLoadSummary } from './jobs.js';

export const ADMIN_VIEWS: Record<string, JobView> = {
  'admin.settings-load': {
    title: { ja: '設定ファイルの読み込み', en: 'Loading a settings file' },
    render(result, lang) {
      const r = result as SettingsLoadSummary;
      const t = (m: Msg) => h(tr(m, lang));
      const rows = r.banks
        .map((b) => `<tr><td>${h(b.bankCode)}</td><td>${b.created ? t({ ja: '追加', en: 'added' }) : t({ ja: '更新', en: 'updated' })}</td><td>${b.bankNameFromZengin ? t({ ja: '全銀協コード表から', en: 'from the zengin code table' }) : t({ ja: '設定ファイルから', en: 'from the file' })}</td></tr>`)
        .join('');
      const extra =
        r.protectedPatterns === null
          ? t({ ja: '追加の摘要パターン: ファイルになし（保存済みのまま）', en: 'extra protected patterns: not in the file (kept as stored)' })
          : t({ ja: `追加の摘要パターン: ${r.protectedPatterns} 件を保存`, en: `extra protected patterns: ${r.protectedPatterns} stored` });
      const docs = r.documents.length > 0 ? `<li>${t({ ja: '帳票の設定を保存: ', en: 'document settings stored: ' })}${r.documents.map((k) => `<code>${h(k)}</code>`).join(' ')}</li>` : '';
      const notes = r.notes.map((n) => `<li>${t(n)}</li>`).join('');
      return `<table><caption>${t({ ja: `金融機関 ${r.banks.length} 件`, en: `${r.banks.length} bank(s)` })}</caption><thead><tr><th scope="col">${t({ ja: '金融機関コード', en: 'Bank code' })}</th><th scope="col">${t({ ja: '結果', en: 'Outcome' })}</th><th scope="col">${t({ ja: '金融機関名', en: 'Bank name' })}</th></tr></thead><tbody>${rows}</tbody></table>
<ul><li>${extra}</li>${docs}${notes}</ul>
<p><a href="/admin/settings">${t({ ja: '設定を見る', en: 'See the settings' })}</a></p>`;
    },
  },
};
