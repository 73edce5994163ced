import winston from 'winston';
import * as fs from 'node:fs';
import { FILE_MODE } from './fsutil.js';

/**
 * Structured JSON log (winston). Personal data never goes in: callers log
 * 宛名番号 and masked accounts only; as a second guard, fields whose key names
 * personal data are replaced before writing.
 */
const PERSONAL_KEYS = new Set(['name', 'kana', 'holderName', 'address', 'birthDate', 'accountNumber', '氏名', '氏名カナ', '住所', '生年月日', '口座番号', '口座名義カナ']);

const scrub = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (PERSONAL_KEYS.has(key)) (info as Record<string, unknown>)[key] = '***';
  }
  return info;
});

let logger: winston.Logger | null = null;

/** The log goes to SASHIOSAE_LOG (a file, mode 0600) when set; else it is silent. */
export function getLogger(): winston.Logger {
  if (logger) return logger;
  const file = process.env['SASHIOSAE_LOG'];
  const transports: winston.transport[] = [];
  if (file) {
    if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, 'a', FILE_MODE));
    transports.push(new winston.transports.File({ filename: file }));
  }
  logger = winston.createLogger({
    level: 'info',
    format: winston.format.combine(scrub(), winston.format.timestamp(), winston.format.json()),
    transports,
    silent: transports.length === 0,
  });
  return logger;
}
