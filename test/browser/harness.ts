/**
 * The real-browser harness (issue 18's journeys and security tests; docs/web-testing.md):
 * Debian's chromium driven by playwright-core, against the real server started as the CLI
 * starts it (`node dist/cli/main.js --db … serve --port 0`).
 *
 * A test file that needs chromium uses `describe.skipIf(!HAS_CHROMIUM)`, one that also
 * looks at Japanese glyphs (screenshots) `describe.skipIf(!CAN_RENDER)`: outside CI a
 * machine without chromium or a Japanese font skips (never passes) them; under CI=true
 * (.ci/run installs both) a missing font fails the glyph check instead of skipping, as the
 * HTML report's chromium test does (test/report/report.test.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { CLI } from '../cli/helpers.js';
import { freshServerDb, USERS } from '../server/helpers.js';
import { walkthroughCommands } from '../readme/run-walkthrough.js';

export { freshServerDb, addUsers, cli, USERS } from '../server/helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Debian's chromium: CHROMIUM_PATH, else /usr/bin/chromium (or chromium-browser). */
export const CHROMIUM: string | undefined =
  process.env['CHROMIUM_PATH'] !== undefined && process.env['CHROMIUM_PATH'] !== ''
    ? process.env['CHROMIUM_PATH']
    : ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
export const HAS_CHROMIUM = CHROMIUM !== undefined && fs.existsSync(CHROMIUM);

/** Whether fontconfig knows a font with Japanese glyphs (Debian: fonts-noto-cjk). */
export function hasJapaneseFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    return false;
  }
}
export const IN_CI = process.env['CI'] === 'true';
/** chromium and (outside CI) a Japanese font: under CI a missing font fails the glyph check instead. */
export const CAN_RENDER = HAS_CHROMIUM && (IN_CI || hasJapaneseFont());

/** The viewport of every page and screenshot. */
export const VIEWPORT = { width: 1280, height: 800 };

/** One chromium per test file (reused by its tests); `--no-sandbox` when running as root (CI's container). */
export async function launchBrowser(): Promise<Browser> {
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  return chromium.launch({ executablePath: CHROMIUM!, args: [...args, '--disable-gpu', '--disable-dev-shm-usage'] });
}

/** A new context (its own cookies) with the harness's viewport and Japanese as the browser's language. */
export async function newContext(browser: Browser, o: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: VIEWPORT, locale: 'ja-JP', timezoneId: 'Asia/Tokyo', ...o });
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  url: string;
  /** what the server wrote to stderr so far (a 500 names its route there) */
  stderr(): string;
  /** SIGTERM, then wait for it to exit; resolves its exit code */
  stop(): Promise<number | null>;
}

/**
 * Wait until a started `serve` or `demo --web` prints its URL (rejects if it exits first or
 * prints none within `ms`); its output so far stays readable through `out()` and `err()`.
 */
async function printedUrl(child: ChildProcess, what: string, ms: number): Promise<{ url: string; out: () => string; err: () => string; exited: Promise<number | null> }> {
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} printed no URL within ${ms / 1000} s:\n${out}\n${err}`)), ms);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const m = /https?:\/\/[0-9.]+:\d+/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    void exited.then((c) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited ${c} before printing its URL:\n${out}\n${err}`));
    });
  });
  return { url, out: () => out, err: () => err, exited };
}

/**
 * Start `sashiosae serve --port 0` on `db` (host 127.0.0.1 unless given) and read the URL it
 * prints. `env` adds variables (SASHIOSAE_TEST_ROUTES=1 for the test-only routes).
 */
export async function startServer(db: string, o: { host?: string; env?: Record<string, string> } = {}): Promise<RunningServer> {
  const host = o.host ?? '127.0.0.1';
  const child: ChildProcess = spawn(process.execPath, [CLI, '--db', db, 'serve', '--host', host, '--port', '0'], {
    cwd: path.dirname(db),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...o.env },
  });
  const { url, err, exited } = await printedUrl(child, 'serve', 30_000);
  return {
    url,
    stderr: err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Sign `user` in through the sign-in page (USERS' password unless given); resolves the response of the POST. */
export async function signIn(page: Page, base: string, user: string, password = USERS[user]!.password) {
  await page.goto(`${base}/login`);
  await page.getByLabel(/利用者名|User name/).fill(user);
  await page.getByLabel(/パスワード|Password/).fill(password);
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'),
    page.getByRole('button', { name: /サインイン|Sign in/ }).click(),
  ]);
  await page.waitForLoadState('load');
  return res;
}

/**
 * Where screenshots go: docs/images/ when SASHIOSAE_SCREENSHOTS=1 (`npm run screenshots`),
 * else a temporary folder, so the default test run never rewrites the checked-in images.
 */
export function screenshotDir(): string {
  if (process.env['SASHIOSAE_SCREENSHOTS'] === '1') return path.join(ROOT, 'docs', 'images');
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-shots-'));
}

/** Save the viewport (1280×800) of `page` as `dir/name`; returns the file. */
export async function screenshot(page: Page, dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}

/** A PNG of the harness's viewport size, not blank: its IHDR size and a compressed size that only real content reaches. */
export function expectNonTrivialPng(file: string): void {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), `${file} is a PNG`).toBe(true);
  expect(b.toString('latin1', 12, 16)).toBe('IHDR');
  expect({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) }).toEqual(VIEWPORT);
  // chromium's blank 1280×800 page is 4.7 KB, with the header's bar 4.8 KB; the sign-in page
  // (the smallest, a few lines of text) 14 KB, the batch list and a report more
  expect(b.length, `${file} holds more than a blank page`).toBeGreaterThan(10_000);
}

/**
 * Japanese text on `page` is drawn as real glyphs, not one missing-glyph box (□): each
 * character is drawn alone with the page body's own font on a canvas and its pixels
 * summed; without a Japanese font they are all the same box, equal to that of U+FFFF.
 * (Playwright's evaluate runs outside the page's CSP.)
 */
const GLYPH_PROBE = `function (cs) {
  const font = getComputedStyle(document.body).fontFamily;
  const c = document.createElement('canvas');
  c.width = 80;
  c.height = 80;
  const g = c.getContext('2d');
  return [...cs, '\\uffff'].map((ch) => {
    g.clearRect(0, 0, 80, 80);
    g.font = '48px ' + font;
    g.fillStyle = '#000';
    g.fillText(ch, 8, 60);
    const d = g.getImageData(0, 0, 80, 80).data;
    let ink = 0;
    let hash = 0;
    for (let i = 3; i < d.length; i += 4) {
      ink += d[i] > 0 ? 1 : 0;
      hash = (hash * 31 + d[i]) | 0;
    }
    return hash + ':' + ink;
  });
}`;

export async function expectJapaneseGlyphs(page: Page, chars = ['差', '押', '一', '覧']): Promise<void> {
  // (a string: the test project has no DOM types; this runs in the page)
  const sigs = (await page.evaluate(`(${GLYPH_PROBE})(${JSON.stringify(chars)})`)) as string[];
  const tofu = sigs.pop()!;
  for (const s of sigs) expect(Number(s.split(':')[1]), 'a Japanese character leaves ink').toBeGreaterThan(0);
  expect(new Set(sigs).size, 'Japanese characters render as distinct glyphs, not □ (install fonts-noto-cjk)').toBe(sigs.length);
  expect(sigs).not.toContain(tofu);
}

/**
 * A folder with a database holding USERS and an inquiry batch in state 'extracted' (the
 * README's second walkthrough up to `inquire`): 0184-00000001 and 0005-00000001 may be cancelled.
 */
export function dbWithExtractedBatches(): { dir: string; db: string } {
  const { dir, db } = freshServerDb();
  fs.cpSync(path.join(ROOT, 'samples'), path.join(dir, 'samples'), { recursive: true });
  const steps = walkthroughCommands('walkthrough-inquiry').filter((l) => l.startsWith('npx sashiosae')).slice(0, 4);
  expect(steps[0]).toBe('npx sashiosae init'); // freshServerDb did it
  expect(steps.at(-1)).toContain('inquire');
  for (const l of steps.slice(1)) {
    const r = spawnSync(process.execPath, [CLI, '--db', db, ...l.split(/\s+/).slice(2)], { cwd: dir, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-24' } });
    expect(r.status, `${l}\n${r.stderr}`).toBe(0);
  }
  return { dir, db };
}

/** A batch's state as `batches --json` reports it. */
export function batchState(dir: string, db: string, id: string): string | undefined {
  const r = spawnSync(process.execPath, [CLI, '--db', db, 'batches', '--json'], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout) as { batches: Array<{ id: string; state: string }> };
  return doc.batches.find((b) => b.id === id)?.state;
}

export interface RunningWebDemo extends RunningServer {
  /** the demo's folder (export/, bank/, sashiosae.db, users.txt) */
  dir: string;
  db: string;
  /** name → password, as users.txt holds them */
  passwords: Record<string, string>;
  /** what the command printed to stdout so far */
  stdout(): string;
}

/**
 * Start the web demo the way a newcomer does: `node dist/cli/main.js demo --web --dir DIR
 * --port 0 --taxpayers N` (DIR must not exist or be empty); read the URL it prints and the
 * users from users.txt. `stop()` sends SIGTERM and resolves the exit code.
 */
export async function startWebDemo(dir: string, o: { taxpayers: number; seed?: number; env?: Record<string, string> }): Promise<RunningWebDemo> {
  const args = [CLI, 'demo', '--web', '--dir', dir, '--port', '0', '--taxpayers', String(o.taxpayers), ...(o.seed !== undefined ? ['--seed', String(o.seed)] : [])];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: path.dirname(dir), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...o.env } });
  const { url, out, err, exited } = await printedUrl(child, 'demo --web', 120_000);
  const passwords: Record<string, string> = {};
  for (const line of fs.readFileSync(path.join(dir, 'users.txt'), 'utf8').split('\n')) {
    const [name, , password] = line.split('\t');
    if (name && password) passwords[name] = password;
  }
  return {
    url,
    dir,
    db: path.join(dir, 'sashiosae.db'),
    passwords,
    stdout: out,
    stderr: err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
