import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type winston from 'winston';
import { usageError } from './errors.js';
import { FILE_MODE } from './fsutil.js';

/**
 * Structured JSON log (winston). Personal data never goes in: callers log
 * 宛名番号 and masked accounts only; as a second guard, fields whose key names
 * personal data are replaced before writing.
 *
 * The log is written to the file named by SASHIOSAE_LOG (created 0600); without
 * it the log is off and winston is not even loaded (it costs ~0.1 s of start-up
 * for every command otherwise).
 */
export interface Log {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

const PERSONAL_KEYS = new Set(['name', 'kana', 'holderName', 'address', 'birthDate', 'accountNumber', '氏名', '氏名カナ', '住所', '生年月日', '口座番号', '口座名義カナ']);

/** Replace the values of personal keys (top level and nested objects). */
export function scrubPersonal(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (PERSONAL_KEYS.has(k)) out[k] = '***';
    else if (v !== null && typeof v === 'object' && !Array.isArray(v)) out[k] = scrubPersonal(v as Record<string, unknown>);
    else out[k] = v;
  }
  return out;
}

/**
 * The log file named by SASHIOSAE_LOG, or null when unset. A folder, or a file in a
 * folder that does not exist, is a usage error naming it (not a silently lost log).
 */
export function logTarget(): string | null {
  const file = process.env['SASHIOSAE_LOG'];
  if (!file) return null;
  let problem: { ja: string; en: string } | null = null;
  try {
    if (fs.statSync(file).isDirectory()) problem = { ja: 'フォルダです', en: 'is a folder' };
  } catch {
    if (!fs.existsSync(path.dirname(path.resolve(file)))) problem = { ja: '置き場所のフォルダがありません', en: 'its folder does not exist' };
  }
  if (problem) {
    throw usageError(
      'env.log',
      {
        ja: `環境変数 SASHIOSAE_LOG の ${JSON.stringify(file)} は${problem.ja}。ログファイルのパスを指定してください。`,
        en: `SASHIOSAE_LOG ${JSON.stringify(file)} ${problem.en}; give the path of a log file.`,
      },
      { file },
    );
  }
  return file;
}

const silent: Log = { info() {}, warn() {}, error() {} };
let logger: Log | null = null;

export function getLogger(): Log {
  if (logger) return logger;
  const file = logTarget();
  if (!file) {
    logger = silent;
    return logger;
  }
  if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', FILE_MODE));
  const w = createRequire(import.meta.url)('winston') as typeof winston;
  const inner = w.createLogger({
    level: 'info',
    format: w.format.combine(w.format.timestamp(), w.format.json()),
    transports: [new w.transports.File({ filename: file })],
  });
  logger = {
    info: (m, meta) => inner.info(m, scrubPersonal(meta ?? {})),
    warn: (m, meta) => inner.warn(m, scrubPersonal(meta ?? {})),
    error: (m, meta) => inner.error(m, scrubPersonal(meta ?? {})),
  };
  return logger;
}
