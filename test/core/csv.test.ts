import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CSV, csvCell, csvLine, csvRows, type CsvValue } from '../../src/core/csv.js';

// cells built from the characters that matter to quoting, plus ordinary and Japanese text
const cellChar = fc.constantFrom(',', '"', '\r', '\n', ' ', 'a', 'Z', '0', '=', '-', '山', 'ｱ', '\uFEFF', '\t');
const text = fc.array(cellChar, { maxLength: 12 }).map((a) => a.join(''));
const value: fc.Arbitrary<CsvValue> = fc.oneof(
  text,
  fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }),
  fc.constant(null),
  fc.constant(undefined),
);

describe('core/csv: the fast path gives csv-stringify\'s bytes', () => {
  it('csvLine(row) === csv-stringify of [row] with the product options, for generated rows', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 8 }), (row) => {
        expect(csvLine(row)).toBe(csvRows([row]));
      }),
      { numRuns: 2000 },
    );
  });

  it('csvCell(cell) joined by commas === csv-stringify (the demo generator\'s rows)', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), (row) => {
        expect(row.map(csvCell).join(',') + '\r\n').toBe(csvRows([row], CSV));
      }),
      { numRuns: 2000 },
    );
  });

  it('quotes on comma, quote, CR and LF; numbers and empties as before', () => {
    expect(csvLine(['a,b', 'a"b', 'x\ny', 'x\rz', ' s ', 1, -2.5, null, undefined, ''])).toBe('"a,b","a""b","x\ny","x\rz", s ,1,-2.5,,,\r\n');
    expect(csvRows([['h1', 'h2'], ['1', '2']])).toBe('h1,h2\r\n1,2\r\n');
  });

  it('a lone line break is quoted like any other (the reject files too: a rejected cell may hold one)', () => {
    expect(csvRows([['x\ny', 'a,b', 'x\r\ny', 'x\rz']])).toBe('"x\ny","a,b","x\r\ny","x\rz"\r\n');
  });
});
