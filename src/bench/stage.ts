/**
 * One stage of the cycle benchmark, run in its own child process so that its
 * peak RSS is its own: `node dist/bench/stage.js <stage> <workdir> <records>`.
 * Prints one JSON line: { stage, seconds, maxRssMB, ... }. `seconds` times the
 * step itself (not Node's start-up).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { answerInquiries, requestLayout, simulateBank } from '../bank-sim/index.js';
import { printDocuments } from '../steps/documents/index.js';
import { extract } from '../steps/extract/index.js';
import { importAnswers } from '../steps/import-answers/index.js';
import { importResults } from '../steps/import-results/index.js';
import { inquire } from '../steps/inquire/index.js';
import { importTargets } from '../steps/import-targets/index.js';
import { reconcile } from '../steps/reconcile/index.js';
import { exportReceiptsXlsx } from '../steps/export-receipts/index.js';
import { writeReportXlsx } from '../report/xlsx.js';
import { writeBatch } from '../steps/write/index.js';
import { nowTokyoTimestamp } from '../core/dates.js';
import { openDb } from '../db/connection.js';
import { generateExport } from '../demo/generate.js';
import { writeReportCsv } from '../report/csv.js';
import { renderHtml } from '../report/html.js';
import { buildReport, buildReportDetails } from '../report/model.js';
import { writeOutputFile } from '../core/output-file.js';
import { loadSettingsFile } from '../settings/index.js';
import Database from 'better-sqlite3';

export const BENCH_DATE = '2026-12-01';
export const BENCH_BANK = '0184';

const [stage, workArg, recordsArg] = process.argv.slice(2);
if (!stage || !workArg) {
  process.stderr.write('usage: stage.js <stage> <workdir> <records>\n');
  process.exit(2);
}
const work: string = workArg;
const records = Number(recordsArg ?? '0');
const dbPath = path.join(work, 'bench.db');
const dirs = { export: path.join(work, 'export'), usb: path.join(work, 'usb'), bank: path.join(work, 'bank'), reports: path.join(work, 'reports') };

function batchIds(db: ReturnType<typeof openDb>): string[] {
  return (db.prepare("SELECT id FROM batches WHERE state <> 'cancelled' ORDER BY id").all() as Array<{ id: string }>).map((r) => r.id);
}

/** The request files the write stage placed, in name order. */
function requestFiles(): string[] {
  return fs.readdirSync(dirs.usb).filter((x) => x.endsWith('.DAT')).sort();
}

/**
 * The inquiry stages (issue 15 item 7) ask on BENCH_DATE, which must not be before
 * "today" (inquiry-300.md): the bench's today is that date, as the generator's books'
 * today is (their balances are the processing date's). Set for the inquiry stages only.
 */
function benchToday(): void {
  process.env['SASHIOSAE_TODAY'] = BENCH_DATE;
}

async function main(): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const extra: Record<string, unknown> = {};
  switch (stage) {
    case 'generate': {
      const g = await generateExport({ outDir: dirs.export, records, profile: 'bench', banks: [BENCH_BANK, '0005'], processingDate: BENCH_DATE });
      extra['taxpayers'] = g.taxpayers;
      extra['debts'] = g.debts;
      extra['accounts'] = g.accounts;
      break;
    }
    case 'generateInquiry': {
      // N taxpayers of the bench profile (each asked once, at the one bank) and the bank's
      // account book: half of them with one account, about five transactions each (ADR 0135)
      const g = await generateExport({ outDir: dirs.export, taxpayers: records, profile: 'bench', banks: [BENCH_BANK], processingDate: BENCH_DATE, books: true });
      extra['taxpayers'] = g.taxpayers;
      extra['debts'] = g.debts;
      extra['bookAccounts'] = g.books?.accountsByBank[BENCH_BANK] ?? 0;
      extra['bookTransactions'] = g.books?.transactions ?? 0;
      break;
    }
    case 'inquirySetup': {
      // not a timed stage of the inquiry cycle: the targets the inquiry reads (no --accounts)
      const db = openDb(dbPath);
      loadSettingsFile(db, path.join(dirs.export, 'settings.json'), 'bench');
      const s = await importTargets(db, {
        taxpayers: path.join(dirs.export, 'taxpayers.csv'),
        debts: path.join(dirs.export, 'debts.csv'),
        payments: path.join(dirs.export, 'payments.csv'),
        asOf: BENCH_DATE,
        operator: 'bench',
      });
      extra['taxpayers'] = s.taxpayers;
      db.close();
      break;
    }
    case 'inquire': {
      benchToday();
      const db = openDb(dbPath);
      const r = inquire(db, { date: BENCH_DATE, banks: [BENCH_BANK], operator: 'bench' });
      extra['inquiries'] = r.batches.reduce((a, b) => a + b.inquiries, 0);
      extra['files'] = r.batches.reduce((a, b) => a + b.fileNumbers.length, 0);
      db.close();
      break;
    }
    case 'importTargets': {
      const db = openDb(dbPath);
      loadSettingsFile(db, path.join(dirs.export, 'settings.json'), 'bench');
      const s = await importTargets(db, {
        taxpayers: path.join(dirs.export, 'taxpayers.csv'),
        debts: path.join(dirs.export, 'debts.csv'),
        accounts: path.join(dirs.export, 'accounts.csv'),
        payments: path.join(dirs.export, 'payments.csv'),
        asOf: BENCH_DATE,
        operator: 'bench',
      });
      extra['rows'] = s.taxpayers + s.debts + s.accounts + s.payments;
      extra['debts'] = s.debts;
      db.close();
      break;
    }
    case 'extract': {
      const db = openDb(dbPath);
      const r = extract(db, { date: BENCH_DATE, banks: [BENCH_BANK], operator: 'bench' });
      extra['batches'] = r.batches.map((b) => ({ id: b.id, requests: b.requests, records: b.records, files: b.files }));
      db.close();
      break;
    }
    case 'write': {
      fs.mkdirSync(dirs.usb, { recursive: true, mode: 0o700 });
      const db = openDb(dbPath);
      let files = 0;
      for (const id of batchIds(db)) files += (await writeBatch(db, id, { media: dirs.usb, operator: 'bench' })).files.length;
      extra['files'] = files;
      db.close();
      break;
    }
    case 'bankSimAnswer': {
      fs.mkdirSync(dirs.bank, { recursive: true, mode: 0o700 });
      let seed = 1;
      let accounts = 0;
      let details = 0;
      for (const f of requestFiles()) {
        const requestPath = path.join(dirs.usb, f);
        const a = answerInquiries(
          {
            requestPath,
            answerPath: path.join(dirs.bank, f.replace(/\.DAT$/, '.ANSWER.DAT')),
            bookPath: path.join(dirs.export, `book-${BENCH_BANK}.csv`),
            transactionsPath: path.join(dirs.export, `transactions-${BENCH_BANK}.csv`),
            seed: seed++,
          },
          requestLayout(requestPath),
        );
        accounts += a.accounts;
        details += a.details;
      }
      extra['accounts'] = accounts;
      extra['details'] = details;
      break;
    }
    case 'importAnswers': {
      benchToday();
      const db = openDb(dbPath);
      let inquiries = 0;
      let accounts = 0;
      let details = 0;
      for (const f of fs.readdirSync(dirs.bank).filter((x) => x.endsWith('.ANSWER.DAT')).sort()) {
        const s = importAnswers(db, path.join(dirs.bank, f), { operator: 'bench' });
        inquiries += s.inquiries;
        accounts += s.accounts;
        details += s.details;
      }
      extra['inquiries'] = inquiries;
      extra['accounts'] = accounts;
      extra['details'] = details;
      db.close();
      break;
    }
    case 'bankSim': {
      fs.mkdirSync(dirs.bank, { recursive: true, mode: 0o700 });
      let seed = 1;
      let n = 0;
      for (const f of requestFiles()) {
        simulateBank({ requestPath: path.join(dirs.usb, f), resultPath: path.join(dirs.bank, f.replace(/\.DAT$/, '.RESULT.DAT')), seed: seed++ });
        n += 1;
      }
      extra['files'] = n;
      break;
    }
    case 'importResults': {
      const db = openDb(dbPath);
      let n = 0;
      for (const f of fs.readdirSync(dirs.bank).filter((x) => x.endsWith('.RESULT.DAT')).sort()) {
        n += importResults(db, path.join(dirs.bank, f), { operator: 'bench' }).records;
      }
      extra['records'] = n;
      db.close();
      break;
    }
    case 'reconcile': {
      const db = openDb(dbPath);
      let receipts = 0;
      for (const id of batchIds(db)) receipts += reconcile(db, id, { operator: 'bench' }).receipts.count;
      extra['receipts'] = receipts;
      db.close();
      break;
    }
    case 'report': {
      const db = openDb(dbPath);
      fs.mkdirSync(dirs.reports, { recursive: true, mode: 0o700 });
      for (const id of batchIds(db)) {
        const r = buildReport(db, id);
        const d = buildReportDetails(db, id, r);
        writeOutputFile(path.join(dirs.reports, `report-${id}.html`), renderHtml(r, d, nowTokyoTimestamp()), { clobber: false });
        writeReportCsv(db, id, path.join(dirs.reports, `report-${id}.csv`));
        extra['collected'] = r.collected.amount;
      }
      db.close();
      break;
    }
    case 'documents': {
      // issue 17: every document the batches allow (drafts: no authority/collector set), streamed
      const db = openDb(dbPath);
      let pages = 0;
      let bytes = 0;
      for (const id of batchIds(db)) {
        const r = await printDocuments(db, id, { outDir: path.join(work, 'documents', id), kinds: ['seizure-record', 'notice'], draft: true, operator: 'bench' });
        for (const d of r.documents) {
          pages += d.pages;
          bytes += d.bytes;
        }
      }
      extra['pages'] = pages;
      extra['bytes'] = bytes;
      db.close();
      break;
    }
    // not stages of the cycle (issue 17 item 2): the spreadsheets of a reconciled work dir,
    // each batch's receipts workbook (test/perf/xlsx-receipts.sh) and report workbook
    case 'receiptsXlsx': {
      const db = openDb(dbPath);
      fs.mkdirSync(dirs.reports, { recursive: true, mode: 0o700 });
      let receipts = 0;
      for (const id of batchIds(db)) receipts += (await exportReceiptsXlsx(db, id, path.join(dirs.reports, `receipts-${id}.xlsx`), { operator: 'bench' })).receipts;
      extra['receipts'] = receipts;
      db.close();
      break;
    }
    case 'reportXlsx': {
      const db = openDb(dbPath);
      fs.mkdirSync(dirs.reports, { recursive: true, mode: 0o700 });
      let rows = 0;
      for (const id of batchIds(db)) {
        const r = buildReport(db, id);
        const x = await writeReportXlsx(db, id, r, buildReportDetails(db, id, r), path.join(dirs.reports, `report-${id}.xlsx`), 'ja');
        rows += x.records + x.receipts;
      }
      extra['rows'] = rows;
      db.close();
      break;
    }
    case 'sqliteBaseline': {
      // The floor the issue names for orientation: N inserts in one transaction,
      // an N-row scan, N updates by key — on a plain table, same pragmas as ours.
      const db = new Database(path.join(work, 'baseline.db'));
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INTEGER NOT NULL, c INTEGER)');
      const ins = db.prepare('INSERT INTO t (id, a, b) VALUES (?, ?, ?)');
      let s = performance.now();
      db.transaction(() => {
        for (let i = 1; i <= records; i++) ins.run(i, `A${i}`, i % 1000);
      })();
      extra['insertSeconds'] = (performance.now() - s) / 1000;
      s = performance.now();
      let sum = 0;
      for (const row of db.prepare('SELECT id, a, b FROM t ORDER BY id').iterate() as IterableIterator<{ b: number }>) sum += row.b;
      extra['scanSeconds'] = (performance.now() - s) / 1000;
      s = performance.now();
      const upd = db.prepare('UPDATE t SET c = ? WHERE id = ?');
      db.transaction(() => {
        for (let i = 1; i <= records; i++) upd.run(i, i);
      })();
      extra['updateSeconds'] = (performance.now() - s) / 1000;
      extra['checksum'] = sum;
      db.close();
      break;
    }
    default:
      throw new Error(`unknown stage ${stage}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { stage, seconds, maxRssMB: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10, ...extra };
}

main().then(
  (r) => process.stdout.write(JSON.stringify(r) + '\n'),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
