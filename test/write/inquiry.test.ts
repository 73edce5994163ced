/**
 * write of an inquiry batch (issue 15 item 2; inquiry-300.md "Writing a request"): the
 * same verified media protocol as a seizure batch, the request file byte for byte as the
 * spec's offsets give it (compared with files built here field by field, and with the
 * golden request of test/fixtures), manifest and 合計表 of the inquiry kind.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { writeBatch } from '../../src/steps/write/write.js';
import { validateFile } from '../../src/file/reader.js';
import { formatsDir, loadLayout } from '../../src/layout/load.js';
import { AppError } from '../../src/core/errors.js';
import { freshDb, settings } from '../extract/helpers.js';
import { PEOPLE, inquiryBatch } from '../helpers/inquiry-batch.js';
import { built, cli } from '../cli/helpers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const L = loadLayout('inquiry-300');

function setup(spec: Parameters<typeof inquiryBatch>[1] = {}, s: Parameters<typeof settings>[1] = {}) {
  const { db, dir, file } = freshDb();
  settings(db, s);
  const b = inquiryBatch(db, spec);
  const media = path.join(dir, 'usb');
  fs.mkdirSync(media);
  return { db, dir, dbFile: file, media, b };
}

/** A 300-byte record built at the spec table's offsets: [offset, text] (CP932), the rest spaces. */
function rec(parts: Array<[number, string]>): Buffer {
  const r = Buffer.alloc(300, 0x20);
  for (const [off, text] of parts) {
    const b = iconv.encode(text, 'cp932');
    b.copy(r, off);
  }
  return r;
}
const zen = (s: string, bytes: number): string => s + '　'.repeat((bytes - iconv.encode(s, 'cp932').length) / 2);
function file(records: Buffer[]): Buffer {
  return Buffer.concat(records.flatMap((r) => [r, Buffer.from('\r\n')]));
}
function header(fileNumber: number, historyFrom: string): Buffer {
  return rec([[0, '1610'], [4, '0000012345'], [14, 'ｶｺﾞｼﾏｼ'], [54, '20261201'], [62, historyFrom], [70, '0184'], [74, 'ﾐﾔｻﾞｷ'], [89, String(fileNumber).padStart(8, '0')], [97, '00000000']]);
}
function account(n: number, p: (typeof PEOPLE)[number], era: string): Buffer {
  return rec([
    [0, '2' + String(n).padStart(8, '0') + '00' + p.atena.padStart(10, '0')],
    [21, p.kana],
    [61, zen(p.name, 40)],
    [101, era],
    [108, zen(p.address, 100)],
    [208, '0' + '000' + '0' + '0000000'],
    [260, '0' + '0'.repeat(12) + '00000000' + '0000' + '0'],
  ]);
}
const trailer = (n: number): Buffer => rec([[0, '8' + String(n).padStart(6, '0') + '000000' + '000000' + '00000000' + '0'.repeat(14)]]);
const end = (): Buffer => rec([[0, '9']]);

async function exitOf(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.exit;
    throw e;
  }
  return 0;
}

describe('write: inquiry batches', () => {
  it('writes the golden request byte for byte, with the inquiry file name, manifest and 合計表; state written', async () => {
    const { db, media, b } = setup({ people: PEOPLE.slice(0, 2) });
    const r = await writeBatch(db, b.id, { media });
    expect(r.batch).toBe('0184-00000043');
    const f = r.files[0]!;
    expect(path.basename(f.path)).toBe('INQ_0184_00000043.DAT');
    expect(f.records).toBe(2);
    const golden = fs
      .readFileSync(path.join(HERE, '../fixtures/files/inquiry-300-request.txt'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => iconv.encode(l.replaceAll('_', ' '), 'cp932'));
    const bytes = fs.readFileSync(f.path);
    expect(bytes.equals(file(golden))).toBe(true);
    // and the same as built here at the spec's offsets
    expect(bytes.equals(file([header(43, '20260902'), account(1, PEOPLE[0]!, '4010108'), account(2, PEOPLE[1]!, '5010501'), trailer(2), end()]))).toBe(true);
    expect(fs.statSync(f.path).mode & 0o777).toBe(0o600);
    expect(validateFile(f.path, L).valid).toBe(true);

    const manifest = JSON.parse(fs.readFileSync(`${f.path}.manifest.json`, 'utf8'));
    expect(manifest).toMatchObject({ kind: 'inquiry', layout: 'inquiry-300', batch: b.id, fileNumber: 43, records: 2, requests: 2, limitTotal: null, collectionMode: null, historyFrom: '2026-09-02', executionDate: '2026-12-01', sha256: f.sha256 });
    const sheet = fs.readFileSync(`${f.path}.totals.html`, 'utf8');
    expect(sheet).toContain('預金照会データ 合計表');
    expect(sheet).toMatch(/照会件数<\/th><td>2 件/);
    expect(sheet).toContain('<th>種別</th><td>預金照会</td>');
    expect(sheet).toContain('2026-09-02');
    expect(sheet).not.toContain('差押限度額');
    expect(sheet).not.toContain('ﾔﾏﾀﾞ');
    expect(sheet).not.toContain('山田');
    expect(db.prepare('SELECT state FROM batches WHERE id = ?').get(b.id)).toEqual({ state: 'written' });
    expect(db.prepare('SELECT file_name, sha256 FROM batch_files WHERE batch_id = ?').get(b.id)).toEqual({ file_name: 'INQ_0184_00000043.DAT', sha256: f.sha256 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE action = 'batch.write' AND batch_id = ?`).get(b.id)).toEqual({ n: 1 });
  });

  it('several files: 照会番号 restarts at 1 in each; unknown birth date 0000000, 宛名番号 zero-padded, 〓 as 0x81AC, no history 00000000', async () => {
    const { db, media, b } = setup({ perFile: 3, historyFrom: null }, { maxRecordsPerFile: 3 });
    const r = await writeBatch(db, b.id, { media });
    expect(r.files.map((f) => path.basename(f.path))).toEqual(['INQ_0184_00000043.DAT', 'INQ_0184_00000044.DAT']);
    const one = fs.readFileSync(r.files[0]!.path);
    const two = fs.readFileSync(r.files[1]!.path);
    expect(one.equals(file([header(43, '00000000'), account(1, PEOPLE[0]!, '4010108'), account(2, PEOPLE[1]!, '5010501'), account(3, PEOPLE[2]!, '0000000'), trailer(3), end()]))).toBe(true);
    expect(two.equals(file([header(44, '00000000'), account(1, PEOPLE[3]!, '3350229'), trailer(1), end()]))).toBe(true);
    expect(one.subarray(302 * 3 + 61, 302 * 3 + 63)).toEqual(Buffer.from([0x81, 0xac]));
    expect(two.subarray(302 + 11, 302 + 21).toString('latin1')).toBe('0000000012');
    expect(r.files.map((f) => f.records)).toEqual([3, 1]);
  });

  it('the bank\'s inquiryFileNamePattern names the file; --layout (id or path) keeps working', async () => {
    const { db, media, b } = setup();
    db.prepare(`UPDATE bank_settings SET inquiry_file_name_pattern = 'Q{bank}-{file}-{date}.txt'`).run();
    const r = await writeBatch(db, b.id, { media, layout: path.join(formatsDir(), 'inquiry-300.xml') });
    expect(path.basename(r.files[0]!.path)).toBe('Q0184-00000043-20261201.txt');
    const again = await writeBatch(db, b.id, { media, layout: 'inquiry-300' });
    expect(again.files[0]!.adopted).toBe(true);
  });

  it('a re-run adopts the identical file; a different file at the name is exit 4 and the batch stays extracted', async () => {
    const { db, media, b } = setup();
    const name = path.join(media, 'INQ_0184_00000043.DAT');
    fs.writeFileSync(name, 'something else');
    expect(await exitOf(writeBatch(db, b.id, { media }))).toBe(4);
    expect(fs.readFileSync(name, 'utf8')).toBe('something else');
    expect(db.prepare('SELECT state FROM batches WHERE id = ?').get(b.id)).toEqual({ state: 'extracted' });
    fs.unlinkSync(name);
    const first = await writeBatch(db, b.id, { media });
    const again = await writeBatch(db, b.id, { media });
    expect(again.files[0]!.adopted).toBe(true);
    expect(again.files[0]!.sha256).toBe(first.files[0]!.sha256);
    expect(fs.readdirSync(media).filter((n) => n.includes('tmp'))).toEqual([]);
  });

  it('a cancelled inquiry batch is exit 4 (state); nothing written', async () => {
    const { db, media, b } = setup();
    db.prepare(`UPDATE batches SET state = 'cancelled' WHERE id = ?`).run(b.id);
    const e1 = await writeBatch(db, b.id, { media }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(AppError);
    expect((e1 as AppError).exit).toBe(4);
    expect((e1 as AppError).code).toBe('batch.wrong-state');
    // every batch kind has a writer since issue 16 (instruction: ADR 0156), so no kind is left to be refused
    expect(fs.readdirSync(media)).toEqual([]);
  });

  it.runIf(built)('CLI: write --json keeps its shape; inspect --json decodes the stored fields back', () => {
    const { db, dbFile, media, b } = setup();
    db.close();
    const w = cli(['--db', dbFile, '--json', 'write', b.id, '--media', media]);
    expect(w.status, w.stderr).toBe(0);
    const out = JSON.parse(w.stdout);
    expect(Object.keys(out)).toEqual(['batch', 'files']);
    expect(Object.keys(out.files[0])).toEqual(['path', 'sha256', 'bytes', 'records']);
    expect(out.files[0].records).toBe(4);
    const v = cli(['--json', 'validate', out.files[0].path]);
    expect(v.status, v.stdout).toBe(0);
    const i = cli(['--json', 'inspect', out.files[0].path]);
    expect(i.status, i.stderr).toBe(0);
    const lines = i.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const data = lines.filter((l) => l.record === 'account');
    expect(data).toHaveLength(4);
    data.forEach((d, k) => {
      const p = b.inquiries[k]!;
      expect(d.fields).toMatchObject({ inquiryNumber: String(k + 1).padStart(8, '0'), accountSeq: '00', taxpayerId: p.atena.padStart(10, '0'), nameKana: p.kana, nameKanji: p.name, address: p.address, answerCode: '0' });
    });
    expect(lines[0].fields).toMatchObject({ typeCode: '61', baseDate: '20261201', historyFrom: '20260902', fileNumber: '00000043', answerDate: '00000000' });
  });
});
