/**
 * import results of an instruction result file (instruction-120.md, 種別コード 63): a clean
 * file is stored in one go; every bad input of issue 16 is refused (exit 3, or 4 for the
 * same file twice) with a located, masked finding and nothing stored.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { holdRows } from '../../src/db/holds.js';
import { importResults, resultsJson } from '../../src/steps/import-results/index.js';
import { validateFile } from '../../src/file/index.js';
import { FILE_RULES } from '../../src/cli/file-rules.js';
import { appErrorOf } from '../helpers/errors.js';
import { deferredSeizure, instructionBatch, INSTRUCTION, REC, resultRecords, writeInstructionResult, type InstructionMade, type ResultFields } from '../helpers/instruction-fixture.js';
import { dbFingerprint, newDb } from './fixture.js';
import { built, cli } from '../cli/helpers.js';

function setup(collect?: (seized: number, i: number) => number) {
  const { db, dir } = newDb();
  const s = deferredSeizure(db, dir);
  let i = 0;
  const m = instructionBatch(db, s.batchId, collect ? { collect: (h) => collect(h.seized, i++) } : {});
  return { db, dir, s, m };
}

/** everything an import could change, instruction results included */
function fingerprint(db: Db): string {
  const ir = db.prepare(`SELECT GROUP_CONCAT(batch_id || '/' || seq || '/' || COALESCE(result_code,'-') || '/' || COALESCE(collected_amount,'-') || '/' || COALESCE(collection_date,'-') || '/' || COALESCE(result_import_id,'-'), ',') AS g FROM instruction_records`).get() as { g: string };
  const au = db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number };
  return dbFingerprint(db) + ir.g + au.n;
}

function refusedWith(db: Db, file: string) {
  const before = fingerprint(db);
  const e = appErrorOf(() => importResults(db, file));
  expect(fingerprint(db)).toBe(before);
  return e;
}

function bad(m: InstructionMade, dir: string, name: string, edit: (recs: ResultFields[]) => ResultFields[], header: ResultFields = {}): string {
  return writeInstructionResult(path.join(dir, name), m, edit(resultRecords(m)), header);
}

describe('import results: instruction result (63)', () => {
  it('fixture: a deferred seizure batch with held records, instructed', () => {
    const { m } = setup();
    expect(m.records.length).toBeGreaterThanOrEqual(3);
  });

  it('stores a clean file: instruction records, file link, import, archive, batch state, audit with collected and released totals', () => {
    // collect half of each seized amount (the rest released); the last one released entirely
    const { db, dir, s, m } = setup();
    const n = m.records.length;
    db.prepare('UPDATE instruction_records SET collect_amount = CASE WHEN seq = ? THEN 0 ELSE seized_amount / 2 END, release_amount = seized_amount - CASE WHEN seq = ? THEN 0 ELSE seized_amount / 2 END WHERE batch_id = ?').run(n, n, m.batchId);
    for (const r of m.records) {
      r.collect = r.seq === n ? 0 : Math.floor(r.hold.seized / 2);
      r.release = r.hold.seized - r.collect;
    }
    const file = writeInstructionResult(path.join(dir, 'INSTRES.DAT'), m, resultRecords(m));
    const sum = importResults(db, file, { operator: 'tanaka' });
    const collected = m.records.reduce((a, r) => a + r.collect, 0);
    const released = m.records.reduce((a, r) => a + r.release, 0);
    expect(sum).toMatchObject({ batchId: m.batchId, fileNumber: m.fileNumber, records: n, collected, batchState: 'results-imported' });
    expect(resultsJson(sum)).toMatchObject({ kind: 'instruction', seizureBatch: s.batchId, released, results: { '01': { records: n, collected } } });
    const rows = db.prepare('SELECT seq, result_code, collected_amount, collection_date, result_import_id FROM instruction_records WHERE batch_id = ? ORDER BY seq').all(m.batchId) as Array<Record<string, unknown>>;
    expect(rows[0]).toEqual({ seq: 1, result_code: '01', collected_amount: m.records[0]!.collect, collection_date: '2026-12-08', result_import_id: sum.importId });
    expect(rows[n - 1]).toEqual({ seq: n, result_code: '01', collected_amount: 0, collection_date: null, result_import_id: sum.importId });
    expect(db.prepare('SELECT results_import_id AS r FROM batch_files WHERE batch_id = ?').get(m.batchId)).toEqual({ r: sum.importId });
    expect(db.prepare('SELECT kind FROM imports WHERE id = ?').get(sum.importId)).toEqual({ kind: 'results' });
    const rf = db.prepare('SELECT archive_path, sha256 FROM result_files WHERE import_id = ?').get(sum.importId) as { archive_path: string; sha256: string };
    expect(fs.statSync(rf.archive_path).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(rf.archive_path)).toEqual(fs.readFileSync(file));
    const au = db.prepare(`SELECT operator, details FROM audit_log WHERE action = 'import.instruction-results'`).get() as { operator: string; details: string };
    expect(au.operator).toBe('tanaka');
    expect(JSON.parse(au.details)).toMatchObject({ collected: { records: n - 1, amount: collected }, released: { records: n, amount: released } });
    // the holds' states follow from the stored results (db/holds.ts)
    expect(holdRows(db, s.batchId).map((h) => h.state)).toEqual([...Array(n - 1).fill('collected'), 'released']);
    // the same file again: exit 4, nothing changed
    const again = refusedWith(db, file);
    expect(again.exit).toBe(4);
  });

  it('99 (not done) leaves the account held (not-done) and is stored', () => {
    const { db, dir, s, m } = setup();
    const file = bad(m, dir, 'R99.DAT', (r) => r.map((x, i) => (i === 0 ? { ...x, resultCode: '99', collectedAmount: 0, collectionDate: '00000000' } : x)));
    importResults(db, file);
    expect(holdRows(db, s.batchId)[0]!.state).toBe('not-done');
  });

  it('a record missing, reordered or added: refused, located, masked, nothing stored', () => {
    const { db, dir, m } = setup();
    const missing = refusedWith(db, bad(m, dir, 'MISS.DAT', (r) => r.slice(1)));
    expect(missing.exit).toBe(3);
    const f = missing.findings.find((x) => x.code === 'instruction-result.missing-record')!;
    expect(f).toMatchObject({ file: 'MISS.DAT', field: 'recordCount', record: m.records.length });
    expect(JSON.stringify(missing.findings)).not.toContain(m.records[0]!.hold.accountNumber);
    expect(f.message.en).toContain('***');

    const reordered = refusedWith(db, bad(m, dir, 'ORDER.DAT', (r) => [r[1]!, r[0]!, ...r.slice(2)]));
    expect(reordered.exit).toBe(3);
    expect(reordered.findings.find((x) => x.code === 'instruction-result.order')).toMatchObject({ record: 1, offset: REC + 1, field: 'requestNumber' });

    const added = refusedWith(db, bad(m, dir, 'ADD.DAT', (r) => [...r, { ...r[0]!, requestNumber: 999 }]));
    expect(added.findings.find((x) => x.code === 'instruction-result.unknown-record')).toMatchObject({ record: m.records.length + 1, field: 'requestNumber' });
    const dup = refusedWith(db, bad(m, dir, 'DUP.DAT', (r) => [...r, r[0]!]));
    expect(dup.findings.map((x) => x.code)).toContain('instruction-result.duplicate-record');
  });

  it('取立金額 ≠ 取立指示額 under 01; 取立日 before 指示日 or on a holiday: refused at the field', () => {
    const { db, dir, m } = setup();
    const D = INSTRUCTION.records.data!.byId;
    const off = (k: number, id: string) => k * REC + D.get(id)!.offset;
    const differs = refusedWith(db, bad(m, dir, 'AMT.DAT', (r) => r.map((x, i) => (i === 1 ? { ...x, collectedAmount: Number(x['collectAmount']) - 1 } : x))));
    expect(differs.exit).toBe(3);
    expect(differs.findings.find((x) => x.code === 'instruction-result.collected-differs')).toMatchObject({ record: 2, offset: off(2, 'collectedAmount'), field: 'collectedAmount' });
    const before = refusedWith(db, bad(m, dir, 'EARLY.DAT', (r) => r.map((x, i) => (i === 0 ? { ...x, collectionDate: '2026-12-07' } : x))));
    expect(before.findings.find((x) => x.code === 'instruction-result.collection-before-instruction')).toMatchObject({ record: 1, offset: off(1, 'collectionDate'), field: 'collectionDate', found: '20261207' });
    // 2026-12-12 is a Saturday
    const holiday = refusedWith(db, bad(m, dir, 'SAT.DAT', (r) => r.map((x, i) => (i === 0 ? { ...x, collectionDate: '2026-12-12' } : x))));
    expect(holiday.findings.map((x) => x.code)).toEqual(['instruction-result.collection-holiday']);
    const code00 = refusedWith(db, bad(m, dir, 'C00.DAT', (r) => r.map((x, i) => (i === 0 ? { ...x, resultCode: '00' } : x))));
    expect(code00.findings.map((x) => x.code)).toContain('instruction-result.bad-code');
  });

  it('a changed 差押金額 or 解除額, or a changed account: refused at the field, the account masked', () => {
    const { db, dir, m } = setup();
    const seized = refusedWith(db, bad(m, dir, 'SEIZED.DAT', (r) => r.map((x, i) => (i === 0 ? { ...x, seizedAmount: Number(x['seizedAmount']) + 1, releaseAmount: Number(x['releaseAmount']) + 1 } : x))));
    expect(seized.exit).toBe(3);
    expect(seized.findings.filter((x) => x.code === 'instruction-result.record-mismatch').map((x) => x.field)).toEqual(['seizedAmount', 'releaseAmount']);
    const acct = m.records[0]!.hold.accountNumber.padStart(7, '0');
    const other = acct.slice(0, 6) + String((Number(acct[6]) + 1) % 10);
    const account = refusedWith(db, bad(m, dir, 'ACCT.DAT', (r) => r.map((x, i) => (i === 0 ? { ...x, accountNumber: other } : x))));
    const f = account.findings.find((x) => x.field === 'accountNumber')!;
    expect(f.offset).toBe(REC + INSTRUCTION.records.data!.byId.get('accountNumber')!.offset + 6);
    expect(JSON.stringify(account.findings)).not.toContain(acct);
    expect(JSON.stringify(account.findings)).not.toContain(other);
  });

  it('a result for another seizure file, or naming a seizure file number: refused at the field', () => {
    const { db, dir, m, s } = setup();
    const other = refusedWith(db, bad(m, dir, 'OTHER.DAT', (r) => r, { seizureFileNumber: m.seizureFileNumber + 1 }));
    expect(other.exit).toBe(3);
    expect(other.findings[0]).toMatchObject({ code: 'instruction-result.header-mismatch', field: 'seizureFileNumber', record: 0, offset: INSTRUCTION.records.header!.byId.get('seizureFileNumber')!.offset });
    const seizureNo = refusedWith(db, bad(m, dir, 'SEIZNO.DAT', (r) => r, { fileNumber: s.fileNumber }));
    expect(seizureNo.findings[0]).toMatchObject({ code: 'instruction-result.file-of-other-kind', field: 'fileNumber' });
    const date = refusedWith(db, bad(m, dir, 'DATE.DAT', (r) => r, { instructionDate: '2026-12-09' }));
    expect(date.findings[0]).toMatchObject({ code: 'instruction-result.header-mismatch', field: 'instructionDate' });
    const exec = refusedWith(db, bad(m, dir, 'EXEC.DAT', (r) => r, { executionDate: '2026-12-02' }));
    expect(exec.findings[0]).toMatchObject({ field: 'executionDate' });
  });

  it('validate applies rules 3 and 4 to a 63 file without a database', () => {
    const { dir, m } = setup();
    const file = bad(m, dir, 'V.DAT', (r) => r.map((x, i) => (i === 0 ? { ...x, collectedAmount: Number(x['collectAmount']) + 5 } : x)));
    const v = validateFile(file, INSTRUCTION, { rules: FILE_RULES });
    expect(v.findings.map((f) => f.code)).toContain('instruction-result.collected-differs');
    const clean = validateFile(bad(m, dir, 'V2.DAT', (r) => r), INSTRUCTION, { rules: FILE_RULES });
    expect(clean.findings).toEqual([]);
  });

  it.runIf(built)('CLI: exit 3 with the located masked finding on stderr, then --json of the clean file', () => {
    const { db, dir, s, m } = setup();
    const dbFile = db.name;
    db.close();
    const acct = m.records[0]!.hold.accountNumber.padStart(7, '0');
    const wrong = bad(m, dir, 'BAD.DAT', (r) => r.map((x, i) => (i === 0 ? { ...x, accountNumber: acct.slice(0, 6) + String((Number(acct[6]) + 1) % 10), collectedAmount: 1 } : x)));
    const e = cli(['--db', dbFile, '--lang', 'en', 'import', 'results', wrong]);
    expect(e.status).toBe(3);
    expect(e.stderr).toContain('BAD.DAT');
    expect(e.stderr).toContain('accountNumber');
    expect(e.stderr).toContain('***');
    expect(e.stderr).not.toContain(`"${acct}"`);
    const ok = cli(['--db', dbFile, '--json', 'import', 'results', bad(m, dir, 'OK.DAT', (r) => r)]);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ batch: m.batchId, kind: 'instruction', seizureBatch: s.batchId, records: m.records.length, batchState: 'results-imported' });
    const human = cli(['--db', dbFile, 'import', 'results', bad(m, dir, 'OK2.DAT', (r) => r.map((x) => ({ ...x, holderName: 'ｱ' })))]);
    expect(human.status).toBe(4);
  });
});
