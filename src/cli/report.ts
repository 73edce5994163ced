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

/** `sashiosae report BATCH [--html F] [--csv F] [--json]` (cli.md). */
export function register(program: Command): void {
  program
    .command('report')
    .description('バッチの報告（画面・JSON・CSV・HTML） (batch report)')
    .argument('<batch>', 'バッチID / batch id')
    .option('--html <file>', 'HTML 報告書を書き出す（会計向け） / write the HTML report')
    .option('--csv <file>', '依頼レコードごとの CSV を書き出す / write one CSV row per request record')
    .action((batchId: string, opts: { html?: string; csv?: string }, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        if (batchKindOf(db, batchId) === 'inquiry') {
          reportInquiry(db, batchId, opts, g);
          return;
        }
        if (batchKindOf(db, batchId) === 'instruction') {
          reportInstruction(batchId, db, opts, g);
          return;
        }
        const report = buildReport(db, batchId);
        // refuse before writing anything
        if (opts.html !== undefined) refuseExisting(opts.html);
        if (opts.csv !== undefined) refuseExisting(opts.csv);
        const needDetails = !g.json || opts.html !== undefined;
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
      } finally {
        db.close();
      }
    });
}
