import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { extract } from '../../src/steps/extract/extract.js';
import { writeBatch, writeBatches } from '../../src/steps/write/write.js';
import { validateFile } from '../../src/file/reader.js';
import { loadLayout } from '../../src/layout/load.js';
import { AppError } from '../../src/core/errors.js';
import { account, count, debt, freshDb, settings, target, taxpayer, tempDir } from '../extract/helpers.js';

const D = '2026-12-01';

function setup(opts: { max?: number } = {}) {
  const { db, dir } = freshDb();
  settings(db, { maxRecordsPerFile: opts.max ?? 999_999 });
  taxpayer(db, { atena: 'T1', kana: 'ヤマダ　タロウ', birth: '1970-04-01' });
  debt(db, { chotei: 'X1', atena: 'T1', honzei: 150_000, fee: 100, entaikinKind: 0 });
  account(db, { atena: 'T1', branch: '310', number: '0012345' });
  account(db, { atena: 'T1', branch: '010', number: '0000009', holder: 'ヤマダ　ハナコ' });
  target(db, 'T2', { honzei: 2_200 });
  const r = extract(db, { date: D });
  const media = path.join(dir, 'usb');
  fs.mkdirSync(media);
  return { db, dir, media, batchId: r.batches[0]!.id };
}

async function code(p: Promise<unknown>): Promise<number> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.exit;
    throw e;
  }
  return 0;
}

describe('write', () => {
  it('writes a file the validator accepts, with header, records, trailer totals; 0600; manifest and 合計表', async () => {
    const { db, media, batchId } = setup();
    const r = await writeBatch(db, batchId, { media });
    expect(r.files).toHaveLength(1);
    const f = r.files[0]!;
    expect(path.basename(f.path)).toBe('SASHI_0184_00000042.DAT');
    expect(fs.statSync(f.path).mode & 0o777).toBe(0o600);
    const bytes = fs.readFileSync(f.path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(f.sha256);
    expect(bytes.length).toBe(f.bytes);
    expect(bytes.length).toBe(6 * 122);
    const v = validateFile(f.path, loadLayout('seizure-120'));
    expect(v.findings).toEqual([]);
    expect(v.valid).toBe(true);
    const lines = iconv.decode(bytes, 'cp932').split('\r\n');
    expect(lines[0]).toBe('1' + '51' + '0' + '0000012345' + 'ｶｺﾞｼﾏｼ'.padEnd(40) + '20261201' + '0184' + 'ﾐﾔｻﾞｷ'.padEnd(15) + '00000042' + '1' + '123' + '1' + '1234567' + ' '.repeat(19));
    // request 1 = T1 (two accounts, 枝番 by branch), request 2 = T2
    expect(lines[1]).toBe('2' + '0000000001' + '01' + '010' + '1' + '0000009' + 'ﾔﾏﾀﾞ ﾊﾅｺ'.padEnd(30) + '19700401' + '000000150100' + '00' + '0'.repeat(12) + '0'.repeat(12) + '00000000' + ' '.repeat(12));
    expect(lines[2]!.slice(0, 24)).toBe('2' + '0000000001' + '02' + '310' + '1' + '0012345');
    expect(lines[3]!.slice(0, 13)).toBe('2000000000201');
    expect(lines[4]).toBe('8' + '000003' + String(150_100 + 2_200).padStart(12, '0') + '0'.repeat(30) + ' '.repeat(71));
    expect(lines[5]).toBe('9' + ' '.repeat(119));
    expect(lines[6]).toBe('');
    const manifest = JSON.parse(fs.readFileSync(`${f.path}.manifest.json`, 'utf8'));
    expect(manifest).toMatchObject({ layout: 'seizure-120', batch: batchId, fileNumber: 42, records: 3, requests: 2, limitTotal: 152_300, sha256: f.sha256, bytes: f.bytes });
    const sheet = fs.readFileSync(`${f.path}.totals.html`, 'utf8');
    expect(sheet).toContain('差押限度額合計');
    expect(sheet).toContain('152,300 円');
    expect(sheet).toContain(f.sha256);
    expect(sheet).toContain('作成者');
    expect(sheet).toContain('確認者');
    expect(sheet).not.toContain('ﾔﾏﾀﾞ');
    expect(fs.statSync(`${f.path}.manifest.json`).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${f.path}.totals.html`).mode & 0o777).toBe(0o600);
    expect(db.prepare('SELECT state FROM batches WHERE id = ?').get(batchId)).toEqual({ state: 'written' });
    expect(db.prepare('SELECT file_name, sha256, bytes FROM batch_files').get()).toEqual({ file_name: 'SASHI_0184_00000042.DAT', sha256: f.sha256, bytes: f.bytes });
    expect(count(db, `SELECT COUNT(*) AS n FROM audit_log WHERE action = 'batch.write' AND batch_id = ?`, batchId)).toBe(1);
    expect(fs.readdirSync(media).filter((n) => n.includes('tmp'))).toEqual([]);
  });

  it('re-run adopts an identical file; a different existing file is exit 4 and nothing changes', async () => {
    const { db, media, batchId } = setup();
    const first = await writeBatch(db, batchId, { media });
    const again = await writeBatch(db, batchId, { media });
    expect(again.files[0]!.adopted).toBe(true);
    expect(again.files[0]!.sha256).toBe(first.files[0]!.sha256);
    expect(again.notes.map((n) => n.ja).join()).toContain('採用');

    // a fresh extracted batch with a different file already at its name
    db.prepare(`UPDATE batches SET state = 'cancelled'`).run();
    const r = extract(db, { date: D });
    const id2 = r.batches[0]!.id;
    const name = path.join(media, `SASHI_0184_${String(r.batches[0]!.fileNumber).padStart(8, '0')}.DAT`);
    fs.writeFileSync(name, 'something else');
    expect(await code(writeBatch(db, id2, { media }))).toBe(4);
    expect(fs.readFileSync(name, 'utf8')).toBe('something else');
    expect(db.prepare('SELECT state FROM batches WHERE id = ?').get(id2)).toEqual({ state: 'extracted' });
    expect(fs.readdirSync(media).filter((n) => n.includes('tmp'))).toEqual([]);
  });

  it('adopts a file left complete by a crash before the DB update, and removes a leftover temp file', async () => {
    const { db, media, batchId } = setup();
    const other = path.join(tempDir(), 'usb');
    fs.mkdirSync(other);
    const ref = await writeBatch(db, batchId, { media: other });
    // back to the state before the DB update
    db.prepare(`UPDATE batches SET state = 'extracted'`).run();
    db.prepare(`UPDATE batch_files SET file_name = NULL, sha256 = NULL, bytes = NULL, written_at = NULL`).run();
    fs.copyFileSync(ref.files[0]!.path, path.join(media, 'SASHI_0184_00000042.DAT'));
    fs.writeFileSync(path.join(media, '.SASHI_0184_00000042.DAT.sashiosae-tmp'), 'half a file');
    const r = await writeBatch(db, batchId, { media });
    expect(r.files[0]!.adopted).toBe(true);
    expect(r.notes.map((n) => n.en).join()).toContain('removed a temporary file');
    expect(fs.existsSync(path.join(media, '.SASHI_0184_00000042.DAT.sashiosae-tmp'))).toBe(false);
    expect(db.prepare('SELECT state FROM batches').get()).toEqual({ state: 'written' });
  });

  it('splits into several valid files with consecutive numbers; --copy writes and verifies a second copy', async () => {
    const { db, media, batchId, dir } = setup({ max: 2 });
    const copy = path.join(dir, 'copy');
    fs.mkdirSync(copy);
    const r = await writeBatch(db, batchId, { media, copy });
    expect(r.files.map((f) => [path.basename(f.path), f.records])).toEqual([
      ['SASHI_0184_00000042.DAT', 2],
      ['SASHI_0184_00000043.DAT', 1],
    ]);
    const layout = loadLayout('seizure-120');
    for (const f of r.files) {
      expect(validateFile(f.path, layout).valid).toBe(true);
      expect(fs.readFileSync(f.copyPath!)).toEqual(fs.readFileSync(f.path));
      expect(fs.existsSync(path.join(copy, `${path.basename(f.path)}.totals.html`))).toBe(true);
    }
    const second = iconv.decode(fs.readFileSync(r.files[1]!.path), 'cp932').split('\r\n');
    expect(second[0]!.slice(81, 89)).toBe('00000043');
    expect(second[1]!.slice(1, 11)).toBe('0000000002');
    expect(second[2]!.slice(7, 19)).toBe('000000002200');
  });

  it('refuses a batch in the wrong state (exit 4) and an unknown batch (exit 2)', async () => {
    const { db, media, batchId } = setup();
    db.prepare(`UPDATE batches SET state = 'cancelled'`).run();
    expect(await code(writeBatch(db, batchId, { media }))).toBe(4);
    expect(await code(writeBatch(db, 'NOPE', { media }))).toBe(2);
    expect(fs.readdirSync(media)).toEqual([]);
  });

  it('several batches at once', async () => {
    const { db, dir } = freshDb();
    settings(db, { bank: '0184' });
    settings(db, { bank: '0005', bankName: null });
    target(db, 'A', { bank: '0184' });
    target(db, 'B', { bank: '0005' });
    const r = extract(db, { date: D });
    const media = path.join(dir, 'usb');
    fs.mkdirSync(media);
    const out = await writeBatches(db, r.batches.map((b) => b.id), { media });
    expect(out.errors).toEqual([]);
    expect(out.results.map((x) => x.batch)).toEqual(['0005-00000042', '0184-00000042']);
    // bank name from zengin-code when the settings have none (0005 = 三菱ＵＦＪ)
    const h = iconv.decode(fs.readFileSync(out.results[0]!.files[0]!.path), 'cp932').slice(66, 81);
    expect(h.trim().length).toBeGreaterThan(0);
    expect(h).not.toBe(' '.repeat(15));
  });
});
