/**
 * What the web application's tests share: a browser over fastify's inject (cookies, the
 * CSRF token of the last page), and a fresh database with one user of each role.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { CLI } from '../cli/helpers.js';

/** One browser: its cookie jar and the CSRF token of the last page it read. */
export class Browser {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(
    private app: FastifyInstance,
    private passwords: Record<string, string> = {},
  ) {}
  private keep(res: LightMyRequestResponse): void {
    for (const c of res.cookies) this.cookies.set(c.name, c.value);
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (m) this.csrf = m[1]!;
  }
  get cookie(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookie, ...headers } });
    this.keep(res);
    return res;
  }
  async post(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({
      method: 'POST',
      url,
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    });
    this.keep(res);
    return res;
  }
  async postJson(url: string, body: unknown, token: string): Promise<LightMyRequestResponse> {
    const res = await this.app.inject({ method: 'POST', url, headers: { cookie: this.cookie, 'x-csrf-token': token }, payload: body as Record<string, unknown> });
    this.keep(res);
    return res;
  }
  async login(user: string, password = this.passwords[user]!): Promise<LightMyRequestResponse> {
    await this.get('/login');
    const res = await this.post('/login', { username: user, password, _csrf: this.csrf });
    // the session is new after signing in: read the token of the page the redirect leads to
    if (res.statusCode === 303) await this.get('/');
    return res;
  }
}


/** One user of each role and their passwords. */
export const USERS: Record<string, { role: string; password: string }> = {
  kaito: { role: 'collector', password: 'collector-password-1' },
  riko: { role: 'liaison', password: 'liaison-password-22' },
  akari: { role: 'accountant', password: 'accountant-pass-333' },
  sora: { role: 'admin', password: 'admin-password-4444' },
};
export const PASSWORDS: Record<string, string> = Object.fromEntries(Object.entries(USERS).map(([n, u]) => [n, u.password]));

/** Run the CLI on `db` in `dir` (today 2026-12-05 unless env says otherwise). */
export function cli(dir: string, db: string, args: string[], input = '', env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [CLI, '--db', db, ...args], { cwd: dir, encoding: 'utf8', input, env: { ...process.env, SASHIOSAE_TODAY: '2026-12-05', ...env } });
}

/** Add USERS to `db` through the CLI (users add, password on standard input). */
export function addUsers(dir: string, db: string): void {
  for (const [name, u] of Object.entries(USERS)) {
    const r = cli(dir, db, ['--operator', 'admin', 'users', 'add', name, '--role', u.role], u.password + '\n');
    expect(r.status, r.stderr).toBe(0);
  }
}

/** A new folder with an initialised database and USERS; returns both. */
export function freshServerDb(): { dir: string; db: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-web-'));
  const db = path.join(dir, 'web.db');
  const r = cli(dir, db, ['init']);
  expect(r.status, r.stderr).toBe(0);
  addUsers(dir, db);
  return { dir, db };
}

/** A multipart/form-data body (fields, then files) for fastify's inject: `payload` and its `content-type`. */
export function multipart(fields: Record<string, string>, files: Array<{ field: string; name: string; content: Buffer | string; type?: string }>): { payload: Buffer; contentType: string } {
  const boundary = `----sashiosae${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'text/csv'}\r\n\r\n`));
    parts.push(Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
