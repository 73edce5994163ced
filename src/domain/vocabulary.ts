/**
 * The words of the domain, defined once: result codes and their labels (seizure-120.md),
 * batch states and their labels (cli.md), allocation policy names. The report, the CLI's
 * summaries and the steps' messages all read them from here (issue 14, item 5: `import
 * results` said 口座なし where `report` said 該当口座なし).
 */
import { t, type Msg } from '../core/i18n.js';
import { POLICIES } from './allocation.js';

/** Result codes a result record may carry (seizure-120.md), in code order. */
export const RESULT_CODES = ['01', '02', '11', '12', '13', '14', '21', '22', '31', '99'] as const;
export type ResultCode = (typeof RESULT_CODES)[number];
/** Codes that may carry a seized amount (01 and 02 must, 21 may). */
export const SEIZING_CODES: ReadonlySet<string> = new Set(['01', '02', '21']);

/** Labels of the result codes ('00': a request record with no result yet). */
const RESULT_LABELS: Readonly<Record<string, Msg>> = {
  '00': { ja: '未処理', en: 'not processed' },
  '01': { ja: '差押成立（全額）', en: 'seized in full' },
  '02': { ja: '差押成立（一部）', en: 'seized in part' },
  '11': { ja: '残高なし', en: 'no balance' },
  '12': { ja: '該当口座なし', en: 'no such account' },
  '13': { ja: '解約済', en: 'account closed' },
  '14': { ja: '名義・生年月日不一致', en: 'holder name or birth date mismatch' },
  '21': { ja: '先行差押あり', en: 'earlier seizure by another creditor' },
  '22': { ja: '相殺予定', en: 'bank set-off pending' },
  '31': { ja: '不要（限度額到達済）', en: 'not needed (limit already reached)' },
  '99': { ja: 'その他', en: 'other' },
};

export function resultLabel(code: string): Msg {
  return RESULT_LABELS[code] ?? { ja: `コード${code}`, en: `code ${code}` };
}

/** Seizure batch states (cli.md), in the order a batch moves through them. */
const BATCH_STATES = ['extracted', 'written', 'results-imported', 'reconciled', 'closed', 'cancelled'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

const STATE_LABELS: Readonly<Record<BatchState, Msg>> = {
  extracted: { ja: '抽出済', en: 'extracted' },
  written: { ja: '媒体作成済', en: 'written' },
  'results-imported': { ja: '結果取込済', en: 'results imported' },
  reconciled: { ja: '消込済', en: 'reconciled' },
  closed: { ja: '完了', en: 'closed' },
  cancelled: { ja: '取消', en: 'cancelled' },
};

/** A batch state in both languages, for a `{ ja, en }` message (an unknown state as it is). */
export function batchStateMsg(state: string): Msg {
  return (STATE_LABELS as Record<string, Msg>)[state] ?? { ja: state, en: state };
}

/** A batch state in the current language. */
export function batchStateLabel(state: string): string {
  return t(batchStateMsg(state));
}

/** An allocation policy's name for people (the id itself for a policy that is not known). */
export function policyLabel(id: string): Msg {
  return POLICIES.find((p) => p.name === id)?.label ?? { ja: id, en: id };
}
