import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/index.js';
import { CLI } from '../cli/helpers.js';
import { walkthroughCommands } from '../readme/run-walkthrough.js';
import { addUsers, Browser, cli, PASSWORDS } from './helpers.js';

/**
 * The accountant's pages (issue 18) on the README's second walkthrough, run up to just
 * before its `instruct` (batch 0184-00000003 still held, 0184-00000002 results in): the
 * holds review, instruct with an override against the CLI's on a copy of the same database
 * (the same instruction file bytes), a refused instruct, the write of the instruction batch,
 * reconcile, the report CSV against `report --csv`, documents, and the 403 of other roles.
 */
const root = path.resolve(__dirname, '../..');
const TODAY = '2026-12-02';
const HELD = '0184-00000003';
const IMMEDIATE = '0184-00000002';
const INSTRUCTION = '0184-00000004';

/** The walkthrough's commands up to (not including) the first that starts with `stop`, in a new folder. */
function walkthroughUntil(marker: string, stop: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-acc-'));
  fs.cpSync(path.join(root, 'samples'), path.join(dir, 'samples'), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['SASHIOSAE_DB'];
  delete env['SASHIOSAE_TODAY'];
  for (const line of walkthroughCommands(marker)) {
    if (line.startsWith(stop)) return dir;
    const words = line.split(/\s+/);
    if (words[0] === 'export') for (const kv of words.slice(1)) env[kv.split('=')[0]!] = kv.split('=')[1];
    else if (words[0] === 'mkdir') for (const d of words.slice(1).filter((w) => !w.startsWith('-'))) fs.mkdirSync(path.join(dir, d), { recursive: true });
    else {
      const r = spawnSync(process.execPath, [CLI, ...words.slice(2)], { cwd: dir, env, encoding: 'utf8' });
      expect(r.status, `${line}\n${r.stderr}`).toBe(0);
    }
  }
  throw new Error(`no line starting ${stop}`);
}

const jobOf = (res: LightMyRequestResponse): string => {
  expect(res.statusCode, res.body).toBe(303);
  const m = /^\/jobs\/([\w-]+)$/.exec(String(res.headers.location));
  expect(m).not.toBeNull();
  return m![1]!;
};

describe('the accountant’s pages on the second walkthrough (issue 18)', () => {
  let dir: string;
  let db: string;
  let copy: string;
  let copyDb: string;
  let app: FastifyInstance;
  let mediaRoot: string;
  let akari: Browser;
  const savedToday = process.env['SASHIOSAE_TODAY'];
  const cliCopy = (args: string[]) => cli(copy, copyDb, args, '', { SASHIOSAE_TODAY: TODAY });
  const snapshot = () => {
    const d = new Database(db, { readonly: true });
    try {
      return {
        batches: d.prepare('SELECT id, state FROM batches ORDER BY id').all(),
        instructions: d.prepare('SELECT COUNT(*) AS n FROM instruction_records').get(),
        receipts: d.prepare('SELECT COUNT(*) AS n FROM receipts').get(),
        documents: d.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'documents%' OR action LIKE 'batch.%' OR action LIKE 'receipts%'").get(),
      };
    } finally {
      d.close();
    }
  };
  const finished = async (id: string) => app.sashiosae.jobs.finished(id);

  beforeAll(async () => {
    dir = walkthroughUntil('walkthrough-inquiry', 'npx sashiosae instruct');
    db = path.join(dir, 'inquiry.db');
    addUsers(dir, db);
    copy = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-acc-cli-'));
    fs.cpSync(dir, copy, { recursive: true });
    copyDb = path.join(copy, 'inquiry.db');
    // the server's jobs and the CLI on the copy share one today
    process.env['SASHIOSAE_TODAY'] = TODAY;
    mediaRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-acc-media-root-'));
    app = await buildServer({ db, mediaRoots: [mediaRoot] });
    akari = new Browser(app, PASSWORDS);
    await akari.login('akari');
  }, 240_000);
  afterAll(async () => {
    await app?.close();
    if (savedToday === undefined) delete process.env['SASHIOSAE_TODAY'];
    else process.env['SASHIOSAE_TODAY'] = savedToday;
  });

  it('the holds page lists the held batch; the review shows each held account with its proposal, masked', async () => {
    const list = await akari.get('/accountant/holds');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/accountant/holds/${HELD}"`);
    expect(list.body).toContain('href="/accountant/holds"'); // the nav link
    const json = JSON.parse(cliCopy(['holds', HELD, '--json']).stdout) as { holds: Array<{ request: number; sub: number; taxpayer: string; account: string; seized: number; protected: number; proposal: number; state: string }> };
    expect(json.holds.length).toBeGreaterThan(0);
    const held = json.holds.filter((x) => x.state === 'held').length;
    expect(list.body).toContain(`<td class="n" data-state="held">${held}</td>`);
    const review = await akari.get(`/accountant/holds/${HELD}`);
    expect(review.statusCode).toBe(200);
    for (const x of json.holds) {
      const key = `${x.request}-${String(x.sub).padStart(2, '0')}`;
      expect(review.body).toContain(`<tr data-record="${key}">`);
      expect(review.body).toContain(`name="collect.${key}" value="${x.proposal}"`);
      expect(review.body).toContain(`data-proposal="${x.proposal}"`);
      expect(review.body).toContain(`<td>${x.taxpayer}</td>`);
      expect(review.body).toContain(x.account);
    }
    expect(review.body).toContain('name="date"');
    expect(review.body).toContain('name="dryRun"');
  });

  it('a refused instruct (date before today; no date) shows the message on the review page and stores nothing', async () => {
    const before = snapshot();
    await akari.get(`/accountant/holds/${HELD}`);
    const past = await akari.post(`/accountant/holds/${HELD}/instruct`, { _csrf: akari.csrf, date: '2026-12-01' });
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain(`指示日 2026-12-01 は今日（${TODAY}）より前です`);
    expect(past.body).toContain('instruct.date-past');
    expect(past.body).toContain('name="collect.'); // the review again, with its form
    const none = await akari.post(`/accountant/holds/${HELD}/instruct`, { _csrf: akari.csrf, date: '' });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('指示日を入力してください');
    const bad = await akari.post(`/accountant/holds/${HELD}/instruct`, { _csrf: akari.csrf, date: '2026-12-03', 'collect.1-01': 'abc' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('円の整数で入力してください');
    // a dry run asked for: the job computes the instruction and stores nothing
    const dry = await finished(jobOf(await akari.post(`/accountant/holds/${HELD}/instruct`, { _csrf: akari.csrf, date: '2026-12-03', dryRun: '1' })));
    expect(dry.state, JSON.stringify(dry.error)).toBe('done');
    expect(dry.result).toMatchObject({ batch: INSTRUCTION, dryRun: true, overrides: [] });
    expect((await akari.get(`/jobs/${dry.id}`)).body).toContain('何も保存していません');
    expect(snapshot()).toEqual(before);
  });

  it('collectors and liaisons get 403 on every accountant route and nothing changes', async () => {
    const before = snapshot();
    for (const user of ['kaito', 'riko']) {
      const b = new Browser(app, PASSWORDS);
      await b.login(user);
      for (const url of ['/accountant/holds', `/accountant/holds/${HELD}`, '/accountant/reconcile', `/accountant/batches/${IMMEDIATE}/report.csv`]) expect((await b.get(url)).statusCode, `${user} ${url}`).toBe(403);
      const posts: Array<[string, Record<string, string>]> = [
        [`/accountant/holds/${HELD}/instruct`, { date: '2026-12-03' }],
        [`/accountant/batches/${INSTRUCTION}/write`, { destination: 'download' }],
        [`/accountant/batches/${IMMEDIATE}/reconcile`, {}],
        [`/accountant/batches/${IMMEDIATE}/export`, { format: 'csv' }],
        [`/accountant/batches/${IMMEDIATE}/documents`, { kind: 'notice', draft: '1' }],
      ];
      for (const [url, form] of posts) {
        await b.get('/');
        const res = await b.post(url, { _csrf: b.csrf, ...form });
        expect(res.statusCode, `${user} ${url}`).toBe(403);
      }
      // the nav shows no accountant link
      expect((await b.get('/')).body).not.toContain('/accountant/holds');
    }
    await app.sashiosae.jobs.idle();
    expect(snapshot()).toEqual(before);
  });

  it('an override posts as instruct --collect: the same instruction file bytes as the CLI on a copy; the write gives downloads', async () => {
    const review = await akari.get(`/accountant/holds/${HELD}`);
    const inputs = [...review.body.matchAll(/name="collect\.([\d-]+)" value="(\d+)"/g)].map((m) => ({ key: m[1]!, proposal: Number(m[2]) }));
    expect(inputs.length).toBeGreaterThan(0);
    // one account changed from its proposal (within its 差押金額), the others left as proposed
    const holds = (JSON.parse(cliCopy(['holds', HELD, '--json']).stdout) as { holds: Array<{ request: number; sub: number; seized: number; proposal: number; state: string }> }).holds;
    const h0 = holds.find((x) => x.state === 'held' && x.seized > 0)!;
    const key = `${h0.request}-${String(h0.sub).padStart(2, '0')}`;
    const collect = h0.proposal > 0 ? h0.proposal - 1 : 1;
    const form: Record<string, string> = { _csrf: akari.csrf, date: '2026-12-03' };
    for (const i of inputs) form[`collect.${i.key}`] = String(i.key === key ? collect : i.proposal);
    const id = jobOf(await akari.post(`/accountant/holds/${HELD}/instruct`, form));
    const job = await finished(id);
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const r = job.result as { batch: string; overrides: Array<{ record: string; collect: number }>; collectTotal: number; releaseTotal: number };
    expect(r.batch).toBe(INSTRUCTION);
    expect(r.overrides).toEqual([expect.objectContaining({ record: key, collect })]);
    const page = await akari.get(`/jobs/${id}`);
    expect(page.body).toContain(`href="/batches/${INSTRUCTION}#write"`);
    expect(page.body).toContain(`${key}`);

    const c = cliCopy(['--operator', 'akari', 'instruct', HELD, '--date', '2026-12-03', '--collect', `${key}=${collect}`, '--json']);
    expect(c.status, c.stderr).toBe(0);
    expect(JSON.parse(c.stdout)).toMatchObject({ batch: INSTRUCTION, collectTotal: r.collectTotal, releaseTotal: r.releaseTotal });
    fs.mkdirSync(path.join(copy, 'usb2'));
    const w = cliCopy(['write', INSTRUCTION, '--media', 'usb2', '--json']);
    expect(w.status, w.stderr).toBe(0);
    const cliFile = (JSON.parse(w.stdout.trim().split('\n')[0]!) as { files: Array<{ path: string }> }).files[0]!.path;

    // the instruction batch's page offers the write; the write gives the file, its manifest and its totals sheet
    const batchPage = await akari.get(`/batches/${INSTRUCTION}`);
    expect(batchPage.body).toContain(`action="/accountant/batches/${INSTRUCTION}/write"`);
    const wid = jobOf(await akari.post(`/accountant/batches/${INSTRUCTION}/write`, { _csrf: akari.csrf, destination: 'download' }));
    const wjob = await finished(wid);
    expect(wjob.state, JSON.stringify(wjob.error)).toBe('done');
    const wpage = await akari.get(`/jobs/${wid}`);
    const links = [...wpage.body.matchAll(/href="(\/jobs\/[\w-]+\/files\/\d+)" download>([^<]+)</g)].map((m) => ({ url: m[1]!, name: m[2]! }));
    expect(links.map((l) => l.name)).toEqual([path.basename(cliFile), `${path.basename(cliFile)}.manifest.json`, `${path.basename(cliFile)}.totals.html`]);
    const dat = await akari.get(links[0]!.url);
    expect(dat.statusCode).toBe(200);
    expect(Buffer.compare(dat.rawPayload, fs.readFileSync(path.resolve(copy, cliFile)))).toBe(0);
    // a media folder on the server: a relative path is refused; the re-check into a real folder writes the same bytes there
    expect((await akari.post(`/accountant/batches/${INSTRUCTION}/write`, { _csrf: akari.csrf, destination: 'media', mediaDir: 'usb' })).statusCode).toBe(400);
    // outside the server's media root: refused, nothing written
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-acc-outside-'));
    expect((await akari.post(`/accountant/batches/${INSTRUCTION}/write`, { _csrf: akari.csrf, destination: 'media', mediaDir: outside })).statusCode).toBe(400);
    expect(fs.readdirSync(outside)).toEqual([]);
    const mediaDir = fs.mkdtempSync(path.join(mediaRoot, 'usb-'));
    await akari.get(`/batches/${INSTRUCTION}`);
    const mjob = await finished(jobOf(await akari.post(`/accountant/batches/${INSTRUCTION}/write`, { _csrf: akari.csrf, destination: 'media', mediaDir })));
    expect(mjob.state, JSON.stringify(mjob.error)).toBe('done');
    expect(Buffer.compare(fs.readFileSync(path.join(mediaDir, path.basename(cliFile))), fs.readFileSync(path.resolve(copy, cliFile)))).toBe(0);
    // a seizure batch is the collector's to write
    expect((await akari.post(`/accountant/batches/${IMMEDIATE}/write`, { _csrf: akari.csrf, destination: 'download' })).statusCode).toBe(409);
    const d = new Database(db, { readonly: true });
    expect((d.prepare('SELECT state FROM batches WHERE id = ?').get(INSTRUCTION) as { state: string }).state).toBe('written');
    expect((d.prepare("SELECT operator FROM audit_log WHERE action = 'batch.write' AND batch_id = ?").get(INSTRUCTION) as { operator: string }).operator).toBe('akari');
    d.close();
  });

  it('reconcile: a held batch with unresolved holds fails with the three counts; a batch with results is reconciled, its summary shown and linked', async () => {
    const held = await finished(jobOf(await (async () => (await akari.get('/accountant/reconcile'), akari.post(`/accountant/batches/${HELD}/reconcile`, { _csrf: akari.csrf })))()));
    expect(held.state).toBe('failed');
    const heldPage = await akari.get(`/jobs/${held.id}`);
    expect(heldPage.body).toMatch(/未解決の差押が \d+ 件あります（指示なし \d+ 件、指示済・結果待ち \d+ 件、未処理 99 \d+ 件）/);

    const list = await akari.get('/accountant/reconcile');
    expect(list.body).toContain(`action="/accountant/batches/${IMMEDIATE}/reconcile"`);
    const job = await finished(jobOf(await akari.post(`/accountant/batches/${IMMEDIATE}/reconcile`, { _csrf: akari.csrf, policy: 'statutory-oldest-first' })));
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const c = cliCopy(['reconcile', IMMEDIATE, '--json']);
    expect(c.status, c.stderr).toBe(0);
    const cj = JSON.parse(c.stdout) as { receipts: { count: number; entaikin: number } };
    expect((job.result as { receipts: unknown }).receipts).toEqual(cj.receipts);
    const page = await akari.get(`/jobs/${job.id}`);
    expect(page.body).toContain('延滞金');
    expect(page.body).toContain(`href="/batches/${IMMEDIATE}"`);
    expect(page.body).toContain(`バッチ ${IMMEDIATE} を消込しました`);
  });

  it('the report CSV is the bytes of report --csv; the xlsx and html download; export receipts gives the CSV', async () => {
    const out = path.join(copy, 'r.csv');
    const c = cliCopy(['report', IMMEDIATE, '--csv', out]);
    expect(c.status, c.stderr).toBe(0);
    const web = await akari.get(`/accountant/batches/${IMMEDIATE}/report.csv`);
    expect(web.statusCode).toBe(200);
    expect(web.headers['content-disposition']).toContain(`report-${IMMEDIATE}.csv`);
    expect(Buffer.compare(web.rawPayload, fs.readFileSync(out))).toBe(0);
    const x = await akari.get(`/accountant/batches/${IMMEDIATE}/report.xlsx`);
    expect(x.statusCode).toBe(200);
    expect(x.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const hres = await akari.get(`/accountant/batches/${IMMEDIATE}/report.html`);
    expect(hres.statusCode).toBe(200);
    expect(hres.body).toContain('<!DOCTYPE html>');
    expect((await akari.get(`/accountant/batches/${INSTRUCTION}/report.xlsx`)).statusCode).toBe(409);
    // nothing left behind in the server's folder
    expect(fs.readdirSync(app.sashiosae.tmpRoot).filter((n) => n.startsWith('report-'))).toEqual([]);

    await akari.get(`/batches/${IMMEDIATE}`);
    const job = await finished(jobOf(await akari.post(`/accountant/batches/${IMMEDIATE}/export`, { _csrf: akari.csrf, format: 'csv', encoding: 'utf8bom' })));
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const file = await akari.get(`/jobs/${job.id}/files/0`);
    expect(file.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect((job.result as { receipts: number }).receipts).toBe(file.body.trim().split('\n').length - 1);
  });

  it('documents: without settings and without draft the step’s exit 2 message; as draft PDFs and index CSVs to download', async () => {
    const batchPage = await akari.get(`/batches/${IMMEDIATE}`);
    expect(batchPage.body).toContain(`action="/accountant/batches/${IMMEDIATE}/documents"`);
    const post = (body: string) =>
      app.inject({ method: 'POST', url: `/accountant/batches/${IMMEDIATE}/documents`, headers: { cookie: akari.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${encodeURIComponent(akari.csrf)}&${body}` });
    const refused = await finished(jobOf(await post('kind=seizure-record')));
    expect(refused.state).toBe('failed');
    expect((refused.error as { exit?: number }).exit).toBe(2);
    expect((await akari.get(`/jobs/${refused.id}`)).body).toContain('終了コード 2');

    const job = await finished(jobOf(await post('kind=seizure-record&kind=notice&draft=1')));
    expect(job.state, JSON.stringify(job.error)).toBe('done');
    const r = job.result as { documents: Array<{ kind: string; pages: number; requests: number }>; files: Array<{ name: string }> };
    expect(r.documents.map((d) => d.kind)).toEqual(['seizure-record', 'notice']);
    // the job's progress counted every request laid out, of the kinds' requests
    const laidOut = r.documents.reduce((n, d) => n + d.requests, 0);
    expect(job.progress).toMatchObject({ done: laidOut, total: laidOut });
    expect(r.files.map((f) => f.name)).toEqual(['seizure-record.pdf', 'index-seizure-record.csv', 'notice.pdf', 'index-notice.csv']);
    for (const [k, d] of r.documents.entries()) {
      const pdf = await akari.get(`/jobs/${job.id}/files/${2 * k}`);
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      const index = await akari.get(`/jobs/${job.id}/files/${2 * k + 1}`);
      expect(index.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).length - 1).toBe(d.pages);
      expect(d.pages).toBeGreaterThan(0);
    }
    expect((await akari.get(`/jobs/${job.id}`)).body).toContain('見本');
  });
});
