import type { Command } from 'commander';
import { count } from '../core/table.js';
import { nowTokyoTimestamp } from '../core/dates.js';
import { getLang, t } from '../core/i18n.js';
import { openDb } from '../db/connection.js';
import { writeReportCsv } from '../report/csv.js';
import { renderHtml } from '../report/html.js';
import { buildReport, buildReportDetails } from '../report/model.js';
import { refuseExisting, writeOutputFile } from '../core/output-file.js';
import { renderTerminal } from '../report/terminal.js';
import { globals, printJson, say } from './context.js';
import { batchKindOf } from '../db/batches.js';
import type { Db } from '../db/connection.js';
import { buildInstructionReport, renderInstructionHtml, renderInstructionTerminal, writeInstructionReportCsv } from '../report/instruction.js';
import { writeReportXlsx } from '../report/xlsx.js';
import { conflict } from '../core/errors.js';
import { buildInquiryReport, renderInquiryHtml, renderInquiryTerminal, writeInquiryReportCsv } from '../report/inquiry.js';

/** The report of an inquiry batch: the same options, its own facts (report/inquiry.ts). */
function reportInquiry(db: Db, batchId: string, opts: { html?: string; csv?: string }, g: ReturnType<typeof globals>): void {
  const r = buildInquiryReport(db, batchId);
  if (opts.html !== undefined) refuseExisting(opts.html);
  if (opts.csv !== undefined) refuseExisting(opts.csv);
  if (g.json) printJson(r.json);
  else say(g, renderInquiryTerminal(r));
  if (opts.csv !== undefined) {
    const c = writeInquiryReportCsv(db, r, opts.csv, getLang());
    say(g, t({ ja: `CSV を書き出しました: ${opts.csv}（${count(c.rows)} 行）`, en: `CSV written: ${opts.csv} (${count(c.rows)} rows)` }));
  }
  if (opts.html !== undefined) {
    writeOutputFile(opts.html, renderInquiryHtml(r, nowTokyoTimestamp(), getLang()), { clobber: false });
    say(g, t({ ja: `HTML を書き出しました: ${opts.html}`, en: `HTML written: ${opts.html}` }));
  }
}

/** The report of an instruction batch: the same options, its own facts (report/instruction.ts). */
function reportInstruction(batchId: string, db: Db, opts: { html?: string; csv?: string }, g: ReturnType<typeof globals>): void {
  const r = buildInstructionReport(db, batchId);
  if (opts.html !== undefined) refuseExisting(opts.html);
  if (opts.csv !== undefined) refuseExisting(opts.csv);
  if (g.json) printJson(r.json);
  else say(g, renderInstructionTerminal(r));
  if (opts.csv !== undefined) {
    const c = writeInstructionReportCsv(r, opts.csv, getLang());
    say(g, t({ ja: `CSV を書き出しました: ${opts.csv}（${count(c.rows)} 行）`, en: `CSV written: ${opts.csv} (${count(c.rows)} rows)` }));
  }
  if (opts.html !== undefined) {
    writeOutputFile(opts.html, renderInstructionHtml(r, nowTokyoTimestamp(), getLang()), { clobber: false });
    say(g, t({ ja: `HTML を書き出しました: ${opts.html}`, en: `HTML written: ${opts.html}` }));
  }
}

/** --xlsx is the seizure report's workbook (ADR 0175): an inquiry or instruction batch refuses it (exit 4) before anything is written. */
function refuseXlsxOf(kind: 'inquiry' | 'instruction', batchId: string): never {
  const k = kind === 'inquiry' ? { ja: '照会', en: 'an inquiry' } : { ja: '取立指示', en: 'an instruction' };
  throw conflict('report.xlsx-kind', {
    ja: `バッチ ${batchId} は${k.ja}バッチです。--xlsx は差押バッチの報告だけを書き出します。--csv または --html を使ってください`,
    en: `Batch ${batchId} is ${k.en} batch. --xlsx writes the report of a seizure batch only; use --csv or --html`,
  });
}

/** `sashiosae report BATCH [--html F] [--csv F] [--xlsx F] [--json]` (cli.md). */
export function register(program: Command): void {
  program
    .command('report')
    .description('バッチの報告（画面・JSON・CSV・HTML） (batch report)')
    .argument('<batch>', 'バッチID / batch id')
    .option('--html <file>', 'HTML 報告書を書き出す（会計向け） / write the HTML report')
    .option('--csv <file>', '依頼レコードごとの CSV を書き出す / write one CSV row per request record')
    .option('--xlsx <file>', 'Excel ブック（概要・結果・収納・要確認）を書き出す / write the workbook (xlsx)')
    .action(async (batchId: string, opts: { html?: string; csv?: string; xlsx?: string }, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const kind = batchKindOf(db, batchId);
        if (opts.xlsx !== undefined && (kind === 'inquiry' || kind === 'instruction')) refuseXlsxOf(kind, batchId);
        if (kind === 'inquiry') {
          reportInquiry(db, batchId, opts, g);
          return;
        }
        if (kind === 'instruction') {
          reportInstruction(batchId, db, opts, g);
          return;
        }
        const report = buildReport(db, batchId);
        // refuse before writing anything
        if (opts.html !== undefined) refuseExisting(opts.html);
        if (opts.csv !== undefined) refuseExisting(opts.csv);
        if (opts.xlsx !== undefined) refuseExisting(opts.xlsx);
        const needDetails = !g.json || opts.html !== undefined || opts.xlsx !== undefined;
        const details = needDetails ? buildReportDetails(db, batchId, report) : undefined;
        if (g.json) printJson(report);
        else if (details !== undefined) say(g, renderTerminal(report, details));
        if (opts.csv !== undefined) {
          const c = writeReportCsv(db, batchId, opts.csv, getLang());
          say(g, t({ ja: `CSV を書き出しました: ${opts.csv}（${count(c.rows)} 行）`, en: `CSV written: ${opts.csv} (${count(c.rows)} rows)` }));
        }
        if (opts.html !== undefined && details !== undefined) {
          writeOutputFile(opts.html, renderHtml(report, details, nowTokyoTimestamp(), getLang()), { clobber: false });
          say(g, t({ ja: `HTML を書き出しました: ${opts.html}`, en: `HTML written: ${opts.html}` }));
        }
        if (opts.xlsx !== undefined && details !== undefined) {
          const x = await writeReportXlsx(db, batchId, report, details, opts.xlsx, getLang());
          say(
            g,
            t({
              ja: `Excel ブックを書き出しました: ${opts.xlsx}（結果 ${count(x.records)} 行・収納 ${count(x.receipts)} 行）`,
              en: `Workbook written: ${opts.xlsx} (${count(x.records)} result rows, ${count(x.receipts)} receipt rows)`,
            }),
          );
        }
      } finally {
        db.close();
      }
    });
}
