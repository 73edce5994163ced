/**
 * The encoder's fast paths (numbers written as digits, the key check cached per record
 * definition, values checked by number, values in field order) must give exactly the
 * bytes and the errors of the general path.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileLayoutXml, encodeRecord, encodeRecordInOrder, fieldOrder, loadLayout, type FieldInput, type FieldInputs } from '../../src/layout/index.js';
import { dataRecordsOf } from '../../src/layout/types.js';

const S = loadLayout('seizure-120');
const D = S.records.data!;
const TODAY = '2026-11-23';

/** Bytes, or the error message, of encoding `values`. */
function outcome(fn: (out: Buffer) => void, len = 120): string {
  const out = Buffer.alloc(len, 0xff);
  try {
    fn(out);
    return out.toString('hex');
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

const L = compileLayoutXml(
  `<layout id="t" recordLength="45" encoding="cp932"><record kind="data">
    <field id="k" type="N" length="1" const="2"/>
    <field id="small" type="N" length="3" values="1,20,300"/>
    <field id="big" type="N" length="16"/>
    <field id="ymd" type="N" length="8" format="date-yyyymmdd"/>
    <field id="wareki" type="N" length="6" format="date-yymmdd-wareki"/>
    <field id="mmdd" type="N" length="4" format="date-mmdd"/>
    <field id="blank" type="N" length="5" blank="allow"/>
    <field id="amount" type="N" length="2" format="amount"/></record></layout>`,
  't.xml',
);
const LD = L.records.data!;

const anyNumber = fc.oneof(
  fc.integer({ min: -5, max: 1000 }),
  fc.integer({ min: 0, max: 99_999_999 }),
  fc.integer({ min: 0, max: 2 ** 31 + 5 }),
  fc.maxSafeInteger(),
  fc.double({ noNaN: false }),
  fc.constantFrom(0, -0, 1, 20, 300, 301, 2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1, 2 ** 53, 1e21, 20261201, 20260230, 81201, 310501, 1231, 1332),
);

describe('numbers are encoded exactly as their String() form', () => {
  it('every N field kind: same bytes or same error', () => {
    const ids = ['small', 'big', 'ymd', 'wareki', 'mmdd', 'blank', 'amount'];
    fc.assert(
      fc.property(fc.constantFrom(...ids), anyNumber, (id, n) => {
        const asNumber = outcome((out) => encodeRecord(L, LD, { [id]: n }, out, 0, undefined, TODAY), 45);
        const asText = outcome((out) => encodeRecord(L, LD, { [id]: String(n) }, out, 0, undefined, TODAY), 45);
        expect(asNumber).toBe(asText);
      }),
      { numRuns: 3000 },
    );
  });

  it('bigints too', () => {
    for (const b of [0n, 7n, 300n, 1234567890123456n, 12345678901234567n]) {
      expect(outcome((out) => encodeRecord(L, LD, { big: b, small: b }, out, 0), 45)).toBe(outcome((out) => encodeRecord(L, LD, { big: String(b), small: String(b) }, out, 0), 45));
    }
  });

  it('a number on a const field is compared as text', () => {
    expect(outcome((out) => encodeRecord(L, LD, { k: 2 }, out, 0), 45)).toBe(outcome((out) => encodeRecord(L, LD, { k: '2' }, out, 0), 45));
    expect(() => encodeRecord(L, LD, { k: 3 }, Buffer.alloc(45), 0)).toThrowError(/only "2"/);
  });

  it('with a base record, a number equal to the base keeps the base bytes', () => {
    const base = Buffer.alloc(45);
    encodeRecord(L, LD, { blank: '' }, base, 0);
    const out = Buffer.alloc(45);
    encodeRecord(L, LD, { blank: 0, small: 1 }, out, 0, base);
    expect(out.subarray(LD.byId.get('blank')!.offset, LD.byId.get('blank')!.offset + 5).toString('latin1')).toBe('00000');
  });
});

describe('the unknown-field check', () => {
  it('refuses an unknown key even after objects of the same record were accepted', () => {
    const ok: FieldInputs = { requestNumber: 1, holderName: 'ﾔﾏﾀﾞ', accountType: '1' };
    for (let i = 0; i < 3; i++) encodeRecord(S, D, ok, Buffer.alloc(120), 0);
    expect(() => encodeRecord(S, D, { ...ok, bogus: 1 }, Buffer.alloc(120), 0)).toThrowError(/no field bogus/);
    expect(() => encodeRecord(S, D, { bogus: 1, ...ok }, Buffer.alloc(120), 0)).toThrowError(/no field bogus/);
    const same: FieldInputs = { requestNumber: 2, holderName: 'ﾀﾅｶ', accountType: '2' };
    encodeRecord(S, D, same, Buffer.alloc(120), 0);
    // the same object, mutated to carry an unknown key
    same['bogus'] = 'x';
    expect(() => encodeRecord(S, D, same, Buffer.alloc(120), 0)).toThrowError(/no field bogus/);
    delete same['bogus'];
    same['holderNam'] = 'x';
    expect(() => encodeRecord(S, D, same, Buffer.alloc(120), 0)).toThrowError(/no field holderNam/);
  });

  it('an unknown key holding undefined is allowed, and does not let a defined one through later', () => {
    const v: FieldInputs = { requestNumber: 1, extra: undefined };
    encodeRecord(S, D, v, Buffer.alloc(120), 0);
    encodeRecord(S, D, v, Buffer.alloc(120), 0);
    v['extra'] = 5;
    expect(() => encodeRecord(S, D, v, Buffer.alloc(120), 0)).toThrowError(/no field extra/);
  });
});

describe('encodeRecordInOrder', () => {
  const ids = ['requestNumber', 'subNumber', 'branchCode', 'accountType', 'accountNumber', 'holderName', 'birthDate', 'limitAmount', 'resultCode'];
  const order = fieldOrder(S, D, ids);

  it('gives the bytes and errors of encodeRecord with the same values as an object', () => {
    const value: fc.Arbitrary<FieldInput> = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: -3, max: 10_000_000 }),
      fc.stringMatching(/^[0-9]{0,9}$/),
      fc.constantFrom('ﾔﾏﾀﾞ ﾀﾛｳ', 'ｱﾞ', 'abc', '19990230', '2026-12-01', '20261201', '00', '99', '98', '9', '1'),
    );
    fc.assert(
      fc.property(fc.array(value, { minLength: ids.length, maxLength: ids.length }), (row) => {
        const obj: FieldInputs = {};
        ids.forEach((id, j) => (obj[id] = row[j]));
        expect(outcome((out) => encodeRecordInOrder(S, order, row, out, 0))).toBe(outcome((out) => encodeRecord(S, D, obj, out, 0)));
      }),
      { numRuns: 2000 },
    );
  });

  it('inquiry-300 account records (C, J, 和暦 dates, values, fillers), any subset of fields in any order, at an offset: the bytes and errors of encodeRecord (the fields not given copied from order.blank)', () => {
    const Q = loadLayout('inquiry-300');
    const A = Q.records.data!.id === 'account' ? Q.records.data! : dataRecordsOf(Q).find((r) => r.id === 'account')!;
    const all = A.fields.filter((f) => !f.filler).map((f) => f.id);
    const value: fc.Arbitrary<FieldInput> = fc.oneof(
      fc.constant(undefined),
      fc.integer({ min: -3, max: 100_000_000 }),
      fc.stringMatching(/^[0-9]{0,9}$/),
      fc.constantFrom('', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'ｱﾞ', 'abc', '山田　太郎', '鹿児島県鹿児島市山下町１１－１', '〓木', '𠮷田', 'ｶﾅ', '1989-01-08', '1873-01-01', '1872-12-31', '2026-02-30', '2', '0', '4', '5', '9'),
    );
    const pick = fc.uniqueArray(fc.constantFrom(...all), { minLength: 0, maxLength: all.length }).chain((ids) => fc.tuple(fc.constant(ids), fc.array(value, { minLength: ids.length, maxLength: ids.length })));
    fc.assert(
      fc.property(pick, fc.integer({ min: 0, max: 3 }), ([ids, row], at) => {
        const order = fieldOrder(Q, A, ids);
        expect(order.blank).not.toBeNull();
        const obj: FieldInputs = {};
        ids.forEach((id, j) => (obj[id] = row[j]));
        const len = 300 + at + 2;
        expect(outcome((out) => encodeRecordInOrder(Q, order, row, out, at, undefined, TODAY), len)).toBe(outcome((out) => encodeRecord(Q, A, obj, out, at, undefined, TODAY), len));
      }),
      { numRuns: 3000 },
    );
  });

  it('checks the ids once: unknown and repeated ids are refused', () => {
    expect(() => fieldOrder(S, D, ['requestNumber', 'bogus'])).toThrowError(/no field bogus/);
    expect(() => fieldOrder(S, D, ['requestNumber', 'requestNumber'])).toThrowError(/given twice/);
  });
});
