/** Batch states, allocation policies and timestamps as users read them (report, batches, messages). */
import { t, type Lang, type Msg } from '../core/i18n.js';

const STATE_LABELS: Record<string, Msg> = {
  extracted: { ja: '抽出済', en: 'extracted' },
  written: { ja: '媒体作成済', en: 'written' },
  'results-imported': { ja: '結果取込済', en: 'results imported' },
  reconciled: { ja: '消込済', en: 'reconciled' },
  closed: { ja: '完了', en: 'closed' },
  cancelled: { ja: '取消', en: 'cancelled' },
};

/** A batch state in both languages, for a `{ ja, en }` message (an unknown state as it is). */
export function batchStateMsg(state: string): Msg {
  return STATE_LABELS[state] ?? { ja: state, en: state };
}

/** A batch state in the current language. */
export function batchStateLabel(state: string): string {
  return t(batchStateMsg(state));
}

/** Short names of the allocation policies (src/domain/allocation.ts ids). */
const POLICY_LABELS: Record<string, Msg> = {
  'statutory-oldest-first': { ja: '法定充当（納期限の古い順）', en: 'statutory order (oldest due date first)' },
  'principal-first': { ja: '本税優先', en: 'principal first' },
};

/** An allocation policy's name for people (the id itself when it has none). */
export function policyLabel(id: string): Msg {
  return POLICY_LABELS[id] ?? { ja: id, en: id };
}

/**
 * An ISO 8601 timestamp as Japan time: "2026年12月5日 14:03" (ja) or
 * "2026-12-05 14:03 JST" (en). Whatever the offset it was stored with, the
 * instant is shown in Japan time; a string that is no timestamp comes back as it is.
 */
export function formatTokyoTime(iso: string, lang: Lang): string {
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(ms)) return iso;
  const j = new Date(ms + 9 * 3_600_000);
  const y = j.getUTCFullYear();
  const mo = j.getUTCMonth() + 1;
  const d = j.getUTCDate();
  const hm = `${String(j.getUTCHours()).padStart(2, '0')}:${String(j.getUTCMinutes()).padStart(2, '0')}`;
  return lang === 'ja' ? `${y}年${mo}月${d}日 ${hm}` : `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')} ${hm} JST`;
}
