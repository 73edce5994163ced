/**
 * Rule 2 of a result file (shared/spec/seizure-120.md "Rules a result file satisfies"): a
 * result record matches its request record — same 依頼番号+枝番, and the same 支店番号,
 * 預金種目, 口座番号 and 差押限度額, the stored codes read as the request file wrote them
 * (支店番号 and 口座番号 zero-padded on the left to the field's width).
 *
 * Written twice, on purpose: here for the full check, which says which field differs and
 * how; and as SQL in the fast path's checked store (db/results.ts BatchedResultUpdater),
 * which only says whether a record matched. test/results/rule2-equivalence.test.ts feeds
 * random request/result pairs to both and demands the same verdict (docs/adr/0109).
 */
import type { ExpectedRecord } from '../../db/results.js';
import { digitsValue } from './result-rules.js';

export type Rule2Field = 'branchCode' | 'accountType' | 'accountNumber' | 'limitAmount';

export interface Rule2Mismatch {
  field: Rule2Field;
  /** the request's value as the result field should carry it */
  expected: string;
  /** the result field's text */
  found: string;
}

const NONE: readonly Rule2Mismatch[] = [];

/**
 * The fields of a result record that differ from its request record, in the order they are
 * reported; an empty list (shared, nothing allocated) when the record matches. A 差押限度額
 * that is not digits is not compared (the layout check reports it).
 */
export function rule2Mismatches(
  fields: Readonly<Record<string, string>>,
  exp: ExpectedRecord,
  branchWidth: number,
  accountWidth: number,
): readonly Rule2Mismatch[] {
  let out: Rule2Mismatch[] | null = null;
  const branch = exp.branch_code.padStart(branchWidth, '0');
  if ((fields['branchCode'] ?? '') !== branch) (out ??= []).push({ field: 'branchCode', expected: branch, found: fields['branchCode'] ?? '' });
  if ((fields['accountType'] ?? '') !== exp.account_type) (out ??= []).push({ field: 'accountType', expected: exp.account_type, found: fields['accountType'] ?? '' });
  const account = exp.account_number.padStart(accountWidth, '0');
  if ((fields['accountNumber'] ?? '') !== account) (out ??= []).push({ field: 'accountNumber', expected: account, found: fields['accountNumber'] ?? '' });
  const lim = digitsValue(fields['limitAmount']);
  if (lim >= 0 && lim !== exp.limit_amount) (out ??= []).push({ field: 'limitAmount', expected: String(exp.limit_amount).padStart(12, '0'), found: fields['limitAmount'] ?? '' });
  return out ?? NONE;
}
