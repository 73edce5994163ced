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

/** Batch states (cli.md), in the order a batch moves through them: seizure extracted → written → results-imported → reconciled → closed; inquiry extracted → written → answered; instruction extracted → written → results-imported; any may be cancelled. */
const BATCH_STATES = ['extracted', 'written', 'results-imported', 'answered', 'reconciled', 'closed', 'cancelled'] as const;
export type BatchState = (typeof BATCH_STATES)[number];

const STATE_LABELS: Readonly<Record<BatchState, Msg>> = {
  extracted: { ja: '抽出済', en: 'extracted' },
  written: { ja: '媒体作成済', en: 'written' },
  'results-imported': { ja: '結果取込済', en: 'results imported' },
  answered: { ja: '回答取込済', en: 'answered' },
  reconciled: { ja: '消込済', en: 'reconciled' },
  closed: { ja: '完了', en: 'closed' },
  cancelled: { ja: '取消', en: 'cancelled' },
};

/** Batch kinds (cli.md): what a batch's files ask the bank. */
export const BATCH_KINDS = ['seizure', 'inquiry', 'instruction'] as const;
export type BatchKind = (typeof BATCH_KINDS)[number];

const KIND_LABELS: Readonly<Record<BatchKind, Msg>> = {
  seizure: { ja: '差押', en: 'seizure' },
  inquiry: { ja: '預金照会', en: 'inquiry' },
  instruction: { ja: '取立指示', en: 'instruction' },
};

/** A batch kind in both languages. */
export function batchKindMsg(kind: string): Msg {
  return (KIND_LABELS as Record<string, Msg>)[kind] ?? { ja: kind, en: kind };
}

/** 回答区分 of an inquiry answer (inquiry-300.md). */
export const ANSWER_CODES = ['1', '2', '3', '4'] as const;
export type AnswerCode = (typeof ANSWER_CODES)[number];
const ANSWER_LABELS: Readonly<Record<AnswerCode, Msg>> = {
  '1': { ja: '該当あり', en: 'found' },
  '2': { ja: '該当なし', en: 'none' },
  '3': { ja: '電子回答不可（書面回答）', en: 'paper answer follows' },
  '4': { ja: '照会不備', en: 'inquiry defective' },
};
export function answerLabel(code: string): Msg {
  return (ANSWER_LABELS as Record<string, Msg>)[code] ?? { ja: `回答区分${code}`, en: `answer code ${code}` };
}

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

/**
 * The command a batch needs next, by kind and state (the `batches` list): seizure write →
 * import results → reconcile → export receipts; inquiry write → import answers → extract;
 * instruction write → import results; a 取立保留 seizure batch with held accounts (holds
 * given) → instruct, then its instruction's results, before reconcile. Null when nothing
 * is left to do.
 */
/** How a 取立保留 seizure batch's holds stand (counts from db/holds.ts): to instruct (held or not done), instructed and awaiting results. */
export interface HoldProgress {
  instructable: number;
  instructed: number;
}

export function nextStepMsg(kind: string, state: string, holds?: HoldProgress): Msg | null {
  if (state === 'cancelled' || state === 'closed') return null;
  if (state === 'extracted') return { ja: 'write（媒体作成）', en: 'write' };
  if (kind === 'inquiry') {
    if (state === 'written') return { ja: 'import answers（回答取込）', en: 'import answers' };
    if (state === 'answered') return { ja: 'extract（回答から差押抽出）', en: 'extract (seize from the answers)' };
    return null;
  }
  if (state === 'written') return { ja: 'import results（結果取込）', en: 'import results' };
  if (kind === 'instruction') return null;
  if (state === 'results-imported' && holds !== undefined && holds.instructable > 0) return { ja: 'holds・instruct（取立・解除の指示）', en: 'holds, instruct (collect or release)' };
  if (state === 'results-imported' && holds !== undefined && holds.instructed > 0) return { ja: 'import results（取立指示の結果取込）', en: 'import results (of the instruction)' };
  if (state === 'results-imported') return { ja: 'reconcile（消込）', en: 'reconcile' };
  if (state === 'reconciled') return { ja: 'export receipts（収納出力）', en: 'export receipts' };
  return null;
}
