/**
 * write's encoder on the second core (ADR 0190): a file's data records read from a
 * snapshot and encoded in a worker thread for every other range of keys (this thread encodes
 * the ranges between), written here (SyncRecordWriter.writeEncoded),
 * give exactly the bytes of the one-thread path — for every batch kind, several files,
 * chunks far smaller than a file (boundaries everywhere, recycled buffers) — and an
 * encoding error made in the worker is the one-thread path's error.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extract } from '../../src/steps/extract/extract.js';
import { instruct } from '../../src/steps/instruct/instruct.js';
import { writeBatch } from '../../src/steps/write/write.js';
import type { Engine } from '../../src/core/engine.js';
import type { Db } from '../../src/db/connection.js';
import { AppError } from '../../src/core/errors.js';
import { freshDb, settings, target } from '../extract/helpers.js';
import { PEOPLE, inquiryBatch } from '../helpers/inquiry-batch.js';
import { heldBatch } from '../instruct/fixture.js';

type Made = { db: Db; dir: string; batchId: string };

/** The .DAT files of one write into a fresh folder, by name, and the step's reported files. */
async function written(m: Made, engine: Engine): Promise<{ files: Record<string, string>; reported: unknown }> {
  const media = fs.mkdtempSync(path.join(m.dir, 'usb-'));
  const r = await writeBatch(m.db, m.batchId, { media, engine });
  const files: Record<string, string> = {};
  for (const name of fs.readdirSync(media).filter((n) => n.endsWith('.DAT')).sort()) files[name] = fs.readFileSync(path.join(media, name)).toString('hex');
  return { files, reported: r.files.map((f) => ({ name: path.basename(f.path), sha256: f.sha256, bytes: f.bytes, records: f.records })) };
}

/** Build the same batch twice (two databases): one written by each path. */
async function bothPaths(make: () => Made, chunk: number): Promise<void> {
  const inline = await written(make(), { producer: 'inline' });
  const worker = await written(make(), { producer: 'worker', chunk });
  expect(Object.keys(inline.files).length).toBeGreaterThan(1);
  expect(worker.files).toEqual(inline.files);
  expect(worker.reported).toEqual(inline.reported);
}

function inquiryMade(): Made {
  const { db, dir } = freshDb();
  settings(db);
  // 53 people (PEOPLE varied by 宛名番号), 20 per file: three files, the last one short
  const people = Array.from({ length: 53 }, (_, i) => ({ ...PEOPLE[i % PEOPLE.length]!, atena: String(2000 + i) }));
  const b = inquiryBatch(db, { people, perFile: 20 });
  return { db, dir, batchId: b.id };
}

function seizureMade(): Made {
  const { db, dir } = freshDb();
  settings(db, { maxRecordsPerFile: 25 });
  for (let i = 0; i < 30; i++) target(db, `S${String(i).padStart(3, '0')}`, { honzei: 10_000 + i * 137, accounts: 1 + (i % 3) });
  const r = extract(db, { date: '2026-12-01' });
  return { db, dir, batchId: r.batches[0]!.id };
}

describe('write: the encoder worker writes the one-thread bytes', () => {
  it('inquiry batch: three files, chunks of 7 records', async () => {
    await bothPaths(inquiryMade, 7);
  });

  it('seizure batch: several files of several records per request, chunks of 3 records', async () => {
    await bothPaths(seizureMade, 3);
  });

  it('instruction batch, chunks of 1 record', async () => {
    const make = (): Made => {
      const h = heldBatch({ accounts: [1, 2, 3, 1, 4, 2, 2], seed: 7 });
      const r = instruct(h.db, h.b.batchId, { date: '2026-12-08', today: '2026-12-01' });
      return { db: h.db, dir: h.dir, batchId: r.batch };
    };
    const inline = await written(make(), { producer: 'inline' });
    const worker = await written(make(), { producer: 'worker', chunk: 1 });
    expect(Object.keys(inline.files)).toHaveLength(1);
    expect(worker.files).toEqual(inline.files);
    expect(worker.reported).toEqual(inline.reported);
  });

  it('an encoding error made in the worker is the one-thread error; the media hold the same complete files (a re-run adopts them)', async () => {
    const errorOf = async (engine: Engine): Promise<{ code: string; msg: unknown; location: unknown; left: string[] }> => {
      const m = inquiryMade();
      // a 氏名カナ that the layout's character class refuses (kanji), on the 30th inquiry
      m.db.prepare('UPDATE inquiries SET kana = ? WHERE batch_id = ? AND seq = 30').run('山田', m.batchId);
      const media = fs.mkdtempSync(path.join(m.dir, 'usb-'));
      try {
        await writeBatch(m.db, m.batchId, { media, engine });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        expect(m.db.prepare('SELECT state FROM batches WHERE id = ?').pluck().get(m.batchId)).toBe('extracted');
        return { code: e.code, msg: e.msg, location: e.location, left: fs.readdirSync(media) };
      }
      throw new Error('no error');
    };
    const inline = await errorOf({ producer: 'inline' });
    // file 2 holds seq 21–40: with ranges of 5 keys, 26–30 is range 1, the worker's
    const worker = await errorOf({ producer: 'worker', chunk: 5 });
    expect(worker).toEqual(inline);
    expect(inline.left.filter((n) => n.endsWith('.DAT'))).toEqual(['INQ_0184_00000043.DAT']);
  });
});
