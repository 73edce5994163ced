/**
 * Reader/validator fast paths: oncePer keys compared as numbers when all digits,
 * validate + SHA-256 in one read, writer rows in field order.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileLayoutXml, loadLayout } from '../../src/layout/index.js';
import { SyncRecordWriter, scanFileSync, validateFile } from '../../src/file/index.js';
import { exampleRecords, joinRecords, tmpDir } from './helpers.js';

function put(buf: Buffer): string {
  const file = path.join(tmpDir(), 'f.dat');
  fs.writeFileSync(file, buf);
  return file;
}

describe('oncePer keys', () => {
  const L = compileLayoutXml(
    `<layout id="o" recordLength="9" encoding="cp932" separator="lf"><record kind="data">
      <field id="k" type="N" length="1" const="2"/><field id="key" type="N" length="5" blank="allow"/><field id="amt" type="N" length="3"/></record>
      <record kind="trailer"><field id="k" type="N" length="1" const="8"/><field id="sum" type="N" length="6" total="sum" of="amt" oncePer="key"/><field id="n" type="N" length="2" total="count" oncePer="key"/></record></layout>`,
    'o.xml',
  );

  it('a key counts when its text changes: all-digit and blank-padded keys alike', () => {
    // texts: 00012, 00012, 12, 12, 00012, 00013 → 4 changes
    const data = ['200012100', '200012100', '2   12050', '2   12050', '200012007', '200013001'];
    const file = put(Buffer.from([...data, '8000000' + '00'].join('\n') + '\n', 'latin1'));
    const v = validateFile(file, L);
    expect(v.findings.map((f) => [f.code, f.field, f.expected])).toEqual([
      ['total.mismatch', 'sum', '000158'],
      ['total.mismatch', 'n', '04'],
    ]);
  });

  it('the writer computes the same totals', () => {
    const file = path.join(tmpDir(), 'w.dat');
    const w = new SyncRecordWriter(file, L);
    for (const [key, amt] of [[12, 100], [12, 100], [13, 5], ['', 1], ['', 1], [12, 2]] as const) w.data({ key, amt });
    w.trailer();
    w.close();
    expect(fs.readFileSync(file, 'latin1').split('\n')[6]).toBe('800010804');
    expect(validateFile(file, L).valid).toBe(true);
  });
});

describe('validateFile with hash', () => {
  const S = loadLayout('seizure-120');
  it('gives the SHA-256 of exactly the bytes read, and the same findings as without', () => {
    for (const sep of ['\r\n', '\n', '']) {
      const bytes = joinRecords(exampleRecords(), sep, true, sep !== '');
      const file = put(bytes);
      const v = validateFile(file, S, { hash: 'sha256' });
      expect(v.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(v.bytes).toBe(bytes.length);
      const { sha256, ...rest } = v;
      expect(sha256).toBeTypeOf('string');
      expect(rest).toEqual(validateFile(file, S));
    }
    const damaged = Buffer.concat([joinRecords(exampleRecords(), '\r\n'), Buffer.from('X')]);
    const v = validateFile(put(damaged), S, { hash: 'sha256' });
    expect(v.valid).toBe(false);
    expect(v.sha256).toBe(createHash('sha256').update(damaged).digest('hex'));
    expect(validateFile(put(damaged), S).sha256).toBeUndefined();
  });

  it('scanFileSync hands every chunk to onChunk in order', () => {
    const bytes = Buffer.concat(Array.from({ length: 3000 }, () => joinRecords(exampleRecords(), '\r\n')));
    const file = put(bytes);
    const seen: Buffer[] = [];
    scanFileSync(file, S, { validate: false, decode: false, raw: false }, undefined, (c) => seen.push(Buffer.from(c)));
    expect(Buffer.concat(seen).equals(bytes)).toBe(true);
  });
});

describe('SyncRecordWriter.writeInOrder', () => {
  const S = loadLayout('seizure-120');
  it('writes the same file as write() with objects', () => {
    const ids = ['requestNumber', 'subNumber', 'branchCode', 'accountType', 'accountNumber', 'holderName', 'birthDate', 'limitAmount'];
    const rows: Array<Array<string | number>> = [
      [1, 1, '001', '1', '1234567', 'ﾔﾏﾀﾞ ﾀﾛｳ', '19800101', 5000],
      [1, 2, '002', '2', '7654321', 'ﾔﾏﾀﾞ ﾀﾛｳ', '00000000', 5000],
      [2, 1, '010', '4', '0000001', 'ｶ)ﾃｽﾄ', '2001-02-03', 123],
    ];
    const dir = tmpDir();
    const header = { typeCode: '51', requesterCode: '1', requesterName: 'ｶｺﾞｼﾏｼ', executionDate: '20261201', bankCode: '0184', bankName: 'ﾐﾔｻﾞｷ', fileNumber: 1, collectionMode: 1 };
    const a = new SyncRecordWriter(path.join(dir, 'a'), S);
    a.header(header);
    for (const r of rows) a.data(Object.fromEntries(ids.map((id, j) => [id, r[j]])));
    a.trailer();
    a.end();
    const ra = a.close();
    const b = new SyncRecordWriter(path.join(dir, 'b'), S);
    b.header(header);
    const order = b.order('data', ids);
    for (const r of rows) b.writeInOrder(order, r);
    b.trailer();
    b.end();
    const rb = b.close();
    expect(rb).toEqual(ra);
    expect(fs.readFileSync(path.join(dir, 'b')).equals(fs.readFileSync(path.join(dir, 'a')))).toBe(true);
    expect(() => b.order('data', ['nope'])).toThrowError(/no field nope/);
  });

  it('keeps the record order rules', () => {
    const w = new SyncRecordWriter(path.join(tmpDir(), 'c'), S);
    const order = w.order('data', ['requestNumber']);
    expect(() => w.writeInOrder(order, [1])).toThrowError(/cannot be written here/);
    w.abort();
  });
});
