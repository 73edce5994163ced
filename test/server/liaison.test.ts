import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/index.js';
import { webLine } from '../../src/server/liaison/views.js';
import { runWalkthrough, walkthroughCommands } from '../readme/run-walkthrough.js';
import { addUsers, Browser, cli, freshServerDb, multipart, PASSWORDS } from './helpers.js';

/**
 * The bank liaison's pages (issue 18): the README's second walkthrough with every bank file
 * uploaded through the pages instead of `import …` (the page shows what the CLI prints, word
 * for word), refused files storing nothing, the file check, the uploads' security (limit,
 * names, CSRF, roles), two browsers importing one file at once, and a CLI command meeting
 * the server's write.
 */

const PW = { ...PASSWORDS, mio: 'liaison-password-second' };

interface Upload {
  res: LightMyRequestResponse;
  job?: string;
}

/** POST a multipart form as `b` (its cookies; the CSRF token in the query unless `csrf` is false). */
async function upload(app: FastifyInstance, b: Browser, url: string, fields: Record<string, string>, file: { name: string; content: Buffer | string } | undefined, csrf = true): Promise<Upload> {
  const body = multipart(fields, file === undefined ? [] : [{ field: 'file', ...file }]);
  const res = await app.inject({ method: 'POST', url: csrf ? `${url}?_csrf=${encodeURIComponent(b.csrf)}` : url, headers: { cookie: b.cookie, ...body.headers }, payload: body.payload });
  const m = /^\/jobs\/([\w-]+)$/.exec(String(res.headers['location'] ?? ''));
  return m ? { res, job: m[1]! } : { res };
}

async function jobJson(b: Browser, id: string): Promise<Record<string, unknown>> {
  return (await b.get(`/api/jobs/${id}`)).json() as Record<string, unknown>;
}

/** What an import stores, counted: a refused file must leave every number as it was. */
function snapshot(dbPath: string): Record<string, unknown> {
  const d = new Database(dbPath, { readonly: true });
  try {
    const n = (sql: string) => (d.prepare(sql).get() as { n: number }).n;
    const archive = path.join(path.dirname(dbPath), 'archive');
    // archived files (a refused import may leave the archive's empty folder, as the CLI does)
    const files = listTree(archive).filter((p) => fs.statSync(path.join(archive, p)).isFile());
    return {
      imports: n('SELECT count(*) AS n FROM imports'),
      resultFiles: n('SELECT count(*) AS n FROM result_files'),
      answerAccounts: n('SELECT count(*) AS n FROM answer_accounts'),
      answerTransactions: n('SELECT count(*) AS n FROM answer_transactions_v'),
      statementEntries: n('SELECT count(*) AS n FROM statement_entries'),
      audit: n("SELECT count(*) AS n FROM audit_log WHERE action <> 'users.sign-in'"),
      batches: d.prepare('SELECT id, state FROM batches ORDER BY id').all(),
      archive: files,
    };
  } finally {
    d.close();
  }
}

function listTree(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : [];
}

describe('the liaison imports the second walkthrough’s bank files through the pages', () => {
  let dir: string;
  let db: string;
  let app: FastifyInstance;
  let cliSteps: Map<string, string>;
  const env: Record<string, string> = {};
  let riko: Browser;

  beforeAll(async () => {
    // the same walkthrough by the CLI alone: what each import printed
    const ref = runWalkthrough('walkthrough-inquiry');
    cliSteps = new Map(ref.steps.filter((s) => / import (answers|results|statement) /.test(s.line)).map((s) => [s.line, s.stdout.trim()]));
    fs.rmSync(ref.dir, { recursive: true, force: true });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-liaison-'));
    fs.cpSync(path.resolve(__dirname, '../../samples'), path.join(dir, 'samples'), { recursive: true });
    db = path.join(dir, 'inquiry.db');
    expect(cli(dir, db, ['init']).status).toBe(0);
    addUsers(dir, db);
    const r = cli(dir, db, ['--operator', 'admin', 'users', 'add', 'mio', '--role', 'liaison'], PW.mio + '\n');
    expect(r.status, r.stderr).toBe(0);
    app = await buildServer({ db });
    riko = new Browser(app, PW);
    await riko.login('riko');
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    delete process.env['SASHIOSAE_TODAY'];
  });

  /** One walkthrough line: `import <kind> FILE` through the upload page, anything else by the CLI. */
  async function step(line: string): Promise<void> {
    const words = line.split(/\s+/);
    if (words[0] === 'export') {
      for (const kv of words.slice(1)) {
        const [k, v] = kv.split('=') as [string, string];
        if (k !== 'SASHIOSAE_DB') env[k] = v;
      }
      return;
    }
    if (words[0] === 'mkdir') {
      for (const d of words.slice(1).filter((w) => !w.startsWith('-'))) fs.mkdirSync(path.join(dir, d), { recursive: true });
      return;
    }
    const args = words.slice(2);
    if (args[0] === 'init') return;
    if (args[0] === 'import' && ['answers', 'results', 'statement'].includes(args[1]!)) {
      const file = args[2]!;
      process.env['SASHIOSAE_TODAY'] = env['SASHIOSAE_TODAY']!;
      await riko.get(`/liaison/upload?kind=${args[1]}`);
      const up = await upload(app, riko, '/liaison/upload', { kind: args[1]! }, { name: path.basename(file), content: fs.readFileSync(path.join(dir, file)) });
      expect(up.res.statusCode, up.res.body).toBe(303);
      const job = await app.sashiosae.jobs.finished(up.job!);
      expect(job.state, JSON.stringify(job.error)).toBe('done');
      const page = await riko.get(`/jobs/${up.job}`);
      expect(page.statusCode).toBe(200);
      // the page says what the CLI printed for the same file, line by line, without the CLI's command hints
      const msgs = (job.result as { lines: Array<{ ja: string; en: string }> }).lines;
      const lines = msgs.map((m) => m.ja).join('\n');
      expect(lines).toBe(cliSteps.get(line));
      for (const m of msgs) expect(page.body).toContain(webLine(m).ja.trim().replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      expect(page.body).not.toMatch(/次は sashiosae|sashiosae report/);
      expect(page.body).toMatch(/href="\/batches\/\d{4}-\d{8}"/);
      expect(JSON.stringify(await jobJson(riko, up.job!))).not.toContain(app.sashiosae.tmpRoot);
      return;
    }
    const r = cli(dir, db, args, '', env);
    expect(r.status, `${line}\n${r.stderr}`).toBe(0);
  }

  it('every import of the walkthrough, uploaded, shows the CLI’s summary; refused, wrong and repeated files store nothing; two browsers at once store one', async () => {
    const lines = walkthroughCommands('walkthrough-inquiry');
    const firstAnswers = lines.findIndex((l) => l.includes('import answers'));
    const firstResults = lines.findIndex((l) => l.includes('import results'));
    for (const l of lines.slice(0, firstAnswers)) await step(l);
    // a batch waiting for the bank's file offers its upload, the kind preselected
    expect((await riko.get('/batches/0184-00000001')).body).toContain('href="/liaison/upload?kind=answers"');
    // up to the first result file: answers uploaded, extract and write and bank-sim by the CLI
    for (const l of lines.slice(firstAnswers, firstResults)) await step(l);
    expect((await riko.get('/batches/0184-00000002')).body).toContain('href="/liaison/upload?kind=results"');
    const kaito = new Browser(app, PW);
    await kaito.login('kaito');
    expect((await kaito.get('/batches/0184-00000002')).body).not.toContain('href="/liaison/upload');
    expect(fs.readdirSync(path.join(dir, 'archive', 'answers')).length).toBe(2);

    // --- a refused result file: every finding with record, byte offset, field; nothing stored
    const good = fs.readFileSync(path.join(dir, 'bank/RESULT_0184_00000002.DAT'));
    const bad = Buffer.from(good);
    bad[122 + 76 + 5] = 0x58; // 'X' in record 2's 差押金額 (records of 120 bytes + CRLF)
    const before = snapshot(db);
    const refused = await upload(app, riko, '/liaison/upload', { kind: 'results' }, { name: 'RESULT_0184_00000002.DAT', content: bad });
    const failed = await app.sashiosae.jobs.finished(refused.job!);
    expect(failed.state).toBe('failed');
    const fj = (await jobJson(riko, refused.job!)) as { error: { exit: number; findings: Array<{ record?: number; offset?: number; field?: string; file?: string }> } };
    expect(fj.error.exit).toBe(3);
    expect(fj.error.findings.some((f) => f.record === 1 && f.offset !== undefined && f.offset >= 198 && f.offset < 210 && /seizedAmount|差押金額/.test(f.field ?? ''))).toBe(true);
    const refusedPage = await riko.get(`/jobs/${refused.job}`);
    expect(refusedPage.body).toContain('data-job-state="failed"');
    expect(refusedPage.body).toContain('バイト位置');
    expect(refusedPage.body).toContain('RESULT_0184_00000002.DAT');
    expect(refusedPage.body).not.toContain(app.sashiosae.tmpRoot);
    expect(refusedPage.body).not.toContain('.upload');
    expect(snapshot(db)).toEqual(before);

    // --- a request file given as results: the step's own error, nothing stored
    const wrong = await upload(app, riko, '/liaison/upload', { kind: 'results' }, { name: 'SASHI_0184_00000002.DAT', content: fs.readFileSync(path.join(dir, 'usb/SASHI_0184_00000002.DAT')) });
    expect((await app.sashiosae.jobs.finished(wrong.job!)).state).toBe('failed');
    const wj = (await jobJson(riko, wrong.job!)) as { error: { code: string; exit: number; message: { ja: string } } };
    expect(wj.error.code).toMatch(/^(results|file|import)\./);
    expect(wj.error.exit).not.toBe(0);
    expect(snapshot(db)).toEqual(before);

    // --- the first result file as the walkthrough has it, then the second by two browsers at once
    await step(lines[firstResults]!);
    const mio = new Browser(app, PW);
    await mio.login('mio');
    const second = lines[firstResults + 1]!;
    expect(second).toContain('RESULT_0184_00000003.DAT');
    const content = fs.readFileSync(path.join(dir, 'bank/RESULT_0184_00000003.DAT'));
    const beforeBoth = snapshot(db);
    const [a, b] = await Promise.all([
      upload(app, riko, '/liaison/upload', { kind: 'results' }, { name: 'RESULT_0184_00000003.DAT', content }),
      upload(app, mio, '/liaison/upload', { kind: 'results' }, { name: 'RESULT_0184_00000003.DAT', content }),
    ]);
    const jobs = await Promise.all([app.sashiosae.jobs.finished(a.job!), app.sashiosae.jobs.finished(b.job!)]);
    expect(jobs.map((j) => j.state).sort()).toEqual(['done', 'failed']);
    const loser = jobs.find((j) => j.state === 'failed')!;
    expect(loser.error).toMatchObject({ exit: 4 });
    const loserBrowser = loser.user === 'riko' ? riko : mio;
    const loserPage = await loserBrowser.get(`/jobs/${loser.id}`);
    expect(loserPage.body).toContain('終了コード 4');
    const after = snapshot(db) as { resultFiles: number; imports: number; audit: number; archive: string[] };
    const b0 = beforeBoth as typeof after;
    expect(after.resultFiles).toBe(b0.resultFiles + 1);
    expect(after.imports).toBe(b0.imports + 1);
    expect(after.audit).toBe(b0.audit + 1);
    expect(after.archive.length).toBe(b0.archive.length + 1);
    const d = new Database(db, { readonly: true });
    const audits = d.prepare("SELECT operator FROM audit_log WHERE action = 'import.results' ORDER BY id DESC LIMIT 1").all() as Array<{ operator: string }>;
    d.close();
    expect(audits).toEqual([{ operator: jobs.find((j) => j.state === 'done')!.user }]);
    // the CLI's summary, from whichever browser stored it
    const winner = jobs.find((j) => j.state === 'done')!;
    expect((winner.result as { lines: Array<{ ja: string }> }).lines.map((m) => m.ja).join('\n')).toBe(cliSteps.get(second));

    // --- the same file once more: exit 4, its message on the page
    const again = await upload(app, riko, '/liaison/upload', { kind: 'results' }, { name: 'RESULT_0184_00000003.DAT', content });
    expect((await app.sashiosae.jobs.finished(again.job!)).error).toMatchObject({ exit: 4 });
    const againPage = await riko.get(`/jobs/${again.job}`);
    expect(againPage.body).toContain('終了コード 4');
    expect(snapshot(db)).toEqual(after);

    // --- the rest of the walkthrough: instruction results (63) and statements through the pages
    for (const l of lines.slice(firstResults + 2)) await step(l);
    const end = snapshot(db) as { batches: Array<{ id: string; state: string }> };
    expect(end.batches).toContainEqual({ id: '0184-00000002', state: 'reconciled' });
    expect(end.batches).toContainEqual({ id: '0184-00000003', state: 'reconciled' });
    const d2 = new Database(db, { readonly: true });
    const ops = d2.prepare("SELECT DISTINCT operator FROM audit_log WHERE action IN ('import.answers', 'import.results', 'import.statement')").all() as Array<{ operator: string }>;
    d2.close();
    expect(ops.map((o) => o.operator).sort()).toEqual([...new Set(['riko', winner.user])].sort());
  }, 240_000);

  it('the file check: validate’s verdict and inspect’s first records, personal fields masked; nothing stored', async () => {
    const before = snapshot(db);
    const answer = fs.readFileSync(path.join(dir, 'bank/ANSWER_0184_00000001.DAT'));
    const page = await riko.get('/liaison/validate');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    const ok = await upload(app, riko, '/liaison/validate', { layout: '' }, { name: 'ANSWER_0184_00000001.DAT', content: answer });
    expect(ok.res.statusCode).toBe(303);
    expect((await app.sashiosae.jobs.finished(ok.job!)).state).toBe('done');
    const r = (await jobJson(riko, ok.job!)) as { result: { valid: boolean; layout: string; records: number; shown: Array<{ fields: Array<{ id: string; value: string }> }> } };
    expect(r.result).toMatchObject({ valid: true, layout: 'inquiry-300' });
    expect(r.result.shown.length).toBe(Math.min(50, r.result.records));
    // the CLI's inspect shows the file whole: its names and account numbers must not reach the page
    const inspect = cli(dir, db, ['inspect', 'bank/ANSWER_0184_00000001.DAT', '--json']);
    expect(inspect.status).toBe(0);
    const personal = inspect.stdout
      .split('\n')
      .filter(Boolean)
      .slice(0, 50)
      .flatMap((l) => {
        const f = (JSON.parse(l) as { fields: Record<string, string> }).fields;
        // names and addresses anywhere; an account number as its field's whole value (its digits also occur in other fields)
        return [...['nameKanji', 'nameKana', 'address', 'holderName'].map((k) => (f[k] ?? '').trim()).filter((v) => v.length >= 2), ...(f['accountNumber'] ? [`&quot;${f['accountNumber']}&quot;`] : [])];
      });
    expect(personal.length).toBeGreaterThan(0);
    const shown = await riko.get(`/jobs/${ok.job}`);
    expect(shown.body).toContain('inquiry-300');
    expect(shown.body).toContain('***');
    for (const v of personal) expect(shown.body, v).not.toContain(v);

    // a damaged file: findings with record, byte offset and field
    const bad = Buffer.from(answer);
    bad[5] = 0x41;
    const nok = await upload(app, riko, '/liaison/validate', { layout: 'inquiry-300' }, { name: 'ANSWER_broken.DAT', content: bad });
    expect((await app.sashiosae.jobs.finished(nok.job!)).state).toBe('done');
    const nj = (await jobJson(riko, nok.job!)) as { result: { valid: boolean; findings: Array<{ offset?: number; record?: number }> } };
    expect(nj.result.valid).toBe(false);
    expect(nj.result.findings[0]).toMatchObject({ record: 0 });
    const nokPage = await riko.get(`/jobs/${nok.job}`);
    expect(nokPage.body).toContain('data-valid="false"');
    expect(nokPage.body).toContain('バイト位置');

    // a layout that is not one of formats/ (a path would read the server's files): 400
    const path400 = await upload(app, riko, '/liaison/validate', { layout: '/etc/passwd' }, { name: 'x.DAT', content: answer });
    expect(path400.res.statusCode).toBe(400);
    expect(snapshot(db)).toEqual(before);
  }, 60_000);

  it('the upload form: the kind preselected from the link, the token in the action URL, the header’s links', async () => {
    const form = await riko.get('/liaison/upload?kind=results');
    expect(form.body).toMatch(/<option value="results" selected>/);
    expect(form.body).toContain('action="/liaison/upload?_csrf=');
    expect(form.body).toContain('href="/liaison/upload"');
    expect(form.body).toContain('href="/liaison/validate"');
  });
});

describe('uploads: limit, names, CSRF, roles (issue 18 item 4)', () => {
  let dir: string;
  let db: string;
  let app: FastifyInstance;
  let riko: Browser;
  beforeAll(async () => {
    ({ dir, db } = freshServerDb());
    app = await buildServer({ db });
    riko = new Browser(app, PASSWORDS);
    await riko.login('riko');
    await riko.get('/liaison/upload');
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  const uploadsUnder = (root: string) => listTree(root).filter((p) => p.startsWith('up-'));

  it('an upload over uploadLimitMB → 413, nothing left under the server’s folder, nothing stored', async () => {
    const settings = path.join(dir, 'limit.json');
    const sample = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../samples/settings.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(settings, JSON.stringify({ ...sample, uploadLimitMB: 1 }));
    const r = cli(dir, db, ['settings', 'load', settings]);
    expect(r.status, r.stderr).toBe(0);
    const before = snapshot(db);
    const big = Buffer.alloc(1.5 * 1024 * 1024, 0x30);
    for (const [url, fields] of [['/liaison/upload', { kind: 'results' }], ['/liaison/validate', {}]] as const) {
      const up = await upload(app, riko, url, fields, { name: 'BIG.DAT', content: big });
      expect(up.res.statusCode).toBe(413);
      expect(up.res.body).toContain('uploadLimitMB');
      expect(uploadsUnder(app.sashiosae.tmpRoot)).toEqual([]);
    }
    expect(snapshot(db)).toEqual(before);
    // under the limit the same size passes the HTTP layer (fastify's body limit does not apply to uploads)
    fs.writeFileSync(settings, JSON.stringify({ ...sample, uploadLimitMB: 2 }));
    expect(cli(dir, db, ['settings', 'load', settings]).status).toBe(0);
    const fits = await upload(app, riko, '/liaison/validate', {}, { name: 'BIG.DAT', content: big });
    expect(fits.res.statusCode).toBe(303);
    await app.sashiosae.jobs.finished(fits.job!);
    expect(uploadsUnder(app.sashiosae.tmpRoot)).toEqual([]);
  });

  it('a name with ../, \\ or control characters is stored nowhere but the private folder and shown escaped', async () => {
    const cwd = listTree(process.cwd());
    const dbDir = listTree(dir);
    const tmp = fs.readdirSync(os.tmpdir()).sort();
    const passwd = fs.statSync('/etc/passwd').mtimeMs;
    for (const name of ['../../../../etc/passwd', '..\\..\\x.DAT', 'a\u0001b\u001b[31m"><img src=x>.DAT']) {
      const up = await upload(app, riko, '/liaison/validate', {}, { name, content: 'not a fixed-width file\n' });
      expect(up.res.statusCode).toBe(303);
      const job = await app.sashiosae.jobs.finished(up.job!);
      const page = await riko.get(`/jobs/${up.job}`);
      expect(page.body).not.toContain('<img src=x>');
      expect(page.body).not.toContain('\u0001');
      expect(page.body).not.toContain('../');
      expect(job.aliases).toBeDefined();
      expect(Object.values(job.aliases)).not.toContain(name);
    }
    const last = await upload(app, riko, '/liaison/validate', {}, { name: '"><img src=x>.DAT', content: 'x\n' });
    await app.sashiosae.jobs.finished(last.job!);
    expect((await riko.get(`/jobs/${last.job}`)).body).toContain('&lt;img src=x&gt;.DAT');
    expect(listTree(process.cwd())).toEqual(cwd);
    expect(listTree(dir)).toEqual(dbDir);
    expect(fs.readdirSync(os.tmpdir()).sort().filter((n) => !tmp.includes(n) && !n.startsWith('sashiosae-'))).toEqual([]);
    expect(fs.statSync('/etc/passwd').mtimeMs).toBe(passwd);
    expect(uploadsUnder(app.sashiosae.tmpRoot)).toEqual([]);
  });

  it('a multipart POST without the _csrf query → 403, nothing written under the server’s folder', async () => {
    const before = listTree(app.sashiosae.tmpRoot);
    for (const url of ['/liaison/upload', '/liaison/validate']) {
      const up = await upload(app, riko, url, { kind: 'results', _csrf: riko.csrf }, { name: 'R.DAT', content: 'x' }, false);
      expect(up.res.statusCode).toBe(403);
    }
    expect(listTree(app.sashiosae.tmpRoot)).toEqual(before);
  });

  it('a collector, an accountant or an admin → 403 on the pages and the uploads, nothing written', async () => {
    const before = listTree(app.sashiosae.tmpRoot);
    const snap = snapshot(db);
    for (const user of ['kaito', 'akari', 'sora']) {
      const b = new Browser(app, PASSWORDS);
      await b.login(user);
      expect((await b.get('/liaison/upload')).statusCode, user).toBe(403);
      expect((await b.get('/liaison/validate')).statusCode, user).toBe(403);
      for (const url of ['/liaison/upload', '/liaison/validate']) {
        const up = await upload(app, b, url, { kind: 'results' }, { name: 'R.DAT', content: 'x' });
        expect(up.res.statusCode, `${user} ${url}`).toBe(403);
      }
      const home = await b.get('/');
      expect(home.body).not.toContain('href="/liaison/upload"');
    }
    expect(listTree(app.sashiosae.tmpRoot)).toEqual(before);
    expect(snapshot(db)).toEqual(snap);
  });

  it('a form without a kind or without a file → 400 with the form again, no job', async () => {
    const noKind = await upload(app, riko, '/liaison/upload', {}, { name: 'R.DAT', content: 'x' });
    expect(noKind.res.statusCode).toBe(400);
    expect(noKind.res.body).toContain('<form method="post" action="/liaison/upload?_csrf=');
    await riko.get('/liaison/upload');
    const noFile = await upload(app, riko, '/liaison/upload', { kind: 'answers' }, undefined);
    expect(noFile.res.statusCode).toBe(400);
    expect(noFile.job).toBeUndefined();
    expect(uploadsUnder(app.sashiosae.tmpRoot)).toEqual([]);
  });
});

describe('a CLI command while the server writes (issue 18 item 1)', () => {
  it('waits and exits 4 naming the server’s job, succeeds once the job ends; the database stays whole', async () => {
    const { dir, db } = freshServerDb();
    const app = await buildServer({ db });
    try {
      const release = path.join(dir, 'release');
      const hold = app.sashiosae.jobs.start({ name: 'test.hold-write', args: { release }, user: 'riko', action: 'read' });
      // the job holds the write lock once it reports
      await new Promise<void>((resolve) => {
        if (hold.progress !== undefined) return resolve();
        const off = app.sashiosae.jobs.subscribe(hold.id, (j) => {
          if (j.progress !== undefined || j.state === 'done' || j.state === 'failed') {
            off();
            resolve();
          }
        });
      });
      expect(hold.state).toBe('running');
      const busy = cli(dir, db, ['--operator', 'admin', 'users', 'add', 'nao', '--role', 'liaison'], 'liaison-password-nao\n', { SASHIOSAE_BUSY_TIMEOUT_MS: '200' });
      expect(busy.status, busy.stderr).toBe(4);
      expect(busy.stderr).toContain('serve (test.hold-write, riko)');
      fs.writeFileSync(release, '');
      expect((await app.sashiosae.jobs.finished(hold.id)).state).toBe('done');
      const ok = cli(dir, db, ['--operator', 'admin', 'users', 'add', 'nao', '--role', 'liaison'], 'liaison-password-nao\n', { SASHIOSAE_BUSY_TIMEOUT_MS: '200' });
      expect(ok.status, ok.stderr).toBe(0);
    } finally {
      await app.close();
    }
    const d = new Database(db, { readonly: true });
    expect(d.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(d.prepare("SELECT count(*) AS n FROM users WHERE name = 'nao'").get()).toEqual({ n: 1 });
    d.close();
  });
});
