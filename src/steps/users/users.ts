/**
 * Users of the web application (issue 18 item 2, ADR 0180): add, disable, list, and the
 * sign-in check with its lockout. The password is never logged, audited or returned; the
 * audit names the user, the role and the operator only.
 */
import { conflict, usageError } from '../../core/errors.js';
import { nowTokyoTimestamp } from '../../core/dates.js';
import { dummyHash, hashPassword, verifyPassword } from '../../core/password.js';
import { audit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { clearLoginFailures, disableUser, insertUser, listUsers, loginFailureTimes, recordLoginFailure, userByName, type UserInfo } from '../../db/users.js';
import { isRole, LOCKOUT_WINDOW_MS, lockedUntil, passwordProblem, ROLES, type Role } from '../../domain/users.js';

const NAME = /^[A-Za-z0-9._-]{1,64}$/;

export function addUser(db: Db, name: string, role: string, password: string, opts: { operator?: string } = {}): UserInfo {
  if (!NAME.test(name))
    throw usageError('users.bad-name', {
      ja: `利用者名 ${JSON.stringify(name)} は使えません。半角英数字と . _ - で 1〜64 文字にしてください`,
      en: `user name ${JSON.stringify(name)} is not allowed: use 1–64 of A–Z a–z 0–9 . _ -`,
    });
  if (!isRole(role))
    throw usageError('users.bad-role', { ja: `役割 ${JSON.stringify(role)} はありません。${ROLES.join(' / ')} のどれかです`, en: `no role ${JSON.stringify(role)}: one of ${ROLES.join(', ')}` });
  const problem = passwordProblem(password);
  if (problem !== null) throw usageError('users.password-policy', { ja: `${problem.ja}（標準入力から読みます）`, en: `${problem.en} (read from standard input)` });
  const passwordHash = hashPassword(password);
  return db.transaction(() => {
    if (userByName(db, name) !== undefined)
      throw conflict('users.exists', { ja: `利用者 ${name} はすでにいます（一覧: sashiosae users list）`, en: `user ${name} already exists (sashiosae users list)` });
    const createdAt = nowTokyoTimestamp();
    const id = insertUser(db, { name, role, passwordHash, createdAt });
    audit(db, { action: 'users.add', details: { user: name, role } }, opts.operator);
    return { id, name, role: role as Role, disabled: false, createdAt };
  }).immediate();
}

export function disableUserByName(db: Db, name: string, opts: { operator?: string } = {}): void {
  db.transaction(() => {
    if (!disableUser(db, name))
      throw usageError('users.not-found', { ja: `利用者 ${name} はいません（一覧: sashiosae users list）`, en: `there is no user ${name} (sashiosae users list)` });
    audit(db, { action: 'users.disable', details: { user: name } }, opts.operator);
  }).immediate();
}

export { listUsers };

export type SignIn =
  | { ok: true; user: UserInfo }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; until: number };

/**
 * The sign-in check at `now` (ms): a locked user is refused whatever the password (and the
 * attempt is not counted); a wrong password counts one failure; a right one clears them.
 * An unknown or disabled user costs the same scrypt as a known one and answers 'wrong'.
 */
export async function signIn(db: Db, name: string, password: string, now: number): Promise<SignIn> {
  const u = userByName(db, name);
  if (u === undefined || u.disabled === 1) {
    await verifyPassword(password, dummyHash());
    return { ok: false, reason: 'wrong' };
  }
  const until = lockedUntil(loginFailureTimes(db, u.id, now - LOCKOUT_WINDOW_MS), now);
  if (until !== null) return { ok: false, reason: 'locked', until };
  const right = await verifyPassword(password, u.password_hash);
  if (!right) {
    recordLoginFailure(db, u.id, now);
    return { ok: false, reason: 'wrong' };
  }
  clearLoginFailures(db, u.id);
  return { ok: true, user: { id: u.id, name: u.name, role: u.role, disabled: false, createdAt: u.created_at } };
}
