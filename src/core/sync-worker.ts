/**
 * A producer on the second core that a synchronous step can consume from inside its
 * one SQLite transaction (docs/adr/0054-second-core-producers.md).
 *
 * better-sqlite3 is synchronous and a step's transaction must not span an `await`, so
 * the consumer cannot wait for 'message' events. Instead the producer (a worker thread)
 * posts each item on a MessagePort and then bumps a counter in shared memory; the
 * consumer blocks on that counter with Atomics.wait and takes the item with
 * receiveMessageOnPort — no event loop needed. The producer stops when `maxInFlight`
 * items are waiting, so memory stays bounded whatever the speed difference.
 *
 * An error in the producer (an AppError included: code, exit, message, location,
 * findings) is rethrown by the consumer's next(); the consumer's close() stops the
 * producer (its own error, a rollback) at any point.
 */
import * as fs from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, MessagePort, Worker, isMainThread, parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { AppError } from './errors.js';

const PRODUCED = 0;
const CONSUMED = 1;
const FINISHED = 2;
const CANCELLED = 3;

type Envelope<T> = { kind: 'item'; value: T } | { kind: 'end' } | { kind: 'error'; error: SerializedError };

export interface SerializedError {
  message: string;
  stack?: string;
  app?: ConstructorParameters<typeof AppError>[0];
}

interface Boot {
  ctrl: SharedArrayBuffer;
  port: MessagePort;
  /** buffers the consumer hands back for reuse (SyncProducer.recycle) */
  back: MessagePort;
  /** values the consumer sends ahead for the producer's use (SyncProducer.feed) */
  feed: MessagePort;
  maxInFlight: number;
  input: unknown;
}

/**
 * What a worker script takes and posts, as a type: the script's default export
 * (`export default runProducer(…)` or `export default workerMain(…)`) has this type, and a
 * reference to the script (`workerRef`) takes its types from it. At run time it is an empty
 * marker; nothing reads it.
 */
export interface WorkerProtocol<I, T, K extends WorkerKind> {
  readonly __protocol?: { input: (input: I) => void; item: T; kind: K };
}

/** 'producer': a SyncProducer's script (runProducer); 'plain': one message back (workerMain). */
export type WorkerKind = 'producer' | 'plain';

/**
 * A typed reference to a worker script (ADR 0112): its URL, and the input it takes and
 * the items it posts, taken from the script module's default export. Declared in the step's
 * `worker-ref.ts` as
 *
 *     export const EXTRACT_WORKER = workerRef<typeof import('./worker.js')>(new URL('./worker.js', import.meta.url));
 *
 * The `import type` makes a renamed or moved script a compile error (and is erased: the
 * main thread never loads the script); test/core/worker-refs.test.ts holds the URL to the
 * same file and starts every reference.
 */
export interface WorkerRef<I, T, K extends WorkerKind> extends WorkerProtocol<I, T, K> {
  readonly url: URL;
}

/** The reference of a script module `M` (`typeof import('./worker.js')`). */
export type RefOf<M extends { default: WorkerProtocol<never, unknown, WorkerKind> }> =
  M['default'] extends WorkerProtocol<infer I, infer T, infer K> ? WorkerRef<I, T, K> : never;

/** A typed reference to the worker script at `url`, whose module type is `M` (see WorkerRef). */
export function workerRef<M extends { default: WorkerProtocol<never, unknown, WorkerKind> }>(url: URL): RefOf<M> {
  return { url } as RefOf<M>;
}

/** The input a reference's script takes. */
export type InputOf<R> = R extends WorkerRef<infer I, unknown, WorkerKind> ? I : never;
/** What a reference's script posts. */
export type ItemOf<R> = R extends WorkerRef<never, infer T, WorkerKind> ? T : never;

/**
 * The file a reference's script is loaded from: the compiled `.js` it names. Under the test
 * runner the modules are TypeScript sources (src/…), which a worker thread cannot load:
 * their compiled counterparts in dist/ are used (`npm test` builds first).
 */
export function workerPath(ref: { readonly url: URL }): string {
  const here = fileURLToPath(ref.url);
  if (fs.existsSync(here)) return here;
  const compiled = here.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2');
  if (compiled !== here && fs.existsSync(compiled)) return compiled;
  throw new Error(`worker script ${here} not found (run npm run build)`);
}

/** Consumer side: a blocking iterator over what the worker script produces. */
export class SyncProducer<T, I = unknown> {
  private readonly ctrl: Int32Array;
  private readonly port: MessagePort;
  private readonly back: MessagePort;
  private readonly feedPort: MessagePort;
  private readonly worker: Worker;
  private consumed = 0;
  private done = false;

  /**
   * `youngGenerationMb` sizes the worker's young generation (default 32 MB). A producer
   * makes short-lived rows fast: at 8 MB its GC tripled (extract's worker spent 3.8 of
   * 10.6 s in GC, the step took ≈ 10 s instead of ≈ 7 s at 1M records); much larger
   * only adds RSS (ADR 0054).
   */
  constructor(ref: WorkerRef<I, T, 'producer'>, input: I, opts: { maxInFlight?: number; youngGenerationMb?: number } = {}) {
    const script = workerPath(ref);
    const sab = new SharedArrayBuffer(4 * Int32Array.BYTES_PER_ELEMENT);
    this.ctrl = new Int32Array(sab);
    const { port1, port2 } = new MessageChannel();
    const backChannel = new MessageChannel();
    const feedChannel = new MessageChannel();
    this.port = port1;
    this.back = backChannel.port1;
    this.feedPort = feedChannel.port1;
    const boot: Boot = { ctrl: sab, port: port2, back: backChannel.port2, feed: feedChannel.port2, maxInFlight: Math.max(1, opts.maxInFlight ?? 4), input };
    // A small CommonJS bootstrap loads the script, so that a script that fails to load
    // or a thread that dies still marks FINISHED (the consumer never waits forever).
    const bootstrap = `
      const { workerData } = require('node:worker_threads');
      const ctrl = new Int32Array(workerData.ctrl);
      const finish = () => { Atomics.store(ctrl, ${FINISHED}, 1); Atomics.notify(ctrl, ${PRODUCED}); };
      process.on('exit', finish);
      import(${JSON.stringify(pathToFileURL(script).href)}).catch((e) => {
        workerData.port.postMessage({ kind: 'error', error: { message: 'worker script did not load: ' + String((e && e.stack) || e) } });
        Atomics.add(ctrl, ${PRODUCED}, 1);
        finish();
      });`;
    this.worker = new Worker(bootstrap, {
      eval: true,
      workerData: boot,
      transferList: [port2, backChannel.port2, feedChannel.port2],
      resourceLimits: { maxYoungGenerationSizeMb: opts.youngGenerationMb ?? 32 },
    });
    // the process must not wait for an idle producer, nor crash on its 'error' event
    // (errors travel through the port; a crash sets FINISHED without an envelope)
    this.worker.on('error', () => undefined);
    this.worker.unref();
  }

  /** Whether next() would return at once: an item (or the producer's end) is waiting. */
  get ready(): boolean {
    return this.done || Atomics.load(this.ctrl, PRODUCED) > this.consumed || Atomics.load(this.ctrl, FINISHED) === 1;
  }

  /** The next item, blocking until it is there; undefined once the producer finished. */
  next(): T | undefined {
    if (this.done) return undefined;
    for (;;) {
      const produced = Atomics.load(this.ctrl, PRODUCED);
      if (produced > this.consumed) break;
      if (Atomics.load(this.ctrl, FINISHED) === 1 && Atomics.load(this.ctrl, PRODUCED) <= this.consumed) {
        const last = receiveMessageOnPort(this.port);
        if (last === undefined) {
          this.close();
          throw new Error('the worker thread stopped without a result');
        }
        return this.take(last.message as Envelope<T>);
      }
      Atomics.wait(this.ctrl, PRODUCED, produced, 1000);
    }
    const m = receiveMessageOnPort(this.port);
    if (m === undefined) throw new Error('worker item counted but not delivered');
    return this.take(m.message as Envelope<T>);
  }

  private take(env: Envelope<T>): T | undefined {
    this.consumed++;
    Atomics.store(this.ctrl, CONSUMED, this.consumed);
    Atomics.notify(this.ctrl, CONSUMED);
    if (env.kind === 'item') return env.value;
    this.close();
    if (env.kind === 'end') return undefined;
    throw reviveError(env.error);
  }

  /**
   * Hand buffers of a consumed item back to the producer for reuse (ProducerContext.recycled).
   * Transferred buffers the consumer dropped would otherwise wait for this thread's next
   * garbage collection, which a consumer that allocates little runs rarely: tens of MB of
   * them pile up (ADR 0190).
   */
  recycle(buffers: ArrayBuffer[]): void {
    if (!this.done) this.back.postMessage(buffers, buffers);
  }

  /**
   * Send the producer a value it may use ahead of need (ProducerContext.fed), in order:
   * work this thread does while it would otherwise wait for the next item (ADR 0196). The
   * producer must not depend on it — a value not there yet when needed is the producer's
   * own to make — so how much is fed changes no result.
   */
  feed(value: unknown, transfer: ArrayBuffer[] = []): void {
    if (!this.done) this.feedPort.postMessage(value, transfer);
  }

  /** Stop the producer (idempotent). */
  close(): void {
    if (this.done) return;
    this.done = true;
    Atomics.store(this.ctrl, CANCELLED, 1);
    Atomics.notify(this.ctrl, CONSUMED);
    this.port.close();
    this.back.close();
    this.feedPort.close();
    void this.worker.terminate();
  }
}

/** An error as it crossed from a worker thread (AppError with its fields, else message and stack). */
export function reviveError(e: SerializedError): Error {
  if (e.app) return new AppError(e.app);
  const err = new Error(e.message);
  if (e.stack) err.stack = e.stack;
  return err;
}

/** An error as it can cross to another thread (see reviveError). */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof AppError) {
    return {
      message: e.message,
      app: { code: e.code, exit: e.exit, msg: e.msg, ...(e.location ? { location: e.location } : {}), findings: e.findings, moreFindings: e.moreFindings },
    };
  }
  if (e instanceof Error) return { message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
  return { message: String(e) };
}

/** What the producer's body gets: its input and a blocking `post`. */
export interface ProducerContext<I, T> {
  input: I;
  /** Hand over one item (blocks while maxInFlight items wait); transfer: ArrayBuffers to move, not copy. */
  post(value: T, transfer?: ArrayBuffer[]): void;
  /** True once the consumer closed (stop early). */
  cancelled(): boolean;
  /** Buffers the consumer handed back (SyncProducer.recycle), oldest first; undefined when none is waiting. */
  recycled(): ArrayBuffer[] | undefined;
  /** The next value the consumer fed (SyncProducer.feed), in order; undefined when none is waiting (never blocks). */
  fed(): unknown;
}

/**
 * Producer side: run `body` in this worker thread, posting its items; then the end
 * marker, or its error. Call once at the top level of the worker script, as its default
 * export (`export default runProducer((ctx: ProducerContext<Input, Item>) => …)`): the
 * returned marker carries the script's types to its reference (workerRef).
 */
export function runProducer<I, T>(body: (ctx: ProducerContext<I, T>) => void): WorkerProtocol<I, T, 'producer'> {
  if (isMainThread || parentPort === null) throw new Error('runProducer is for worker threads');
  const boot = workerData as Boot;
  const ctrl = new Int32Array(boot.ctrl);
  const port = boot.port;
  let produced = 0;
  const send = (env: Envelope<T>, transfer?: ArrayBuffer[]): void => {
    port.postMessage(env, transfer ?? []);
    produced++;
    Atomics.store(ctrl, PRODUCED, produced);
    Atomics.notify(ctrl, PRODUCED);
  };
  const ctx: ProducerContext<I, T> = {
    input: boot.input as I,
    cancelled: () => Atomics.load(ctrl, CANCELLED) === 1,
    recycled: () => receiveMessageOnPort(boot.back)?.message as ArrayBuffer[] | undefined,
    fed: () => receiveMessageOnPort(boot.feed)?.message as unknown,
    post(value, transfer) {
      for (;;) {
        if (Atomics.load(ctrl, CANCELLED) === 1) throw new Cancelled();
        const consumed = Atomics.load(ctrl, CONSUMED);
        if (produced - consumed < boot.maxInFlight) break;
        Atomics.wait(ctrl, CONSUMED, consumed, 1000);
      }
      send({ kind: 'item', value }, transfer);
    },
  };
  try {
    body(ctx);
    send({ kind: 'end' });
  } catch (e) {
    if (!(e instanceof Cancelled)) send({ kind: 'error', error: serializeError(e) });
  } finally {
    Atomics.store(ctrl, FINISHED, 1);
    Atomics.notify(ctrl, PRODUCED);
    port.close();
    boot.back.close();
    boot.feed.close();
  }
  return MARKER;
}

class Cancelled extends Error {}

const MARKER = Object.freeze({});

/**
 * A plain worker's side: `body` gets the worker's input (workerData) and its result is
 * posted to the parent as the one message. Call once at the top level of the worker script,
 * as its default export (see runProducer); the step starts it with `startWorker`.
 */
export function workerMain<I, T>(body: (input: I) => T): WorkerProtocol<I, T, 'plain'> {
  if (isMainThread || parentPort === null) throw new Error('workerMain is for worker threads');
  parentPort.postMessage(body(workerData as I));
  return MARKER;
}

/** Start a plain worker (workerMain) on `input`; its one message is a `ItemOf<typeof ref>`. */
export function startWorker<I, T>(ref: WorkerRef<I, T, 'plain'>, input: I): Worker {
  return new Worker(workerPath(ref), { workerData: input });
}
