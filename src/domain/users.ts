/**
 * The web application's users (issue 18 item 2, ADR 0180): roles, what each role may do,
 * the password policy and the lockout rule. Pure: no clock, no database.
 */
import type { Msg } from '../core/i18n.js';

export const ROLES = ['collector', 'liaison', 'accountant', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}

export const ROLE_LABELS: Readonly<Record<Role, Msg>> = {
  collector: { ja: '徴収担当', en: 'collector' },
  liaison: { ja: '金融機関連絡担当', en: 'bank liaison' },
  accountant: { ja: '会計担当', en: 'accountant' },
  admin: { ja: '管理者', en: 'administrator' },
};

/** Actions of the web application; `read` (batches and reports) is everyone's. */
export type Action =
  | 'read'
  | 'import-targets'
  | 'inquire'
  | 'extract'
  | 'write-request'
  | 'cancel'
  | 'import-answers'
  | 'import-results'
  | 'import-statement'
  | 'validate-file'
  | 'holds'
  | 'instruct'
  | 'write-instruction'
  | 'reconcile'
  | 'export'
  | 'documents'
  | 'settings'
  | 'users';

/** issue 18 item 2: each role may do only its part. */
export const ROLE_ACTIONS: Readonly<Record<Role, readonly Action[]>> = {
  collector: ['read', 'import-targets', 'inquire', 'extract', 'write-request', 'cancel'],
  liaison: ['read', 'import-answers', 'import-results', 'import-statement', 'validate-file'],
  accountant: ['read', 'holds', 'instruct', 'write-instruction', 'reconcile', 'export', 'documents'],
  admin: ['read', 'settings', 'users'],
};

export function mayDo(role: Role, action: Action): boolean {
  return ROLE_ACTIONS[role].includes(action);
}

export const PASSWORD_MIN_CHARS = 12;
/** a bound on the work one login asks of scrypt's input */
export const PASSWORD_MAX_CHARS = 1024;

/** The password policy: null when acceptable, else why not (characters counted as code points). */
export function passwordProblem(password: string): Msg | null {
  const n = [...password].length;
  if (n < PASSWORD_MIN_CHARS)
    return { ja: `パスワードは ${PASSWORD_MIN_CHARS} 文字以上にしてください（${n} 文字でした）`, en: `the password must be at least ${PASSWORD_MIN_CHARS} characters (it had ${n})` };
  if (n > PASSWORD_MAX_CHARS)
    return { ja: `パスワードは ${PASSWORD_MAX_CHARS} 文字以下にしてください`, en: `the password must be at most ${PASSWORD_MAX_CHARS} characters` };
  if (password.trim() !== password)
    return { ja: 'パスワードの先頭・末尾に空白は使えません', en: 'the password may not begin or end with white space' };
  return null;
}

export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_WINDOW_MS = 15 * 60 * 1000;

/**
 * The lockout rule: 5 failures within 15 minutes lock the user until 15 minutes after the
 * first of them. `failures` are the user's failure times (ms, any order); returns the time
 * the lock ends, or null when the user is not locked at `now`. Attempts while locked are
 * not counted as failures (the server does not record them), so trying on does not extend
 * the lock.
 */
export function lockedUntil(failures: readonly number[], now: number): number | null {
  const recent = failures.filter((t) => t > now - LOCKOUT_WINDOW_MS && t <= now).sort((a, b) => a - b);
  if (recent.length < LOCKOUT_FAILURES) return null;
  // the earliest failure that still has LOCKOUT_FAILURES - 1 more within its window
  for (let i = 0; i + LOCKOUT_FAILURES - 1 < recent.length; i++) {
    const first = recent[i]!;
    const fifth = recent[i + LOCKOUT_FAILURES - 1]!;
    if (fifth - first < LOCKOUT_WINDOW_MS && first + LOCKOUT_WINDOW_MS > now) return first + LOCKOUT_WINDOW_MS;
  }
  return null;
}
