import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchState, cli, dbWithExtractedBatches, HAS_CHROMIUM, launchBrowser, newContext, signIn, startServer, type RunningServer } from './harness.js';

/**
 * Issue 18's HTTP contract as a real browser meets it (chromium, the real server): a
 * cross-site POST, framing by another site, the lockout page, the CSP against inline
 * scripts, the HttpOnly session cookie. The server is on 127.0.0.1; "another site" is a
 * little server on 127.0.0.2 (for IP hosts the site is the host itself, so the two are
 * cross-site to the browser, as another machine's page would be).
 */
const BATCH = '0184-00000001';
const LOCKY = { name: 'locky', password: 'lockout-password-4444' };

/** The other site: a page that auto-submits a form to the application, and one that frames it. */
function otherSite(app: string): http.Server {
  return http.createServer((req, res) => {
    const page = (body: string) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>other site</title></head><body>${body}</body></html>`);
    };
    if (req.url === '/cancel')
      return page(`<form id="f" method="post" action="${app}/api/batches/${BATCH}/cancel"><input type="hidden" name="reason" value="cross-site"></form><script>document.getElementById('f').submit()</script>`);
    if (req.url === '/logout') return page(`<form id="f" method="post" action="${app}/logout"></form><script>document.getElementById('f').submit()</script>`);
    if (req.url === '/link') return page(`<a id="go" href="${app}/batches/${BATCH}">the application</a>`);
    if (req.url === '/frame') return page(`<h1>other site</h1><iframe id="app" src="${app}/login" width="600" height="400"></iframe>`);
    res.writeHead(404).end();
  });
}

describe.skipIf(!HAS_CHROMIUM)('the HTTP contract in a real browser (chromium)', () => {
  let dir: string;
  let db: string;
  let server: RunningServer;
  let browser: Browser;
  let other: http.Server;
  let otherUrl: string;

  beforeAll(async () => {
    ({ dir, db } = dbWithExtractedBatches());
    const r = cli(dir, db, ['--operator', 'admin', 'users', 'add', LOCKY.name, '--role', 'collector'], LOCKY.password + '\n');
    expect(r.status, r.stderr).toBe(0);
    [server, browser] = await Promise.all([startServer(db), launchBrowser()]);
    other = otherSite(server.url);
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.2', resolve));
    otherUrl = `http://127.0.0.2:${(other.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (other ? other.close(resolve) : resolve(undefined)));
    if (server) expect(await server.stop()).toBe(0);
  });

  it('the session cookie is HttpOnly and SameSite=Strict: the page’s own script cannot read it', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const res = await signIn(page, server.url, 'kaito');
    expect(res.status()).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/');
    const cookie = (await ctx.cookies()).find((c) => c.name === 'sashiosae_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    const seen = (await page.evaluate('document.cookie')) as string;
    expect(seen).not.toContain('sashiosae_session');
    expect(seen).not.toContain(cookie!.value);
    await ctx.close();
  });

  it('a cross-site form POST to cancel a batch is refused: the browser does not send the session cookie (SameSite=Strict) → 401, the batch stays extracted', async () => {
    const ctx = await newContext(browser);
    const app = await ctx.newPage();
    await signIn(app, server.url, 'kaito');
    const evil = await ctx.newPage();
    const [res] = await Promise.all([
      evil.waitForResponse((r) => r.url() === `${server.url}/api/batches/${BATCH}/cancel`),
      evil.goto(`${otherUrl}/cancel`),
    ]);
    const sent = await res.request().allHeaders();
    expect(sent['origin']).toBe(otherUrl);
    expect(sent['cookie'] ?? '', 'no session cookie on a cross-site POST').not.toContain('sashiosae_session');
    expect(res.status()).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'auth.required' } });
    expect(batchState(dir, db, BATCH)).toBe('extracted');

    // the 401 set no cookie: the user is still signed in
    expect(res.headers()['set-cookie']).toBeUndefined();
    await app.goto(`${server.url}/`);
    expect(new URL(app.url()).pathname).toBe('/');

    // the same form without the token posted from the application's own origin: the cookie is sent, the CSRF check refuses (403)
    const [own] = await Promise.all([
      app.waitForResponse((r) => r.url() === `${server.url}/api/batches/${BATCH}/cancel`),
      // a form made in the page (no _csrf field) and submitted, as a script of this origin would
      app.evaluate(`(() => { const f = document.createElement('form'); f.method = 'post'; f.action = '/api/batches/${BATCH}/cancel'; document.body.append(f); f.submit(); })()`),
    ]);
    expect((await own.request().allHeaders())['cookie']).toContain('sashiosae_session');
    expect(own.status()).toBe(403);
    expect(await own.json()).toMatchObject({ error: { code: 'auth.csrf' } });
    expect(batchState(dir, db, BATCH)).toBe('extracted');
    await ctx.close();
  });

  it('a cross-site form POST to /logout does not reach the session: the browser sends no session cookie', async () => {
    const ctx = await newContext(browser);
    const app = await ctx.newPage();
    await signIn(app, server.url, 'kaito');
    const evil = await ctx.newPage();
    const [res] = await Promise.all([evil.waitForResponse((r) => r.url() === `${server.url}/logout`), evil.goto(`${otherUrl}/logout`)]);
    expect((await res.request().allHeaders())['cookie'] ?? '').not.toContain('sashiosae_session');
    expect(res.status()).toBe(303);
    expect(res.headers()['location']).toBe('/login');
    await ctx.close();
  });

  /**
   * Found by this file (it was a known issue): a request from another site carries no
   * SameSite=Strict cookie, and the server used to answer it with a new session cookie (an
   * empty session saved, or the sign-in page's CSRF secret) that replaced the signed-in user's
   * in the browser — any other site's form or link signed the user out. Now nothing is stored
   * for a session that holds nothing, and a cross-site GET gets a page that reloads itself from
   * the application's own site, where the cookie is sent.
   */
  it('after another site’s POST and after following a link from another site the user stays signed in', async () => {
    const ctx = await newContext(browser);
    const app = await ctx.newPage();
    await signIn(app, server.url, 'kaito');
    const evil = await ctx.newPage();
    await Promise.all([evil.waitForResponse((r) => r.url() === `${server.url}/api/batches/${BATCH}/cancel`), evil.goto(`${otherUrl}/cancel`)]);
    await app.goto(`${server.url}/`);
    expect(new URL(app.url()).pathname, 'after another site posted to the application').toBe('/');
    // a link on another site (an intranet portal) to a batch's page: the page, signed in
    await evil.goto(`${otherUrl}/link`);
    await Promise.all([evil.waitForURL(`${server.url}/batches/${BATCH}`), evil.click('#go')]);
    await evil.waitForSelector('text=kaito');
    expect(new URL(evil.url()).pathname).toBe(`/batches/${BATCH}`);
    await app.goto(`${server.url}/`);
    expect(new URL(app.url()).pathname, 'after following another site’s link').toBe('/');
    await ctx.close();
  });

  it('another site cannot frame the application (frame-ancestors none): the frame stays without the page', async () => {
    const ctx = await newContext(browser);
    const evil = await ctx.newPage();
    const refused: string[] = [];
    evil.on('console', (m) => refused.push(m.text()));
    await evil.goto(`${otherUrl}/frame`);
    await evil.waitForLoadState('load');
    const frame = evil.frames().find((f) => f !== evil.mainFrame());
    expect(frame).toBeDefined();
    expect(await frame!.locator('form[action^="/login"]').count()).toBe(0);
    expect(await frame!.locator('text=サインイン').count()).toBe(0);
    expect(frame!.url()).not.toBe(`${server.url}/login`);
    expect(refused.join('\n')).toMatch(/frame-ancestors 'none'/);
    await ctx.close();
  });

  it('after 5 wrong passwords the 6th sign-in, with the right password, shows the 429 page in Japanese', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    for (let i = 0; i < 5; i++) {
      const res = await signIn(page, server.url, LOCKY.name, `wrong-password-${i}-xxxx`);
      expect(res.status(), `attempt ${i + 1}`).toBe(401);
      await expect(page.locator('[role=alert]').textContent()).resolves.toBe('利用者名またはパスワードが違います');
    }
    const res = await signIn(page, server.url, LOCKY.name, LOCKY.password);
    expect(res.status()).toBe(429);
    expect(Number(res.headers()['retry-after'])).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await expect(page.locator('[role=alert]').textContent()).resolves.toMatch(/^サインインの失敗が続いたため、この利用者は約 1?\d 分間サインインできません$/);
    expect((await ctx.cookies()).some((c) => c.name === 'sashiosae_session')).toBe(true); // a session, but no user in it:
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await ctx.close();
  });

  it('a user name with markup is refused by users add; an inline script put into a page is blocked by the CSP (nothing runs)', async () => {
    const r = cli(dir, db, ['--operator', 'admin', 'users', 'add', '<script>alert(1)</script>', '--role', 'collector'], 'a-long-enough-password\n');
    expect(r.status).toBe(2);
    expect(cli(dir, db, ['users', 'list', '--json']).stdout).not.toContain('script');

    // the page as the server sends it (headers and all), with markup injected as if a value had carried it
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    const console: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    await page.route(`${server.url}/login`, async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(
        '</main>',
        '<p id="injected">&lt;script&gt;</p><script>window.__inline = 1; document.title = "ran"</script><img src="/none.png" onerror="window.__onerror = 1"><div onclick="window.__click = 1" id="clicky">x</div></main>',
      );
      await route.fulfill({ response, body });
    });
    const res = await page.goto(`${server.url}/login`);
    expect(res!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('#clicky').click();
    await page.waitForLoadState('load');
    expect(await page.locator('#injected').textContent()).toBe('<script>');
    expect(await page.evaluate('[typeof window.__inline, typeof window.__onerror, typeof window.__click]')).toEqual(['undefined', 'undefined', 'undefined']);
    expect(await page.title()).not.toBe('ran');
    expect(console.join('\n')).toMatch(/Content Security Policy/);
    await ctx.close();
  });
});
