import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareWebDemo, type WebDemo } from '../../src/demo/web.js';
import { registerDemoBank } from '../../src/cli/demo-bank.js';
import { buildServer } from '../../src/server/index.js';
import { Browser, cli } from '../server/helpers.js';

/** Build a multipart body by hand (one file field and the CSRF token in the URL). */
function multipartFile(field: string, name: string, bytes: Buffer): { body: Buffer; type: string } {
  const boundary = '----sashiosae' + Math.random().toString(16).slice(2);
  const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${field}"; filename="${name}"\r\ncontent-type: application/octet-stream\r\n\r\n`);
  return { body: Buffer.concat([head, bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

/**
 * `demo --web` (issue 18): the folder a newcomer works from — export files, books, the
 * database with settings and one user of each role — and the simulated bank page, whose
 * answer the application then imports.
 */
describe('the web demo', () => {
  let demo: WebDemo;
  let app: FastifyInstance;
  beforeAll(async () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-')), 'web');
    demo = await prepareWebDemo({ dir, taxpayers: 60, seed: 7, operator: 'test' });
    app = await buildServer({ db: demo.db, extend: (a, ctx) => registerDemoBank(a, ctx, demo) });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('prepares the export to upload (no accounts.csv), the books, and four users whose passwords sign in; users.txt is 0600', async () => {
    for (const f of Object.values(demo.exportFiles)) expect(fs.existsSync(f)).toBe(true);
    expect(fs.existsSync(path.join(demo.dir, 'export', 'accounts.csv'))).toBe(false);
    expect(Object.keys(demo.books).length).toBeGreaterThan(0);
    expect(demo.users.map((u) => u.role).sort()).toEqual(['accountant', 'admin', 'collector', 'liaison']);
    expect(fs.statSync(path.join(demo.dir, 'users.txt')).mode & 0o777).toBe(0o600);
    for (const u of demo.users) {
      const b = new Browser(app, { [u.name]: u.password });
      expect((await b.login(u.name)).statusCode).toBe(303);
    }
  });

  it('the simulated bank page answers an inquiry file the application wrote; the answer imports', async () => {
    const env = { SASHIOSAE_TODAY: demo.today };
    const run = (args: string[]) => {
      const r = cli(demo.dir, demo.db, args, '', env);
      expect(r.status, `${args.join(' ')}\n${r.stderr}`).toBe(0);
      return r;
    };
    run(['import', 'targets', '--taxpayers', demo.exportFiles.taxpayers, '--debts', demo.exportFiles.debts, '--payments', demo.exportFiles.payments, '--as-of', demo.today]);
    run(['inquire', '--date', demo.inquiryBaseDate]);
    const batches = JSON.parse(run(['--json', 'batches']).stdout) as { batches: { id: string }[] };
    const id = batches.batches[0]!.id;
    fs.mkdirSync(path.join(demo.dir, 'usb'));
    run(['write', id, '--media', path.join(demo.dir, 'usb')]);
    const written = fs.readdirSync(path.join(demo.dir, 'usb')).find((f) => f.startsWith('INQ_') && f.endsWith('.DAT'))!;

    const b = new Browser(app, { riko: demo.users.find((u) => u.name === 'riko')!.password });
    await b.login('riko');
    const page = await b.get('/demo/bank');
    expect(page.body).toContain('模擬');
    // every signed-in role finds the bank in the header
    expect((await b.get('/')).body).toContain('<a href="/demo/bank"');
    const m = multipartFile('file', written, fs.readFileSync(path.join(demo.dir, 'usb', written)));
    const res = await app.inject({ method: 'POST', url: `/demo/bank?_csrf=${encodeURIComponent(b.csrf)}`, headers: { cookie: b.cookie, 'content-type': m.type }, payload: m.body });
    expect(res.statusCode, res.body).toBe(200);
    const link = /href="(\/demo\/bank\/[^"]+\/0)" download>([^<]+)</.exec(res.body);
    expect(link).not.toBeNull();
    expect(link![2]).toBe(written.replace(/\.DAT$/, '') + '.ANSWER.DAT');
    const answer = await b.get(link![1]!);
    expect(answer.statusCode).toBe(200);
    const answerFile = path.join(demo.dir, 'answer.DAT');
    fs.writeFileSync(answerFile, answer.rawPayload);
    const imported = JSON.parse(run(['--json', 'import', 'answers', answerFile]).stdout) as { inquiries: number };
    expect(imported.inquiries).toBeGreaterThan(0);

    // a file that is not a request: the simulator's own refusal, shown on the page (400), nothing offered
    const bad = multipartFile('file', 'notes.txt', Buffer.from('hello\n'));
    const refused = await app.inject({ method: 'POST', url: `/demo/bank?_csrf=${encodeURIComponent(b.csrf)}`, headers: { cookie: b.cookie, 'content-type': bad.type }, payload: bad.body });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain('/demo/bank/');
  });
});
