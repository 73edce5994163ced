/**
 * Spreadsheets (issue 17 item 2, ADR 0175): `report --xlsx` and `export receipts --xlsx`
 * read back with exceljs equal the report's JSON and the receipts CSV; identifiers keep
 * their leading zeros as text; header frozen, autofilter, yen format, 0600, never clobbered.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors.js';
import { DATE_FORMAT, YEN_FORMAT } from '../../src/core/xlsx.js';
import { buildReport, buildReportDetails, type ReportJson } from '../../src/report/model.js';
import { REPORT_SHEETS, writeReportXlsx } from '../../src/report/xlsx.js';
import { exportReceipts, exportReceiptsXlsx } from '../../src/steps/export-receipts/index.js';
import { importResults } from '../../src/steps/import-results/index.js';
import { reconcile } from '../../src/steps/reconcile/reconcile.js';
import { deferredSeizure, instructionBatch, resultRecords, writeInstructionResult } from '../helpers/instruction-fixture.js';
import { inquiryBatch } from '../helpers/inquiry-batch.js';
import { batch, debt, deposit, newDb, request, statementImport } from '../reconcile/helpers.js';
import { built, cli } from '../cli/helpers.js';

const ATENA = '0000123';

/** A reconciled batch: 宛名番号 0000123 (leading zeros) seized and collected on two accounts, a second taxpayer, a 残高なし record. */
function scenario() {
  const { db, dir, file } = newDb();
  debt(db, { chotei: '0000456', atena: ATENA, due: '2021-05-31', honzei: 65000, fee: 100, taxCode: '01', taxName: '市県民税' });
  debt(db, { chotei: '0000789', atena: '0200001', due: '2024-05-31', honzei: 80000, honzeiPaid: 20000, entaikinKind: 1, taxCode: '02', taxName: '固定資産税' });
  const b = batch(db);
  request(db, b, 1, ATENA, ['0000456'], [{ collected: 40000, date: '2022-01-31', result: '02', account: '0012345' }, { collected: 30000, date: '2022-01-31', result: '01' }], 70000);
  request(db, b, 2, '0200001', ['0000789'], [{ collected: 0, seized: 0, result: '11' }, { collected: 10000, date: '2022-02-01', result: '02' }], 60000);
  const imp = statementImport(db);
  deposit(db, imp, { inquiry: '00000011', date: '2022-01-31', amount: 70000 });
  deposit(db, imp, { inquiry: '00000012', date: '2022-02-01', amount: 10000 });
  reconcile(db, b);
  return { db, dir, file, b };
}

async function read(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

/** A sheet's data rows as arrays (1-based cells dropped to 0-based), header first. */
function table(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const vals: unknown[] = [];
    for (let c = 1; c <= ws.columnCount; c++) vals.push(row.getCell(c).value ?? null);
    out.push(vals);
  });
  return out;
}

function column(rows: unknown[][], header: string): unknown[] {
  const i = (rows[0] as string[]).indexOf(header);
  expect(i, header).toBeGreaterThanOrEqual(0);
  return rows.slice(1).map((r) => r[i]);
}

const sum = (xs: unknown[]): number => xs.reduce<number>((a, x) => a + (typeof x === 'number' ? x : 0), 0);

/** The JSON's value at a dotted key (results.01.seized). */
function at(r: ReportJson, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], r);
}

function checkSheetShape(ws: ExcelJS.Worksheet): void {
  expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(ws.autoFilter).toBeTruthy();
  expect(JSON.stringify(ws.autoFilter)).toContain('1');
}

describe('report --xlsx', () => {
  it('its sheets hold the JSON figures, the CSV rows and the receipts; 宛名番号 0000123 as text; frozen header, autofilter, yen format; 0600', async () => {
    const { db, dir, b } = scenario();
    const r = buildReport(db, b);
    const d = buildReportDetails(db, b, r);
    const f = path.join(dir, 'r.xlsx');
    const w = await writeReportXlsx(db, b, r, d, f, 'ja');
    expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect(w).toEqual({ records: r.requested.records, receipts: r.receipts.count });
    const wb = await read(f);
    expect(wb.worksheets.map((s) => s.name)).toEqual([REPORT_SHEETS.summary, REPORT_SHEETS.results, REPORT_SHEETS.receipts, REPORT_SHEETS.review]);
    for (const ws of wb.worksheets) checkSheetShape(ws);

    // 概要: every figure by its JSON key
    const summary = table(wb.getWorksheet(REPORT_SHEETS.summary)!);
    expect(summary[0]).toEqual(['項目', '件数', '金額', '値', 'キー']);
    const byKey = new Map(summary.slice(1).map((row) => [row[4] as string, row] as const));
    for (const key of ['requested.requests', 'requested.records', 'seized.records', 'collected.records', 'receipts.count', 'results.01.records', 'results.02.records', 'results.11.records']) {
      expect(byKey.get(key)?.[1], key).toBe(at(r, key));
    }
    for (const key of ['requested.limitTotal', 'seized.amount', 'collected.amount', 'receipts.honzei', 'receipts.entaikin', 'receipts.fee', 'receipts.total', 'overpayment', 'statement.deposit', 'statement.difference', 'results.01.seized', 'results.02.collected']) {
      expect(byKey.get(key)?.[2], key).toBe(at(r, key));
    }
    expect(byKey.get('batchId')?.[3]).toBe(b);
    expect(byKey.get('statement.matched')?.[3]).toBe('一致');
    expect(r.receipts.total).toBeGreaterThan(0);

    // 結果: the records, per result code as the JSON counts them, seized and collected summing to its totals
    const ws = wb.getWorksheet(REPORT_SHEETS.results)!;
    const results = table(ws);
    expect(results.length - 1).toBe(r.requested.records);
    const codes = column(results, '結果コード');
    for (const [code, v] of Object.entries(r.results)) expect(codes.filter((c) => c === code).length, code).toBe(v.records);
    expect(sum(column(results, '差押金額'))).toBe(r.seized.amount);
    expect(sum(column(results, '取立金額'))).toBe(r.collected.amount);
    expect(sum(column(results, '充当本税'))).toBe(r.receipts.honzei);
    expect(column(results, '宛名番号')[0]).toBe(ATENA);
    expect(column(results, '口座番号')[0]).toBe('0012345');
    expect(column(results, '支店番号')[0]).toBe('001');
    expect(column(results, '取立日')[0]).toEqual(new Date(Date.UTC(2022, 0, 31)));
    const header = results[0] as string[];
    const seizedCell = ws.getRow(2).getCell(header.indexOf('差押金額') + 1);
    expect(seizedCell.value).toBe(40000);
    expect(seizedCell.numFmt).toBe(YEN_FORMAT);
    expect(ws.getRow(2).getCell(header.indexOf('取立日') + 1).numFmt).toBe(DATE_FORMAT);
    expect(ws.getRow(2).getCell(header.indexOf('宛名番号') + 1).type).toBe(ExcelJS.ValueType.String);
    // widths count wide characters as 2: the Japanese header fits
    const detail = header.indexOf('充当内訳(調定番号:本税/延滞金/督促手数料)');
    expect(ws.getColumn(detail + 1).width).toBeGreaterThanOrEqual(Math.min(60, stringWidth(header[detail]!)));
    expect(ws.getColumn(header.indexOf('結果') + 1).width).toBeGreaterThanOrEqual(stringWidth('一部差押') + 1);

    // 収納: the receipts, summing to the JSON's
    const receipts = table(wb.getWorksheet(REPORT_SHEETS.receipts)!);
    expect(receipts.length - 1).toBe(r.receipts.count);
    expect(sum(column(receipts, '本税'))).toBe(r.receipts.honzei);
    expect(sum(column(receipts, '延滞金'))).toBe(r.receipts.entaikin);
    expect(sum(column(receipts, '督促手数料'))).toBe(r.receipts.fee);
    expect(column(receipts, '宛名番号')).toContain(ATENA);
    expect(column(receipts, '調定番号')).toContain('0000456');

    // 要確認: one row per anomaly
    expect(table(wb.getWorksheet(REPORT_SHEETS.review)!).length - 1).toBe(d.anomalies.length);
  });

  it('an existing output is refused (exit 4) and left as it was', async () => {
    const { db, dir, b } = scenario();
    const f = path.join(dir, 'r.xlsx');
    fs.writeFileSync(f, 'mine');
    const r = buildReport(db, b);
    const e = await writeReportXlsx(db, b, r, buildReportDetails(db, b, r), f, 'ja').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).exit).toBe(4);
    expect(fs.readFileSync(f, 'utf8')).toBe('mine');
    expect(fs.readdirSync(dir).filter((x) => x.endsWith('.tmp'))).toEqual([]);
  });

  it('a held batch: 結果 carries held, collected and released per record with the protected amount; 概要 the holds totals', async () => {
    const { db, dir } = newDb();
    const s = deferredSeizure(db, dir);
    const first = s.holds[0]!;
    db.prepare('UPDATE request_records SET protected_amount = ? WHERE request_id = ? AND sub_number = ?').run(first.seized, first.requestId, first.subNumber);
    const m = instructionBatch(db, s.batchId, { holds: s.holds.map((h, i) => (i === 0 ? { ...h, proposal: 0 } : h)) });
    importResults(db, writeInstructionResult(path.join(dir, 'R.DAT'), m, resultRecords(m)));
    reconcile(db, s.batchId);
    const r = buildReport(db, s.batchId);
    const f = path.join(dir, 'h.xlsx');
    await writeReportXlsx(db, s.batchId, r, buildReportDetails(db, s.batchId, r), f, 'ja');
    const wb = await read(f);
    const summary = table(wb.getWorksheet(REPORT_SHEETS.summary)!);
    const byKey = new Map(summary.slice(1).map((row) => [row[4] as string, row] as const));
    for (const k of ['held', 'collected', 'released'] as const) {
      expect(byKey.get(`holds.${k}.records`)?.[1]).toBe(r.holds![k].records);
      expect(byKey.get(`holds.${k}.amount`)?.[2]).toBe(r.holds![k].amount);
    }
    const results = table(wb.getWorksheet(REPORT_SHEETS.results)!);
    expect(sum(column(results, '解除額'))).toBe(r.holds!.released.amount);
    expect(sum(column(results, '指示取立金額'))).toBe(r.holds!.collected.amount);
    expect(sum(column(results, '差押禁止額(照会時)'))).toBeGreaterThanOrEqual(first.seized);
    const row = results.slice(1).find((x) => x[1] === first.requestNumber && x[2] === first.subNumber)!;
    expect(row[(results[0] as string[]).indexOf('解除額')]).toBe(first.seized);
  });
});

describe('export receipts --xlsx', () => {
  it('its rows equal the CSV export rows (dates as dates, amounts as numbers, identifiers as text)', async () => {
    const { db, dir, b } = scenario();
    const csv = path.join(dir, 'r.csv');
    const xlsx = path.join(dir, 'r.xlsx');
    exportReceipts(db, b, csv);
    const x = await exportReceiptsXlsx(db, b, xlsx);
    expect(fs.statSync(xlsx).mode & 0o777).toBe(0o600);
    const csvRows = parse(fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, '')) as string[][];
    const ws = (await read(xlsx)).getWorksheet('収納')!;
    checkSheetShape(ws);
    const rows = table(ws).map((row) => row.map((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v === null ? '' : String(v))));
    expect(rows).toEqual(csvRows);
    expect(x.receipts).toBe(csvRows.length - 1);
    expect(ws.getRow(2).getCell(4).numFmt).toBe(YEN_FORMAT);
    expect(typeof ws.getRow(2).getCell(4).value).toBe('number');
    expect(rows.some((row) => row[1] === ATENA)).toBe(true);
    await expect(exportReceiptsXlsx(db, b, xlsx)).rejects.toMatchObject({ exit: 4, code: 'output.exists' });
  });
});

describe.skipIf(!built)('CLI --xlsx', () => {
  it('report --xlsx with --csv and --html writes all three; again exit 4; export receipts --xlsx without --out; neither: exit 2', () => {
    const { db, dir, file, b } = scenario();
    db.close();
    const [x, c, h] = ['r.xlsx', 'r.csv', 'r.html'].map((n) => path.join(dir, n)) as [string, string, string];
    const ok = cli(['--db', file, 'report', b, '--xlsx', x, '--csv', c, '--html', h]);
    expect(ok.status, ok.stderr).toBe(0);
    for (const f of [x, c, h]) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
    expect(ok.stdout).not.toContain('ﾔﾏﾀﾞ');
    const again = cli(['--db', file, 'report', b, '--xlsx', x]);
    expect(again.status).toBe(4);
    const rx = path.join(dir, 'receipts.xlsx');
    const e = cli(['--db', file, 'export', 'receipts', b, '--xlsx', rx]);
    expect(e.status, e.stderr).toBe(0);
    expect(fs.existsSync(rx)).toBe(true);
    expect(cli(['--db', file, 'export', 'receipts', b]).status).toBe(2);
  });

  it('an inquiry batch refuses --xlsx (exit 4) and writes nothing', () => {
    const { db, dir, file } = newDb();
    const q = inquiryBatch(db);
    db.close();
    const x = path.join(dir, 'q.xlsx');
    const res = cli(['--db', file, 'report', q.id, '--xlsx', x]);
    expect(res.status).toBe(4);
    expect(res.stderr).toContain('--xlsx');
    expect(fs.existsSync(x)).toBe(false);
  });
});
