/**
 * decodeRecord builds its object through a per-record decoder and decodes kana through
 * a UTF-16 scratch buffer: it must give exactly decodeField of every non-filler field,
 * in layout order, for any bytes (valid or not).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileLayoutXml, decodeField, decodeRecord, loadLayout, type RecordDef } from '../../src/layout/index.js';

const S = loadLayout('seizure-120');
const ST = loadLayout('statement-03');
const X = compileLayoutXml(
  `<layout id="x" recordLength="40" encoding="cp932"><record kind="data">
    <field id="k" type="N" length="1" const="2"/><field id="c" type="C" length="12" class="any"/><field id="n" type="N" length="5" blank="allow"/>
    <field id="j" type="J" length="8"/><field id="f" type="X" length="4" filler="true"/><field id="x" type="X" length="10"/></record></layout>`,
  'x.xml',
);

function byField(rec: RecordDef, buf: Uint8Array, at: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of rec.fields) if (!f.filler) out[f.id] = decodeField(f, buf, at);
  return out;
}

// bytes biased towards what files hold: digits, spaces, kana, plus anything
const byte = fc.oneof(fc.constantFrom(0x20, 0x30, 0x35, 0x39, 0x41, 0x5c, 0x7e, 0xb1, 0xb6, 0xca, 0xde, 0xdf, 0xa7, 0x81, 0x40, 0x88, 0x9f), fc.integer({ min: 0, max: 255 }));

describe('decodeRecord equals decodeField per field', () => {
  for (const [name, rec] of [
    ['seizure-120 data', S.records.data!],
    ['seizure-120 header', S.records.header!],
    ['statement-03 data', ST.records.data!],
    ['J/X/blank layout', X.records.data!],
  ] as const) {
    it(name, () => {
      const len = rec.fields.reduce((a, f) => a + f.length, 0);
      fc.assert(
        fc.property(fc.array(byte, { minLength: len, maxLength: len }), fc.nat(3), (bytes, pad) => {
          const buf = Buffer.concat([Buffer.alloc(pad, 0x20), Buffer.from(bytes)]);
          const got = decodeRecord(rec, buf, pad);
          const want = byField(rec, buf, pad);
          expect(got).toEqual(want);
          expect(Object.keys(got)).toEqual(Object.keys(want));
        }),
        { numRuns: 1500 },
      );
    });
  }

  it('kana fields longer than the scratch buffer, and a plain Uint8Array', () => {
    const L = compileLayoutXml(`<layout id="l" recordLength="601" encoding="cp932"><record kind="data"><field id="k" type="N" length="1" const="2"/><field id="c" type="C" length="600" class="any"/></record></layout>`, 'l.xml');
    const buf = Buffer.alloc(601, 0xb1);
    buf[0] = 0x32;
    buf[599] = 0xde;
    expect(decodeRecord(L.records.data!, buf, 0)['c']).toBe('ｱ'.repeat(598) + 'ﾞｱ');
    expect(decodeRecord(L.records.data!, new Uint8Array(buf), 0)).toEqual(decodeRecord(L.records.data!, buf, 0));
  });
});
