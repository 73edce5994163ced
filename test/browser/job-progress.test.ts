import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshServerDb, HAS_CHROMIUM, launchBrowser, newContext, signIn, startServer, type RunningServer } from './harness.js';

/**
 * A job's page in a real browser (ADR 0181): the test-only job `test.count`, started from the
 * test-only page /test/jobs/count (the server runs with SASHIOSAE_TEST_ROUTES=1). With
 * JavaScript the page's <progress> rises by server-sent events (/assets/app.js, the one
 * script) and the page reloads itself to 完了; without JavaScript the page's <noscript>
 * refresh gets there too.
 */
describe.skipIf(!HAS_CHROMIUM)('a job page in a real browser: live progress, and without JavaScript', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    const { db } = freshServerDb();
    [server, browser] = await Promise.all([startServer(db, { env: { SASHIOSAE_TEST_ROUTES: '1' } }), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (server) expect(await server.stop()).toBe(0);
  });

  /** Start test.count (to, delayMs) from its form; resolves on the job's page. */
  async function startCount(page: Page, to: number, delayMs: number): Promise<string> {
    await page.goto(`${server.url}/test/jobs/count`);
    await page.getByLabel('to').fill(String(to));
    await page.getByLabel('delayMs').fill(String(delayMs));
    await page.getByRole('button', { name: 'start' }).click();
    await page.waitForURL(/\/jobs\/[A-Za-z0-9_-]+$/);
    return new URL(page.url()).pathname;
  }

  it('with JavaScript: the <progress> value rises as events arrive, then the page reloads itself to 完了 with the job’s file', async () => {
    const ctx = await newContext(browser);
    const page = await ctx.newPage();
    await signIn(page, server.url, 'kaito');
    let loads = 0;
    page.on('load', () => loads++);
    const jobPath = await startCount(page, 20, 150);
    const loadsAtStart = loads;
    expect(await page.locator('script[src="/assets/app.js"]').count()).toBe(1);

    // read the bar while the job runs (the test never reloads the page itself)
    const seen: number[] = [];
    let state = '';
    // read until the job has ended (at most ~1,000 reads; the file's timeout bounds the test)
    for (let reads = 0; reads < 1000; reads++) {
      try {
        const s = (await page.evaluate(
          `(() => { const p = document.querySelector('progress'); const st = document.querySelector('[data-job-state]'); return { value: p && p.hasAttribute('value') ? p.value : null, state: st ? st.getAttribute('data-job-state') : '' }; })()`,
        )) as { value: number | null; state: string };
        state = s.state;
        if (s.value !== null && s.value !== seen.at(-1)) seen.push(s.value);
        if (state === 'done' || state === 'failed') break;
      } catch {
        // the page is reloading (the job ended): read again
      }
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(state).toBe('done');
    expect(new URL(page.url()).pathname).toBe(jobPath);
    // one reload, at the end: the values above came by events into the same page, not by reloads
    expect(loads, 'the page reloaded itself once, when the job ended').toBe(loadsAtStart + 1);
    expect(seen.length, `progress values seen: ${seen.join(',')}`).toBeGreaterThanOrEqual(2);
    expect([...seen].sort((a, b) => a - b), 'the bar only rises').toEqual(seen);
    expect(seen.at(-1)!).toBeGreaterThan(seen[0]!);
    expect(await page.locator('[data-job-state]').textContent()).toBe('完了');
    expect(await page.locator('progress').count()).toBe(0);
    expect(await page.locator('ul.downloads a').textContent()).toBe('count.txt');
    await ctx.close();
  });

  it('without JavaScript: the page refreshes itself (<noscript>) until 完了', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signIn(page, server.url, 'kaito');
    let loads = 0;
    page.on('load', () => loads++);
    const jobPath = await startCount(page, 10, 300);
    const loadsAtStart = loads;
    const first = await page.locator('[data-job-state]').getAttribute('data-job-state');
    expect(['queued', 'running']).toContain(first);
    await page.locator('[data-job-state="done"]').waitFor({ timeout: 45_000 });
    expect(new URL(page.url()).pathname).toBe(jobPath);
    expect(loads, 'the <noscript> refresh reloaded the page').toBeGreaterThan(loadsAtStart);
    expect(await page.locator('[data-job-state]').textContent()).toBe('完了');
    expect(await page.locator('ul.downloads a').textContent()).toBe('count.txt');
    await ctx.close();
  });
});
