/**
 * checkJ's pair table (issue 15 item 7) against checkJPlain, the range tests it replaces:
 * the same answer for every one of the 65,536 byte pairs in both encodings, and for fields
 * of several pairs with the problem anywhere (odd lengths too).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkJ, checkJPlain, type DoubleByteEncoding } from '../../src/text/cp932.js';

const ENCODINGS: DoubleByteEncoding[] = ['cp932', 'shift_jis'];

describe('checkJ by table equals checkJPlain', () => {
  it('every byte pair, both encodings, alone and after a good pair at an offset', () => {
    const one = new Uint8Array(2);
    const three = Uint8Array.of(0x00, 0x88, 0x9f, 0, 0); // a byte before the field, 亜, then the pair
    let bad = 0;
    for (const enc of ENCODINGS) {
      for (let key = 0; key < 0x10000; key++) {
        one[0] = key >> 8;
        one[1] = key & 0xff;
        const plain = checkJPlain(one, 0, 2, enc);
        expect(checkJ(one, 0, 2, enc)).toEqual(plain);
        if (plain !== null) bad++;
        three[3] = key >> 8;
        three[4] = key & 0xff;
        expect(checkJ(three, 1, 5, enc)).toEqual(checkJPlain(three, 1, 5, enc));
      }
    }
    // the table has both answers to give: most pairs are refused, thousands are characters
    expect(bad).toBeGreaterThan(100_000);
    expect(bad).toBeLessThan(2 * 0x10000 - 10_000);
  });

  it('fields of several pairs, odd lengths, repeated (the table filled)', () => {
    const pairs = fc.constantFrom(0x8140, 0x889f, 0x82a0, 0x8740, 0xed40, 0xfa40, 0xf040, 0x81ac, 0x8180, 0x817f, 0x4141, 0x9f7e, 0xeaa4, 0xeaa5, 0xfc4b);
    const field = fc.tuple(fc.array(fc.oneof(pairs, fc.integer({ min: 0, max: 0xffff })), { maxLength: 8 }), fc.boolean(), fc.integer({ min: 0, max: 255 }));
    fc.assert(
      fc.property(field, fc.constantFrom(...ENCODINGS), ([ps, odd, extra], enc) => {
        const bytes = [...ps.flatMap((p) => [p >> 8, p & 0xff]), ...(odd ? [extra] : [])];
        const buf = Uint8Array.from([7, ...bytes, 9]);
        for (let round = 0; round < 2; round++) expect(checkJ(buf, 1, 1 + bytes.length, enc)).toEqual(checkJPlain(buf, 1, 1 + bytes.length, enc));
      }),
      { numRuns: 3000 },
    );
  });
});
