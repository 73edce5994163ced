/**
 * The simulated bank's side of an instruction (instruction-120.md "The bank's side"):
 * reads an instruction file (種別コード 53) and writes the instruction result (63) —
 * 01 for every record but a seeded small share 99 (NOT_DONE_SHARE), collecting 取立指示額
 * on 指示日 (取立日 = 指示日 when 取立金額 > 0, else 00000000; 99: 0 and 00000000); the
 * header echoed with 種別コード 63, the trailer's totals computed by the writer. With a
 * statement path, the city account's 入出金取引明細 shows one deposit for the file's
 * collected total on 指示日 (statement.ts). For demos and tests only — not a bank.
 */
import { openOutputFile } from '../core/output-file.js';
import { SyncRecordWriter } from '../file/writer.js';
import { loadLayout } from '../layout/load.js';
import type { Layout } from '../layout/types.js';
import { digitsValue, ymdToIso } from '../steps/import-results/index.js';
import { Prng } from './prng.js';
import { RequestScan, commitAfter, ensureAbsent, scanAnswer } from './request.js';
import { writeFileStatement, type StatementSummary } from './statement.js';

/** Share of instruction records the simulated bank answers 99 (not done). */
export const NOT_DONE_SHARE = 0.05;

export interface InstructionSimOptions {
  instructionPath: string;
  resultPath: string;
  statementPath?: string;
  seed?: number;
  /** statement layout (default statement-03) */
  statementLayout?: string;
}

export interface InstructionSimSummary {
  seed: number;
  layout: string;
  bankCode: string;
  fileNumber: number;
  seizureFileNumber: number;
  /** 指示日 (ISO) */
  instructionDate: string;
  records: number;
  results: { '01': { records: number; collected: number }; '99': { records: number } };
  collected: number;
  resultPath: string;
  statement: StatementSummary | null;
}

/** A layout whose data records carry 取立指示額 (instruction-120 and its kin). */
export function isInstructionLayout(layout: Layout): boolean {
  return layout.records.data?.byId.has('collectAmount') === true;
}

export function answerInstructions(opts: InstructionSimOptions, layout: Layout): InstructionSimSummary {
  const seed = opts.seed ?? 1;
  ensureAbsent(opts.resultPath);
  if (opts.statementPath !== undefined) ensureAbsent(opts.statementPath);
  const rng = new Prng(seed);
  const out = openOutputFile(opts.resultPath, { clobber: false });
  const writer = new SyncRecordWriter(out.fd, layout);
  const scan = new RequestScan(opts.instructionPath, layout);
  let header = null as Record<string, string> | null; // set by the scan's callback (scanAnswer refuses a request without one)
  let date = '00000000';
  let records = 0;
  let done = 0;
  let notDone = 0;
  let collected = 0;
  scanAnswer(scan, writer, out, { ja: '指示結果ファイル', en: 'instruction result file' }, { raw: false }, (rec) => {
    const f = rec.fields;
    switch (rec.kind) {
      case 'header':
        if (f['typeCode'] !== '53') {
          scan.wrongType(rec, '53');
          return;
        }
        header = { ...f };
        date = f['instructionDate'] ?? '00000000';
        writer.header({ ...f, typeCode: '63' });
        return;
      case 'data': {
        records++;
        if (rng.next() < NOT_DONE_SHARE) {
          notDone++;
          writer.data({ ...f, resultCode: '99', collectedAmount: 0, collectionDate: '00000000' });
          return;
        }
        const amount = Math.max(0, digitsValue(f['collectAmount']));
        done++;
        collected += amount;
        writer.data({ ...f, resultCode: '01', collectedAmount: amount, collectionDate: amount > 0 ? date : '00000000' });
        return;
      }
      case 'trailer':
        writer.trailer({});
        return;
      case 'end':
        writer.end({});
        return;
    }
  });
  const h = header as Record<string, string>;
  const instructionDate = ymdToIso(date) ?? '';
  const fileNumber = digitsValue(h['fileNumber']);
  let statement: StatementSummary | null = null;
  commitAfter(out, () => {
    if (opts.statementPath !== undefined) {
      statement = writeFileStatement(h, {
        path: opts.statementPath,
        layout: loadLayout(opts.statementLayout ?? 'statement-03'),
        seed,
        fileNumber,
        // one deposit per file and 取立日: everything is collected on 指示日
        collections: collected > 0 ? [{ date: instructionDate, amount: collected }] : [],
        fallbackDate: instructionDate,
      });
    }
  });
  return {
    seed,
    layout: layout.id,
    bankCode: h['bankCode'] ?? '',
    fileNumber,
    seizureFileNumber: digitsValue(h['seizureFileNumber']),
    instructionDate,
    records,
    results: { '01': { records: done, collected }, '99': { records: notDone } },
    collected,
    resultPath: opts.resultPath,
    statement,
  };
}
