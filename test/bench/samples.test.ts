import { describe, expect, it } from 'vitest';
import { describeSamples, summarize } from '../../src/bench/samples.js';

describe('bench samples', () => {
  it('the figure is the minimum, beside the median and the spread', () => {
    expect(summarize([3.47, 4.54, 3.9])).toEqual({ min: 3.47, median: 3.9, max: 4.54, spread: 1.07, n: 3 });
    expect(summarize([2, 1, 4, 3])).toEqual({ min: 1, median: 2.5, max: 4, spread: 3, n: 4 });
    expect(summarize([5])).toEqual({ min: 5, median: 5, max: 5, spread: 0, n: 1 });
    expect(() => summarize([])).toThrow();
  });
  it('reads as the figure alone for one sample, with its company for several', () => {
    expect(describeSamples(summarize([1.234]))).toBe('1.23 s');
    expect(describeSamples(summarize([1, 2, 4]))).toBe('1.00 s (median 2.00, spread 3.00, 3 samples)');
  });
});
