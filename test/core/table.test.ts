/**
 * Issue 13, newcomer friction: terminal tables were padded by characters, so columns
 * after Japanese text (two columns per 漢字) did not line up; counts lacked thousands
 * separators; the demo's progress said `2000/31361 (0%)`.
 */
import stringWidth from 'string-width';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { count, formatTable, padEndW, padStartW } from '../../src/core/table.js';
import { createProgress } from '../../src/core/progress.js';
import { renderTerminal } from '../../src/report/terminal.js';
import type { ReportDetails, ReportJson } from '../../src/report/model.js';
import { setLang } from '../../src/core/i18n.js';

/** Display column where `needle` starts in `line`. */
const col = (line: string, needle: string): number => stringWidth(line.slice(0, line.indexOf(needle)));

describe('terminal tables by display width', () => {
  it('pads Japanese, half-width kana and ASCII cells to the same display columns', () => {
    const lines = formatTable(
      [
        ['01', '差押（全額）', '1,234', 'A'],
        ['14', '名義・生年月日不一致', '7', 'B'],
        ['99', 'ｿﾉﾀ', '12', 'C'],
      ],
      ['left', 'left', 'right', 'left'],
    );
    expect(new Set(lines.map((l) => col(l, l.at(-1)!))).size).toBe(1);
    expect(new Set(lines.map((l) => stringWidth(l))).size).toBe(1);
    expect(padEndW('差押', 6)).toBe('差押  ');
    expect(padStartW('ｶﾅ', 4)).toBe('  ｶﾅ');
  });

  it('groups counts by thousands', () => {
    expect(count(31361)).toBe('31,361');
    expect(count(7)).toBe('7');
  });
});

describe('report on the terminal', () => {
  afterEach(() => setLang('ja'));
  it('lines up the result-code rows whatever the label length, counts grouped', () => {
    setLang('ja');
    const r = {
      batchId: '0184-00000001', bankCode: '0184', fileNumber: 1, state: 'results-imported',
      requested: { requests: 12345, records: 23456, limitTotal: 1 },
      results: { '01': { records: 1234, seized: 1, collected: 1 }, '14': { records: 5, seized: 0, collected: 0 }, '11': { records: 10000, seized: 0, collected: 0 } },
      seized: { records: 1234, amount: 1 }, collected: { records: 1234, amount: 1 },
      receipts: { count: 2345, honzei: 0, entaikin: 0, fee: 0, total: 0 }, overpayment: 0,
      statement: { deposit: null, difference: null, matched: null },
    } as ReportJson;
    const d = { executionDate: '2026-12-01', collectionMode: 'immediate', policy: null, statementImported: false, byDate: [], receiptsByTax: [], overpayments: { count: 0, rows: [] }, anomalies: [] } as unknown as ReportDetails;
    const out = renderTerminal(r, d).split('\n');
    const rows = out.filter((l) => /^ {2}(01|11|14) /.test(l));
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((l) => col(l, '差押 ¥'))).size).toBe(1);
    expect(rows.join('\n')).toContain('1,234');
    expect(rows.join('\n')).toContain('10,000');
    expect(out.join('\n')).toContain('12,345');
    expect(out.join('\n')).toContain('2,345');
  });
});

describe('progress lines (not a terminal)', () => {
  it('shows the real percentage and grouped counts: 2,000/31,361 (6%)', () => {
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (lines.push(String(s)), true));
    const tty = process.stderr.isTTY;
    (process.stderr as { isTTY: boolean }).isTTY = false;
    try {
      const p = createProgress();
      p.start('取込', 31361);
      p.update(2000);
      p.update(31361);
    } finally {
      (process.stderr as { isTTY: boolean | undefined }).isTTY = tty;
      spy.mockRestore();
    }
    expect(lines).toEqual(['取込: 2,000/31,361 (6%)\n', '取込: 31,361/31,361 (100%)\n']);
  });
});

describe('the demo summary', () => {
  it('groups its counts by thousands', async () => {
    const { demoSummary } = await import('../../src/demo/cycle.js');
    const s = demoSummary({ dir: '/d', db: '/d/x.db', today: '2026-11-24', inquiryBaseDate: '2026-11-24', processingDate: '2026-12-01', taxpayers: 31361, notInquired: { 'status-bankrupt': 23456 }, inquiryBatches: [], excluded: { 'no-account-at-bank': 12345 }, batches: [], mainReport: '/d/r.html', holds: [] });
    expect(s).toContain('31,361');
    expect(s).toContain('12,345');
    expect(s).toContain('23,456');
  });

  it("names inquire's name-not-writable as the 氏名カナ it is, extract's as the holder name", async () => {
    const { demoSummary } = await import('../../src/demo/cycle.js');
    const s = demoSummary({ dir: '/d', db: '/d/x.db', today: '2026-11-24', inquiryBaseDate: '2026-11-24', processingDate: '2026-12-01', taxpayers: 10, notInquired: { 'name-not-writable': 3 }, inquiryBatches: [], excluded: { 'name-not-writable': 2 }, batches: [], mainReport: '/d/r.html', holds: [] });
    expect(s).toContain('氏名カナを半角カナ40バイト以内で書けない [name-not-writable]: 3');
    expect(s).toContain('口座名義を半角カナにできない [name-not-writable]: 2');
  });
});
