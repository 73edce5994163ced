/**
 * Queries of instruction batches (instruction-120.md; schema migration 5): the writes of
 * `instruct` (its run, batch, files and instruction_records) and the records of one
 * instruction file for `write`. An instruction batch is a `batches` row of kind
 * 'instruction' (execution_date = 指示日, seizure_batch_id = the deferred seizure batch);
 * its files are `batch_files` rows whose first_request / last_request are the seq range
 * of its instruction_records and whose seizure_file_number is the seizure request file
 * whose holds the file resolves. What is held is read from db/holds.ts only.
 */
import type { Db } from './connection.js';

export interface InstructionBatchInput {
  id: string;
  runId: number;
  bankCode: string;
  requesterCode: string;
  /** 指示日 (ISO) */
  instructionDate: string;
  layoutId: string;
  seizureBatchId: string;
  /** instructed seizure requests */
  requests: number;
  records: number;
  createdAt: string;
}

export interface InstructionFileInput {
  batchId: string;
  seq: number;
  fileNumber: number;
  seizureFileNumber: number;
  /** seq range of the instruction_records in this file */
  firstSeq: number;
  lastSeq: number;
}

export interface InstructionRecordInput {
  batchId: string;
  seq: number;
  requestId: number;
  subNumber: number;
  seizureFileNumber: number;
  seized: number;
  protectedAmount: number;
  proposal: number;
  collect: number;
  overridden: boolean;
}

/** Prepared writes of `instruct`. */
export interface InstructionWriter {
  /** an extractions row of kind 'instruction' (batches need one); returns its id */
  run(instructionDate: string, options: string, createdAt: string, operator: string): number;
  batch(b: InstructionBatchInput): void;
  file(f: InstructionFileInput): void;
  record(r: InstructionRecordInput): void;
}

export function instructionWriter(db: Db): InstructionWriter {
  const run = db.prepare("INSERT INTO extractions (kind, processing_date, options, created_at, operator) VALUES ('instruction', ?, ?, ?, ?)");
  const bat = db.prepare(
    `INSERT INTO batches (id, kind, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state,
                          requests, records, limit_total, history_from, seizure_batch_id, created_at, updated_at)
     VALUES (?, 'instruction', ?, ?, ?, ?, NULL, ?, 'extracted', ?, ?, 0, NULL, ?, ?, ?)`,
  );
  const file = db.prepare(
    'INSERT INTO batch_files (batch_id, seq, file_number, first_request, last_request, records, limit_total, seizure_file_number) VALUES (?, ?, ?, ?, ?, ?, 0, ?)',
  );
  const rec = db.prepare(
    `INSERT INTO instruction_records (batch_id, seq, request_id, sub_number, seizure_file_number, seized_amount, protected_amount, proposal,
                                      collect_amount, release_amount, overridden)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return {
    run: (d, o, c, op) => Number(run.run(d, o, c, op).lastInsertRowid),
    batch: (b) =>
      void bat.run(b.id, b.runId, b.bankCode, b.requesterCode, b.instructionDate, b.layoutId, b.requests, b.records, b.seizureBatchId, b.createdAt, b.createdAt),
    file: (f) => void file.run(f.batchId, f.seq, f.fileNumber, f.firstSeq, f.lastSeq, f.lastSeq - f.firstSeq + 1, f.seizureFileNumber),
    record: (r) =>
      void rec.run(r.batchId, r.seq, r.requestId, r.subNumber, r.seizureFileNumber, r.seized, r.protectedAmount, r.proposal, r.collect, r.seized - r.collect, r.overridden ? 1 : 0),
  };
}

/** [request_number, sub_number, branch_code, account_type, account_number, holder_name, seized, collect, release] */
export type InstructionOutRaw = [number, number, string, string, string, string, number, number, number];

/** An instruction batch's data records with seq in [firstSeq, lastSeq], in seq order, as arrays, all at once (the caller bounds the range; kinds.ts); one prepared statement for every range read. */
export function fileInstructionsReader(db: Db, batchId: string): (firstSeq: number, lastSeq: number) => InstructionOutRaw[] {
  const st = db
    .prepare(
      `SELECT r.request_number, ir.sub_number, rr.branch_code, rr.account_type, rr.account_number, rr.holder_name,
              ir.seized_amount, ir.collect_amount, ir.release_amount
       FROM instruction_records ir
       JOIN request_records rr ON rr.request_id = ir.request_id AND rr.sub_number = ir.sub_number
       JOIN requests r ON r.id = ir.request_id
       WHERE ir.batch_id = ? AND ir.seq BETWEEN ? AND ? ORDER BY ir.seq`,
    )
    .raw(true);
  return (first, last) => st.all(batchId, first, last) as InstructionOutRaw[];
}

export interface InstructionFileTotals {
  records: number;
  seized: number;
  collect: number;
  release: number;
}

/** Σ of one instruction file's records (the 合計表 and manifest). */
export function instructionFileTotals(db: Db, batchId: string, firstSeq: number, lastSeq: number): InstructionFileTotals {
  return db
    .prepare(
      `SELECT COUNT(*) AS records, COALESCE(SUM(seized_amount),0) AS seized, COALESCE(SUM(collect_amount),0) AS collect, COALESCE(SUM(release_amount),0) AS release
       FROM instruction_records WHERE batch_id = ? AND seq BETWEEN ? AND ?`,
    )
    .get(batchId, firstSeq, lastSeq) as InstructionFileTotals;
}
