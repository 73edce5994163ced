/**
 * `import answers` on two threads (docs/adr/0188-answer-import-second-core.md): a clean
 * file is read, copied, hashed and checked (rules 2–5) by a worker and only stored by the
 * main thread; anything not clean rolls back to the one-thread pass. Each case is held
 * against the one-thread pass (`engine: { producer: 'inline' }`):
 * - chunk boundaries inside an inquiry's records: the same database (a full dump of what
 *   the import writes), the same summary, the archive copy byte-equal to the input;
 * - the worker's reads handed on to the main thread, which writes the archive's copy and
 *   hashes it (ADR 0188 amended): read sizes that split records, the copy and the sha256
 *   those of the input; the one-thread pass's copy as complete;
 * - a finding only the worker sees (an echo, a balance chain, a trailer total) or only the
 *   main thread sees (rule 1): the same findings, nothing stored, the archive empty;
 * - a conflict (answers already imported): exit 4, nothing stored.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppError } from '../../src/core/errors.js';
import { SyncProducer } from '../../src/core/sync-worker.js';
import type { Db } from '../../src/db/connection.js';
import type { InquiryOutRaw } from '../../src/db/inquiries.js';
import { RecordScanner } from '../../src/file/scanner.js';
import { importAnswers, type ImportAnswersOptions, type ImportAnswersSummary } from '../../src/steps/import-answers/index.js';
import type { AnswerItem } from '../../src/steps/import-answers/worker.js';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { appErrorOf } from '../helpers/errors.js';
import { PEOPLE, answerRecords, makeInquiryBatch, patch, snapshot, writeAnswer, type AnswerRec } from '../helpers/inquiry-fixture.js';

const R = 302; // record + CRLF
const MANY = Array.from({ length: 3000 }, (_v, i) => ({ ...PEOPLE[i % PEOPLE.length]!, atena: String(300000 + i) }));

function setup() {
  const dir = tempDir();
  const { db } = fixtureDb(dir);
  const b = makeInquiryBatch(db, dir, { people: MANY });
  return { db, dir, b };
}
type Setup = ReturnType<typeof setup>;

function answer(s: Setup, change: (recs: AnswerRec[]) => void = () => {}, name = 'ANS.DAT'): string {
  const recs = answerRecords(s.b, s.b.files[0]!);
  change(recs);
  return writeAnswer(path.join(s.dir, name), recs);
}

const INLINE: ImportAnswersOptions['engine'] = { producer: 'inline' };
const archiveOf = (file: string): string => path.join(path.dirname(file), 'archive');
const run = (db: Db, file: string, engine: ImportAnswersOptions['engine'], readBytes?: number): ImportAnswersSummary =>
  importAnswers(db, file, { archiveDir: archiveOf(file), engine, ...(readBytes !== undefined ? { readBytes } : {}) });
const sha256Of = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Everything the import writes, without its clock times; archive paths by their file name (each setup has its own folder). */
function dump(db: Db): Record<string, unknown[]> {
  const all = (sql: string): unknown[] => db.prepare(sql).raw(true).all();
  return {
    inquiries: all('SELECT * FROM inquiries ORDER BY batch_id, seq'),
    answers: all('SELECT batch_id, seq, answer_code, typeof(answer_code), answer_import_id FROM inquiry_answers ORDER BY batch_id, seq'),
    followUps: all('SELECT * FROM inquiry_follow_ups ORDER BY batch_id, seq'),
    accounts: all('SELECT * FROM answer_accounts ORDER BY rowid'),
    histories: all('SELECT * FROM answer_histories ORDER BY account_id'),
    imports: all('SELECT id, kind, sha256, files, as_of, operator, summary FROM imports ORDER BY id'),
    batchFiles: all('SELECT * FROM batch_files ORDER BY batch_id, seq'),
    batches: all('SELECT id, state FROM batches ORDER BY id'),
    resultFiles: db.prepare('SELECT * FROM result_files ORDER BY import_id').all().map((r) => ({ ...(r as Record<string, unknown>), archive_path: path.basename(String((r as { archive_path: string }).archive_path)) })),
    audit: all('SELECT id, operator, action, batch_id, sha256, details FROM audit_log ORDER BY id'),
  };
}

/** What the main thread took from the worker: chunk sizes, then 'end' (clean or not). */
function workerItems(): Array<string | number> {
  const seen: Array<string | number> = [];
  const next = SyncProducer.prototype.next;
  vi.spyOn(SyncProducer.prototype, 'next').mockImplementation(function (this: SyncProducer<unknown>) {
    const item = next.call(this) as AnswerItem | undefined;
    if (item !== undefined) seen.push(item.kind === 'chunk' ? item.n : item.clean ? 'end' : 'end:not-clean');
    return item;
  });
  return seen;
}

/** The lengths of the file's buffers the worker handed on, item by item (taken before this thread hands them back). */
function readsHandedOn(): number[] {
  const seen: number[] = [];
  const next = SyncProducer.prototype.next;
  vi.spyOn(SyncProducer.prototype, 'next').mockImplementation(function (this: SyncProducer<unknown>) {
    const item = next.call(this) as AnswerItem | undefined;
    if (item !== undefined) for (const b of item.read) seen.push(b.length);
    return item;
  });
  return seen;
}

/** Files scanned to their end on this thread: 0 when the fast path stored the file, 1 when the one-thread pass decided. */
function mainThreadScans(): { count: number } {
  const seen = { count: 0 };
  const end = RecordScanner.prototype.end;
  vi.spyOn(RecordScanner.prototype, 'end').mockImplementation(function (this: RecordScanner) {
    seen.count++;
    return end.call(this);
  });
  return seen;
}

const outcome = (s: ImportAnswersSummary) => ({ ...s, archivePath: path.basename(s.archivePath) });

afterEach(() => {
  vi.restoreAllMocks();
});

describe('answer import on two threads: a clean file, chunk boundaries inside inquiries', () => {
  const reference = (() => {
    let ref: { summary: ReturnType<typeof outcome>; dump: Record<string, unknown[]> } | null = null;
    return () => {
      if (ref === null) {
        const s = setup();
        const items = workerItems();
        const scans = mainThreadScans();
        const r = run(s.db, answer(s), INLINE);
        expect(items).toEqual([]); // no worker asked
        expect(scans.count).toBe(1);
        vi.restoreAllMocks();
        ref = { summary: outcome(r), dump: dump(s.db) };
      }
      return ref;
    };
  })();

  for (const chunk of [1, 7, 1000, undefined]) {
    it(`${chunk ?? 'default'} data records per chunk: the one-thread pass's database, stored by the fast path`, () => {
      const want = reference();
      const s = setup();
      const file = answer(s);
      const items = workerItems();
      const scans = mainThreadScans();
      const r = run(s.db, file, { producer: 'worker', ...(chunk !== undefined ? { chunk } : {}) });
      expect(scans.count).toBe(0); // the file was read by the worker alone
      expect(items.at(-1)).toBe('end');
      const records = items.filter((x): x is number => typeof x === 'number');
      expect(records.reduce((a, b) => a + b, 0)).toBeGreaterThan(3000);
      if (chunk !== undefined) expect(Math.max(...records)).toBe(chunk);
      expect(outcome(r)).toEqual(want.summary);
      expect(dump(s.db)).toEqual(want.dump);
      expect(s.db.pragma('foreign_key_check')).toEqual([]);
      expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
      // the archive holds exactly the bytes read, under their hash, and nothing else
      expect(fs.readdirSync(archiveOf(file))).toEqual([`${r.sha256}.dat`]);
      expect(fs.readFileSync(r.archivePath).equals(fs.readFileSync(file))).toBe(true);
      expect((fs.statSync(r.archivePath).mode & 0o777).toString(8)).toBe('600');
    });
  }

  // 7 splits every record many times; 301 (R − 1), 1,000 and 4,096 split records at changing
  // places (R = 302); 65,536 holds many records; the default reads the small file at once
  for (const readBytes of [7, 301, 1000, 4096, 65_536, undefined]) {
    it(`reads of ${readBytes ?? 'the default'} bytes handed on: the archive's copy and the sha256 are the input's, the database the one-thread pass's`, () => {
      const want = reference();
      const s = setup();
      const file = answer(s);
      const size = fs.statSync(file).size;
      const reads = readsHandedOn();
      const r = run(s.db, file, { producer: 'worker', chunk: 100 }, readBytes);
      expect(reads.reduce((a, b) => a + b, 0)).toBe(size);
      if (readBytes !== undefined) {
        expect(reads.length).toBe(Math.ceil(size / readBytes));
        expect(reads.reduce((a, b) => Math.max(a, b), 0)).toBe(readBytes);
      }
      expect(r.sha256).toBe(sha256Of(file));
      expect(outcome(r)).toEqual(want.summary);
      expect(dump(s.db)).toEqual(want.dump);
      expect(fs.readdirSync(archiveOf(file))).toEqual([`${r.sha256}.dat`]);
      expect(fs.readFileSync(r.archivePath).equals(fs.readFileSync(file))).toBe(true);
      expect((fs.statSync(r.archivePath).mode & 0o777).toString(8)).toBe('600');
    });
  }

  // ADR 0196: the main thread reads rule 2's inquiry pages ahead and hands them to the
  // worker. None (0), a page or two past each chunk (1, 600: the worker reads the rest
  // itself, and takes pages that begin before the inquiry it needs) and every page (the default)
  for (const feedAhead of [0, 1, 600, undefined]) {
    it(`inquiries read ahead for the worker (${feedAhead ?? 'default'}): the one-thread pass's database`, () => {
      const want = reference();
      const s = setup();
      const file = answer(s);
      const scans = mainThreadScans();
      const feed = vi.spyOn(SyncProducer.prototype, 'feed');
      const r = importAnswers(s.db, file, { archiveDir: archiveOf(file), engine: { producer: 'worker', chunk: 7 }, ...(feedAhead !== undefined ? { feedAhead } : {}) });
      expect(scans.count).toBe(0);
      if (feedAhead === 0) expect(feed).not.toHaveBeenCalled();
      else expect(feed.mock.calls.length).toBeGreaterThan(feedAhead === undefined ? 5 : 0); // 3,000 inquiries: six pages of 512
      expect(outcome(r)).toEqual(want.summary);
      expect(dump(s.db)).toEqual(want.dump);
    });
  }

  it('the worker compares with the pages it was fed: one altered on the way is an echo mismatch there, and the one-thread pass decides (the file is clean: stored as it)', () => {
    const want = reference();
    const s = setup();
    const file = answer(s);
    const scans = mainThreadScans();
    const items = workerItems();
    const feed = SyncProducer.prototype.feed;
    let altered = 0;
    vi.spyOn(SyncProducer.prototype, 'feed').mockImplementation(function (this: SyncProducer<unknown>, value: unknown) {
      // every fed page's 氏名カナ of its first row changed
      const rows = (value as InquiryOutRaw[]).map((r) => [...r]);
      rows[0]![2] = 'ﾃｽﾄ';
      altered++;
      return feed.call(this, rows);
    });
    const r = importAnswers(s.db, file, { archiveDir: archiveOf(file), engine: { producer: 'worker', chunk: 7 } });
    expect(altered).toBeGreaterThan(0);
    expect(items.at(-1)).toBe('end:not-clean');
    expect(scans.count).toBe(1);
    expect(outcome(r)).toEqual(want.summary);
    expect(dump(s.db)).toEqual(want.dump);
  });

  it('the one-thread pass (the fallback) archives a complete copy under the input\'s sha256', () => {
    const s = setup();
    const file = answer(s);
    const r = run(s.db, file, INLINE);
    expect(r.sha256).toBe(sha256Of(file));
    expect(fs.readdirSync(archiveOf(file))).toEqual([`${r.sha256}.dat`]);
    expect(fs.readFileSync(r.archivePath).equals(fs.readFileSync(file))).toBe(true);
    expect((fs.statSync(r.archivePath).mode & 0o777).toString(8)).toBe('600');
  });

  it('the default engine takes the fast path for a database file in WAL mode', () => {
    const s = setup();
    const items = workerItems();
    const r = importAnswers(s.db, answer(s), { archiveDir: path.join(s.dir, 'archive') });
    expect(items.at(-1)).toBe('end');
    expect(outcome(r)).toEqual(reference().summary);
  });
});

/** The import refused by both paths: the same error; nothing stored, the archive empty. */
function sameRefusal(change: (recs: AnswerRec[]) => void, after: (file: string) => void, exit: number, wantItems: (items: Array<string | number>) => void): AppError {
  const errors: AppError[] = [];
  for (const engine of [INLINE, { producer: 'worker' as const, chunk: 50 }]) {
    const s = setup();
    const file = answer(s, change);
    after(file);
    const before = snapshot(s.db);
    const items = workerItems();
    const e = appErrorOf(() => run(s.db, file, engine, 1000));
    if (engine !== INLINE) wantItems(items);
    vi.restoreAllMocks();
    expect(e.exit, e.describe()).toBe(exit);
    expect(snapshot(s.db)).toEqual(before);
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    if (fs.existsSync(archiveOf(file))) expect(fs.readdirSync(archiveOf(file))).toEqual([]);
    errors.push(e);
  }
  const [a, b] = errors as [AppError, AppError];
  expect({ code: b.code, msg: b.msg, location: b.location, findings: b.findings, more: b.moreFindings }).toEqual({ code: a.code, msg: a.msg, location: a.location, findings: a.findings, more: a.moreFindings });
  return a;
}

const f = (recs: AnswerRec[], i: number): Record<string, unknown> => recs[i]!.fields;
/** the index of inquiry n's first record */
const firstOf = (recs: AnswerRec[], n: number): number => recs.findIndex((x) => x.ref === 'account' && x.fields['inquiryNumber'] === n);
const fellBack = (items: Array<string | number>): void => expect(items.at(-1)).toBe('end:not-clean');
const noWorker = (items: Array<string | number>): void => expect(items).toEqual([]);

describe('answer import on two threads: what is not clean falls back to the one-thread pass', () => {
  it('an echo mismatch deep in the file (found by the worker after chunks were stored): the same findings', () => {
    const e = sameRefusal((r) => (f(r, firstOf(r, 2900))['taxpayerId'] = '300001'), () => {}, 3, fellBack);
    expect(e.findings.map((x) => x.code)).toEqual(['answer.echo-mismatch']);
  });

  it('a balance chain broken by ¥1 (rule 4, in the worker): the same findings', () => {
    const e = sameRefusal(
      (r) => {
        const k = firstOf(r, 2501); // 回答区分 1: account, detail, detail, account
        f(r, k + 1)['balanceAfter'] = 352301;
      },
      () => {},
      3,
      fellBack,
    );
    expect(e.findings.map((x) => x.code)).toContain('answer.balance-chain');
  });

  it('a trailer off by one (the last record): the same findings', () => {
    let trailer = -1;
    const e = sameRefusal(
      (r) => (trailer = r.findIndex((x) => x.ref === 'trailer')),
      (file) => patch(file, trailer * R + 1, '003001'),
      3,
      fellBack,
    );
    expect(e.findings).toEqual([expect.objectContaining({ record: trailer, field: 'inquiryCount', expected: '003000', found: '003001' })]);
  });

  it('an inquiry missing at the end (rule 2 at the finish, in the worker): the same findings', () => {
    const e = sameRefusal((r) => r.splice(firstOf(r, 3000), 1), () => {}, 3, fellBack);
    expect(e.findings.map((x) => x.code)).toContain('answer.inquiry-missing');
  });

  it('a header that differs from the inquiry file (rule 1, on the main thread): the same findings, no worker started', () => {
    const e = sameRefusal((r) => (f(r, 0)['baseDate'] = '2026-11-30'), () => {}, 3, noWorker);
    expect(e.findings.map((x) => x.code)).toContain('answer.base-date-mismatch');
  });

  it('answers already imported: exit 4, nothing stored — by both paths, the same error', () => {
    for (const engine of [INLINE, { producer: 'worker' as const }]) {
      const s = setup();
      const file = answer(s);
      run(s.db, file, engine);
      const again = answer(s, (r) => (f(r, 0)['answerDate'] = '2026-12-05'), 'AGAIN.DAT'); // other bytes, the same inquiry file
      const before = snapshot(s.db);
      const items = workerItems();
      const e = appErrorOf(() => run(s.db, again, engine));
      expect(items).toEqual([]); // rule 1's conflict is thrown before any worker starts
      vi.restoreAllMocks();
      expect(e.exit).toBe(4);
      expect(e.code).toBe('answers.already-imported');
      expect(snapshot(s.db)).toEqual(before);
      expect(fs.readdirSync(archiveOf(file))).toHaveLength(1);
      expect(s.db.pragma('foreign_key_check')).toEqual([]);
    }
  });
});
