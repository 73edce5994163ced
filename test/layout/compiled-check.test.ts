/**
 * The compiled record check (ADR 0065) is only a shortcut: where it passes a record, the
 * general check must report nothing and its fields must be decodeRecord's; where the
 * general check reports something, it must not pass. Held here on the shipped layouts'
 * sample records with random byte changes, and on a layout with C values, voicing and
 * blank-allowed fields. (It may decline a record the general check accepts: the caller
 * then runs the general check.)
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Finding } from '../../src/core/errors.js';
import * as fs from 'node:fs';
import iconv from 'iconv-lite';
import { checkRecord, compileLayoutXml, decodeRecord, loadLayout, type RecordDef } from '../../src/layout/index.js';
import { identify } from '../../src/layout/codec.js';
import { compiledCheck, compiledCheckDecode } from '../../src/layout/compiled-check.js';
import { scanFileSync, type ReadRecord } from '../../src/file/index.js';

const TODAY = '2026-12-01';
const S = loadLayout('seizure-120');
const ST = loadLayout('statement-03');
const V = compileLayoutXml(
  `<layout id="v" recordLength="40" encoding="cp932"><record kind="data">
    <field id="k" type="N" length="1" const="2"/><field id="name" type="C" length="10" class="party"/>
    <field id="code" type="C" length="3" class="any" values="AB,ｶﾞ,X"/><field id="n" type="N" length="4" blank="allow"/>
    <field id="d" type="N" length="8" format="date-yyyymmdd"/><field id="m" type="N" length="4" format="date-mmdd"/>
    <field id="t" type="N" length="2" values="01,10"/><field id="f" type="C" length="8" filler="true"/></record></layout>`,
  'v.xml',
);

function samples(file: string, layout: typeof S): Array<{ rec: RecordDef; raw: Buffer }> {
  const out: Array<{ rec: RecordDef; raw: Buffer }> = [];
  scanFileSync(new URL(`../../samples/files/${file}`, import.meta.url).pathname, layout, { today: TODAY }, (r: ReadRecord) => {
    out.push({ rec: layout.records[r.kind]!, raw: r.raw });
  });
  return out;
}

function findingsOf(rec: RecordDef, buf: Uint8Array, layout: typeof S): Finding[] {
  const found: Finding[] = [];
  checkRecord(rec, buf, 0, { fileOffset: 0, index: 0, today: TODAY, encoding: layout.encoding }, (f) => found.push(f));
  return found;
}

// bytes a file holds, and the ones each check is about
const byte = fc.oneof(
  fc.constantFrom(0x20, 0x30, 0x31, 0x32, 0x39, 0x2f, 0x3a, 0x41, 0x42, 0x58, 0x28, 0x2e, 0x5c, 0x7e, 0xb1, 0xb3, 0xb6, 0xca, 0xcf, 0xde, 0xdf, 0xa6, 0x00, 0x1f, 0x7f, 0x80, 0xa0, 0xe0, 0xff),
  fc.integer({ min: 0, max: 255 }),
);
const edits = (len: number) => fc.array(fc.tuple(fc.nat(len - 1), byte), { maxLength: 4 });

function holds(layout: typeof S, rec: RecordDef, base: Buffer, changes: Array<[number, number]>): void {
  const buf = Buffer.from(base);
  for (const [at, b] of changes) buf[at] = b;
  const found = findingsOf(rec, buf, layout);
  const fields = compiledCheckDecode(rec)!(buf, 0, TODAY);
  const passed = compiledCheck(rec)!(buf, 0, TODAY);
  expect(passed).toBe(fields !== null);
  if (fields !== null) {
    expect(found).toEqual([]);
    expect(fields).toEqual(decodeRecord(rec, buf, 0));
    expect(Object.keys(fields)).toEqual(Object.keys(decodeRecord(rec, buf, 0)));
  }
}

describe('compiled check: a shortcut that never hides a finding', () => {
  for (const [name, layout, file] of [
    ['seizure-120 request file', S, 'SASHI_0184_00000001.DAT'],
    ['seizure-120 result file', S, 'RESULT_0184_00000001.DAT'],
    ['statement-03', ST, 'STATEMENT_0184.DAT'],
  ] as const) {
    it(`${name}: sample records with random byte changes`, () => {
      const recs = samples(file, layout);
      expect(recs.length).toBeGreaterThan(3);
      fc.assert(
        fc.property(fc.nat(recs.length - 1), edits(layout.recordLength), (i, changes) => holds(layout, recs[i]!.rec, recs[i]!.raw, changes)),
        { numRuns: 3000 },
      );
    });
  }

  it('passes the valid seizure-120 records unchanged (it is a shortcut that is taken)', () => {
    for (const file of ['SASHI_0184_00000001.DAT', 'RESULT_0184_00000001.DAT']) {
      for (const { rec, raw } of samples(file, S)) {
        expect(findingsOf(rec, raw, S)).toEqual([]);
        expect(compiledCheckDecode(rec)!(raw, 0, TODAY)).toEqual(decodeRecord(rec, raw, 0));
      }
    }
  });

  it('C values, voicing marks, blank-allowed N, dates and N values', () => {
    const rec = V.records.data!;
    // k, name ｶﾞﾝﾊﾟ ﾀﾛｳ (one byte each in cp932), code "AB", n, d, m, t, filler
    const bytes = Buffer.from([0x32, 0xb6, 0xde, 0xdd, 0xca, 0xdf, 0x20, 0xc0, 0xdb, 0xb3, 0x20, 0x41, 0x42, 0x20, ...Buffer.from('0012202612011231' + '10' + ' '.repeat(8), 'latin1')]);
    expect(bytes.length).toBe(40);
    expect(findingsOf(rec, bytes, S)).toEqual([]);
    expect(compiledCheckDecode(rec)!(bytes, 0, TODAY)).toEqual(decodeRecord(rec, bytes, 0));
    // each of these the general check reports, so the shortcut must decline it
    for (const [at, b] of [
      [1, 0xde], // ﾞ at the start of a field
      [3, 0xdf], // ﾟ after ﾞ
      [11, 0x43], // code "CB" is not among the values
      [15, 0x41], // a letter in N
      [23, 0x33], // 2026-13-01
      [26, 0x34], // mmdd 4231
      [31, 0x32], // t = 12
    ] as const) {
      const buf = Buffer.from(bytes);
      buf[at] = b;
      expect(findingsOf(rec, buf, S).length, `byte ${at}`).toBeGreaterThan(0);
      expect(compiledCheck(rec)!(buf, 0, TODAY), `byte ${at}`).toBe(false);
      expect(compiledCheckDecode(rec)!(buf, 0, TODAY), `byte ${at}`).toBeNull();
    }
    fc.assert(fc.property(edits(40), (changes) => holds(S, rec, bytes, changes)), { numRuns: 5000 });
  });

  it('a blank-allowed N field with spaces is left to the general check, which accepts it', () => {
    const rec = V.records.data!;
    const bytes = Buffer.from([0x32, 0xb1, ...Buffer.from(' '.repeat(9) + 'X  ' + '  12' + '20261201' + '0101' + '01' + ' '.repeat(8), 'latin1')]);
    expect(findingsOf(rec, bytes, S)).toEqual([]);
    expect(compiledCheck(rec)!(bytes, 0, TODAY)).toBe(false);
  });

  it('a record with J or X fields gets no compiled check', () => {
    const J = compileLayoutXml(`<layout id="j" recordLength="9" encoding="cp932"><record kind="data"><field id="k" type="N" length="1" const="2"/><field id="j" type="J" length="8"/></record></layout>`, 'j.xml');
    expect(compiledCheck(J.records.data!)).toBeNull();
    expect(compiledCheckDecode(J.records.data!)).toBeNull();
  });
});

describe('compiled check on several data records (inquiry-300: account with J fields, detail)', () => {
  const Q = loadLayout('inquiry-300');
  const text = fs.readFileSync(new URL('../fixtures/files/inquiry-300-answer.txt', import.meta.url), 'utf8');
  const recs = text
    .trim()
    .split('\n')
    .map((l) => iconv.encode(l.replaceAll('_', ' '), 'cp932'))
    .map((raw) => ({ raw, rec: identify(Q, raw, 0)! }));

  function holdsQ(rec: RecordDef, base: Buffer, changes: Array<[number, number]>): void {
    const buf = Buffer.from(base);
    for (const [at, b] of changes) buf[at] = b;
    const found = findingsOf(rec, buf, Q);
    const fields = compiledCheckDecode(rec, Q.encoding)!(buf, 0, TODAY);
    const passed = compiledCheck(rec, Q.encoding)!(buf, 0, TODAY);
    expect(passed).toBe(fields !== null);
    if (fields !== null) {
      expect(found).toEqual([]);
      expect(fields).toEqual(decodeRecord(rec, buf, 0));
      expect(Object.keys(fields)).toEqual(Object.keys(decodeRecord(rec, buf, 0)));
    }
  }

  it('each record of the golden answer is compiled (J fields too, given the encoding) and passes unchanged', () => {
    expect(recs.map((r) => r.rec.id ?? r.rec.kind)).toEqual(['header', 'account', 'detail', 'detail', 'account', 'account', 'trailer', 'end']);
    for (const { rec, raw } of recs) {
      expect(findingsOf(rec, raw, Q)).toEqual([]);
      expect(compiledCheckDecode(rec, Q.encoding)!(raw, 0, TODAY)).toEqual(decodeRecord(rec, raw, 0));
    }
    // without the encoding, a record with J fields is left to the general check
    expect(compiledCheck(recs[1]!.rec)).toBeNull();
    expect(compiledCheck(recs[2]!.rec)).not.toBeNull();
  });

  it('random byte changes: the compiled check agrees with the general one on every data record', () => {
    // bytes of J text and dates besides the usual ones: lead/trail bytes, era digits
    const qbyte = fc.oneof(byte, fc.constantFrom(0x81, 0x40, 0x8e, 0x52, 0x87, 0xed, 0xfa, 0xfc, 0x85, 0xa0, 0x7f, 0x34, 0x35, 0x36));
    // edits aimed at the J fields and the era-digit date of the account record
    const aimed = fc.array(fc.tuple(fc.oneof(fc.integer({ min: 61, max: 108 + 99 }), fc.integer({ min: 101, max: 107 }), fc.nat(299)), qbyte), { maxLength: 4 });
    fc.assert(
      fc.property(fc.nat(recs.length - 1), aimed, (i, changes) => holdsQ(recs[i]!.rec, recs[i]!.raw, changes)),
      { numRuns: 5000 },
    );
  });

  it('shift_jis: the compiled check refuses an NEC/IBM extension character in J, as the general check does', () => {
    const SJ = compileLayoutXml(fs.readFileSync(Q.file, 'utf8').replace('encoding="cp932"', 'encoding="shift_jis"').replace('id="inquiry-300"', 'id="sj"'), 'sj.xml');
    const rec = SJ.dataRecords![0]!;
    const raw = Buffer.from(recs[1]!.raw);
    raw[61] = 0x87; // ① (NEC extension, 0x8740)
    raw[62] = 0x40;
    const found: Finding[] = [];
    checkRecord(rec, raw, 0, { fileOffset: 0, index: 0, today: TODAY, encoding: 'shift_jis' }, (f) => found.push(f));
    expect(found.map((f) => f.code)).toEqual(['field.j-extension']);
    expect(compiledCheck(rec, 'shift_jis')!(raw, 0, TODAY)).toBe(false);
    expect(compiledCheck(Q.dataRecords![0]!, 'cp932')!(raw, 0, TODAY)).toBe(true);
  });
});
