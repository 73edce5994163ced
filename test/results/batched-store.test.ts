/**
 * The fast path stores result records in statements of 128 (ADR 0053). A file of
 * 300 records spans two full statements and a partial one: every record is stored as
 * the file says, and a defect in a later statement, or a duplicate inside one, is
 * found, reported at its record and leaves the database unchanged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateBank } from '../../src/bank-sim/index.js';
import { importResults } from '../../src/steps/import-results/import-results.js';
import { appErrorOf } from '../helpers/errors.js';
import { dbFingerprint, makeBatch, newDb } from './fixture.js';

const R = 122; // 120 + CRLF
const dataAt = (k: number): number => k * R; // data record k (1-based), after the header

function setup() {
  const { db, dir } = newDb();
  const b = makeBatch(db, dir, { accounts: Array.from({ length: 100 }, () => 3) });
  const out = path.join(dir, 'RESULT.DAT');
  simulateBank({ requestPath: b.files[0]!.path, resultPath: out, seed: 11 });
  return { db, dir, out, bytes: fs.readFileSync(out) };
}

describe('result import: batched store', () => {
  it('300 records (128 + 128 + 44): every stored result is the file’s', () => {
    const { db, out, bytes } = setup();
    expect(importResults(db, out).records).toBe(300);
    const rows = db
      .prepare(
        `SELECT rr.result_code AS code, rr.seized_amount AS seized, rr.collected_amount AS collected FROM requests r
         JOIN request_records rr ON rr.request_id = r.id ORDER BY r.request_number, rr.sub_number`,
      )
      .all() as Array<{ code: string; seized: number; collected: number }>;
    expect(rows).toHaveLength(300);
    rows.forEach((row, i) => {
      const at = dataAt(i + 1);
      const text = (from: number, len: number): string => bytes.subarray(at + from, at + from + len).toString('latin1');
      expect(row).toEqual({ code: text(74, 2), seized: Number(text(76, 12)), collected: Number(text(88, 12)) });
    });
    expect(new Set(rows.map((r) => r.code)).size).toBeGreaterThan(1);
  });

  it('a wrong account number in the third statement (record 290) → refused at that record, nothing stored', () => {
    const { db, dir, bytes } = setup();
    const before = dbFingerprint(db);
    const bad = Buffer.from(bytes);
    const at = dataAt(290) + 17;
    bad[at + 6] = bad[at + 6] === 0x39 ? 0x38 : 0x39;
    const file = path.join(dir, 'bad.DAT');
    fs.writeFileSync(file, bad);
    const e = appErrorOf(() => importResults(db, file));
    expect(e.exit).toBe(3);
    expect(e.findings.find((f) => f.field === 'accountNumber')).toMatchObject({ code: 'result.record-mismatch', record: 290, offset: at + 6 });
    expect(dbFingerprint(db)).toBe(before);
  });

  it('a duplicate inside one statement (record 201 = record 200) → duplicate and missing reported, nothing stored', () => {
    const { db, dir, bytes } = setup();
    const before = dbFingerprint(db);
    const dup = Buffer.from(bytes);
    bytes.copy(dup, dataAt(201), dataAt(200), dataAt(200) + 120);
    const file = path.join(dir, 'dup.DAT');
    fs.writeFileSync(file, dup);
    const e = appErrorOf(() => importResults(db, file));
    expect(e.findings.map((f) => f.code)).toEqual(expect.arrayContaining(['result.duplicate-record', 'result.missing-record']));
    expect(e.findings.find((f) => f.code === 'result.duplicate-record')).toMatchObject({ record: 201 });
    expect(dbFingerprint(db)).toBe(before);
  });
});
