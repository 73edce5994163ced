/**
 * core/memo.ts BoundedMemo: a key's value is made once and given back until the memo is
 * full, then the memo starts again (bounded); a null value is remembered like any other.
 */
import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../src/core/memo.js';

describe('BoundedMemo', () => {
  it('makes each value once, remembers null, and empties itself when full', () => {
    const made: string[] = [];
    const make = (s: string): string | null => {
      made.push(s);
      return s === 'none' ? null : s.toUpperCase();
    };
    const m = new BoundedMemo<string, string | null>(3);
    expect(m.get('a', 'a', make)).toBe('A');
    expect(m.get('a', 'a', make)).toBe('A');
    expect(m.get('none', 'none', make)).toBeNull();
    expect(m.get('none', 'none', make)).toBeNull();
    expect(made).toEqual(['a', 'none']);
    m.get('b', 'b', make); // 3 entries: full
    m.get('c', 'c', make); // emptied, then c
    expect(m.get('a', 'a', make)).toBe('A'); // made again
    expect(made).toEqual(['a', 'none', 'b', 'c', 'a']);
  });
});
