/**
 * Crash safety of `import answers` (its fast path on two threads, ADRs 0188 and 0193: the
 * answer codes are set chunk by chunk and the archive's copy is synced while the worker still
 * reads): a child process importing a 12,000-inquiry answer file is SIGKILLed at points of
 * its progress — as its copy of the file in the archive grows (0 %, …, 100 % of the file's
 * bytes), and once the copy has its final name (the COMMIT next) — not after a time, so the
 * points do not depend on the machine's speed. After each kill the database is whole (integrity_check ok) and holds either nothing
 * of the import or all of it; running the import again to its end leaves exactly what an
 * uninterrupted import leaves, and the archive holds the one file, byte-equal to the input.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { PEOPLE, TODAY, answerRecords, makeInquiryBatch, writeAnswer } from '../helpers/inquiry-fixture.js';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
const env = { ...process.env, SASHIOSAE_TODAY: TODAY };
const RUNS = 12;
const MANY = Array.from({ length: 12_000 }, (_v, i) => ({ ...PEOPLE[i % PEOPLE.length]!, atena: String(500000 + i) }));

function copyDb(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to + suffix);
    else fs.rmSync(to + suffix, { force: true });
  }
}

/** Start the import and SIGKILL it once `due()` says so (asked as it runs); resolves with how it ended. */
function importAndKill(db: string, file: string, due: () => boolean): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, '--db', db, 'import', 'answers', file], { env, stdio: 'ignore' });
    const poll = setInterval(() => {
      if (due()) child.kill('SIGKILL');
    }, 1);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      resolve({ killed: signal === 'SIGKILL', code });
    });
  });
}

/** Bytes of the import's temporary copy in the archive (`.incoming.…`), −1 while there is none. */
function copyBytes(dir: string): number {
  const a = path.join(dir, 'archive', 'answers');
  try {
    const tmp = fs.readdirSync(a).find((n) => n.startsWith('.incoming.'));
    return tmp === undefined ? -1 : fs.statSync(path.join(a, tmp)).size;
  } catch {
    return -1; // not there yet, or renamed between the two calls
  }
}

/** What the import writes, without clock times and with archive paths by file name. */
function dump(dbFile: string): string {
  const db = new Database(dbFile, { readonly: true });
  try {
    const q = (sql: string) => db.prepare(sql).raw(true).all();
    return JSON.stringify({
      inquiries: q('SELECT batch_id, seq, answer_code, answer_import_id FROM inquiry_answers ORDER BY batch_id, seq'),
      followUps: q('SELECT * FROM inquiry_follow_ups ORDER BY batch_id, seq'),
      accounts: q('SELECT * FROM answer_accounts ORDER BY id'),
      histories: q('SELECT * FROM answer_histories ORDER BY account_id'),
      imports: q("SELECT id, kind, sha256, files, summary FROM imports WHERE kind = 'answers' ORDER BY id"),
      files: q('SELECT batch_id, seq, results_import_id FROM batch_files ORDER BY batch_id, seq'),
      resultFiles: q('SELECT import_id, batch_id, file_number, sha256 FROM result_files ORDER BY import_id'),
      batches: q('SELECT id, state FROM batches ORDER BY id'),
      audit: q("SELECT action, batch_id, sha256 FROM audit_log WHERE action = 'import.answers' ORDER BY id"),
    });
  } finally {
    db.close();
  }
}

function integrity(dbFile: string): string {
  const db = new Database(dbFile);
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

/** Every file under the archive of answers (any name): its path below the folder, and its bytes' sha256. */
function archived(dir: string): Array<[string, string]> {
  const a = path.join(dir, 'archive', 'answers');
  if (!fs.existsSync(a)) return [];
  const out: Array<[string, string]> = [];
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push([path.relative(a, p), sha256(fs.readFileSync(p))]);
    }
  };
  walk(a);
  return out.sort();
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

describe('crash safety: SIGKILL during import answers', () => {
  let work: string;
  let base: string;
  let answer: string;
  let before: string;
  let reference: string;

  beforeAll(() => {
    work = tempDir();
    const { db, file } = fixtureDb(work);
    const b = makeInquiryBatch(db, work, { people: MANY });
    answer = writeAnswer(path.join(work, 'ANSWERS.DAT'), answerRecords(b, b.files[0]!));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    base = file;
    before = dump(base);
    const ref = path.join(work, 'ref', 'ref.db');
    fs.mkdirSync(path.dirname(ref));
    copyDb(base, ref);
    const r = spawnSync(process.execPath, [cli, '--db', ref, 'import', 'answers', answer], { env, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    reference = dump(ref);
    const h = sha256(fs.readFileSync(answer));
    expect(archived(path.dirname(ref))).toEqual([[`${h}.dat`, h]]);
  }, 120_000);

  it('the reference import stored the answers', () => {
    expect(reference).not.toBe(before);
    expect(JSON.parse(reference).accounts.length).toBeGreaterThan(1000);
  });

  it(`${RUNS} runs killed at points of the import's progress: whole, all or nothing, and the same after running again`, async () => {
    let killed = 0;
    const size = fs.statSync(answer).size;
    const h = sha256(fs.readFileSync(answer));
    for (let i = 0; i < RUNS; i++) {
      const dir = path.join(work, `run${i}`);
      fs.mkdirSync(dir);
      const db = path.join(dir, 'test.db');
      copyDb(base, db);
      // runs 0 … RUNS − 2: the copy holds 0 %, …, 100 % of the file; the last: the copy has its name
      const at = i < RUNS - 1 ? Math.floor((size * i) / (RUNS - 2)) : -1;
      const point = at >= 0 ? `the archive's copy at ${at} of ${size} bytes` : 'the archive\'s copy named';
      const due = at >= 0 ? () => copyBytes(dir) >= at : () => fs.existsSync(path.join(dir, 'archive', 'answers', `${h}.dat`));
      const r = await importAndKill(db, answer, due);
      if (r.killed) killed++;
      else expect(r.code).toBe(0);
      // up to half the file, the rest of the stream is time enough for the signal even on a loaded machine
      if (at >= 0 && at <= size / 2) expect(r.killed, `killed at ${point}`).toBe(true);
      expect(integrity(db)).toBe('ok');
      const now = dump(db);
      expect([before, reference]).toContain(now);
      const again = spawnSync(process.execPath, [cli, '--db', db, 'import', 'answers', answer], { env, encoding: 'utf8' });
      // exit 4: the killed run had committed (already imported)
      expect([0, 4], again.stderr).toContain(again.status);
      expect(dump(db)).toBe(reference);
      expect(archived(dir), `killed at ${point}`).toEqual([[`${h}.dat`, h]]);
    }
    expect(killed).toBeGreaterThan(0);
  }, 300_000);
});
