import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadLayout } from '../../src/layout/index.js';
import { SyncRecordWriter, StreamRecordWriter, readRecords, validateFile } from '../../src/file/index.js';
import { EXAMPLE_DATA, EXAMPLE_HEADER, exampleRecords, joinRecords, tmpDir } from './helpers.js';

const L = loadLayout('seizure-120');

describe('golden: the seizure-120.md example', () => {
  const expected = joinRecords(exampleRecords(), '\r\n');

  it('the sync writer produces exactly the 4 example records (CRLF), totals computed', () => {
    const file = path.join(tmpDir(), 'req.dat');
    const w = new SyncRecordWriter(file, L);
    w.header(EXAMPLE_HEADER);
    w.data(EXAMPLE_DATA);
    w.trailer();
    w.end();
    const r = w.close();
    const got = fs.readFileSync(file);
    expect(got.length).toBe(4 * 122);
    expect(got.equals(expected)).toBe(true);
    expect(r).toEqual({ records: 1, totalRecords: 4, bytes: 488, sha256: createHash('sha256').update(expected).digest('hex') });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('the stream writer produces the same bytes', async () => {
    const file = path.join(tmpDir(), 'req2.dat');
    const w = new StreamRecordWriter(fs.createWriteStream(file, { mode: 0o600 }), L);
    await w.write('header', EXAMPLE_HEADER);
    await w.write('data', EXAMPLE_DATA);
    await w.write('trailer');
    await w.write('end');
    const r = await w.close();
    expect(fs.readFileSync(file).equals(expected)).toBe(true);
    expect(r.bytes).toBe(488);
  });

  it('reads back: valid, with the documented field texts', async () => {
    const file = path.join(tmpDir(), 'ex.dat');
    fs.writeFileSync(file, expected);
    expect(validateFile(file, L)).toMatchObject({ valid: true, findings: [], records: 4, dataRecords: 1 });
    const recs = [];
    for await (const r of readRecords(file, L)) recs.push(r);
    expect(recs.map((r) => [r.index, r.offset, r.kind])).toEqual([
      [0, 0, 'header'],
      [1, 122, 'data'],
      [2, 244, 'trailer'],
      [3, 366, 'end'],
    ]);
    expect(recs[0]!.fields).toEqual({
      dataKubun: '1',
      typeCode: '51',
      codeKubun: '0',
      requesterCode: '0000012345',
      requesterName: 'ｶｺﾞｼﾏｼ',
      executionDate: '20261201',
      bankCode: '0184',
      bankName: 'ﾐﾔｻﾞｷ',
      fileNumber: '00000042',
      collectionMode: '1',
      depositBranch: '123',
      depositAccountType: '1',
      depositAccountNumber: '1234567',
    });
    expect(recs[1]!.fields).toMatchObject({ requestNumber: '0000000101', subNumber: '01', holderName: 'ﾔﾏﾀﾞ ﾀﾛｳ', birthDate: '19700401', limitAmount: '000000152300' });
    expect(recs[2]!.fields).toMatchObject({ recordCount: '000001', limitTotal: '000000152300', seizedCount: '000000' });
    expect(recs[3]!.fields).toEqual({ dataKubun: '9' });
  });
});
