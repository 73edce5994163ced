/**
 * Per-bank settings (cli.md "Settings", docs/settings.md): the JSON settings file
 * schema (zod), field rules shared with `settings set`, and loading into the
 * bank_settings table.
 *
 *   loadSettingsFile(db, path)     validate the whole file, then upsert every bank in one transaction
 *   resolveBank(input)             validate one bank's values; fill bankName from zengin-code
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { nowTokyoTimestamp } from '../core/dates.js';
import { rejected, usageError, type Finding } from '../core/errors.js';
import type { Msg } from '../core/i18n.js';
import { audit } from '../db/audit.js';
import type { Db } from '../db/connection.js';
import { getInstallationSetting, setInstallationSetting, upsertBankSettings, type BankSettingsInput } from '../db/settings.js';
import type { ProtectedPattern } from '../domain/protected-funds.js';
import { checkHalfWidthClass, narrowName } from '../text/narrow.js';

const DEFAULTS = {
  layout: 'seizure-120',
  maxRecordsPerFile: 999_999,
  fileNamePattern: 'SASHI_{bank}_{file}.DAT',
  collectionMode: 'immediate',
  inquiryLayout: 'inquiry-300',
  inquiryFileNamePattern: 'INQ_{bank}_{file}.DAT',
  instructionLayout: 'instruction-120',
  instructionFileNamePattern: 'INST_{bank}_{file}.DAT',
} as const;

const REQUESTER_NAME_BYTES = 40;
/** 摘要 is at most 40 characters (inquiry-300 field 9): a longer pattern could never match. */
const PATTERN_MAX = 40;
const KIND_MAX = 40;
const BANK_NAME_BYTES = 15;

/** Bilingual reason for each rule; the zod messages are these keys. */
const REASONS: Record<string, Msg> = {
  bankCode: { ja: '金融機関コードは4桁の数字です', en: 'bank code must be 4 digits' },
  requesterCode: { ja: '依頼者コードは銀行から指定された10桁の数字です（先頭の0も入力）', en: 'requester code must be the 10 digits the bank assigned (leading zeros included)' },
  requesterName: {
    ja: `依頼者名は半角カナ・英大文字・数字・空白・( ) - . の${REQUESTER_NAME_BYTES}文字以内です（例: ｶｺﾞｼﾏｼ）`,
    en: `requester name must be half-width kana, A–Z, 0–9, space, ( ) - . and at most ${REQUESTER_NAME_BYTES} bytes (e.g. ｶｺﾞｼﾏｼ)`,
  },
  bankName: {
    ja: `金融機関名は半角カナ・英大文字・数字・空白・- の${BANK_NAME_BYTES}文字以内です（例: ﾐﾔｻﾞｷ）`,
    en: `bank name must be half-width kana, A–Z, 0–9, space or - and at most ${BANK_NAME_BYTES} bytes (e.g. ﾐﾔｻﾞｷ)`,
  },
  depositBranch: { ja: '入金先支店コードは3桁の数字です', en: 'deposit branch must be 3 digits' },
  depositAccountType: { ja: '入金先預金種目は 1 普通・2 当座・3 納税準備・4 貯蓄・9 その他 のいずれかです', en: 'deposit account type must be 1, 2, 3, 4 or 9' },
  depositAccountNumber: { ja: '入金先口座番号は7桁以内の数字です', en: 'deposit account number must be up to 7 digits' },
  layout: { ja: 'レイアウトIDは英数字・. _ - の64文字以内です', en: 'layout id must be up to 64 letters, digits, . _ -' },
  maxRecordsPerFile: { ja: '1ファイルの最大件数は 1〜999999 の整数です', en: 'max records per file must be an integer 1–999999' },
  fileNamePattern: {
    ja: 'ファイル名パターンには {bank} と {file} を含め、/ \\ や .. は使えません（例: SASHI_{bank}_{file}.DAT）',
    en: 'file name pattern must contain {bank} and {file} and no / \\ or .. (e.g. SASHI_{bank}_{file}.DAT)',
  },
  inquiryLayout: { ja: '照会のレイアウトIDは英数字・. _ - の64文字以内です', en: 'inquiry layout id must be up to 64 letters, digits, . _ -' },
  inquiryFileNamePattern: {
    ja: '照会ファイル名パターンには {bank} と {file} を含め、/ \\ や .. は使えません（例: INQ_{bank}_{file}.DAT）',
    en: 'inquiry file name pattern must contain {bank} and {file} and no / \\ or .. (e.g. INQ_{bank}_{file}.DAT)',
  },
  instructionLayout: { ja: '取立指示のレイアウトIDは英数字・. _ - の64文字以内です', en: 'instruction layout id must be up to 64 letters, digits, . _ -' },
  instructionFileNamePattern: {
    ja: '取立指示ファイル名パターンには {bank} と {file} を含め、/ \\ や .. は使えません（例: INST_{bank}_{file}.DAT）',
    en: 'instruction file name pattern must contain {bank} and {file} and no / \\ or .. (e.g. INST_{bank}_{file}.DAT)',
  },
  collectionMode: { ja: '取立区分は immediate（即時取立）か deferred（取立保留）です', en: 'collection mode must be immediate or deferred' },
  nextFileNumber: { ja: '次のファイル番号は 1〜99999999 の整数です', en: 'next file number must be an integer 1–99999999' },
  unknownKey: { ja: '設定ファイルに未知の項目があります（綴りを確認してください）', en: 'unknown key in the settings file (check the spelling)' },
  duplicateBank: { ja: '同じ金融機関コードが2回以上書かれています', en: 'the same bank code appears more than once' },
  required: { ja: '必須項目がありません', en: 'required value is missing' },
  protectedPattern: {
    ja: `差押禁止の摘要パターンは半角カナ・英数字・記号の${PATTERN_MAX}文字以内で、空白だけにはできません（例: ﾈﾝｷﾝ）`,
    en: `a protected 摘要 pattern must be 1–${PATTERN_MAX} half-width kana or ASCII characters, not only spaces (e.g. ﾈﾝｷﾝ)`,
  },
  documentText: { ja: '執行機関・徴収職員は1〜100文字で書いてください（例: 鹿児島市長　○○○○）', en: 'authority and collector must be 1–100 characters (e.g. 鹿児島市長　○○○○)' },
  documentFont: { ja: 'documentFont はフォントファイル（.ttf .otf .ttc）の存在するパスです', en: 'documentFont must be the path of an existing font file (.ttf, .otf, .ttc)' },
  protectedKind: { ja: `差押禁止の種類（kind）は1〜${KIND_MAX}文字で書いてください（例: 年金）`, en: `the kind of a protected pattern must be 1–${KIND_MAX} characters (e.g. 年金)` },
};

const halfWidth = (cls: 'party' | 'bank', max: number) => (v: string) => v.length >= 1 && v.length <= max && v.trim() === v && checkHalfWidthClass(v, cls) === null;

/** Layout ids and file-name patterns: the same rule for every kind of file. */
const layoutId = (key: string) => z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, key);
const fileNamePattern = (key: string) =>
  z.string().refine((p) => p.includes('{bank}') && p.includes('{file}') && !/[\\/]/.test(p) && !p.includes('..') && p.length <= 128, key);

export const bankSettingsSchema = z.strictObject({
  bankCode: z.string().regex(/^\d{4}$/, 'bankCode'),
  requesterCode: z.string().regex(/^\d{10}$/, 'requesterCode'),
  requesterName: z.string().refine(halfWidth('party', REQUESTER_NAME_BYTES), 'requesterName'),
  bankName: z.string().refine(halfWidth('bank', BANK_NAME_BYTES), 'bankName').optional(),
  depositBranch: z.string().regex(/^\d{3}$/, 'depositBranch'),
  depositAccountType: z.enum(['1', '2', '3', '4', '9'], 'depositAccountType'),
  depositAccountNumber: z.string().regex(/^\d{1,7}$/, 'depositAccountNumber'),
  layout: layoutId('layout').optional(),
  maxRecordsPerFile: z.number().int('maxRecordsPerFile').min(1, 'maxRecordsPerFile').max(999_999, 'maxRecordsPerFile').optional(),
  fileNamePattern: fileNamePattern('fileNamePattern').optional(),
  collectionMode: z.enum(['immediate', 'deferred'], 'collectionMode').optional(),
  nextFileNumber: z.number().int('nextFileNumber').min(1, 'nextFileNumber').max(99_999_999, 'nextFileNumber').optional(),
  inquiryLayout: layoutId('inquiryLayout').optional(),
  inquiryFileNamePattern: fileNamePattern('inquiryFileNamePattern').optional(),
  instructionLayout: layoutId('instructionLayout').optional(),
  instructionFileNamePattern: fileNamePattern('instructionFileNamePattern').optional(),
});
export type BankSettingsFileEntry = z.input<typeof bankSettingsSchema>;

/**
 * One extra 摘要 pattern (cli.md "Settings" protectedPatterns; docs/protected-funds-policy.md):
 * half-width kana or printable ASCII as the bank writes 摘要, matched as written.
 */
export const protectedPatternSchema = z.strictObject({
  kind: z.string().refine((k) => k.trim() !== '' && [...k].length <= KIND_MAX, 'protectedKind'),
  pattern: z.string().refine((p) => p.length <= PATTERN_MAX && /^[\x20-\x7E\uFF61-\uFF9F]+$/.test(p) && p.trim() !== '', 'protectedPattern'),
});

/** 執行機関 / 徴収職員 as printed on documents: one line of 1–100 characters. */
export const documentTextSchema = z.string().refine((v) => v.trim() !== '' && [...v].length <= 100 && !/[\r\n]/.test(v), 'documentText');
/** A font file pdfkit can embed (TrueType, OpenType, a collection's first face). */
export const documentFontSchema = z.string().refine((p) => /\.(ttf|otf|ttc)$/i.test(p) && fs.existsSync(p), 'documentFont');

/** The installation-wide settings of documents (DOCUMENT_KEYS), stored by settings load. */
export const DOCUMENT_KEYS = ['authority', 'collector', 'documentFont'] as const;
export type DocumentSettingKey = (typeof DOCUMENT_KEYS)[number];

export const settingsFileSchema = z.strictObject({
  /** installation-wide: extra protected 摘要 patterns (the defaults always apply); absent: the stored ones are kept */
  protectedPatterns: z.array(protectedPatternSchema).optional(),
  /** installation-wide, for documents (cli.md "Settings"): 執行機関, 徴収職員, font file; absent: the stored value is kept */
  authority: documentTextSchema.optional(),
  collector: documentTextSchema.optional(),
  documentFont: documentFontSchema.optional(),
  /** installation-wide, the web application's largest upload in MB (issue 18; default UPLOAD_LIMIT_MB_DEFAULT); absent: the stored value is kept */
  uploadLimitMB: z.number().int().min(1).max(10240).optional(),
  banks: z.array(bankSettingsSchema).min(1, 'required'),
});
export type SettingsFile = z.input<typeof settingsFileSchema>;

/** Turn zod issues into located findings (field = JSON path; values of account numbers never shown). */
function findingsOf(issues: z.core.$ZodIssue[], file: string | undefined): Finding[] {
  return issues.map((i) => {
    const key = i.code === 'unrecognized_keys' ? 'unknownKey' : i.code === 'invalid_type' && i.input === undefined ? 'required' : i.message;
    const field = [...i.path, ...(i.code === 'unrecognized_keys' ? [i.keys.join(',')] : [])].join('.');
    return {
      code: `settings.${key}`,
      ...(file !== undefined ? { file } : {}),
      field,
      message: REASONS[key] ?? { ja: `値が不正です（${i.message}）`, en: `invalid value (${i.message})` },
    };
  });
}

interface ZenginBank {
  kana: string;
}
let zengin: Record<string, ZenginBank> | null = null;

/** The bank's name from zengin-code, narrowed to half-width bank class (≤ 15 bytes, cut if longer). */
export function bankNameFromZengin(bankCode: string): { name: string; truncated: boolean } | null {
  if (zengin === null) {
    const require = createRequire(import.meta.url);
    zengin = require('zengin-code') as Record<string, ZenginBank>;
  }
  const b = zengin[bankCode];
  if (!b) return null;
  const whole = narrowName(b.kana, { cls: 'bank', maxBytes: BANK_NAME_BYTES });
  if (whole.ok) return { name: whole.value, truncated: false };
  if (whole.reason !== 'too-long') return null;
  const cut = narrowName(b.kana, { cls: 'bank', maxBytes: BANK_NAME_BYTES, truncate: true });
  return cut.ok ? { name: cut.value, truncated: true } : null;
}

export interface ResolvedBank {
  input: BankSettingsInput;
  /** bankName was filled from zengin-code */
  bankNameFromZengin: boolean;
  notes: Msg[];
}

/** Apply defaults and fill bankName; throws exit 3 when the bank name cannot be found. */
export function resolveBank(e: z.output<typeof bankSettingsSchema>, where?: { file?: string; field?: string }): ResolvedBank {
  let bankName = e.bankName;
  const notes: Msg[] = [];
  let fromZ = false;
  if (bankName === undefined) {
    const z2 = bankNameFromZengin(e.bankCode);
    if (z2 === null) {
      throw rejected(
        'settings.bank-name-unknown',
        {
          ja: `金融機関コード ${e.bankCode} の名称を全銀協コード表から半角カナにできません。bankName（--bank-name）に銀行へ届け出た半角カナ名を指定してください`,
          en: `cannot take bank ${e.bankCode}'s name from the zengin code table; give bankName (--bank-name) as registered with the bank, in half-width kana`,
        },
        [],
        where,
      );
    }
    bankName = z2.name;
    fromZ = true;
    notes.push({ ja: `金融機関 ${e.bankCode} の名称を全銀協コード表から設定しました: ${bankName}`, en: `bank ${e.bankCode}: name taken from the zengin code table: ${bankName}` });
    if (z2.truncated) {
      notes.push({
        ja: `金融機関 ${e.bankCode} の名称は${BANK_NAME_BYTES}文字に切り詰めました。銀行へ届け出た名称と違う場合は bankName で指定してください`,
        en: `bank ${e.bankCode}: the name was cut to ${BANK_NAME_BYTES} bytes; give bankName if the bank registered another`,
      });
    }
  }
  return {
    input: {
      bankCode: e.bankCode,
      requesterCode: e.requesterCode,
      requesterName: e.requesterName,
      bankName,
      depositBranch: e.depositBranch,
      depositAccountType: e.depositAccountType,
      depositAccountNumber: e.depositAccountNumber,
      layout: e.layout ?? DEFAULTS.layout,
      maxRecordsPerFile: e.maxRecordsPerFile ?? DEFAULTS.maxRecordsPerFile,
      fileNamePattern: e.fileNamePattern ?? DEFAULTS.fileNamePattern,
      collectionMode: e.collectionMode ?? DEFAULTS.collectionMode,
      nextFileNumber: e.nextFileNumber,
      inquiryLayout: e.inquiryLayout ?? DEFAULTS.inquiryLayout,
      inquiryFileNamePattern: e.inquiryFileNamePattern ?? DEFAULTS.inquiryFileNamePattern,
      instructionLayout: e.instructionLayout ?? DEFAULTS.instructionLayout,
      instructionFileNamePattern: e.instructionFileNamePattern ?? DEFAULTS.instructionFileNamePattern,
    },
    bankNameFromZengin: fromZ,
    notes,
  };
}

/** Validate one bank's values (settings set); exit 2 with every finding when invalid. */
export function validateBankEntry(entry: unknown): z.output<typeof bankSettingsSchema> {
  const r = bankSettingsSchema.safeParse(entry);
  if (!r.success) {
    const findings = findingsOf(r.error.issues, undefined);
    const e = usageError('settings.invalid-value', { ja: '設定値に誤りがあります。下の項目を直してください', en: 'the settings are invalid; fix the fields below' });
    e.findings.push(...findings);
    throw e;
  }
  return r.data;
}

export interface LoadResult {
  banks: Array<{ bankCode: string; created: boolean; bankNameFromZengin: boolean }>;
  /** the protectedPatterns stored by this load; null when the file had none (the stored ones kept) */
  protectedPatterns: ProtectedPattern[] | null;
  /** the document settings (authority, collector, documentFont) this load stored */
  documents: DocumentSettingKey[];
  notes: Msg[];
}

/**
 * Load a settings file into bank_settings: the whole file is validated first
 * (exit 3 with every finding; nothing stored), then every bank is upserted in
 * one transaction and audited. next_file_number of an existing bank is kept.
 */
export function loadSettingsFile(db: Db, file: string, operator?: string): LoadResult {
  const name = path.basename(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw usageError('file.not-found', { ja: `設定ファイル ${file} を読めません。パスを確認してください`, en: `cannot read settings file ${file}; check the path` });
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw rejected(
      'settings.json',
      { ja: `設定ファイルが JSON として読めません（${(err as Error).message}）`, en: `the settings file is not valid JSON (${(err as Error).message})` },
      [],
      { file: name },
    );
  }
  const r = settingsFileSchema.safeParse(json);
  if (!r.success) {
    throw rejected('settings.invalid', { ja: '設定ファイルに誤りがあるため読み込みませんでした（何も変更していません）', en: 'the settings file is invalid; nothing was changed' }, findingsOf(r.error.issues, name), { file: name });
  }
  const seen = new Map<string, number>();
  const dup: Finding[] = [];
  r.data.banks.forEach((b, i) => {
    if (seen.has(b.bankCode)) dup.push({ code: 'settings.duplicateBank', file: name, field: `banks.${i}.bankCode`, found: b.bankCode, message: REASONS['duplicateBank']! });
    seen.set(b.bankCode, i);
  });
  if (dup.length) throw rejected('settings.invalid', { ja: '設定ファイルに誤りがあるため読み込みませんでした（何も変更していません）', en: 'the settings file is invalid; nothing was changed' }, dup, { file: name });
  const resolved = r.data.banks.map((b, i) => resolveBank(b, { file: name, field: `banks.${i}.bankName` }));
  const at = nowTokyoTimestamp();
  const patterns = r.data.protectedPatterns ?? null;
  const documents: Partial<Record<DocumentSettingKey, string>> = {};
  for (const k of DOCUMENT_KEYS) if (r.data[k] !== undefined) documents[k] = r.data[k];
  const result: LoadResult = { banks: [], protectedPatterns: patterns, documents: Object.keys(documents) as DocumentSettingKey[], notes: resolved.flatMap((x) => x.notes) };
  db.transaction(() => {
    if (patterns !== null) setInstallationSetting(db, 'protectedPatterns', patterns, at);
    for (const k of DOCUMENT_KEYS) if (documents[k] !== undefined) setInstallationSetting(db, k, documents[k], at);
    if (r.data.uploadLimitMB !== undefined) setInstallationSetting(db, 'uploadLimitMB', r.data.uploadLimitMB, at);
    for (const x of resolved) {
      const { created } = upsertBankSettings(db, x.input, at);
      result.banks.push({ bankCode: x.input.bankCode, created, bankNameFromZengin: x.bankNameFromZengin });
    }
    audit(
      db,
      { action: 'settings.load', details: { file: name, banks: result.banks.map((b) => b.bankCode), ...(patterns !== null ? { protectedPatterns: patterns } : {}), ...(result.documents.length > 0 ? { documentSettings: result.documents } : {}), ...(r.data.uploadLimitMB !== undefined ? { uploadLimitMB: r.data.uploadLimitMB } : {}) } },
      operator,
    );
  })();
  return result;
}

/** Store one bank's settings (settings set), audited. */
export function saveBankSettings(db: Db, resolved: ResolvedBank, operator?: string): { created: boolean } {
  return db.transaction(() => {
    const r = upsertBankSettings(db, resolved.input, nowTokyoTimestamp());
    audit(db, { action: 'settings.set', details: { bankCode: resolved.input.bankCode, created: r.created } }, operator);
    return r;
  })();
}

/**
 * The installation's extra protected patterns (settings load), [] when none were
 * stored. The defaults of domain/protected-funds.ts are not included: callers add
 * them (protectedPatternList), since they always apply.
 */
export function configuredProtectedPatterns(db: Db): ProtectedPattern[] {
  const v = getInstallationSetting(db, 'protectedPatterns');
  if (v === undefined) return [];
  const r = z.array(protectedPatternSchema).safeParse(v);
  if (!r.success) {
    throw usageError('settings.invalid-value', {
      ja: '保存されている設定 protectedPatterns が不正です。settings load で設定し直してください',
      en: 'the stored setting protectedPatterns is invalid; load it again with settings load',
    });
  }
  return r.data;
}

/** The stored document settings (settings load); a key never set is absent. */
export function documentSettings(db: Db): Partial<Record<DocumentSettingKey, string>> {
  const out: Partial<Record<DocumentSettingKey, string>> = {};
  for (const k of DOCUMENT_KEYS) {
    const v = getInstallationSetting(db, k);
    if (v === undefined) continue;
    const ok = (k === 'documentFont' ? z.string() : documentTextSchema).safeParse(v);
    if (!ok.success) {
      throw usageError('settings.invalid-value', {
        ja: `保存されている設定 ${k} が不正です。settings load で設定し直してください`,
        en: `the stored setting ${k} is invalid; load it again with settings load`,
      });
    }
    out[k] = ok.data;
  }
  return out;
}

/** The web application's upload limit when none is stored (issue 18: 200 MB). */
export const UPLOAD_LIMIT_MB_DEFAULT = 200;

/** The largest upload the web application takes, in MB (settings load `uploadLimitMB`; default 200). */
export function uploadLimitMB(db: Db): number {
  const v = getInstallationSetting(db, 'uploadLimitMB');
  if (v === undefined) return UPLOAD_LIMIT_MB_DEFAULT;
  const ok = z.number().int().min(1).max(10240).safeParse(v);
  if (!ok.success) {
    throw usageError('settings.invalid-value', {
      ja: '保存されている設定 uploadLimitMB が不正です。settings load で設定し直してください',
      en: 'the stored setting uploadLimitMB is invalid; load it again with settings load',
    });
  }
  return ok.data;
}
