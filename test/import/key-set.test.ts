import { describe, expect, it } from 'vitest';
import { KeySet } from '../../src/core/key-set.js';

describe('KeySet (compact import key set, ADR 0026)', () => {
  it('agrees with a Set<string> through growth, deletes, re-adds and non-ASCII keys', () => {
    const ks = new KeySet(8);
    const ref = new Set<string>();
    let seed = 12345;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const keyOf = (n: number): string => (n % 97 === 0 ? `宛名${n}` : n % 89 === 0 ? '' : `2026${String(n).padStart(10, '0')}\u00000184`);
    for (let i = 0; i < 60_000; i++) {
      const k = keyOf(rnd() % 40_000);
      const op = rnd() % 10;
      if (op < 6) expect(ks.add(k)).toBe(!ref.has(k) && (ref.add(k), true));
      else if (op < 7) expect(ks.delete(k)).toBe(ref.delete(k));
      else expect(ks.has(k)).toBe(ref.has(k));
    }
    expect(ks.size).toBe(ref.size);
    for (let n = 0; n < 40_000; n++) expect(ks.has(keyOf(n))).toBe(ref.has(keyOf(n)));
  });

  it('compares keys exactly, not by hash: prefixes and same-length neighbours are distinct', () => {
    const ks = new KeySet();
    ks.add('100000001');
    expect(ks.has('10000000')).toBe(false);
    expect(ks.has('1000000010')).toBe(false);
    expect(ks.has('100000002')).toBe(false);
    expect(ks.has('100000001')).toBe(true);
    expect(ks.add('100000001')).toBe(false);
  });
});

describe('KeySet.clear', () => {
  it('empties the set and keeps working as a fresh one (the buffers are reused)', () => {
    const ks = new KeySet(4);
    for (let i = 0; i < 5_000; i++) ks.add(`D${i}`);
    ks.add('宛名');
    expect(ks.clear()).toBe(ks);
    expect(ks.size).toBe(0);
    expect(ks.has('D1')).toBe(false);
    expect(ks.has('宛名')).toBe(false);
    const ref = new Set<string>();
    for (let i = 0; i < 8_000; i++) {
      const k = `A${(i * 7919) % 6_000}|0184|100|1|${i % 3}`;
      expect(ks.add(k)).toBe(!ref.has(k) && (ref.add(k), true));
    }
    expect(ks.size).toBe(ref.size);
    for (const k of ref) expect(ks.has(k)).toBe(true);
    expect(ks.has('D1')).toBe(false);
  });
});
