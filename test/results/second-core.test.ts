/**
 * The fast path's two threads (docs/adr/0055-result-import-second-core.md): a worker
 * reads, decodes and checks the file and hands over chunks of data records; the main
 * thread stores them in its one transaction. What the split could break is checked
 * against the one-thread full check (the path taken when the fast path steps aside,
 * and the one `engine: { producer: 'inline' }` asks for):
 * - chunk boundaries: a record count that is not a multiple of the chunk size, one
 *   record per chunk, one chunk for the whole file — the same stored results;
 * - a finding made in the worker after chunks were already stored: rolled back, the
 *   full check's findings exactly, the database unchanged;
 * - conflicts found on the main thread (rule 1 at the header, same file) still exit 4;
 * - an in-memory database takes the same path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { simulateBank } from '../../src/bank-sim/index.js';
import { importResults, type ImportResultsOptions, type ImportResultsSummary } from '../../src/steps/import-results/import-results.js';
import type { ResultItem } from '../../src/steps/import-results/worker.js';
import { SyncProducer } from '../../src/core/sync-worker.js';
import { RecordScanner } from '../../src/file/scanner.js';
import { openDb, type Db } from '../../src/db/connection.js';
import { appErrorOf } from '../helpers/errors.js';
import { dbFingerprint, makeBatch, newDb, tempDir } from './fixture.js';

const R = 122; // 120 + CRLF
const dataAt = (k: number): number => k * R; // data record k (1-based), after the header
const RECORDS = 300; // 100 requests × 3 accounts

function setup(db?: Db, dir?: string) {
  const made = db && dir ? { db, dir } : newDb();
  const b = makeBatch(made.db, made.dir, { accounts: Array.from({ length: RECORDS / 3 }, () => 3) });
  const out = path.join(made.dir, 'RESULT.DAT');
  simulateBank({ requestPath: b.files[0]!.path, resultPath: out, seed: 11 });
  return { db: made.db, dir: made.dir, out, bytes: fs.readFileSync(out) };
}

/** The import by the one-thread full check alone (engine producer 'inline'; the reference below shows no worker is asked). */
function fullCheckOnly(db: Db, file: string): ImportResultsSummary {
  return importResults(db, file, { engine: { producer: 'inline' } });
}

/** What the main thread took from the worker: 'header', chunk sizes, 'end'. */
function recordItems(): Array<string | number> {
  const seen: Array<string | number> = [];
  const next = SyncProducer.prototype.next;
  vi.spyOn(SyncProducer.prototype, 'next').mockImplementation(function (this: SyncProducer<unknown>) {
    const item = next.call(this) as ResultItem | undefined;
    if (item !== undefined) seen.push(item.kind === 'chunk' ? item.n : item.kind);
    return item;
  });
  return seen;
}

/**
 * How many files this thread scanned to their end: the full check reads the file on this
 * thread, the fast path leaves all reading to its worker — 0 when the fast path stored
 * the file, 1 when it stepped aside and the full check decided.
 */
function mainThreadScans(): { count: number } {
  const seen = { count: 0 };
  const end = RecordScanner.prototype.end;
  vi.spyOn(RecordScanner.prototype, 'end').mockImplementation(function (this: RecordScanner) {
    seen.count++;
    return end.call(this);
  });
  return seen;
}

function stored(db: Db): unknown[] {
  return db
    .prepare(
      `SELECT r.request_number, rr.sub_number, rr.result_code, rr.seized_amount, rr.collected_amount, rr.collection_date
       FROM requests r JOIN request_records rr ON rr.request_id = r.id ORDER BY r.request_number, rr.sub_number`,
    )
    .all();
}

const outcome = (s: ImportResultsSummary) => ({ records: s.records, results: s.results, seized: s.seized, collected: s.collected, batchState: s.batchState, sha256: s.sha256 });

function put(buf: Buffer, offset: number, text: string): Buffer {
  const b = Buffer.from(buf);
  Buffer.from(text, 'latin1').copy(b, offset);
  return b;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('result import on two threads: chunk boundaries', () => {
  const reference = (() => {
    let ref: { summary: ReturnType<typeof outcome>; rows: unknown[] } | null = null;
    return () => {
      if (ref === null) {
        const { db, out } = setup();
        const items = recordItems();
        const scans = mainThreadScans();
        const s = fullCheckOnly(db, out);
        expect(items).toEqual([]); // no worker asked for an item
        expect(scans.count).toBe(1); // the file read on this thread
        vi.restoreAllMocks();
        ref = { summary: outcome(s), rows: stored(db) };
      }
      return ref;
    };
  })();

  const cases: Array<{ chunkRecords: number | undefined; items: Array<string | number> }> = [
    { chunkRecords: 7, items: ['header', ...Array.from({ length: 42 }, () => 7), 6, 'end'] },
    { chunkRecords: 1, items: ['header', ...Array.from({ length: RECORDS }, () => 1), 'end'] },
    { chunkRecords: 100, items: ['header', 100, 100, 100, 'end'] },
    { chunkRecords: undefined, items: ['header', RECORDS, 'end'] },
  ];
  for (const c of cases) {
    it(`${c.chunkRecords ?? 'default'} records per chunk: the full check's results, stored by the fast path`, () => {
      const want = reference();
      const { db, out } = setup();
      const items = recordItems();
      const scans = mainThreadScans();
      const opts: ImportResultsOptions = c.chunkRecords === undefined ? {} : { engine: { chunk: c.chunkRecords } };
      const s = importResults(db, out, opts);
      expect(items).toEqual(c.items);
      expect(scans.count).toBe(0); // stored by the fast path, no fallback
      expect(outcome(s)).toEqual(want.summary);
      expect(stored(db)).toEqual(want.rows);
    });
  }

  it('an in-memory database takes the same path', () => {
    const want = reference();
    const dir = tempDir();
    const db = openDb(':memory:');
    db.prepare(`INSERT INTO imports (id, kind, sha256, files, imported_at, operator) VALUES (1, 'targets', 'x', '[]', 't', 'op')`).run();
    db.prepare(`INSERT INTO extractions (id, processing_date, options, created_at, operator) VALUES (1, '2026-12-01', '{}', 't', 'op')`).run();
    const { out } = setup(db, dir);
    const items = recordItems();
    const scans = mainThreadScans();
    const s = importResults(db, out, { engine: { chunk: 64 }, archiveDir: path.join(dir, 'archive') });
    expect(items).toEqual(['header', 64, 64, 64, 64, 44, 'end']);
    expect(scans.count).toBe(0);
    expect(outcome(s)).toEqual(want.summary);
    expect(stored(db)).toEqual(want.rows);
  });
});

describe('result import on two threads: a finding falls back to the full check', () => {
  const cases: Array<{ name: string; mutate: (b: Buffer) => Buffer }> = [
    // found in the worker after several chunks were stored
    { name: 'rule 3: result code 00 at record 250', mutate: (b) => put(put(put(b, dataAt(250) + 74, '00'), dataAt(250) + 76, '000000000000'), dataAt(250) + 88, '000000000000') },
    { name: 'layout: lowercase in a name at record 200', mutate: (b) => put(b, dataAt(200) + 26, 'a') },
    { name: 'rule 6: trailer seized total off by one (found after the last chunk)', mutate: (b) => bumpTrailerSeized(b) },
    { name: 'framing: short last record', mutate: (b) => b.subarray(0, b.length - 10) },
    // found on the main thread: rule 1 at the header, rule 2 in the store
    { name: 'rule 1: requester code differs', mutate: (b) => put(b, 4, '0000099999') },
    { name: 'rule 2: branch differs at record 260', mutate: (b) => put(b, dataAt(260) + 13, '999') },
    // nothing for the worker to find: only the count of the file's request records tells
    { name: 'rule 2: the last record left out, the trailer made to agree', mutate: (b) => dropLastRecord(b) },
  ];
  // 16: the finding comes with a partial chunk pending; 100: every chunk was posted before it (300 = 3 × 100)
  for (const c of cases.flatMap((k) => [16, 100].map((chunkRecords) => ({ ...k, chunkRecords })))) {
    it(`${c.name}, ${c.chunkRecords} records per chunk → the full check's findings, nothing stored`, () => {
      const { db, dir, bytes } = setup();
      const file = path.join(dir, 'bad.DAT');
      fs.writeFileSync(file, c.mutate(bytes));
      const before = dbFingerprint(db);
      const want = appErrorOf(() => fullCheckOnly(db, file));
      expect(want.exit).toBe(3);
      expect(dbFingerprint(db)).toBe(before);

      const items = recordItems();
      const scans = mainThreadScans();
      const e = appErrorOf(() => importResults(db, file, { engine: { chunk: c.chunkRecords } }));
      expect(items[0]).toBe('header'); // the fast path ran, then stepped aside (what it stored rolled back: the fingerprint below):
      expect(scans.count).toBe(1); // and the full check decided
      expect({ code: e.code, exit: e.exit, findings: e.findings, more: e.moreFindings }).toEqual({
        code: want.code,
        exit: want.exit,
        findings: want.findings,
        more: want.moreFindings,
      });
      expect(dbFingerprint(db)).toBe(before);
      expect(fs.readdirSync(path.join(dir, 'archive', 'results'))).toEqual([]);
    });
  }
});

describe('result import on two threads: conflicts still exit 4', () => {
  it('the same file again → exit 4 as the full check says, unchanged', () => {
    const { db, out } = setup();
    importResults(db, out, { engine: { chunk: 16 } });
    const before = dbFingerprint(db);
    const want = appErrorOf(() => fullCheckOnly(db, out));
    const e = appErrorOf(() => importResults(db, out, { engine: { chunk: 16 } }));
    expect(e.exit).toBe(4);
    expect({ code: e.code, msg: e.msg, location: e.location }).toEqual({ code: want.code, msg: want.msg, location: want.location });
    expect(dbFingerprint(db)).toBe(before);
  });

  it('another result for a file that already has results → exit 4 results.already-imported (rule 1 on the worker’s header), unchanged', () => {
    const { db, dir, out } = setup();
    importResults(db, out, { engine: { chunk: 16 } });
    const other = path.join(dir, 'RESULT2.DAT');
    simulateBank({ requestPath: path.join(dir, 'SASHI_0184_42.DAT'), resultPath: other, seed: 99 });
    const before = dbFingerprint(db);
    const items = recordItems();
    const e = appErrorOf(() => importResults(db, other, { engine: { chunk: 16 } }));
    expect(items[0]).toBe('header');
    expect(e.exit).toBe(4);
    expect(e.code).toBe('results.already-imported');
    expect(dbFingerprint(db)).toBe(before);
  });
});

/** The trailer's 差押金額合計 (offset 25, 12 digits) plus one yen. */
/** The file without its last data record (a third account of the last request), its trailer totals made to agree. */
function dropLastRecord(b: Buffer): Buffer {
  const last = b.subarray(dataAt(RECORDS), dataAt(RECORDS) + R);
  const seized = Number(last.subarray(76, 88).toString('latin1'));
  const collected = Number(last.subarray(88, 100).toString('latin1'));
  let out: Buffer = Buffer.concat([b.subarray(0, dataAt(RECORDS)), b.subarray(dataAt(RECORDS) + R)]);
  const t = dataAt(RECORDS); // the trailer now
  const num = (at: number, len: number): number => Number(out.subarray(t + at, t + at + len).toString('latin1'));
  out = put(out, t + 1, String(num(1, 6) - 1).padStart(6, '0'));
  if (seized > 0) out = put(out, t + 19, String(num(19, 6) - 1).padStart(6, '0'));
  out = put(out, t + 25, String(num(25, 12) - seized).padStart(12, '0'));
  return put(out, t + 37, String(num(37, 12) - collected).padStart(12, '0'));
}

function bumpTrailerSeized(b: Buffer): Buffer {
  const at = dataAt(RECORDS + 1) + 25;
  const v = Number(b.subarray(at, at + 12).toString('latin1')) + 1;
  return put(b, at, String(v).padStart(12, '0'));
}

describe('result import on two threads: the archive copy is written by the worker as it reads', () => {
  // over 1 MiB (the scanner reads 1 MiB at a time): the worker stops reading at a finding
  const BIG = 9000; // 3,000 requests × 3 accounts × 122 bytes ≈ 1.1 MB

  function big() {
    const { db, dir } = newDb();
    const b = makeBatch(db, dir, { accounts: Array.from({ length: BIG / 3 }, () => 3) });
    const out = path.join(dir, 'RESULT.DAT');
    simulateBank({ requestPath: b.files[0]!.path, resultPath: out, seed: 5 });
    return { db, dir, out, bytes: fs.readFileSync(out) };
  }

  it('a clean file: the archived copy is the received bytes, 0600', () => {
    const { db, out, bytes } = big();
    expect(bytes.length).toBeGreaterThan(1 << 20);
    const scans = mainThreadScans();
    const s = importResults(db, out);
    expect(scans.count).toBe(0); // stored by the fast path
    expect(fs.readFileSync(s.archivePath).equals(bytes)).toBe(true);
    expect(fs.statSync(s.archivePath).mode & 0o777).toBe(0o600);
  });

  it('a finding in the first MiB: the worker stopped, the full check reads a complete copy and reports as it alone does', () => {
    const { db, dir, bytes } = big();
    // a layout finding at record 100, and a rule-2 finding near the end that only a complete copy shows
    const early = path.join(dir, 'early.DAT');
    fs.writeFileSync(early, put(put(bytes, dataAt(100) + 26, 'a'), dataAt(BIG - 1) + 13, '999'));
    const before = dbFingerprint(db);
    const want = appErrorOf(() => fullCheckOnly(db, early));
    expect(want.findings.length).toBeGreaterThan(1); // the one near the end is among them
    const items = recordItems();
    const scans = mainThreadScans();
    const e = appErrorOf(() => importResults(db, early));
    expect(items[0]).toBe('header'); // the fast path ran, stepped aside,
    expect(scans.count).toBe(1); // and the full check decided
    expect({ code: e.code, findings: e.findings, more: e.moreFindings }).toEqual({ code: want.code, findings: want.findings, more: want.moreFindings });
    expect(dbFingerprint(db)).toBe(before);
    expect(fs.readdirSync(path.join(dir, 'archive', 'results'))).toEqual([]);
  });
});
