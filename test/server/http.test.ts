import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/index.js';
import { CLI } from '../cli/helpers.js';
import { runWalkthrough, walkthroughCommands } from '../readme/run-walkthrough.js';
import { Browser } from './helpers.js';

/**
 * The HTTP contract of issue 18 item 4 on the database of the README's second walkthrough,
 * through fastify's inject, with an injected clock for the lockout.
 */
const PW: Record<string, string> = {
  kaito: 'collector-password-1',
  riko: 'liaison-password-22',
  akari: 'accountant-pass-333',
  locky: 'lockout-password-4444',
};
const ROLE: Record<string, string> = { kaito: 'collector', riko: 'liaison', akari: 'accountant', locky: 'collector' };

function cliIn(dir: string, db: string, args: string[], input = '') {
  return spawnSync(process.execPath, [CLI, '--db', db, ...args], { cwd: dir, encoding: 'utf8', input, env: { ...process.env, SASHIOSAE_TODAY: '2026-12-05' } });
}

function addUsers(dir: string, db: string): void {
  for (const [name, pw] of Object.entries(PW)) {
    const r = cliIn(dir, db, ['--operator', 'admin', 'users', 'add', name, '--role', ROLE[name]!], pw + '\n');
    expect(r.status, r.stderr).toBe(0);
  }
}

describe('the web application on the second walkthrough (issue 18 item 4)', () => {
  let dir: string;
  let db: string;
  let app: FastifyInstance;
  let clock = Date.parse('2026-12-05T01:00:00Z');

  beforeAll(async () => {
    ({ dir } = runWalkthrough('walkthrough-inquiry'));
    db = path.join(dir, 'inquiry.db');
    addUsers(dir, db);
    app = await buildServer({ db, now: () => clock });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  it('GET /healthz answers 200 without a session', async () => {
    const res = await app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });

  it('pages without a session → 303 to /login; /api/* → 401', async () => {
    for (const url of ['/', '/batches/0184-00000002', '/no-such-page']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(303);
      expect(res.headers.location).toBe('/login');
    }
    for (const url of ['/api/batches', '/api/batches/0184-00000002/report', '/api/session']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(401);
    }
    expect((await app.inject({ method: 'POST', url: '/api/batches/0184-00000002/cancel' })).statusCode).toBe(401);
  });

  it('security headers: a CSP without unsafe-inline scripts and with frame-ancestors none, nosniff; the pages hold no script', async () => {
    const b = new Browser(app, PW);
    const login = await b.get('/login');
    const csp = String(login.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(/script-src[^;]*unsafe-inline/.test(csp)).toBe(false);
    expect(login.headers['x-content-type-options']).toBe('nosniff');
    expect(login.body).toContain('<form method="post" action="/login">');
    expect(login.body).toContain('name="_csrf"');
    expect(login.body).toContain('パスワード');
    await b.login('akari');
    for (const url of ['/', '/batches/0184-00000001', '/batches/0184-00000002', '/batches/0184-00000003', '/batches/0184-00000004']) {
      const res = await b.get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body.toLowerCase()).not.toContain('<script');
      expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    }
  });

  it('POST /login: the right password → 303 with an HttpOnly SameSite=Strict session cookie (not Secure over http); wrong → 401', async () => {
    const b = new Browser(app, PW);
    const wrong = await b.login('riko', 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('利用者名またはパスワードが違います');
    const unknown = await b.login('nobody', 'whatever-password');
    expect(unknown.statusCode).toBe(401);
    const ok = await b.login('riko');
    expect(ok.statusCode).toBe(303);
    expect(ok.headers.location).toBe('/');
    const set = ([] as string[]).concat(ok.headers['set-cookie'] ?? []).find((c) => c.startsWith('sashiosae_session='));
    expect(set).toBeDefined();
    expect(set).toContain('HttpOnly');
    expect(set).toContain('SameSite=Strict');
    expect(set).not.toContain('Secure');
    const home = await b.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('riko');
  });

  it('the session cookie is Secure under TLS', async () => {
    const tls = path.join(dir, 'tls');
    fs.mkdirSync(tls);
    const gen = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(tls, 'key.pem'), '-out', path.join(tls, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { encoding: 'utf8' });
    expect(gen.status, gen.stderr).toBe(0);
    const s = await buildServer({ db, now: () => clock, https: { key: fs.readFileSync(path.join(tls, 'key.pem')), cert: fs.readFileSync(path.join(tls, 'cert.pem')) } });
    try {
      // over a real TLS connection: the session plugin sets a Secure cookie only on one
      const url = await s.listen({ host: '127.0.0.1', port: 0 });
      const res = await new Promise<{ headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
        https.get(`${url}/login`, { rejectUnauthorized: false }, (r) => {
          r.resume();
          r.on('end', () => resolve({ headers: r.headers }));
        }).on('error', reject);
      });
      const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).join('\n');
      expect(set).toContain('sashiosae_session=');
      expect(set).toContain('Secure');
      expect(set).toContain('HttpOnly');
      expect(set).toContain('SameSite=Strict');
      expect(res.headers['strict-transport-security']).toBeDefined();
    } finally {
      await s.close();
    }
  });

  it('5 failures within 15 minutes lock the user: every attempt → 429 (even the right password) until 15 minutes after the first', async () => {
    const first = clock;
    const b = new Browser(app, PW);
    for (let i = 0; i < 5; i++) {
      clock = first + i * 60_000;
      expect((await b.login('locky', `wrong-password-${i}`)).statusCode).toBe(401);
    }
    clock = first + 5 * 60_000;
    const locked = await b.login('locky');
    expect(locked.statusCode).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBe(10 * 60);
    clock = first + 15 * 60_000 - 1;
    expect((await b.login('locky')).statusCode).toBe(429);
    expect((await b.login('locky', 'wrong-again-password')).statusCode).toBe(429);
    // another user is not locked
    expect((await new Browser(app, PW).login('kaito')).statusCode).toBe(303);
    clock = first + 15 * 60_000;
    const back = await b.login('locky');
    expect(back.statusCode).toBe(303);
    expect((await b.get('/')).statusCode).toBe(200);
    clock = first + 30 * 60_000;
  });

  it('state-changing requests without the CSRF token → 403: a cross-site form post, a token of another session, the login and logout forms', async () => {
    const b = new Browser(app, PW);
    await b.login('kaito');
    // a cross-site page posting with the user's cookie but without (or with a forged) token
    const cross = await b.post('/api/batches/0184-00000002/cancel', {}, { origin: 'https://evil.example', referer: 'https://evil.example/' });
    expect(cross.statusCode).toBe(403);
    const other = new Browser(app, PW);
    await other.get('/login');
    expect((await b.post('/api/batches/0184-00000002/cancel', { _csrf: other.csrf })).statusCode).toBe(403);
    expect((await b.post('/api/batches/0184-00000002/cancel', {}, { 'x-csrf-token': 'forged' })).statusCode).toBe(403);
    const fresh = new Browser(app, PW);
    await fresh.get('/login');
    expect((await fresh.post('/login', { username: 'kaito', password: PW['kaito']! })).statusCode).toBe(403);
    expect((await b.post('/logout', {})).statusCode).toBe(403);
    expect((await b.get('/')).statusCode).toBe(200); // still signed in
  });

  it('/api/batches and /api/batches/:id/report are byte for byte the CLI’s batches --json and report --json', async () => {
    const b = new Browser(app, PW);
    await b.login('riko');
    const cliBatches = cliIn(dir, db, ['batches', '--json']);
    expect(cliBatches.status).toBe(0);
    const api = await b.get('/api/batches');
    expect(api.statusCode).toBe(200);
    expect(api.body + '\n').toBe(cliBatches.stdout);
    const ids = (JSON.parse(cliBatches.stdout) as { batches: Array<{ id: string; kind: string }> }).batches;
    expect(new Set(ids.map((x) => x.kind))).toEqual(new Set(['inquiry', 'seizure', 'instruction']));
    for (const { id } of ids) {
      const r = cliIn(dir, db, ['report', id, '--json']);
      expect(r.status, id).toBe(0);
      const res = await b.get(`/api/batches/${id}/report`);
      expect(res.statusCode, id).toBe(200);
      expect(JSON.parse(res.body), id).toEqual(JSON.parse(r.stdout));
      expect(res.body + '\n', id).toBe(r.stdout);
    }
    const missing = await b.get('/api/batches/0184-99999999/report');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'batch.not-found' } });
  });

  it('the pages: / lists every batch with kind, state and next step (Japanese first, English switch); /batches/:id shows the report', async () => {
    const b = new Browser(app, PW);
    await b.login('akari');
    const home = await b.get('/');
    const ids = (JSON.parse(cliIn(dir, db, ['batches', '--json']).stdout) as { batches: Array<{ id: string }> }).batches.map((x) => x.id);
    for (const id of ids) expect(home.body).toContain(`href="/batches/${id}"`);
    expect(home.body).toContain('預金照会');
    expect(home.body).toContain('次の手順');
    const cliHuman = cliIn(dir, db, ['batches']).stdout;
    // a next step for every batch the CLI gives one (次: …), in the pages' words with the role that does it
    const nexts = [...cliHuman.matchAll(/次: ([^\s]+)/g)].map((m) => m[1]!);
    // the answered inquiry batches have been extracted from (seizure batches made since): no next step
    expect(cliHuman).toMatch(/^0184-00000001 .*回答取込済 +— /m);
    expect(nexts.length).toBeGreaterThan(0);
    expect([...home.body.matchAll(/<td>[^<]*（(徴収担当|金融機関連絡担当|会計担当)）/g)].length).toBe(nexts.length);
    const en = await b.get('/?lang=en');
    expect(en.body).toContain('Next step');
    const page = await b.get('/batches/0184-00000002');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('0184-00000002');
    expect(page.body).toContain('<header>');
    expect((await b.get('/batches/0184-99999999')).statusCode).toBe(404);
  });

  it('an action outside the role → 403; the collector cancels, audited under the signed-in user', async () => {
    // a batch that can be cancelled: the walkthrough's first steps, in a database of its own
    const dir2 = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    fs.cpSync(path.join(dir, 'samples'), path.join(dir2, 'samples'), { recursive: true });
    const db2 = path.join(dir2, 'cancel.db');
    const steps = walkthroughCommands('walkthrough-inquiry').filter((l) => l.startsWith('npx sashiosae')).slice(0, 4);
    expect(steps.at(-1)).toContain('inquire');
    for (const l of steps) {
      const r = spawnSync(process.execPath, [CLI, '--db', db2, ...l.split(/\s+/).slice(2)], { cwd: dir2, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-24' } });
      expect(r.status, `${l}\n${r.stderr}`).toBe(0);
    }
    addUsers(dir2, db2);
    const s = await buildServer({ db: db2 });
    try {
      for (const user of ['riko', 'akari']) {
        const b = new Browser(s, PW);
        await b.login(user);
        const res = await b.post('/api/batches/0184-00000001/cancel', { _csrf: b.csrf });
        expect(res.statusCode, user).toBe(403);
        expect(res.json()).toMatchObject({ error: { code: 'auth.forbidden' } });
      }
      const k = new Browser(s, PW);
      await k.login('kaito');
      const session = await k.get('/api/session');
      const token = (session.json() as { csrfToken: string }).csrfToken;
      const res = await k.postJson('/api/batches/0184-00000001/cancel', { reason: 'テスト' }, token);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ batch: '0184-00000001', kind: 'inquiry', previousState: 'extracted', state: 'cancelled' });
      expect((await k.postJson('/api/batches/0184-00000001/cancel', {}, token)).statusCode).toBe(409);
    } finally {
      await s.close();
    }
    const d = new Database(db2, { readonly: true });
    const row = d.prepare("SELECT operator FROM audit_log WHERE action = 'batch.cancel'").all() as Array<{ operator: string }>;
    d.close();
    expect(row).toEqual([{ operator: 'kaito' }]);
  });

  it('a disabled user’s session ends; POST /logout with the token ends the session', async () => {
    const b = new Browser(app, PW);
    await b.login('kaito');
    expect((await b.get('/')).statusCode).toBe(200);
    const out = await b.post('/logout', { _csrf: b.csrf });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/login');
    expect((await b.get('/')).statusCode).toBe(303);
    const c = new Browser(app, PW);
    await c.login('riko');
    expect(cliIn(dir, db, ['users', 'disable', 'riko']).status).toBe(0);
    expect((await c.get('/')).statusCode).toBe(303);
    expect((await c.get('/api/batches')).statusCode).toBe(401);
    expect((await new Browser(app, PW).login('riko')).statusCode).toBe(401);
  });
});
