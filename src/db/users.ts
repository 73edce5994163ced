/**
 * The web application's users and their login failures (issue 18 item 2; migration 7).
 * Named queries only; the rules are in domain/users.ts, hashing in core/password.ts.
 */
import type { Db } from './connection.js';
import type { Role } from '../domain/users.js';

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  disabled: 0 | 1;
  created_at: string;
}

/** A user without the hash: what lists and sessions see. */
export interface UserInfo {
  id: number;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

function info(r: UserRow): UserInfo {
  return { id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at };
}

export function userByName(db: Db, name: string): UserRow | undefined {
  return db.prepare('SELECT id, name, role, password_hash, disabled, created_at FROM users WHERE name = ?').get(name) as UserRow | undefined;
}

export function userInfoById(db: Db, id: number): UserInfo | undefined {
  const r = db.prepare('SELECT id, name, role, password_hash, disabled, created_at FROM users WHERE id = ?').get(id) as UserRow | undefined;
  return r === undefined ? undefined : info(r);
}

export function listUsers(db: Db): UserInfo[] {
  return (db.prepare('SELECT id, name, role, password_hash, disabled, created_at FROM users ORDER BY name').all() as UserRow[]).map(info);
}

export function insertUser(db: Db, u: { name: string; role: Role; passwordHash: string; createdAt: string }): number {
  return Number(db.prepare('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(u.name, u.role, u.passwordHash, u.createdAt).lastInsertRowid);
}

/** Returns false when there is no such user. */
export function disableUser(db: Db, name: string): boolean {
  return db.prepare('UPDATE users SET disabled = 1 WHERE name = ?').run(name).changes === 1;
}

export function loginFailureTimes(db: Db, userId: number, sinceMs: number): number[] {
  return (db.prepare('SELECT at_ms FROM login_failures WHERE user_id = ? AND at_ms > ? ORDER BY at_ms').all(userId, sinceMs) as Array<{ at_ms: number }>).map((r) => r.at_ms);
}

export function recordLoginFailure(db: Db, userId: number, atMs: number): void {
  db.prepare('INSERT INTO login_failures (user_id, at_ms) VALUES (?, ?)').run(userId, atMs);
}

/** After a successful login: the user's failures are forgotten. */
export function clearLoginFailures(db: Db, userId: number): void {
  db.prepare('DELETE FROM login_failures WHERE user_id = ?').run(userId);
}
