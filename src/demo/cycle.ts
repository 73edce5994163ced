import * as fs from 'node:fs';
import { count } from '../core/table.js';
import * as path from 'node:path';
import { answerInquiries, requestLayout, simulateBank } from '../bank-sim/index.js';
import { extract } from '../steps/extract/index.js';
import { importAnswers } from '../steps/import-answers/index.js';
import { inquire } from '../steps/inquire/index.js';
import { importResults } from '../steps/import-results/index.js';
import { importStatement } from '../steps/import-statement/index.js';
import { importTargets } from '../steps/import-targets/index.js';
import { reconcile } from '../steps/reconcile/index.js';
import { writeBatch } from '../steps/write/index.js';
import { nowTokyoTimestamp } from '../core/dates.js';
import { conflict } from '../core/errors.js';
import { DIR_MODE, ensureDir } from '../core/fsutil.js';
import { type Msg, t } from '../core/i18n.js';
import { createProgress, type Progress } from '../core/progress.js';
import { openDb } from '../db/connection.js';
import { INQUIRE_REASON_LABELS, REASON_LABELS, type ExclusionReason } from '../domain/eligibility.js';
import { writeReportCsv } from '../report/csv.js';
import { renderHtml } from '../report/html.js';
import { buildReport, buildReportDetails, type ReportJson } from '../report/model.js';
import { buildInstructionReport, renderInstructionHtml, writeInstructionReportCsv } from '../report/instruction.js';
import { buildInquiryReport, renderInquiryHtml, writeInquiryReportCsv, type InquiryReportJson } from '../report/inquiry.js';
import { answerLabel, ANSWER_CODES } from '../domain/vocabulary.js';
import { writeOutputFile } from '../core/output-file.js';
import { loadSettingsFile } from '../settings/index.js';
import { DEFAULT_PROCESSING_DATE, generateExport } from './generate.js';
import { yen } from '../core/yen.js';
import { resolveHolds, type DemoHolds } from './holds-round.js';
import { printDocuments } from '../steps/documents/index.js';
import { exportReceiptsXlsx } from '../steps/export-receipts/index.js';
import { writeReportXlsx } from '../report/xlsx.js';
import { getLang } from '../core/i18n.js';

/**
 * The whole cycle on generated data (cli.md `demo`, issue 15 item 6), starting from
 * deposit inquiry (ADR 0137): generate an export and each bank's account book (no
 * accounts.csv) → init → import targets without accounts → inquire → write the
 * inquiry files (DIR/usb) → bank-sim answers from the books (DIR/bank) → import
 * answers → inquiry reports → extract from the answers → write → bank-sim seizes
 * from the same books → import results → import statement → reconcile → report.
 * Every step is the real step the commands run; only the bank is simulated.
 */
export interface DemoOptions {
  dir: string;
  taxpayers?: number;
  seed?: number;
  quiet?: boolean;
  operator?: string;
}

export interface DemoBatch {
  id: string;
  /** the batch's legal documents (PDF, marked 見本: the data is fictitious) and their page counts */
  documents: Array<{ kind: string; file: string; pages: number }>;
  bankCode: string;
  requests: number;
  records: number;
  limitTotal: number;
  files: string[];
  resultFiles: string[];
  statementFiles: string[];
  report: ReportJson;
  html: string;
  csv: string;
  /** the report and the receipts as spreadsheets (xlsx) for the accountants */
  xlsx: string;
  receiptsXlsx: string;
}

export interface DemoInquiryBatch {
  id: string;
  bankCode: string;
  inquiries: number;
  files: string[];
  answerFiles: string[];
  report: InquiryReportJson;
  /** 回答区分 3 and 4: answered on paper later */
  followUps: number;
  html: string;
  csv: string;
}

export interface DemoResult {
  dir: string;
  db: string;
  /** the scenario's own "today" (ADR 0137), which is also 照会基準日 */
  today: string;
  inquiryBaseDate: string;
  processingDate: string;
  taxpayers: number;
  /** taxpayers not inquired about, by reason */
  notInquired: Record<string, number>;
  inquiryBatches: DemoInquiryBatch[];
  excluded: Record<string, number>;
  batches: DemoBatch[];
  /** the report of the first (largest) batch, the one to open first */
  mainReport: string;
  /** 取立保留 batches (issue 16): their held seizures and the instructions that resolved them */
  holds: DemoHolds[];
}

const STEPS = 17;

/**
 * The scenario's calendar (ADR 0137): the city asks the banks on Tuesday 2026-11-24
 * (the Monday is 勤労感謝の日), a week before the execution date, and that day is the
 * scenario's "today" — given to the inquire step, which refuses base dates before
 * today, so the demo runs the same on any real date.
 */
export const DEMO_TODAY = '2026-11-24';
export const DEMO_INQUIRY_DATE = DEMO_TODAY;
/**
 * The day staff instruct the bank to collect or release the held (取立保留) seizures:
 * Thursday 2026-12-03, two bank business days after the execution date, once the
 * seizure results are in and the protected amounts checked.
 */
export const DEMO_INSTRUCTION_DATE = '2026-12-03';

/** Refuse a DIR that exists and is not empty: the demo never mixes with earlier files. */
export function prepareDemoDir(dir: string): void {
  if (fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir);
    if (entries.length > 0) {
      throw conflict(
        'demo.dir-not-empty',
        {
          ja: `デモ用フォルダ ${dir} は空ではありません。前回の結果を消さないため中止しました。別の --dir を指定するか、--dir を省略してください（毎回新しいフォルダを作ります）`,
          en: `the demo folder ${dir} is not empty; stopped so that earlier results are not mixed or lost. Give another --dir, or omit --dir (a new folder is made each time)`,
        },
        { file: dir },
      );
    }
  }
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

/** A new folder name for a demo run in the current directory. */
export function freshDemoDir(base = process.cwd()): string {
  const stamp = nowTokyoTimestamp().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  let dir = path.join(base, `sashiosae-demo-${stamp}`);
  for (let i = 2; fs.existsSync(dir); i++) dir = path.join(base, `sashiosae-demo-${stamp}-${i}`);
  return dir;
}

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const progress = createProgress({ quiet: opts.quiet ?? false });
  const dir = path.resolve(opts.dir);
  prepareDemoDir(dir);
  const exportDir = path.join(dir, 'export');
  const usbDir = path.join(dir, 'usb');
  const bankDir = path.join(dir, 'bank');
  const reportDir = path.join(dir, 'reports');
  for (const d of [exportDir, usbDir, bankDir, reportDir]) ensureDir(d);
  const dbPath = path.join(dir, 'sashiosae.db');
  const processingDate = DEFAULT_PROCESSING_DATE;
  let step = 0;
  const stepLine = (m: Msg): void => {
    step += 1;
    progress.line(`[${step}/${STEPS}] ${t(m)}`);
  };

  // The run is one sequence of committed steps: if it stops half-way, the
  // database holds every finished step and says where it stopped.
  const marker = path.join(dir, 'DEMO-INCOMPLETE.txt');
  fs.writeFileSync(marker, 'このデモは途中で止まりました。フォルダを削除してやり直してください。\nThis demo stopped before the end; delete the folder and run it again.\n', { mode: 0o600 });

  stepLine({
    ja: `納税者データと銀行ごとの口座台帳（模擬）を生成しています（${count(opts.taxpayers ?? 5000)} 人、CP932 の CSV、accounts.csv なし）`,
    en: `generating the export and each bank's account book (simulated) (${count(opts.taxpayers ?? 5000)} taxpayers, CP932 CSV, no accounts.csv)`,
  });
  const gen = await generateExport({ outDir: exportDir, taxpayers: opts.taxpayers ?? 5000, seed: opts.seed ?? 20261201, processingDate, books: true });
  // The city has no account list in this flow: the banks' answers are its accounts (ADR 0137).
  fs.rmSync(gen.files.accounts, { force: true });
  const books = gen.books?.files ?? {};

  stepLine({ ja: 'データベースを作成し、銀行ごとの設定を読み込みます', en: 'creating the database and loading the bank settings' });
  const db = openDb(dbPath);
  try {
    loadSettingsFile(db, gen.files.settings, opts.operator);

    stepLine({ ja: '滞納データを取り込んでいます（口座の一覧なし）', en: 'importing the delinquency export (no account list)' });
    const totalRows = gen.taxpayers + gen.debts + gen.payments;
    progress.start(t({ ja: '取込', en: 'import' }), totalRows);
    let before = 0;
    let current = 0;
    await importTargets(db, {
      taxpayers: gen.files.taxpayers,
      debts: gen.files.debts,
      payments: gen.files.payments,
      asOf: processingDate,
      operator: opts.operator,
      progressEvery: 2000,
      onProgress: (p) => {
        current = p.rows;
        progress.update(before + current);
        if (p.done) {
          before += current;
          current = 0;
        }
      },
    });
    progress.stop();

    const inquiryBatches = await runInquiry(db, { usbDir, bankDir, reportDir, books, seed: opts.seed ?? 20261201, operator: opts.operator, stepLine });

    stepLine({ ja: `照会の回答から差押対象を抽出しています（差押執行日 ${processingDate}）`, en: `extracting seizure targets from the answers (execution date ${processingDate})` });
    const ex = extract(db, { date: processingDate, operator: opts.operator });

    const batches: DemoBatch[] = [];
    stepLine({ ja: `依頼ファイルを USB（${usbDir}）へ書き出し、読み返して検証しています`, en: `writing the request files to the USB folder (${usbDir}) and verifying them` });
    const written = new Map<string, string[]>();
    for (const b of ex.batches) {
      const w = await writeBatch(db, b.id, { media: usbDir, operator: opts.operator });
      written.set(b.id, w.files.map((f) => f.path));
    }

    stepLine({ ja: '銀行事務センター・シミュレーター（模擬）が同じ口座台帳の残高から差し押さえています', en: 'the bank processing-center SIMULATOR is seizing from the same account books' });
    const results = new Map<string, { results: string[]; statements: string[] }>();
    let seed = opts.seed ?? 20261201;
    for (const b of ex.batches) {
      const r: string[] = [];
      const s: string[] = [];
      for (const f of written.get(b.id) ?? []) {
        const base = path.basename(f).replace(/\.[^.]*$/, '');
        const resultPath = path.join(bankDir, `${base}.RESULT.DAT`);
        const statementPath = path.join(bankDir, `${base}.STATEMENT.DAT`);
        const book = books[b.bankCode];
        simulateBank({ requestPath: f, resultPath, statementPath, seed: seed++, ...(book !== undefined ? { bookPath: book.book, transactionsPath: book.transactions } : {}) });
        r.push(resultPath);
        s.push(statementPath);
      }
      results.set(b.id, { results: r, statements: s });
    }

    stepLine({ ja: '結果ファイルを検証して取り込んでいます', en: 'validating and importing the result files' });
    for (const b of ex.batches) for (const f of results.get(b.id)?.results ?? []) importResults(db, f, { operator: opts.operator });

    const deferred = ex.batches.filter((b) => b.collectionMode === 'deferred');
    stepLine(
      deferred.length > 0
        ? {
            ja: `取立保留の差押 ${deferred.length} バッチ: 差押禁止額（年金・児童手当など）を除いた額の取立と残りの解除を指示しています（指示日 ${DEMO_INSTRUCTION_DATE}、holds → instruct → write → 模擬銀行 → import results）`,
            en: `${deferred.length} held (取立保留) seizure batch(es): instructing the bank to collect all but the protected amount (pensions, child allowance, …) and release the rest (instruction date ${DEMO_INSTRUCTION_DATE}; holds → instruct → write → simulated bank → import results)`,
          }
        : { ja: '取立保留の差押はありません（差押禁止の入金がある口座なし）', en: 'no held (取立保留) seizures (no account with protected credits)' },
    );
    const holds: DemoHolds[] = [];
    for (const b of deferred) {
      holds.push(await resolveHolds(db, b.id, { firstDate: DEMO_INSTRUCTION_DATE, today: DEMO_TODAY, usbDir, bankDir, seed: seed, operator: opts.operator }));
      seed += 100;
    }

    stepLine({ ja: '入出金取引明細を取り込み、入金と照合しています', en: 'importing the bank statements and matching deposits' });
    for (const b of ex.batches) for (const f of results.get(b.id)?.statements ?? []) importStatement(db, f, { operator: opts.operator });
    for (const h of holds) for (const i of h.instructions) for (const f of i.statementFiles) importStatement(db, f, { operator: opts.operator });

    stepLine({ ja: '取立金を債権へ充当しています（消込）', en: 'allocating the collected money to debts (reconciliation)' });
    for (const b of ex.batches) reconcile(db, b.id, { operator: opts.operator });

    stepLine({ ja: '報告書（HTML・CSV・Excel）と収納データの Excel を作成しています', en: 'writing the reports (HTML, CSV, Excel) and the receipts workbooks' });
    for (const b of ex.batches) {
      const report = buildReport(db, b.id);
      const details = buildReportDetails(db, b.id, report);
      const html = path.join(reportDir, `report-${b.id}.html`);
      const csv = path.join(reportDir, `report-${b.id}.csv`);
      writeOutputFile(html, renderHtml(report, details, nowTokyoTimestamp()), { clobber: false });
      writeReportCsv(db, b.id, csv);
      const xlsx = path.join(reportDir, `report-${b.id}.xlsx`);
      const receiptsXlsx = path.join(reportDir, `receipts-${b.id}.xlsx`);
      await writeReportXlsx(db, b.id, report, details, xlsx, getLang());
      await exportReceiptsXlsx(db, b.id, receiptsXlsx, { ...(opts.operator !== undefined ? { operator: opts.operator } : {}) });
      batches.push({
        id: b.id,
        bankCode: b.bankCode,
        requests: b.requests,
        records: b.records,
        limitTotal: b.limitTotal,
        files: written.get(b.id) ?? [],
        resultFiles: results.get(b.id)?.results ?? [],
        statementFiles: results.get(b.id)?.statements ?? [],
        report,
        html,
        csv,
        documents: [],
        xlsx,
        receiptsXlsx,
      });
    }
    stepLine({
      ja: `法定帳票（差押調書・債権差押通知書・差押解除通知書、PDF。データが架空なので「見本」入り）を ${path.join(dir, 'documents')} に作成しています`,
      en: `printing the legal documents (差押調書, 債権差押通知書, 差押解除通知書 as PDF, marked 見本 since the data is fictitious) into ${path.join(dir, 'documents')}`,
    });
    const docsDir = path.join(dir, 'documents');
    ensureDir(docsDir);
    for (const b of batches) {
      const out = path.join(docsDir, b.id);
      ensureDir(out);
      const d = await printDocuments(db, b.id, { outDir: out, draft: true, operator: opts.operator });
      b.documents = d.documents.map((x) => ({ kind: x.kind, file: x.file, pages: x.pages }));
    }

    // the instruction batches' reports: what was collected and released, per account, by 宛名番号
    for (const h of holds) {
      for (const i of h.instructions) {
        const r = buildInstructionReport(db, i.id);
        i.done = r.json.results['01'] ?? { records: 0, collected: 0 };
        i.notDone = r.json.results['99']?.records ?? 0;
        i.html = path.join(reportDir, `report-${i.id}.html`);
        writeOutputFile(i.html, renderInstructionHtml(r, nowTokyoTimestamp()), { clobber: false });
        writeInstructionReportCsv(r, path.join(reportDir, `report-${i.id}.csv`));
      }
    }
    fs.rmSync(marker, { force: true });
    const main = [...batches].sort((a, b) => b.records - a.records)[0];
    return {
      dir,
      db: dbPath,
      today: DEMO_TODAY,
      inquiryBaseDate: DEMO_INQUIRY_DATE,
      processingDate,
      taxpayers: gen.taxpayers,
      notInquired: inquiryBatches.excluded,
      inquiryBatches: inquiryBatches.batches,
      excluded: ex.excluded,
      batches,
      mainReport: main ? main.html : '',
      holds,
    };
  } finally {
    db.close();
  }
}

interface InquiryRun {
  usbDir: string;
  bankDir: string;
  reportDir: string;
  books: Record<string, { book: string; transactions: string }>;
  seed: number;
  operator: string | undefined;
  stepLine: (m: Msg) => void;
}

/** Steps 4–8: inquire → write → the bank answers from its book → import answers → inquiry reports. */
async function runInquiry(db: ReturnType<typeof openDb>, o: InquiryRun): Promise<{ batches: DemoInquiryBatch[]; excluded: Record<string, number> }> {
  o.stepLine({ ja: `預金照会の対象を抽出しています（照会基準日 ${DEMO_INQUIRY_DATE}、銀行ごとに1バッチ）`, en: `choosing whom to ask about deposits (base date ${DEMO_INQUIRY_DATE}, one batch per bank)` });
  const inq = inquire(db, { date: DEMO_INQUIRY_DATE, today: DEMO_TODAY, ...(o.operator !== undefined ? { operator: o.operator } : {}) });

  o.stepLine({ ja: `照会ファイルを USB（${o.usbDir}）へ書き出し、読み返して検証しています`, en: `writing the inquiry files to the USB folder (${o.usbDir}) and verifying them` });
  const written = new Map<string, string[]>();
  for (const b of inq.batches) {
    const w = await writeBatch(db, b.id, { media: o.usbDir, operator: o.operator });
    written.set(b.id, w.files.map((f) => f.path));
  }

  o.stepLine({ ja: '銀行事務センター・シミュレーター（模擬）が口座台帳から照会に回答しています', en: 'the bank processing-center SIMULATOR is answering the inquiries from its account books' });
  const answers = new Map<string, string[]>();
  let seed = o.seed;
  for (const b of inq.batches) {
    const book = o.books[b.bankCode];
    const files: string[] = [];
    for (const f of written.get(b.id) ?? []) {
      if (book === undefined) continue; // a bank without a book cannot answer: its inquiries stay unanswered (shown in its report)
      const answerPath = path.join(o.bankDir, `${path.basename(f).replace(/\.[^.]*$/, '')}.ANSWER.DAT`);
      answerInquiries({ requestPath: f, answerPath, bookPath: book.book, transactionsPath: book.transactions, seed: seed++ }, requestLayout(f));
      files.push(answerPath);
    }
    answers.set(b.id, files);
  }

  o.stepLine({ ja: '回答ファイルを検証して取り込んでいます', en: 'validating and importing the answer files' });
  for (const b of inq.batches) for (const f of answers.get(b.id) ?? []) importAnswers(db, f, { operator: o.operator });

  o.stepLine({ ja: '照会の報告書（HTML・CSV、書面での確認が必要な人を宛名番号で）を作成しています', en: 'writing the inquiry reports (HTML and CSV; paper follow-ups by 宛名番号)' });
  const batches: DemoInquiryBatch[] = [];
  for (const b of inq.batches) {
    const r = buildInquiryReport(db, b.id);
    const html = path.join(o.reportDir, `report-${b.id}.html`);
    const csv = path.join(o.reportDir, `report-${b.id}.csv`);
    writeOutputFile(html, renderInquiryHtml(r, nowTokyoTimestamp()), { clobber: false });
    writeInquiryReportCsv(db, r, csv);
    batches.push({ id: b.id, bankCode: b.bankCode, inquiries: b.inquiries, files: written.get(b.id) ?? [], answerFiles: answers.get(b.id) ?? [], report: r.json, followUps: r.details.followUps.count, html, csv });
  }
  return { batches, excluded: inq.excluded };
}

/** The closing summary for people (Japanese, or English with --lang en). */
export function demoSummary(r: DemoResult): string {
  const lines: string[] = [];
  lines.push(t({ ja: '=== デモ完了（銀行は模擬） ===', en: '=== Demo finished (the bank is simulated) ===' }));
  lines.push(t({ ja: `フォルダ: ${r.dir}`, en: `folder: ${r.dir}` }));
  lines.push(t({ ja: `データベース: ${r.db}`, en: `database: ${r.db}` }));
  lines.push(t({ ja: `納税者 ${count(r.taxpayers)} 人、照会基準日 ${r.inquiryBaseDate}、差押執行日 ${r.processingDate}（シナリオ上の今日 ${r.today}）`, en: `${count(r.taxpayers)} taxpayers, inquiry base date ${r.inquiryBaseDate}, execution date ${r.processingDate} (the scenario's today: ${r.today})` }));
  lines.push(t({ ja: '— 預金照会 —', en: '— deposit inquiry —' }));
  lines.push(t({ ja: '照会しなかった人（理由別）:', en: 'not inquired about (by reason):' }));
  reasonLines(lines, r.notInquired, INQUIRE_REASON_LABELS);
  for (const b of r.inquiryBatches) {
    const rep = b.report;
    const codes = ANSWER_CODES.map((c) => `${t(answerLabel(c))} ${count(rep.answers[c])}`).join(t({ ja: '・', en: ', ' }));
    lines.push(
      t({
        ja: `照会バッチ ${b.id}（金融機関 ${b.bankCode}）: 照会 ${count(rep.inquiries)} 件、回答 ${codes}、判明した口座 ${count(rep.accounts)} 件（残高合計 ${yen(rep.balanceTotal)}）、書面での確認 ${count(b.followUps)} 件`,
        en: `inquiry batch ${b.id} (bank ${b.bankCode}): ${count(rep.inquiries)} inquiries, answers ${codes}, ${count(rep.accounts)} accounts found (balance total ${yen(rep.balanceTotal)}), ${count(b.followUps)} paper follow-ups`,
      }),
    );
  }
  lines.push(t({ ja: '— 差押（照会の回答から） —', en: '— seizure (from the answers) —' }));
  lines.push(t({ ja: '対象外（理由別。他行に割り当てた人は、その銀行の依頼に含まれます）:', en: 'left out (by reason; a taxpayer assigned to another bank is in that bank\'s request):' }));
  reasonLines(lines, r.excluded);
  for (const b of r.batches) {
    const rep = b.report;
    lines.push(
      t({
        ja: `バッチ ${b.id}（金融機関 ${b.bankCode}）: 依頼 ${count(b.requests)} 件・口座 ${count(b.records)} 件、限度額合計 ${yen(b.limitTotal)}、差押 ${yen(rep.seized.amount)}、取立 ${yen(rep.collected.amount)}、充当 ${yen(rep.receipts.total)}、過誤納 ${yen(rep.overpayment)}、入金照合 ${rep.statement.matched === true ? '一致' : '不一致'}`,
        en: `batch ${b.id} (bank ${b.bankCode}): ${count(b.requests)} requests / ${count(b.records)} accounts, limit total ${yen(b.limitTotal)}, seized ${yen(rep.seized.amount)}, collected ${yen(rep.collected.amount)}, booked ${yen(rep.receipts.total)}, overpayment ${yen(rep.overpayment)}, deposit ${rep.statement.matched === true ? 'matched' : 'NOT matched'}`,
      }),
    );
  }
  if (r.holds.length > 0) {
    lines.push(t({ ja: '— 取立保留（差押禁止の入金がある口座） —', en: '— held seizures (accounts with protected credits) —' }));
    for (const h of r.holds) {
      lines.push(
        t({
          ja: `バッチ ${h.seizureBatch}: 取立保留で差押 ${count(h.held.records)} 件 ${yen(h.held.seized)}（照会時の差押禁止額 ${yen(h.held.protectedAmount)}）`,
          en: `batch ${h.seizureBatch}: ${count(h.held.records)} accounts seized and held, ${yen(h.held.seized)} (protected at inquiry ${yen(h.held.protectedAmount)})`,
        }),
      );
      for (const i of h.instructions) {
        lines.push(
          t({
            ja: `  取立指示 ${i.id}（指示日 ${i.date}）: ${count(i.records)} 件、取立指示額 ${yen(i.collectTotal)}・解除額 ${yen(i.releaseTotal)} → 処理済 ${count(i.done?.records ?? 0)} 件（取立 ${yen(i.done?.collected ?? 0)}）、未処理 ${count(i.notDone ?? 0)} 件${(i.notDone ?? 0) > 0 ? '（翌営業日に再指示）' : ''}  報告書 ${i.html ?? ''}`,
            en: `  instruction ${i.id} (instruction date ${i.date}): ${count(i.records)} accounts, to collect ${yen(i.collectTotal)}, to release ${yen(i.releaseTotal)} → done ${count(i.done?.records ?? 0)} (collected ${yen(i.done?.collected ?? 0)}), not done ${count(i.notDone ?? 0)}${(i.notDone ?? 0) > 0 ? ' (instructed again the next business day)' : ''}  report ${i.html ?? ''}`,
          }),
        );
      }
    }
  }
  lines.push('');
  lines.push(t({ ja: `報告書（ブラウザで開いてください）: ${r.mainReport}`, en: `Report (open it in a browser): ${r.mainReport}` }));
  lines.push(t({ ja: `Excel（報告書 report-….xlsx・収納 receipts-….xlsx）: ${path.join(r.dir, 'reports')}`, en: `spreadsheets (report-….xlsx, receipts-….xlsx): ${path.join(r.dir, 'reports')}` }));
  const pages = r.batches.reduce((n, b) => n + b.documents.reduce((m, d) => m + d.pages, 0), 0);
  lines.push(t({ ja: `法定帳票（PDF、見本）: ${path.join(r.dir, 'documents')}（${count(pages)} ページ）`, en: `legal documents (PDF, marked 見本): ${path.join(r.dir, 'documents')} (${count(pages)} pages)` }));
  lines.push(t({ ja: `すべての報告書（照会バッチの報告書を含む）: ${path.join(r.dir, 'reports')}`, en: `all reports (the inquiry batches' too): ${path.join(r.dir, 'reports')}` }));
  return lines.join('\n');
}

function reasonLines(lines: string[], counts: Record<string, number>, own: Partial<Record<ExclusionReason, Msg>> = {}): void {
  for (const [reason, n] of Object.entries(counts).sort((a, b) => b[1] - a[1])) {
    const label = own[reason as ExclusionReason] ?? REASON_LABELS[reason as ExclusionReason];
    lines.push(`  ${label ? t(label) : reason} [${reason}]: ${count(n)}`);
  }
}

export type { Progress };
