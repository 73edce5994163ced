import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/index.js';
import { Browser, freshServerDb, PASSWORDS } from './helpers.js';

/**
 * The job machinery of the web application (ADR 0181): a job runs in a worker thread, its
 * progress reaches the page as server-sent events, its outcome (files, or an error with its
 * findings) is shown to the user who started it and to no one else.
 */
describe('jobs: queue, progress by SSE, outcome, files', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    const { db } = freshServerDb();
    app = await buildServer({ db });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('a job streams its progress, ends, shows its result and its file to its user only', async () => {
    const kaito = new Browser(app, PASSWORDS);
    await kaito.login('kaito');
    const job = app.sashiosae.jobs.start({ name: 'test.count', args: { to: 5, delayMs: 30 }, user: 'kaito', action: 'read' });
    const running = await kaito.get(`/jobs/${job.id}`);
    expect(running.statusCode).toBe(200);
    expect(running.body).toContain(`data-job-events="/jobs/${job.id}/events"`);
    expect(running.body).toContain('<script src="/assets/app.js" defer></script>');
    expect(running.body).toContain('<noscript><meta http-equiv="refresh" content="2"></noscript>');

    // the event stream: progress events, then the end (the stream closes with the job)
    const events = await kaito.get(`/jobs/${job.id}/events`);
    expect(events.headers['content-type']).toContain('text/event-stream');
    const progress = [...events.body.matchAll(/event: progress\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as { done: number; total: number; text: string });
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((p) => p.total === 5 || p.total === 0)).toBe(true);
    expect(events.body).toMatch(/event: end\ndata: \{"state":"done"\}\n\n$/);

    const done = await app.sashiosae.jobs.finished(job.id);
    expect(done.state).toBe('done');
    const page = await kaito.get(`/jobs/${job.id}`);
    expect(page.body).toContain('data-job-state="done"');
    expect(page.body).not.toContain('/assets/app.js');
    expect(page.body).toContain(`href="/jobs/${job.id}/files/0"`);
    const file = await kaito.get(`/jobs/${job.id}/files/0`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('5\n');
    expect(file.headers['content-disposition']).toBe(`attachment; filename="count.txt"; filename*=UTF-8''count.txt`);
    const json = (await kaito.get(`/api/jobs/${job.id}`)).json() as Record<string, unknown>;
    expect(json).toMatchObject({ state: 'done', result: { counted: 5, operator: 'kaito' }, files: [{ name: 'count.txt', url: `/jobs/${job.id}/files/0` }] });
    // no server-side path in the JSON
    expect(JSON.stringify(json)).not.toContain(app.sashiosae.tmpRoot);

    // another user: as if there were no such job
    const riko = new Browser(app, PASSWORDS);
    await riko.login('riko');
    expect((await riko.get(`/jobs/${job.id}`)).statusCode).toBe(404);
    expect((await riko.get(`/jobs/${job.id}/files/0`)).statusCode).toBe(404);
    expect((await riko.get(`/api/jobs/${job.id}`)).statusCode).toBe(404);
    expect((await kaito.get(`/jobs/${job.id}/files/1`)).statusCode).toBe(404);
    expect((await kaito.get(`/jobs/${job.id}/files/..%2F..%2Fetc%2Fpasswd`)).statusCode).toBe(404);
  });

  it('a failed job shows its message and its findings with record, byte offset and field', async () => {
    const kaito = new Browser(app, PASSWORDS);
    await kaito.login('kaito');
    const job = app.sashiosae.jobs.start({ name: 'test.fail', args: {}, user: 'kaito', action: 'read', aliases: { 'x.dat': '結果.DAT' } });
    await app.sashiosae.jobs.finished(job.id);
    const page = await kaito.get(`/jobs/${job.id}`);
    expect(page.body).toContain('data-job-state="failed"');
    expect(page.body).toContain('テストの失敗');
    expect(page.body).toMatch(/<td>結果\.DAT<\/td><td class="n">3<\/td><td class="n">120<\/td><td>差押金額<\/td><td>桁が違います<\/td>/);
    const json = (await kaito.get(`/api/jobs/${job.id}`)).json() as { error: { exit: number; findings: { file: string; offset: number }[] } };
    expect(json.error.exit).toBe(3);
    expect(json.error.findings[0]).toMatchObject({ file: '結果.DAT', offset: 120 });
  });

  it('jobs run one at a time, in the order they were started', async () => {
    const order: string[] = [];
    const a = app.sashiosae.jobs.start({ name: 'test.count', args: { to: 3, delayMs: 40 }, user: 'kaito', action: 'read' });
    const b = app.sashiosae.jobs.start({ name: 'test.count', args: { to: 1 }, user: 'kaito', action: 'read' });
    app.sashiosae.jobs.subscribe(a.id, (j) => order.push(`a:${j.state}`));
    app.sashiosae.jobs.subscribe(b.id, (j) => order.push(`b:${j.state}`));
    await app.sashiosae.jobs.finished(b.id);
    expect(order.indexOf('a:done')).toBeGreaterThanOrEqual(0);
    expect(order.indexOf('a:done')).toBeLessThan(order.indexOf('b:running'));
  });

  it('the language switch keeps English in a cookie and comes back to the page; it never leads off the site', async () => {
    const kaito = new Browser(app, PASSWORDS);
    await kaito.login('kaito');
    const sw = await kaito.get('/lang/en?back=%2Fjobs%2Fabc');
    expect(sw.statusCode).toBe(303);
    expect(sw.headers.location).toBe('/jobs/abc');
    expect((await kaito.get('/')).body).toContain('<html lang="en">');
    expect((await kaito.get('/lang/ja?back=%2F%2Fevil.example')).headers.location).toBe('/');
    expect((await kaito.get('/')).body).toContain('<html lang="ja">');
  });
});
