import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../cli/helpers.js';
import { CAN_RENDER, expectJapaneseGlyphs, expectNonTrivialPng, launchBrowser, newContext, screenshot, screenshotDir, signIn, startWebDemo, type RunningWebDemo } from './harness.js';

/**
 * Issue 18's role journeys end to end in a real browser, on generated data, on the server a
 * newcomer starts (`sashiosae demo --web`): the admin's settings; the collector's import,
 * inquiry and its files; the simulated bank's answers; the liaison's uploads (and a refused
 * file); extract and the seizure files; the accountant's holds review, instruction,
 * reconcile, report and documents; the batch list at the end, in Japanese and English.
 * Screenshots go to docs/images/web-*.png under SASHIOSAE_SCREENSHOTS=1 (`npm run
 * screenshots`), to a temporary folder otherwise.
 *
 * 20 taxpayers with the demo's fixed seed is the smallest data that still gives a held
 * (取立保留) seizure batch: three banks, their inquiry batches, an immediate seizure batch for
 * each and a deferred one for two of them.
 */
const TAXPAYERS = 20;
const BASE_DATE = '2026-11-24';
const EXECUTION_DATE = '2026-12-01';
const INSTRUCTION_DATES = ['2026-12-03', '2026-12-04', '2026-12-07'];
const JOB_TIMEOUT = 120_000;

interface Batch {
  id: string;
  kind: string;
  state: string;
  collection: string | null;
}

function cliJson<T>(demo: RunningWebDemo, args: string[]): T {
  const r = spawnSync(process.execPath, [CLI, '--db', demo.db, ...args, '--json'], { cwd: demo.dir, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: BASE_DATE } });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe.skipIf(!CAN_RENDER)('each role’s journey end to end in a real browser, on the web demo', () => {
  let demo: RunningWebDemo;
  let browser: Browser;
  let root: string;
  const shots = screenshotDir();
  const contexts: Record<string, BrowserContext> = {};
  const pages: Record<string, Page> = {};
  let downloads: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-journey-'));
    downloads = path.join(root, 'downloads');
    fs.mkdirSync(downloads);
    [demo, browser] = await Promise.all([startWebDemo(path.join(root, 'demo'), { taxpayers: TAXPAYERS }), launchBrowser()]);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    if (demo) expect(await demo.stop()).toBe(0);
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  /** The signed-in page of `user` (one context per role, signed in once). */
  async function as(user: string): Promise<Page> {
    if (pages[user] === undefined) {
      contexts[user] = await newContext(browser, { acceptDownloads: true });
      const page = await contexts[user].newPage();
      const res = await signIn(page, demo.url, user, demo.passwords[user]);
      expect(res.status(), `${user} signs in`).toBe(303);
      pages[user] = page;
    }
    return pages[user];
  }

  async function open(page: Page, where: string): Promise<void> {
    const res = await page.goto(`${demo.url}${where}`);
    expect(res!.status(), `${where}\n${demo.stderr()}`).toBe(200);
  }

  /** Scroll so that `el` is at the top of the viewport (a screenshot of that part of a long page). */
  const top = (el: ReturnType<Page['locator']>) => el.evaluate((e) => e.scrollIntoView({ block: 'start' }));

  const h1 = async (page: Page) => (await page.locator('h1').first().textContent())?.trim();

  /** Click `button` (a submit), land on the job page, wait until it says 完了 (the page reloads itself). */
  async function runJob(page: Page, button: ReturnType<Page['locator']>, expected: 'done' | 'failed' = 'done'): Promise<void> {
    await Promise.all([page.waitForURL(/\/jobs\/[^/]+$/), button.click()]);
    await page.waitForSelector('[data-job-state="done"], [data-job-state="failed"]', { timeout: JOB_TIMEOUT });
    const state = await page.locator('[data-job-state]').getAttribute('data-job-state');
    expect(state, `the job ${page.url()} ended: ${await page.locator('main').textContent()}`).toBe(expected);
    if (expected === 'done') expect(await page.locator('[data-job-state]').textContent()).toBe('完了');
  }

  /** Save every download link in `scope` (default: the page's download list) to `dir`; returns the saved files. */
  async function saveDownloads(page: Page, dir: string, scope = 'ul.downloads a'): Promise<string[]> {
    fs.mkdirSync(dir, { recursive: true });
    const links = page.locator(scope);
    const n = await links.count();
    const saved: string[] = [];
    for (let i = 0; i < n; i++) {
      const [d] = await Promise.all([page.waitForEvent('download'), links.nth(i).click()]);
      const file = path.join(dir, d.suggestedFilename());
      await d.saveAs(file);
      saved.push(file);
    }
    return saved;
  }

  /** The batch ids linked from the current page. */
  async function linkedBatches(page: Page): Promise<string[]> {
    const hrefs = await page.locator('main a[href^="/batches/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    return [...new Set(hrefs.map((x) => decodeURIComponent(x.replace('/batches/', '').replace(/[#?].*$/, ''))))];
  }

  /** Upload `file` on the simulated bank's page; saves and returns the answer files it offers. */
  async function bank(page: Page, file: string): Promise<string[]> {
    await open(page, '/demo/bank');
    await page.locator('input[name="file"]').setInputFiles(file);
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '銀行の回答を作る' }).click()]);
    await page.waitForSelector('p.ok', { timeout: JOB_TIMEOUT });
    return saveDownloads(page, path.join(downloads, 'bank', path.basename(file)));
  }

  /** The liaison uploads `file` as `kind`; the job must end 完了. */
  async function upload(page: Page, kind: 'answers' | 'results' | 'statement', file: string): Promise<void> {
    await open(page, `/liaison/upload?kind=${kind}`);
    await page.locator('select[name="kind"]').selectOption(kind);
    await page.locator('input[name="file"]').setInputFiles(file);
    await runJob(page, page.getByRole('button', { name: '取り込む' }));
  }

  /** Write a batch from its page (download), saving the request files; returns them. */
  async function writeBatch(page: Page, id: string): Promise<string[]> {
    await open(page, `/batches/${encodeURIComponent(id)}`);
    await page.locator('form.write input[value="download"], form#write input[value="download"]').first().check();
    await runJob(page, page.locator('form.write button, form#write button').first());
    const files = await saveDownloads(page, path.join(downloads, 'written', id));
    return files.filter((f) => /\.DAT$/i.test(f) || !/manifest|totals|\.json$|\.csv$|\.xlsx$|\.html$/i.test(path.basename(f)));
  }

  const batches = () => cliJson<{ batches: Batch[] }>(demo, ['batches']).batches;

  it('admin → collector → bank → liaison → collector → bank → liaison → accountant → batch list, all in the browser', async () => {

    // 1. the admin sees the banks the demo set up
    const sora = await as('sora');
    await open(sora, '/admin/settings');
    for (const code of ['0005', '0009', '0184']) expect(await sora.locator('main').textContent()).toContain(code);
    await expectJapaneseGlyphs(sora, ['設', '定', '金', '融']);
    await top(sora.locator('h2', { hasText: '金融機関' }).first());
    expectNonTrivialPng(await screenshot(sora, shots, 'web-settings.png'));

    // 2. the collector imports the export
    const kaito = await as('kaito');
    await open(kaito, '/collector/import');
    const exp = path.join(demo.dir, 'export');
    await kaito.locator('input[name="taxpayers"]').setInputFiles(path.join(exp, 'taxpayers.csv'));
    await kaito.locator('input[name="debts"]').setInputFiles(path.join(exp, 'debts.csv'));
    await kaito.locator('input[name="payments"]').setInputFiles(path.join(exp, 'payments.csv'));
    await runJob(kaito, kaito.getByRole('button', { name: '取り込む' }));
    expectNonTrivialPng(await screenshot(kaito, shots, 'web-job-import.png'));
    const imported = await kaito.locator('main').innerText();
    expect(imported).toMatch(/taxpayers\.csv\s+滞納者\s+20\s+CP932\s+0/);
    expect(imported).toContain('次: 預金照会');

    // … inquire
    await open(kaito, '/collector/inquire');
    await kaito.getByLabel(/照会基準日/).fill(BASE_DATE);
    await runJob(kaito, kaito.getByRole('button', { name: '照会バッチを作る' }));
    expect(await kaito.locator('main').innerText()).toContain('次の手順: 各バッチのページで媒体に書き出します。');
    const inquiryIds = await linkedBatches(kaito);
    expect(inquiryIds.length).toBe(3);
    const inquiryFiles: string[] = [];
    for (const id of inquiryIds) inquiryFiles.push(...(await writeBatch(kaito, id)));
    expect(inquiryFiles.map((f) => path.basename(f)).sort()).toEqual(inquiryIds.map((id) => `INQ_${id.replace('-', '_')}.DAT`).sort());

    // 3. the bank answers
    const answers: string[] = [];
    for (const f of inquiryFiles) answers.push(...(await bank(kaito, f)));
    expectNonTrivialPng(await screenshot(kaito, shots, 'web-demo-bank.png'));
    expect(await kaito.locator('p.ok').textContent()).toMatch(/^照会 14 件に回答しました/);
    expect(answers.length).toBe(3);

    // 4. the liaison uploads the answers
    const riko = await as('riko');
    for (const f of answers) {
      await upload(riko, 'answers', f);
      const text = await riko.locator('main').innerText();
      expect(text).toContain('バッチの状態: 回答取込済（全ファイルの回答が揃いました）。');
      expect(text, 'no command to type on a web page').not.toContain('sashiosae ');
    }
    expectNonTrivialPng(await screenshot(riko, shots, 'web-upload-answers.png'));

    // 5. extract and write the seizure batches
    await open(kaito, '/collector/extract');
    await kaito.getByLabel(/執行日/).fill(EXECUTION_DATE);
    await runJob(kaito, kaito.getByRole('button', { name: '抽出する' }));
    expect(await kaito.locator('main').innerText()).toMatch(/取立保留/);
    const seizureIds = await linkedBatches(kaito);
    const seizureFiles: string[] = [];
    for (const id of seizureIds) seizureFiles.push(...(await writeBatch(kaito, id)));

    // 6. the bank: results and statements
    const bankOut: string[] = [];
    for (const f of seizureFiles) bankOut.push(...(await bank(kaito, f)));
    const results = bankOut.filter((f) => f.endsWith('.RESULT.DAT'));
    const statements = bankOut.filter((f) => f.endsWith('.STATEMENT.DAT'));
    expect(results.length).toBe(seizureIds.length);

    // 7. the liaison: a result file with one byte changed is refused with its byte offset, nothing stored
    const good = fs.readFileSync(results[0]!);
    const at = good.indexOf(0x0a) + 6; // the 5th byte of the first data record's request number
    const bad = Buffer.from(good);
    bad[at] = 0x58; // 'X'
    const badFile = path.join(downloads, 'changed', path.basename(results[0]!));
    fs.mkdirSync(path.dirname(badFile), { recursive: true });
    fs.writeFileSync(badFile, bad);
    const before = batches();
    await open(riko, '/liaison/upload?kind=results');
    await riko.locator('input[name="file"]').setInputFiles(badFile);
    await runJob(riko, riko.getByRole('button', { name: '取り込む' }), 'failed');
    const findings = riko.locator('table.findings');
    await expect.poll(() => findings.count()).toBe(1);
    // the offset column holds the field's first byte (the request number's), the finding names the byte itself
    expect(await findings.locator('tbody td:nth-child(3)').allTextContents()).toContain(String(at - 4));
    expect(await findings.locator('tbody').textContent()).toContain(`バイト位置 ${at}`);
    expect(await findings.locator('tbody td:nth-child(1)').first().textContent()).toBe(path.basename(badFile));
    expect(await riko.locator('main').textContent()).toContain('何も保存していません');
    expect(batches()).toEqual(before);
    expectNonTrivialPng(await screenshot(riko, shots, 'web-upload-findings.png'));
    for (const f of results) await upload(riko, 'results', f);
    for (const f of statements) {
      await upload(riko, 'statement', f);
      expect(await riko.locator('main').innerText()).toContain('入出金取引明細を取り込みました');
    }

    // 8–9. the accountant: holds → review → change one amount → instruct → write; the bank; the liaison
    const akari = await as('akari');
    await open(akari, '/accountant/holds');
    const heldIds = await linkedBatches(akari);
    expect(heldIds.length).toBeGreaterThan(0);
    for (const id of heldIds) expect(batches().find((b) => b.id === id)?.collection).toBe('deferred');
    const instructionIds: string[] = [];
    let shot = false;
    for (const held of heldIds) {
      for (const date of INSTRUCTION_DATES) {
        await open(akari, `/accountant/holds/${encodeURIComponent(held)}`);
        const inputs = akari.locator('input[name^="collect."]');
        if ((await inputs.count()) === 0) break; // every hold is collected or released
        expect(await h1(akari)).toBe(`取立保留の確認と指示: ${held}`);
        if (!shot) {
          expectNonTrivialPng(await screenshot(akari, shots, 'web-holds-review.png'));
          shot = true;
          // change one amount: half of its proposal
          const first = inputs.first();
          const proposal = Number(await first.inputValue());
          await first.fill(String(Math.floor(proposal / 2)));
        }
        await akari.locator('input[name="date"]').fill(date);
        await runJob(akari, akari.getByRole('button', { name: '取立・解除指示を作る' }));
        const inst = (await linkedBatches(akari)).filter((id) => !heldIds.includes(id) && !instructionIds.includes(id));
        expect(inst.length).toBe(1);
        expect(await akari.locator('main').innerText()).toContain(`次の手順: ${inst[0]} を書き出す`);
        instructionIds.push(inst[0]!);
        const files = await writeBatch(akari, inst[0]!);
        for (const f of files) {
          const out = await bank(akari, f);
          for (const r of out.filter((x) => x.endsWith('.RESULT.DAT'))) await upload(riko, 'results', r);
          for (const s of out.filter((x) => x.endsWith('.STATEMENT.DAT'))) await upload(riko, 'statement', s);
        }
      }
    }
    expect(shot).toBe(true);
    // every hold resolved: the holds list counts none held, instructed or not done
    await open(akari, '/accountant/holds');
    for (const s of ['held', 'instructed', 'not-done']) for (const c of await akari.locator(`td[data-state="${s}"]`).allTextContents()) expect(c, s).toBe('0');

    // 10. reconcile every seizure batch, then the report and its downloads
    for (;;) {
      await open(akari, '/accountant/reconcile');
      const buttons = akari.getByRole('button', { name: '消込する' });
      if ((await buttons.count()) === 0) break;
      await runJob(akari, buttons.first());
      expect(await akari.locator('main').innerText()).toMatch(/を消込しました/);
    }
    const all = batches();
    for (const b of all.filter((x) => x.kind === 'seizure')) expect(b.state, b.id).toBe('reconciled');
    const shown = seizureIds[0]!;
    await open(akari, `/batches/${encodeURIComponent(shown)}`);
    expect(await akari.locator('#batch-id').textContent()).toBe(shown);
    await top(akari.locator('h1', { has: akari.locator('#batch-id') }));
    expectNonTrivialPng(await screenshot(akari, shots, 'web-report.png'));
    for (const id of seizureIds) {
      await open(akari, `/batches/${encodeURIComponent(id)}`);
      const onPage = Number((await akari.locator('#receipts-total').textContent())!.replace(/[^0-9]/g, ''));
      const r = cliJson<{ receipts: { total: number } }>(demo, ['report', id]);
      expect(onPage, id).toBe(r.receipts.total);
    }
    await open(akari, `/batches/${encodeURIComponent(shown)}`);
    const [x] = await Promise.all([akari.waitForEvent('download'), akari.getByRole('link', { name: '報告 Excel' }).click()]);
    const xlsx = path.join(downloads, 'report.xlsx');
    await x.saveAs(xlsx);
    expect(fs.readFileSync(xlsx).subarray(0, 2).toString('latin1')).toBe('PK');
    // an immediate batch releases nothing: its release notices are offered unchecked, marked 該当なし
    expect(await akari.locator('input[name="kind"][value="release"]').isChecked()).toBe(false);
    expect(await akari.locator('label', { has: akari.locator('input[value="release"]') }).textContent()).toContain('該当なし');
    await akari.locator('input[name="draft"]').check();
    await runJob(akari, akari.getByRole('button', { name: '作る' }));
    const pdfs = (await saveDownloads(akari, path.join(downloads, 'documents'))).filter((f) => f.endsWith('.pdf'));
    expect(pdfs.length).toBe(2); // 差押調書 and 債権差押通知書 (beside them each one's index CSV)
    for (const f of pdfs) expect(fs.readFileSync(f).subarray(0, 5).toString('latin1'), f).toBe('%PDF-');

    // 11. the batch list at the end, in Japanese and English
    await open(akari, '/');
    const rows = await akari.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 4).map((td) => td.textContent?.trim() ?? '')));
    expect(rows.length).toBe(all.length);
    for (const [id, kind, , state] of rows) {
      const want = kind === '差押' ? '消込済' : kind === '取立指示' ? '結果取込済' : '回答取込済';
      expect(state, id).toBe(want);
    }
    expectNonTrivialPng(await screenshot(akari, shots, 'web-batches-done.png'));
    await akari.getByRole('link', { name: 'English' }).click();
    await akari.waitForLoadState('load');
    expect(await h1(akari)).toBe('Batches');
    expectNonTrivialPng(await screenshot(akari, shots, 'web-batches-en.png'));
    await akari.getByRole('link', { name: '日本語' }).click();
  }, 600_000);
});
