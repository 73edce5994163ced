/**
 * A batch written as several files (maxRecordsPerFile), end to end: extract → write →
 * bank-sim per file (one deposit per file, as a bank pays) → import results ×3 →
 * import the statements → reconcile (issue 13, item 4).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateBank, type SimulateSummary } from '../../src/bank-sim/index.js';
import { extract } from '../../src/steps/extract/extract.js';
import { importResults } from '../../src/steps/import-results/import-results.js';
import { importStatement } from '../../src/steps/import-statement/import-statement.js';
import { reconcile } from '../../src/steps/reconcile/reconcile.js';
import { writeBatch } from '../../src/steps/write/write.js';
import { buildReport, buildReportDetails } from '../../src/report/model.js';
import { matchCollectionsToDeposits } from '../../src/domain/deposit-matching.js';
import { freshDb, settings, target } from '../extract/helpers.js';

const D = '2026-12-01';

async function threeFiles(seed: number) {
  const { db, dir } = freshDb();
  settings(db, { maxRecordsPerFile: 2 });
  // six taxpayers, one account each: three files of two records
  for (let i = 1; i <= 6; i++) target(db, `T${i}`, { honzei: 20_000 + i * 7_300, balance: 500_000 });
  const r = extract(db, { date: D });
  expect(r.batches).toHaveLength(1);
  const batchId = r.batches[0]!.id;
  const media = path.join(dir, 'usb');
  fs.mkdirSync(media);
  const w = await writeBatch(db, batchId, { media });
  expect(w.files).toHaveLength(3);
  const sims: SimulateSummary[] = [];
  const statements: string[] = [];
  w.files.forEach((f, i) => {
    const out = path.join(dir, `R${i}.DAT`);
    const st = path.join(dir, `S${i}.DAT`);
    sims.push(simulateBank({ requestPath: f.path, resultPath: out, statementPath: st, seed }));
    statements.push(st);
  });
  return { db, dir, batchId, sims, statements };
}

describe('a batch of several files against its statements', () => {
  it('bank-sim writes each file its own statement (not byte-identical, distinct 照会番号), and all three import', async () => {
    const { db, sims, statements } = await threeFiles(3);
    const bytes = statements.map((s) => fs.readFileSync(s).toString('latin1'));
    expect(new Set(bytes).size).toBe(3);
    for (const s of sims) importResults(db, s.resultPath);
    for (const s of statements) importStatement(db, s);
    const inq = db.prepare('SELECT inquiry_number AS n FROM statement_entries').all() as Array<{ n: string }>;
    expect(new Set(inq.map((r) => r.n)).size).toBe(inq.length);
  });

  it('reconcile matches the batch against one deposit per file on the 取立日; deposit = their sum, difference 0', async () => {
    const { db, batchId, sims, statements } = await threeFiles(3);
    for (const s of sims) importResults(db, s.resultPath);
    for (const s of statements) importStatement(db, s);
    const perFile = sims.map((s) => s.collected);
    expect(perFile.filter((c) => c > 0).length).toBeGreaterThanOrEqual(2); // the case needs several deposits
    const total = perFile.reduce((a, b) => a + b, 0);
    const rec = reconcile(db, batchId, { engine: { producer: 'inline' } });
    expect(rec.collected).toBe(total);
    expect(rec.deposits.matches).toEqual([expect.objectContaining({ collected: total, deposit: total, difference: 0, matched: true })]);
    const taken = db.prepare('SELECT amount FROM statement_entries WHERE matched_batch = ? ORDER BY id').all(batchId) as Array<{ amount: number }>;
    expect(taken.map((t) => t.amount).sort()).toEqual(perFile.filter((c) => c > 0).sort());
    const rep = buildReport(db, batchId);
    expect(rep.statement).toEqual({ deposit: total, difference: 0, matched: true });
  });
});

describe('a batch of several files with one file’s deposit missing', () => {
  it('reconciles but does not match; the report states the difference against the files’ deposits (not “the largest deposit”)', async () => {
    const { db, batchId, sims, statements } = await threeFiles(3);
    for (const s of sims) importResults(db, s.resultPath);
    const withMoney = sims.map((s, i) => ({ s, i })).filter(({ s }) => s.collected > 0);
    expect(withMoney.length).toBeGreaterThanOrEqual(2);
    // the statement of the last file that collected money never arrives
    const lastIdx = withMoney[withMoney.length - 1]!.i;
    statements.forEach((st, i) => {
      if (i !== lastIdx) importStatement(db, st);
    });
    const rec = reconcile(db, batchId, { engine: { producer: 'inline' } });
    expect(rec.deposits.files).toBe(3);
    expect(rec.deposits.matches).toHaveLength(1);
    const m = rec.deposits.matches[0]!;
    expect(m.matched).toBe(false);
    expect(m.difference).toBe((m.deposit ?? 0) - m.collected);
    expect(db.prepare('SELECT COUNT(*) AS n FROM statement_entries WHERE matched_batch = ?').get(batchId)).toEqual({ n: 0 });
    const a = buildReportDetails(db, batchId).anomalies.find((x) => x.kind === 'statement-difference');
    expect(a?.message.ja).toContain('ファイルごと');
    expect(a?.message.ja).toContain(`計 ¥${(m.deposit ?? 0).toLocaleString('en-US')}`);
    expect(buildReport(db, batchId).statement).toEqual({ deposit: m.deposit, difference: m.difference, matched: false });
  });
});

describe('matchCollectionsToDeposits with files (pure)', () => {
  const dep = (id: number, amount: number, inquiry = String(id)) => ({ id, inquiryNumber: inquiry, valueDate: '2026-12-01', amount });
  const files = [
    { date: '2026-12-01', fileNumber: 42, collected: 70_600 },
    { date: '2026-12-01', fileNumber: 43, collected: 46_900 },
    { date: '2026-12-01', fileNumber: 44, collected: 32_000 },
  ];
  const day = [{ date: '2026-12-01', collected: 149_500 }];

  it('one deposit per file: matched, deposit = their sum, the three taken', () => {
    const taken = new Map<string, number[]>();
    const m = matchCollectionsToDeposits(day, [dep(1, 5_000), dep(2, 32_000), dep(3, 46_900), dep(4, 70_600)], files, taken);
    expect(m).toEqual([{ date: '2026-12-01', collected: 149_500, entryId: 4, deposit: 149_500, difference: 0, matched: true }]);
    expect([...(taken.get('2026-12-01') ?? [])].sort()).toEqual([2, 3, 4]);
  });

  it('a file without its deposit: not matched, nothing taken, the difference against the files’ deposits and the largest other', () => {
    const taken = new Map<string, number[]>();
    const m = matchCollectionsToDeposits(day, [dep(2, 32_000), dep(4, 70_600), dep(5, 9_000)], files, taken);
    expect(m).toEqual([{ date: '2026-12-01', collected: 149_500, entryId: 4, deposit: 111_600, difference: -37_900, matched: false }]);
    expect(taken.size).toBe(0);
  });

  it('the day’s total paid as one deposit still matches', () => {
    const m = matchCollectionsToDeposits(day, [dep(7, 149_500)], files);
    expect(m[0]).toMatchObject({ deposit: 149_500, difference: 0, matched: true, entryId: 7 });
  });
});
