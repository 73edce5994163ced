/**
 * write of an instruction batch and the simulated bank's answer (issue 16 item 3;
 * instruction-120.md): the instruction file byte for byte at the spec's offsets (built
 * here field by field), manifest and 合計表 of the instruction kind, and the bank-sim
 * result (種別コード 63, 01/99, 取立日 = 指示日, trailer totals, statement deposit).
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { writeBatch } from '../../src/steps/write/write.js';
import { instruct } from '../../src/steps/instruct/index.js';
import { answerInstructions, NOT_DONE_SHARE } from '../../src/bank-sim/index.js';
import { scanFileSync, validateFile } from '../../src/file/reader.js';
import { detectFileLayout } from '../../src/file/detect-file.js';
import { loadLayout } from '../../src/layout/load.js';
import { readWareki } from '../../src/layout/wareki.js';
import { appErrorOf } from '../helpers/errors.js';
import { built, cli } from '../cli/helpers.js';
import { heldBatch, heldRecords, key } from './fixture.js';
import { holdRows } from '../../src/db/holds.js';

const L = loadLayout('instruction-120');
const TODAY = '2026-12-01';
const DATE = '2026-12-02';

function rec(parts: Array<[number, string]>): Buffer {
  const r = Buffer.alloc(120, 0x20);
  for (const [off, text] of parts) iconv.encode(text, 'cp932').copy(r, off);
  return r;
}
const n = (v: number, w: number): string => String(v).padStart(w, '0');

async function written() {
  const h = heldBatch({ perFile: 9, seed: 7 });
  const held = heldRecords(h.db);
  const r = instruct(h.db, h.b.batchId, { date: DATE, today: TODAY, collect: [`${key(held[0]!)}=0`, `${key(held[1]!)}=1000`] });
  const w = await writeBatch(h.db, r.batch, { media: h.media, operator: 'tanaka' });
  return { ...h, held, r, w };
}

describe('write of an instruction batch', () => {
  it('writes one file per instruction file, byte for byte as instruction-120.md, verified, with the kind in manifest and 合計表', async () => {
    const { db, held, r, w } = await written();
    expect(w.files.map((f) => [path.basename(f.path), f.records, f.fileNumber])).toEqual([
      ['INST_0184_00000045.DAT', 4, 45],
      ['INST_0184_00000046.DAT', 3, 46],
      ['INST_0184_00000047.DAT', 2, 47],
    ]);
    const recs = db
      .prepare(
        `SELECT r.request_number AS req, ir.sub_number AS sub, rr.branch_code AS branch, rr.account_type AS type, rr.account_number AS acc,
                ir.seized_amount AS seized, ir.collect_amount AS collect, ir.release_amount AS release
         FROM instruction_records ir JOIN request_records rr ON rr.request_id = ir.request_id AND rr.sub_number = ir.sub_number
         JOIN requests r ON r.id = ir.request_id WHERE ir.batch_id = ? AND ir.seq BETWEEN 1 AND 4 ORDER BY ir.seq`,
      )
      .all(r.batch) as Array<{ req: number; sub: number; branch: string; type: string; acc: string; seized: number; collect: number; release: number }>;
    expect(recs.map((x) => x.collect)).toEqual([0, 1000, held[2]!.seized, held[3]!.seized]); // override 0, override 1000, then proposals (nothing protected)
    const expected = Buffer.concat(
      [
        rec([[0, '1530'], [4, '0000012345'], [14, 'ｶｺﾞｼﾏｼ'], [54, '20261202'], [62, '0184'], [66, 'ﾐﾔｻﾞｷ'], [81, '00000045'], [89, '00000042'], [97, '20261201'], [105, '123'], [108, '1'], [109, '1234567']]),
        ...recs.map((x) =>
          rec([
            [0, '2' + n(x.req, 10) + n(x.sub, 2) + x.branch + x.type + x.acc],
            [24, 'ﾔﾏﾀﾞ ﾀﾛｳ'],
            [54, n(x.seized, 12) + n(x.collect, 12) + n(x.release, 12) + '00' + n(0, 12) + '00000000'],
          ]),
        ),
        rec([[0, '8' + n(4, 6) + n(recs.reduce((s, x) => s + x.seized, 0), 12) + n(recs.reduce((s, x) => s + x.collect, 0), 12) + n(recs.reduce((s, x) => s + x.release, 0), 12) + n(0, 12)]]),
        rec([[0, '9']]),
      ].flatMap((b) => [b, Buffer.from('\r\n')]),
    );
    expect(fs.readFileSync(w.files[0]!.path).equals(expected)).toBe(true);
    for (const f of w.files) {
      expect(validateFile(f.path, L).valid).toBe(true);
      expect(fs.statSync(f.path).mode & 0o777).toBe(0o600);
      expect(detectFileLayout(f.path).id).toBe('instruction-120');
    }
    const m = JSON.parse(fs.readFileSync(w.files[0]!.manifestPath, 'utf8')) as Record<string, unknown>;
    expect(m).toMatchObject({
      kind: 'instruction', layout: 'instruction-120', fileNumber: 45, records: 4, limitTotal: null, collectionMode: null, executionDate: DATE,
      seizureBatch: '0184-00000042', seizureFileNumber: 42, seizureExecutionDate: '2026-12-01',
      seizedTotal: recs.reduce((s, x) => s + x.seized, 0), collectTotal: recs.reduce((s, x) => s + x.collect, 0), releaseTotal: recs.reduce((s, x) => s + x.release, 0),
    });
    const sheet = fs.readFileSync(w.files[0]!.sheetPath, 'utf8');
    expect(sheet).toContain('取立・解除指示データ 合計表');
    expect(sheet).toContain(`<th>解除額合計</th><td>${recs.reduce((s, x) => s + x.release, 0).toLocaleString('ja-JP')} 円</td>`);
    expect(sheet).toContain('<th>差押依頼ファイル番号</th><td>00000042</td>');
    for (const x of held) expect(sheet).not.toContain(x.account);
    expect((db.prepare('SELECT state FROM batches WHERE id = ?').get(r.batch) as { state: string }).state).toBe('written');
    expect((db.prepare("SELECT operator FROM audit_log WHERE action = 'batch.write' AND batch_id = ?").get(r.batch) as { operator: string }).operator).toBe('tanaka');
  });

  it('a cancelled instruction batch cannot be written; its accounts are held again', async () => {
    const h = heldBatch({ perFile: 9, seed: 7 });
    const r = instruct(h.db, h.b.batchId, { date: DATE, today: TODAY });
    h.db.prepare("UPDATE batches SET state = 'cancelled' WHERE id = ?").run(r.batch);
    const e = await writeBatch(h.db, r.batch, { media: h.media }).catch((x: unknown) => x);
    expect((e as { exit: number }).exit).toBe(4);
    expect(holdRows(h.db, h.b.batchId).every((x) => x.state === 'held')).toBe(true);
  });
});

describe('bank-sim of an instruction file', () => {
  it('answers 01 collecting on 指示日 (a seeded share 99), header 63, trailer totals, and the statement deposit', async () => {
    const { dir, w } = await written();
    const out = path.join(dir, 'IR.DAT');
    const st = path.join(dir, 'IS.DAT');
    const s = answerInstructions({ instructionPath: w.files[0]!.path, resultPath: out, statementPath: st, seed: 5 }, L);
    expect(validateFile(out, L).findings).toEqual([]);
    const req: Array<Record<string, string>> = [];
    scanFileSync(w.files[0]!.path, L, {}, (x) => x.kind === 'data' && req.push(x.fields));
    let header: Record<string, string> = {};
    let trailer: Record<string, string> = {};
    const data: Array<Record<string, string>> = [];
    scanFileSync(out, L, {}, (x) => {
      if (x.kind === 'header') header = x.fields;
      if (x.kind === 'data') data.push(x.fields);
      if (x.kind === 'trailer') trailer = x.fields;
    });
    expect(header['typeCode']).toBe('63');
    expect([header['instructionDate'], header['fileNumber'], header['seizureFileNumber'], header['executionDate']]).toEqual(['20261202', '00000045', '00000042', '20261201']);
    expect(data).toHaveLength(4);
    let collected = 0;
    data.forEach((d, i) => {
      const q = req[i]!;
      for (const f of ['requestNumber', 'subNumber', 'branchCode', 'accountType', 'accountNumber', 'seizedAmount', 'collectAmount', 'releaseAmount']) expect(d[f]).toBe(q[f]);
      if (d['resultCode'] === '01') {
        expect(d['collectedAmount']).toBe(q['collectAmount']);
        expect(d['collectionDate']).toBe(Number(q['collectAmount']) > 0 ? '20261202' : '00000000');
        collected += Number(q['collectAmount']);
      } else {
        expect(d['resultCode']).toBe('99');
        expect([Number(d['collectedAmount']), d['collectionDate']]).toEqual([0, '00000000']);
      }
    });
    expect(Number(trailer['collectedTotal'])).toBe(collected);
    expect(Number(trailer['collectTotal'])).toBe(req.reduce((a, q) => a + Number(q['collectAmount']), 0));
    expect(Number(trailer['recordCount'])).toBe(4);
    expect(s.collected).toBe(collected);
    expect(s.results['01'].records + s.results['99'].records).toBe(4);
    // the statement: one deposit of the collected total on 指示日
    const SL = loadLayout('statement-03');
    const deposits: Array<{ date: string | null; amount: number }> = [];
    scanFileSync(st, SL, {}, (x) => x.kind === 'data' && x.fields['inOutKubun'] === '1' && deposits.push({ date: readWareki(x.fields['valueDate']!, '2026-12-31'), amount: Number(x.fields['amount']) }));
    expect(deposits.filter((d) => d.amount === collected && d.date === DATE)).toHaveLength(collected > 0 ? 1 : 0);
    expect(s.statement?.depositTotal).toBeGreaterThanOrEqual(collected);
  });

  it('the 99 share is small and seeded: over many records about NOT_DONE_SHARE, the same seed the same answers', async () => {
    const h = heldBatch({ accounts: Array.from({ length: 150 }, () => 4), seed: 3 });
    const r = instruct(h.db, h.b.batchId, { date: DATE, today: TODAY });
    const w = await writeBatch(h.db, r.batch, { media: h.media });
    const a = answerInstructions({ instructionPath: w.files[0]!.path, resultPath: path.join(h.dir, 'A.DAT'), seed: 11 }, L);
    const b = answerInstructions({ instructionPath: w.files[0]!.path, resultPath: path.join(h.dir, 'B.DAT'), seed: 11 }, L);
    expect(fs.readFileSync(path.join(h.dir, 'A.DAT')).equals(fs.readFileSync(path.join(h.dir, 'B.DAT')))).toBe(true);
    expect(a.records).toBeGreaterThan(100);
    expect(a.results['99'].records).toBeGreaterThan(0);
    expect(a.results['99'].records / a.records).toBeLessThan(NOT_DONE_SHARE * 3);
    expect(b.collected).toBe(a.collected);
  });

  it('refuses a result file (63) given as an instruction: exit 3, nothing written', async () => {
    const { dir, w } = await written();
    const out = path.join(dir, 'IR.DAT');
    answerInstructions({ instructionPath: w.files[0]!.path, resultPath: out, seed: 1 }, L);
    const again = path.join(dir, 'IR2.DAT');
    const e = appErrorOf(() => answerInstructions({ instructionPath: out, resultPath: again, seed: 1 }, L));
    expect(e.exit).toBe(3);
    expect(fs.existsSync(again)).toBe(false);
  });

  it.skipIf(!built)('the CLI detects the instruction file by its 種別コード and answers it', async () => {
    const { dir, w } = await written();
    const out = path.join(dir, 'CLI.DAT');
    const res = cli(['--json', 'bank-sim', w.files[1]!.path, '--out', out, '--statement', path.join(dir, 'CLI_S.DAT'), '--seed', '2']);
    expect(res.status).toBe(0);
    const j = JSON.parse(res.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ simulator: true, fileNumber: 46, seizureFileNumber: 43, instructionDate: DATE, records: 3 });
    expect(validateFile(out, L).valid).toBe(true);
  });
});
