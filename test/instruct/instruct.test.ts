/**
 * instruct, holds and cancel of instruction batches (issue 16 item 3; instruction-120.md
 * "Writing instructions", cli.md `holds`, `instruct`): a deferred seizure batch with its
 * results imported the real way, then instructed; every bad input of the issue.
 */
import { describe, expect, it } from 'vitest';
import { instruct } from '../../src/steps/instruct/index.js';
import { listHolds } from '../../src/steps/holds/index.js';
import { cancelBatch } from '../../src/steps/cancel/index.js';
import { holdRows } from '../../src/db/holds.js';
import type { Db } from '../../src/db/connection.js';
import { appErrorOf } from '../helpers/errors.js';
import { dbFingerprint } from '../results/fixture.js';
import { inquiryBatch } from '../helpers/inquiry-batch.js';
import { built, cli } from '../cli/helpers.js';
import { heldBatch, heldRecords, key, notHeldRecord } from './fixture.js';

const TODAY = '2026-12-01';
const DATE = '2026-12-02'; // a Wednesday

function setProtected(db: Db, requestId: number, sub: number, amount: number): void {
  db.prepare('UPDATE request_records SET protected_amount = ? WHERE request_id = ? AND sub_number = ?').run(amount, requestId, sub);
}

/** seed 7, 9 records per seizure file: 3 seizure files (42, 43, 44) and 9 held records */
function setup() {
  const h = heldBatch({ perFile: 9, seed: 7 });
  const held = heldRecords(h.db);
  // protected amounts at inquiry (engineer A's extract sets them): half of one, more than all of another
  const a = held[1]!;
  const z = held[2]!;
  setProtected(h.db, a.requestId, a.sub, Math.floor(a.seized / 2));
  setProtected(h.db, z.requestId, z.sub, z.seized + 10_000);
  return { ...h, held, a };
}

describe('holds', () => {
  it('lists every held record with its proposal = max(0, seized − protected), state held', () => {
    const { db, b, held, a } = setup();
    expect(held.length).toBe(9);
    const r = listHolds(db, b.batchId);
    expect(r.rows.map((x) => [x.requestNumber, x.subNumber, x.seized])).toEqual(held.map((x) => [x.request, x.sub, x.seized]));
    expect(r.rows.every((x) => x.state === 'held')).toBe(true);
    const ra = r.rows[1]!;
    expect(ra.protectedAmount).toBe(Math.floor(a.seized / 2));
    expect(ra.proposal).toBe(a.seized - Math.floor(a.seized / 2));
    expect(r.rows[2]!.proposal).toBe(0);
    expect(r.rows[0]!.proposal).toBe(r.rows[0]!.seized);
    expect(r.counts.held).toEqual({ records: 9, seized: held.reduce((s, x) => s + x.seized, 0) });
    expect(r.proposals.held).toBe(r.rows.reduce((s, x) => s + x.proposal, 0));
  });

  it('an immediate batch or an inquiry batch: exit 4 naming the kind; an unknown batch: exit 2', () => {
    const imm = heldBatch({ mode: 'immediate' });
    const e = appErrorOf(() => listHolds(imm.db, imm.b.batchId));
    expect([e.code, e.exit]).toEqual(['batch.not-deferred', 4]);
    expect(e.msg.ja).toContain('即時取立');
    const inq = inquiryBatch(imm.db, { fileNumber: 900 });
    const k = appErrorOf(() => listHolds(imm.db, inq.id));
    expect([k.code, k.exit]).toEqual(['batch.wrong-kind', 4]);
    expect(k.msg.en).toContain('inquiry');
    expect(appErrorOf(() => listHolds(imm.db, '0184-99999999')).exit).toBe(2);
  });
});

describe('instruct', () => {
  it('writes one instruction batch: one file per seizure file, proposals, overrides, totals, file numbers, audit', () => {
    const { db, b, held, a } = setup();
    const first = held[0]!;
    const r = instruct(db, b.batchId, { date: DATE, today: TODAY, collect: [`${key(first)}=0`, `${a.request}-${a.sub}=${a.seized}`], operator: 'suzuki' });
    expect(r.batch).toBe('0184-00000045');
    expect(r.files).toEqual([
      { fileNumber: 45, seizureFileNumber: 42, records: 4 },
      { fileNumber: 46, seizureFileNumber: 43, records: 3 },
      { fileNumber: 47, seizureFileNumber: 44, records: 2 },
    ]);
    const rows = holdRows(db, b.batchId);
    const proposals = rows.map((x) => x.proposal);
    const collect = proposals.map((p, i) => (i === 0 ? 0 : i === 1 ? held[1]!.seized : p));
    const seized = held.reduce((s, x) => s + x.seized, 0);
    expect(r.seizedTotal).toBe(seized);
    expect(r.collectTotal).toBe(collect.reduce((s, x) => s + x, 0));
    expect(r.releaseTotal).toBe(seized - r.collectTotal);
    expect(r.overrides).toEqual([
      { record: key(first), proposal: first.seized, collect: 0 },
      { record: key(a), proposal: proposals[1], collect: a.seized },
    ]);

    const batch = db.prepare('SELECT * FROM batches WHERE id = ?').get(r.batch) as Record<string, unknown>;
    expect(batch).toMatchObject({ kind: 'instruction', state: 'extracted', seizure_batch_id: b.batchId, execution_date: DATE, layout_id: 'instruction-120', records: 9, requests: 6, limit_total: 0, collection_mode: null });
    const files = db.prepare('SELECT seq, file_number, first_request, last_request, records, seizure_file_number FROM batch_files WHERE batch_id = ? ORDER BY seq').all(r.batch);
    expect(files).toEqual([
      { seq: 1, file_number: 45, first_request: 1, last_request: 4, records: 4, seizure_file_number: 42 },
      { seq: 2, file_number: 46, first_request: 5, last_request: 7, records: 3, seizure_file_number: 43 },
      { seq: 3, file_number: 47, first_request: 8, last_request: 9, records: 2, seizure_file_number: 44 },
    ]);
    const recs = db.prepare('SELECT seq, seized_amount, proposal, collect_amount, release_amount, overridden, result_code FROM instruction_records WHERE batch_id = ? ORDER BY seq').all(r.batch) as Array<Record<string, number | null>>;
    expect(recs.map((x) => x['collect_amount'])).toEqual(collect);
    expect(recs.map((x) => x['release_amount'])).toEqual(held.map((x, i) => x.seized - collect[i]!));
    expect(recs.map((x) => x['overridden'])).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(recs.every((x) => x['result_code'] === null)).toBe(true);
    expect((db.prepare("SELECT next_file_number AS n FROM bank_settings WHERE bank_code = '0184'").get() as { n: number }).n).toBe(48);
    expect(holdRows(db, b.batchId).every((x) => x.state === 'instructed' && x.instruction?.batchId === r.batch)).toBe(true);

    const au = db.prepare("SELECT operator, batch_id, details FROM audit_log WHERE action = 'batch.instruct'").all() as Array<{ operator: string; batch_id: string; details: string }>;
    expect(au).toHaveLength(1);
    expect(au[0]!.operator).toBe('suzuki');
    expect(au[0]!.batch_id).toBe(r.batch);
    const d = JSON.parse(au[0]!.details) as Record<string, unknown>;
    expect(d).toMatchObject({ seizureBatch: b.batchId, instructionDate: DATE, records: 9, seizedTotal: r.seizedTotal, collectTotal: r.collectTotal, releaseTotal: r.releaseTotal, overrides: r.overrides });
    expect((d['releases'] as Array<{ record: string; release: number }>)[0]).toEqual({ record: key(first), release: first.seized });
    for (const x of held) expect(au[0]!.details).not.toContain(x.account); // no personal data
  });

  it('--dry-run stores nothing and gives the same figures', () => {
    const { db, b } = setup();
    const before = dbFingerprint(db);
    const audit = (db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
    const dry = instruct(db, b.batchId, { date: DATE, today: TODAY, dryRun: true });
    expect(dbFingerprint(db)).toBe(before);
    expect((db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n).toBe(audit);
    expect((db.prepare("SELECT next_file_number AS n FROM bank_settings").get() as { n: number }).n).toBe(42);
    const real = instruct(db, b.batchId, { date: DATE, today: TODAY });
    expect({ ...dry, dryRun: false }).toEqual(real);
  });

  it('an account answered 99 is instructed again; resolved and instructed ones are not; a fully resolved batch: exit 4 with counts', () => {
    const { db, b } = setup();
    const r1 = instruct(db, b.batchId, { date: DATE, today: TODAY });
    // nothing left while every account is instructed
    const e1 = appErrorOf(() => instruct(db, b.batchId, { date: DATE, today: TODAY }));
    expect([e1.code, e1.exit]).toEqual(['instruct.nothing-to-instruct', 4]);
    expect(e1.msg.en).toContain('9 instructed');
    // the bank's result (engineer C imports it): seq 3 not done, the rest done
    db.prepare("UPDATE instruction_records SET result_code = CASE seq WHEN 3 THEN '99' ELSE '01' END, collected_amount = CASE seq WHEN 3 THEN 0 ELSE collect_amount END WHERE batch_id = ?").run(r1.batch);
    db.prepare("UPDATE batches SET state = 'results-imported' WHERE id = ?").run(r1.batch);
    const r2 = instruct(db, b.batchId, { date: '2026-12-03', today: TODAY });
    expect(r2.records).toBe(1);
    expect(r2.files).toEqual([{ fileNumber: 48, seizureFileNumber: 42, records: 1 }]);
    db.prepare("UPDATE instruction_records SET result_code = '01', collected_amount = collect_amount WHERE batch_id = ?").run(r2.batch);
    const e2 = appErrorOf(() => instruct(db, b.batchId, { date: '2026-12-03', today: TODAY }));
    expect([e2.code, e2.exit]).toEqual(['instruct.nothing-to-instruct', 4]);
    const c = listHolds(db, b.batchId).counts;
    expect(c.collected.records + c.released.records).toBe(9);
    expect(e2.msg.ja).toContain(`取立済 ${c.collected.records}件`);
  });

  it('cancel of an instruction batch returns its accounts to held; the next instruct takes them again', () => {
    const { db, b } = setup();
    const r1 = instruct(db, b.batchId, { date: DATE, today: TODAY });
    expect(cancelBatch(db, r1.batch).kind).toBe('instruction');
    expect(holdRows(db, b.batchId).every((x) => x.state === 'held' && x.instruction === null)).toBe(true);
    const r2 = instruct(db, b.batchId, { date: DATE, today: TODAY });
    expect(r2.batch).toBe('0184-00000048'); // file numbers are never reused
    expect(r2.records).toBe(9);
  });

  const bad: Array<[string, (h: ReturnType<typeof setup>) => Parameters<typeof instruct>[2], string, number]> = [
    ['a Saturday', () => ({ date: '2026-12-05', today: TODAY }), 'instruct.not-business-day', 2],
    ['not a date', () => ({ date: '2026-02-30', today: TODAY }), 'instruct.date', 2],
    ['before the execution date', () => ({ date: '2026-11-30', today: '2026-11-23' }), 'instruct.before-execution', 2],
    ['before today', () => ({ date: DATE, today: '2026-12-03' }), 'instruct.date-past', 2],
    ['--collect above the seized amount', (h) => ({ date: DATE, today: TODAY, collect: [`${key(h.held[0]!)}=${h.held[0]!.seized + 1}`] }), 'instruct.collect-too-much', 2],
    ['--collect of an account not held', (h) => ({ date: DATE, today: TODAY, collect: [`${key(notHeldRecord(h.db)!)}=0`] }), 'instruct.collect-not-held', 2],
    ['--collect of no such record', () => ({ date: DATE, today: TODAY, collect: ['999-01=0'] }), 'instruct.collect-not-held', 2],
    ['--collect malformed', () => ({ date: DATE, today: TODAY, collect: ['101:01=5'] }), 'instruct.collect', 2],
    ['--collect twice for one account', (h) => ({ date: DATE, today: TODAY, collect: [`${key(h.held[0]!)}=1`, `${key(h.held[0]!)}=2`] }), 'instruct.collect', 2],
  ];
  for (const [name, opts, code, exit] of bad) {
    it(`refuses ${name} (exit ${exit}), storing nothing`, () => {
      const h = setup();
      const before = dbFingerprint(h.db);
      const e = appErrorOf(() => instruct(h.db, h.b.batchId, opts(h)));
      expect([e.code, e.exit]).toEqual([code, exit]);
      expect(dbFingerprint(h.db)).toBe(before);
    });
  }

  it('names the account of a bad --collect by 依頼番号-枝番, never by its number', () => {
    const h = setup();
    const x = h.held[0]!;
    const e = appErrorOf(() => instruct(h.db, h.b.batchId, { date: DATE, today: TODAY, collect: [`${x.request}-${x.sub}=${x.seized + 1}`] }));
    expect(e.msg.ja).toContain(key(x));
    expect(e.msg.en).toContain(`${x.seized} yen`);
    expect(e.msg.ja).not.toContain(x.account);
  });

  it('an immediate batch, a batch before its results, an inquiry batch: exit 4', () => {
    const imm = heldBatch({ mode: 'immediate' });
    const e1 = appErrorOf(() => instruct(imm.db, imm.b.batchId, { date: DATE, today: TODAY }));
    expect([e1.code, e1.exit]).toEqual(['batch.not-deferred', 4]);
    const pending = heldBatch({ importResults: false });
    const e2 = appErrorOf(() => instruct(pending.db, pending.b.batchId, { date: DATE, today: TODAY }));
    expect([e2.code, e2.exit]).toEqual(['instruct.no-results', 4]);
    expect(e2.msg.en).toContain('import results');
    const inq = inquiryBatch(imm.db, { fileNumber: 900 });
    const e3 = appErrorOf(() => instruct(imm.db, inq.id, { date: DATE, today: TODAY }));
    expect([e3.code, e3.exit]).toEqual(['batch.wrong-kind', 4]);
  });
});

describe.skipIf(!built)('holds, instruct and batches on the command line', () => {
  it('holds --json: exact keys, masked accounts; instruct --json; batches lists the instruction with its 指示日', () => {
    const { dbFile, b, held } = setup();
    const h = cli(['--db', dbFile, '--json', 'holds', b.batchId], { SASHIOSAE_TODAY: TODAY });
    expect(h.status).toBe(0);
    const j = JSON.parse(h.stdout) as { holds: Array<Record<string, unknown>> };
    expect(j.holds).toHaveLength(9);
    expect(Object.keys(j.holds[0]!)).toEqual(['batch', 'request', 'sub', 'taxpayer', 'account', 'seized', 'protected', 'proposal', 'state']);
    expect(j.holds[0]).toMatchObject({ batch: b.batchId, request: held[0]!.request, sub: held[0]!.sub, account: `***${held[0]!.account.slice(-4)}`, seized: held[0]!.seized, state: 'held' });
    for (const x of held) expect(h.stdout).not.toContain(x.account);

    const all = cli(['--db', dbFile, 'holds']);
    expect(all.status).toBe(0);
    expect(all.stdout).toContain('状態別の合計');
    expect(all.stdout).toContain('取立保留中（指示なし）');
    for (const x of held) expect(all.stdout).not.toContain(x.account);
    const en = cli(['--db', dbFile, '--lang', 'en', 'holds', b.batchId]);
    expect(en.stdout).toContain('totals by state');

    const bad = cli(['--db', dbFile, 'instruct', b.batchId, '--date', '2026-12-05'], { SASHIOSAE_TODAY: TODAY });
    expect(bad.status).toBe(2);
    const past = cli(['--db', dbFile, 'instruct', b.batchId, '--date', DATE], { SASHIOSAE_TODAY: '2026-12-03' });
    expect(past.status).toBe(2);
    const ins = cli(['--db', dbFile, '--json', 'instruct', b.batchId, '--date', DATE, '--collect', `${key(held[0]!)}=0`], { SASHIOSAE_TODAY: TODAY });
    expect(ins.status).toBe(0);
    const r = JSON.parse(ins.stdout) as Record<string, unknown>;
    expect(Object.keys(r)).toEqual(['batch', 'seizureBatch', 'files', 'seizedTotal', 'collectTotal', 'releaseTotal']);
    expect(r['files']).toEqual([{ fileNumber: 45, records: 4 }, { fileNumber: 46, records: 3 }, { fileNumber: 47, records: 2 }]);
    expect(r['releaseTotal']).toBe((r['seizedTotal'] as number) - (r['collectTotal'] as number));

    const bs = JSON.parse(cli(['--db', dbFile, '--json', 'batches']).stdout) as { batches: Array<Record<string, unknown>> };
    expect(bs.batches.find((x) => x['id'] === '0184-00000045')).toMatchObject({ kind: 'instruction', state: 'extracted', executionDate: DATE, collection: null, limitTotal: null, records: 9 });
    const again = JSON.parse(cli(['--db', dbFile, '--json', 'holds', b.batchId]).stdout) as { holds: Array<{ state: string }> };
    expect(again.holds.every((x) => x.state === 'instructed')).toBe(true);
    const imm = cli(['--db', dbFile, 'holds', '0184-00000045']);
    expect(imm.status).toBe(4);

    const c = cli(['--db', dbFile, '--operator', 'sato', 'cancel', '0184-00000045', '--reason', 'wrong date']);
    expect(c.status).toBe(0);
    expect(c.stdout).toContain('口座 9件');
    expect(c.stdout).toContain('取立保留中に戻り');
    const back = JSON.parse(cli(['--db', dbFile, '--json', 'holds']).stdout) as { holds: Array<{ state: string }> };
    expect(back.holds.map((x) => x.state)).toEqual(Array(9).fill('held'));
  });

  it('cancel of an instruction batch is audited with its seizure batch and the operator', () => {
    const { db, b } = setup();
    const r = instruct(db, b.batchId, { date: DATE, today: TODAY });
    cancelBatch(db, r.batch, { operator: 'sato', reason: 'r' });
    const a = db.prepare("SELECT operator, details FROM audit_log WHERE action = 'batch.cancel' AND batch_id = ?").get(r.batch) as { operator: string; details: string };
    expect(a.operator).toBe('sato');
    expect(JSON.parse(a.details)).toMatchObject({ kind: 'instruction', seizureBatch: b.batchId, records: 9, previousState: 'extracted' });
  });
});
