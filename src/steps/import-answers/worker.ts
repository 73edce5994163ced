/**
 * The worker half of `import answers`' fast path (import-answers.ts `importClean`,
 * docs/adr/0188-answer-import-second-core.md).
 *
 * The split: everything that needs no write runs here, on the second core — reading the
 * answer file, framing and decoding, the layout checks, rules 3–5 (answerRulesFeed) and
 * rule 2 (rule2.ts: the order and echo checks against the file's inquiries, read from a
 * snapshot the main thread's write transaction began from). The buffers the file was read
 * into are handed on (transferred, not copied) to the main thread, which writes the
 * archive's temporary copy from them, hashes them and fsyncs the copy (ADR 0188, amended):
 * the archived bytes are exactly the bytes read and checked here. The
 * main thread has run rule 1 on the header it read itself; the first header read here must
 * be that same record (place and fields), or the stream is not clean.
 *
 * Items posted, in this order:
 *   chunk — up to `chunkRecords` data records as their accounts, details and 3/4 codes
 *           (answer-rows.ts, core/rows.ts: typed arrays and code units, transferred; no
 *           object per record crosses), and the file's bytes read and scanned since the
 *           last item (`read`, in the file's order);
 *   end   — data records read, the file's bytes not yet handed on and their total count,
 *           the summary figures, and whether the file is clean.
 * The first finding (in the scanner, rules 2–5) or anything the one-thread pass would
 * store differently ends the stream with an `end` that is not clean: the main thread then
 * rolls back and runs the one-thread pass, which reports every finding. Nothing here is
 * logged.
 */
import type { IsoDate } from '../../core/dates.js';
import { buffersOf } from '../../core/rows.js';
import { runProducer, type ProducerContext } from '../../core/sync-worker.js';
import { openSnapshotReader } from '../../db/connection.js';
import { inquiryPages, type InquiryOutRaw } from '../../db/inquiries.js';
import { readHandingOn } from '../../file/reader.js';
import { RecordScanner, type ReadRecord } from '../../file/scanner.js';
import type { Fields } from '../../layout/codec.js';
import { loadLayout } from '../../layout/load.js';
import { digitsValue } from '../import-results/index.js';
import { IsoDates, answerRulesFeed } from './answer-rules.js';
import { ACCOUNT_ROWS, AnswerCounter, CODE_ROWS, DETAIL_ROWS, accountValues, detailValues, type AnswerChunk, type AnswerTotals } from './answer-rows.js';
import { AnswerRule2 } from './rule2.js';

/** The header record as the main thread read it and ran rule 1 on. */
export interface AnswerHeader {
  index: number;
  offset: number;
  fields: Fields;
}

export interface AnswerScanInput {
  /** the answer file as received */
  file: string;
  /** the layout's XML file (Layout.file): loaded here exactly as the main thread loaded it */
  layoutFile: string;
  /** date for 和暦 reading, the main thread's */
  today: IsoDate;
  /** the database file: read through a snapshot (openSnapshotReader) — the main thread holds the write lock */
  dbFile: string;
  /** the inquiry file rule 1 matched: its batch and seq range */
  target: { batch_id: string; first_request: number; last_request: number };
  header: AnswerHeader;
  /** data records per chunk (default 8,192; smaller in tests) */
  chunkRecords?: number;
  /** bytes per read (default 1 MiB; smaller in tests: records split between reads) */
  readBytes?: number;
}

/** The file's bytes as read and scanned here, in order; each view's buffer is its own (transferred). */
export interface AnswerBytes {
  read: Uint8Array[];
}

export interface AnswerEnd {
  kind: 'end';
  /** no finding and nothing stored differently: the chunks posted are the whole file */
  clean: boolean;
  /** data records read */
  records: number;
  /** the file's length as scanned (0 when not clean): every byte handed on */
  bytes: number;
  totals: AnswerTotals;
}

export type AnswerItem = (AnswerChunk & AnswerBytes) | (AnswerEnd & AnswerBytes);

const DEFAULT_CHUNK_RECORDS = 8_192;
const DEFAULT_READ_BYTES = 1 << 20;

/**
 * Inquiries per page read for rule 2 here: small enough that a page dies in the young
 * generation (4,096 rows outlived two scavenges and piled up in the old one: the worker's
 * heap, and the process's peak RSS, grew with the file).
 */
const PAGE_ROWS = 512;

function sameHeader(rec: ReadRecord, h: AnswerHeader): boolean {
  if (rec.index !== h.index || rec.offset !== h.offset) return false;
  const a = Object.keys(rec.fields);
  if (a.length !== Object.keys(h.fields).length) return false;
  return a.every((k) => rec.fields[k] === h.fields[k]);
}

/** Scan the file once, posting its data records in chunks, then the end. */
function scanAnswerFile(ctx: ProducerContext<AnswerScanInput, AnswerItem>): void {
  const input = ctx.input;
  const layout = loadLayout(input.layoutFile);
  const chunkRecords = Math.max(1, input.chunkRecords ?? DEFAULT_CHUNK_RECORDS);
  const accounts = ACCOUNT_ROWS.builder(chunkRecords);
  const details = DETAIL_ROWS.builder(chunkRecords);
  const codes = CODE_ROWS.builder(1024);
  const counter = new AnswerCounter();
  const dates = new IsoDates();
  const readBytes = Math.max(1, input.readBytes ?? DEFAULT_READ_BYTES);
  /** buffers read and scanned, not yet handed on */
  let read: Uint8Array[] = [];
  /** buffers the main thread handed back once written and hashed (SyncProducer.recycle) */
  const spare: ArrayBuffer[] = [];
  const fresh = (): Uint8Array => {
    for (let back = ctx.recycled(); back !== undefined; back = ctx.recycled()) spare.push(...back);
    for (let b = spare.pop(); b !== undefined; b = spare.pop()) if (b.byteLength === readBytes) return new Uint8Array(b);
    return new Uint8Array(readBytes); // an ArrayBuffer of its own (never a pooled Buffer's)
  };
  const handOn = (): { read: Uint8Array[]; transfer: ArrayBuffer[] } => {
    const out = read;
    read = [];
    return { read: out, transfer: out.map((b) => b.buffer as ArrayBuffer) };
  };
  let inChunk = 0;
  const post = (): void => {
    const bytes = handOn();
    const c: AnswerChunk & AnswerBytes = { kind: 'chunk', n: inChunk, lastSeq, accounts: accounts.finish(), details: details.finish(), codes: codes.finish(), read: bytes.read };
    inChunk = 0;
    ctx.post(c, [...buffersOf(c.accounts, c.details, c.codes), ...bytes.transfer]);
  };
  let clean = true;
  let headerSeen = false;
  let records = 0;
  let trailerAt: { index: number; offset: number } | null = null;
  /** ordinal of the 回答区分 1 account the details now belong to (−1: none) */
  let account = -1;
  let nAccounts = 0;
  let detailSeq = 0;
  /** the seq of the last inquiry opened (AnswerChunk.lastSeq) */
  let lastSeq = 0;

  const snapshot = openSnapshotReader(input.dbFile);
  try {
    const scanner: RecordScanner = new RecordScanner(
      layout,
      (rec) => {
        if (!clean) return;
        rules.push(rec);
        if (rec.kind === 'header') {
          if (!headerSeen && !sameHeader(rec, input.header)) clean = false;
          headerSeen = true;
          return;
        }
        if (rec.kind === 'trailer' && trailerAt === null) trailerAt = { index: rec.index, offset: rec.offset };
        if (rec.kind !== 'data') return;
        records++;
        inChunk++;
        if (!headerSeen) clean = false;
        else if (rec.record === 'account') accountRecord(rec);
        else if (rec.record === 'detail') detailRecord(rec);
        if (clean && inChunk >= chunkRecords) post();
      },
      { raw: false, maxFindings: 1, today: input.today, onFinding: () => (clean = false) },
    );
    const rules = answerRulesFeed(layout, scanner.report);
    // pages the main thread reads ahead while it waits are taken as they come; any it has
    // not sent yet are read here (ADR 0196)
    const fed = (): InquiryOutRaw[] | undefined => {
      const m = ctx.fed();
      return Array.isArray(m) ? (m as InquiryOutRaw[]) : undefined;
    };
    const rule2 = new AnswerRule2(layout, input.target, inquiryPages(snapshot.db, input.target.batch_id), scanner.report, PAGE_ROWS, fed);

    const accountRecord = (rec: ReadRecord): void => {
      const fl = rec.fields;
      const n = digitsValue(fl['inquiryNumber']);
      if (n < 0) {
        clean = false; // the layout check reports the digits
        return;
      }
      const code = fl['answerCode'] ?? '';
      const row = rule2.account(rec, n);
      if (rule2.opened) {
        counter.inquiry(code);
        if ((code === '3' || code === '4') && row !== undefined) {
          codes.set.seq(row[0]);
          codes.set.code(code === '3' ? 3 : 4);
          codes.endRow();
        }
      }
      if (row === undefined) {
        clean = false; // reported, or an inquiry the one-thread pass would leave unstored
        return;
      }
      lastSeq = row[0];
      account = -1;
      detailSeq = 0;
      if (code !== '1') return;
      const v = accountValues(fl, dates);
      counter.account(v.balance);
      const s = accounts.set;
      s.seq(row[0]);
      s.accountSeq(v.accountSeq);
      s.atena(row[1]);
      s.branch(v.branchCode);
      s.type(v.accountType);
      s.number(v.accountNumber);
      s.holder(v.holderKana);
      s.balance(v.balance);
      s.lastDate(v.lastTransactionDate);
      s.loan(v.loan);
      accounts.endRow();
      account = nAccounts++;
    };

    const detailRecord = (rec: ReadRecord): void => {
      counter.detail();
      if (account < 0) {
        clean = false; // a detail the one-thread pass would not store (rule 4 reports it)
        return;
      }
      const v = detailValues(rec.fields, dates);
      const s = details.set;
      s.account(account);
      s.seq(++detailSeq);
      s.date(v.date);
      s.direction(v.direction);
      s.amount(v.amount);
      s.after(v.balanceAfter);
      s.description(v.description);
      details.endRow();
    };

    readHandingOn(input.file, scanner, () => clean && !ctx.cancelled(), fresh, (b) => read.push(b));
    let bytes = 0;
    if (clean && !ctx.cancelled()) {
      const summary = scanner.end();
      rules.finish();
      rule2.finish(summary, trailerAt);
      if (!headerSeen) clean = false;
      bytes = summary.bytes;
    }
    if (ctx.cancelled()) return;
    if (clean && inChunk > 0) post();
    if (!clean) read = [];
    const rest = handOn();
    ctx.post({ kind: 'end', clean, records, bytes: clean ? bytes : 0, totals: counter.totals, read: rest.read }, rest.transfer);
  } finally {
    snapshot.end();
  }
}

export default runProducer(scanAnswerFile);
