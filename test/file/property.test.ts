import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeRecord, encodeRecord, loadLayout, compileLayoutXml } from '../../src/layout/index.js';
import { RecordScanner, type ReadRecord } from '../../src/file/index.js';
import { exampleRecords, joinRecords, EXAMPLE_DATA, applyMutations, mutationsArb } from './helpers.js';

const S = loadLayout('seizure-120');
const D = S.records.data!;

const BASE = [' ', ...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', ...Array.from({ length: 0xdd - 0xb1 + 1 }, (_, i) => String.fromCharCode(0xff61 + 0xb1 - 0xa1 + i))];
const VOICED = [...'ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎｳ'].map((c) => c + 'ﾞ').concat([...'ﾊﾋﾌﾍﾎ'].map((c) => c + 'ﾟ'));
const PARTY = [...BASE, '(', ')', '-', '.'];
const token = fc.oneof(fc.constantFrom(...PARTY), fc.constantFrom(...VOICED));
const partyName = fc
  .array(token, { maxLength: 20 })
  .map((ts) => ts.join('').replace(/ +$/, ''))
  .filter((s) => s.length <= 30);
const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{1,${n}}$`));
const date = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10).replaceAll('-', ''));

describe('property: valid records encode → decode to the same fields', () => {
  it('seizure-120 data records', () => {
    fc.assert(
      fc.property(
        fc.record({
          requestNumber: digits(10),
          subNumber: digits(2),
          branchCode: digits(3),
          accountType: fc.constantFrom('1', '2', '3', '4', '9'),
          accountNumber: digits(7),
          holderName: partyName,
          birthDate: fc.oneof(date, fc.constant('00000000')),
          limitAmount: digits(12),
          resultCode: fc.constantFrom('00', '01', '02', '11', '12', '13', '14', '21', '22', '31', '99'),
          seizedAmount: digits(12),
          collectedAmount: digits(12),
          collectionDate: fc.oneof(date, fc.constant('00000000')),
        }),
        (v) => {
          const out = Buffer.alloc(120);
          encodeRecord(S, D, v, out, 0);
          const got = decodeRecord(D, out, 0);
          for (const f of D.fields) {
            if (f.filler) continue;
            const given = (v as Record<string, string>)[f.id];
            const want = f.id === 'dataKubun' ? '2' : f.type === 'N' ? given!.padStart(f.length, '0') : given;
            expect(got[f.id]).toBe(want);
          }
          // and re-encoding the decoded fields gives the same bytes
          const again = Buffer.alloc(120);
          encodeRecord(S, D, got, again, 0);
          expect(again.equals(out)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('J and X fields', () => {
    const L = compileLayoutXml(
      `<layout id="p" recordLength="31" encoding="cp932"><record kind="data">
        <field id="k" type="N" length="1" const="2"/><field id="j" type="J" length="20"/><field id="x" type="X" length="10"/></record></layout>`,
      'p.xml',
    );
    const kanji = fc.constantFrom(...'山田太郎海鈴木髙①あいうアイウ　ー〇々');
    fc.assert(
      fc.property(fc.array(kanji, { maxLength: 10 }), fc.uint8Array({ maxLength: 10 }), (chars, xb) => {
        const j = chars.join('').replace(/　+$/, '');
        const x = [...xb].map((b) => (b === 0x5c ? '\\\\' : (b >= 0x20 && b <= 0x7e) || (b >= 0xa1 && b <= 0xdf) ? String.fromCharCode(b >= 0xa1 ? b + 0xfec0 : b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('').replace(/ +$/, '');
        const out = Buffer.alloc(31);
        encodeRecord(L, L.records.data!, { j, x }, out, 0);
        expect(decodeRecord(L.records.data!, out, 0)).toEqual({ k: '2', j, x });
      }),
      { numRuns: 300 },
    );
  });
});

describe('fuzz: corrupted files give located findings, never an exception or a hang', () => {
  function scan(bytes: Uint8Array, chunk: number): { recs: ReadRecord[]; findings: number; total: number } {
    const recs: ReadRecord[] = [];
    const sc = new RecordScanner(S, (r) => recs.push(r), { maxFindings: 50, today: '2026-11-23' });
    for (let i = 0; i < bytes.length; i += chunk) sc.push(bytes.subarray(i, i + chunk));
    const s = sc.end();
    for (const f of s.findings) {
      expect(Number.isInteger(f.offset)).toBe(true);
      expect(f.offset!).toBeGreaterThanOrEqual(0);
      expect(f.offset!).toBeLessThanOrEqual(bytes.length);
      expect(f.message.ja.length).toBeGreaterThan(0);
      expect(f.message.en.length).toBeGreaterThan(0);
    }
    for (const r of recs) expect(r.raw.length).toBe(120);
    return { recs, findings: s.findings.length, total: s.findings.length + s.moreFindings };
  }

  const base = (() => {
    const r = exampleRecords();
    const data = Array.from({ length: 6 }, () => Buffer.from(r[1]!));
    return joinRecords([r[0]!, ...data, r[2]!, r[3]!], '\r\n');
  })();

  it('the base file is clean except for its totals', () => {
    const { total } = scan(base, 4096);
    expect(total).toBe(1); // recordCount (limitTotal counts request 101 once: oncePer)
  });

  it('5,000 random mutations', () => {
    fc.assert(
      fc.property(
        mutationsArb(130),
        fc.integer({ min: 1, max: 300 }),
        (muts, chunk) => {
          const b = applyMutations(base, muts);
          const a = scan(b, chunk);
          // chunking never changes the outcome
          const whole = scan(b, 1 << 20);
          expect(whole.total).toBe(a.total);
          expect(whole.recs.map((r) => r.offset)).toEqual(a.recs.map((r) => r.offset));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('a flipped byte in a data record is found at that record', () => {
    const b = Buffer.from(base);
    b[122 * 3 + 20] = 0x41; // accountNumber of record 3
    const recs: ReadRecord[] = [];
    const sc = new RecordScanner(S, (r) => recs.push(r), { today: '2026-11-23' });
    sc.push(b);
    const s = sc.end();
    expect(s.findings[0]).toMatchObject({ code: 'field.digits', record: 3, offset: 122 * 3 + 17, field: 'accountNumber', found: 'A' });
    expect(EXAMPLE_DATA.accountNumber).toBe('0012345');
  });
});
