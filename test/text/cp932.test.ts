import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import fc from 'fast-check';
import { encodeJ, encodeJGeneral, encodeJInto } from '../../src/text/cp932.js';
import type { Finding } from '../../src/core/errors.js';
import { checkRecord, compileLayoutXml, decodeRecord, encodeRecord, type Layout } from '../../src/layout/index.js';

function layout(enc: 'cp932' | 'shift_jis'): Layout {
  return compileLayoutXml(
    `<layout id="j" recordLength="11" encoding="${enc}"><record kind="data">
      <field id="k" type="N" length="1" const="2"/><field id="name" type="J" length="10"/></record></layout>`,
    'j.xml',
  );
}
const CP = layout('cp932');
const SJ = layout('shift_jis');

function rec(L: Layout, bytes: number[]): Buffer {
  const b = Buffer.alloc(11, 0x20);
  b[0] = 0x32;
  for (let i = 1; i < 11; i += 2) {
    b[i] = 0x81;
    b[i + 1] = 0x40;
  }
  Buffer.from(bytes).copy(b, 1);
  void L;
  return b;
}
function check(L: Layout, b: Buffer): Finding[] {
  const out: Finding[] = [];
  checkRecord(L.records.data!, b, 0, { fileOffset: 0, index: 0, today: '2026-11-23', encoding: L.encoding }, (f) => out.push(f));
  return out;
}

describe('J fields (CP932 double-byte)', () => {
  it('encodes with full-width space padding and decodes without it', () => {
    const out = Buffer.alloc(11);
    encodeRecord(CP, CP.records.data!, { name: '山田　太郎' }, out, 0);
    expect([...out.subarray(1)]).toEqual([...iconv.encode('山田　太郎', 'cp932')]);
    encodeRecord(CP, CP.records.data!, { name: '海' }, out, 0);
    expect([...out.subarray(3, 5)]).toEqual([0x81, 0x40]);
    expect(decodeRecord(CP.records.data!, out, 0).name).toBe('海');
    expect(check(CP, out)).toEqual([]);
  });
  it('refuses what iconv-lite would silently write as "?"', () => {
    for (const ch of ['−', '〜', '😀', '\u00ac']) {
      expect(() => encodeRecord(CP, CP.records.data!, { name: ch }, Buffer.alloc(11), 0), ch).toThrowError(/Shift_JIS|CP932/);
    }
  });
  it('refuses single-byte characters and overlong text', () => {
    expect(() => encodeRecord(CP, CP.records.data!, { name: '山A' }, Buffer.alloc(11), 0)).toThrowError(/single-byte/);
    expect(() => encodeRecord(CP, CP.records.data!, { name: '山田太郎です' }, Buffer.alloc(11), 0)).toThrowError(/too long/);
  });
  it('NEC/IBM extensions: allowed with cp932, refused with shift_jis (read and write)', () => {
    for (const ch of ['①', 'Ⅱ', '髙']) {
      expect(() => encodeRecord(CP, CP.records.data!, { name: ch }, Buffer.alloc(11), 0)).not.toThrow();
      expect(() => encodeRecord(SJ, SJ.records.data!, { name: ch }, Buffer.alloc(11), 0), ch).toThrowError(/extension/);
      const b = rec(SJ, [...iconv.encode(ch, 'cp932')]);
      expect(check(CP, b)).toEqual([]);
      expect(check(SJ, b)).toMatchObject([{ code: 'field.j-extension', field: 'name', offset: 1 }]);
    }
  });
  it('a single-byte byte (space included) inside a J field is a violation', () => {
    expect(check(CP, rec(CP, [0x8a, 0x43, 0x20, 0x20]))).toMatchObject([{ code: 'field.j-single-byte', found: ' ' }]);
    expect(check(CP, rec(CP, [0x41, 0x41]))).toMatchObject([{ code: 'field.j-single-byte', found: 'A' }]);
  });
  it('a lead byte without its trail byte, and unmappable / user-defined codes', () => {
    const b = rec(CP, []);
    b[9] = 0x81;
    b[10] = 0x40;
    b[9] = 0x8a; // lead at the end followed by 0x40 is a valid pair; make trail invalid:
    b[10] = 0x0a;
    expect(check(CP, b)).toMatchObject([{ code: 'field.j-odd' }]);
    expect(check(CP, rec(CP, [0x85, 0x40]))).toMatchObject([{ code: 'field.j-unmappable', found: '\\x85\\x40' }]);
    expect(check(CP, rec(CP, [0xf0, 0x40]))).toMatchObject([{ code: 'field.j-unmappable' }]);
    // and decoding a damaged field still works (shown as \xNN)
    expect(decodeRecord(CP.records.data!, rec(CP, [0x85, 0x40]), 0).name).toBe('\\x85\\x40');
  });
});

describe('encodeJ fast path (issue 15 item 7, ADR 0142)', () => {
  const pool = ['山', '田', 'ア', '\u3000', '～', '①', '髙', '﨑', 'A', 'ｱ', '𠮷', '\uD800', '〜', '−', '〓', '♪', '\uE000'];
  const text = fc.array(fc.constantFrom(...pool), { maxLength: 30 }).map((a) => a.join(''));
  it('gives the per-character result (bytes, or the first refused character and why)', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('cp932' as const, 'shift_jis' as const), (s, enc) => {
        expect(encodeJ(s, enc)).toEqual(encodeJGeneral(s, enc));
      }),
      { numRuns: 2000 },
    );
  });

  it('encodeJInto writes encodeJ\'s bytes where they fit (and only them), else -1 where encodeJ refuses or they do not fit', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('cp932' as const, 'shift_jis' as const), fc.integer({ min: 0, max: 64 }), fc.integer({ min: 0, max: 3 }), (s, enc, max, at) => {
        const out = new Uint8Array(at + 70).fill(0xee);
        const n = encodeJInto(s, enc, out, at, max);
        const r = encodeJ(s, enc);
        if (r.ok && r.bytes.length <= max) {
          expect(n).toBe(r.bytes.length);
          expect([...out.subarray(at, at + n)]).toEqual(r.bytes);
          expect(out.subarray(0, at).every((b) => b === 0xee) && out.subarray(at + n).every((b) => b === 0xee)).toBe(true);
        } else expect(n).toBe(-1);
      }),
      { numRuns: 3000 },
    );
  });
});
