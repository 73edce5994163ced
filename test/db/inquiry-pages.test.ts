/**
 * Rule 2's page reads of a batch's inquiries (src/db/inquiries.ts inquiryPages, ADR 0196):
 * the packed page (one UTF-8 value per page, built in SQLite) turned back into rows by
 * unpackInquiries gives exactly the plain read's rows — every range and limit, a null
 * 生年月日, an empty one, 外字 and long addresses — and where a value holds a separator the
 * packed page is refused (null) and `page` reads plainly: still the same rows.
 */
import { describe, expect, it } from 'vitest';
import { inquiryPages, unpackInquiries } from '../../src/db/inquiries.js';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { PEOPLE, makeInquiryBatch } from '../helpers/inquiry-fixture.js';

function setup(n: number) {
  const dir = tempDir();
  const { db } = fixtureDb(dir);
  const people = Array.from({ length: n }, (_v, i) => ({ ...PEOPLE[i % PEOPLE.length]!, atena: String(500000 + i) }));
  const b = makeInquiryBatch(db, dir, { people });
  return { db, b };
}

describe('inquiry pages, packed and plain', () => {
  it('equal for every range and limit, null and empty 生年月日 included', () => {
    const { db, b } = setup(40);
    // a null and an empty birth date, a value with every kind of text the columns hold
    db.prepare('UPDATE inquiries SET birth_date = NULL WHERE batch_id = ? AND seq = 3').run(b.batchId);
    db.prepare("UPDATE inquiries SET birth_date = '' WHERE batch_id = ? AND seq = 4").run(b.batchId);
    db.prepare("UPDATE inquiries SET name = '髙橋〓　　', address = ? WHERE batch_id = ? AND seq = 5").run('東京都千代田区'.repeat(8), b.batchId);
    const p = inquiryPages(db, b.batchId);
    const rows = p.plain(1, 40, 100);
    expect(rows).toHaveLength(40);
    expect(rows[2]![4]).toBeNull();
    expect(rows[3]![4]).toBe('');
    for (const [from, to, limit] of [[1, 40, 100], [1, 40, 7], [3, 5, 512], [38, 40, 512], [40, 40, 1], [2, 39, 1]] as const) {
      const packed = p.packed(from, to, limit);
      expect(packed).not.toBeNull();
      expect(unpackInquiries(packed!)).toEqual(p.plain(from, to, limit));
      expect(p.page(from, to, limit)).toEqual(p.plain(from, to, limit));
    }
    expect(p.packed(41, 50, 512)).toBeNull();
    expect(p.page(41, 50, 512)).toEqual([]);
  });

  it('a value holding a separator: the packed page is refused, page() reads plainly', () => {
    const { db, b } = setup(10);
    const p = inquiryPages(db, b.batchId);
    for (const bad of ['\u001f', '\u001e', 'ab\u001ecd\u001fef', '\u001e\u001f\u001f\u001f\u001f\u001f']) {
      db.prepare('UPDATE inquiries SET address = ? WHERE batch_id = ? AND seq = 6').run(bad, b.batchId);
      expect(unpackInquiries(p.packed(1, 10, 512)!)).toBeNull();
      const plain = p.plain(1, 10, 512);
      expect(plain[5]![5]).toBe(bad);
      expect(p.page(1, 10, 512)).toEqual(plain);
      // a page without that row is packed as usual
      expect(unpackInquiries(p.packed(7, 10, 512)!)).toEqual(p.plain(7, 10, 512));
    }
  });

  it('refuses bytes that are not rows of six columns with ascending seqs', () => {
    const enc = (s: string): Uint8Array => Buffer.from(s, 'utf8');
    const row = (seq: string): string => [seq, '1', 'ｱ', '亜', '=2000-01-01', '住所'].join('\u001f');
    expect(unpackInquiries(enc(`${row('1')}\u001e${row('2')}`))).toEqual([
      [1, '1', 'ｱ', '亜', '2000-01-01', '住所'],
      [2, '1', 'ｱ', '亜', '2000-01-01', '住所'],
    ]);
    expect(unpackInquiries(enc(`${row('2')}\u001e${row('1')}`))).toBeNull();
    expect(unpackInquiries(enc(`${row('1')}\u001e${row('1')}`))).toBeNull();
    expect(unpackInquiries(enc(row('01')))).toBeNull();
    expect(unpackInquiries(enc(row('x')))).toBeNull();
    expect(unpackInquiries(enc(`${row('1')}\u001f`))).toBeNull();
  });
});
