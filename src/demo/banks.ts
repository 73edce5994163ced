/**
 * Real bank and branch codes for generated data, from the installed `zengin-code`
 * package, and the settings file the generator writes beside the CSVs.
 */
import { createRequire } from 'node:module';
import { usageError } from '../core/errors.js';
import { bankHalfWidth } from './names.js';
import type { BankSettings as StoredBankSettings } from '../db/settings.js';

interface ZenginBranch {
  code: string;
  name: string;
  kana: string;
}
interface ZenginBank {
  code: string;
  name: string;
  kana: string;
  branches: Record<string, ZenginBranch>;
}

let zengin: Record<string, ZenginBank> | undefined;
function data(): Record<string, ZenginBank> {
  if (!zengin) zengin = createRequire(import.meta.url)('zengin-code') as Record<string, ZenginBank>;
  return zengin;
}

export interface DemoBank {
  code: string;
  /** name in kanji as zengin-code has it */
  name: string;
  /** half-width kana, bank-name class, at most 15 bytes */
  kanaName: string;
  /** branch codes used for generated accounts (sorted, up to 40) */
  branches: string[];
}

const BANK_CLASS = /^[ｱ-ﾝﾞﾟA-Z0-9 -]*$/;

/**
 * A bank name narrowed to the bank-name class of seizure-120 (ｱ-ﾝ ﾞ ﾟ A-Z 0-9 space -),
 * cut to `max` bytes but never between a kana and its voicing mark.
 */
function narrowBankName(kana: string, max = 15): string {
  let s = bankHalfWidth(kana)
    .replace(/[－‐―−]/g, '-')
    .replace(/[Ａ-Ｚａ-ｚ０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toUpperCase();
  if (!BANK_CLASS.test(s)) throw new RangeError(`bank name cannot be written in half-width: ${kana}`);
  if (s.length > max) {
    let cut = max;
    while (cut > 0 && (s[cut] === 'ﾞ' || s[cut] === 'ﾟ')) cut--;
    s = s.slice(0, cut);
  }
  return s.trimEnd();
}

export function lookupBank(code: string): DemoBank {
  const b = /^\d{4}$/.test(code) ? data()[code] : undefined;
  if (!b) {
    throw usageError('generate.unknown-bank', {
      ja: `金融機関コード「${code}」は全銀協コード表 (zengin-code) にありません。4桁の実在する金融機関コードを指定してください。`,
      en: `Bank code "${code}" is not in the Zengin code table (zengin-code). Give a real 4-digit bank code.`,
    });
  }
  const branches = Object.keys(b.branches)
    .filter((c) => /^\d{3}$/.test(c))
    .sort()
    .slice(0, 40);
  if (branches.length === 0) {
    throw usageError('generate.bank-without-branches', {
      ja: `金融機関コード「${code}」には支店がありません。別の金融機関を指定してください。`,
      en: `Bank code "${code}" has no branches. Choose another bank.`,
    });
  }
  return { code, name: b.name, kanaName: narrowBankName(b.kana), branches };
}

/** One bank's entry in settings.json: the settings module's shape, less what the database keeps itself (and the inquiry/instruction keys, left at their defaults). */
export type BankSettings = Omit<StoredBankSettings, 'nextFileNumber' | 'updatedAt' | 'inquiryLayout' | 'inquiryFileNamePattern' | 'instructionLayout' | 'instructionFileNamePattern'>;

/**
 * Settings for the generated banks: the city ｶｺﾞｼﾏｼ with a deposit account at each, and the
 * documents' 執行機関 and 徴収職員 as placeholders (the names left ○○○○, as cli.md's example).
 */
export function settingsFor(banks: readonly DemoBank[]): { authority: string; collector: string; banks: BankSettings[] } {
  return {
    authority: '鹿児島市長　○○○○',
    collector: '徴収職員　○○○○',
    banks: banks.map((b, i) => ({
      bankCode: b.code,
      requesterCode: String(12_345 + i * 11_111).padStart(10, '0'),
      requesterName: 'ｶｺﾞｼﾏｼ',
      bankName: b.kanaName,
      depositBranch: b.branches[0]!,
      depositAccountType: '1',
      depositAccountNumber: String(1_234_567 + i * 1_111_111).slice(-7).padStart(7, '0'),
      layout: 'seizure-120',
      maxRecordsPerFile: 999_999,
      fileNamePattern: 'SASHI_{bank}_{file}.DAT',
      collectionMode: 'immediate',
    })),
  };
}
