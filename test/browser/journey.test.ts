import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWalkthrough } from '../readme/run-walkthrough.js';
import { addUsers, CAN_RENDER, expectJapaneseGlyphs, expectNonTrivialPng, launchBrowser, newContext, screenshot, screenshotDir, signIn, startServer, type RunningServer } from './harness.js';

/**
 * The first pieces of the staff's journey in a real browser, on the database of the README's
 * second walkthrough: sign in → batches → a batch's report → English and back → sign out,
 * with the README's screenshots (docs/images/web-*.png when SASHIOSAE_SCREENSHOTS=1, i.e.
 * `npm run screenshots`; a temporary folder otherwise). The role pages' journeys come later.
 */
describe.skipIf(!CAN_RENDER)('the web application in a real browser: sign in, batches, a report, English, sign out', () => {
  let server: RunningServer;
  let browser: Browser;
  const shots = screenshotDir();

  beforeAll(async () => {
    const { dir } = runWalkthrough('walkthrough-inquiry');
    const db = path.join(dir, 'inquiry.db');
    addUsers(dir, db);
    [server, browser] = await Promise.all([startServer(db), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  it('sign-in page → batch list → report of 0184-00000002 (Japanese, real glyphs), English and back, sign out; screenshots', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();

    // without a session every page leads to the sign-in page
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    expect(await page.locator('h1').textContent()).toBe('サインイン');
    await expectJapaneseGlyphs(page, ['差', '押', '利', '用']);
    expectNonTrivialPng(await screenshot(page, shots, 'web-login.png'));

    // sign in: the batch list with each batch's kind, state and next step
    const res = await signIn(page, server.url, 'kaito');
    expect(res.status()).toBe(303);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('h1').textContent()).toBe('バッチ一覧');
    expect(await page.locator('header .who').textContent()).toBe('kaito（徴収担当）');
    const ids = await page.locator('tbody tr td:first-child a').allTextContents();
    expect(ids).toEqual(expect.arrayContaining(['0184-00000001', '0184-00000002', '0184-00000003', '0184-00000004', '0005-00000001', '0005-00000002']));
    const row = page.locator('tbody tr', { has: page.locator('a', { hasText: /^0184-00000002$/ }) });
    expect(await row.locator('td').nth(1).textContent()).toBe('差押');
    await expectJapaneseGlyphs(page, ['一', '覧', '状', '態']);
    expectNonTrivialPng(await screenshot(page, shots, 'web-batches.png'));

    // a batch's report, under the application's header
    await row.locator('a').first().click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/batches/0184-00000002');
    expect(await page.locator('#batch-id').textContent()).toBe('0184-00000002');
    expect(await page.locator('header .who').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await expectJapaneseGlyphs(page);
    expectNonTrivialPng(await screenshot(page, shots, 'web-batch-report.png'));

    // English and back: the switch comes back to the same page
    await page.getByRole('link', { name: 'English' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/batches/0184-00000002');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('link', { name: 'Batches' }).click();
    await page.waitForLoadState('load');
    expect(await page.locator('h1').textContent()).toBe('Batches');
    await page.getByRole('link', { name: '日本語' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('h1').textContent()).toBe('バッチ一覧');

    // sign out: back at the sign-in page, and the pages are closed again
    await page.getByRole('button', { name: 'サインアウト' }).click();
    await page.waitForLoadState('load');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.goto(`${server.url}/batches/0184-00000002`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await ctx.close();
  });

  it('the test-only routes do not exist without SASHIOSAE_TEST_ROUTES=1', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, server.url, 'kaito');
    const res = await page.goto(`${server.url}/test/jobs/count`);
    expect(res!.status()).toBe(404);
    await ctx.close();
  });
});
