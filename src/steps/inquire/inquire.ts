/**
 * The inquire step (inquiry-300.md "Writing a request", cli.md `inquire`): who is asked
 * about their deposits, at which banks, as of 照会基準日 D — one inquiry batch per bank,
 * in ONE transaction (a dry run stores and reserves nothing).
 *
 * Pass 1 pages through the taxpayers in 宛名番号 text order (extract's page reads for
 * debts and open requests, db/batches.ts; the same debt rules, domain/eligibility.ts),
 * decides each taxpayer (first exclusion reason in INQUIRY_EXCLUSION_REASONS order, or
 * the banks to ask), writes exclusions and stages the people asked with their fields as
 * written (氏名カナ narrowed, 氏名/住所 widened). Pass 2 numbers each bank's inquiries in
 * numeric 宛名番号 order with one INSERT … SELECT from the stage (db/inquiries.ts,
 * ADR 0122), splits them into files and reserves the file numbers from the bank's one
 * sequence.
 */
import { conflict, usageError } from '../../core/errors.js';
import { addDays, nowTokyoTimestamp, todayTokyo } from '../../core/dates.js';
import { requireBusinessDay } from '../../domain/business-day-check.js';
import { debtLeftOutReason, statusExclusion, type ExclusionReason } from '../../domain/eligibility.js';
import { INQUIRY_DEFAULTS, INQUIRY_EXCLUSION_REASONS, INQUIRY_FIELD_BYTES, idWritable } from '../../domain/inquiry.js';
import { narrowName } from '../../text/narrow.js';
import { widenText } from '../../text/widen.js';
import type { Db } from '../../db/connection.js';
import { audit, currentOperator } from '../../db/audit.js';
import { getBankSettings, listBankSettings, type BankSettings } from '../../db/settings.js';
import { batchExists, batchIdFor, countActiveTaxpayers, extractPageReader, firstFreeFileNumber, setNextFileNumber, type DebtRaw } from '../../db/batches.js';
import {
  inquirePageReader,
  inquiryExclusionWriter,
  inquiryRunNumber,
  inquiryStage,
  inquiryWriter,
  paddedIdCollisions,
  type InquiryStage,
} from '../../db/inquiries.js';
import { toFacts } from '../extract/index.js';

export interface InquireOptions {
  /** 照会基準日, YYYY-MM-DD: a bank business day, not before today */
  date: string;
  /** bank codes (each must have settings); default: every bank with settings */
  banks?: string[];
  /** 取引明細開始日 = date − historyDays (default 90; 0 = no history) */
  historyDays?: number;
  /** a (taxpayer, bank) asked with 照会基準日 ≥ date − this many days is skipped (default 30) */
  reinquireAfter?: number;
  /** compute and report, store and reserve nothing */
  dryRun?: boolean;
  /** the day 照会基準日 may not precede (default todayTokyo()); the demo's scenario has its own fixed day (ADR 0137) */
  today?: string;
  operator?: string;
  /** taxpayers per page (default 1,000) */
  pageSize?: number;
  /** called after each page: taxpayers read / active taxpayers */
  onProgress?: (done: number, total: number) => void;
  /** called for each exclusion (also on a dry run): `inquire --exclusions` */
  onExclusion?: (atena: string, bankCode: string | null, reason: string, detail: string | null) => void;
}

export interface InquiryBatchSummary {
  id: string;
  bankCode: string;
  fileNumbers: number[];
  inquiries: number;
}

export interface Substituted {
  gaiji: number;
  nameShortened: number;
  addressShortened: number;
}

export interface InquireResult {
  /** the inquiry run's number, 1, 2, … per database (a dry run: the number it would get) */
  run: number;
  date: string;
  historyFrom: string | null;
  dryRun: boolean;
  batches: InquiryBatchSummary[];
  excluded: Record<string, number>;
  skipped: { 'recently-inquired': number };
  substituted: Substituted;
  /** taxpayers with an active debt that were considered */
  taxpayersSeen: number;
}

/** Largest inquiry count of one file (6-digit 照会件数) and the 8-digit file number. */
const MAX_RECORDS_PER_FILE = 999_999;
const MAX_FILE_NUMBER = 99_999_999;
/** A generous bound that keeps D − N a real date. */
const MAX_DAYS = 36_500;

const BASE_DATE = { ja: '照会基準日', en: 'inquiry base date' };

interface BankRun {
  index: number;
  bankCode: string;
  settings: BankSettings;
  maxPerFile: number;
  firstFile: number;
  batchId: string;
  inquiries: number;
}

function days(name: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_DAYS) {
    throw usageError('inquire.days', {
      ja: `${name} ${String(v)} は 0〜${MAX_DAYS} の整数（日数）で指定してください。`,
      en: `${name} ${String(v)} must be a whole number of days, 0–${MAX_DAYS}.`,
    });
  }
  return n;
}

function checkOptions(db: Db, opts: InquireOptions): { historyDays: number; reinquireAfter: number; banks: BankSettings[] } {
  requireBusinessDay(opts.date, BASE_DATE, { invalid: 'inquire.date', notBusinessDay: 'inquire.not-business-day' });
  const today = opts.today ?? todayTokyo();
  if (opts.date < today) {
    throw usageError('inquire.date-past', {
      ja: `照会基準日 ${opts.date} は今日（${today}）より前です。今日以降の営業日を指定してください。`,
      en: `inquiry base date ${opts.date} is before today (${today}); give a business day from today on.`,
    });
  }
  const historyDays = days('--history-days', opts.historyDays, INQUIRY_DEFAULTS.historyDays);
  const reinquireAfter = days('--reinquire-after', opts.reinquireAfter, INQUIRY_DEFAULTS.reinquireAfterDays);
  let banks: BankSettings[];
  if (opts.banks !== undefined && opts.banks.length > 0) {
    banks = [];
    for (const code of [...new Set(opts.banks)].sort()) {
      if (!/^\d{4}$/.test(code)) {
        throw usageError('inquire.bank', { ja: `金融機関コード ${JSON.stringify(code)} は4桁の数字で指定してください。`, en: `bank code ${JSON.stringify(code)} must be 4 digits.` });
      }
      const s = getBankSettings(db, code);
      if (s === null) {
        throw usageError('inquire.bank-not-configured', {
          ja: `金融機関 ${code} の設定がありません。sashiosae settings set --bank ${code} … で設定してから照会してください。`,
          en: `bank ${code} has no settings; configure it with sashiosae settings set --bank ${code} … first.`,
        });
      }
      banks.push(s);
    }
  } else {
    banks = listBankSettings(db);
    if (banks.length === 0) {
      throw usageError('inquire.no-banks', {
        ja: '設定のある金融機関がありません。sashiosae settings load / set で照会先の金融機関を設定してください。',
        en: 'no bank has settings; configure the banks to ask with sashiosae settings load / set.',
      });
    }
  }
  return { historyDays, reinquireAfter, banks };
}

class Rollback extends Error {}

export function inquire(db: Db, opts: InquireOptions): InquireResult {
  const { historyDays, reinquireAfter, banks } = checkOptions(db, opts);
  let result: InquireResult | undefined;
  const run = db.transaction(() => {
    result = inquireInTransaction(db, opts, historyDays, reinquireAfter, banks);
    if (opts.dryRun === true) throw new Rollback();
  });
  try {
    // a real run takes the write lock before reading (the numbers it reserves are then
    // the next ones); a dry run only reads
    if (opts.dryRun === true) run.deferred();
    else run.immediate();
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  if (result === undefined) throw new Error('inquire produced no result');
  return result;
}

function inquireInTransaction(db: Db, opts: InquireOptions, historyDays: number, reinquireAfter: number, settings: BankSettings[]): InquireResult {
  const date = opts.date;
  const dry = opts.dryRun === true;
  const operator = currentOperator(opts.operator);
  const now = nowTokyoTimestamp();
  const historyFrom = historyDays === 0 ? null : addDays(date, -historyDays);
  const since = addDays(date, -reinquireAfter);
  const pageSize = opts.pageSize ?? 1_000;

  const runs: BankRun[] = settings.map((s, index) => {
    const maxPerFile = Math.min(MAX_RECORDS_PER_FILE, s.maxRecordsPerFile);
    const firstFile = firstFreeFileNumber(db, s);
    const batchId = batchIdFor(s.bankCode, firstFile);
    if (batchExists(db, batchId)) {
      throw conflict('inquire.batch-exists', {
        ja: `バッチ ${batchId} は既に存在します。金融機関 ${s.bankCode} の次のファイル番号の設定を確認してください。`,
        en: `batch ${batchId} already exists; check the next file number of bank ${s.bankCode}.`,
      });
    }
    return { index, bankCode: s.bankCode, settings: s, maxPerFile, firstFile, batchId, inquiries: 0 };
  });
  const bankIndex = new Map(runs.map((r) => [r.bankCode, r.index]));
  const bankList = runs.map((r) => r.bankCode);

  const w = dry ? null : inquiryWriter(db);
  const runId = w === null ? 0 : w.run(date, JSON.stringify({ banks: bankList, historyDays, reinquireAfter }), now, operator);
  const exclusions = dry ? null : inquiryExclusionWriter(db);
  const stage: InquiryStage | null = dry ? null : inquiryStage(db);

  const excluded: Record<string, number> = {};
  const substituted: Substituted = { gaiji: 0, nameShortened: 0, addressShortened: 0 };
  let skippedPairs = 0;
  let seen = 0;
  let candidates = 0;
  const exclude = (atena: string, bank: string | null, reason: ExclusionReason, detail: string | null): void => {
    excluded[reason] = (excluded[reason] ?? 0) + 1;
    exclusions?.add(runId, atena, bank, reason, detail);
    opts.onExclusion?.(atena, bank, reason, detail);
  };

  const people = inquirePageReader(db);
  const pages = extractPageReader(db);
  const collisions = paddedIdCollisions(db);
  const total = opts.onProgress ? countActiveTaxpayers(db) : 0;
  const allSkipped = '1'.repeat(runs.length);
  let after = '';
  for (;;) {
    const tps = people.taxpayers(after, pageSize);
    if (tps.length === 0) break;
    const from = (tps[0] as (typeof tps)[number])[0];
    const to = (tps[tps.length - 1] as (typeof tps)[number])[0];
    after = to;

    const debts = pages.debts(from, to);
    const debtAt = new Map<string, number>();
    for (let i = 0; i < debts.length; i++) {
      const a = (debts[i] as DebtRaw)[1];
      if (i === 0 || (debts[i - 1] as DebtRaw)[1] !== a) debtAt.set(a, i);
    }
    let openBy: Map<string, string[]> | null = null;
    for (const [a, b] of pages.open(from, to)) {
      openBy ??= new Map();
      const l = openBy.get(a);
      if (l === undefined) openBy.set(a, [b]);
      else l.push(b);
    }
    let recentBy: Map<string, string[]> | null = null;
    for (const [a, b] of people.recent(from, to, since)) {
      if (!bankIndex.has(b)) continue;
      recentBy ??= new Map();
      const l = recentBy.get(a);
      if (l === undefined) recentBy.set(a, [b]);
      else l.push(b);
    }

    for (const tp of tps) {
      const atena = tp[0];
      const d0 = debtAt.get(atena);
      if (d0 === undefined) continue; // no active debt: not a delinquent in this export
      candidates++;
      const status = statusExclusion(tp[3]);
      if (status !== null) {
        exclude(atena, null, status, null);
        continue;
      }
      let seizable = false;
      let leftOut = '';
      for (let i = d0; i < debts.length; i++) {
        const d = debts[i] as DebtRaw;
        if (d[1] !== atena) break;
        const reason = debtLeftOutReason(toFacts(d, null), date);
        if (reason === null) {
          seizable = true;
          break;
        }
        leftOut += `${leftOut === '' ? '' : ','}${d[0]}:${reason}`;
      }
      if (!seizable) {
        exclude(atena, null, 'no-seizable-debt', leftOut === '' ? null : leftOut);
        continue;
      }
      const open = openBy?.get(atena);
      if (open !== undefined) {
        exclude(atena, null, 'in-open-batch', [...new Set(open)].sort().join(','));
        continue;
      }
      if (!idWritable(atena) || collisions.has(atena)) {
        exclude(atena, null, 'id-not-writable', idWritable(atena) ? 'padded-duplicate' : 'not-1-to-10-digits');
        continue;
      }
      const kana = narrowName(tp[1], { cls: 'party', maxBytes: INQUIRY_FIELD_BYTES.nameKana });
      if (!kana.ok) {
        exclude(atena, null, 'name-not-writable', kana.reason);
        continue;
      }
      let skip = '0'.repeat(runs.length);
      let skipped = 0;
      const recent = recentBy?.get(atena);
      if (recent !== undefined) {
        const flags = skip.split('');
        for (const b of recent) {
          const i = bankIndex.get(b) as number;
          if (flags[i] === '0') {
            flags[i] = '1';
            skipped++;
          }
        }
        skip = flags.join('');
      }
      if (skip === allSkipped) {
        exclude(atena, null, 'recently-inquired', bankList.join(','));
        continue;
      }
      skippedPairs += skipped;
      const asked = runs.length - skipped;
      for (const r of runs) if (skip.charCodeAt(r.index) === 0x30) r.inquiries++;
      const name = widenText(tp[4], INQUIRY_FIELD_BYTES.name);
      const address = widenText(tp[5] ?? '', INQUIRY_FIELD_BYTES.address);
      if (name.gaiji > 0) substituted.gaiji += asked;
      if (address.gaiji > 0) substituted.gaiji += asked;
      if (name.shortened) substituted.nameShortened += asked;
      if (address.shortened) substituted.addressShortened += asked;
      stage?.add(Number(atena), atena, kana.value, name.value, tp[2], address.value, skip);
    }
    exclusions?.flush();
    stage?.flush();
    seen += tps.length;
    opts.onProgress?.(seen, total);
    if (tps.length < pageSize) break;
  }

  // Pass 2: one batch per bank with inquiries; files and file numbers.
  const batches: InquiryBatchSummary[] = [];
  for (const r of runs) {
    if (r.inquiries === 0) continue;
    const files = Math.ceil(r.inquiries / r.maxPerFile);
    const last = r.firstFile + files - 1;
    if (last > MAX_FILE_NUMBER) {
      throw conflict('inquire.file-number', {
        ja: `金融機関 ${r.bankCode} のファイル番号が8桁 (${MAX_FILE_NUMBER}) を超えます。`,
        en: `bank ${r.bankCode}: file number exceeds 8 digits (${MAX_FILE_NUMBER}).`,
      });
    }
    const fileNumbers = Array.from({ length: files }, (_, k) => r.firstFile + k);
    if (w !== null && stage !== null) {
      w.batch({
        id: r.batchId,
        extractionId: runId,
        bankCode: r.bankCode,
        requesterCode: r.settings.requesterCode,
        baseDate: date,
        historyFrom,
        layoutId: r.settings.inquiryLayout,
        createdAt: now,
      });
      const n = stage.materialize(r.batchId, r.index);
      if (n !== r.inquiries) throw new Error(`inquire: bank ${r.bankCode}: ${n} inquiries stored, ${r.inquiries} counted`);
      for (let k = 0; k < files; k++) {
        w.file({ batchId: r.batchId, seq: k + 1, fileNumber: r.firstFile + k, firstSeq: k * r.maxPerFile + 1, lastSeq: Math.min(r.inquiries, (k + 1) * r.maxPerFile) });
      }
      w.batchTotals(r.batchId, r.inquiries);
      setNextFileNumber(db, r.bankCode, last + 1, now);
      audit(db, { action: 'batch.inquire', batchId: r.batchId, details: { runId, baseDate: date, historyFrom, inquiries: r.inquiries, files: fileNumbers } }, operator);
    }
    batches.push({ id: r.batchId, bankCode: r.bankCode, fileNumbers, inquiries: r.inquiries });
  }
  stage?.drop();

  const ordered: Record<string, number> = {};
  for (const k of INQUIRY_EXCLUSION_REASONS) if (excluded[k] !== undefined) ordered[k] = excluded[k];
  const skippedOut = { 'recently-inquired': skippedPairs };
  if (w !== null) {
    const summary = { batches: batches.map((b) => b.id), excluded: ordered, skipped: skippedOut, substituted };
    w.runSummary(runId, JSON.stringify(summary));
    audit(db, { action: 'inquire', details: { runId, baseDate: date, historyFrom, taxpayers: candidates, ...summary } }, operator);
  }
  return {
    run: w === null ? inquiryRunNumber(db, Number.MAX_SAFE_INTEGER) + 1 : inquiryRunNumber(db, runId),
    date,
    historyFrom,
    dryRun: dry,
    batches,
    excluded: ordered,
    skipped: skippedOut,
    substituted,
    taxpayersSeen: candidates,
  };
}
