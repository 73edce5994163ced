/**
 * Instruction batches for tests of issue 16's result half (import results of an
 * instruction result, reconcile and report of a 取立保留 batch), built without `instruct`
 * (written in parallel): a deferred seizure batch whose results were really imported
 * (request file by the format engine's writer, result by bank-sim, stored by import
 * results), then an instruction batch, its file and its instruction records inserted with
 * SQL following src/db/schema.ts, and the bank's 63 result file written with the layout
 * writer (real bytes, real totals).
 */
import * as path from 'node:path';
import { simulateBank } from '../../src/bank-sim/index.js';
import type { Db } from '../../src/db/connection.js';
import { holdRows, type HoldRow } from '../../src/db/holds.js';
import { SyncRecordWriter } from '../../src/file/writer.js';
import { loadLayout } from '../../src/layout/load.js';
import { importResults } from '../../src/steps/import-results/import-results.js';
import { makeBatch } from '../results/fixture.js';

export const INSTRUCTION = loadLayout('instruction-120');
/** 120 bytes + CRLF */
export const REC = 122;

/** A deferred seizure batch (差押執行日 2026-12-01) with its results imported through `import results`. */
export function deferredSeizure(db: Db, dir: string, opts: { accounts?: number[]; fileNumber?: number; seed?: number } = {}): { batchId: string; fileNumber: number; holds: HoldRow[] } {
  const b = makeBatch(db, dir, { accounts: opts.accounts ?? [1, 2, 3, 1, 4], mode: 'deferred', fileNumber: opts.fileNumber ?? 42 });
  const out = path.join(dir, `RESULT_${b.files[0]!.fileNumber}.DAT`);
  simulateBank({ requestPath: b.files[0]!.path, resultPath: out, seed: opts.seed ?? 7 });
  importResults(db, out);
  return { batchId: b.batchId, fileNumber: b.files[0]!.fileNumber, holds: holdRows(db, b.batchId) };
}

export interface InstructedRecord {
  seq: number;
  hold: HoldRow;
  collect: number;
  release: number;
}

export interface InstructionMade {
  batchId: string;
  fileNumber: number;
  /** 指示日 */
  date: string;
  seizureBatchId: string;
  seizureFileNumber: number;
  executionDate: string;
  records: InstructedRecord[];
}

/**
 * Insert a written instruction batch over the given holds (default: every instructable
 * hold of the seizure batch), 取立指示額 = `collect(hold)` (default the proposal).
 */
export function instructionBatch(
  db: Db,
  seizureBatchId: string,
  o: { date?: string; fileNumber?: number; holds?: HoldRow[]; collect?: (h: HoldRow) => number } = {},
): InstructionMade {
  const date = o.date ?? '2026-12-08';
  const holds = o.holds ?? holdRows(db, seizureBatchId).filter((h) => h.state === 'held' || h.state === 'not-done');
  const seizure = db.prepare('SELECT bank_code, requester_code, execution_date FROM batches WHERE id = ?').get(seizureBatchId) as { bank_code: string; requester_code: string; execution_date: string };
  const fileNumber = o.fileNumber ?? 100 + (db.prepare(`SELECT COUNT(*) AS n FROM batches WHERE kind = 'instruction'`).get() as { n: number }).n;
  const batchId = `${seizure.bank_code}-${String(fileNumber).padStart(8, '0')}`;
  const records = holds.map((h, i) => {
    const collect = o.collect ? o.collect(h) : h.proposal;
    return { seq: i + 1, hold: h, collect, release: h.seized - collect };
  });
  const seizureFileNumber = holds[0]?.seizureFileNumber ?? 0;
  db.transaction(() => {
    db.prepare(
      `INSERT INTO batches (id, kind, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, seizure_batch_id, created_at, updated_at)
       VALUES (?, 'instruction', 1, ?, ?, ?, NULL, 'instruction-120', 'written', ?, ?, 0, ?, ?, ?)`,
    ).run(batchId, seizure.bank_code, seizure.requester_code, date, records.length, records.length, seizureBatchId, `t${fileNumber}`, `t${fileNumber}`);
    db.prepare(
      `INSERT INTO batch_files (batch_id, seq, file_number, first_request, last_request, records, limit_total, file_name, sha256, bytes, written_at, seizure_file_number)
       VALUES (?, 1, ?, 1, ?, ?, 0, ?, 'sha', 0, 't', ?)`,
    ).run(batchId, fileNumber, records.length, records.length, `INST_${seizure.bank_code}_${fileNumber}.DAT`, seizureFileNumber);
    const ins = db.prepare(
      `INSERT INTO instruction_records (batch_id, seq, request_id, sub_number, seizure_file_number, seized_amount, protected_amount, proposal, collect_amount, release_amount, overridden)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const r of records) {
      ins.run(batchId, r.seq, r.hold.requestId, r.hold.subNumber, r.hold.seizureFileNumber, r.hold.seized, r.hold.protectedAmount, r.hold.proposal, r.collect, r.release, r.collect === r.hold.proposal ? 0 : 1);
    }
  })();
  return { batchId, fileNumber, date, seizureBatchId, seizureFileNumber, executionDate: seizure.execution_date, records };
}

/** The fields of one result data record (text or numbers as the writer takes them). */
export type ResultFields = Record<string, string | number>;

/** The bank's correct answer to an instruction: 01 for every record, collected on 指示日. */
export function resultRecords(m: InstructionMade, collectionDate = m.date): ResultFields[] {
  return m.records.map((r) => ({
    requestNumber: r.hold.requestNumber,
    subNumber: r.hold.subNumber,
    branchCode: r.hold.branchCode,
    accountType: r.hold.accountType,
    accountNumber: r.hold.accountNumber,
    holderName: r.hold.holderName,
    seizedAmount: r.hold.seized,
    collectAmount: r.collect,
    releaseAmount: r.release,
    resultCode: '01',
    collectedAmount: r.collect,
    collectionDate: r.collect > 0 ? collectionDate : '00000000',
  }));
}

/** Write a 63 result file (header echoing the instruction unless overridden; totals computed by the writer). */
export function writeInstructionResult(file: string, m: InstructionMade, data: ResultFields[], header: ResultFields = {}): string {
  const w = new SyncRecordWriter(file, INSTRUCTION);
  w.header({
    typeCode: '63', requesterCode: '0000012345', requesterName: 'ｶｺﾞｼﾏｼ', instructionDate: m.date, bankCode: m.batchId.slice(0, 4), bankName: 'ﾐﾔｻﾞｷ',
    fileNumber: m.fileNumber, seizureFileNumber: m.seizureFileNumber, executionDate: m.executionDate, depositBranch: '123', depositAccountType: '1', depositAccountNumber: '1234567',
    ...header,
  });
  for (const d of data) w.data(d);
  w.trailer({});
  w.end({});
  w.close();
  return file;
}
