import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { compileLayoutXml, detectLayout, formatsDir, listLayoutIds, listLayouts, loadLayout } from '../../src/layout/index.js';
import { exampleRecords, joinRecords, tmpDir } from '../file/helpers.js';

const FIX = new URL('../fixtures/layouts/', import.meta.url).pathname;

/** A tiny valid layout (recordLength 10) with one replaceable part. */
function xml(body: string, attrs = 'id="t" recordLength="10" encoding="cp932"'): string {
  return `<?xml version="1.0"?><layout ${attrs}>${body}</layout>`;
}
const DATA_OK = '<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="C" length="9"/></record>';

function refusal(x: string): AppError {
  try {
    compileLayoutXml(x, 'bad.xml');
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    const a = e as AppError;
    expect(a.exit).toBe(2);
    expect(a.code).toBe('layout.invalid');
    expect(a.msg.en).toContain('bad.xml');
    return a;
  }
  throw new Error('layout was accepted');
}

describe('shipped layouts', () => {
  it('load, with offsets computed per the specs', () => {
    expect(listLayoutIds()).toEqual(expect.arrayContaining(['seizure-120', 'statement-03']));
    const s = loadLayout('seizure-120');
    expect(s.recordLength).toBe(120);
    const d = s.records.data!;
    expect(['holderName', 'birthDate', 'limitAmount', 'collectionDate', 'filler'].map((id) => [d.byId.get(id)!.offset, d.byId.get(id)!.length])).toEqual([
      [24, 30],
      [54, 8],
      [62, 12],
      [100, 8],
      [108, 12],
    ]);
    expect(s.records.header!.byId.get('fileNumber')!.offset).toBe(81);
    expect(s.records.trailer!.byId.get('collectedTotal')!.offset).toBe(37);
    expect(d.byId.get('holderName')!.personal).toBe(true);
    expect(s.records.header!.byId.get('typeCode')!.values).toEqual(['51', '52']);
    const st = loadLayout('statement-03');
    expect(st.groups).toBe('many');
    expect(st.records.data!.byId.get('edi')!.offset).toBe(179);
    expect(st.records.end!.byId.get('accountCount')!.total).toBe('groups');
    expect(listLayouts().length).toBeGreaterThanOrEqual(2);
  });

  it('is cached (same object) and loadable by path', () => {
    expect(loadLayout('seizure-120')).toBe(loadLayout('seizure-120'));
    const byPath = loadLayout(path.join(formatsDir(), 'seizure-120.xml'));
    expect(byPath.id).toBe('seizure-120');
  });

  it('a third-party layout loads by path with no code change', () => {
    const z = loadLayout(path.join(FIX, 'zengin-furikae-120.xml'));
    expect(z.encoding).toBe('shift_jis');
    expect(z.records.data!.byId.get('customerNumber')!.offset).toBe(91);
  });

  it('unknown id → usage error listing the known layouts', () => {
    expect(() => loadLayout('no-such-bank')).toThrowError(/seizure-120/);
    try {
      loadLayout('no-such-bank');
    } catch (e) {
      expect((e as AppError).exit).toBe(2);
    }
  });
});

describe('SASHIOSAE_FORMATS', () => {
  afterEach(() => {
    delete process.env['SASHIOSAE_FORMATS'];
  });
  it('overrides the formats folder', () => {
    const dir = tmpDir();
    fs.copyFileSync(path.join(FIX, 'zengin-furikae-120.xml'), path.join(dir, 'zengin-furikae-120.xml'));
    process.env['SASHIOSAE_FORMATS'] = dir;
    expect(formatsDir()).toBe(dir);
    expect(listLayoutIds()).toEqual(['zengin-furikae-120']);
    expect(loadLayout('zengin-furikae-120').id).toBe('zengin-furikae-120');
  });
  it('refuses a file whose name is not <id>.xml', () => {
    const dir = tmpDir();
    fs.copyFileSync(path.join(FIX, 'zengin-furikae-120.xml'), path.join(dir, 'other.xml'));
    expect(() => loadLayout(path.join(dir, 'other.xml'))).toThrowError(/other\.xml/);
  });
});

describe('layout refusals (exit 2, naming file, record, field)', () => {
  it('accepts the minimal layout', () => {
    expect(compileLayoutXml(xml(DATA_OK), 't.xml').recordLength).toBe(10);
  });
  it('lengths not adding up: names the record and the byte difference', () => {
    const a = refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="C" length="7"/></record>'));
    expect(a.msg.en).toContain('kind="data"');
    expect(a.msg.en).toMatch(/8 bytes, 2 bytes less than recordLength 10/);
    const b = refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="C" length="12"/></record>'));
    expect(b.msg.ja).toMatch(/3 バイト超過/);
  });
  it('first field without const', () => {
    const a = refusal(xml('<record kind="data"><field id="k" type="N" length="1"/><field id="v" type="C" length="9"/></record>'));
    expect(a.location?.field).toBe('k');
  });
  it('const of the wrong length', () => {
    expect(refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="22"/><field id="v" type="C" length="9"/></record>')).msg.en).toMatch(/2 bytes but the field is 1/);
  });
  it('const not digits in an N field', () => {
    refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="A"/><field id="v" type="C" length="9"/></record>'));
  });
  it('J with an odd length', () => {
    const a = refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="J" length="9"/></record>'));
    expect(a.location?.field).toBe('v');
  });
  it('unknown attribute values and unknown attributes', () => {
    expect(refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="Q" length="9"/></record>')).msg.en).toMatch(/type/);
    expect(refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="C" length="9" class="fancy"/></record>')).msg.en).toMatch(/class/);
    expect(refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="C" length="9" colour="red"/></record>')).msg.en).toMatch(/unknown attribute colour/);
    expect(refusal(xml(DATA_OK, 'id="t" recordLength="10" encoding="utf8"')).msg.en).toMatch(/encoding/);
    refusal(xml('<record kind="middle"><field id="k" type="N" length="1" const="2"/></record>'));
  });
  it('duplicate field ids and duplicate record kinds', () => {
    expect(refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="k" type="C" length="9"/></record>')).msg.en).toMatch(/used twice/);
    expect(refusal(xml(DATA_OK + DATA_OK)).msg.en).toMatch(/defined twice/);
  });
  it('no data record; total outside trailer; sum without of; references to unknown fields', () => {
    refusal(xml('<record kind="header"><field id="k" type="N" length="1" const="1"/><field id="v" type="C" length="9"/></record>'));
    refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="N" length="9" total="count"/></record>'));
    const tr = (f: string) => xml(DATA_OK + `<record kind="trailer"><field id="k" type="N" length="1" const="8"/>${f}</record>`);
    refusal(tr('<field id="s" type="N" length="9" total="sum"/>'));
    expect(refusal(tr('<field id="s" type="N" length="9" total="sum" of="nope"/>')).msg.en).toMatch(/no field nope/);
    expect(refusal(tr('<field id="s" type="N" length="9" total="sum" of="v"/>')).msg.en).toMatch(/must be an N field/);
    refusal(tr('<field id="s" type="N" length="9" total="count" where="v~1"/>'));
    expect(refusal(tr('<field id="s" type="N" length="9" total="count" where="zz=1"/>')).msg.en).toMatch(/zz/);
    expect(compileLayoutXml(tr('<field id="s" type="N" length="9" total="count" where="v=AB"/>'), 'ok.xml').records.trailer!.byId.get('s')!.where).toEqual({ field: 'v', op: '=', value: 'AB', numeric: false });
  });
  it('records that cannot be told apart, format on the wrong type, bad XML', () => {
    refusal(xml('<record kind="header"><field id="k" type="N" length="1" const="2"/><field id="v" type="C" length="9"/></record>' + DATA_OK));
    refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="C" length="9" format="amount"/></record>'));
    refusal(xml('<record kind="data"><field id="k" type="N" length="1" const="2"/><field id="v" type="N" length="9" format="date-yyyymmdd"/></record>'));
    expect(refusal('<layout id="t"><record').msg.en).toMatch(/XML syntax error/);
  });
});

describe('detectLayout', () => {
  it('finds seizure-120 from the example file, and refuses what matches none', () => {
    const head = joinRecords(exampleRecords(), '\r\n');
    expect(detectLayout(head).id).toBe('seizure-120');
    expect(detectLayout(joinRecords(exampleRecords(), '')).id).toBe('seizure-120');
    const other = Buffer.from(head);
    other[1] = 0x35;
    other[2] = 0x34; // typeCode 54: neither 51/52 (seizure) nor 53/63 (instruction-120, issue 16)
    expect(() => detectLayout(other)).toThrowError(/statement-03/);
  });
  it('several matches → usage error listing them', () => {
    const s = loadLayout('seizure-120');
    const copy = { ...s, id: 'seizure-120-copy' };
    try {
      detectLayout(joinRecords(exampleRecords(), '\r\n'), [s, copy]);
      throw new Error('no error');
    } catch (e) {
      expect((e as AppError).exit).toBe(2);
      expect((e as AppError).msg.en).toContain('seizure-120, seizure-120-copy');
    }
  });
});
