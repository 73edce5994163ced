/** The kinds of bank file the liaison uploads: each one's job and the role action it needs (domain/users.ts). */
import type { Msg } from '../../core/i18n.js';
import type { Action } from '../../domain/users.js';

export const UPLOAD_KINDS = ['answers', 'results', 'statement'] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

export const isUploadKind = (v: unknown): v is UploadKind => typeof v === 'string' && (UPLOAD_KINDS as readonly string[]).includes(v);

export const KIND_ACTION: Readonly<Record<UploadKind, Action>> = {
  answers: 'import-answers',
  results: 'import-results',
  statement: 'import-statement',
};

export const KIND_JOB: Readonly<Record<UploadKind, string>> = {
  answers: 'liaison.import-answers',
  results: 'liaison.import-results',
  statement: 'liaison.import-statement',
};

export const KIND_LABEL: Readonly<Record<UploadKind, Msg>> = {
  answers: { ja: '照会回答（種別コード 62）', en: 'inquiry answers (種別コード 62)' },
  results: { ja: '差押・取立指示の結果（種別コード 52・63）', en: 'seizure or instruction results (種別コード 52, 63)' },
  statement: { ja: '入出金取引明細（種別コード 03）', en: 'bank statement (種別コード 03)' },
};
