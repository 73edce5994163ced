import { describe, expect, it } from 'vitest';
import { checkResultRecords, type DecodedRecord } from '../../src/steps/import-results/result-rules.js';
import type { FieldDef, Layout, RecordDef, RecordKind } from '../../src/layout/types.js';

/** A layout with the seizure-120 offsets (spec tables), enough for the pure rules. */
function stubLayout(): Layout {
  const def = (kind: RecordKind, fields: Array<[string, number, number]>): RecordDef => {
    const fs: FieldDef[] = fields.map(([id, offset, length]) => ({
      id, offset, length, name: undefined, type: 'N', const: undefined, constBytes: undefined, values: undefined,
      filler: false, class: 'party', format: undefined, total: undefined, of: undefined, oncePer: undefined,
      where: undefined, personal: false, blankAllowed: false, valueNumbers: undefined,
    }));
    return { kind, fields: fs, byId: new Map(fs.map((f) => [f.id, f])), first: fs[0]! };
  };
  const header = def('header', [['dataKubun', 0, 1], ['typeCode', 1, 2], ['executionDate', 54, 8], ['collectionMode', 89, 1]]);
  const data = def('data', [
    ['dataKubun', 0, 1], ['requestNumber', 1, 10], ['subNumber', 11, 2], ['limitAmount', 62, 12], ['resultCode', 74, 2],
    ['seizedAmount', 76, 12], ['collectedAmount', 88, 12], ['collectionDate', 100, 8],
  ]);
  const trailer = def('trailer', [['dataKubun', 0, 1], ['recordCount', 1, 6], ['limitTotal', 7, 12], ['seizedCount', 19, 6], ['seizedTotal', 25, 12], ['collectedTotal', 37, 12]]);
  return {
    id: 'stub', name: undefined, source: undefined, file: 'stub.xml', recordLength: 120, encoding: 'cp932', separator: 'crlf', groups: 'one',
    records: { header, data, trailer }, recordList: [header, data, trailer],
  };
}

const p = (n: number, len: number) => String(n).padStart(len, '0');

interface D { req: number; sub: number; limit: number; code: string; seized: number; collected?: number; date?: string }

/** Records with offsets as in a CRLF file (122 bytes per record). */
function file(mode: '1' | '2', data: D[], trailerOverride: Partial<Record<string, string>> = {}, exec = '20261201'): DecodedRecord[] {
  const recs: DecodedRecord[] = [];
  let i = 0;
  const push = (kind: RecordKind, fields: Record<string, string>) => {
    recs.push({ index: i, offset: i * 122, kind, fields });
    i++;
  };
  push('header', { dataKubun: '1', typeCode: '52', executionDate: exec, collectionMode: mode });
  let limitTotal = 0;
  let last = -1;
  let sc = 0, st = 0, ct = 0;
  for (const d of data) {
    const collected = d.collected ?? (mode === '1' ? d.seized : 0);
    const date = d.date ?? (collected > 0 ? exec : '00000000');
    if (d.req !== last) limitTotal += d.limit;
    last = d.req;
    if (d.seized > 0) sc++;
    st += d.seized;
    ct += collected;
    push('data', {
      dataKubun: '2', requestNumber: p(d.req, 10), subNumber: p(d.sub, 2), limitAmount: p(d.limit, 12), resultCode: d.code,
      seizedAmount: p(d.seized, 12), collectedAmount: p(collected, 12), collectionDate: date,
    });
  }
  push('trailer', {
    dataKubun: '8', recordCount: p(data.length, 6), limitTotal: p(limitTotal, 12), seizedCount: p(sc, 6), seizedTotal: p(st, 12), collectedTotal: p(ct, 12),
    ...trailerOverride,
  } as Record<string, string>);
  return recs;
}

const layout = stubLayout();
const check = (recs: DecodedRecord[]) => checkResultRecords(layout, recs);

describe('result rules 3–6', () => {
  it('accepts a well-formed immediate-collection file', () => {
    const recs = file('1', [
      { req: 1, sub: 1, limit: 100_000, code: '02', seized: 30_000 },
      { req: 1, sub: 2, limit: 100_000, code: '01', seized: 70_000 },
      { req: 1, sub: 3, limit: 100_000, code: '31', seized: 0 },
      { req: 2, sub: 1, limit: 5_000, code: '21', seized: 1_000 },
      { req: 3, sub: 1, limit: 8_000, code: '11', seized: 0 },
    ]);
    expect(check(recs)).toEqual([]);
  });

  it('rule 3: code 00, unknown code, seized on a non-seizing code, 01 without amount', () => {
    const recs = file('1', [
      { req: 1, sub: 1, limit: 100_000, code: '00', seized: 0 },
      { req: 2, sub: 1, limit: 100_000, code: '05', seized: 0 },
      { req: 3, sub: 1, limit: 100_000, code: '11', seized: 500 },
      { req: 4, sub: 1, limit: 100_000, code: '01', seized: 0 },
    ]);
    const f = check(recs);
    expect(f.map((x) => [x.code, x.record, x.offset, x.field, x.expected, x.found])).toEqual([
      ['result.code-unprocessed', 1, 122 + 74, 'resultCode', '01,02,11,12,13,14,21,22,31,99', '00'],
      ['result.code-unknown', 2, 244 + 74, 'resultCode', '01,02,11,12,13,14,21,22,31,99', '05'],
      ['result.seized-not-allowed', 3, 366 + 76, 'seizedAmount', '000000000000', '000000000500'],
      ['result.seized-missing', 4, 488 + 76, 'seizedAmount', '> 0', '000000000000'],
    ]);
    for (const x of f) expect(x.message.ja.length).toBeGreaterThan(0);
  });

  it('rule 4: over-seizure is reported once, at the record crossing the limit', () => {
    const recs = file('1', [
      { req: 7, sub: 1, limit: 50_000, code: '02', seized: 40_000 },
      { req: 7, sub: 2, limit: 50_000, code: '01', seized: 20_000 },
      { req: 7, sub: 3, limit: 50_000, code: '21', seized: 1 },
    ]);
    const f = check(recs);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'result.over-seizure', record: 2, offset: 244 + 76, field: 'seizedAmount', expected: '≤ 10000', found: '000000020000' });
  });

  it('rule 5 immediate: collected ≠ seized, date on a holiday, before execution, date without money', () => {
    const recs = file('1', [
      { req: 1, sub: 1, limit: 9_000, code: '01', seized: 9_000, collected: 8_000 },
      { req: 2, sub: 1, limit: 9_000, code: '01', seized: 9_000, date: '20261205' }, // Saturday
      { req: 3, sub: 1, limit: 9_000, code: '01', seized: 9_000, date: '20261130' }, // before execution
      { req: 4, sub: 1, limit: 9_000, code: '11', seized: 0, date: '20261201' },
      { req: 5, sub: 1, limit: 9_000, code: '01', seized: 9_000, date: '20261203' }, // fine: later business day
    ]);
    const f = check(recs);
    expect(f.map((x) => [x.code, x.record, x.field])).toEqual([
      ['result.collected-differs', 1, 'collectedAmount'],
      ['result.date-not-business-day', 2, 'collectionDate'],
      ['result.date-before-execution', 3, 'collectionDate'],
      ['result.date-without-collection', 4, 'collectionDate'],
    ]);
    expect(f[0]).toMatchObject({ offset: 122 + 88, expected: '000000009000', found: '000000008000' });
    expect(f[1]).toMatchObject({ offset: 244 + 100, found: '20261205' });
  });

  it('rule 5 deferred: nothing collected and no date', () => {
    expect(check(file('2', [{ req: 1, sub: 1, limit: 9_000, code: '01', seized: 9_000 }]))).toEqual([]);
    const f = check(file('2', [{ req: 1, sub: 1, limit: 9_000, code: '01', seized: 9_000, collected: 9_000, date: '20261201' }]));
    expect(f.map((x) => x.code)).toEqual(['result.collected-while-deferred', 'result.date-while-deferred']);
  });

  it('rule 6: trailer total off by ¥1,200 names the trailer field and the difference', () => {
    const recs = file('1', [{ req: 1, sub: 1, limit: 10_000, code: '01', seized: 10_000 }], { seizedTotal: p(11_200, 12) });
    const f = check(recs);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ code: 'result.trailer-total', record: 2, offset: 244 + 25, field: 'seizedTotal', expected: '000000010000', found: '000000011200' });
    expect(f[0]!.message.ja).toContain('¥1,200');
    expect(f[0]!.message.en).toContain('¥1,200');
  });

  it('rule 6: limit total counts each request once; counts and collected total checked', () => {
    const recs = file('1', [
      { req: 1, sub: 1, limit: 10_000, code: '02', seized: 1_000 },
      { req: 1, sub: 2, limit: 10_000, code: '11', seized: 0 },
    ], { recordCount: p(3, 6), limitTotal: p(20_000, 12), seizedCount: p(2, 6), collectedTotal: p(0, 12) });
    expect(check(recs).map((x) => x.field)).toEqual(['recordCount', 'limitTotal', 'seizedCount', 'collectedTotal']);
  });

  it('structure: 枝番 gap, first 枝番 not 01, limit differing, request not consecutive', () => {
    const recs = file('1', [
      { req: 1, sub: 1, limit: 10_000, code: '11', seized: 0 },
      { req: 1, sub: 3, limit: 10_000, code: '11', seized: 0 },
      { req: 2, sub: 2, limit: 10_000, code: '11', seized: 0 },
      { req: 2, sub: 3, limit: 12_000, code: '11', seized: 0 },
      { req: 1, sub: 4, limit: 10_000, code: '11', seized: 0 },
    ], { limitTotal: p(30_000, 12) });
    const f = check(recs);
    expect(f.map((x) => [x.code, x.record, x.field])).toEqual([
      ['result.sub-sequence', 2, 'subNumber'],
      ['result.sub-sequence', 3, 'subNumber'],
      ['result.limit-differs', 4, 'limitAmount'],
      ['result.request-not-consecutive', 5, 'requestNumber'],
      ['result.sub-sequence', 5, 'subNumber'],
    ]);
  });

  it('engine mode leaves declared trailer totals to the engine', () => {
    const lay = stubLayout();
    const t = lay.records.trailer!.byId.get('seizedTotal')! as { total: string | undefined };
    t.total = 'sum';
    const recs = file('1', [{ req: 1, sub: 1, limit: 10_000, code: '01', seized: 10_000 }], { seizedTotal: p(1, 12), collectedTotal: p(2, 12) });
    const f = checkResultRecords(lay, recs, { engine: true });
    expect(f.map((x) => x.field)).toEqual(['collectedTotal']);
  });
});
