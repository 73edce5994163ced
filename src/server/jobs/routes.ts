/**
 * A job's page, its events and its files (ADR 0181). Only the user who started a job sees
 * it: its page (`/jobs/:id`), its progress as server-sent events (`/jobs/:id/events`), its
 * state as JSON (`/api/jobs/:id`) and the files it made (`/jobs/:id/files/:n`).
 */
import * as fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import type { Lang, Msg } from '../../core/i18n.js';
import { escapeHtml as h } from '../../report/html.js';
import { sendDownload } from '../downloads.js';
import { html, isApi, langOf, tr, type ServerContext } from '../http.js';
import { errorSection, layout, unalias } from '../pages.js';
import type { Job, StartOptions } from './queue.js';
import { filesOf, type JobProgress } from './types.js';
import { JOB_VIEWS } from './views.js';

/**
 * Start a job for the signed-in user: a page gets 303 to the job's page, /api/* gets 202
 * with the job's id and its URLs.
 */
export function startJob(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply, o: Omit<StartOptions, 'user'>): FastifyReply {
  const job = ctx.jobs.start({ ...o, user: req.user!.name });
  if (isApi(req)) return reply.code(202).send({ job: job.id, url: `/api/jobs/${job.id}`, page: `/jobs/${job.id}` });
  return reply.redirect(`/jobs/${job.id}`, 303);
}

function progressText(p: JobProgress | undefined, lang: Lang): string {
  if (p === undefined) return tr({ ja: '開始を待っています…', en: 'waiting to start…' }, lang);
  const n = (v: number) => v.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-US');
  const label = tr(p.label, lang);
  return p.total > 0 ? `${n(p.done)} / ${n(p.total)} ${label}${lang === 'ja' ? `（${Math.floor((p.done * 100) / p.total)}%）` : ` (${Math.floor((p.done * 100) / p.total)}%)`}` : `${n(p.done)} ${label}`;
}

const STATE: Record<Job['state'], Msg> = {
  queued: { ja: '順番待ち', en: 'queued' },
  running: { ja: '実行中', en: 'running' },
  done: { ja: '完了', en: 'done' },
  failed: { ja: '失敗（何も保存していません）', en: 'failed (nothing was stored)' },
};

/** The job as JSON: no server-side paths (files by name and URL). */
export function jobJson(job: Job): unknown {
  const files = filesOf(job.result).map((f, i) => ({ name: f.name, url: `/jobs/${job.id}/files/${i}` }));
  let result: unknown = job.result;
  if (result !== null && typeof result === 'object' && 'files' in result) {
    const { files: _omit, ...rest } = result as Record<string, unknown>;
    void _omit;
    result = rest;
  }
  const e = job.error;
  return {
    id: job.id,
    name: job.name,
    state: job.state,
    ...(job.batch !== undefined ? { batch: job.batch } : {}),
    ...(job.progress !== undefined ? { progress: job.progress } : {}),
    ...(job.state === 'done' ? { result, files } : {}),
    ...(e === undefined
      ? {}
      : e instanceof AppError
        ? {
            error: {
              code: e.code,
              exit: e.exit,
              message: { ja: unalias(e.msg.ja, job.aliases), en: unalias(e.msg.en, job.aliases) },
              ...(e.location ? { location: { ...e.location, ...(e.location.file !== undefined ? { file: unalias(e.location.file, job.aliases) } : {}) } } : {}),
              findings: e.findings.map((f) => ({ ...f, ...(f.file !== undefined ? { file: unalias(f.file, job.aliases) } : {}) })),
              moreFindings: e.moreFindings,
            },
          }
        : { error: { code: 'http.unexpected', message: { ja: '予期しないエラー', en: 'unexpected error' } } }),
  };
}

export function jobPage(job: Job, lang: Lang, req: FastifyRequest, csrf: string): string {
  const view = JOB_VIEWS[job.name];
  const title = view ? tr(view.title, lang) : job.name;
  const t = (m: Msg) => h(tr(m, lang));
  const ended = job.state === 'done' || job.state === 'failed';
  let body = `<h1>${h(title)}</h1><p>${t({ ja: '状態', en: 'State' })}: <strong class="${job.state === 'failed' ? 'err' : job.state === 'done' ? 'ok' : ''}" data-job-state="${job.state}">${t(STATE[job.state])}</strong></p>`;
  if (!ended) {
    const p = job.progress;
    const value = p !== undefined && p.total > 0 ? ` max="${p.total}" value="${p.done}"` : '';
    body += `<div data-job-events="/jobs/${h(job.id)}/events"><progress${value}></progress> <span data-progress-text>${h(progressText(p, lang))}</span></div>`;
  } else if (job.state === 'done') {
    if (view?.render) body += view.render(job.result, lang, job);
    const files = filesOf(job.result);
    if (files.length > 0) {
      body += `<h2>${t({ ja: 'ダウンロード', en: 'Downloads' })}</h2><ul class="downloads">${files.map((f, i) => `<li><a href="/jobs/${h(job.id)}/files/${i}" download>${h(f.name)}</a></li>`).join('')}</ul>`;
    }
  } else if (job.error !== undefined) {
    body += errorSection(job.error, lang, job.aliases);
  }
  if (job.batch !== undefined) body += `<p><a href="/batches/${encodeURIComponent(job.batch)}">${t({ ja: `バッチ ${job.batch} を開く`, en: `open batch ${job.batch}` })}</a></p>`;
  return layout(title, body, lang, {
    ...(req.user ? { user: req.user } : {}),
    csrf,
    here: `/jobs/${job.id}`,
    script: !ended,
    ...(!ended ? { head: '<noscript><meta http-equiv="refresh" content="2"></noscript>' } : {}),
  });
}

export function registerJobRoutes(app: FastifyInstance, ctx: ServerContext): void {
  /** the job, if it is this user's (anyone else: 404, as if there were none) */
  const mine = (req: FastifyRequest<{ Params: { id: string } }>): Job => {
    const job = ctx.jobs.get(req.params.id);
    if (job === undefined || job.user !== req.user!.name)
      throw new AppError({ code: 'http.job-not-found', exit: 2, msg: { ja: 'その処理はありません（別の利用者の処理か、サーバーの再起動で消えました）', en: 'no such job (another user’s, or forgotten at a server restart)' } });
    return job;
  };

  app.get<{ Params: { id: string } }>('/jobs/:id', async (req, reply) => html(reply, 200, jobPage(mine(req), langOf(req), req, reply.generateCsrf())));

  app.get<{ Params: { id: string } }>('/api/jobs/:id', async (req) => jobJson(mine(req)));

  app.get<{ Params: { id: string } }>('/jobs/:id/events', async (req, reply) => {
    const job = mine(req);
    const lang = langOf(req);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', connection: 'keep-alive' });
    const send = (event: string, data: unknown) => res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    const update = (j: Job) => {
      if (j.state === 'done' || j.state === 'failed') {
        send('end', { state: j.state });
        off();
        res.end();
      } else send('progress', { state: j.state, done: j.progress?.done ?? 0, total: j.progress?.total ?? 0, text: progressText(j.progress, lang) });
    };
    const off = ctx.jobs.subscribe(job.id, update);
    req.raw.on('close', off);
    update(job);
  });

  app.get<{ Params: { id: string; n: string } }>('/jobs/:id/files/:n', async (req, reply) => {
    const job = mine(req);
    const f = filesOf(job.result)[Number(req.params.n)];
    if (f === undefined || !/^\d+$/.test(req.params.n) || !fs.existsSync(f.path))
      throw new AppError({ code: 'http.file-not-found', exit: 2, msg: { ja: 'そのファイルはありません', en: 'no such file' } });
    return sendDownload(reply, f.path, f.name, f.type);
  });
}
