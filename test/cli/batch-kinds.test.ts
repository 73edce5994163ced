/**
 * Batch kinds on the command line (issue 15 items 2–3; cli.md): `batches` lists every
 * kind, `cancel` cancels an inquiry batch, a command given a batch of the wrong kind
 * exits 4 naming the kind, `import results` given an inquiry file exits 3 pointing to
 * import answers, and extract never counts an inquiry as an open seizure request.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extract } from '../../src/steps/extract/extract.js';
import { writeBatch } from '../../src/steps/write/write.js';
import { freshDb, settings, target } from '../extract/helpers.js';
import { inquiryBatch, PEOPLE } from '../helpers/inquiry-batch.js';
import { built, cli } from './helpers.js';

/** A database with an inquiry batch (0184-00000042, 1001 asked) and a seizure batch (0184-00000043, 1001 requested). */
function both() {
  const { db, dir, file } = freshDb();
  settings(db);
  const inq = inquiryBatch(db, { fileNumber: 42, people: PEOPLE.slice(0, 2) });
  target(db, '1001', { honzei: 50_000 });
  const ext = extract(db, { date: '2026-12-01' });
  return { db, dir, file, inq, ext };
}

const errorOf = (stdout: string): { code: string; exit: number; message: string } => JSON.parse(stdout.trim().split('\n').pop()!).error;

describe('batch kinds', () => {
  it('extract does not count an inquiry as an open request, and takes the next number of the shared sequence', () => {
    const { ext } = both();
    expect(ext.batches).toHaveLength(1);
    expect(ext.batches[0]).toMatchObject({ id: '0184-00000043', fileNumber: 43, requests: 1 });
    expect(ext.excluded['in-open-batch'] ?? 0).toBe(0);
  });

  it.runIf(built)('batches --json lists both kinds; keys that do not apply to an inquiry batch are null', () => {
    const { db, file } = both();
    db.close();
    const r = cli(['--db', file, '--json', 'batches']);
    expect(r.status, r.stderr).toBe(0);
    const { batches } = JSON.parse(r.stdout);
    const inq = batches.find((b: { kind: string }) => b.kind === 'inquiry');
    const sei = batches.find((b: { kind: string }) => b.kind === 'seizure');
    expect(Object.keys(inq)).toEqual(['id', 'kind', 'bankCode', 'state', 'executionDate', 'collection', 'requests', 'records', 'limitTotal', 'createdAt']);
    expect(inq).toMatchObject({ id: '0184-00000042', kind: 'inquiry', bankCode: '0184', state: 'extracted', executionDate: '2026-12-01', collection: null, requests: 2, records: 2, limitTotal: null });
    expect(sei).toMatchObject({ id: '0184-00000043', kind: 'seizure', collection: 'immediate', requests: 1, limitTotal: 50_000 });
    const human = cli(['--db', file, 'batches']);
    expect(human.status).toBe(0);
    const line = human.stdout.split('\n').find((l) => l.startsWith('0184-00000042'))!;
    expect(line).toContain('預金照会');
    expect(line).toContain('照会 2件');
    expect(line).toContain('次: write');
    expect(human.stdout.split('\n').find((l) => l.startsWith('0184-00000043'))).toContain('差押');
  });

  it.runIf(built)('cancel of an inquiry batch, extracted or written: cancelled, audited; an answered one is exit 4', async () => {
    const { db, dir, file, inq } = both();
    const media = path.join(dir, 'usb');
    fs.mkdirSync(media);
    await writeBatch(db, inq.id, { media });
    const other = inquiryBatch(db, { fileNumber: 50 });
    db.prepare(`UPDATE batches SET state = 'answered' WHERE id = ?`).run(other.id);
    db.close();
    const r = cli(['--db', file, '--json', 'cancel', inq.id, '--reason', 'test']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ batch: inq.id, kind: 'inquiry', previousState: 'written', state: 'cancelled' });
    const no = cli(['--db', file, '--json', 'cancel', other.id]);
    expect(no.status).toBe(4);
    expect(errorOf(no.stdout).code).toBe('batch.wrong-state');
    const { openDb } = await import('../../src/db/connection.js');
    const db2 = openDb(file);
    expect(db2.prepare('SELECT id, state FROM batches WHERE kind = ? ORDER BY id').all('inquiry')).toEqual([
      { id: inq.id, state: 'cancelled' },
      { id: other.id, state: 'answered' },
    ]);
    const audit = db2.prepare(`SELECT details FROM audit_log WHERE action = 'batch.cancel' AND batch_id = ?`).get(inq.id) as { details: string };
    expect(JSON.parse(audit.details)).toMatchObject({ kind: 'inquiry', previousState: 'written', reason: 'test' });
    db2.close();
  });

  it.runIf(built)('reconcile and export receipts of an inquiry batch exit 4 naming the kind; nothing changes', () => {
    const { db, dir, file, inq } = both();
    db.close();
    for (const args of [['reconcile', inq.id], ['export', 'receipts', inq.id, '--out', path.join(dir, 'r.csv')]]) {
      const r = cli(['--db', file, '--json', ...args]);
      expect(r.status, args.join(' ')).toBe(4);
      const e = errorOf(r.stdout);
      expect(e.code).toBe('batch.wrong-kind');
      const ja = cli(['--db', file, ...args]);
      expect(ja.stderr).toContain(`バッチ ${inq.id} は預金照会バッチです`);
      expect(ja.stderr).toContain('import answers');
    }
    expect(fs.existsSync(path.join(dir, 'r.csv'))).toBe(false);
    const b = cli(['--db', file, '--json', 'batches']);
    expect(JSON.parse(b.stdout).batches.find((x: { id: string }) => x.id === inq.id).state).toBe('extracted');
  });

  it.runIf(built)('import results given an inquiry file: exit 3, "use import answers", located at 種別コード, nothing stored', async () => {
    const { db, dir, file, inq } = both();
    const media = path.join(dir, 'usb');
    fs.mkdirSync(media);
    const w = await writeBatch(db, inq.id, { media });
    db.close();
    const r = cli(['--db', file, '--json', 'import', 'results', w.files[0]!.path]);
    expect(r.status, r.stderr).toBe(3);
    const out = JSON.parse(r.stdout.trim());
    expect(out.error).toMatchObject({ code: 'results.inquiry-file', exit: 3, location: { record: 0, offset: 1, field: 'typeCode' } });
    expect(r.stderr).toContain('import answers');
    expect(r.stderr).not.toContain('ﾔﾏﾀﾞ');
    const { openDb } = await import('../../src/db/connection.js');
    const db2 = openDb(file);
    expect(db2.prepare(`SELECT COUNT(*) AS n FROM imports WHERE kind = 'results'`).get()).toEqual({ n: 0 });
    db2.close();
    expect(fs.existsSync(path.join(dir, 'archive', 'results')) ? fs.readdirSync(path.join(dir, 'archive', 'results')) : []).toEqual([]);
  });
});

describe('a seizure result naming another kind\'s file number', () => {
  it('import results: exit 3 at 依頼ファイル番号 naming the inquiry batch (one sequence numbers both kinds), nothing stored', async () => {
    const { db, dir, inq, ext } = both();
    const media = path.join(dir, 'usb');
    fs.mkdirSync(media);
    await writeBatch(db, inq.id, { media });
    const w = await writeBatch(db, ext.batches[0]!.id, { media });
    const { simulateBank } = await import('../../src/bank-sim/index.js');
    const { importResults } = await import('../../src/steps/import-results/import-results.js');
    const { loadLayout } = await import('../../src/layout/index.js');
    const { appErrorOf } = await import('../helpers/errors.js');
    const result = path.join(dir, 'RESULT.DAT');
    simulateBank({ requestPath: w.files[0]!.path, resultPath: result, seed: 7 });
    const at = loadLayout('seizure-120').records.header!.byId.get('fileNumber')!.offset;
    const bytes = Buffer.from(fs.readFileSync(result));
    expect(bytes.subarray(at, at + 8).toString('latin1')).toBe('00000043');
    Buffer.from('00000042', 'latin1').copy(bytes, at); // the inquiry file's number
    const bad = path.join(dir, 'BAD.DAT');
    fs.writeFileSync(bad, bytes);
    const e = appErrorOf(() => importResults(db, bad));
    expect(e.exit).toBe(3);
    const f = e.findings.find((x) => x.field === 'fileNumber')!;
    expect(f).toMatchObject({ code: 'result.file-of-other-kind', record: 0, offset: at, found: '00000042' });
    expect(f.message.ja).toContain(`預金照会のファイル（バッチ ${inq.id}）`);
    expect(db.prepare(`SELECT COUNT(*) AS n FROM imports WHERE kind = 'results'`).get()).toEqual({ n: 0 });
    db.close();
  });
});
