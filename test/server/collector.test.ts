import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/index.js';
import { Browser, cli, freshServerDb, multipart, PASSWORDS } from './helpers.js';

/**
 * The collector's part of the web application on a fresh database with the README's samples
 * (its second walkthrough: inquire → write → bank-sim → import answers → extract): every step
 * through the pages, each compared with what the CLI does or stores; a liaison gets 403 for
 * every collector action and changes nothing.
 */
const root = path.resolve(__dirname, '../..');
const samples = path.join(root, 'samples');

describe('collector pages: import, inquire, write, extract, cancel', () => {
  let app: FastifyInstance;
  let dir: string;
  let db: string;
  let kaito: Browser;
  let riko: Browser;
  const savedToday = process.env['SASHIOSAE_TODAY'];
  const today = (d: string) => (process.env['SASHIOSAE_TODAY'] = d);
  const n = (sql: string, ...p: unknown[]) => (app.sashiosae.db.prepare(sql).get(...p) as { n: number }).n;
  const jobOf = (location: unknown) => {
    const m = /^\/jobs\/([\w-]+)$/.exec(String(location));
    expect(m, String(location)).not.toBeNull();
    return m![1]!;
  };
  const finished = async (res: { statusCode: number; headers: Record<string, unknown> }) => {
    expect(res.statusCode).toBe(303);
    const id = jobOf(res.headers['location']);
    const job = await app.sashiosae.jobs.finished(id);
    return { id, job, page: await kaito.get(`/jobs/${id}`) };
  };
  const upload = (b: Browser, fields: Record<string, string>, files: Parameters<typeof multipart>[1]) => {
    const { payload, headers } = multipart(fields, files.map((f) => ({ type: 'text/csv', ...f })));
    return app.inject({ method: 'POST', url: `/collector/import?_csrf=${encodeURIComponent(b.csrf)}`, headers: { cookie: b.cookie, ...headers }, payload });
  };
  /** debts.csv (CP932) with the 本税 of line 3 not a number */
  const badDebts = () => {
    const lines = fs.readFileSync(path.join(samples, 'debts.csv'), 'latin1').split('\n');
    expect(lines[2]).toContain(',18000,');
    lines[2] = lines[2]!.replace(',18000,', ',18x00,');
    return Buffer.from(lines.join('\n'), 'latin1');
  };
  const sample = (f: string) => fs.readFileSync(path.join(samples, f));

  beforeAll(async () => {
    ({ dir, db } = freshServerDb());
    const r = cli(dir, db, ['settings', 'load', path.join(samples, 'settings.json')]);
    expect(r.status, r.stderr).toBe(0);
    today('2026-11-24');
    // the folder pages may write into (serve --media-root)
    app = await buildServer({ db, mediaRoots: [path.join(dir, 'server-usb')] });
    kaito = new Browser(app, PASSWORDS);
    await kaito.login('kaito');
    riko = new Browser(app, PASSWORDS);
    await riko.login('riko');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (savedToday === undefined) delete process.env['SASHIOSAE_TODAY'];
    else process.env['SASHIOSAE_TODAY'] = savedToday;
  });

  it('the header links a collector to 取込, 照会, 抽出; a liaison sees none and gets 403 on the pages and every post', async () => {
    const home = await kaito.get('/');
    for (const href of ['/collector/import', '/collector/inquire', '/collector/extract']) expect(home.body).toContain(`href="${href}"`);
    expect((await riko.get('/')).body).not.toContain('/collector/');
    for (const url of ['/collector/import', '/collector/inquire', '/collector/extract']) expect((await riko.get(url)).statusCode).toBe(403);
    const audits = n('SELECT COUNT(*) n FROM audit_log');
    expect((await upload(riko, {}, [{ field: 'taxpayers', name: 't.csv', content: sample('taxpayers.csv') }, { field: 'debts', name: 'd.csv', content: sample('debts.csv') }])).statusCode).toBe(403);
    expect((await riko.post('/collector/inquire', { baseDate: '2026-11-24', _csrf: riko.csrf })).statusCode).toBe(403);
    expect((await riko.post('/collector/extract', { executionDate: '2026-12-01', _csrf: riko.csrf })).statusCode).toBe(403);
    expect(n('SELECT COUNT(*) n FROM taxpayers')).toBe(0);
    expect(n('SELECT COUNT(*) n FROM batches')).toBe(0);
    expect(n('SELECT COUNT(*) n FROM audit_log')).toBe(audits);
  });

  it('import: a bad CSV fails with its findings under the browser’s file name and line, storing nothing; then --skip-invalid imports the rest and offers the rejected row', async () => {
    const form = await kaito.get('/collector/import');
    expect(form.statusCode).toBe(200);
    for (const name of ['taxpayers', 'debts', 'accounts', 'payments']) expect(form.body).toContain(`type="file" name="${name}"`);
    expect(form.body).toMatch(/action="\/collector\/import\?_csrf=[^"]+" enctype="multipart\/form-data"/);

    // without the required debts: the form again, 400, no job
    const missing = await upload(kaito, {}, [{ field: 'taxpayers', name: 'taxpayers.csv', content: sample('taxpayers.csv') }]);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('debts.csv');

    const before = [n('SELECT COUNT(*) n FROM taxpayers'), n('SELECT COUNT(*) n FROM debts'), n('SELECT COUNT(*) n FROM imports')];
    const files = [
      { field: 'taxpayers', name: 'taxpayers.csv', content: sample('taxpayers.csv') },
      { field: 'debts', name: 'my-debts.csv', content: badDebts() },
      { field: 'payments', name: 'payments.csv', content: sample('payments.csv') },
    ];
    const bad = await finished(await upload(kaito, { asOf: '2026-11-24' }, files));
    expect(bad.job.state).toBe('failed');
    expect(bad.page.statusCode).toBe(200);
    expect(bad.page.body).toContain('data-job-state="failed"');
    expect(bad.page.body).toMatch(/<td>my-debts\.csv<\/td><td class="n">3<\/td>/);
    expect(bad.page.body).not.toContain(app.sashiosae.tmpRoot);
    expect([n('SELECT COUNT(*) n FROM taxpayers'), n('SELECT COUNT(*) n FROM debts'), n('SELECT COUNT(*) n FROM imports')]).toEqual(before);

    const ok = await finished(await upload(kaito, { asOf: '2026-11-24', skipInvalid: '1', maxRejectRate: '10' }, files));
    expect(ok.job.state, String(ok.job.error)).toBe('done');
    expect(ok.page.body).toContain('取り込み #1 を記録しました（基準日 2026-11-24）');
    expect(ok.page.body).toMatch(/<td>my-debts\.csv<\/td><td>債権<\/td><td class="n">20<\/td><td>CP932<\/td><td class="n">1<\/td>/);
    expect(n('SELECT COUNT(*) n FROM debts')).toBe(20);
    expect(n('SELECT COUNT(*) n FROM taxpayers')).toBeGreaterThan(0);
    expect(ok.page.body).toContain('my-debts.csv.rejected.csv');
    const rej = await kaito.get(`/jobs/${ok.id}/files/0`);
    expect(rej.statusCode).toBe(200);
    expect(rej.body).toContain('18x00');
    // the reject file is this user's only
    expect((await riko.get(`/jobs/${ok.id}/files/0`)).statusCode).toBe(404);
    const audit = app.sashiosae.db.prepare("SELECT operator FROM audit_log WHERE action LIKE 'import%' ORDER BY id DESC LIMIT 1").get() as { operator: string };
    expect(audit.operator).toBe('kaito');
  });

  it('inquire: bad input is the form again (400); a dry run stores nothing and says so; a real run makes one batch per bank', async () => {
    const noDate = await kaito.post('/collector/inquire', { baseDate: '', _csrf: kaito.csrf });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('name="baseDate"');
    const badDays = await kaito.post('/collector/inquire', { baseDate: '2026-11-24', historyDays: 'x', _csrf: kaito.csrf });
    expect(badDays.statusCode).toBe(400);
    expect(badDays.body).toContain('value="x"');

    const dry = await finished(await kaito.post('/collector/inquire', { baseDate: '2026-11-24', dryRun: '1', _csrf: kaito.csrf }));
    expect(dry.job.state, String(dry.job.error)).toBe('done');
    expect(dry.page.body).toContain('何も保存していません');
    expect(n('SELECT COUNT(*) n FROM batches')).toBe(0);

    const real = await finished(await kaito.post('/collector/inquire', { baseDate: '2026-11-24', _csrf: kaito.csrf }));
    expect(real.job.state, String(real.job.error)).toBe('done');
    const ids = (app.sashiosae.db.prepare("SELECT id FROM batches WHERE kind = 'inquiry' ORDER BY id").all() as Array<{ id: string }>).map((b) => b.id);
    expect(ids).toEqual(['0005-00000001', '0184-00000001']);
    for (const id of ids) expect(real.page.body).toContain(`href="/batches/${id}"`);
    expect(real.page.body).toContain('外字を〓に');
  });

  it('write (download): the files are those `sashiosae write --media` writes for the batch on a copy of the database, and valid', async () => {
    const page = await kaito.get('/batches/0184-00000001');
    expect(page.body).toContain('action="/collector/batches/0184-00000001/write"');
    expect(page.body).toContain('name="destination" value="download" checked');
    expect(page.body).toContain('class="batch-files"');
    expect(page.body).toContain('data-next-step');
    // the liaison sees no collector form
    expect((await riko.get('/batches/0184-00000001')).body).not.toContain('/collector/batches/');

    const copy = path.join(dir, 'copy.db');
    app.sashiosae.db.exec(`VACUUM INTO '${copy.replaceAll("'", "''")}'`);
    const usb = path.join(dir, 'cli-usb');
    fs.mkdirSync(usb);
    const c = cli(dir, copy, ['--operator', 'kaito', 'write', '0184-00000001', '--media', usb], '', { SASHIOSAE_TODAY: '2026-11-24' });
    expect(c.status, c.stderr).toBe(0);

    // a relative folder for media: the form's 400, no job
    expect((await kaito.post('/collector/batches/0184-00000001/write', { destination: 'media', mediaDir: 'usb', _csrf: kaito.csrf })).statusCode).toBe(400);
    const w = await finished(await kaito.post('/collector/batches/0184-00000001/write', { destination: 'download', _csrf: kaito.csrf }));
    expect(w.job.state, String(w.job.error)).toBe('done');
    const names = [...w.page.body.matchAll(/href="\/jobs\/[\w-]+\/files\/(\d+)" download>([^<]+)</g)].map((m) => [m[1]!, m[2]!] as const);
    expect(names.map(([, name]) => name).sort()).toEqual(fs.readdirSync(usb).sort());
    const dat = names.find(([, name]) => name.endsWith('.DAT'))!;
    const got = await app.inject({ method: 'GET', url: `/jobs/${w.id}/files/${dat[0]}`, headers: { cookie: kaito.cookie } });
    const expected = fs.readFileSync(path.join(usb, dat[1]));
    expect(got.rawPayload.equals(expected)).toBe(true);
    const sha = (JSON.parse(fs.readFileSync(path.join(usb, `${dat[1]}.manifest.json`), 'utf8')) as { sha256: string }).sha256;
    expect(w.page.body).toContain(sha);
    const downloaded = path.join(dir, 'bank-in', dat[1]);
    fs.mkdirSync(path.dirname(downloaded));
    fs.writeFileSync(downloaded, got.rawPayload);
    const v = cli(dir, db, ['validate', downloaded]);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    expect((app.sashiosae.db.prepare("SELECT state FROM batches WHERE id = '0184-00000001'").get() as { state: string }).state).toBe('written');

    // the bank answers (bank-sim) and the liaison imports the answer (CLI stands in)
    const answer = path.join(dir, 'bank', 'ANSWER_0184_00000001.DAT');
    fs.mkdirSync(path.dirname(answer));
    const sim = cli(dir, db, ['bank-sim', downloaded, '--out', answer, '--book', path.join(samples, 'book.csv'), '--transactions', path.join(samples, 'transactions.csv'), '--seed', '7'], '', { SASHIOSAE_TODAY: '2026-11-24' });
    expect(sim.status, sim.stderr).toBe(0);
    const imp = cli(dir, db, ['--operator', 'riko', 'import', 'answers', answer], '', { SASHIOSAE_TODAY: '2026-11-24' });
    expect(imp.status, imp.stderr).toBe(0);
  });

  it('cancel: a liaison 403, without the confirmation 400, both changing nothing; with it cancelled and audited under kaito', async () => {
    const state = () => (app.sashiosae.db.prepare("SELECT state FROM batches WHERE id = '0005-00000001'").get() as { state: string }).state;
    expect((await kaito.get('/batches/0005-00000001')).body).toContain('action="/collector/batches/0005-00000001/cancel"');
    expect((await riko.post('/collector/batches/0005-00000001/cancel', { confirm: '1', _csrf: riko.csrf })).statusCode).toBe(403);
    expect((await riko.post('/collector/batches/0005-00000001/write', { destination: 'download', _csrf: riko.csrf })).statusCode).toBe(403);
    const noConfirm = await kaito.post('/collector/batches/0005-00000001/cancel', { reason: 'test', _csrf: kaito.csrf });
    expect(noConfirm.statusCode).toBe(400);
    expect(state()).toBe('extracted');
    expect(n("SELECT COUNT(*) n FROM audit_log WHERE action = 'batch.cancel'")).toBe(0);

    const res = await kaito.post('/collector/batches/0005-00000001/cancel', { reason: '媒体を作り直す', confirm: '1', _csrf: kaito.csrf });
    expect(res.statusCode).toBe(303);
    expect(res.headers['location']).toBe('/batches/0005-00000001');
    expect(state()).toBe('cancelled');
    const a = app.sashiosae.db.prepare("SELECT operator, details FROM audit_log WHERE action = 'batch.cancel' AND batch_id = '0005-00000001'").get() as { operator: string; details: string };
    expect(a.operator).toBe('kaito');
    expect(JSON.parse(a.details)).toMatchObject({ reason: '媒体を作り直す', previousState: 'extracted' });
    // cancelled: no more forms
    expect((await kaito.get('/batches/0005-00000001')).body).not.toContain('/collector/batches/0005-00000001/');
  });

  it('extract after the answers: a dry run stores nothing; the run makes the seizure batches with links, exclusions and protected totals; write to a folder on the server', async () => {
    today('2026-11-30');
    const seizures = () => n("SELECT COUNT(*) n FROM batches WHERE kind = 'seizure'");
    expect((await kaito.post('/collector/extract', { executionDate: '2026-12-05', _csrf: kaito.csrf })).statusCode).toBe(400); // a Saturday
    const dry = await finished(await kaito.post('/collector/extract', { executionDate: '2026-12-01', dryRun: '1', _csrf: kaito.csrf }));
    expect(dry.job.state, String(dry.job.error)).toBe('done');
    expect(dry.page.body).toContain('何も保存していません');
    expect(seizures()).toBe(0);

    const run = await finished(await kaito.post('/collector/extract', { executionDate: '2026-12-01', _csrf: kaito.csrf }));
    expect(run.job.state, String(run.job.error)).toBe('done');
    const ids = (app.sashiosae.db.prepare("SELECT id FROM batches WHERE kind = 'seizure' ORDER BY id").all() as Array<{ id: string }>).map((b) => b.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(run.page.body).toContain(`href="/batches/${id}"`);
    expect(run.page.body).toContain('差押禁止の入金');
    expect(run.page.body).toContain('対象外（理由別）');

    const usb = path.join(dir, 'server-usb');
    fs.mkdirSync(usb);
    const w = await finished(await kaito.post(`/collector/batches/${ids[0]!}/write`, { destination: 'media', mediaDir: usb, _csrf: kaito.csrf }));
    expect(w.job.state, String(w.job.error)).toBe('done');
    const dat = fs.readdirSync(usb).filter((f) => f.endsWith('.DAT'));
    expect(dat.length).toBeGreaterThan(0);
    // the folder written into (its real path) and the file
    expect(w.page.body).toContain(fs.realpathSync(usb));
    expect(w.page.body).toContain(dat[0]!);
    const v = cli(dir, db, ['validate', path.join(usb, dat[0]!)]);
    expect(v.status, v.stdout + v.stderr).toBe(0);
    const audit = app.sashiosae.db.prepare("SELECT operator FROM audit_log WHERE action LIKE '%write%' ORDER BY id DESC LIMIT 1").get() as { operator: string } | undefined;
    expect(audit?.operator).toBe('kaito');
  });
});
