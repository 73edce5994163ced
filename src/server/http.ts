/**
 * What every route of the web application shares: the server's context (database, jobs,
 * private folders), the page language, and the answers in HTML or JSON.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Lang, Msg } from '../core/i18n.js';
import type { Db } from '../db/connection.js';
import type { Action } from '../domain/users.js';
import type { BatchRow } from '../db/batches.js';
import type { UserInfo } from '../db/users.js';
import type { JobQueue } from './jobs/queue.js';

export interface ServerContext {
  /** the main thread's connection: reads (pages, reports) and the small writes of sign-in and users */
  db: Db;
  dbPath: string;
  /** the steps users start run here, one at a time, in worker threads */
  jobs: JobQueue;
  /** the clock of the lockout (ms since the epoch) */
  now: () => number;
  /** this server's private temporary folder (0700): uploads (up-*) and job outputs (jobs/); removed when it stops */
  tmpRoot: string;
  /** the upload limit in MB (settings `uploadLimitMB`, read at each upload) */
  uploadLimitMB(): number;
  /** the folders pages may write a batch's files into (serve --media-root; none: downloads only; server/media.ts) */
  mediaRoots: readonly string[];
}

export const LANG_COOKIE = 'sashiosae_lang';

/** The page language: `?lang=` first, then the switch's cookie, else Japanese. */
export function langOf(req: FastifyRequest): Lang {
  const q = (req.query as Record<string, unknown> | undefined)?.['lang'];
  if (q === 'en' || q === 'ja') return q;
  return req.cookies?.[LANG_COOKIE] === 'en' ? 'en' : 'ja';
}

export const tr = (m: Msg, lang: Lang): string => (lang === 'ja' ? m.ja : m.en);

export const isApi = (req: FastifyRequest): boolean => req.url === '/api' || req.url.startsWith('/api/');

export function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(body);
}

/** A url-encoded form's fields as strings (a field given twice: its last value). */
export function formOf(req: FastifyRequest): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[v.length - 1] === 'string') out[k] = v[v.length - 1] as string;
  }
  return out;
}

/** A form field given several times (checkboxes, repeated inputs), as a list. */
export function formList(req: FastifyRequest, name: string): string[] {
  const v = ((req.body ?? {}) as Record<string, unknown>)[name];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** A local path to go back to after a switch (never another site). */
export function safeBack(back: unknown): string {
  return typeof back === 'string' && back.startsWith('/') && !back.startsWith('//') && !back.includes('\\') ? back : '/';
}

/** A link in the header to one of an area's pages. */
export interface NavLink {
  href: string;
  label: Msg;
  /** the role action the page needs (domain/users.ts); the link is shown only to roles that may */
  action: Action;
}


/**
 * What a batch's page gives each area to offer its actions on the batch (the forms and
 * links the signed-in user's role may use in the batch's state); each area returns '' when
 * it has nothing to offer.
 */
export interface BatchActionContext {
  ctx: ServerContext;
  batch: BatchRow;
  user: UserInfo;
  csrf: string;
  lang: Lang;
}
export type BatchActions = (b: BatchActionContext) => string;
