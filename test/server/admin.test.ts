import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/index.js';
import { nextStepLink } from '../../src/server/next-step.js';
import { nextStepMsg } from '../../src/domain/vocabulary.js';
import { runWalkthrough } from '../readme/run-walkthrough.js';
import { Browser, cli, freshServerDb, multipart, PASSWORDS, USERS } from './helpers.js';

/**
 * The admin's pages (issue 18): settings shown and loaded as the CLI does, users added and
 * disabled with every refusal, the password nowhere but its hash, other roles 403; and the
 * English switch over every page the foundation and the admin render.
 */

const SAMPLE = path.resolve(__dirname, '../../samples/settings.json');
const NEW_PASSWORD = 'brand-new-secret-7Q!x';

/** Every answer's body the tests received: the new password must be in none. */
const bodies: string[] = [];
const keep = (r: LightMyRequestResponse) => {
  bodies.push(r.body, JSON.stringify(r.headers));
  return r;
};

async function upload(app: FastifyInstance, b: Browser, name: string, content: string, field = 'settings'): Promise<LightMyRequestResponse> {
  const m = multipart({}, [{ field, name, content, type: 'application/json' }]);
  return keep(await app.inject({ method: 'POST', url: `/admin/settings?_csrf=${encodeURIComponent(b.csrf)}`, headers: { cookie: b.cookie, ...m.headers }, payload: m.payload }));
}

/** Load a settings file through the page: 303 to its job's page; the job once ended and its page. */
async function loadThrough(app: FastifyInstance, b: Browser, name: string, content: string) {
  const res = await upload(app, b, name, content);
  expect(res.statusCode, res.body).toBe(303);
  const id = /^\/jobs\/([\w-]+)$/.exec(String(res.headers.location))![1]!;
  const job = await app.sashiosae.jobs.finished(id);
  return { job, page: keep(await b.get(`/jobs/${id}`)) };
}

function showJson(dir: string, db: string): Record<string, unknown> {
  const r = cli(dir, db, ['settings', 'show', '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

/** settings show --json without the times of storing (two databases loaded at different moments). */
const timeless = (doc: Record<string, unknown>) => ({ ...doc, banks: (doc['banks'] as Array<Record<string, unknown>>).map(({ updatedAt: _u, ...rest }) => rest) });

function count(db: string, sql: string): number {
  const d = new Database(db, { readonly: true });
  try {
    return (d.prepare(sql).get() as { n: number }).n;
  } finally {
    d.close();
  }
}

describe('the admin’s pages (issue 18)', () => {
  let dir: string;
  let db: string;
  let app: FastifyInstance;
  let log: string;
  let sora: Browser;

  beforeAll(async () => {
    ({ dir, db } = freshServerDb());
    log = path.join(dir, 'server.log');
    process.env['SASHIOSAE_LOG'] = log;
    app = await buildServer({ db });
    sora = new Browser(app, PASSWORDS);
    expect((await sora.login('sora')).statusCode).toBe(303);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    delete process.env['SASHIOSAE_LOG'];
  });

  it('the settings page shows the stored settings as settings show does (account masked, uploadLimitMB)', async () => {
    const empty = keep(await sora.get('/admin/settings'));
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('設定された金融機関はありません');
    expect(empty.body).toContain('200 MB');
    const r = cli(dir, db, ['--operator', 'sora', 'settings', 'load', SAMPLE]);
    expect(r.status, r.stderr).toBe(0);
    const page = keep(await sora.get('/admin/settings'));
    const doc = showJson(dir, db) as { banks: Array<{ bankCode: string; bankName: string; depositAccountNumber: string; requesterCode: string }>; uploadLimitMB: number };
    expect(doc.uploadLimitMB).toBe(200);
    for (const b of doc.banks) {
      for (const v of [b.bankCode, b.bankName, b.requesterCode, b.depositAccountNumber]) expect(page.body).toContain(v);
    }
    // the city's own account numbers only masked
    expect(page.body).not.toContain('1234567');
    expect(page.body).not.toContain('2345678');
    // the default protected patterns are shown with the extra ones
    expect(page.body).toContain('ﾈﾝｷﾝ');
    expect(page.body).toMatch(/action="\/admin\/settings\?_csrf=[^"]+" enctype="multipart\/form-data"/);
    expect(page.body).toContain('name="settings"');
  });

  it('a refused settings file shows its findings with their JSON paths and the browser’s file name; nothing is stored', async () => {
    const before = showJson(dir, db);
    const audits = count(db, 'SELECT count(*) AS n FROM audit_log');
    const bad = { uploadLimitMB: 99, banks: [{ bankCode: '0184', requesterCode: '12', requesterName: 'ｶｺﾞｼﾏｼ', depositBranch: '100', depositAccountType: '1', depositAccountNumber: '1234567', colour: 'red' }] };
    await sora.get('/admin/settings');
    const res = await loadThrough(app, sora, '新しい設定.json', JSON.stringify(bad));
    expect(res.job.state).toBe('failed');
    expect(res.page.body).toContain('settings.invalid');
    expect(res.page.body).toContain('banks.0.requesterCode');
    expect(res.page.body).toContain('banks.0.colour');
    expect(res.page.body).toContain('新しい設定.json');
    expect(res.page.body).not.toMatch(/\d+\.upload/);
    // not JSON at all
    const notJson = await loadThrough(app, sora, 'broken.json', '{"banks": [');
    expect(notJson.job.state).toBe('failed');
    expect(notJson.page.body).toContain('settings.json');
    expect(notJson.page.body).toContain('broken.json');
    // no file in the form
    const none = await upload(app, sora, 'x.json', '{}', 'other');
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('admin.no-file');
    expect(showJson(dir, db)).toEqual(before);
    expect(count(db, 'SELECT count(*) AS n FROM audit_log')).toBe(audits);
    // the uploads are gone from the server's private folder
    await app.sashiosae.jobs.idle();
    expect(fs.readdirSync(app.sashiosae.tmpRoot).filter((f) => f.startsWith('up-'))).toEqual([]);
  });

  it('a good settings file is stored as settings load stores it (settings show --json the same), audited under the admin', async () => {
    const file = {
      authority: '鹿児島市長　○○○○',
      collector: '徴収職員　○○○○',
      uploadLimitMB: 50,
      protectedPatterns: [{ kind: '給与', pattern: 'ｷﾕｳﾖ' }],
      banks: JSON.parse(fs.readFileSync(SAMPLE, 'utf8')).banks,
    };
    await sora.get('/admin/settings');
    const res = await loadThrough(app, sora, 'settings.json', JSON.stringify(file));
    expect(res.job.state).toBe('done');
    expect(res.page.body).toContain('追加の摘要パターン: 1 件を保存');
    expect(res.page.body).toContain('<code>authority</code>');
    const shown = keep(await sora.get('/admin/settings'));
    expect(shown.body).toContain('50 MB');
    expect(shown.body).toContain('ｷﾕｳﾖ');
    expect(shown.body).toContain('鹿児島市長　○○○○');
    // the same file through the CLI on a database of its own
    const other = freshServerDb();
    const fileOnDisk = path.join(other.dir, 'settings.json');
    fs.writeFileSync(fileOnDisk, JSON.stringify(file));
    const r = cli(other.dir, other.db, ['settings', 'load', fileOnDisk]);
    expect(r.status, r.stderr).toBe(0);
    const web = showJson(dir, db);
    expect(web['uploadLimitMB']).toBe(50);
    expect(timeless(web)).toEqual(timeless(showJson(other.dir, other.db)));
    expect(app.sashiosae.uploadLimitMB()).toBe(50);
    const d = new Database(db, { readonly: true });
    const row = d.prepare("SELECT operator, details FROM audit_log WHERE action = 'settings.load' ORDER BY id DESC LIMIT 1").get() as { operator: string; details: string };
    d.close();
    expect(row.operator).toBe('sora');
    expect(JSON.parse(row.details)).toMatchObject({ file: expect.stringMatching(/\.upload$/), uploadLimitMB: 50 });
    // the text of settings show names the limit too
    expect(cli(dir, db, ['settings', 'show']).stdout).toContain('Web アプリのアップロード上限（uploadLimitMB）: 50 MB');
    expect(cli(dir, db, ['--lang', 'en', 'settings', 'show']).stdout).toContain('web application upload limit (uploadLimitMB): 50 MB');
  });

  it('users: the list as users list (never a hash); add with every refusal → 400 and nothing stored; added → signs in, audited under the admin', async () => {
    const list = keep(await sora.get('/admin/users'));
    expect(list.statusCode).toBe(200);
    for (const name of Object.keys(USERS)) expect(list.body).toContain(`<td>${name}</td>`);
    expect(list.body).not.toContain('scrypt');
    expect(list.body).toContain('<select name="role"');
    for (const r of ['collector', 'liaison', 'accountant', 'admin']) expect(list.body).toContain(`<option value="${r}"`);
    expect(list.body).toContain('name="password" type="password"');
    const users = () => count(db, 'SELECT count(*) AS n FROM users');
    const n = users();
    const refusals: Array<[Record<string, string>, string]> = [
      [{ name: 'mika', role: 'liaison', password: 'short-pw' }, 'users.password-policy'],
      [{ name: 'kaito', role: 'liaison', password: NEW_PASSWORD }, 'users.exists'],
      [{ name: 'mika', role: 'boss', password: NEW_PASSWORD }, 'users.bad-role'],
      [{ name: 'mi ka', role: 'liaison', password: NEW_PASSWORD }, 'users.bad-name'],
    ];
    for (const [form, code] of refusals) {
      await sora.get('/admin/users');
      const res = keep(await sora.post('/admin/users', { ...form, _csrf: sora.csrf }));
      expect(res.statusCode, code).toBe(400);
      expect(res.body).toContain(code);
      // the form again with what was typed, except the password
      expect(res.body).toContain('name="name"');
      expect(res.body).not.toContain(form['password']!);
    }
    expect(users()).toBe(n);
    await sora.get('/admin/users');
    const ok = keep(await sora.post('/admin/users', { name: 'mika', role: 'liaison', password: NEW_PASSWORD, _csrf: sora.csrf }));
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('<td>mika</td>');
    expect(users()).toBe(n + 1);
    const mika = new Browser(app, { mika: NEW_PASSWORD });
    expect((await mika.login('mika')).statusCode).toBe(303);
    const d = new Database(db, { readonly: true });
    const row = d.prepare("SELECT operator, details FROM audit_log WHERE action = 'users.add' ORDER BY id DESC LIMIT 1").get() as { operator: string; details: string };
    d.close();
    expect(row.operator).toBe('sora');
    expect(JSON.parse(row.details)).toEqual({ user: 'mika', role: 'liaison' });
  });

  it('disable: without the confirmation, oneself or an unknown user → 400 and nothing changes; with it the user’s session ends', async () => {
    const mika = new Browser(app, { mika: NEW_PASSWORD });
    expect((await mika.login('mika')).statusCode).toBe(303);
    expect((await mika.get('/')).statusCode).toBe(200);
    const disabled = () => count(db, 'SELECT count(*) AS n FROM users WHERE disabled = 1');
    const before = disabled();
    await sora.get('/admin/users');
    const noConfirm = keep(await sora.post('/admin/users/mika/disable', { _csrf: sora.csrf }));
    expect(noConfirm.statusCode).toBe(400);
    expect(noConfirm.body).toContain('admin.confirm-required');
    const self = keep(await sora.post('/admin/users/sora/disable', { confirm: '1', _csrf: sora.csrf }));
    expect(self.statusCode).toBe(400);
    expect(self.body).toContain('admin.self-disable');
    const unknown = keep(await sora.post('/admin/users/nobody/disable', { confirm: '1', _csrf: sora.csrf }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('users.not-found');
    expect(disabled()).toBe(before);
    expect((await mika.get('/')).statusCode).toBe(200);
    const res = keep(await sora.post('/admin/users/mika/disable', { confirm: '1', _csrf: sora.csrf }));
    expect(res.statusCode).toBe(200);
    expect(disabled()).toBe(before + 1);
    // mika's session ends at once, and she cannot sign in again
    const after = await mika.get('/');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/login');
    expect((await new Browser(app, { mika: NEW_PASSWORD }).login('mika')).statusCode).toBe(401);
    // the list says so, and offers no disable form for her or for oneself
    const list = await sora.get('/admin/users');
    expect(list.body).not.toContain('action="/admin/users/mika/disable"');
    expect(list.body).not.toContain('action="/admin/users/sora/disable"');
    expect(list.body).toContain('action="/admin/users/kaito/disable"');
    const d = new Database(db, { readonly: true });
    const row = d.prepare("SELECT operator, details FROM audit_log WHERE action = 'users.disable' ORDER BY id DESC LIMIT 1").get() as { operator: string; details: string };
    d.close();
    expect(row).toEqual({ operator: 'sora', details: JSON.stringify({ user: 'mika' }) });
  });

  it('the new password is in no answer, no audit entry, no log line and nowhere in the database but as its hash', async () => {
    expect(bodies.length).toBeGreaterThan(10);
    for (const b of bodies) expect(b).not.toContain(NEW_PASSWORD);
    const d = new Database(db, { readonly: true });
    const audits = d.prepare('SELECT * FROM audit_log').all();
    const hash = (d.prepare("SELECT password_hash AS h FROM users WHERE name = 'mika'").get() as { h: string }).h;
    const tables = (d.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    const everything = tables.map((t) => JSON.stringify(d.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
    d.close();
    expect(JSON.stringify(audits)).not.toContain(NEW_PASSWORD);
    expect(hash).not.toContain(NEW_PASSWORD);
    expect(hash.length).toBeGreaterThan(20);
    expect(everything).toContain(hash);
    expect(everything).not.toContain(NEW_PASSWORD);
    for (const f of [db, `${db}-wal`]) if (fs.existsSync(f)) expect(fs.readFileSync(f).includes(Buffer.from(NEW_PASSWORD))).toBe(false);
    // the audit wrote its lines to the log: none carries the password
    expect(fs.readFileSync(log, 'utf8')).toContain('users.add');
    expect(fs.readFileSync(log, 'utf8')).not.toContain(NEW_PASSWORD);
  });

  it('a collector gets 403 on every admin route, and nothing changes', async () => {
    const kaito = new Browser(app, PASSWORDS);
    expect((await kaito.login('kaito')).statusCode).toBe(303);
    const settings = showJson(dir, db);
    const snapshot = () => [count(db, 'SELECT count(*) AS n FROM users'), count(db, 'SELECT count(*) AS n FROM users WHERE disabled = 1'), count(db, 'SELECT count(*) AS n FROM audit_log')];
    const before = snapshot();
    expect((await kaito.get('/admin/settings')).statusCode).toBe(403);
    expect((await kaito.get('/admin/users')).statusCode).toBe(403);
    expect((await kaito.post('/admin/users', { name: 'eve', role: 'admin', password: 'eve-password-123', _csrf: kaito.csrf })).statusCode).toBe(403);
    expect((await kaito.post('/admin/users/sora/disable', { confirm: '1', _csrf: kaito.csrf })).statusCode).toBe(403);
    const up = await upload(app, kaito, 'settings.json', JSON.stringify({ uploadLimitMB: 1, banks: JSON.parse(fs.readFileSync(SAMPLE, 'utf8')).banks }));
    expect(up.statusCode).toBe(403);
    expect(snapshot()).toEqual(before);
    expect(showJson(dir, db)).toEqual(settings);
    // and the header offers them no admin link
    const home = await kaito.get('/');
    expect(home.body).not.toContain('href="/admin/');
    expect((await sora.get('/')).body).toContain('href="/admin/users"');
  });
});

/** Japanese words of the application's own interface that an English page must not show. */
const JAPANESE_UI = ['バッチ一覧', '次の手順', 'サインアウト', 'サインイン', '利用者', '管理者', '設定', '状態', '作成日', '本文へ', 'メニュー', '差押 sashiosae', '（', '）', '、', 'ダウンロード', '指摘', '終了コード', '読み込む', '追加する', '無効', '有効', '絞り込む', 'すべて', '件'];

describe('the English switch and the batch list (issue 18)', () => {
  let dir: string;
  let db: string;
  let app: FastifyInstance;

  beforeAll(async () => {
    ({ dir } = runWalkthrough('walkthrough-inquiry'));
    db = path.join(dir, 'inquiry.db');
    for (const [name, u] of Object.entries(USERS)) {
      const r = cli(dir, db, ['--operator', 'admin', 'users', 'add', name, '--role', u.role], u.password + '\n');
      expect(r.status, r.stderr).toBe(0);
    }
    app = await buildServer({ db });
  }, 180_000);
  afterAll(async () => {
    await app?.close();
  });

  it('every page after /lang/en is in English: lang="en" and none of the interface’s Japanese words', async () => {
    const anon = new Browser(app, PASSWORDS);
    const sw = await anon.get('/lang/en?back=%2Flogin');
    expect(sw.statusCode).toBe(303);
    expect(sw.headers.location).toBe('/login');
    const pages: Array<[string, LightMyRequestResponse]> = [['/login', await anon.get('/login')]];
    // the cookie carries over the sign-in
    const sora = new Browser(app, PASSWORDS);
    await sora.get('/lang/en?back=%2F');
    expect((await sora.login('sora')).statusCode).toBe(303);
    const done = app.sashiosae.jobs.start({ name: 'test.count', args: { to: 3 }, user: 'sora', action: 'read' });
    const failed = app.sashiosae.jobs.start({ name: 'test.fail', args: {}, user: 'sora', action: 'read' });
    await app.sashiosae.jobs.finished(done.id);
    await app.sashiosae.jobs.finished(failed.id);
    for (const url of ['/', '/?state=written', '/admin/settings', '/admin/users', `/jobs/${done.id}`, `/jobs/${failed.id}`, '/no-such-page', '/jobs/no-such-job']) pages.push([url, await sora.get(url)]);
    await sora.get('/admin/settings');
    const refused = await loadThrough(app, sora, 'bad.json', JSON.stringify({ banks: [{ bankCode: '1' }] }));
    expect(refused.job.state).toBe('failed');
    pages.push(['a refused settings file’s job page', refused.page]);
    await sora.get('/admin/users');
    pages.push(['POST /admin/users (refused)', await sora.post('/admin/users', { name: 'x', role: 'admin', password: 'short', _csrf: sora.csrf })]);
    const kaito = new Browser(app, PASSWORDS);
    await kaito.get('/lang/en?back=%2F');
    await kaito.login('kaito');
    pages.push(['/admin/users as a collector (403)', await kaito.get('/admin/users')]);
    for (const [url, res] of pages) {
      expect(res.body, url).toContain('<html lang="en">');
      for (const w of JAPANESE_UI) expect(res.body, `${url}: ${w}`).not.toContain(w);
    }
    // and back: Japanese again
    await sora.get('/lang/ja?back=%2F');
    expect((await sora.get('/')).body).toContain('<html lang="ja">');
  });

  it('the batch list: a filter by state, the created date, and a link to the next step for the roles that do it', async () => {
    const json = JSON.parse(cli(dir, db, ['batches', '--json']).stdout) as { batches: Array<{ id: string; state: string; createdAt: string; kind: string }> };
    const akari = new Browser(app, PASSWORDS);
    await akari.login('akari');
    const all = await akari.get('/');
    expect(all.body).toContain('<th scope="col">作成日</th>');
    for (const b of json.batches) expect(all.body).toContain(b.createdAt.slice(0, 10));
    expect(all.body).toContain('<caption>');
    // filter: only the batches in that state
    const states = [...new Set(json.batches.map((b) => b.state))];
    expect(states.length).toBeGreaterThan(1);
    for (const s of states) {
      const page = await akari.get(`/?state=${encodeURIComponent(s)}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`<option value="${s}" selected>`);
      for (const b of json.batches) {
        if (b.state === s) expect(page.body).toContain(`href="/batches/${b.id}"`);
        else expect(page.body).not.toContain(`href="/batches/${b.id}"`);
      }
    }
    // the next step's page, shown to the role that does it and to no other
    const links = json.batches.map((b) => nextStepLink({ id: b.id, kind: b.kind, state: b.state } as never));
    expect(links.some((l) => l !== null)).toBe(true);
    const pagesByRole: Record<string, string> = {};
    for (const name of ['kaito', 'riko', 'akari', 'sora']) {
      const br = new Browser(app, PASSWORDS);
      await br.login(name);
      pagesByRole[USERS[name]!.role] = (await br.get('/')).body;
    }
    expect(pagesByRole['admin']).not.toContain('class="next');
    // the pages' words with who does it, never a command name
    expect(pagesByRole['admin']).toMatch(/（(徴収担当|金融機関連絡担当|会計担当)）/);
    expect(pagesByRole['admin']).not.toMatch(/import results|export receipts|extract（|write（/);
    const anyLink = Object.values(pagesByRole).some((p) => p.includes('class="next no-print"'));
    expect(anyLink).toBe(true);
    // a written inquiry or seizure batch: the liaison's upload page with its kind
    const written = json.batches.find((b) => b.state === 'written');
    if (written !== undefined) {
      const href = written.kind === 'inquiry' ? '/liaison/upload?kind=answers' : '/liaison/upload?kind=results';
      expect(pagesByRole['liaison']).toContain(`href="${href}"`);
      expect(pagesByRole['collector']).not.toContain(`href="${href}"`);
    }
  });

  it('a next-step link exists exactly when the CLI names a next step, for every kind, state and holds', () => {
    const kinds = ['inquiry', 'seizure', 'instruction'];
    const states = ['extracted', 'written', 'answered', 'results-imported', 'reconciled', 'closed', 'cancelled'];
    const holds = [undefined, { instructable: 1, instructed: 0 }, { instructable: 0, instructed: 1 }, { instructable: 0, instructed: 0 }];
    for (const kind of kinds)
      for (const state of states)
        for (const h of holds) {
          const msg = nextStepMsg(kind, state, h);
          const link = nextStepLink({ id: '0184-00000001', kind, state } as never, h);
          expect(link === null, `${kind} ${state} ${JSON.stringify(h)}`).toBe(msg === null);
        }
    expect(nextStepLink({ id: '0184-00000003', kind: 'seizure', state: 'results-imported' } as never, { instructable: 2, instructed: 0 })).toEqual({
      href: '/accountant/holds/0184-00000003',
      action: 'holds',
      label: { ja: '取立保留の確認と取立・解除の指示（会計担当）', en: 'review the held seizures, instruct (accountant)' },
    });
  });

  it('pages carry the landmarks: <main>, a labelled <nav>, captions, and a print stylesheet hiding the header', async () => {
    const sora = new Browser(app, PASSWORDS);
    await sora.login('sora');
    for (const url of ['/', '/admin/settings', '/admin/users']) {
      const res = await sora.get(url);
      expect(res.body, url).toContain('<main id="main">');
      expect(res.body, url).toMatch(/<nav aria-label="[^"]+">/);
      expect(res.body, url).toContain('@media print{header');
      expect(res.body, url).toContain(':focus-visible');
      const tables = res.body.match(/<table/g)?.length ?? 0;
      const captions = res.body.match(/<caption>/g)?.length ?? 0;
      expect(captions, url).toBe(tables);
    }
  });
});
