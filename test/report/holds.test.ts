/**
 * The report of a 取立保留 seizure batch with holds, and of an instruction batch (issue 16
 * item 4; cli.md `report --json`): held, collected and released totals, per record with the
 * protected amount that justified a release; the deferred-collection notice says whether
 * holds are still unresolved; people by 宛名番号, accounts masked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, buildReportDetails } from '../../src/report/model.js';
import { buildInstructionReport } from '../../src/report/instruction.js';
import { importResults } from '../../src/steps/import-results/index.js';
import { reconcile } from '../../src/steps/reconcile/reconcile.js';
import { deferredSeizure, instructionBatch, resultRecords, writeInstructionResult } from '../helpers/instruction-fixture.js';
import { newDb } from '../reconcile/helpers.js';
import { built, cli } from '../cli/helpers.js';

function setup() {
  const { db, dir, file } = newDb();
  const s = deferredSeizure(db, dir);
  // the first held account's balance was wholly protected at inquiry: the proposal releases it all
  const first = s.holds[0]!;
  db.prepare('UPDATE request_records SET protected_amount = ? WHERE request_id = ? AND sub_number = ?').run(first.seized, first.requestId, first.subNumber);
  return { db, dir, file, s };
}

describe('report: held seizures (取立保留)', () => {
  it('before any instruction: holds.held only, the notice says unresolved', () => {
    const { db, s } = setup();
    const r = buildReport(db, s.batchId);
    const held = s.holds.reduce((a, h) => a + h.seized, 0);
    expect(r.holds).toEqual({ held: { records: s.holds.length, amount: held }, collected: { records: 0, amount: 0 }, released: { records: 0, amount: 0 } });
    expect(r.collected).toEqual({ records: 0, amount: 0 });
    const d = buildReportDetails(db, s.batchId, r);
    const notice = d.anomalies.find((a) => a.kind === 'deferred-collection')!;
    expect(notice.severity).toBe('warning');
    expect(notice.message.en).toContain(`${s.holds.length} held seizure(s)`);
    expect(notice.message.en).toContain('not yet resolved');
  });

  it('after the instruction results: collected adds the instruction collections, released with the protected amounts; JSON, CSV, HTML', () => {
    const { db, dir, file, s } = setup();
    const m = instructionBatch(db, s.batchId, { holds: s.holds.map((h, i) => (i === 0 ? { ...h, proposal: 0 } : h)) });
    importResults(db, writeInstructionResult(path.join(dir, 'R.DAT'), m, resultRecords(m)));
    reconcile(db, s.batchId);
    const r = buildReport(db, s.batchId);
    const first = s.holds[0]!;
    const collected = s.holds.slice(1).reduce((a, h) => a + h.seized, 0);
    expect(r.holds).toEqual({
      held: { records: s.holds.length, amount: s.holds.reduce((a, h) => a + h.seized, 0) },
      collected: { records: s.holds.length - 1, amount: collected },
      released: { records: 1, amount: first.seized },
    });
    // results count the seizure result file only (collected 0 under 取立保留); collected adds the instructions
    expect(Object.values(r.results).reduce((a, v) => a + v.collected, 0)).toBe(0);
    expect(r.collected).toEqual({ records: s.holds.length - 1, amount: collected });
    expect(r.receipts.total + r.overpayment).toBe(collected);
    const d = buildReportDetails(db, s.batchId, r);
    expect(d.holds!.rows[0]).toMatchObject({ atena: first.atena, requestNumber: first.requestNumber, seized: first.seized, protectedAmount: first.seized, state: 'released', collected: 0, released: first.seized });
    expect(d.holds!.rows[0]!.account).toContain('***');
    expect(d.holds!.rows[1]).toMatchObject({ state: 'collected', released: 0, collectionDate: m.date });
    const notice = d.anomalies.find((a) => a.kind === 'deferred-collection')!;
    expect(notice.severity).toBe('info');
    expect(notice.message.en).toContain('resolved: collected');

    if (!built) return;
    db.close();
    const j = cli(['--db', file, '--json', 'report', s.batchId]);
    expect(j.status).toBe(0);
    expect(JSON.parse(j.stdout).holds).toEqual(r.holds);
    const csv = path.join(dir, 'r.csv');
    const html = path.join(dir, 'r.html');
    const t = cli(['--db', file, '--lang', 'en', 'report', s.batchId, '--csv', csv, '--html', html]);
    expect(t.status).toBe(0);
    expect(t.stdout).toContain('Held (取立保留)');
    expect(t.stdout).not.toContain(first.accountNumber);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('id="holds-released"');
    expect(page).not.toContain(first.accountNumber);
    const lines = fs.readFileSync(csv, 'utf8').split('\r\n');
    expect(lines[0]).toContain('Protected at inquiry');
    const row = lines.find((l) => l.startsWith(`${s.batchId},${first.requestNumber},${first.subNumber},`))!;
    expect(row.endsWith(`,${first.seized},released,0,,${first.seized}`)).toBe(true);
  });

  it('an instruction batch: the cli.md JSON and the terminal, HTML and CSV renderings', () => {
    const { db, dir, file, s } = setup();
    const m = instructionBatch(db, s.batchId);
    const data = resultRecords(m).map((x, i) => (i === 1 ? { ...x, resultCode: '99', collectedAmount: 0, collectionDate: '00000000' } : x));
    importResults(db, writeInstructionResult(path.join(dir, 'R.DAT'), m, data));
    const collected01 = m.records.filter((_r, i) => i !== 1).reduce((a, r) => a + r.collect, 0);
    const json = buildInstructionReport(db, m.batchId).json;
    expect(json).toEqual({
      batchId: m.batchId,
      kind: 'instruction',
      seizureBatch: s.batchId,
      bankCode: '0184',
      state: 'results-imported',
      records: m.records.length,
      seizedTotal: m.records.reduce((a, r) => a + r.hold.seized, 0),
      collectTotal: m.records.reduce((a, r) => a + r.collect, 0),
      releaseTotal: m.records.reduce((a, r) => a + r.release, 0),
      results: { '01': { records: m.records.length - 1, collected: collected01 }, '99': { records: 1, collected: 0 } },
    });
    if (!built) return;
    db.close();
    const j = cli(['--db', file, '--json', 'report', m.batchId]);
    expect(JSON.parse(j.stdout)).toEqual(json);
    const csv = path.join(dir, 'i.csv');
    const html = path.join(dir, 'i.html');
    const t = cli(['--db', file, 'report', m.batchId, '--csv', csv, '--html', html]);
    expect(t.status).toBe(0);
    expect(t.stdout).toContain(`取立・解除指示バッチ ${m.batchId}`);
    expect(t.stdout).not.toContain(m.records[0]!.hold.accountNumber);
    expect(fs.readFileSync(html, 'utf8')).toContain('id="release-total"');
    expect(fs.readFileSync(csv, 'utf8').trim().split('\r\n')).toHaveLength(m.records.length + 1);
  });
});
