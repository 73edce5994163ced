import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateBank } from '../../src/bank-sim/index.js';
import { importResults } from '../../src/steps/import-results/import-results.js';
import { AppError, type Finding } from '../../src/core/errors.js';
import type { Db } from '../../src/db/connection.js';
import { dbFingerprint, makeBatch, newDb } from './fixture.js';
import { formatTokyoTime } from '../../src/core/dates.js';
import { refuseSameFile } from '../../src/db/results.js';
import { appErrorOf } from '../helpers/errors.js';

const R = 122; // 120 + CRLF

/** A written batch of 5 requests / 11 records with its simulated result file. */
function setup(spec: Partial<Parameters<typeof makeBatch>[2]> = {}, seed = 7) {
  const { db, dir } = newDb();
  const b = makeBatch(db, dir, { accounts: [1, 2, 3, 1, 4], ...spec });
  const out = path.join(dir, 'RESULT.DAT');
  simulateBank({ requestPath: b.files[0]!.path, resultPath: out, seed });
  return { db, dir, b, out, bytes: fs.readFileSync(out) };
}

function refused(db: Db, file: string): AppError {
  return appErrorOf(() => importResults(db, file));
}

function put(buf: Buffer, offset: number, text: string): Buffer {
  const b = Buffer.from(buf);
  Buffer.from(text, 'latin1').copy(b, offset);
  return b;
}

/** Offset of data record k (1-based among data records) */
const dataAt = (k: number): number => k * R;

describe('import results', () => {
  it('stores a valid result file in one go: results, import row, archive 0600, file link, state, audit', () => {
    const { db, dir, b, out, bytes } = setup();
    const s = importResults(db, out);
    expect(s.records).toBe(11);
    expect(s.batchId).toBe(b.batchId);
    expect(s.batchState).toBe('results-imported');
    const rows = db.prepare('SELECT result_code, seized_amount, collected_amount, collection_date FROM request_records ORDER BY request_id, sub_number').all() as Array<Record<string, unknown>>;
    expect(rows.every((r) => typeof r['result_code'] === 'string' && r['result_code'] !== '00')).toBe(true);
    const seized = rows.reduce((a, r) => a + (r['seized_amount'] as number), 0);
    expect(seized).toBe(s.seized);
    expect(rows.filter((r) => (r['collected_amount'] as number) > 0).every((r) => r['collection_date'] === '2026-12-01')).toBe(true);
    expect(rows.filter((r) => r['collected_amount'] === 0).every((r) => r['collection_date'] === null)).toBe(true);
    const codes = Object.values(s.results).reduce((a, v) => a + v.records, 0);
    expect(codes).toBe(11);
    const imp = db.prepare(`SELECT kind, sha256 FROM imports WHERE id = ?`).get(s.importId) as { kind: string; sha256: string };
    expect(imp.kind).toBe('results');
    const rf = db.prepare('SELECT archive_path, sha256 FROM result_files WHERE import_id = ?').get(s.importId) as { archive_path: string; sha256: string };
    expect(rf.archive_path).toBe(path.join(dir, 'archive', 'results', `${imp.sha256}.dat`));
    expect(fs.readFileSync(rf.archive_path).equals(bytes)).toBe(true);
    expect(fs.statSync(rf.archive_path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(rf.archive_path)).mode & 0o777).toBe(0o700);
    expect((db.prepare('SELECT results_import_id AS r FROM batch_files WHERE batch_id = ?').get(b.batchId) as { r: number }).r).toBe(s.importId);
    const au = db.prepare(`SELECT details FROM audit_log WHERE action = 'import.results'`).get() as { details: string };
    expect(au.details).not.toMatch(/ﾔﾏﾀﾞ|19700401/);
    expect(JSON.parse(au.details).records).toBe(11);
  });

  it('the same file twice → exit 4, database unchanged', () => {
    const { db, out } = setup();
    importResults(db, out);
    const before = dbFingerprint(db);
    const e = refused(db, out);
    expect(e.exit).toBe(4);
    expect(dbFingerprint(db)).toBe(before);
  });

  it('another result for a file that already has results → exit 4, unchanged', () => {
    const { db, dir, b, out } = setup();
    importResults(db, out);
    const other = path.join(dir, 'RESULT2.DAT');
    simulateBank({ requestPath: b.files[0]!.path, resultPath: other, seed: 99 });
    const before = dbFingerprint(db);
    const e = refused(db, other);
    expect(e.exit).toBe(4);
    expect(e.code).toBe('results.already-imported');
    // the earlier import's time as Japan time, in each language, not the stored ISO text
    const at = (db.prepare("SELECT imported_at FROM imports WHERE kind = 'results'").get() as { imported_at: string }).imported_at;
    expect(e.msg.ja).toContain(`、${formatTokyoTime(at, 'ja')}）`);
    expect(e.msg.en).toContain(`, ${formatTokyoTime(at, 'en')})`);
    expect(e.msg.ja + e.msg.en).not.toContain(at);
    expect(dbFingerprint(db)).toBe(before);
  });

  it('the same bytes again: one conflict for results and statements, naming the import and its Japan time', () => {
    const { db } = newDb();
    expect(() => refuseSameFile(db, 'results', 'ab', 'R.DAT')).not.toThrow();
    const ins = db.prepare("INSERT INTO imports (kind, sha256, files, imported_at, operator) VALUES (?, 'ab', '[]', '2026-12-05T14:03:09.123+09:00', 'op')");
    const rid = Number(ins.run('results').lastInsertRowid);
    const r = appErrorOf(() => refuseSameFile(db, 'results', 'ab', 'R.DAT'));
    expect([r.code, r.exit, r.location?.file]).toEqual(['results.same-file', 4, 'R.DAT']);
    expect(r.msg.ja).toBe(`このファイルは取込済みです（取込ID ${rid}、2026年12月5日 14:03）。同じファイルは二度取り込めません`);
    expect(r.msg.en).toBe(`this file was already imported (import ${rid}, 2026-12-05 14:03 JST); the same file cannot be imported twice`);
    expect(() => refuseSameFile(db, 'statement', 'ab', 'S.DAT')).not.toThrow(); // the kind is part of the key
    const sid = Number(ins.run('statement').lastInsertRowid);
    const st = appErrorOf(() => refuseSameFile(db, 'statement', 'ab', 'S.DAT'));
    expect([st.code, st.exit]).toEqual(['statement.same-file', 4]);
    expect(st.msg.ja).toBe(`この入出金取引明細は取込済みです（取込ID ${sid}、2026年12月5日 14:03）。同じファイルは二度取り込めません`);
    expect(st.msg.en).toBe(`this statement was already imported (import ${sid}, 2026-12-05 14:03 JST); the same file cannot be imported twice`);
  });

  it('取立保留: stored as seized, not collected', () => {
    const { db, out } = setup({ mode: 'deferred' });
    const s = importResults(db, out);
    expect(s.collected).toBe(0);
    expect(s.seized).toBeGreaterThan(0);
    const r = db.prepare('SELECT SUM(seized_amount) AS s, SUM(collected_amount) AS c, COUNT(collection_date) AS d FROM request_records').get() as { s: number; c: number; d: number };
    expect(r).toEqual({ s: s.seized, c: 0, d: 0 });
    expect(s.batchState).toBe('results-imported');
  });

  it('multi-file batch: results-imported only when every file has results', () => {
    const { db, dir } = newDb();
    const b = makeBatch(db, dir, { accounts: [2, 2, 2, 2], perFile: 4 });
    expect(b.files).toHaveLength(2);
    const o1 = path.join(dir, 'R1.DAT');
    const o2 = path.join(dir, 'R2.DAT');
    simulateBank({ requestPath: b.files[0]!.path, resultPath: o1, seed: 1 });
    simulateBank({ requestPath: b.files[1]!.path, resultPath: o2, seed: 1 });
    expect(importResults(db, o2).batchState).toBe('written');
    const s = importResults(db, o1);
    expect(s.batchState).toBe('results-imported');
    expect(s.fileNumber).toBe(42);
  });
});

describe('bad result files → exit 3 with the precise place, database unchanged', () => {
  let base: ReturnType<typeof setup>;
  beforeAll(() => {
    base = setup();
  });

  const cases: Array<{ name: string; mutate: (b: Buffer) => Buffer; expect: Partial<Finding> }> = [
    { name: 'rule 1: 種別コード 51', mutate: (b) => put(b, 1, '51'), expect: { code: 'result.not-a-result', record: 0, offset: 1, field: 'typeCode', expected: '52', found: '51' } },
    { name: 'rule 1: unknown file number', mutate: (b) => put(b, 81, '00000043'), expect: { code: 'result.unknown-file', record: 0, offset: 81, field: 'fileNumber', found: '00000043' } },
    { name: 'rule 1: execution date differs', mutate: (b) => put(b, 54, '20261130'), expect: { code: 'result.execution-date-mismatch', record: 0, offset: 54, field: 'executionDate', expected: '20261201', found: '20261130' } },
    { name: 'rule 1: requester code differs', mutate: (b) => put(b, 4, '0000099999'), expect: { code: 'result.requester-mismatch', record: 0, offset: 4, field: 'requesterCode' } },
    { name: 'rule 2: branch differs', mutate: (b) => put(b, dataAt(2) + 13, '999'), expect: { code: 'result.record-mismatch', record: 2, offset: dataAt(2) + 13, field: 'branchCode', found: '999' } },
    { name: 'rule 2: limit differs from the request', mutate: (b) => put(b, dataAt(1) + 62, '000000000001'), expect: { code: 'result.record-mismatch', record: 1, offset: dataAt(1) + 62, field: 'limitAmount' } },
    { name: 'rule 2: unknown 依頼番号', mutate: (b) => put(b, dataAt(11) + 1, '0000000099'), expect: { code: 'result.unknown-record', record: 11, offset: dataAt(11) + 1, field: 'requestNumber', found: '0000000099-04' } },
    { name: 'rule 3: result code 00', mutate: (b) => put(put(put(b, dataAt(1) + 74, '00'), dataAt(1) + 76, '000000000000'), dataAt(1) + 88, '000000000000'), expect: { code: 'result.code-unprocessed', record: 1, offset: dataAt(1) + 74, field: 'resultCode', found: '00' } },
    { name: 'rule 5: collection on a Sunday', mutate: (b) => put(b, firstCollected(b) + 100, '20261206'), expect: { code: 'result.date-not-business-day', field: 'collectionDate', found: '20261206' } },
    { name: 'rule 6: trailer seized total off by ¥1,200', mutate: (b) => bumpTrailer(b, 25, 1_200), expect: { code: 'total.mismatch', record: 12, offset: 12 * R + 25, field: 'seizedTotal' } },
    { name: 'framing: short last record', mutate: (b) => b.subarray(0, b.length - 10), expect: { record: 13, offset: 13 * R } },
    { name: 'framing: stray byte', mutate: (b) => Buffer.concat([b.subarray(0, dataAt(3)), Buffer.from('X'), b.subarray(dataAt(3))]), expect: { record: 3, offset: dataAt(3) } },
    { name: 'character: lowercase in a name', mutate: (b) => put(b, dataAt(2) + 26, 'a'), expect: { code: 'field.class', record: 2, offset: dataAt(2) + 24, field: 'holderName', found: 'a' } },
    { name: 'character: non-digit in an amount', mutate: (b) => put(b, dataAt(4) + 80, 'A'), expect: { record: 4, field: 'seizedAmount' } },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const { db, dir, bytes } = base;
      const file = path.join(dir, `bad-${c.name.replace(/[^a-z0-9]+/gi, '_')}.DAT`);
      fs.writeFileSync(file, c.mutate(bytes));
      const before = dbFingerprint(db);
      const e = refused(db, file);
      expect(e.exit, e.describe()).toBe(3);
      const hit = e.findings.find((f) => Object.entries(c.expect).every(([k, v]) => (f as unknown as Record<string, unknown>)[k] === v));
      expect(hit, JSON.stringify(e.findings, null, 1)).toBeDefined();
      for (const f of e.findings) {
        expect(f.found ?? '').not.toContain('ﾔﾏﾀﾞ');
        expect(typeof f.record === 'number' || typeof f.offset === 'number').toBe(true);
      }
      expect(dbFingerprint(db)).toBe(before);
      expect(fs.readdirSync(path.join(dir, 'archive', 'results')).filter((n) => !n.startsWith('.') || n.endsWith('.tmp'))).toEqual([]);
    });
  }

  it('rule 2: account number differs → masked values only, offset of the first differing digit', () => {
    const { db, dir, bytes } = base;
    const acc = bytes.subarray(dataAt(3) + 17, dataAt(3) + 24).toString('latin1');
    const changed = acc.slice(0, 2) + (acc[2] === '9' ? '8' : '9') + acc.slice(3);
    const file = path.join(dir, 'bad-account.DAT');
    fs.writeFileSync(file, put(bytes, dataAt(3) + 17, changed));
    const e = refused(db, file);
    const f = e.findings.find((x) => x.field === 'accountNumber')!;
    expect(f).toMatchObject({ code: 'result.record-mismatch', record: 3, offset: dataAt(3) + 17 + 2 });
    expect(f.expected).toBe(`***${acc.slice(3)}`);
    expect(f.found).not.toContain(changed);
    expect(JSON.stringify(e.findings)).not.toContain(acc);
  });

  it('rule 2: a missing record and a duplicate are both reported', () => {
    const { db, dir, bytes } = base;
    // record 5 replaced by a copy of record 4 (duplicate key, record 5's key missing)
    const dup = Buffer.from(bytes);
    bytes.copy(dup, dataAt(5), dataAt(4), dataAt(4) + 120);
    const file = path.join(dir, 'bad-dup.DAT');
    fs.writeFileSync(file, dup);
    const e = refused(db, file);
    const codes = e.findings.map((f) => f.code);
    expect(codes).toContain('result.duplicate-record');
    expect(codes).toContain('result.missing-record');
    expect(e.findings.find((f) => f.code === 'result.duplicate-record')).toMatchObject({ record: 5, offset: dataAt(5) + 1 });
  });

  it('rule 4: over-seizure', () => {
    const { db, dir, bytes } = base;
    // request 1 has one record: seize limit + 1 (collected too, so rule 5 holds)
    const lim = Number(bytes.subarray(dataAt(1) + 62, dataAt(1) + 74).toString('latin1'));
    const v = String(lim + 1).padStart(12, '0');
    let b = put(bytes, dataAt(1) + 74, '01');
    b = put(put(put(b, dataAt(1) + 76, v), dataAt(1) + 88, v), dataAt(1) + 100, '20261201');
    const file = path.join(dir, 'bad-over.DAT');
    fs.writeFileSync(file, b);
    const e = refused(db, file);
    expect(e.findings.find((f) => f.code === 'result.over-seizure')).toMatchObject({ record: 1, offset: dataAt(1) + 76, field: 'seizedAmount' });
  });
});

/** Byte offset of the first data record with a collected amount. */
function firstCollected(b: Buffer): number {
  for (let k = 1; k <= 11; k++) if (Number(b.subarray(dataAt(k) + 88, dataAt(k) + 100).toString('latin1')) > 0) return dataAt(k);
  throw new Error('no collection in the fixture');
}

function bumpTrailer(b: Buffer, fieldOffset: number, by: number): Buffer {
  const at = 12 * R + fieldOffset;
  const v = Number(b.subarray(at, at + 12).toString('latin1')) + by;
  return put(b, at, String(v).padStart(12, '0'));
}
