/**
 * What `settings show` shows (cli.md "Settings"), built once for the CLI (`settings show
 * --json` and its text) and the web application (`GET /admin/settings`): every bank with the
 * city's own account number masked, the extra protected 摘要 patterns, the document settings
 * and the upload limit of the web application.
 */
import { maskAccount } from '../core/mask.js';
import type { Db } from '../db/connection.js';
import { getBankSettings, listBankSettings, type BankSettings } from '../db/settings.js';
import type { ProtectedPattern } from '../domain/protected-funds.js';
import { configuredProtectedPatterns, documentSettings, uploadLimitMB } from '../settings/index.js';

/** One bank's settings as shown: the same fields, the deposit account number masked (maskAccount). */
export type MaskedBankSettings = BankSettings;

/** One bank's settings as shown: the deposit account number masked. */
export function maskedBankSettings(s: BankSettings): MaskedBankSettings {
  return {
    bankCode: s.bankCode,
    requesterCode: s.requesterCode,
    requesterName: s.requesterName,
    bankName: s.bankName,
    depositBranch: s.depositBranch,
    depositAccountType: s.depositAccountType,
    depositAccountNumber: maskAccount(s.depositAccountNumber),
    layout: s.layout,
    maxRecordsPerFile: s.maxRecordsPerFile,
    fileNamePattern: s.fileNamePattern,
    collectionMode: s.collectionMode,
    nextFileNumber: s.nextFileNumber,
    inquiryLayout: s.inquiryLayout,
    inquiryFileNamePattern: s.inquiryFileNamePattern,
    instructionLayout: s.instructionLayout,
    instructionFileNamePattern: s.instructionFileNamePattern,
    updatedAt: s.updatedAt,
  };
}

export interface SettingsShowJson {
  banks: MaskedBankSettings[];
  /** the extra patterns (the defaults of domain/protected-funds.ts always apply besides) */
  protectedPatterns: ProtectedPattern[];
  authority: string | null;
  collector: string | null;
  documentFont: string | null;
  /** the web application's largest upload in MB (the default when none is stored) */
  uploadLimitMB: number;
}

/** `settings show --json` (`bankCode`: only that bank; none when it is not configured). */
export function buildSettingsShowJson(db: Db, bankCode?: string): SettingsShowJson {
  const list = bankCode !== undefined ? [getBankSettings(db, bankCode)].filter((x): x is BankSettings => x !== null) : listBankSettings(db);
  const docs = documentSettings(db);
  return {
    banks: list.map(maskedBankSettings),
    protectedPatterns: configuredProtectedPatterns(db),
    authority: docs.authority ?? null,
    collector: docs.collector ?? null,
    documentFont: docs.documentFont ?? null,
    uploadLimitMB: uploadLimitMB(db),
  };
}
