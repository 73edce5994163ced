/**
 * 銀行事務センター・シミュレーター（模擬）: reads a seizure request file (種別コード 51)
 * and writes the result file (種別コード 52) a bank's processing center would return,
 * optionally with the city's 入出金取引明細 (statement-03) showing the collected money.
 * For demos, tests and benchmarks only — it is not a bank.
 *
 * Deterministic per seed (src/bank-sim/prng.ts). One streaming pass: each request
 * record is decoded, decided (outcome.ts) and written at once through the format
 * engine's writer (trailer totals computed by the writer); memory stays flat. Output
 * goes to a temporary file renamed into place only when the whole request was valid.
 */
import { toDayNumber, todayTokyo } from '../core/dates.js';
import { AppError, EXIT } from '../core/errors.js';
import { openOutputFile } from '../core/output-file.js';
import { businessDayOnOrAfter } from '../domain/calendar.js';
import { RESULT_CODES } from '../domain/vocabulary.js';
import { digitsValue, ymdToIso } from '../steps/import-results/index.js';
import { SyncRecordWriter } from '../file/writer.js';
import { detectFileLayout } from '../file/detect-file.js';
import { loadLayout } from '../layout/load.js';
import type { Layout } from '../layout/types.js';
import { decideFromBalance, decideOutcome, type Outcome } from './outcome.js';
import { accountKey, balanceAtCut, emptyHistory, loadBook, loadHistory, type AccountBook } from './book.js';
import { RequestScan, commitAfter, ensureAbsent, scanAnswer } from './request.js';
import { Prng } from './prng.js';
import { writeFileStatement, type StatementSummary } from './statement.js';

export const SIMULATOR_LABEL = { ja: '銀行事務センター・シミュレーター（模擬）', en: 'bank processing-center SIMULATOR (not a real bank)' };

export interface SimulateOptions {
  requestPath: string;
  resultPath: string;
  statementPath?: string;
  seed?: number;
  /** layout id or path of the request (default: detected) */
  layout?: string;
  /** statement layout (default statement-03) */
  statementLayout?: string;
  /** the account book: seize from its balances instead of the random outcome (ADR 0134) */
  bookPath?: string;
  /** the book's transactions (book.ts: its 残高 is after all of them) */
  transactionsPath?: string;
}

export interface SimulateSummary {
  seed: number;
  layout: string;
  bankCode: string;
  fileNumber: number;
  collectionMode: 'immediate' | 'deferred';
  records: number;
  requests: number;
  results: Record<string, { records: number; seized: number; collected: number }>;
  seized: number;
  collected: number;
  /** collection date (ISO) → collected total */
  collections: Array<{ date: string; amount: number }>;
  resultPath: string;
  statement: StatementSummary | null;
}

export { answerInquiries, answerDateFor, isInquiryLayout, PAPER_SHARE, type AnswerOptions, type AnswerSummary } from './answer.js';
export { answerInstructions, isInstructionLayout, NOT_DONE_SHARE, type InstructionSimOptions, type InstructionSimSummary } from './instruction.js';

/** The layout of the file the simulator is given: `layoutOpt` (an id or path), else detected. */
export function requestLayout(requestPath: string, layoutOpt?: string): Layout {
  return layoutOpt !== undefined ? loadLayout(layoutOpt) : detectFileLayout(requestPath);
}

/** Simulate the processing center for one request file. */
export function simulateBank(opts: SimulateOptions): SimulateSummary {
  const seed = opts.seed ?? 1;
  ensureAbsent(opts.resultPath);
  if (opts.statementPath !== undefined) ensureAbsent(opts.statementPath);
  const layout = requestLayout(opts.requestPath, opts.layout);
  if (!layout.records.data?.byId.has('resultCode') || !layout.records.header) {
    throw new AppError({ code: 'bank-sim.layout', exit: EXIT.usage, msg: { ja: `${layout.id} は差押依頼ファイルのレイアウトではありません`, en: `${layout.id} is not a seizure request layout` } });
  }

  const rng = new Prng(seed);
  // through core/output-file.ts: placed (never over an existing file) only once the statement is written too
  const out = openOutputFile(opts.resultPath, { clobber: false });
  const writer = new SyncRecordWriter(out.fd, layout);
  const scan = new RequestScan(opts.requestPath, layout);
  let header = null as Record<string, string> | null; // set by the scan's callback (scanAnswer refuses a request without one)
  let mode: '1' | '2' = '1';
  let collectionDate = '00000000';
  let curReq = -1;
  let remaining = 0;
  let records = 0;
  let requests = 0;
  const results: SimulateSummary['results'] = {};
  let seized = 0;
  let collected = 0;
  // with a book (ADR 0134): each account's balance at the end of the execution date, less what this file seized from it
  let book: AccountBook | null = null;
  let left: Float64Array | null = null;

  scanAnswer(scan, writer, out, { ja: '結果ファイル', en: 'result file' }, { raw: false }, (rec) => {
    const f = rec.fields;
    switch (rec.kind) {
      case 'header': {
        if (f['typeCode'] !== '51') {
          scan.wrongType(rec, '51');
          return;
        }
        header = { ...f };
        mode = f['collectionMode'] === '2' ? '2' : '1';
        const exec = ymdToIso(f['executionDate'] ?? '');
        if (mode === '1' && exec !== null) collectionDate = businessDayOnOrAfter(exec).replaceAll('-', '');
        if (opts.bookPath !== undefined && exec !== null) {
          const b = loadBook(opts.bookPath, f['bankCode'] ?? '', { byPerson: false });
          const h = opts.transactionsPath === undefined ? emptyHistory(b) : loadHistory(opts.transactionsPath, b, toDayNumber(exec), null);
          left = new Float64Array(b.size);
          for (let a = 0; a < b.size; a++) left[a] = balanceAtCut(b, h, a);
          book = b;
        }
        writer.header({ ...f, typeCode: '52' });
        return;
      }
      case 'data': {
        records++;
        const req = digitsValue(f['requestNumber']);
        if (req !== curReq) {
          curReq = req;
          requests++;
          remaining = Math.max(0, digitsValue(f['limitAmount']));
        }
        let o: Outcome;
        if (book === null) o = decideOutcome(rng, remaining);
        else {
          const a = (book as AccountBook).byAccount.get(accountKey(f['branchCode'] ?? '', f['accountType'] ?? '', f['accountNumber'] ?? ''));
          o = decideFromBalance(a === undefined ? null : left![a]!, remaining);
          if (a !== undefined) left![a] = left![a]! - o.seized;
        }
        remaining -= o.seized;
        const col = mode === '1' ? o.seized : 0;
        const e = (results[o.code] ??= { records: 0, seized: 0, collected: 0 });
        e.records++;
        e.seized += o.seized;
        e.collected += col;
        seized += o.seized;
        collected += col;
        writer.data({
          ...f,
          resultCode: o.code,
          seizedAmount: o.seized,
          collectedAmount: col,
          collectionDate: col > 0 ? collectionDate : '00000000',
        });
        return;
      }
      case 'trailer':
        writer.trailer({ ...pick(f, ['dataKubun']) });
        return;
      case 'end':
        writer.end({});
        return;
    }
  });

  const h = header as Record<string, string>;
  const collections: Array<{ date: string; amount: number }> = collected > 0 ? [{ date: ymdToIso(collectionDate)!, amount: collected }] : [];
  let statement: StatementSummary | null = null;
  commitAfter(out, () => {
    if (opts.statementPath !== undefined) {
      const execIso = ymdToIso(h['executionDate'] ?? '') ?? todayTokyo();
      const fileNumber = digitsValue(h['fileNumber']);
      statement = writeFileStatement(h, {
        path: opts.statementPath,
        layout: loadLayout(opts.statementLayout ?? 'statement-03'),
        seed,
        fileNumber,
        collections,
        // with nothing collected (取立保留), the statement covers the execution day
        fallbackDate: businessDayOnOrAfter(execIso),
      });
    }
  });

  const sorted: SimulateSummary['results'] = {};
  for (const c of RESULT_CODES) if (results[c]) sorted[c] = results[c]!;
  return {
    seed,
    layout: layout.id,
    bankCode: h['bankCode'] ?? '',
    fileNumber: digitsValue(h['fileNumber']),
    collectionMode: mode === '1' ? 'immediate' : 'deferred',
    records,
    requests,
    results: sorted,
    seized,
    collected,
    collections,
    resultPath: opts.resultPath,
    statement,
  };
}

function pick(f: Record<string, string>, ids: string[]): Record<string, string> {
  const o: Record<string, string> = {};
  for (const id of ids) if (f[id] !== undefined) o[id] = f[id]!;
  return o;
}
