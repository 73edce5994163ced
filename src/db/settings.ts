/**
 * Per-bank settings (cli.md "Settings"; docs/settings.md): one bank_settings row
 * per bank. Validation lives in src/settings/; this module only reads and writes.
 */
import type { Db } from './connection.js';

export type CollectionMode = 'immediate' | 'deferred';

export interface BankSettings {
  bankCode: string;
  /** 依頼者コード the bank assigned to the city (10 digits) */
  requesterCode: string;
  /** 依頼者名, half-width kana (party class, ≤ 40 bytes) */
  requesterName: string;
  /** 金融機関名, half-width (bank class, ≤ 15 bytes); always set by load/set (from zengin-code when not given) */
  bankName: string;
  depositBranch: string;
  depositAccountType: string;
  /** the city's own account number (shown masked) */
  depositAccountNumber: string;
  /** layout id (formats/), default 'seizure-120' */
  layout: string;
  maxRecordsPerFile: number;
  /** output file name pattern with {bank} and {file} */
  fileNamePattern: string;
  collectionMode: CollectionMode;
  /** the next 依頼ファイル番号 to use; only ever moves forward */
  nextFileNumber: number;
  updatedAt: string;
  /** layout id of inquiry files (default 'inquiry-300') */
  inquiryLayout: string;
  /** inquiry file name pattern with {bank} and {file} (default 'INQ_{bank}_{file}.DAT') */
  inquiryFileNamePattern: string;
  /** layout id of instruction files (default 'instruction-120') */
  instructionLayout: string;
  /** instruction file name pattern (default 'INST_{bank}_{file}.DAT') */
  instructionFileNamePattern: string;
}

/** What load/set writes (nextFileNumber: a floor, never lowers the stored number). */
export type BankSettingsInput = Omit<BankSettings, 'nextFileNumber' | 'updatedAt'> & { nextFileNumber?: number | undefined };

interface Row {
  bank_code: string;
  requester_code: string;
  requester_name: string;
  bank_name: string | null;
  deposit_branch: string;
  deposit_account_type: string;
  deposit_account_number: string;
  layout_id: string;
  max_records_per_file: number;
  file_name_pattern: string;
  collection_mode: CollectionMode;
  next_file_number: number;
  updated_at: string;
  inquiry_layout_id: string;
  inquiry_file_name_pattern: string;
  instruction_layout_id: string;
  instruction_file_name_pattern: string;
}

function fromRow(r: Row): BankSettings {
  return {
    bankCode: r.bank_code,
    requesterCode: r.requester_code,
    requesterName: r.requester_name,
    bankName: r.bank_name ?? '',
    depositBranch: r.deposit_branch,
    depositAccountType: r.deposit_account_type,
    depositAccountNumber: r.deposit_account_number,
    layout: r.layout_id,
    maxRecordsPerFile: r.max_records_per_file,
    fileNamePattern: r.file_name_pattern,
    collectionMode: r.collection_mode,
    nextFileNumber: r.next_file_number,
    updatedAt: r.updated_at,
    inquiryLayout: r.inquiry_layout_id,
    inquiryFileNamePattern: r.inquiry_file_name_pattern,
    instructionLayout: r.instruction_layout_id,
    instructionFileNamePattern: r.instruction_file_name_pattern,
  };
}

/** Settings of one bank, or null when the bank is not configured. */
export function getBankSettings(db: Db, bankCode: string): BankSettings | null {
  const r = db.prepare('SELECT * FROM bank_settings WHERE bank_code = ?').get(bankCode) as Row | undefined;
  return r ? fromRow(r) : null;
}

/** Every configured bank, by bank code. */
export function listBankSettings(db: Db): BankSettings[] {
  return (db.prepare('SELECT * FROM bank_settings ORDER BY bank_code').all() as Row[]).map(fromRow);
}

/**
 * Insert or update one bank. An existing bank keeps its next_file_number unless
 * the input asks for a higher one (file numbers stay unique per bank).
 * Returns whether the bank was new.
 */
export function upsertBankSettings(db: Db, s: BankSettingsInput, updatedAt: string): { created: boolean } {
  const existed = db.prepare('SELECT 1 FROM bank_settings WHERE bank_code = ?').get(s.bankCode) !== undefined;
  db.prepare(
    `INSERT INTO bank_settings (bank_code, requester_code, requester_name, bank_name, deposit_branch, deposit_account_type,
       deposit_account_number, layout_id, max_records_per_file, file_name_pattern, collection_mode, next_file_number, updated_at,
       inquiry_layout_id, inquiry_file_name_pattern, instruction_layout_id, instruction_file_name_pattern)
     VALUES (@bankCode, @requesterCode, @requesterName, @bankName, @depositBranch, @depositAccountType, @depositAccountNumber,
       @layout, @maxRecordsPerFile, @fileNamePattern, @collectionMode, @next, @updatedAt,
       @inquiryLayout, @inquiryFileNamePattern, @instructionLayout, @instructionFileNamePattern)
     ON CONFLICT (bank_code) DO UPDATE SET requester_code = excluded.requester_code, requester_name = excluded.requester_name,
       bank_name = excluded.bank_name, deposit_branch = excluded.deposit_branch, deposit_account_type = excluded.deposit_account_type,
       deposit_account_number = excluded.deposit_account_number, layout_id = excluded.layout_id,
       max_records_per_file = excluded.max_records_per_file, file_name_pattern = excluded.file_name_pattern,
       collection_mode = excluded.collection_mode,
       inquiry_layout_id = excluded.inquiry_layout_id, inquiry_file_name_pattern = excluded.inquiry_file_name_pattern,
       instruction_layout_id = excluded.instruction_layout_id, instruction_file_name_pattern = excluded.instruction_file_name_pattern,
       next_file_number = MAX(bank_settings.next_file_number, excluded.next_file_number),
       updated_at = excluded.updated_at`,
  ).run({
    bankCode: s.bankCode,
    requesterCode: s.requesterCode,
    requesterName: s.requesterName,
    bankName: s.bankName,
    depositBranch: s.depositBranch,
    depositAccountType: s.depositAccountType,
    depositAccountNumber: s.depositAccountNumber,
    layout: s.layout,
    maxRecordsPerFile: s.maxRecordsPerFile,
    fileNamePattern: s.fileNamePattern,
    collectionMode: s.collectionMode,
    next: s.nextFileNumber ?? 1,
    updatedAt,
    inquiryLayout: s.inquiryLayout,
    inquiryFileNamePattern: s.inquiryFileNamePattern,
    instructionLayout: s.instructionLayout,
    instructionFileNamePattern: s.instructionFileNamePattern,
  });
  return { created: !existed };
}

// ---------------------------------------------------------------------------
// Installation-wide settings (cli.md "Settings": protectedPatterns; issue 17 adds
// authority, collector, documentFont the same way): one JSON value per key in
// installation_settings. Validation is the caller's (src/settings/); this reads and
// writes JSON only.

/** Keys of installation_settings (append a key here, validate it in src/settings/). */
export type InstallationSettingKey = 'protectedPatterns' | 'authority' | 'collector' | 'documentFont' | 'uploadLimitMB';

/** The stored JSON value of `key`, parsed, or undefined when it was never set. */
export function getInstallationSetting(db: Db, key: InstallationSettingKey): unknown {
  const r = db.prepare('SELECT value FROM installation_settings WHERE key = ?').get(key) as { value: string } | undefined;
  return r === undefined ? undefined : (JSON.parse(r.value) as unknown);
}

/** Every stored installation setting, by key, values parsed. */
export function listInstallationSettings(db: Db): Array<{ key: InstallationSettingKey; value: unknown; updatedAt: string }> {
  return (db.prepare('SELECT key, value, updated_at FROM installation_settings ORDER BY key').all() as Array<{ key: InstallationSettingKey; value: string; updated_at: string }>).map(
    (r) => ({ key: r.key, value: JSON.parse(r.value) as unknown, updatedAt: r.updated_at }),
  );
}

/** Store `value` (JSON-serialisable) under `key`, replacing what was there. */
export function setInstallationSetting(db: Db, key: InstallationSettingKey, value: unknown, updatedAt: string): void {
  db.prepare(
    `INSERT INTO installation_settings (key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), updatedAt);
}
