/**
 * The CSV export contract (shared/spec/import-csv.md) as data: the columns of each
 * file (Japanese names, required, personal) and a zod schema per row that turns
 * the text cells into typed values. Issue messages are codes resolved to
 * bilingual messages by `issueMessage` (so a finding never echoes a value).
 */
import { z } from 'zod';
import { parseDate } from '../../core/dates.js';
import type { Msg } from '../../core/i18n.js';

export type FileRole = 'taxpayers' | 'debts' | 'accounts' | 'payments';

export interface ColumnDef {
  name: string;
  required: boolean;
  /** personal data: its value is never shown on the console or in logs */
  personal: boolean;
}

const col = (name: string, required: boolean, personal = false): ColumnDef => ({ name, required, personal });

export const COLUMNS: Record<FileRole, ColumnDef[]> = {
  taxpayers: [col('宛名番号', true), col('氏名', true, true), col('氏名カナ', true, true), col('生年月日', false, true), col('住所', false, true), col('状態', true)],
  debts: [
    col('調定番号', true),
    col('宛名番号', true),
    col('債権区分', true),
    col('税目コード', true),
    col('税目名', true),
    col('年度', true),
    col('期別', true),
    col('納期限', true),
    col('本税', true),
    col('本税収納済額', true),
    col('督促手数料', true),
    col('督促手数料収納済額', true),
    col('延滞金収納済額', true),
    col('延滞金区分', true),
    col('督促状発付日', false),
    col('時効完成日', false),
  ],
  accounts: [
    col('宛名番号', true),
    col('金融機関コード', true),
    col('支店コード', true),
    col('預金種目', true),
    col('口座番号', true, true),
    col('口座名義カナ', false, true),
    col('調査日', false),
    col('調査時残高', false),
  ],
  payments: [col('調定番号', true), col('収納日', true), col('本税', true), col('督促手数料', false), col('延滞金', false)],
};

export const PERSONAL_COLUMNS: ReadonlySet<string> = new Set(
  Object.values(COLUMNS)
    .flat()
    .filter((c) => c.personal)
    .map((c) => c.name),
);

// ---- cell schemas -------------------------------------------------------------

const ID = /^[0-9A-Za-z-]{1,32}$/;
const AMOUNT = /^(?:\d{1,3}(?:,\d{3})+|\d+)$/;

const required = z.string().min(1, 'required');
const id = required.regex(ID, 'id');
const text = (max: number) => required.max(max, `tooLong:${max}`);
const optText = (max: number) => z.string().max(max, `tooLong:${max}`).transform((v) => (v === '' ? null : v));
const codeIn = (codes: readonly string[]) => required.refine((v) => codes.includes(v), `code:${codes.join(',')}`);
const digits = (n: number) => required.regex(new RegExp(`^\\d{${n}}$`), `digits:${n}`);

const date = required.transform((v, ctx) => {
  const d = parseDate(v);
  if (d === null) {
    ctx.addIssue({ code: 'custom', message: 'date' });
    return z.NEVER;
  }
  return d;
});
const optDate = z.string().transform((v, ctx) => {
  if (v === '') return null;
  const d = parseDate(v);
  if (d === null) {
    ctx.addIssue({ code: 'custom', message: 'date' });
    return z.NEVER;
  }
  return d;
});
function toAmount(v: string, ctx: z.RefinementCtx): number {
  if (!AMOUNT.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'amount' });
    return z.NEVER;
  }
  const n = Number(v.replaceAll(',', ''));
  if (!Number.isSafeInteger(n)) {
    ctx.addIssue({ code: 'custom', message: 'amount' });
    return z.NEVER;
  }
  return n;
}
const amount = required.transform(toAmount);
const optAmount = z.string().transform((v, ctx) => (v === '' ? null : toAmount(v, ctx)));
const optAmountZero = z.string().transform((v, ctx) => (v === '' ? 0 : toAmount(v, ctx)));

export const taxpayerRow = z.object({
  宛名番号: id,
  氏名: text(200),
  氏名カナ: text(200),
  生年月日: optDate,
  住所: optText(400),
  状態: codeIn(['0', '1', '2', '3', '4', '5']).transform(Number),
});

export const debtRow = z
  .object({
    調定番号: id,
    宛名番号: id,
    債権区分: codeIn(['1', '2', '3']).transform(Number),
    税目コード: text(16),
    税目名: text(100),
    年度: required.regex(/^(19|20|21)\d{2}$/, 'year').transform(Number),
    期別: text(16),
    納期限: date,
    本税: amount,
    本税収納済額: amount,
    督促手数料: amount,
    督促手数料収納済額: amount,
    延滞金収納済額: amount,
    延滞金区分: codeIn(['0', '1']).transform(Number),
    督促状発付日: optDate,
    時効完成日: optDate,
  })
  .superRefine((r, ctx) => {
    if (r.本税収納済額 > r.本税) ctx.addIssue({ code: 'custom', path: ['本税収納済額'], message: 'paidOver:本税' });
    if (r.督促手数料収納済額 > r.督促手数料) ctx.addIssue({ code: 'custom', path: ['督促手数料収納済額'], message: 'paidOver:督促手数料' });
  });

export const accountRow = z.object({
  宛名番号: id,
  金融機関コード: digits(4),
  支店コード: digits(3),
  預金種目: codeIn(['1', '2', '3', '4', '9']),
  口座番号: required.regex(/^\d{1,7}$/, 'account'),
  口座名義カナ: optText(200),
  調査日: optDate,
  調査時残高: optAmount,
});

export const paymentRow = z.object({
  調定番号: id,
  収納日: date,
  本税: amount,
  督促手数料: optAmountZero,
  延滞金: optAmountZero,
});

export type TaxpayerRow = z.output<typeof taxpayerRow>;
export type DebtRow = z.output<typeof debtRow>;
export type AccountRow = z.output<typeof accountRow>;
export type PaymentRow = z.output<typeof paymentRow>;

export const ROW_SCHEMAS = { taxpayers: taxpayerRow, debts: debtRow, accounts: accountRow, payments: paymentRow } as const;

/** The bilingual reason for an issue code produced by the schemas above. */
export function issueMessage(code: string): Msg {
  const [kind, arg = ''] = code.split(/:(.*)/s);
  switch (kind) {
    case 'required':
      return { ja: '必須項目が空です', en: 'required value is empty' };
    case 'id':
      return { ja: '英数字（とハイフン）32文字以内で入力してください', en: 'must be 1–32 letters, digits or hyphens' };
    case 'tooLong':
      return { ja: `${arg}文字以内で入力してください`, en: `must be at most ${arg} characters` };
    case 'code':
      return { ja: `次のいずれかのコードを入力してください: ${arg}`, en: `must be one of the codes ${arg}` };
    case 'digits':
      return { ja: `${arg}桁の数字で入力してください`, en: `must be exactly ${arg} digits` };
    case 'date':
      return { ja: '日付は YYYY-MM-DD か YYYYMMDD の実在する日付で入力してください', en: 'must be a real date as YYYY-MM-DD or YYYYMMDD' };
    case 'amount':
      return { ja: '金額は円単位の数字で入力してください（3桁区切りのカンマは可）', en: 'must be whole yen in digits (thousands commas allowed)' };
    case 'year':
      return { ja: '年度は西暦4桁で入力してください', en: 'fiscal year must be 4 digits (western calendar)' };
    case 'account':
      return { ja: '口座番号は7桁以内の数字で入力してください', en: 'account number must be up to 7 digits' };
    case 'paidOver':
      return { ja: `収納済額が${arg}を超えています`, en: `paid amount exceeds ${arg}` };
    default:
      return { ja: '値が不正です', en: 'invalid value' };
  }
}
