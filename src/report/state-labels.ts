/** Batch states as users read them (report, batches). */
import { t, type Msg } from '../core/i18n.js';

const STATE_LABELS: Record<string, Msg> = {
  extracted: { ja: '抽出済', en: 'extracted' },
  written: { ja: '媒体作成済', en: 'written' },
  'results-imported': { ja: '結果取込済', en: 'results imported' },
  reconciled: { ja: '消込済', en: 'reconciled' },
  closed: { ja: '完了', en: 'closed' },
  cancelled: { ja: '取消', en: 'cancelled' },
};

export function batchStateLabel(state: string): string {
  const m = STATE_LABELS[state];
  return m ? t(m) : state;
}
