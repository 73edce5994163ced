/**
 * The staff web application (issue 18, first slice; ADR 0180): one Fastify instance over one
 * database connection, calling the same report builders and steps as the CLI. The HTTP
 * contract (issue 18 item 4) lives here: /healthz open, pages 303 → /login, /api/* 401
 * without a session, CSRF on every state-changing request, roles per action, the lockout.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import fastifyFormbody from '@fastify/formbody';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import { AppError, EXIT } from '../core/errors.js';
import type { Msg } from '../core/i18n.js';
import { nowTokyoTimestamp } from '../core/dates.js';
import { openDb, type Db } from '../db/connection.js';
import { audit } from '../db/audit.js';
import { batchKindOf, getBatch, listBatches } from '../db/batches.js';
import { userInfoById, type UserInfo } from '../db/users.js';
import { mayDo, type Action } from '../domain/users.js';
import { batchesJson, batchNextStep, holdProgressOf } from '../report/batches.js';
import { buildReportJson } from '../report/json.js';
import { buildReport, buildReportDetails } from '../report/model.js';
import { renderHtml } from '../report/html.js';
import { buildInquiryReport, renderInquiryHtml } from '../report/inquiry.js';
import { buildInstructionReport, renderInstructionHtml } from '../report/instruction.js';
import { cancelBatch } from '../steps/cancel/index.js';
import { signIn } from '../steps/users/index.js';
import { uploadLimitMB } from '../settings/index.js';
import { escapeHtml } from '../report/html.js';
import { batchesPage, errorPage, loginPage, withHeader } from './pages.js';
import { html, isApi, langOf, LANG_COOKIE, safeBack, type ServerContext } from './http.js';
import { APP_JS } from './assets.js';
import { nextStepLink } from './next-step.js';
import { JobQueue } from './jobs/queue.js';
import { registerJobRoutes } from './jobs/routes.js';
import { registerCollectorRoutes } from './collector/index.js';
import { registerLiaisonRoutes } from './liaison/index.js';
import { registerAccountantRoutes } from './accountant/index.js';
import { registerAdminRoutes } from './admin/index.js';
import { COLLECTOR_BATCH_ACTIONS } from './collector/batch-actions.js';
import { LIAISON_BATCH_ACTIONS } from './liaison/batch-actions.js';
import { ACCOUNTANT_BATCH_ACTIONS } from './accountant/batch-actions.js';
import { ADMIN_BATCH_ACTIONS } from './admin/batch-actions.js';

const BATCH_ACTIONS = [COLLECTOR_BATCH_ACTIONS, LIAISON_BATCH_ACTIONS, ACCOUNTANT_BATCH_ACTIONS, ADMIN_BATCH_ACTIONS];

declare module 'fastify' {
  interface Session {
    userId?: number;
  }
  interface FastifyRequest {
    user?: UserInfo;
  }
  interface FastifyInstance {
    /** the server's context (database, jobs, private folders): routes get it as a parameter; tests read it here */
    sashiosae: ServerContext;
  }
  interface FastifyContextConfig {
    /** the role action a route needs (domain/users.ts); none: anyone signed in */
    action?: Action;
    /** reachable without a session */
    open?: boolean;
  }
}

export interface ServerOptions {
  /** the SQLite database (must exist, like every command but init) */
  db: string;
  /** the clock of the lockout (ms since the epoch); tests inject one */
  now?: () => number;
  /** the session secret; default: kept in `<db>.session-secret` (created once, 0600) */
  sessionSecret?: string;
  /** TLS: the server speaks https and the session cookie is Secure */
  https?: { key: Buffer; cert: Buffer };
  /** the folders on the server's disk pages may write a batch's files into (serve --media-root); none: downloads only */
  mediaRoots?: readonly string[];
  /** more routes, registered after the application's own (the web demo's simulated bank) */
  extend?: (app: FastifyInstance, ctx: ServerContext) => void | Promise<void>;
}

/** The session secret beside the database: 32 random bytes as hex, created once with mode 0600 (ADR 0180). */
export function sessionSecretFor(dbPath: string): string {
  const file = path.join(path.dirname(path.resolve(dbPath)), `${path.basename(dbPath)}.session-secret`);
  try {
    fs.writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file}: the session secret is shorter than 32 characters; delete the file to make a new one`);
  return secret;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function statusOf(e: AppError): number {
  if (e.code === 'batch.not-found' || e.code === 'http.job-not-found' || e.code === 'http.file-not-found') return 404;
  if (e.code === 'http.upload-too-large') return 413;
  if (e.exit === EXIT.usage) return 400;
  if (e.exit === EXIT.rejected) return 422;
  if (e.exit === EXIT.conflict) return 409;
  return 500;
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const now = opts.now ?? Date.now;
  const db: Db = openDb(opts.db, { mustExist: true });
  // no request log: URLs carry batch ids only, but bodies carry passwords (issue 18: nothing personal in the server log)
  const app: FastifyInstance =
    opts.https === undefined
      ? Fastify({ logger: false, bodyLimit: 1024 * 1024 })
      : (Fastify({ logger: false, bodyLimit: 1024 * 1024, https: opts.https }) as unknown as FastifyInstance);
  // this server's private temporary folder: uploads and the files jobs make (removed when it stops)
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-serve-'));
  const jobs = new JobQueue(path.resolve(opts.db), path.join(tmpRoot, 'jobs'));
  const ctx: ServerContext = { db, dbPath: path.resolve(opts.db), jobs, now, tmpRoot, uploadLimitMB: () => uploadLimitMB(db), mediaRoots: (opts.mediaRoots ?? []).map((r) => path.resolve(r)) };
  app.decorate('sashiosae', ctx);
  app.addHook('onClose', async () => {
    await jobs.idle();
    db.close();
    fs.rmSync(tmpRoot, { recursive: true, force: true });
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
    // HSTS only where there is TLS to keep
    hsts: opts.https !== undefined,
  });
  await app.register(fastifyFormbody);
  // multipart bodies are read by the upload routes themselves (uploads.ts), after the CSRF check
  await app.register(fastifyMultipart);
  // a bound on requests per address (routes opt in: the sign-in, the uploads)
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: opts.sessionSecret ?? sessionSecretFor(opts.db),
    cookieName: 'sashiosae_session',
    // a session is stored (and its cookie set) only once it holds something — a CSRF secret or
    // the signed-in user: a request that arrives without the cookie never gets a new empty one
    // that would replace the user's own in the browser (below)
    saveUninitialized: false,
    // not secure: 'auto' — @fastify/session then lowers SameSite to Lax over http
    cookie: { httpOnly: true, sameSite: 'strict', secure: opts.https !== undefined, path: '/', maxAge: 8 * 60 * 60 * 1000 },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    // the form field _csrf or the header x-csrf-token; an upload form (multipart, read only after
    // this check) carries it in its action URL's query
    getToken: (req) => {
      const field = ((req.body ?? {}) as Record<string, unknown>)['_csrf'];
      if (typeof field === 'string') return field;
      const header = req.headers['x-csrf-token'];
      if (typeof header === 'string') return header;
      const query = ((req.query ?? {}) as Record<string, unknown>)['_csrf'];
      return req.isMultipart() && typeof query === 'string' ? query : undefined;
    },
  });

  // A navigation from another site (a link on the intranet portal, another site's form) arrives
  // without the SameSite=Strict session cookie. Answering it as "not signed in" would send the
  // user to /login, whose CSRF secret starts a new session whose cookie replaces the user's own:
  // any other site could sign a user out. Such a GET gets a page that reloads itself from this
  // site instead; that request is same-site and carries the cookie (docs/web-testing.md).
  app.addHook('onRequest', async (req, reply) => {
    if (req.method !== 'GET' || req.headers['sec-fetch-site'] !== 'cross-site' || isApi(req)) return;
    return reply
      .code(200)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(`<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0"><title>差押 sashiosae</title></head><body><p><a href="${escapeHtml(req.url)}">差押 sashiosae</a></p></body></html>\n`);
  });
  // who is signed in: a session whose user exists and is not disabled
  app.addHook('onRequest', async (req, reply) => {
    const id = req.session.get('userId');
    if (id !== undefined) {
      const u = userInfoById(db, id);
      if (u !== undefined && !u.disabled) req.user = u;
    }
    if (req.user !== undefined || req.routeOptions.config?.open === true) return;
    if (isApi(req)) return reply.code(401).send({ error: { code: 'auth.required', message: { ja: 'サインインしてください', en: 'sign in first' } } });
    return reply.redirect('/login', 303);
  });
  // every state-changing request carries the session's CSRF token (_csrf field or x-csrf-token header)
  app.addHook('preHandler', (req, reply, done) => {
    if (SAFE.has(req.method)) return done();
    app.csrfProtection(req, reply, done);
  });
  // the role may do the route's action
  app.addHook('preHandler', async (req, reply) => {
    const action = req.routeOptions.config?.action;
    if (action === undefined || req.user === undefined || mayDo(req.user.role, action)) return;
    const msg: Msg = { ja: `この操作（${action}）は役割 ${req.user.role} ではできません`, en: `the role ${req.user.role} may not do this (${action})` };
    if (isApi(req)) return reply.code(403).send({ error: { code: 'auth.forbidden', message: msg } });
    return html(reply, 403, errorPage(403, msg, langOf(req), req.user, reply.generateCsrf()));
  });

  app.setErrorHandler((err, req, reply) => {
    const status = err instanceof AppError ? statusOf(err) : typeof (err as { statusCode?: unknown }).statusCode === 'number' ? (err as { statusCode: number }).statusCode : 500;
    const msg: Msg =
      err instanceof AppError
        ? err.msg
        : status === 403
          ? { ja: 'CSRF トークンがないか正しくありません。ページを開き直してください', en: 'missing or wrong CSRF token; reload the page' }
          : status < 500
            ? { ja: '要求が正しくありません', en: 'bad request' }
            : { ja: '予期しないエラーです', en: 'unexpected error' };
    const code = err instanceof AppError ? err.code : status === 403 ? 'auth.csrf' : status < 500 ? 'http.bad-request' : 'http.unexpected';
    if (status >= 500) process.stderr.write(`sashiosae serve: ${req.method} ${req.routeOptions.url ?? '?'} → 500: ${err instanceof Error ? err.name : 'error'}\n`);
    if (isApi(req)) return reply.code(status).send({ error: { code, message: msg, ...(err instanceof AppError && err.findings.length > 0 ? { findings: err.findings } : {}) } });
    return html(reply, status, errorPage(status, msg, langOf(req), req.user, req.user !== undefined ? reply.generateCsrf() : undefined));
  });
  app.setNotFoundHandler((req, reply) => {
    const msg: Msg = { ja: 'ページがありません', en: 'no such page' };
    if (isApi(req)) return reply.code(404).send({ error: { code: 'http.not-found', message: msg } });
    return html(reply, 404, errorPage(404, msg, langOf(req), req.user));
  });

  app.get('/healthz', { config: { open: true } }, async () => ({ ok: true }));

  app.get('/assets/app.js', { config: { open: true } }, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(APP_JS));

  // the language switch: a cookie (one year), then back to the page it was pressed on
  app.get<{ Params: { lang: string }; Querystring: { back?: string } }>('/lang/:lang', { config: { open: true } }, async (req, reply) => {
    const lang = req.params.lang === 'en' ? 'en' : 'ja';
    reply.setCookie(LANG_COOKIE, lang, { path: '/', sameSite: 'strict', httpOnly: true, secure: opts.https !== undefined, maxAge: 365 * 24 * 60 * 60 });
    const back = safeBack(req.query.back).replace(/([?&])lang=(ja|en)&?/, '$1').replace(/[?&]$/, '');
    return reply.redirect(back === '' ? '/' : back, 303);
  });

  app.get('/login', { config: { open: true } }, async (req, reply) => {
    if (req.user !== undefined) return reply.redirect('/', 303);
    return html(reply, 200, loginPage(langOf(req), reply.generateCsrf()));
  });

  app.post('/login', { config: { open: true, rateLimit: { max: 100, timeWindow: '1 minute' } } }, async (req, reply) => {
    const lang = langOf(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body['username'] === 'string' ? body['username'] : '';
    const password = typeof body['password'] === 'string' ? body['password'] : '';
    const r = await signIn(db, username, password, now());
    if (!r.ok && r.reason === 'locked') {
      const minutes = Math.max(1, Math.ceil((r.until - now()) / 60000));
      reply.header('retry-after', String(Math.ceil((r.until - now()) / 1000)));
      return html(reply, 429, loginPage(lang, reply.generateCsrf(), {
        ja: `サインインの失敗が続いたため、この利用者は約 ${minutes} 分間サインインできません`,
        en: `too many failed sign-ins: this user cannot sign in for about ${minutes} more minute(s)`,
      }));
    }
    if (!r.ok) return html(reply, 401, loginPage(lang, reply.generateCsrf(), { ja: '利用者名またはパスワードが違います', en: 'wrong user name or password' }));
    await req.session.regenerate();
    req.session.set('userId', r.user.id);
    audit(db, { action: 'users.sign-in', details: { user: r.user.name } }, r.user.name);
    if (lang === 'en') reply.setCookie(LANG_COOKIE, 'en', { path: '/', sameSite: 'strict', httpOnly: true, secure: opts.https !== undefined, maxAge: 365 * 24 * 60 * 60 });
    return reply.redirect('/', 303);
  });

  app.post('/logout', async (req, reply) => {
    await req.session.destroy();
    return reply.redirect('/login', 303);
  });

  app.get<{ Querystring: { state?: string } }>('/', async (req, reply) => {
    const lines = listBatches(db).map((row) => ({ row, next: batchNextStep(db, row), link: nextStepLink(row, holdProgressOf(db, row)) }));
    const state = typeof req.query.state === 'string' ? req.query.state : undefined;
    return html(reply, 200, batchesPage(lines, langOf(req), req.user!, reply.generateCsrf(), state));
  });

  app.get<{ Params: { id: string } }>('/batches/:id', async (req, reply) => {
    const lang = langOf(req);
    const id = req.params.id;
    const kind = batchKindOf(db, id);
    const at = nowTokyoTimestamp();
    let doc: string;
    if (kind === 'inquiry') doc = renderInquiryHtml(buildInquiryReport(db, id), at, lang);
    else if (kind === 'instruction') doc = renderInstructionHtml(buildInstructionReport(db, id), at, lang);
    else {
      const report = buildReport(db, id); // an unknown id: batch.not-found → 404
      doc = renderHtml(report, buildReportDetails(db, id, report), at, lang);
    }
    const csrf = reply.generateCsrf();
    const row = getBatch(db, id);
    const actions = row === undefined ? '' : BATCH_ACTIONS.map((f) => f({ ctx, batch: row, user: req.user!, csrf, lang })).join('');
    const section = actions === '' ? '' : `<section class="actions"><h2>${lang === 'ja' ? 'このバッチの操作' : 'Actions on this batch'}</h2>${actions}</section>`;
    const page = withHeader(doc, lang, req.user!, csrf, `/batches/${encodeURIComponent(id)}`);
    return html(reply, 200, section === '' ? page : page.replace(/(<\/header>)/, `$1${section}`));
  });

  app.get('/api/session', async (req, reply) => ({ user: req.user!.name, role: req.user!.role, csrfToken: reply.generateCsrf() }));
  app.get('/api/batches', async () => batchesJson(listBatches(db)));
  app.get<{ Params: { id: string } }>('/api/batches/:id/report', async (req) => buildReportJson(db, req.params.id));
  app.post<{ Params: { id: string } }>('/api/batches/:id/cancel', { config: { action: 'cancel' } }, async (req) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const reason = typeof body['reason'] === 'string' ? body['reason'] : undefined;
    const r = cancelBatch(db, req.params.id, { operator: req.user!.name, ...(reason !== undefined ? { reason } : {}) });
    return { batch: r.batch, kind: r.kind, previousState: r.previousState, state: 'cancelled' };
  });

  registerJobRoutes(app, ctx);
  registerCollectorRoutes(app, ctx);
  registerLiaisonRoutes(app, ctx);
  registerAccountantRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  await opts.extend?.(app, ctx);
  if (process.env['SASHIOSAE_TEST_ROUTES'] === '1') (await import('./jobs/test-routes.js')).registerTestRoutes(app, ctx); // the browser tests' job page (docs/web-testing.md)
  return app;
}
