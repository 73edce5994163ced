/**
 * The one spreadsheet writer (core/xlsx.ts, ADR 0175) beyond its sample: rows after the first
 * SAMPLE_ROWS go through the drain-waiting path and must all arrive, in order and typed;
 * two sheets in a row; an aborted workbook leaves nothing behind.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { MAX_WIDTH, SAMPLE_ROWS, YEN_FORMAT, openXlsx, type Cell, type SheetColumn } from '../../src/core/xlsx.js';

const COLUMNS: SheetColumn[] = [
  { header: '宛名番号', kind: 'text' },
  { header: '金額', kind: 'yen' },
  { header: '日付', kind: 'date' },
  { header: '備考', kind: 'text' },
];

function* rows(n: number): Generator<Cell[]> {
  for (let i = 0; i < n; i++) yield [String(i).padStart(7, '0'), i * 3, i % 2 === 0 ? '2026-12-01' : null, i === SAMPLE_ROWS + 10 ? 'あ'.repeat(100) : 'x'];
}

describe('core/xlsx writer', () => {
  it('streams rows past the sample, in order and typed; widths from the sample, capped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    const f = path.join(dir, 'w.xlsx');
    const n = SAMPLE_ROWS * 3 + 7;
    const x = openXlsx(f);
    expect(await x.sheet('一', COLUMNS, rows(n))).toBe(n);
    expect(await x.sheet('二', COLUMNS, rows(3))).toBe(3);
    await x.commit();
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(f);
    const ws = wb.getWorksheet('一')!;
    expect(ws.rowCount).toBe(n + 1);
    let sum = 0;
    let inOrder = true;
    ws.eachRow((row, r) => {
      if (r === 1) return;
      if (row.getCell(1).value !== String(r - 2).padStart(7, '0')) inOrder = false;
      sum += row.getCell(2).value as number;
    });
    expect(inOrder).toBe(true);
    expect(sum).toBe((3 * (n - 1) * n) / 2);
    const last = ws.getRow(n + 1);
    expect(last.getCell(2).numFmt).toBe(YEN_FORMAT);
    expect(ws.getRow(2).getCell(3).value).toEqual(new Date(Date.UTC(2026, 11, 1)));
    // the long text comes after the sample: the width is the header's (備考 = 4) + 3, not 200
    expect(ws.getColumn(4).width).toBe(7);
    expect(ws.getColumn(4).width).toBeLessThanOrEqual(MAX_WIDTH);
    expect(wb.getWorksheet('二')!.rowCount).toBe(4);
  });

  it('abort removes the temporary file and places nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    const f = path.join(dir, 'a.xlsx');
    const x = openXlsx(f);
    await x.sheet('一', COLUMNS, rows(10));
    x.abort();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
