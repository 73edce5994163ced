/**
 * The CLI of `import answers` (cli.md: `import answers --json`, exit codes, console
 * privacy) and `validate` applying the answer rules 3–5 to an answer file.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { answerRecords, makeInquiryBatch, sha256Of, writeAnswer, type AnswerRec } from '../helpers/inquiry-fixture.js';

const CLI = path.resolve('dist/cli/main.js');
const R = 302;
const run = (args: string[]) => spawnSync('node', [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-12-05' } });

function setup() {
  const dir = tempDir();
  const { db, file } = fixtureDb(dir);
  const b = makeInquiryBatch(db, dir, { perFile: 3 });
  db.close();
  return { dir, dbFile: file, b };
}

describe('CLI import answers', () => {
  it('--json is exactly the contract; the human summary is Japanese first with the answer labels', () => {
    const s = setup();
    const a1 = writeAnswer(path.join(s.dir, 'A1.DAT'), answerRecords(s.b, s.b.files[0]!));
    const a2 = writeAnswer(path.join(s.dir, 'A2.DAT'), answerRecords(s.b, s.b.files[1]!));
    const j = run(['--db', s.dbFile, 'import', 'answers', a1, '--json']);
    expect(j.status, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toEqual({
      batch: s.b.batchId, file: 'A1.DAT', sha256: sha256Of(a1), inquiries: 3, answers: { '1': 1, '2': 1, '3': 1, '4': 0 }, accounts: 2, details: 2, balanceTotal: 147300,
    });
    const h = run(['--db', s.dbFile, '--lang', 'ja', 'import', 'answers', a2]);
    expect(h.status, h.stderr).toBe(0);
    expect(h.stdout).toContain('照会回答を取り込みました');
    expect(h.stdout).toMatch(/回答区分 2 該当なし: 1 件/);
    expect(h.stdout).toContain('回答取込済');
    expect(h.stdout + h.stderr).not.toMatch(/ﾔﾏﾀﾞ|ﾀﾅｶ|0012345|田中|山田/);
    const again = run(['--db', s.dbFile, 'import', 'answers', a2]);
    expect(again.status).toBe(4);
  });

  it('a refused answer: exit 3, the finding located in Japanese, no personal value on the console', () => {
    const s = setup();
    const recs = answerRecords(s.b, s.b.files[0]!);
    Object.assign(recs[4]!.fields, { birthDate: '1989-01-09' });
    const bad = writeAnswer(path.join(s.dir, 'BAD.DAT'), recs);
    for (const lang of ['ja', 'en']) {
      const r = run(['--db', s.dbFile, '--lang', lang, 'import', 'answers', bad]);
      expect(r.status).toBe(3);
      const all = r.stdout + r.stderr;
      if (lang === 'ja') expect(all).toMatch(/第5レコード、バイト位置 1315、項目 birthDate/);
      expect(all).not.toMatch(/ﾔﾏﾀﾞ|山田|4010109|4010108|1989|0012345/);
    }
  });
});

describe('validate on answer files (rules 3–5)', () => {
  it('a good answer: exit 0; a broken one: exit 3 with the rules’ findings at their offsets', () => {
    const s = setup();
    const good = writeAnswer(path.join(s.dir, 'G.DAT'), answerRecords(s.b, s.b.files[0]!));
    const ok = run(['validate', good, '--json']);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ valid: true, layout: 'inquiry-300' });
    const recs: AnswerRec[] = answerRecords(s.b, s.b.files[0]!);
    Object.assign(recs[4]!.fields, { accountSeq: 3 }); // rule 3: a gap
    Object.assign(recs[2]!.fields, { balanceAfter: 352301 }); // rule 4: the chain breaks at the next detail
    const bad = writeAnswer(path.join(s.dir, 'B.DAT'), recs);
    const r = run(['validate', bad, '--json']);
    expect(r.status).toBe(3);
    const doc = JSON.parse(r.stdout) as { valid: boolean; findings: Array<Record<string, unknown>> };
    expect(doc.valid).toBe(false);
    expect(doc.findings).toEqual(expect.arrayContaining([
      expect.objectContaining({ record: 3, offset: 3 * R + 33, field: 'balanceAfter', expected: '000000152301', found: '000000152300' }),
      expect.objectContaining({ record: 4, offset: 4 * R + 9, field: 'accountSeq', expected: '02', found: '03' }),
    ]));
    expect(doc.findings).toHaveLength(2);
  });
});
