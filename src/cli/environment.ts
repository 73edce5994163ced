/**
 * The environment variables a command reads, checked before it starts: a value that
 * cannot be used is a usage error (exit 2) naming it, never silently ignored.
 */
import { todayOverride } from '../core/dates.js';
import { logTarget } from '../core/logger.js';
import { busyTimeoutMs } from '../db/connection.js';

export function checkEnvironment(): void {
  todayOverride();
  logTarget();
  busyTimeoutMs();
}
