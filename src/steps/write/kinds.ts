/**
 * What differs per batch kind when its files are written (docs/adr/0125): the header's
 * values, the record source streamed into the layout writer, the file-name pattern and
 * the lines of the 合計表. Everything else — temporary file, fsync, publish or adopt,
 * read-back on the second core, manifest, audit — is the one protocol of write.ts.
 */
import { toCompact } from '../../core/dates.js';
import type { Db } from '../../db/connection.js';
import type { BankSettings } from '../../db/settings.js';
import { getBatch, fileRecordsReader, type BatchFileRow, type BatchRow } from '../../db/batches.js';
import { fileInquiriesReader } from '../../db/inquiries.js';
import { instructionFileTotals, fileInstructionsReader } from '../../db/instructions.js';
import type { InstructionSheetFacts } from './totals-sheet.js';
import type { FieldInput, FieldInputs } from '../../layout/codec.js';
import { dataRecordsOf, type Layout } from '../../layout/types.js';
import { recordDef } from '../../layout/load.js';
import type { DataSink } from '../../file/writer.js';
import type { BatchKind } from '../../domain/vocabulary.js';

export interface KindWriter {
  kind: BatchKind;
  /** the header of every file of the batch (fileNumber is added per file) */
  header(batch: BatchRow, s: BankSettings, bankName: string, db: Db): FieldInputs;
  /** header values that differ per file besides fileNumber (instruction: 差押依頼ファイル番号) */
  fileHeader?(f: BatchFileRow): FieldInputs;
  /** what the manifest and 合計表 add for one file of this kind (instruction: its seizure file and totals) */
  sheetFacts?(db: Db, batch: BatchRow, f: BatchFileRow): InstructionSheetFacts;
  /**
   * stream the file's data records from the database into the writer (nothing kept):
   * those whose key (request number, inquiry or instruction seq) is in `keys`, default
   * the whole file [first_request, last_request] (write's encoder splits a file, ADR 0190)
   */
  data(db: Db, w: DataSink, layout: Layout, batch: BatchRow, f: BatchFileRow, keys?: KeyRange): void;
}

/** A range of a file's record keys, both ends included. */
export interface KeyRange {
  from: number;
  to: number;
}

/** The i-th range of `chunk` keys of [first, last] (the last one may be shorter); null past the end. */
export function keyRange(first: number, last: number, chunk: number, i: number): KeyRange | null {
  const from = first + i * chunk;
  return from > last ? null : { from, to: Math.min(last, from + chunk - 1) };
}

/**
 * Keys read at once: a file's rows are read in ranges of this many keys, each whole
 * (better-sqlite3's all() costs about half of iterate() per row), so memory stays bounded.
 */
export const READ_KEYS = 1024;

/** Every row `read` gives for the keys of `keys`, READ_KEYS keys at a time, in order, to `each`. */
export function eachRow<R>(keys: KeyRange, read: (from: number, to: number) => R[], each: (r: R) => void): void {
  for (let i = 0; ; i++) {
    const k = keyRange(keys.from, keys.to, READ_KEYS, i);
    if (k === null) return;
    const rows = read(k.from, k.to);
    for (let j = 0; j < rows.length; j++) each(rows[j]!);
  }
}

/** [field id, DB column (−1: the constant; −2: set by the caller per record), constant] */
type Slot = [string, number, FieldInput];

/**
 * The request and account fields a seizure-120 request record carries and its instruction
 * repeats (columns 0–5 of RecordOutRaw and of InstructionOutRaw alike).
 */
const REQUEST_ACCOUNT: readonly Slot[] = [
  ['requestNumber', 0, undefined],
  ['subNumber', 1, undefined],
  ['branchCode', 2, undefined],
  ['accountType', 3, undefined],
  ['accountNumber', 4, undefined],
  ['holderName', 5, undefined],
];

/**
 * One row array for every data record of `ref`, in the order of the data fields the layout
 * has (another bank's layout may lack some; checked once by w.order): the writer encodes it
 * synchronously and keeps nothing of it. Constants are set once; fill(r) sets the slots of
 * DB columns from a raw row (a null column → undefined, the layout's default); the caller
 * sets its −2 slots (slot(id): their index, −1 when the layout lacks the field).
 */
function rowPlan(w: DataSink, layout: Layout, ref: string, all: Slot[]) {
  const rec = recordDef(layout, ref);
  const ids = all.filter(([id]) => rec?.byId.has(id) === true);
  const order = w.order(ref, ids.map(([id]) => id));
  const row: FieldInput[] = ids.map(([, , c]) => c);
  const slots: number[] = [];
  const col: number[] = []; // row slot → DB column
  ids.forEach(([, c], j) => {
    if (c >= 0) {
      slots.push(j);
      col.push(c);
    }
  });
  const n = slots.length;
  return {
    order,
    row,
    slot: (id: string): number => ids.findIndex(([i]) => i === id),
    fill(r: readonly unknown[]): void {
      for (let k = 0; k < n; k++) row[slots[k]!] = (r[col[k]!] ?? undefined) as FieldInput;
    },
  };
}

/** seizure-120: one data record per request record (request / 枝番 order). */
const seizure: KindWriter = {
  kind: 'seizure',
  header: (batch, s, bankName) => ({
    typeCode: '51',
    requesterCode: batch.requester_code,
    requesterName: s.requesterName,
    executionDate: toCompact(batch.execution_date),
    bankCode: batch.bank_code,
    bankName,
    collectionMode: batch.collection_mode === 'deferred' ? '2' : '1',
    depositBranch: s.depositBranch,
    depositAccountType: s.depositAccountType,
    depositAccountNumber: s.depositAccountNumber,
  }),
  data(db, w, layout, batch, f, keys = { from: f.first_request, to: f.last_request }) {
    // birth_date null → 00000000; the other columns are NOT NULL, the result fields constant
    const { order, row, slot, fill } = rowPlan(w, layout, 'data', [
      ...REQUEST_ACCOUNT,
      ['birthDate', -2, undefined],
      ['limitAmount', 7, undefined],
      ['resultCode', -1, '00'],
      ['seizedAmount', -1, 0],
      ['collectedAmount', -1, 0],
      ['collectionDate', -1, '00000000'],
    ]);
    const birth = slot('birthDate');
    eachRow(keys, fileRecordsReader(db, batch.id), (r) => {
      fill(r);
      if (birth >= 0) row[birth] = r[6] ?? '00000000';
      w.writeInOrder(order, row);
    });
  },
};

/**
 * inquiry-300 request (種別コード 61): one account record per inquiry, 照会番号 =
 * seq − the file's first seq + 1, the person's fields as stored by inquire, 口座通番 00,
 * 回答区分 0 and the account fields blank/zero (the layout's defaults); the trailer's
 * 照会件数 is counted by the writer, its other totals are 0.
 */
const inquiry: KindWriter = {
  kind: 'inquiry',
  header: (batch, s, bankName) => ({
    typeCode: '61',
    requesterCode: batch.requester_code,
    requesterName: s.requesterName,
    baseDate: toCompact(batch.execution_date),
    historyFrom: batch.history_from === null ? '00000000' : toCompact(batch.history_from),
    bankCode: batch.bank_code,
    bankName,
    answerDate: '00000000',
  }),
  data(db, w, layout, batch, f, keys = { from: f.first_request, to: f.last_request }) {
    // columns of InquiryOutRaw; 照会番号 (−2) = seq − the file's first seq + 1; only birth_date may be null
    const ref = dataRecordsOf(layout).some((r) => r.id === 'account') ? 'account' : 'data';
    const { order, row, slot, fill } = rowPlan(w, layout, ref, [
      ['inquiryNumber', -2, undefined],
      ['accountSeq', -1, 0],
      ['taxpayerId', 1, undefined],
      ['nameKana', 2, undefined],
      ['nameKanji', 3, undefined],
      ['birthDate', 4, undefined],
      ['address', 5, undefined],
      ['answerCode', -1, 0],
    ]);
    const num = slot('inquiryNumber');
    const first = f.first_request;
    eachRow(keys, fileInquiriesReader(db, batch.id), (r) => {
      if (num >= 0) row[num] = r[0] - first + 1;
      fill(r);
      w.writeInOrder(order, row);
    });
  },
};

/** The 差押執行日 of the seizure batch an instruction batch instructs. */
function seizureExecutionDate(db: Db, batch: BatchRow): string {
  const sb = batch.seizure_batch_id === null ? undefined : getBatch(db, batch.seizure_batch_id);
  if (sb === undefined) throw new Error(`instruction batch ${batch.id} has no seizure batch`);
  return sb.execution_date;
}

/**
 * instruction-120 instruction (種別コード 53): one data record per instruction_records row
 * (seq order = 依頼番号, 枝番 within the seizure file), the account fields and 預金者名 as
 * the seizure request carried them, 差押金額 / 取立指示額 / 解除額 as instruct stored them,
 * result fields "00", 0, "00000000"; the trailer's totals are computed by the writer.
 */
const instruction: KindWriter = {
  kind: 'instruction',
  header: (batch, s, bankName, db) => ({
    typeCode: '53',
    requesterCode: batch.requester_code,
    requesterName: s.requesterName,
    instructionDate: toCompact(batch.execution_date),
    bankCode: batch.bank_code,
    bankName,
    executionDate: toCompact(seizureExecutionDate(db, batch)),
    depositBranch: s.depositBranch,
    depositAccountType: s.depositAccountType,
    depositAccountNumber: s.depositAccountNumber,
  }),
  fileHeader: (f) => ({ seizureFileNumber: f.seizure_file_number ?? 0 }),
  sheetFacts: (db, batch, f) => {
    const tot = instructionFileTotals(db, batch.id, f.first_request, f.last_request);
    return {
      seizureBatch: batch.seizure_batch_id ?? '',
      seizureFileNumber: f.seizure_file_number ?? 0,
      seizureExecutionDate: seizureExecutionDate(db, batch),
      seizedTotal: tot.seized,
      collectTotal: tot.collect,
      releaseTotal: tot.release,
    };
  },
  data(db, w, layout, batch, f, keys = { from: f.first_request, to: f.last_request }) {
    // every column NOT NULL
    const { order, row, fill } = rowPlan(w, layout, 'data', [
      ...REQUEST_ACCOUNT,
      ['seizedAmount', 6, undefined],
      ['collectAmount', 7, undefined],
      ['releaseAmount', 8, undefined],
      ['resultCode', -1, '00'],
      ['collectedAmount', -1, 0],
      ['collectionDate', -1, '00000000'],
    ]);
    eachRow(keys, fileInstructionsReader(db, batch.id), (r) => {
      fill(r);
      w.writeInOrder(order, row);
    });
  },
};

/** The writer of a batch kind; undefined for a kind `write` cannot write (yet). */
export function kindWriter(kind: string): KindWriter | undefined {
  return kind === 'seizure' ? seizure : kind === 'inquiry' ? inquiry : kind === 'instruction' ? instruction : undefined;
}
