/**
 * Widening 氏名 / 住所 for J fields (inquiry-300.md "Names"): full-width only, 〓 for
 * what CP932 lacks (counted), cut at the field's bytes (said so), the JIS/Microsoft
 * pairs written as CP932 writes them; and what it produces is what the inquiry-300
 * layout's J fields encode, at the spec's offsets.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { decodeRecord, encodeRecord, loadLayout, recordDef } from '../../src/layout/index.js';
import { isDoubleByte } from '../../src/text/cp932.js';
import { GETA, widenGeneral, widenText } from '../../src/text/widen.js';

const NAME = 40;
const ADDRESS = 100;

describe('widenText', () => {
  it('widens ASCII and half-width kana; space becomes the full-width space', () => {
    expect(widenText('A1-z ~', NAME).value).toBe('Ａ１－ｚ　～');
    expect(widenText('ｱｲｳ ｰ｡', NAME).value).toBe('アイウ　ー。');
    expect(widenText('ﾔﾏﾀﾞ ﾀﾛｳ', NAME)).toEqual({ value: 'ヤマダ　タロウ', gaiji: 0, shortened: false });
  });

  it('composes half-width kana with a voicing mark first: ｶﾞ → ガ (0x834B), ﾊﾟ → パ, ｳﾞ → ヴ', () => {
    const r = widenText('ｶﾞﾊﾟｳﾞ', NAME);
    expect(r.value).toBe('ガパヴ');
    expect([...iconv.encode(r.value, 'cp932').subarray(0, 2)]).toEqual([0x83, 0x4b]);
    // a combining mark after full-width kana (NFD input) composes too; a mark that composes with nothing stands alone
    expect(widenText('カ\u3099', NAME).value).toBe('ガ');
    expect(widenText('ｱﾞ', NAME).value).toBe('ア゛');
  });

  it('外字 and emoji (surrogate pairs) become 〓, never "?" and never dropped, counted', () => {
    const r = widenText('𠮷田😀太郎', NAME);
    expect(r.value).toBe(`${GETA}田${GETA}太郎`);
    expect(r.gaiji).toBe(2);
    expect(r.value).not.toContain('?');
    expect([...iconv.encode(GETA, 'cp932')]).toEqual([0x81, 0xac]);
  });

  it('the JIS/Microsoft pairs are written as CP932 writes them (not substituted, not counted)', () => {
    const pairs: Array<[string, string, number]> = [
      ['\u301C', '\uFF5E', 0x8160],
      ['\uFF5E', '\uFF5E', 0x8160],
      ['\u2212', '\uFF0D', 0x817c],
      ['\uFF0D', '\uFF0D', 0x817c],
      ['\u00A2', '\uFFE0', 0x8191],
      ['\uFFE0', '\uFFE0', 0x8191],
      ['\u00A3', '\uFFE1', 0x8192],
      ['\uFFE1', '\uFFE1', 0x8192],
      ['\u00AC', '\uFFE2', 0x81ca],
      ['\uFFE2', '\uFFE2', 0x81ca],
      ['\u2016', '\u2225', 0x8161],
      ['\u2225', '\u2225', 0x8161],
    ];
    for (const [from, to, code] of pairs) {
      const r = widenText(`１${from}２`, NAME);
      expect(r, from).toEqual({ value: `１${to}２`, gaiji: 0, shortened: false });
      expect([...iconv.encode(to, 'cp932')], from).toEqual([code >> 8, code & 0xff]);
    }
  });

  it('cuts text longer than the field at the last whole character and says so', () => {
    const address = '鹿児島県鹿児島市山下町'.repeat(6); // 66 characters
    const r = widenText(address, ADDRESS);
    expect(r.shortened).toBe(true);
    expect(r.value).toBe(address.slice(0, 50));
    expect(widenText(address.slice(0, 50), ADDRESS).shortened).toBe(false);
    // a 外字 beyond the cut is not counted: it was not written
    expect(widenText(`${'山'.repeat(20)}𠮷`, NAME)).toEqual({ value: '山'.repeat(20), gaiji: 0, shortened: true });
  });

  it('trims leading and trailing spaces (the field pads with full-width spaces)', () => {
    expect(widenText('  山田 太郎　 ', NAME).value).toBe('山田　太郎');
    expect(widenText('', NAME)).toEqual({ value: '', gaiji: 0, shortened: false });
  });

  it('property: only double-byte CP932 characters, never longer than the field, idempotent', () => {
    const pieces = fc.constantFrom('A', 'z', '9', ' ', '-', '~', 'ｱ', 'ｶ', 'ﾞ', 'ﾟ', 'ﾊ', 'ｰ', '山', '髙', '①', '〜', '−', '¢', '‖', '𠮷', '😀', '\u3099', 'é', '\t', '　', 'ア', '\uD800');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 80 }), fc.constantFrom(NAME, ADDRESS, 2, 6), (parts, bytes) => {
        const r = widenText(parts.join(''), bytes);
        const chars = Array.from(r.value);
        expect(chars.length * 2).toBeLessThanOrEqual(bytes);
        for (const ch of chars) expect(isDoubleByte(ch), JSON.stringify(ch)).toBe(true);
        expect(iconv.encode(r.value, 'cp932').length).toBe(chars.length * 2);
        expect(widenText(r.value, bytes).value).toBe(r.value);
      }),
      { numRuns: 500 },
    );
  });
});

describe('widened text through the inquiry-300 layout (J fields 氏名 at 61, 住所 at 108)', () => {
  const L = loadLayout('inquiry-300');
  const rec = recordDef(L, 'account')!;
  it('encodes exactly, at the spec offsets, and decodes back', () => {
    const name = widenText('𠮷田 ﾀﾛｳ〜', NAME);
    const address = widenText('鹿児島市山下町11-1 ｶﾞｰﾃﾞﾝ−101'.repeat(3), ADDRESS);
    expect(address.shortened).toBe(true);
    const out = Buffer.alloc(300);
    encodeRecord(L, rec, { inquiryNumber: 1, accountSeq: 0, taxpayerId: '1001', nameKana: 'ﾀﾛｳ', nameKanji: name.value, address: address.value, answerCode: '0' }, out, 0);
    const nameBytes = iconv.encode(name.value, 'cp932');
    expect(out.subarray(61, 61 + nameBytes.length).equals(nameBytes)).toBe(true);
    expect([...out.subarray(61, 63)]).toEqual([0x81, 0xac]); // 〓
    for (let i = 61 + nameBytes.length; i < 101; i += 2) expect([out[i], out[i + 1]]).toEqual([0x81, 0x40]);
    expect(out.subarray(108, 208).equals(iconv.encode(address.value, 'cp932'))).toBe(true);
    const back = decodeRecord(rec, out, 0);
    expect(back['nameKanji']).toBe(name.value);
    expect(back['address']).toBe(address.value);
  });
});

describe('widenText fast path (issue 15 item 7, ADR 0142)', () => {
  // characters of every kind the general path treats apart: ASCII, spaces, half-width kana
  // and marks, combining marks, JIS/Microsoft pairs, kanji, 外字 (surrogates), controls
  const pool = [
    'A', 'z', '1', '-', ' ', '\u3000', '\u00A0', '\t', '\n', 'ｱ', 'ｶ', 'ﾊ', 'ﾞ', 'ﾟ', '\u3099', '\u309A', 'か', 'は',
    '〜', '−', '¢', '¥', '‾', '—', '山', '田', '髙', '﨑', '〓', '𠮷', '😀', '\u0001', 'é', 'Ω', '①', '\uD800',
  ];
  const text = fc.array(fc.constantFrom(...pool), { maxLength: 70 }).map((a) => a.join(''));
  it('gives what the general path gives, for both encodings and any field size', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 110 }), fc.constantFrom('cp932' as const, 'shift_jis' as const), (s, bytes, enc) => {
        expect(widenText(s, bytes, enc)).toEqual(widenGeneral(s, Math.floor(bytes / 2), enc));
      }),
      { numRuns: 3000 },
    );
  });
  it('text mostly already full-width (氏名 as stored; the already-as-written slice): the general path’s result too', () => {
    const wide = ['山', '田', '髙', '﨑', '\u3000', 'か', 'ア', '〜', '−', '〓', '①', '１', 'Ａ'];
    const mostlyWide = fc
      .array(fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...wide) }, { weight: 1, arbitrary: fc.constantFrom(...pool) }), { maxLength: 70 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(mostlyWide, fc.integer({ min: 0, max: 110 }), fc.constantFrom('cp932' as const, 'shift_jis' as const), (s, bytes, enc) => {
        expect(widenText(s, bytes, enc)).toEqual(widenGeneral(s, Math.floor(bytes / 2), enc));
      }),
      { numRuns: 3000 },
    );
  });
});
