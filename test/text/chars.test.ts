import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import type { Finding } from '../../src/core/errors.js';
import { checkRecord, compileLayoutXml, decodeRecord, encodeRecord, loadLayout, type Layout } from '../../src/layout/index.js';
import { decodeX, parseX } from '../../src/text/jisx0201.js';

const S = loadLayout('seizure-120');
const DATA = S.records.data!;
const HEADER = S.records.header!;

/** A valid data record, with holderName bytes replaced. */
function dataWithName(nameBytes: number[]): Buffer {
  const out = Buffer.alloc(120);
  encodeRecord(S, DATA, { requestNumber: 1, subNumber: 1, branchCode: 1, accountType: 1, accountNumber: 1, holderName: 'A', birthDate: '00000000', limitAmount: 1 }, out, 0);
  out.fill(0x20, 24, 54);
  Buffer.from(nameBytes).copy(out, 24);
  return out;
}
function findings(rec = DATA, buf: Buffer, fileOffset = 1000): Finding[] {
  const out: Finding[] = [];
  checkRecord(rec, buf, 0, { fileOffset, index: 7, today: '2026-11-23', encoding: 'cp932' }, (f) => out.push(f));
  return out;
}
const sj = (s: string) => [...iconv.encode(s, 'cp932')];
function encodeName(name: string): () => void {
  return () => encodeRecord(S, DATA, { holderName: name }, Buffer.alloc(120), 0);
}

describe('C field character rules (party class, holderName)', () => {
  it('accepts the base set, party symbols and proper voicing', () => {
    expect(findings(DATA, dataWithName(sj('ﾔﾏﾀﾞ ﾀﾛｳ(ｶ).-ABC 09ｳﾞﾊﾟ')))).toEqual([]);
    expect(encodeName('ﾔﾏﾀﾞ ﾀﾛｳ(ｶ).-ABC 09ｳﾞﾊﾟ')).not.toThrow();
  });
  const cases: Array<[string, string, RegExp]> = [
    ['lowercase', 'ﾔﾏﾀﾞ taro', /uppercase/],
    ['ｦ', 'ｦｶ', /ｦ is not allowed/],
    ['small kana', 'ｷｬﾘｰ', /small kana/],
    ['long vowel ｰ', 'ｶｰﾄﾞ', /long-vowel/],
    ['comma', 'ﾔﾏﾀﾞ,ﾀﾛｳ', /commas/],
  ];
  for (const [what, name, hint] of cases) {
    it(`refuses ${what}: finding with the offending character only, and encode throws`, () => {
      const f = findings(DATA, dataWithName(sj(name)));
      expect(f).toHaveLength(1);
      expect(f[0]).toMatchObject({ code: 'field.class', record: 7, offset: 1024, field: 'holderName' });
      expect(f[0]!.found!.length).toBe(1); // personal: only the offending character
      expect(f[0]!.message.en).toMatch(hint);
      expect(encodeName(name)).toThrowError(/holderName/);
    });
  }
  it('locates the offending byte in the file', () => {
    const f = findings(DATA, dataWithName(sj('ﾀﾅｶa')), 5000);
    expect(f[0]!.message.en).toContain('file byte 5027');
    expect(f[0]!.found).toBe('a');
  });
  it('refuses a double-byte character (its bytes are outside JIS X 0201)', () => {
    const f = findings(DATA, dataWithName(sj('山田')));
    expect(f[0]).toMatchObject({ code: 'field.class', found: '\\x8e' });
    expect(encodeName('山田')).toThrowError(/U\+5C71/);
  });
  it('voicing marks: ﾞ after ｶ/ｻ/ﾀ/ﾊ rows or ｳ, ﾟ after the ﾊ row only, never first', () => {
    for (const ok of ['ｶﾞ', 'ｿﾞ', 'ﾄﾞ', 'ﾎﾞ', 'ｳﾞ', 'ﾊﾟ', 'ﾎﾟ']) expect(findings(DATA, dataWithName(sj(ok))), ok).toEqual([]);
    for (const bad of ['ﾅﾞ', 'ｱﾞ', 'ｶﾟ', 'ﾏﾟ', 'ﾞｶ', 'ﾟ', 'ｶﾞﾞ', 'A ﾞ']) {
      const f = findings(DATA, dataWithName(sj(bad)));
      expect(f.map((x) => x.code), bad).toEqual(['field.voicing']);
      expect(encodeName(bad), bad).toThrowError(/holderName/);
    }
  });
  it('class bank allows - but not ( ) .', () => {
    const h = Buffer.alloc(120);
    encodeRecord(S, HEADER, { typeCode: '51', collectionMode: 1, bankName: 'ﾐﾂﾋﾞｼ-UFJ' }, h, 0);
    expect(findings(HEADER, h)).toEqual([]);
    expect(() => encodeRecord(S, HEADER, { typeCode: '51', collectionMode: 1, bankName: 'ﾐﾂﾋﾞｼ(ｶ)' }, Buffer.alloc(120), 0)).toThrowError(/class bank/);
    expect(() => encodeRecord(S, HEADER, { typeCode: '51', collectionMode: 1, requesterName: 'ｶｺﾞｼﾏｼ(ｶ)' }, Buffer.alloc(120), 0)).not.toThrow();
  });
  it('never truncates: a value longer than the field is refused', () => {
    expect(encodeName('ｱ'.repeat(31))).toThrowError(/too long/);
    expect(encodeName('ｱ'.repeat(30))).not.toThrow();
  });
});

describe('class any, X fields, N fields', () => {
  const L: Layout = compileLayoutXml(
    `<layout id="t" recordLength="20" encoding="cp932"><record kind="data">
      <field id="k" type="N" length="1" const="2"/><field id="a" type="C" length="8" class="any"/>
      <field id="x" type="X" length="6"/><field id="n" type="N" length="5"/></record></layout>`,
    't.xml',
  );
  const D = L.records.data!;
  it('any: every JIS X 0201 byte incl. lowercase, ｦ, ｰ, comma, backslash; no voicing rule', () => {
    const out = Buffer.alloc(20);
    encodeRecord(L, D, { a: 'aｦｰ,ﾞ\\~¥', x: '', n: 1 }, out, 0);
    expect([...out.subarray(1, 9)]).toEqual([0x61, 0xa6, 0xb0, 0x2c, 0xde, 0x5c, 0x7e, 0x5c]);
    expect(decodeRecord(D, out, 0).a).toBe('aｦｰ,ﾞ\\~\\');
    expect(findings(D, out)).toEqual([]);
  });
  it('X: any byte; non-JIS X 0201 bytes as \\xNN and backslash as \\\\, reversible', () => {
    const bytes = Uint8Array.of(0x41, 0x5c, 0x00, 0x81, 0xff, 0x20);
    expect(decodeX(bytes, 0, 6)).toBe('A\\\\\\x00\\x81\\xff ');
    expect(parseX('A\\\\\\x00\\x81\\xff ')).toEqual({ bytes: [...bytes] });
    const out = Buffer.alloc(20);
    encodeRecord(L, D, { x: 'A\\\\\\x00\\x81', n: 0 }, out, 0);
    expect(decodeRecord(D, out, 0).x).toBe('A\\\\\\x00\\x81');
    expect(() => encodeRecord(L, D, { x: '山' }, Buffer.alloc(20), 0)).toThrowError(/field x/);
  });
  it('N: non-digits and too long values are refused, never truncated', () => {
    expect(() => encodeRecord(L, D, { n: '12a' }, Buffer.alloc(20), 0)).toThrowError(/not a digit/);
    expect(() => encodeRecord(L, D, { n: 123456 }, Buffer.alloc(20), 0)).toThrowError(/too long/);
    expect(() => encodeRecord(L, D, { n: -1 }, Buffer.alloc(20), 0)).toThrowError(/not a digit/);
    expect(() => encodeRecord(L, D, { nope: 1 }, Buffer.alloc(20), 0)).toThrowError(/no field nope/);
    const out = Buffer.alloc(20);
    encodeRecord(L, D, { n: 42 }, out, 0);
    expect(out.subarray(15, 20).toString('latin1')).toBe('00042');
    out[17] = 0x20;
    const f = findings(D, out);
    expect(f).toMatchObject([{ code: 'field.digits', field: 'n', offset: 1015, found: ' ' }]);
  });
  it('dates: real dates or all zeros; personal fields masked', () => {
    const out = Buffer.alloc(120);
    encodeRecord(S, DATA, { accountType: 1, birthDate: '1970-04-01', collectionDate: '00000000' }, out, 0);
    expect(out.subarray(54, 62).toString('latin1')).toBe('19700401');
    expect(() => encodeRecord(S, DATA, { birthDate: '19700231' }, Buffer.alloc(120), 0)).toThrowError(/not a real date/);
    expect(() => encodeRecord(S, DATA, { birthDate: '1970-02-31' }, Buffer.alloc(120), 0)).toThrowError(/birthDate/);
    out.write('19700231', 54, 'latin1');
    const f = findings(DATA, out);
    expect(f).toMatchObject([{ code: 'field.date', field: 'birthDate', found: '***' }]);
    out.write('20260229', 100, 'latin1'); // collectionDate, not personal
    expect(findings(DATA, out).map((x) => [x.field, x.found])).toEqual([
      ['birthDate', '***'],
      ['collectionDate', '20260229'],
    ]);
  });
  it('values: checked on read and on write', () => {
    expect(() => encodeRecord(S, DATA, { accountType: 5 }, Buffer.alloc(120), 0)).toThrowError(/not one of/);
    const out = Buffer.alloc(120);
    encodeRecord(S, DATA, { accountType: 9, resultCode: 31 }, out, 0);
    out[75] = 0x33; // resultCode 33
    expect(findings(DATA, out)).toMatchObject([{ code: 'field.values', field: 'resultCode', found: '33', offset: 1074 }]);
  });
  it('const: written and checked', () => {
    expect(() => encodeRecord(S, HEADER, { codeKubun: '1' }, Buffer.alloc(120), 0)).toThrowError(/only "0"/);
    const out = Buffer.alloc(120);
    encodeRecord(S, HEADER, { typeCode: '52', collectionMode: 2 }, out, 0);
    out[3] = 0x31;
    expect(findings(HEADER, out)).toMatchObject([{ code: 'field.const', field: 'codeKubun', expected: '0', found: '1', offset: 1003 }]);
  });
});
