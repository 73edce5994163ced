/**
 * Held seizures (取立保留) as stored: the records of a deferred seizure batch whose
 * seizure result seized money, each with its newest instruction that is not cancelled
 * (instruction_records, migration 5). The state of a hold is decided by
 * src/domain/hold.ts; this module only reads. `holds`, `instruct`, `reconcile` and the
 * report all take their held records from here (one definition of what is held).
 */
import type { Db } from './connection.js';
import { holdState, isHeldSeizure, proposal, type HoldState } from '../domain/hold.js';

export interface HoldRow {
  /** the seizure batch */
  batchId: string;
  requestId: number;
  requestNumber: number;
  subNumber: number;
  /** 宛名番号 */
  atena: string;
  /** the seizure request file the record was written in */
  seizureFileNumber: number;
  branchCode: string;
  accountType: string;
  /** personal: mask before showing (core/mask.ts) */
  accountNumber: string;
  /** personal: 預金者名 as in the seizure request */
  holderName: string;
  /** 差押金額 as the seizure result reported it */
  seized: number;
  /** protected amount at inquiry (request_records.protected_amount) */
  protectedAmount: number;
  /** max(0, seized − protected) */
  proposal: number;
  state: HoldState;
  /** the newest instruction that is not cancelled, if any */
  instruction: {
    batchId: string;
    collect: number;
    release: number;
    overridden: boolean;
    resultCode: string | null;
    collected: number | null;
    collectionDate: string | null;
  } | null;
}

interface Raw {
  batchId: string;
  requestId: number;
  requestNumber: number;
  subNumber: number;
  atena: string;
  fileNumber: number;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  holderName: string;
  resultCode: string | null;
  seized: number | null;
  protectedAmount: number;
  iBatch: string | null;
  iCollect: number | null;
  iRelease: number | null;
  iOverridden: number | null;
  iResult: string | null;
  iCollected: number | null;
  iDate: string | null;
}

// The newest instruction of a record: the greatest instruction batch id (one bank per
// seizure batch, ids '<bank>-<8-digit first file number>' from one rising sequence).
const SQL = (where: string) => `
SELECT r.batch_id AS batchId, rr.request_id AS requestId, r.request_number AS requestNumber, rr.sub_number AS subNumber,
       r.atena AS atena, bf.file_number AS fileNumber, rr.branch_code AS branchCode, rr.account_type AS accountType,
       rr.account_number AS accountNumber, rr.holder_name AS holderName, rr.result_code AS resultCode,
       rr.seized_amount AS seized, rr.protected_amount AS protectedAmount,
       ir.batch_id AS iBatch, ir.collect_amount AS iCollect, ir.release_amount AS iRelease, ir.overridden AS iOverridden,
       ir.result_code AS iResult, ir.collected_amount AS iCollected, ir.collection_date AS iDate
FROM batches b
JOIN requests r ON r.batch_id = b.id
JOIN batch_files bf ON bf.batch_id = b.id AND r.request_number BETWEEN bf.first_request AND bf.last_request
JOIN request_records rr ON rr.request_id = r.id
LEFT JOIN instruction_records ir ON ir.request_id = rr.request_id AND ir.sub_number = rr.sub_number
  AND ir.batch_id = (SELECT MAX(i2.batch_id) FROM instruction_records i2 JOIN batches ib ON ib.id = i2.batch_id
                     WHERE i2.request_id = rr.request_id AND i2.sub_number = rr.sub_number AND ib.state <> 'cancelled')
WHERE b.kind = 'seizure' AND b.collection_mode = 'deferred' AND rr.result_code IN ('01','02','21') AND rr.seized_amount > 0
  AND ${where}
ORDER BY b.id, bf.file_number, r.request_number, rr.sub_number`;

function toRow(x: Raw): HoldRow | undefined {
  if (!isHeldSeizure(x.resultCode, x.seized)) return undefined;
  const seized = x.seized as number;
  const instruction =
    x.iBatch === null
      ? null
      : {
          batchId: x.iBatch,
          collect: x.iCollect as number,
          release: x.iRelease as number,
          overridden: x.iOverridden === 1,
          resultCode: x.iResult,
          collected: x.iCollected,
          collectionDate: x.iDate,
        };
  return {
    batchId: x.batchId,
    requestId: x.requestId,
    requestNumber: x.requestNumber,
    subNumber: x.subNumber,
    atena: x.atena,
    seizureFileNumber: x.fileNumber,
    branchCode: x.branchCode,
    accountType: x.accountType,
    accountNumber: x.accountNumber,
    holderName: x.holderName,
    seized,
    protectedAmount: x.protectedAmount,
    proposal: proposal(seized, x.protectedAmount),
    state: holdState(instruction === null ? undefined : { resultCode: instruction.resultCode, collectAmount: instruction.collect }),
    instruction,
  };
}

/**
 * Held records of one seizure batch, or (no id) of every deferred seizure batch not yet
 * reconciled, closed or cancelled; in batch, seizure file, 依頼番号, 枝番 order. Held
 * records are few (a 取立保留 batch's seized accounts), so they are returned as an array.
 */
export function holdRows(db: Db, seizureBatchId?: string): HoldRow[] {
  const raws =
    seizureBatchId === undefined
      ? (db.prepare(SQL(`b.state NOT IN ('reconciled','closed','cancelled')`)).all() as Raw[])
      : (db.prepare(SQL('b.id = ?')).all(seizureBatchId) as Raw[]);
  const out: HoldRow[] = [];
  for (const x of raws) {
    const r = toRow(x);
    if (r !== undefined) out.push(r);
  }
  return out;
}

export type HoldCounts = Record<HoldState, { records: number; seized: number }>;

/** Held records of a seizure batch counted by state (records, Σ 差押金額). */
export function holdCounts(rows: readonly HoldRow[]): HoldCounts {
  const c: HoldCounts = {
    held: { records: 0, seized: 0 },
    instructed: { records: 0, seized: 0 },
    collected: { records: 0, seized: 0 },
    released: { records: 0, seized: 0 },
    'not-done': { records: 0, seized: 0 },
  };
  for (const r of rows) {
    c[r.state].records++;
    c[r.state].seized += r.seized;
  }
  return c;
}
