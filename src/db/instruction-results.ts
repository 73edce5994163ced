/**
 * Queries of `import results` for an instruction result file (instruction-120.md "Rules an
 * instruction result must satisfy", 種別コード 63): the instruction file it answers (rule
 * 1), that file's instruction records in order (rule 2) and storing the bank's results on
 * them. The writes run inside the step's one transaction.
 */
import type { Db } from './connection.js';
import type { ReportedAccount } from './report.js';
import { WRITTEN_FILE_COLUMNS, type WrittenFileRow } from './results.js';

/** An instruction file this system wrote, with its batch and the seizure file it resolves. */
export interface InstructionFileRow extends WrittenFileRow {
  /** 差押依頼ファイル番号 */
  seizure_file_number: number | null;
  seizure_batch_id: string | null;
  /** 差押執行日 of the seizure batch (ISO) */
  seizure_execution_date: string | null;
}

/** Instruction files of a bank with that file number, newest batch first (normally at most one). */
export function instructionFilesByNumber(db: Db, bankCode: string, fileNumber: number): InstructionFileRow[] {
  return db
    .prepare(
      `SELECT ${WRITTEN_FILE_COLUMNS}, f.seizure_file_number, b.seizure_batch_id, sb.execution_date AS seizure_execution_date
       FROM batch_files f JOIN batches b ON b.id = f.batch_id LEFT JOIN batches sb ON sb.id = b.seizure_batch_id
       WHERE b.kind = 'instruction' AND b.bank_code = ? AND f.file_number = ?
       ORDER BY b.created_at DESC`,
    )
    .all(bankCode, fileNumber) as InstructionFileRow[];
}

/** One instruction record as rule 2 compares its result. */
export interface InstructionExpected {
  seq: number;
  request_number: number;
  sub_number: number;
  atena: string;
  branch_code: string;
  account_type: string;
  /** personal: mask before showing */
  account_number: string;
  seized_amount: number;
  collect_amount: number;
  release_amount: number;
}

/** The instruction records of one file (seq first…last), in file order. Few (a batch's held accounts): an array. */
export function instructionRecordsOfFile(db: Db, batchId: string, firstSeq: number, lastSeq: number): InstructionExpected[] {
  return db
    .prepare(
      `SELECT ir.seq, r.request_number, ir.sub_number, r.atena, rr.branch_code, rr.account_type, rr.account_number,
              ir.seized_amount, ir.collect_amount, ir.release_amount
       FROM instruction_records ir
       JOIN request_records rr ON rr.request_id = ir.request_id AND rr.sub_number = ir.sub_number
       JOIN requests r ON r.id = ir.request_id
       WHERE ir.batch_id = ? AND ir.seq BETWEEN ? AND ?
       ORDER BY ir.seq`,
    )
    .all(batchId, firstSeq, lastSeq) as InstructionExpected[];
}

/** Store one record's result (inside the caller's transaction). */
export function instructionResultWriter(db: Db, batchId: string, importId: number): (seq: number, code: string, collected: number, date: string | null) => void {
  const st = db.prepare(
    `UPDATE instruction_records SET result_code = ?, collected_amount = ?, collection_date = ?, result_import_id = ?
     WHERE batch_id = ? AND seq = ? AND result_code IS NULL`,
  );
  return (seq, code, collected, date) => {
    if (st.run(code, collected, date, importId, batchId, seq).changes !== 1) throw new Error(`instruction record ${batchId}/${seq} changed meanwhile`);
  };
}

/** One record of an instruction batch as its report lists it (mask the account before showing). */
export interface InstructionReportRow extends ReportedAccount {
  seq: number;
  fileNumber: number;
  seized: number;
  protectedAmount: number;
  collect: number;
  release: number;
  overridden: number;
  resultCode: string | null;
  collected: number | null;
  collectionDate: string | null;
}

/** Every record of an instruction batch with its file and result, in seq order (a batch's held accounts: few). */
export function instructionReportRows(db: Db, batchId: string): InstructionReportRow[] {
  return db
    .prepare(
      `SELECT ir.seq, bf.file_number AS fileNumber, r.atena, r.request_number AS requestNumber, ir.sub_number AS subNumber,
              rr.branch_code AS branchCode, rr.account_type AS accountType, rr.account_number AS accountNumber,
              ir.seized_amount AS seized, ir.protected_amount AS protectedAmount, ir.collect_amount AS collect, ir.release_amount AS release,
              ir.overridden, ir.result_code AS resultCode, ir.collected_amount AS collected, ir.collection_date AS collectionDate
       FROM instruction_records ir
       JOIN batch_files bf ON bf.batch_id = ir.batch_id AND ir.seq BETWEEN bf.first_request AND bf.last_request
       JOIN request_records rr ON rr.request_id = ir.request_id AND rr.sub_number = ir.sub_number
       JOIN requests r ON r.id = ir.request_id
       WHERE ir.batch_id = ? ORDER BY ir.seq`,
    )
    .all(batchId) as InstructionReportRow[];
}
