/**
 * write's record sources read a file's rows in ranges of READ_KEYS keys, each range whole
 * (kinds.ts eachRow; issue 15 item 7): every key of the file once, in order, and a file of
 * more keys than one range written record for record from the database.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { READ_KEYS, eachRow } from '../../src/steps/write/kinds.js';
import { writeBatch } from '../../src/steps/write/write.js';
import { freshDb, settings } from '../extract/helpers.js';
import { PEOPLE, inquiryBatch } from '../helpers/inquiry-batch.js';

describe('write: rows read in ranges of READ_KEYS keys', () => {
  it('eachRow asks for consecutive ranges of at most READ_KEYS keys and hands on every row in order', () => {
    const asked: Array<[number, number]> = [];
    const seen: number[] = [];
    const to = 5 + 2 * READ_KEYS + 17;
    eachRow({ from: 5, to }, (a, b) => (asked.push([a, b]), Array.from({ length: b - a + 1 }, (_, i) => a + i)), (k) => seen.push(k));
    expect(asked).toEqual([
      [5, 4 + READ_KEYS],
      [5 + READ_KEYS, 4 + 2 * READ_KEYS],
      [5 + 2 * READ_KEYS, to],
    ]);
    expect(seen).toEqual(Array.from({ length: to - 4 }, (_, i) => 5 + i));
    const one: Array<[number, number]> = [];
    eachRow({ from: 3, to: 3 }, (a, b) => (one.push([a, b]), []), () => undefined);
    expect(one).toEqual([[3, 3]]);
  });

  it('an inquiry file of more than two ranges: each data record carries its inquiry, in seq order', async () => {
    const { db, dir } = freshDb();
    settings(db);
    const n = 2 * READ_KEYS + 50;
    const people = Array.from({ length: n }, (_, i) => ({ ...PEOPLE[i % PEOPLE.length]!, atena: String(100_000 + i) }));
    const b = inquiryBatch(db, { people });
    const media = fs.mkdtempSync(path.join(dir, 'usb-'));
    const r = await writeBatch(db, b.id, { media, engine: { producer: 'inline' } });
    const lines = fs.readFileSync(r.files[0]!.path).toString('latin1').split('\r\n');
    const data = lines.slice(1, 1 + n);
    // 照会番号 (offset 1, 8 digits) and 宛名番号 (offset 11, 10 digits) of every account record
    expect(data.map((l) => [Number(l.slice(1, 9)), Number(l.slice(11, 21))])).toEqual(people.map((p, i) => [i + 1, Number(p.atena)]));
    expect(lines[1 + n]!.startsWith('8')).toBe(true);
  });
});
