/**
 * Every worker a step starts is named by a typed reference (src/steps/<step>/worker-ref.ts,
 * core/sync-worker.ts `workerRef`, ADR 0112): each reference names a script whose source
 * exists in src/ (a stale compiled file left by a rename does not count) and whose compiled
 * file loads; every worker script has exactly one reference. A reference whose file is
 * missing, or a script that fails to load, is an error.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SyncProducer, startWorker, workerPath, workerRef, type WorkerProtocol, type WorkerRef, type WorkerKind } from '../../src/core/sync-worker.js';
import { EXTRACT_WORKER } from '../../src/steps/extract/worker-ref.js';
import { INQUIRE_WORKER } from '../../src/steps/inquire/worker-ref.js';
import { RESULTS_WORKER } from '../../src/steps/import-results/worker-ref.js';
import { ANSWERS_WORKER } from '../../src/steps/import-answers/worker-ref.js';
import { TARGETS_WORKER } from '../../src/steps/import-targets/worker-ref.js';
import { RECONCILE_WORKER } from '../../src/steps/reconcile/worker-ref.js';
import { ENCODE_WORKER, READBACK_WORKER } from '../../src/steps/write/worker-ref.js';
import type { PageContext } from '../../src/steps/extract/page.js';
import type { InquirePageContext } from '../../src/steps/inquire/page.js';

const STEPS = fileURLToPath(new URL('../../src/steps/', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
const missing = path.join(tmp, 'missing');

type AnyRef = WorkerRef<never, unknown, WorkerKind>;

/** Each reference with a start that reaches the script's body (an input it refuses or ends on at once). */
const PROBES: Record<string, { ref: AnyRef; start: () => Promise<unknown>; body: RegExp }> = {
  EXTRACT_WORKER: { ref: EXTRACT_WORKER, start: async () => drain(new SyncProducer(EXTRACT_WORKER, { file: missing, page: {} as PageContext })), body: /^\{"error":"unable to open database file"\}$/ },
  INQUIRE_WORKER: { ref: INQUIRE_WORKER, start: async () => drain(new SyncProducer(INQUIRE_WORKER, { file: missing, page: {} as InquirePageContext })), body: /^\{"error":"unable to open database file"\}$/ },
  RESULTS_WORKER: { ref: RESULTS_WORKER, start: async () => drain(new SyncProducer(RESULTS_WORKER, { file: missing, layoutFile: missing, today: '2026-12-05' })), body: /^\{"error":"layout .* not found/ },
  ANSWERS_WORKER: {
    ref: ANSWERS_WORKER,
    start: async () =>
      drain(new SyncProducer(ANSWERS_WORKER, { file: missing, copyTo: missing, layoutFile: missing, today: '2026-12-05', dbFile: missing, target: { batch_id: 'x', first_request: 1, last_request: 1 }, header: { index: 0, offset: 0, fields: {} } })),
    body: /^\{"error":"layout .* not found/,
  },
  TARGETS_WORKER: { ref: TARGETS_WORKER, start: async () => drain(new SyncProducer(TARGETS_WORKER, { files: [] })), body: /^\{"ok":\[\]\}$/ },
  RECONCILE_WORKER: { ref: RECONCILE_WORKER, start: async () => drain(new SyncProducer(RECONCILE_WORKER, { file: missing, batchId: 'x', policy: 'no-such-policy', pageSize: 1 })), body: /^\{"error":"unknown policy no-such-policy"\}$/ },
  ENCODE_WORKER: { ref: ENCODE_WORKER, start: async () => drain(new SyncProducer(ENCODE_WORKER, { file: missing, batchId: 'x', fileSeq: 1, layoutFile: missing, today: '2026-12-05', chunkKeys: 1, start: 0, stride: 1 })), body: /^\{"error":"unable to open database file"\}$/ },
  READBACK_WORKER: {
    ref: READBACK_WORKER,
    start: () =>
      new Promise((resolve, reject) => {
        const w = startWorker(READBACK_WORKER, { fd: -1, layoutFile: missing, ctrl: new SharedArrayBuffer(4) });
        w.once('message', resolve);
        w.once('error', reject);
      }),
    body: /^\{"ok":\{"error":\{.*"code":"layout.not-found"/,
  },
};

function drain<T>(p: SyncProducer<T>): T[] {
  const out: T[] = [];
  for (let v = p.next(); v !== undefined; v = p.next()) out.push(v);
  return out;
}

/** The reference modules (src/steps/*\/worker-ref.ts) and the worker scripts (a default export of runProducer or workerMain). */
function scan(): { refModules: string[]; scripts: string[] } {
  const refModules: string[] = [];
  const scripts: string[] = [];
  for (const step of fs.readdirSync(STEPS)) {
    const dir = path.join(STEPS, step);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const f of fs.readdirSync(dir)) {
      const file = path.join(dir, f);
      if (f === 'worker-ref.ts') refModules.push(file);
      else if (/^export default (runProducer|workerMain)\(/m.test(fs.readFileSync(file, 'utf8'))) scripts.push(file);
    }
  }
  return { refModules, scripts };
}

describe('typed worker references', () => {
  it('every worker script has exactly one reference, and every reference is probed here', async () => {
    const { refModules, scripts } = scan();
    expect(scripts.length).toBe(8);
    const named: string[] = [];
    const exported: string[] = [];
    for (const m of refModules) {
      const text = fs.readFileSync(m, 'utf8');
      // the type import and the URL name the same file (the compiler checks the first)
      const pairs = [...text.matchAll(/workerRef<typeof import\('(\.\/[\w-]+\.js)'\)>\(new URL\('(\.\/[\w-]+\.js)', import\.meta\.url\)\)/g)];
      expect(pairs.length).toBeGreaterThan(0);
      for (const [, typed, url] of pairs) {
        expect(url).toBe(typed);
        named.push(path.join(path.dirname(m), url!.replace(/\.js$/, '.ts')));
      }
      exported.push(...Object.keys((await import(m)) as object));
    }
    expect(named.sort()).toEqual([...scripts].sort());
    expect(exported.sort()).toEqual(Object.keys(PROBES).sort());
  });

  it("each reference's source exists in src/ and its compiled script is found", () => {
    for (const { ref } of Object.values(PROBES)) {
      expect(fs.existsSync(fileURLToPath(ref.url).replace(/\.js$/, '.ts'))).toBe(true);
      expect(fs.existsSync(workerPath(ref))).toBe(true);
    }
  });

  for (const [name, probe] of Object.entries(PROBES)) {
    it(`${name} loads: its script's body runs`, async () => {
      const outcome = await probe.start().then(
        (v) => ({ ok: v }),
        (e: unknown) => ({ error: String(e instanceof Error ? e.message : e) }),
      );
      // what the script's body answers to the probe's input (a script that did not load says so instead)
      expect(JSON.stringify(outcome)).toMatch(probe.body);
    });
  }

  it('a reference to a missing script, or to one that fails to load, is an error', () => {
    const gone = workerRef<{ default: WorkerProtocol<object, never, 'producer'> }>(new URL('../fixtures/workers/no-such.mjs', import.meta.url));
    expect(() => new SyncProducer(gone, {})).toThrow(/not found/);
    const broken = workerRef<{ default: WorkerProtocol<object, never, 'producer'> }>(new URL('../fixtures/workers/broken.mjs', import.meta.url));
    expect(() => drain(new SyncProducer(broken, {}))).toThrow(/did not load/);
  });
});
