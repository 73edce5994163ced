/**
 * Step: import an inquiry answer file (shared/spec/inquiry-300.md "Rules an answer must
 * satisfy" 1–6, "What an imported answer means"; docs/adr/0128-answer-import-one-pass.md).
 *
 * ONE pass and ONE transaction (BEGIN IMMEDIATE): the file is read once; every chunk is
 * written to the archive's temporary copy and hashed as it is read, then scanned (framing,
 * layout checks); the decoded records feed rules 3–5 (answer-rules.ts), rule 1 at the
 * header and rule 2 as an ordered merge against the file's inquiries, read page by page
 * (no iterator stays open, so the same connection can write). While no finding has been
 * reported, each record is stored as it is checked (answer codes, accounts, transactions,
 * multi-row statements); after the first finding storing stops and checking goes on to
 * collect every finding (up to the cap). Findings → the transaction is rolled back and
 * exit 3 with all of them; a conflict (answers already in, the same bytes imported, a
 * cancelled batch) → exit 4, rolled back. Otherwise the import row gets its hash, the
 * archive copy its content-addressed name, and the transaction commits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireInputFile } from '../../core/fsutil.js';
import { createHash } from 'node:crypto';
import { nowTokyoTimestamp, todayTokyo } from '../../core/dates.js';
import { rejected } from '../../core/errors.js';
import type { Engine } from '../../core/engine.js';
import { FILE_MODE, writeAllSync } from '../../core/fsutil.js';
import { SyncProducer } from '../../core/sync-worker.js';
import { audit, currentOperator } from '../../db/audit.js';
import { producerInWorker, withForeignKeysOff, type Db } from '../../db/connection.js';
import { answerBulkWriter, finishImport, inquiryPages, type AnswerBulkWriter } from '../../db/inquiries.js';
import { batchState, filesWithoutResults, insertImport, insertResultFile, refuseSameFile, setBatchStateIf, setFileResults, type WrittenFileRow } from '../../db/results.js';
import { scanInto } from '../../file/reader.js';
import { RecordScanner, type ReadRecord } from '../../file/scanner.js';
import type { Layout } from '../../layout/types.js';
import { archiveCopy, digitsValue, prepareArchive, resolveFileLayout } from '../import-results/index.js';
import { IsoDates, answerRulesFeed, isAnswerLayout } from './answer-rules.js';
import { ACCOUNT_ROWS, AnswerCounter, CODE_ROWS, DETAIL_ROWS, accountValues, detailValues, type AnswerChunk, type AnswerTotals } from './answer-rows.js';
import { answerRule1 } from './rule1.js';
import { AnswerRule2 } from './rule2.js';
import type { AnswerEnd, AnswerHeader, AnswerItem } from './worker.js';
import { ANSWERS_WORKER } from './worker-ref.js';

export { GWarekiDates } from '../../layout/wareki.js';

/**
 * The fast path writes the archive's copy as it goes (1.2 GB for a million inquiries): once
 * this many of the worker's read buffers (1 MiB each by default) are written and not yet
 * synced, they are put on the disk while this thread waits for the worker anyway
 * (fdatasync), rather than all by the fsync after the last chunk (ADR 0193).
 */
const SYNC_AHEAD_BUFFERS = 64;

/**
 * While it waits for the worker, this thread reads the file's inquiries ahead for the
 * worker's rule 2 (ADR 0196): up to this many seqs past the last chunk's (the worker runs
 * up to four chunks, some 8,000 inquiries, ahead of it), in pages of FEED_PAGE.
 */
const FEED_AHEAD = 32_768;
const FEED_PAGE = 512;

export interface ImportAnswersOptions {
  /** the file's name as its sender gave it (messages, the audit log and the import's record; default: the path's last part) — the web application's uploads are kept under names of their own */
  displayName?: string;
  /** layout id or path (default: detected from the file) */
  layout?: string;
  /** operator for the audit log (default: OS user) */
  operator?: string;
  /** findings kept (default 1,000) */
  maxFindings?: number;
  /** archive folder (default `<db dir>/archive/answers`) */
  archiveDir?: string;
  /**
   * core/engine.ts: `producer` 'inline' checks and stores on this thread alone (the
   * one-thread pass); unset or 'worker': a clean file takes the fast path, read and checked
   * on the second core (ADR 0188), which needs a database file in WAL mode outside another
   * transaction. `chunk`: data records per chunk the worker hands over (default 8,192;
   * tests: chunk boundaries)
   */
  engine?: Engine;
  /** the fast path's worker: bytes per read (default 1 MiB; tests: records split between reads) */
  readBytes?: number;
  /** the fast path: inquiries read ahead for the worker (default FEED_AHEAD; 0: none; tests: every mix of fed and unfed pages) */
  feedAhead?: number;
}

export interface ImportAnswersSummary {
  importId: number;
  batchId: string;
  fileNumber: number;
  file: string;
  sha256: string;
  archivePath: string;
  inquiries: number;
  /** per 回答区分 1–4 */
  answers: { '1': number; '2': number; '3': number; '4': number };
  accounts: number;
  details: number;
  /** signed 残高 over the accounts */
  balanceTotal: number;
  batchState: string;
}

/** The `--json` document of `import answers` (cli.md). */
export function answersJson(s: ImportAnswersSummary): Record<string, unknown> {
  return {
    batch: s.batchId,
    file: s.file,
    sha256: s.sha256,
    inquiries: s.inquiries,
    answers: s.answers,
    accounts: s.accounts,
    details: s.details,
    balanceTotal: s.balanceTotal,
  };
}


/** Import one answer file. Throws AppError (exit 3 rejected / 4 conflict); stores all or nothing. */
export function importAnswers(db: Db, file: string, opts: ImportAnswersOptions = {}): ImportAnswersSummary {
  const operator = currentOperator(opts.operator);
  const fileName = opts.displayName ?? path.basename(file);
  requireInputFile(file);
  const layout = resolveFileLayout(file, opts.layout);
  if (!isAnswerLayout(layout) || !layout.records.header) {
    throw rejected(
      'answers.layout',
      {
        ja: `${fileName} は預金照会の回答ファイルではありません（レイアウト ${layout.id}）。何も登録していません。銀行から返却された照会回答（inquiry-300、種別コード 62）を指定してください`,
        en: `${fileName} is not an inquiry answer file (layout ${layout.id}); nothing was stored. Give the inquiry answer the bank returned (inquiry-300, 種別コード 62)`,
      },
      [],
      { file: fileName, record: 0, offset: 0 },
    );
  }
  // asked before any transaction begins (a snapshot needs WAL and no outer transaction)
  const inWorker = producerInWorker(db, opts.engine, 'import answers');
  const { archiveDir, tmp } = prepareArchive(db, 'answers', opts.archiveDir);
  // the fast path's copy has a name of its own (removed here whatever happened)
  const fastTmp = tmp.replace(/\.tmp$/, '.fast.tmp');
  try {
    const fast = inWorker ? importClean(db, file, fastTmp, layout, fileName, operator, archiveDir, { chunkRecords: opts.engine?.chunk, readBytes: opts.readBytes, feedAhead: opts.feedAhead }) : null;
    if (fast !== null) return fast;
  } finally {
    fs.rmSync(fastTmp, { force: true });
  }
  let archived: string | null = null;
  const run = db.transaction((): ImportAnswersSummary => {
    const pass = new AnswerPass(db, layout, fileName, operator, opts.maxFindings ?? 1000);
    const fd = fs.openSync(tmp, 'wx', FILE_MODE);
    const hash = createHash('sha256');
    let summary;
    try {
      summary = scanInto(file, pass.scanner, (c) => {
        hash.update(c);
        fs.writeSync(fd, c);
      });
      pass.finish(summary);
    } finally {
      fs.closeSync(fd);
    }
    const sha256 = hash.digest('hex');
    refuseSameFile(db, 'answers', sha256, fileName);
    const findings = summary.findings;
    if (findings.length > 0 || pass.target === null || pass.importId === null) {
      if (findings.length === 0) {
        findings.push({ code: 'answer.no-header', record: 0, offset: 0, message: { ja: 'ヘッダーレコードがありません', en: 'no header record' } });
      }
      const total = findings.length + summary.moreFindings;
      throw rejected(
        'answers.rejected',
        {
          ja: `回答ファイル ${fileName} を取り込めません: ${total} 件の誤りがあります。何も登録していません。銀行に正しいファイルを依頼するか、ファイルを確認してください`,
          en: `answer file ${fileName} was refused: ${total} problem(s); nothing was stored. Ask the bank for a corrected file or check the file`,
        },
        findings.map((f) => ({ file: fileName, ...f })),
        { file: fileName },
        summary.moreFindings,
      );
    }
    const { archivePath, created } = archiveCopy(tmp, archiveDir, sha256);
    if (created) archived = archivePath;
    return pass.store(sha256, archivePath);
  });
  try {
    // every reference written points at a row this transaction wrote (the import row, the
    // accounts) or read under its write lock (the inquiries rule 2 matched): ADR 0141
    return withForeignKeysOff(db, () => run.immediate());
  } catch (e) {
    if (archived !== null) fs.rmSync(archived, { force: true });
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * The fast path of a clean file (docs/adr/0188-answer-import-second-core.md), ONE
 * transaction (BEGIN IMMEDIATE) as the one-thread pass: this thread reads the header
 * record itself and runs rule 1 on it (its conflicts throw, exit 4, as they do there), then
 * starts the worker (worker.ts), which reads and checks the whole file — rules 2–5
 * against a snapshot of the inquiries — and hands over the records to store in columnar
 * chunks, with the very buffers it read the file into; this thread writes those to the
 * archive's temporary copy (0600), hashes them, stores the records, fsyncs the copy,
 * finishes the import and commits.
 *
 * null, with everything rolled back: the header could not be read alone, rule 1 reported
 * something, the database was busy, or the worker's stream was not clean (a finding, or
 * anything the one-thread pass would store differently) — the caller then runs the
 * one-thread pass, which reports every finding exactly as before.
 */
function importClean(
  db: Db,
  file: string,
  tmp: string,
  layout: Layout,
  fileName: string,
  operator: string,
  archiveDir: string,
  tune: { chunkRecords: number | undefined; readBytes: number | undefined; feedAhead: number | undefined },
): ImportAnswersSummary | null {
  const { chunkRecords, readBytes } = tune;
  const head = readHeader(file, layout);
  if (head === null) return null;
  return withForeignKeysOff(db, (): ImportAnswersSummary | null => {
    try {
      // the write lock before anything is read: the worker's snapshot is then exactly
      // the state this transaction began from (ADR 0188, as ADR 0056)
      db.exec('BEGIN IMMEDIATE');
    } catch {
      return null; // busy: the one-thread pass waits for the database as before
    }
    let producer: SyncProducer<AnswerItem> | null = null;
    let archived: string | null = null;
    let copy: number | null = null;
    try {
      let ok = true;
      const r = answerRule1(db, layout, head, fileName, () => (ok = false));
      if (r === null || !ok) {
        db.exec('ROLLBACK');
        return null;
      }
      const t = r.row;
      const { importId, writer } = openAnswerImport(db, t, fileName, operator);
      copy = fs.openSync(tmp, 'wx', FILE_MODE);
      producer = new SyncProducer(
        ANSWERS_WORKER,
        {
          file,
          layoutFile: layout.file,
          today: todayTokyo(),
          dbFile: db.name,
          target: { batch_id: t.batch_id, first_request: t.first_request, last_request: t.last_request },
          header: head,
          ...(chunkRecords !== undefined ? { chunkRecords } : {}),
          ...(readBytes !== undefined ? { readBytes } : {}),
        },
        { maxInFlight: 4, youngGenerationMb: 16 },
      );
      const feeder = new InquiryFeeder(inquiryPages(db, t.batch_id), t.first_request, t.last_request, tune.feedAhead ?? FEED_AHEAD);
      const end = storeFromWorker(producer, writer, copy, feeder);
      if (end === null) {
        db.exec('ROLLBACK');
        return null;
      }
      fs.fsyncSync(copy);
      fs.closeSync(copy);
      copy = null;
      const sha256 = end.sha256;
      refuseSameFile(db, 'answers', sha256, fileName);
      const { archivePath, created } = archiveCopy(tmp, archiveDir, sha256);
      if (created) archived = archivePath;
      const summary = storeAnswers(db, { t, importId, writer, totals: end.totals, sha256, archivePath, fileName, operator });
      db.exec('COMMIT');
      return summary;
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      if (archived !== null) fs.rmSync(archived, { force: true });
      throw e;
    } finally {
      producer?.close();
      if (copy !== null) fs.closeSync(copy);
    }
  });
}

/**
 * The file's first record, read on this thread for rule 1: null unless it is a header
 * read without any finding before it (the one-thread pass then decides).
 */
function readHeader(file: string, layout: Layout): AnswerHeader | null {
  let head: AnswerHeader | null = null;
  let bad = false;
  const scanner = new RecordScanner(
    layout,
    (rec) => {
      if (head !== null || bad) return;
      if (rec.kind === 'header') head = { index: rec.index, offset: rec.offset, fields: rec.fields };
      else bad = true;
    },
    { raw: false, maxFindings: 1, onFinding: () => (bad = true) },
  );
  const fd = fs.openSync(file, 'r');
  try {
    for (let read = 0; head === null && !bad && read < 1 << 20; ) {
      const w = scanner.writable();
      const n = fs.readSync(fd, w, 0, Math.min(w.length, 65536), null);
      if (n === 0) break;
      scanner.commit(n);
      read += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return bad ? null : head;
}

/**
 * The main thread's part of the fast path, inside the open transaction: the bytes each
 * item carries to the archive's copy (`copy`) and the hash, in the order read, then every
 * chunk into the writer (accounts, their details, the 3/4 codes), then the worker's end
 * with the file's sha256. null: not clean, or the records stored are not all the worker
 * read, or the bytes copied are not all it scanned — the caller rolls back.
 */
function storeFromWorker(producer: SyncProducer<AnswerItem>, writer: AnswerBulkWriter, copy: number, feeder: InquiryFeeder): (AnswerEnd & { sha256: string }) | null {
  const ids = { first: -1, stored: 0 };
  const hash = createHash('sha256');
  let records = 0;
  let bytes = 0;
  let unsynced = 0;
  const copyRead = (read: Uint8Array[]): void => {
    for (const b of read) {
      writeAllSync(copy, b);
      hash.update(b);
      bytes += b.length;
      unsynced++;
    }
    // written and hashed: the worker may read into them again
    if (read.length > 0) producer.recycle(read.map((b) => b.buffer as ArrayBuffer));
  };
  /** the seq of the last inquiry the worker had reached in the chunks taken */
  let reached = 0;
  const nextItem = (): AnswerItem | undefined => {
    // Waiting for the worker anyway: read the inquiries it will compare next (ADR 0196) …
    while (!producer.ready && feeder.feedOne(producer, reached));
    // … and put the copy's bytes so far on the disk now, so that
    // the fsync after the last chunk finds little left (it stays the guarantee; ADR 0193).
    if (unsynced >= SYNC_AHEAD_BUFFERS && !producer.ready) {
      fs.fdatasyncSync(copy);
      unsynced = 0;
    }
    return producer.next();
  };
  for (let item = nextItem(); item !== undefined; item = nextItem()) {
    if (item.kind === 'chunk') {
      if (item.lastSeq > reached) reached = item.lastSeq;
      copyRead(item.read);
      storeChunk(item, writer, ids);
      records += item.n;
      continue;
    }
    if (!item.clean || item.records !== records) return null;
    copyRead(item.read);
    return item.bytes === bytes ? { ...item, sha256: hash.digest('hex') } : null;
  }
  return null;
}

/**
 * Reads the file's inquiries in pages, in seq order, for the worker's rule 2, as this
 * thread finds time (ADR 0196): each page's rows (InquiryOutRaw, the read rule 2 makes
 * itself) sent to the worker, which takes a page that holds the seq it needs and reads any
 * other itself. So what is fed changes no result, only which thread reads.
 */
class InquiryFeeder {
  private next: number;
  constructor(
    private readonly pages: ReturnType<typeof inquiryPages>,
    first: number,
    private readonly last: number,
    private readonly ahead: number,
  ) {
    this.next = first;
  }

  /** Feed the next page unless it lies more than `ahead` seqs past `reached`; false when nothing was fed. */
  feedOne(producer: SyncProducer<AnswerItem>, reached: number): boolean {
    if (this.ahead <= 0 || this.next > this.last || this.next > reached + this.ahead) return false;
    const from = this.next;
    const to = Math.min(this.last, from + FEED_PAGE - 1);
    this.next = to + 1;
    const rows = this.pages.page(from, to, FEED_PAGE);
    if (rows.length > 0) producer.feed(rows);
    return true;
  }
}

/**
 * One chunk through the writer: its accounts (ids assigned in the file's order, so the
 * account of ordinal k has the first one's id + k), then its details, then the 3/4 codes.
 * The tables' rows come out in the file's order, as the one-thread pass stores them.
 */
function storeChunk(c: AnswerChunk, writer: AnswerBulkWriter, ids: { first: number; stored: number }): void {
  const a = ACCOUNT_ROWS.readColumns(c.accounts);
  for (let i = 0; i < c.accounts.n; i++) {
    const id = writer.account({
      seq: a.seq[i]!,
      accountSeq: a.accountSeq[i]!,
      atena: a.atena[i]!,
      branchCode: a.branch[i]!,
      accountType: a.type[i]!,
      accountNumber: a.number[i]!,
      holderKana: a.holder[i]!,
      balance: a.balance[i]!,
      lastTransactionDate: a.lastDate[i]!,
      loan: a.loan[i] === 1 ? 1 : 0,
    });
    if (ids.first < 0) ids.first = id;
    if (id !== ids.first + ids.stored) throw new Error('import answers: account ids out of order');
    ids.stored++;
  }
  const d = DETAIL_ROWS.readColumns(c.details);
  for (let i = 0; i < c.details.n; i++) {
    const k = d.account[i]!;
    if (k >= ids.stored) throw new Error('import answers: a detail before its account');
    writer.transaction(ids.first + k, { seq: d.seq[i]!, date: d.date[i]!, direction: d.direction[i] === 2 ? 2 : 1, amount: d.amount[i]!, balanceAfter: d.after[i]!, description: d.description[i]! });
  }
  const q = CODE_ROWS.readColumns(c.codes);
  for (let i = 0; i < c.codes.n; i++) writer.answerCode(q.seq[i]!, q.code[i] === 3 ? '3' : '4');
}

/** The import row (answer rows refer to it; its hash is set when the file is read) and the writer of the file's answers. */
function openAnswerImport(db: Db, row: WrittenFileRow, fileName: string, operator: string): { importId: number; writer: AnswerBulkWriter } {
  const importId = insertImport(db, {
    kind: 'answers',
    sha256: `pending:${process.pid}:${Date.now()}`,
    files: [fileName],
    importedAt: nowTokyoTimestamp(),
    operator,
    summary: {},
  });
  const writer = answerBulkWriter(db, importId, {
    batchId: row.batch_id, bankCode: row.bank_code, knowledgeDate: row.execution_date, fileNumber: row.file_number, firstSeq: row.first_request, lastSeq: row.last_request,
  });
  return { importId, writer };
}

/** Everything besides the records (already given to the writer): import row, archive, file and batch state, audit. */
function storeAnswers(
  db: Db,
  s: { t: WrittenFileRow; importId: number; writer: AnswerBulkWriter; totals: AnswerTotals; sha256: string; archivePath: string; fileName: string; operator: string },
): ImportAnswersSummary {
  const { t, importId, totals, sha256, archivePath, fileName } = s;
  s.writer.flush();
  const at = nowTokyoTimestamp();
  const json = { batch: t.batch_id, fileNumber: t.file_number, inquiries: totals.inquiries, answers: totals.answers, accounts: totals.accounts, details: totals.details, balanceTotal: totals.balanceTotal };
  finishImport(db, importId, sha256, json);
  setFileResults(db, t.batch_id, t.seq, importId);
  insertResultFile(db, { importId, batchId: t.batch_id, fileNumber: t.file_number, archivePath, sha256 });
  if (filesWithoutResults(db, t.batch_id) === 0) setBatchStateIf(db, t.batch_id, 'written', 'answered', at);
  const state = batchState(db, t.batch_id) ?? t.state;
  audit(db, { action: 'import.answers', batchId: t.batch_id, sha256, details: { importId, file: fileName, ...json, batchState: state, archive: path.basename(archivePath) } }, s.operator);
  return {
    importId,
    batchId: t.batch_id,
    fileNumber: t.file_number,
    file: fileName,
    sha256,
    archivePath,
    inquiries: totals.inquiries,
    answers: { ...totals.answers },
    accounts: totals.accounts,
    details: totals.details,
    balanceTotal: totals.balanceTotal,
    batchState: state,
  };
}

/**
 * The one-thread pass over one answer file: the scanner, rules 3–5, rule 1 at the header,
 * rule 2 per account record, and the store of what is clean so far.
 */
class AnswerPass {
  readonly scanner: RecordScanner;
  private readonly rules: { push(rec: ReadRecord): void; finish(): void };
  private findings = 0;
  target: WrittenFileRow | null = null;
  importId: number | null = null;
  private headerDone = false;
  private rule2: AnswerRule2 | null = null;
  private writer: AnswerBulkWriter | null = null;
  private trailerAt: { index: number; offset: number } | null = null;
  /** the stored account the details now belong to */
  private accountId = -1;
  private detailSeq = 0;
  private readonly counter = new AnswerCounter();
  private readonly dates = new IsoDates();

  constructor(
    private readonly db: Db,
    private readonly layout: Layout,
    private readonly fileName: string,
    private readonly operator: string,
    maxFindings: number,
  ) {
    this.scanner = new RecordScanner(layout, (rec) => this.record(rec), { raw: false, maxFindings, onFinding: () => this.findings++ });
    this.rules = answerRulesFeed(layout, this.scanner.report);
  }

  private get clean(): boolean {
    return this.findings === 0 && this.writer !== null;
  }

  private record(rec: ReadRecord): void {
    this.rules.push(rec);
    if (rec.kind === 'header') {
      if (!this.headerDone) this.header(rec);
      this.headerDone = true;
      return;
    }
    if (rec.kind === 'trailer' && this.trailerAt === null) this.trailerAt = { index: rec.index, offset: rec.offset };
    if (rec.kind !== 'data' || this.target === null) return;
    if (rec.record === 'account') this.account(rec);
    else if (rec.record === 'detail') this.detail(rec);
  }

  private header(rec: ReadRecord): void {
    const r = answerRule1(this.db, this.layout, rec, this.fileName, this.scanner.report);
    if (r === null) return;
    this.target = r.row;
    this.rule2 = new AnswerRule2(this.layout, r.row, inquiryPages(this.db, r.row.batch_id), this.scanner.report);
    if (!r.ok || this.findings > 0) return;
    ({ importId: this.importId, writer: this.writer } = openAnswerImport(this.db, r.row, this.fileName, this.operator));
  }

  private account(rec: ReadRecord): void {
    const fl = rec.fields;
    const n = digitsValue(fl['inquiryNumber']);
    if (n < 0) return; // the layout check reported the digits
    const code = fl['answerCode'] ?? '';
    const row = this.rule2!.account(rec, n);
    if (this.rule2!.opened) {
      this.counter.inquiry(code);
      if (this.clean && (code === '3' || code === '4') && row !== undefined) this.writer!.answerCode(row[0], code);
    }
    if (row === undefined) return;
    this.accountId = -1;
    this.detailSeq = 0;
    if (code !== '1') return;
    const v = accountValues(fl, this.dates);
    this.counter.account(v.balance);
    if (!this.clean) return;
    this.accountId = this.writer!.account({ seq: row[0], atena: row[1], ...v });
  }

  private detail(rec: ReadRecord): void {
    this.counter.detail();
    if (!this.clean || this.accountId < 0) return;
    this.writer!.transaction(this.accountId, { seq: ++this.detailSeq, ...detailValues(rec.fields, this.dates) });
  }

  /** After the last record: rules 3–5 close; every inquiry of the request not answered is a finding. */
  finish(summary: { records: number; bytes: number }): void {
    this.rules.finish();
    this.rule2?.finish(summary, this.trailerAt);
  }

  store(sha256: string, archivePath: string): ImportAnswersSummary {
    return storeAnswers(this.db, { t: this.target!, importId: this.importId!, writer: this.writer!, totals: this.counter.totals, sha256, archivePath, fileName: this.fileName, operator: this.operator });
  }
}
