/**
 * The second-core producer (src/core/sync-worker.ts): items in order, bounded, errors
 * (AppError with its code and exit) rethrown on the consumer, a script that cannot load
 * is an error rather than a wait, and the consumer can stop early.
 */
import { describe, expect, it } from 'vitest';
import { SyncProducer, workerPath, workerRef, type WorkerProtocol } from '../../src/core/sync-worker.js';
import { AppError } from '../../src/core/errors.js';

/** A typed reference to a test script (a .mjs: its types are stated here). */
const fixture = <I, T>(name: string) => workerRef<{ default: WorkerProtocol<I, T, 'producer'> }>(new URL(`../fixtures/workers/${name}`, import.meta.url));
type CountInput = { n: number; failAt?: number; appFailAt?: number; typed?: boolean };
const COUNT = fixture<CountInput, { i: number }>('count.mjs');
const COUNT_TYPED = fixture<CountInput, { i: number; a: Float64Array }>('count.mjs');
const BROKEN = fixture<object, never>('broken.mjs');
const FED = fixture<{ n: number }, { v: unknown; transferred: number }>('fed.mjs');

function drain<T>(p: SyncProducer<T>): T[] {
  const out: T[] = [];
  for (let v = p.next(); v !== undefined; v = p.next()) out.push(v);
  return out;
}

describe('SyncProducer', () => {
  it('delivers every item in order, synchronously, with maxInFlight 1 and 4', () => {
    for (const maxInFlight of [1, 4]) {
      const p = new SyncProducer(COUNT, { n: 500 }, { maxInFlight });
      const got = drain(p).map((x) => x.i);
      expect(got).toEqual(Array.from({ length: 500 }, (_v, i) => i));
      expect(p.next()).toBeUndefined();
    }
  });

  it('ready: true once an item waits (the producer runs ahead up to maxInFlight), and after the end', () => {
    const p = new SyncProducer(COUNT, { n: 3 }, { maxInFlight: 4 });
    // no clock: the loop ends only once ready says an item waits (were it never true, the
    // test's own timeout fails it)
    const pause = new Int32Array(new SharedArrayBuffer(4));
    while (!p.ready) Atomics.wait(pause, 0, 0, 5);
    expect(drain(p).map((x) => x.i)).toEqual([0, 1, 2]);
    expect(p.ready).toBe(true); // finished: next() returns at once
  });

  it('feed: the values fed reach the producer in order, transferred buffers moved (ADR 0196)', () => {
    const p = new SyncProducer(FED, { n: 6 });
    const bytes = Uint8Array.from([1, 2, 3, 250]);
    p.feed('a');
    p.feed({ b: [1, 2] });
    p.feed(bytes, [bytes.buffer]);
    expect(bytes.byteLength).toBe(0); // moved, not copied
    for (let i = 0; i < 3; i++) p.feed(i);
    expect(drain(p)).toEqual([
      { v: 'a', transferred: -1 },
      { v: { b: [1, 2] }, transferred: -1 },
      { v: Uint8Array.from([1, 2, 3, 250]), transferred: 4 },
      { v: 0, transferred: -1 },
      { v: 1, transferred: -1 },
      { v: 2, transferred: -1 },
    ]);
    p.feed('after the end'); // a closed producer takes nothing, and says nothing
  });

  it('moves transferred typed arrays intact', () => {
    const p = new SyncProducer(COUNT_TYPED, { n: 20, typed: true });
    const got = drain(p);
    expect(got).toHaveLength(20);
    for (const x of got) expect([...x.a]).toEqual([x.i, x.i, x.i, x.i]);
  });

  it('rethrows a plain error after the items before it', () => {
    const p = new SyncProducer(COUNT, { n: 10, failAt: 3 });
    expect(p.next()?.i).toBe(0);
    expect(p.next()?.i).toBe(1);
    expect(p.next()?.i).toBe(2);
    expect(() => p.next()).toThrow(/plain failure at 3/);
    expect(p.next()).toBeUndefined();
  });

  it('rethrows an AppError with its code, exit code, message and location', () => {
    const p = new SyncProducer(COUNT, { n: 10, appFailAt: 0 });
    let err: unknown;
    try {
      p.next();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const a = err as AppError;
    expect(a.code).toBe('test.failure');
    expect(a.exit).toBe(3);
    expect(a.msg.ja).toBe('失敗 0');
    expect(a.location).toEqual({ file: 'x.DAT', record: 0 });
  });

  it('a script that fails to load is an error, not a wait', () => {
    const p = new SyncProducer(BROKEN, {});
    expect(() => p.next()).toThrow(/worker script did not load: .*(no\/such\/module|Cannot find)/s);
  });

  it('close() stops the producer early; next() then returns undefined', () => {
    const p = new SyncProducer(COUNT, { n: 1_000_000 }, { maxInFlight: 2 });
    expect(p.next()?.i).toBe(0);
    p.close();
    expect(p.next()).toBeUndefined();
  });

  it('workerPath finds the compiled script a reference in src/ names, and refuses a missing one', () => {
    expect(workerPath({ url: new URL('../../src/core/sync-worker.js', import.meta.url) })).toMatch(/[\\/]dist[\\/]core[\\/]sync-worker\.js$/);
    expect(() => workerPath({ url: new URL('../../src/core/no-such-worker.js', import.meta.url) })).toThrow(/not found/);
  });
});
