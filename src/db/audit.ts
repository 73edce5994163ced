import * as os from 'node:os';
import { nowTokyoTimestamp } from '../core/dates.js';
import { getLogger } from '../core/logger.js';
import type { Db } from './connection.js';

/**
 * Audit log (design.md "every run auditable"): every import, state change and
 * export is one row in audit_log and one line in the winston log.
 *
 * `details` must carry no personal data: counts, ids (宛名番号, 調定番号, batch
 * ids), file names, hashes — never names, kana, addresses, birth dates or
 * account numbers (mask them with maskAccount if an account must be named).
 */
export interface AuditEntry {
  /** stable verb, e.g. 'import.targets', 'batch.write', 'settings.load' */
  action: string;
  batchId?: string | null;
  sha256?: string | null;
  details?: Record<string, unknown>;
}

/** The operator recorded in audit rows: the explicit one (--operator), else the OS user. */
export function currentOperator(explicit?: string): string {
  if (explicit !== undefined && explicit.trim() !== '') return explicit.trim();
  try {
    const u = os.userInfo().username;
    if (u) return u;
  } catch {
    // no passwd entry (some containers): fall through
  }
  return process.env['USER'] ?? process.env['USERNAME'] ?? 'unknown';
}

/** Record one audited action in audit_log and in the structured log. Call it inside the step's transaction. */
export function audit(db: Db, entry: AuditEntry, operator?: string): void {
  const at = nowTokyoTimestamp();
  const op = currentOperator(operator);
  const details = entry.details ?? {};
  const json = JSON.stringify(details);
  db.prepare('INSERT INTO audit_log (at, operator, action, batch_id, sha256, details) VALUES (?, ?, ?, ?, ?, ?)').run(
    at,
    op,
    entry.action,
    entry.batchId ?? null,
    entry.sha256 ?? null,
    json,
  );
  getLogger().info('audit', {
    at,
    operator: op,
    action: entry.action,
    batchId: entry.batchId ?? null,
    sha256: entry.sha256 ?? null,
    details,
  });
}
