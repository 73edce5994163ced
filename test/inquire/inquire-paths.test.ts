/**
 * inquire's paths (docs/adr/0189) store the same rows and return the same results: the
 * producer in a worker thread (reading the snapshot the transaction began from) or inline,
 * times the people asked staged and numbered by INSERT … SELECT (ADR 0122) or numbered as
 * they come (every active 宛名番号 of one length). Several banks, exclusions of every
 * reason, (taxpayer, bank) pairs skipped as recently inquired and a taxpayer skipped
 * everywhere, gaiji and shortened fields, page boundaries anywhere; ids of mixed length
 * take the stage whatever is asked. A dry run through the worker stores nothing.
 * The worker script runs from dist/ (build first).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../src/db/connection.js';
import { BulkInsert } from '../../src/db/batches.js';
import { activeIdShape } from '../../src/db/inquiries.js';
import { extract } from '../../src/steps/extract/index.js';
import { inquire, type InquireOptions } from '../../src/steps/inquire/index.js';
import { tempDir } from '../helpers/db.js';
import { TODAY, inquiryDb, type Person } from './helpers.js';

beforeEach(() => vi.stubEnv('SASHIOSAE_TODAY', TODAY));
afterEach(() => vi.unstubAllEnvs());

const LATER = '2026-12-08'; // a Tuesday, within --reinquire-after of TODAY

/** Asked at every bank (A), skipped at 0184 only (B), skipped everywhere (R) once the first run is trimmed; and every exclusion. */
function people(mixed: boolean): Person[] {
  const id = (n: number): string => String(100000 + n);
  const out: Person[] = [];
  for (let i = 1; i <= 14; i++) out.push({ atena: id(i), kana: `ヤマダ ${'ｱｲｳｴｵ'.slice(0, 1 + (i % 5))}`, birth: i % 4 === 0 ? '' : `19${50 + i}-04-0${1 + (i % 8)}` });
  out.push({ atena: id(20), name: '𠮷田 花子', address: '鹿児島市' + '山'.repeat(60) }); // gaiji, shortened address
  out.push({ atena: id(21), status: 1 }, { atena: id(22), status: 5 }); // status exclusions
  out.push({ atena: id(23), kubun: 2 }); // no-seizable-debt
  out.push({ atena: id(24), accountsAt: ['0184'] }); // in-open-batch (the extract below)
  out.push({ atena: 'A10025' }); // id-not-writable (one length: digits only are writable)
  out.push({ atena: id(26), kana: 'ヲガワ ハナコ' }, { atena: id(27), kana: '山田太郎' }); // name-not-writable
  out.push({ atena: id(28), noDebt: true }); // not a delinquent
  for (let i = 30; i < 36; i++) out.push({ atena: id(i) }); // B (30–32) and R (33–35)
  if (mixed) out.push({ atena: '99' }, { atena: '1000' }, { atena: '0123' }, { atena: '123' }, { atena: '12345678901' });
  return out;
}

/**
 * The database inquire starts from: a first inquire (all banks) whose inquiries are then
 * trimmed so that B were asked at 0184 only and R at every bank (a fixture: the batch
 * counts no longer match, which the rules do not read), then an extract (an open request).
 */
async function fixture(mixed: boolean): Promise<string> {
  const { db, file } = await inquiryDb(people(mixed));
  inquire(db, { date: TODAY });
  const B = ['100030', '100031', '100032'];
  const R = ['100033', '100034', '100035'];
  const keep = (ids: string[]) => ids.map((a) => `'${a}'`).join(',');
  db.exec(`DELETE FROM inquiries WHERE NOT (atena IN (${keep(R)}) OR (atena IN (${keep(B)}) AND batch_id LIKE '0184-%'))`);
  extract(db, { date: TODAY, banks: ['0184'] });
  db.close();
  return file;
}

interface Outcome {
  result: unknown;
  exclusions: unknown[];
  progress: unknown[];
  dump: Record<string, unknown[]>;
  staged: boolean;
}

/** Everything inquire stores, timestamps left out (rowid: the order rows were stored in). */
function dump(db: Db): Record<string, unknown[]> {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    inquiries: all('SELECT * FROM inquiries ORDER BY batch_id, seq'),
    exclusions: all('SELECT rowid, * FROM exclusions ORDER BY rowid'),
    batches: all('SELECT rowid, id, kind, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, history_from FROM batches ORDER BY rowid'),
    batchFiles: all('SELECT * FROM batch_files ORDER BY batch_id, seq'),
    extractions: all('SELECT id, kind, processing_date, options, operator, summary FROM extractions ORDER BY id'),
    settings: all('SELECT bank_code, next_file_number FROM bank_settings ORDER BY bank_code'),
    audit: all('SELECT id, operator, action, batch_id, details FROM audit_log ORDER BY id'),
    temp: all("SELECT name FROM sqlite_temp_master WHERE type = 'table'"),
  };
}

/** inquire on a copy of the fixture with these options. */
function run(fixtureFile: string, opts: Partial<InquireOptions>, outer = false): Outcome {
  const dir = tempDir();
  const file = path.join(dir, 'copy.db');
  fs.copyFileSync(fixtureFile, file);
  const db = openDb(file);
  try {
    let staged = false;
    const exec = db.exec.bind(db);
    vi.spyOn(db, 'exec').mockImplementation((sql: string) => {
      if (sql.includes('CREATE TEMP TABLE inquire_people')) staged = true;
      return exec(sql);
    });
    const exclusions: unknown[] = [];
    const progress: unknown[] = [];
    const step = () =>
      inquire(db, {
        date: LATER,
        operator: 'tester',
        onExclusion: (...a) => exclusions.push(a),
        onProgress: (...a) => progress.push(a),
        ...opts,
      });
    // inside an outer transaction foreign keys stay on: the direct path defers them to COMMIT
    const result = outer ? db.transaction(step)() : step();
    return { result, exclusions, progress, dump: dump(db), staged };
  } finally {
    db.close();
  }
}

describe('inquire: worker or inline, staged or not, the same rows', () => {
  it('ids of one length: four paths, any page size, store and return the same', async () => {
    const f = await fixture(false);
    const check = openDb(f);
    expect(activeIdShape(check).oneLength).toBe(true);
    check.close();
    const base = run(f, { engine: { producer: 'inline' }, stage: true, pageSize: 1000 });
    expect(base.staged).toBe(true);
    // the fixture gives what it is for
    const r = base.result as { excluded: Record<string, number>; skipped: Record<string, number>; substituted: Record<string, number>; batches: Array<{ inquiries: number }> };
    expect(Object.keys(r.excluded)).toEqual(['status-suspended', 'status-deceased', 'no-seizable-debt', 'in-open-batch', 'id-not-writable', 'name-not-writable', 'recently-inquired']);
    expect(r.skipped).toEqual({ 'recently-inquired': 3 });
    expect(r.batches.map((b) => b.inquiries)).toEqual([15, 18, 18]);
    expect(r.substituted).toEqual({ gaiji: 3, nameShortened: 0, addressShortened: 3 });
    expect(base.dump['inquiries']).toHaveLength(51 + 12); // and the first run's 12 left by the fixture
    expect(base.dump['temp']).toEqual([]);
    for (const producer of ['inline', 'worker'] as const) {
      for (const stage of [true, undefined]) {
        for (const pageSize of [1, 3, 7]) {
          const o = run(f, { engine: { producer }, ...(stage !== undefined ? { stage } : {}), pageSize });
          expect(o.staged, `${producer} stage=${String(stage)} pageSize=${pageSize}`).toBe(stage === true);
          expect({ ...o, staged: base.staged }, `${producer} stage=${String(stage)} pageSize=${pageSize}`).toEqual({ ...base, progress: o.progress });
          expect(o.progress.at(-1)).toEqual(base.progress.at(-1));
        }
      }
    }
    // statements of 4 rows: pages store whole statements and carry the rest to the next (flushFull)
    const bulk = BulkInsert as unknown as { ROWS: number };
    const rows = bulk.ROWS;
    bulk.ROWS = 4;
    try {
      for (const stage of [true, undefined]) {
        for (const pageSize of [3, 7]) {
          const o = run(f, { engine: { producer: 'worker' }, ...(stage !== undefined ? { stage } : {}), pageSize });
          expect({ ...o, staged: base.staged }, `4-row statements stage=${String(stage)} pageSize=${pageSize}`).toEqual({ ...base, progress: o.progress });
        }
      }
    } finally {
      bulk.ROWS = rows;
    }
    const within = run(f, { pageSize: 4 }, true);
    expect(within.staged).toBe(false);
    expect(within).toEqual({ ...base, staged: false, progress: within.progress });
  }, 60_000);

  it('ids of mixed length: the stage whatever is asked, worker and inline the same (numeric order, padded duplicates)', async () => {
    const f = await fixture(true);
    const check = openDb(f);
    expect(activeIdShape(check).oneLength).toBe(false);
    check.close();
    const base = run(f, { engine: { producer: 'inline' }, pageSize: 1000 });
    expect(base.staged).toBe(true);
    const inq = base.dump['inquiries'] as Array<{ batch_id: string; seq: number; atena: string }>;
    const at0187 = (base.result as { batches: Array<{ id: string; bankCode: string }> }).batches.find((b) => b.bankCode === '0187')?.id;
    expect(inq.filter((i) => i.batch_id === at0187).slice(0, 3).map((i) => [i.seq, i.atena])).toEqual([[1, '99'], [2, '1000'], [3, '100001']]);
    expect((base.result as { excluded: Record<string, number> }).excluded['id-not-writable']).toBe(4);
    for (const producer of ['inline', 'worker'] as const) {
      for (const pageSize of [2, 5]) {
        const o = run(f, { engine: { producer }, pageSize });
        expect(o.staged).toBe(true);
        expect(o, `${producer} pageSize=${pageSize}`).toEqual({ ...base, progress: o.progress });
      }
    }
  }, 60_000);

  it('a dry run through the worker stores nothing and reports what the run stores', async () => {
    const f = await fixture(false);
    const real = run(f, { engine: { producer: 'worker' } });
    const dry = run(f, { engine: { producer: 'worker' }, dryRun: true });
    const before = openDb(f);
    const untouched = dump(before);
    before.close();
    expect(dry.dump).toEqual(untouched);
    expect(dry.staged).toBe(false);
    expect(dry.result).toEqual({ ...(real.result as object), dryRun: true });
    expect(dry.exclusions).toEqual(real.exclusions);
  }, 60_000);
});
