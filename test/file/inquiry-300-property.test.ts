/**
 * Property and fuzz tests on a layout with several data records (inquiry-300): valid
 * account and detail records encode → decode to the same fields; a corrupted answer file
 * gives located findings, never an exception, whatever the chunking.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { decodeRecord, encodeRecord, loadLayout, recordDef, writeGWareki } from '../../src/layout/index.js';
import { RecordScanner, type ReadRecord } from '../../src/file/index.js';
import { joinRecords, applyMutations, mutationsArb } from './helpers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const Q = loadLayout('inquiry-300');
const ACCOUNT = recordDef(Q, 'account')!;
const DETAIL = recordDef(Q, 'detail')!;
const TODAY = '2026-12-05';

const KANA = [' ', ...'0123456789ABCXYZ', ...'ｱｲｳｶｷｻﾀﾅﾊﾏﾔﾗﾜﾝ'];
const kana = fc.array(fc.constantFrom(...KANA), { maxLength: 40 }).map((a) => a.join('').replace(/ +$/, ''));
const kanji = fc.array(fc.constantFrom(...'山田太郎鹿児島県市町１２３－　ー〇々髙'), { maxLength: 20 }).map((a) => a.join('').replace(/　+$/, ''));
const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const day = (min: number, max: number) =>
  fc.integer({ min: Date.UTC(min, 0, 1) / 86_400_000, max: Date.UTC(max, 11, 31) / 86_400_000 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));

describe('property: account and detail records encode → decode', () => {
  it('account records (era-digit birth date given as an ISO date, J 氏名 and 住所)', () => {
    fc.assert(
      fc.property(
        fc.record({
          inquiryNumber: digits(8),
          accountSeq: digits(2),
          taxpayerId: digits(10),
          nameKana: kana,
          nameKanji: kanji,
          birthDate: fc.oneof(day(1873, 2026), fc.constant('')),
          address: kanji,
          answerCode: fc.constantFrom('0', '1', '2', '3', '4'),
          accountType: fc.constantFrom('0', '1', '2', '3', '4', '9'),
          balance: digits(12),
          loanFlag: fc.constantFrom('0', '1'),
        }),
        (v) => {
          const out = Buffer.alloc(300);
          const input = { ...v, birthDate: v.birthDate === '' ? undefined : v.birthDate };
          encodeRecord(Q, ACCOUNT, input, out, 0, undefined, TODAY);
          const got = decodeRecord(ACCOUNT, out, 0);
          expect(got['birthDate']).toBe(v.birthDate === '' ? '0000000' : writeGWareki(v.birthDate));
          expect(got).toMatchObject({ ...v, birthDate: got['birthDate'] });
          const again = Buffer.alloc(300);
          encodeRecord(Q, ACCOUNT, got, again, 0, undefined, TODAY);
          expect(again.equals(out)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('detail records', () => {
    fc.assert(
      fc.property(
        fc.record({ inquiryNumber: digits(8), accountSeq: digits(2), transactionDate: day(2000, 2030).map((d) => d.replaceAll('-', '')), direction: fc.constantFrom('1', '2'), amount: digits(12), balanceSign: fc.constantFrom('1', '2'), balanceAfter: digits(12), description: kana }),
        (v) => {
          const out = Buffer.alloc(300);
          encodeRecord(Q, DETAIL, v, out, 0);
          expect(decodeRecord(DETAIL, out, 0)).toEqual({ dataKubun: '3', ...v });
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('fuzz: a corrupted inquiry answer gives located findings, never an exception or a hang', () => {
  const recs = fs
    .readFileSync(path.join(HERE, '../fixtures/files/inquiry-300-answer.txt'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => iconv.encode(l.replaceAll('_', ' '), 'cp932'));
  const base = joinRecords(recs, '\r\n');

  function scan(bytes: Uint8Array, chunk: number): { recs: ReadRecord[]; total: number } {
    const out: ReadRecord[] = [];
    const sc = new RecordScanner(Q, (r) => out.push(r), { maxFindings: 50, today: TODAY });
    for (let i = 0; i < bytes.length; i += chunk) sc.push(bytes.subarray(i, i + chunk));
    const s = sc.end();
    for (const f of s.findings) {
      expect(Number.isInteger(f.offset)).toBe(true);
      expect(f.offset!).toBeGreaterThanOrEqual(0);
      expect(f.offset!).toBeLessThanOrEqual(bytes.length);
      expect(f.message.ja.length).toBeGreaterThan(0);
      expect(f.message.en.length).toBeGreaterThan(0);
    }
    for (const r of out) {
      expect(r.raw.length).toBe(300);
      expect(r.kind === 'data').toBe(r.record !== undefined);
    }
    return { recs: out, total: s.findings.length + s.moreFindings };
  }

  it('the base file is clean', () => {
    expect(scan(base, 4096).total).toBe(0);
  });

  it('2,000 random mutations', () => {
    fc.assert(
      fc.property(
        mutationsArb(610),
        fc.integer({ min: 1, max: 700 }),
        (muts, chunk) => {
          const b = applyMutations(base, muts);
          const a = scan(b, chunk);
          const whole = scan(b, 1 << 20);
          expect(whole.total).toBe(a.total);
          expect(whole.recs.map((r) => [r.offset, r.record])).toEqual(a.recs.map((r) => [r.offset, r.record]));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
