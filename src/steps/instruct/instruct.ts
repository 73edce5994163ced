/**
 * The instruct step (instruction-120.md "Writing instructions", cli.md `instruct`): one
 * instruction batch for a deferred (取立保留) seizure batch whose results are in, covering
 * every held account not yet resolved (held, or answered 99) — one instruction file per
 * seizure file with such accounts, records in 依頼番号, 枝番 order. Each account's
 * 取立指示額 is its proposal (domain/hold.ts) unless `--collect REQ-SUB=YEN` overrides it;
 * 解除額 = 差押金額 − 取立指示額. File numbers come from the bank's one sequence (as for
 * inquire). ONE transaction; a dry run stores and reserves nothing.
 */
import { conflict, usageError } from '../../core/errors.js';
import { nowTokyoTimestamp, todayTokyo } from '../../core/dates.js';
import { requireBusinessDay } from '../../domain/business-day-check.js';
import { batchStateMsg } from '../../domain/vocabulary.js';
import { holdStateMsg, isInstructable } from '../../domain/hold.js';
import type { Db } from '../../db/connection.js';
import { audit, currentOperator } from '../../db/audit.js';
import { getBankSettings } from '../../db/settings.js';
import { batchExists, batchIdFor, firstFreeFileNumber, setNextFileNumber } from '../../db/batches.js';
import { holdCounts, holdRows, type HoldRow } from '../../db/holds.js';
import { instructionWriter } from '../../db/instructions.js';
import { requireDeferredSeizure } from '../../db/no-such-batch.js';

export interface InstructOptions {
  /** 指示日, YYYY-MM-DD: a bank business day, on or after 差押執行日, not before today */
  date: string;
  /** `--collect` values as given: `依頼番号-枝番=円` (e.g. 101-01=5000) */
  collect?: readonly string[];
  dryRun?: boolean;
  /** the day 指示日 may not precede (default todayTokyo(), which honours SASHIOSAE_TODAY) */
  today?: string;
  operator?: string;
}

export interface InstructFile {
  fileNumber: number;
  seizureFileNumber: number;
  records: number;
}

export interface InstructOverride {
  /** 依頼番号-枝番, e.g. 101-01 */
  record: string;
  proposal: number;
  collect: number;
}

export interface InstructResult {
  batch: string;
  seizureBatch: string;
  date: string;
  dryRun: boolean;
  files: InstructFile[];
  /** instructed seizure requests */
  requests: number;
  records: number;
  seizedTotal: number;
  collectTotal: number;
  releaseTotal: number;
  /** records with 解除額 > 0 */
  releases: number;
  overrides: InstructOverride[];
}

const MAX_FILE_NUMBER = 99_999_999;
/** 件数 is 6 digits */
const MAX_RECORDS_PER_FILE = 999_999;
const INSTRUCTION_DATE = { ja: '指示日', en: 'instruction date' };

/** 依頼番号-枝番 as people write it: 101-01. */
export function recordKey(requestNumber: number, subNumber: number): string {
  return `${requestNumber}-${String(subNumber).padStart(2, '0')}`;
}

interface ParsedCollect {
  requestNumber: number;
  subNumber: number;
  amount: number;
  text: string;
}

/** `--collect 101-01=5000`: malformed → exit 2 naming the value. */
export function parseCollect(text: string): ParsedCollect {
  const m = /^(\d{1,10})-(\d{1,2})=(\d{1,12})$/.exec(text.trim());
  if (m === null) {
    throw usageError('instruct.collect', {
      ja: `--collect ${JSON.stringify(text)} は「依頼番号-枝番=取立指示額（円）」の形で指定してください（例: --collect 101-01=5000、全額解除は 101-01=0）。`,
      en: `--collect ${JSON.stringify(text)} must be 依頼番号-枝番=amount in yen (e.g. --collect 101-01=5000; 101-01=0 releases it entirely).`,
    });
  }
  return { requestNumber: Number(m[1]), subNumber: Number(m[2]), amount: Number(m[3]), text };
}

function checkDate(opts: InstructOptions, executionDate: string): void {
  requireBusinessDay(opts.date, INSTRUCTION_DATE, { invalid: 'instruct.date', notBusinessDay: 'instruct.not-business-day' });
  if (opts.date < executionDate) {
    throw usageError('instruct.before-execution', {
      ja: `指示日 ${opts.date} は差押執行日 ${executionDate} より前です。差押執行日以降の営業日を指定してください。`,
      en: `instruction date ${opts.date} is before the seizure's execution date ${executionDate}; give a business day on or after it.`,
    });
  }
  const today = opts.today ?? todayTokyo();
  if (opts.date < today) {
    throw usageError('instruct.date-past', {
      ja: `指示日 ${opts.date} は今日（${today}）より前です。今日以降の営業日を指定してください。`,
      en: `instruction date ${opts.date} is before today (${today}); give a business day from today on.`,
    });
  }
}

/** The --collect overrides by record key, each checked against the batch's holds (exit 2). */
function overridesOf(batchId: string, texts: readonly string[], rows: readonly HoldRow[]): Map<string, number> {
  const byKey = new Map(rows.map((r) => [recordKey(r.requestNumber, r.subNumber), r]));
  const out = new Map<string, number>();
  for (const text of texts) {
    const c = parseCollect(text);
    const key = recordKey(c.requestNumber, c.subNumber);
    const r = byKey.get(key);
    if (r === undefined || !isInstructable(r.state)) {
      const why =
        r === undefined
          ? { ja: 'このバッチで取立保留中の口座ではありません（差押されていない・取立保留でない・依頼番号違い）', en: 'it is not an account held in this batch (not seized, not 取立保留, or no such record)' }
          : { ja: `状態が「${holdStateMsg(r.state).ja}」で、指示の対象ではありません`, en: `its state is '${holdStateMsg(r.state).en}', so it is not instructable` };
      throw usageError('instruct.collect-not-held', {
        ja: `--collect ${key}: ${why.ja}（バッチ ${batchId}）。sashiosae holds ${batchId} で対象の口座を確認してください。`,
        en: `--collect ${key}: ${why.en} (batch ${batchId}); sashiosae holds ${batchId} lists the accounts.`,
      });
    }
    if (c.amount > r.seized) {
      throw usageError('instruct.collect-too-much', {
        ja: `--collect ${key}=${c.amount}: 取立指示額が差押金額 ${r.seized} 円を超えています。0〜${r.seized} 円で指定してください。`,
        en: `--collect ${key}=${c.amount}: more than the seized amount ${r.seized} yen; give 0–${r.seized}.`,
      });
    }
    if (out.has(key)) {
      throw usageError('instruct.collect', { ja: `--collect ${key} が2回指定されています。1口座に1回だけ指定してください。`, en: `--collect ${key} is given twice; give each account once.` });
    }
    out.set(key, c.amount);
  }
  return out;
}

export function instruct(db: Db, batchId: string, opts: InstructOptions): InstructResult {
  const operator = currentOperator(opts.operator);
  const dry = opts.dryRun === true;
  let result: InstructResult | undefined;
  const tx = db.transaction(() => {
    result = instructInTransaction(db, batchId, opts, dry, operator);
  });
  // a real run takes the write lock before reading (the file numbers it reserves are then the next ones)
  if (dry) tx.deferred();
  else tx.immediate();
  if (result === undefined) throw new Error('instruct produced no result');
  return result;
}

function instructInTransaction(db: Db, batchId: string, opts: InstructOptions, dry: boolean, operator: string): InstructResult {
  const seizure = requireDeferredSeizure(db, batchId, 'instruct');
  if (seizure.state === 'extracted' || seizure.state === 'written' || seizure.state === 'cancelled') {
    const code = seizure.state === 'cancelled' ? 'batch.wrong-state' : 'instruct.no-results';
    throw conflict(code, {
      ja: `バッチ ${batchId} は状態「${batchStateMsg(seizure.state).ja}」です。取立指示は差押結果を取り込んだ（import results）後に作れます。`,
      en: `batch ${batchId} is '${batchStateMsg(seizure.state).en}'; an instruction can be made once its seizure results are imported (import results).`,
    });
  }
  checkDate(opts, seizure.execution_date);
  const rows = holdRows(db, batchId);
  const todo = rows.filter((r) => isInstructable(r.state));
  if (todo.length === 0) {
    const c = holdCounts(rows);
    throw conflict('instruct.nothing-to-instruct', {
      ja: `バッチ ${batchId} には指示する口座がありません（取立保留 ${rows.length}件: 指示済・結果待ち ${c.instructed.records}件、取立済 ${c.collected.records}件、全額解除 ${c.released.records}件）。`,
      en: `batch ${batchId} has nothing left to instruct (${rows.length} held records: ${c.instructed.records} instructed awaiting results, ${c.collected.records} collected, ${c.released.records} released).`,
    });
  }
  const overrides = overridesOf(batchId, opts.collect ?? [], rows);

  const s = getBankSettings(db, seizure.bank_code);
  if (s === null) {
    throw conflict('instruct.bank-not-configured', {
      ja: `金融機関 ${seizure.bank_code} の設定がありません。sashiosae settings で設定してから指示してください。`,
      en: `bank ${seizure.bank_code} has no settings; configure it with sashiosae settings first.`,
    });
  }
  // one file per seizure file (holdRows is in seizure file, 依頼番号, 枝番 order)
  const groups: HoldRow[][] = [];
  for (const r of todo) {
    const last = groups[groups.length - 1];
    if (last !== undefined && (last[0] as HoldRow).seizureFileNumber === r.seizureFileNumber) last.push(r);
    else groups.push([r]);
  }
  const firstFile = firstFreeFileNumber(db, s);
  const lastFile = firstFile + groups.length - 1;
  if (lastFile > MAX_FILE_NUMBER) {
    throw conflict('instruct.file-number', {
      ja: `金融機関 ${s.bankCode} のファイル番号が8桁 (${MAX_FILE_NUMBER}) を超えます。`,
      en: `bank ${s.bankCode}: file number exceeds 8 digits (${MAX_FILE_NUMBER}).`,
    });
  }
  const id = batchIdFor(s.bankCode, firstFile);
  if (batchExists(db, id)) {
    throw conflict('instruct.batch-exists', {
      ja: `バッチ ${id} は既に存在します。金融機関 ${s.bankCode} の次のファイル番号の設定を確認してください。`,
      en: `batch ${id} already exists; check the next file number of bank ${s.bankCode}.`,
    });
  }

  let seizedTotal = 0;
  let collectTotal = 0;
  let releases = 0;
  const applied: InstructOverride[] = [];
  const collectOf = todo.map((r) => {
    const key = recordKey(r.requestNumber, r.subNumber);
    const o = overrides.get(key);
    const collect = o ?? r.proposal;
    if (o !== undefined) applied.push({ record: key, proposal: r.proposal, collect: o });
    seizedTotal += r.seized;
    collectTotal += collect;
    if (collect < r.seized) releases++;
    return collect;
  });
  const files: InstructFile[] = groups.map((g, k) => {
    if (g.length > MAX_RECORDS_PER_FILE) throw new Error(`instruct: ${g.length} records in one file exceed the 6-digit 件数`);
    return { fileNumber: firstFile + k, seizureFileNumber: (g[0] as HoldRow).seizureFileNumber, records: g.length };
  });
  const requests = new Set(todo.map((r) => r.requestId)).size;
  const result: InstructResult = {
    batch: id,
    seizureBatch: batchId,
    date: opts.date,
    dryRun: dry,
    files,
    requests,
    records: todo.length,
    seizedTotal,
    collectTotal,
    releaseTotal: seizedTotal - collectTotal,
    releases,
    overrides: applied,
  };
  if (dry) return result;

  const now = nowTokyoTimestamp();
  const w = instructionWriter(db);
  const runId = w.run(opts.date, JSON.stringify({ seizureBatch: batchId, collect: applied }), now, operator);
  w.batch({
    id,
    runId,
    bankCode: s.bankCode,
    requesterCode: s.requesterCode,
    instructionDate: opts.date,
    layoutId: s.instructionLayout,
    seizureBatchId: batchId,
    requests,
    records: todo.length,
    createdAt: now,
  });
  let seq = 0;
  groups.forEach((g, k) => {
    const firstSeq = seq + 1;
    for (const r of g) {
      seq++;
      w.record({
        batchId: id,
        seq,
        requestId: r.requestId,
        subNumber: r.subNumber,
        seizureFileNumber: r.seizureFileNumber,
        seized: r.seized,
        protectedAmount: r.protectedAmount,
        proposal: r.proposal,
        collect: collectOf[seq - 1] as number,
        overridden: overrides.has(recordKey(r.requestNumber, r.subNumber)),
      });
    }
    w.file({ batchId: id, seq: k + 1, fileNumber: firstFile + k, seizureFileNumber: (g[0] as HoldRow).seizureFileNumber, firstSeq, lastSeq: seq });
  });
  setNextFileNumber(db, s.bankCode, lastFile + 1, now);
  // audit (issue 16 item 6): the instruction, its totals, every override and release — record keys and yen only, no personal data
  audit(
    db,
    {
      action: 'batch.instruct',
      batchId: id,
      details: {
        seizureBatch: batchId,
        instructionDate: opts.date,
        files: files.map((f) => ({ fileNumber: f.fileNumber, seizureFileNumber: f.seizureFileNumber, records: f.records })),
        requests,
        records: todo.length,
        seizedTotal,
        collectTotal,
        releaseTotal: seizedTotal - collectTotal,
        overrides: applied,
        releases: todo
          .map((r, i) => ({ record: recordKey(r.requestNumber, r.subNumber), release: r.seized - (collectOf[i] as number) }))
          .filter((x) => x.release > 0),
      },
    },
    operator,
  );
  return result;
}
