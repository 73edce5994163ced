/**
 * Test-only routes: registered by index.ts only when the server runs with
 * SASHIOSAE_TEST_ROUTES=1 (the browser tests, test/browser/; docs/web-testing.md), never
 * otherwise. They start the test job `test.count` (test-jobs.ts) from a page, so that a real
 * browser can follow a job's progress by server-sent events (and, without JavaScript, by the
 * job page's <noscript> refresh). The job touches no table.
 */
import type { FastifyInstance } from 'fastify';
import { usageError } from '../../core/errors.js';
import { escapeHtml as h } from '../../report/html.js';
import { formOf, html, langOf, type ServerContext } from '../http.js';
import { layout } from '../pages.js';
import { startJob } from './routes.js';

/** `value` as an integer in [min, max], else a 400. */
function bounded(value: string | undefined, name: string, min: number, max: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < min || n > max)
    throw usageError('http.form', { ja: `${name} は ${min}〜${max} の整数です`, en: `${name} must be an integer ${min}–${max}` });
  return n;
}

export function registerTestRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/test/jobs/count', { config: { action: 'read' } }, async (req, reply) => {
    const lang = langOf(req);
    const csrf = reply.generateCsrf();
    const body = `<h1>test.count</h1>
<form method="post" action="/test/jobs/count">
<input type="hidden" name="_csrf" value="${h(csrf)}">
<label>to <input name="to" value="20" inputmode="numeric"></label>
<label>delayMs <input name="delayMs" value="150" inputmode="numeric"></label>
<button type="submit">start</button>
</form>`;
    return html(reply, 200, layout('test.count', body, lang, { user: req.user!, csrf, here: '/test/jobs/count' }));
  });

  app.post('/test/jobs/count', { config: { action: 'read' } }, async (req, reply) => {
    const form = formOf(req);
    const to = bounded(form['to'], 'to', 1, 1000);
    const delayMs = bounded(form['delayMs'], 'delayMs', 0, 1000);
    return startJob(ctx, req, reply, { name: 'test.count', args: { to, delayMs }, action: 'read' });
  });
}
