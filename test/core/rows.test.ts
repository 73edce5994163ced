/**
 * Columnar rows handed between threads (src/core/rows.ts, ADR 0101): what is appended
 * field by field is read back by name, exactly (yen beyond 2^31, nulls, empty and
 * non-ASCII text), across growth and chunk after chunk, and intact after the buffers
 * were transferred to a worker thread.
 */
import { describe, expect, it } from 'vitest';
import { buffersOf, defineRows, type RowsChunk } from '../../src/core/rows.js';
import { SyncProducer, workerRef, type WorkerProtocol } from '../../src/core/sync-worker.js';

const ROWS = defineRows({ id: 'int', amount: 'int', name: 'str', birth: 'str?' });
type Row = { id: number; amount: number; name: string; birth: string | null };

const sample = (i: number): Row => ({
  id: i,
  amount: i % 3 === 0 ? 999_999_999_999 : i * 1_000 + 7, // 12 digits: past 2^31
  name: i % 5 === 0 ? '' : i % 2 === 0 ? `ﾔﾏﾀﾞ ﾀﾛｳ${i}` : `山田 太郎 ${'x'.repeat(i % 40)}`,
  birth: i % 4 === 0 ? null : `1960${String((i % 12) + 1).padStart(2, '0')}01`,
});

/** One row set field by field, as a producer does. */
function put(b: ReturnType<typeof ROWS.builder>, w: Row): void {
  b.set.id(w.id);
  b.set.amount(w.amount);
  b.set.name(w.name);
  b.set.birth(w.birth);
  b.endRow();
}

function readAll(chunk: RowsChunk<typeof ROWS.schema>): Row[] {
  const r = ROWS.read(chunk);
  const out: Row[] = [];
  for (let i = 0; i < chunk.n; i++) out.push({ id: r.id(i), amount: r.amount(i), name: r.name(i), birth: r.birth(i) });
  return out;
}

describe('columnar rows', () => {
  it('reads back every value by name, across growth from a capacity of 1', () => {
    const b = ROWS.builder(1);
    const want = Array.from({ length: 1000 }, (_v, i) => sample(i));
    for (const w of want) put(b, w);
    const chunk = b.finish();
    expect(chunk.n).toBe(1000);
    expect(readAll(chunk)).toEqual(want);
  });

  it('starts a new chunk after finish (the first one untouched), and an empty chunk reads as none', () => {
    const b = ROWS.builder(4);
    [1, 2, 3].forEach((i) => put(b, sample(i)));
    const first = b.finish();
    [7, 8].forEach((i) => put(b, sample(i)));
    const second = b.finish();
    expect(readAll(first)).toEqual([1, 2, 3].map(sample));
    expect(readAll(second)).toEqual([7, 8].map(sample));
    expect(b.finish().n).toBe(0);
    expect(readAll(b.finish())).toEqual([]);
  });

  it("an 'int?' column reads back null where null was set, and 0, negatives and 12 digits as numbers", () => {
    const OPT = defineRows({ balance: 'int?', name: 'str?' });
    const want: Array<number | null> = [null, 0, -1, 999_999_999_999, null, 42];
    const b = OPT.builder(2);
    for (const v of want) {
      b.set.balance(v);
      b.set.name(v === null ? null : String(v));
      b.endRow();
    }
    const chunk = b.finish();
    const r = OPT.read(chunk);
    expect(Array.from({ length: chunk.n }, (_v, i) => [r.balance(i), r.name(i)])).toEqual(want.map((v) => [v, v === null ? null : String(v)]));
  });

  it('pushRow appends a row given in schema order, read back the same by name; readColumns gives every value column by column', () => {
    const b = ROWS.builder(2);
    const want = Array.from({ length: 300 }, (_v, i) => sample(i));
    for (const w of want) b.pushRow([w.id, w.amount, w.name, w.birth]);
    const chunk = b.finish();
    expect(readAll(chunk)).toEqual(want);
    const cols = ROWS.readColumns(chunk);
    expect(cols.id).toEqual(want.map((w) => w.id));
    expect(cols.amount).toEqual(want.map((w) => w.amount));
    expect(cols.name).toEqual(want.map((w) => w.name));
    expect(cols.birth).toEqual(want.map((w) => w.birth));
  });

  it('pushRow refuses a row of the wrong width, a value of the wrong kind and a null where none is taken', () => {
    const b = ROWS.builder();
    expect(() => b.pushRow([1, 2, 'a'])).toThrow(/4 columns got 3/);
    b.pushRow([1, 2, 'first', null]);
    expect(() => b.pushRow([1, 'x', 'a', null])).toThrow(/wrong kind in column 2/);
    expect(() => b.pushRow([1, 2, 3, null])).toThrow(/wrong kind in column 3/);
    expect(() => b.pushRow([1, 2, 'abc', 7])).toThrow(/wrong kind in column 4/);
    expect(() => b.pushRow([1, 2, null, null])).toThrow(/null in column 3/);
    expect(() => b.pushRow([null, 2, 'a', null])).toThrow(/null in column 1/);
    // a refused row leaves nothing behind
    b.pushRow([3, 4, 'last', '19600101']);
    expect(readAll(b.finish())).toEqual([
      { id: 1, amount: 2, name: 'first', birth: null },
      { id: 3, amount: 4, name: 'last', birth: '19600101' },
    ]);
  });

  it('refuses a row with a column left unset, and a finish in the middle of a row', () => {
    const b = ROWS.builder();
    b.set.id(1);
    b.set.name('a');
    b.set.birth(null);
    expect(() => b.endRow()).toThrow(/4 columns got 3/);
    const c = ROWS.builder();
    c.set.id(1);
    expect(() => c.finish()).toThrow(/middle of a row/);
  });

  it('crosses to another thread and back with its buffers transferred, not copied', () => {
    const b = ROWS.builder(8);
    const want = Array.from({ length: 50 }, (_v, i) => sample(i));
    for (const w of want) put(b, w);
    const chunk = b.finish();
    const transfer = buffersOf(chunk);
    expect(transfer.length).toBe(2 + 2 * 2); // a buffer per number column, two per text column
    type Chunk = RowsChunk<typeof ROWS.schema>;
    const ECHO = workerRef<{ default: WorkerProtocol<Chunk, Chunk | { detached: boolean }, 'producer'> }>(new URL('../fixtures/workers/echo-rows.mjs', import.meta.url));
    const p = new SyncProducer(ECHO, chunk);
    const back = p.next();
    const after = p.next();
    expect(p.next()).toBeUndefined();
    expect(back !== undefined && 'n' in back ? readAll(back) : back).toEqual(want);
    expect(after).toEqual({ detached: true }); // the worker's copies of the buffers moved out
  });
});
