/**
 * Realistic delinquency exports (import-csv.md) for the demo, the benchmark, staff
 * training and tests: taxpayers.csv, debts.csv, accounts.csv, payments.csv and
 * settings.json, deterministic for a seed (ADR 0030).
 *
 * Profiles (ADR 0031, 0032):
 * - `realistic` — a mix that exercises every extraction rule: statuses, 区分 1/2/3,
 *   unripe and missing reminders, prescribed debts, debts owing only 延滞金, partial
 *   payments with history, unwritable names, corporations, several accounts and banks.
 * - `bench` — as cheap as possible: every taxpayer seizable, accounts only at the
 *   first bank, and exactly `records` of them.
 *
 * `expected` reports what the generator intended (by construction), for tests; it is
 * not a re-implementation of extraction.
 */
import * as path from 'node:path';
import { isValidIso, toDayNumber } from '../core/dates.js';
import { csvHeader } from '../domain/csv-tables.js';
import { usageError } from '../core/errors.js';
import { ensureDir } from '../core/fsutil.js';
import { csvCell } from '../core/csv.js';
import { writeOutputFile } from '../core/output-file.js';
import { lookupBank, settingsFor, type DemoBank } from './banks.js';
import { CsvSink, type CsvEncoding } from './csv-sink.js';
import { BookWriter, type BookSummary } from './books.js';
import {
  BUILDINGS,
  CORPORATIONS,
  GIVEN_FEMALE,
  GIVEN_MALE,
  KANJI_KANA_NAMES,
  SURNAMES,
  TOO_LONG_NAMES,
  TOWNS,
  WO_NAMES,
  bankHalfWidth,
} from './names.js';
import { Rng } from './rng.js';
import { TAX_ITEMS, instalmentsBefore, isoOfDay, weekendBack, type Instalment, type TaxItem } from './schedule.js';

// ---------------------------------------------------------------------------
// The contract's columns (import-csv.md), in the order written: the header rows come from
// the tables of domain/csv-tables.ts (ADR 0105); the rows below write their values in
// that order.

export const TAXPAYER_COLUMNS: readonly string[] = csvHeader('taxpayers');
export const DEBT_COLUMNS: readonly string[] = csvHeader('debts');
export const ACCOUNT_COLUMNS: readonly string[] = csvHeader('accounts');
export const PAYMENT_COLUMNS: readonly string[] = csvHeader('payments');

// ---------------------------------------------------------------------------
// Options and result

export type Profile = 'realistic' | 'bench';

export interface GenerateOptions {
  outDir: string;
  /** number of taxpayers (default 5,000) */
  taxpayers?: number;
  /** accounts at the first bank; takes precedence over `taxpayers` */
  records?: number;
  seed?: number;
  encoding?: CsvEncoding;
  profile?: Profile;
  /** ISO processing (execution) date the data is made for; default 2026-12-01 */
  processingDate?: string;
  /** bank codes; default ['0184', '0005', '0009']; the first is the "first bank" */
  banks?: string[];
  /** also write each bank's account book and transactions for bank-sim (books.ts, ADR 0135) */
  books?: boolean;
}

/** Kinds of debt the generator makes on purpose. */
export type DebtKind =
  | 'ripe' // 区分1, reminder ≥ 11 days before the processing date, unprescribed, 本税/fee owing
  | 'notRipe' // 区分1, reminder issued < 11 days before the processing date
  | 'noReminder' // 区分1, no 督促状発付日
  | 'prescribed' // 区分1, 時効完成日 on or before the processing date
  | 'onlyEntaikin' // 区分1, 本税 and fee fully paid (only 延滞金 may be owing)
  | 'notEnforceable'; // 区分2 or 3

export type StatusCode = '0' | '1' | '2' | '3' | '4' | '5';

export interface GenerateExpected {
  profile: Profile;
  seed: number;
  encoding: CsvEncoding;
  processingDate: string;
  banks: string[];
  taxpayersByStatus: Record<StatusCode, number>;
  corporations: number;
  /** taxpayers whose every account name must be refused (口座名義カナ left empty for them) */
  unwritableNames: { wo: number; kanjiInKana: number; tooLong: number; total: number };
  debtsByKubun: Record<'1' | '2' | '3', number>;
  debtsByKind: Record<DebtKind, number>;
  /** debts with some 本税 paid but not all (history in payments.csv) */
  partlyPaidDebts: number;
  taxpayersWithoutAccounts: number;
  taxpayersWithAccountsByBank: Record<string, number>;
  accountsByBank: Record<string, number>;
  /**
   * Taxpayers the generator meant to be seizable somewhere: status 0, at least one
   * 'ripe' debt, a writable name and at least one account.
   */
  seizableTaxpayers: number;
  /** seizable taxpayers with an account at that bank (extracting that bank alone) */
  seizableTaxpayersByBank: Record<string, number>;
  /** their accounts at that bank (data records when extracting that bank alone) */
  seizableAccountsByBank: Record<string, number>;
  /** accounts at the first bank (= seizure data records in the bench profile) */
  recordsAtFirstBank: number;
}

export interface GenerateResult {
  files: { taxpayers: string; debts: string; accounts: string; payments: string; settings: string };
  taxpayers: number;
  debts: number;
  accounts: number;
  payments: number;
  expected: GenerateExpected;
  /** with `books`: the books written */
  books?: BookSummary;
}

export const DEFAULT_TAXPAYERS = 5_000;
export const DEFAULT_SEED = 20_261_201;
export const DEFAULT_PROCESSING_DATE = '2026-12-01';
export const DEFAULT_BANKS: readonly string[] = ['0184', '0005', '0009'];
const MAX_COUNT = 10_000_000;

// ---------------------------------------------------------------------------

interface Normalized {
  outDir: string;
  taxpayers: number;
  records: number | undefined;
  seed: number;
  encoding: CsvEncoding;
  profile: Profile;
  processingIso: string;
  processing: number;
  banks: DemoBank[];
}

function checkCount(name: string, v: number | undefined): void {
  if (v === undefined) return;
  if (!Number.isSafeInteger(v) || v < 1 || v > MAX_COUNT) {
    throw usageError('generate.bad-count', {
      ja: `${name} には 1 以上 ${MAX_COUNT.toLocaleString()} 以下の整数を指定してください (指定値: ${v})。`,
      en: `${name} must be a whole number from 1 to ${MAX_COUNT.toLocaleString()} (given: ${v}).`,
    });
  }
}

function normalize(o: GenerateOptions): Normalized {
  checkCount('--taxpayers', o.taxpayers);
  checkCount('--records', o.records);
  const seed = o.seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed)) {
    throw usageError('generate.bad-seed', {
      ja: `--seed には整数を指定してください (指定値: ${seed})。`,
      en: `--seed must be a whole number (given: ${seed}).`,
    });
  }
  const processingIso = o.processingDate ?? DEFAULT_PROCESSING_DATE;
  if (!isValidIso(processingIso) || processingIso < '2020-01-01' || processingIso > '2099-12-31') {
    throw usageError('generate.bad-date', {
      ja: `処理日「${processingIso}」が正しくありません。2020-01-01 以降の実在する日付を YYYY-MM-DD で指定してください。`,
      en: `Processing date "${processingIso}" is not valid. Give a real date from 2020-01-01 on, as YYYY-MM-DD.`,
    });
  }
  const codes = o.banks ?? [...DEFAULT_BANKS];
  if (codes.length === 0 || new Set(codes).size !== codes.length) {
    throw usageError('generate.bad-banks', {
      ja: '金融機関コードを 1 つ以上、重複なく指定してください。',
      en: 'Give one or more bank codes, without duplicates.',
    });
  }
  const encoding = o.encoding ?? 'cp932';
  if (encoding !== 'cp932' && encoding !== 'utf8') {
    throw usageError('generate.bad-encoding', {
      ja: `文字コード「${String(encoding)}」には対応していません。cp932 か utf8 を指定してください。`,
      en: `Encoding "${String(encoding)}" is not supported. Use cp932 or utf8.`,
    });
  }
  const profile = o.profile ?? 'realistic';
  if (profile !== 'realistic' && profile !== 'bench') {
    throw usageError('generate.bad-profile', {
      ja: `プロファイル「${String(profile)}」はありません。realistic か bench を指定してください。`,
      en: `Profile "${String(profile)}" does not exist. Use realistic or bench.`,
    });
  }
  return {
    outDir: o.outDir,
    taxpayers: o.taxpayers ?? DEFAULT_TAXPAYERS,
    records: o.records,
    seed,
    encoding,
    profile,
    processingIso,
    processing: toDayNumber(processingIso),
    banks: codes.map(lookupBank),
  };
}

// ---------------------------------------------------------------------------
// Instalment pools per tax item and debt kind

interface Pools {
  all: Map<TaxItem, Instalment[]>;
  ripe: Map<TaxItem, Instalment[]>;
  noReminder: Map<TaxItem, Instalment[]>;
  prescribed: Map<TaxItem, Instalment[]>;
  /** due at least 240 days before processing (long enough for 延滞金 to accrue) */
  old: Map<TaxItem, Instalment[]>;
  /** due 11–150 days before processing (a late reminder is plausible) */
  recent: Map<TaxItem, Instalment[]>;
}

/** ISO date `years` later (29 Feb → 28 Feb). */
function addYearsIso(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) + years;
  let md = iso.slice(4);
  if (md === '-02-29') md = '-02-28';
  return `${y}${md}`;
}

/** 時効完成日 when nothing renewed it: 5 years from the day after the reminder's 10th day. */
function naturalPrescription(reminder: number): string {
  return addYearsIso(isoOfDay(reminder + 11), 5);
}

function buildPools(processing: number): Pools {
  const mk = (): Map<TaxItem, Instalment[]> => new Map(TAX_ITEMS.map((i) => [i, [] as Instalment[]]));
  const p: Pools = { all: mk(), ripe: mk(), noReminder: mk(), prescribed: mk(), old: mk(), recent: mk() };
  const processingIso = isoOfDay(processing);
  for (const ins of instalmentsBefore(processing)) {
    p.all.get(ins.item)!.push(ins);
    if (ins.reminder > processing) p.noReminder.get(ins.item)!.push(ins);
    if (ins.reminder + 11 <= processing) {
      p.ripe.get(ins.item)!.push(ins);
      if (naturalPrescription(ins.reminder) <= processingIso) p.prescribed.get(ins.item)!.push(ins);
    }
    if (ins.due <= processing - 240) p.old.get(ins.item)!.push(ins);
    if (ins.due <= processing - 11 && ins.due >= processing - 150) p.recent.get(ins.item)!.push(ins);
  }
  for (const m of Object.values(p) as Map<TaxItem, Instalment[]>[]) for (const list of m.values()) list.sort((a, b) => a.due - b.due);
  return p;
}

/** Pick from a due-sorted list, favouring recent instalments (delinquency skews recent). */
function pickRecentBiased(rng: Rng, list: readonly Instalment[]): Instalment {
  const r = rng.next();
  const idx = Math.min(list.length - 1, Math.floor(list.length * (1 - r * r)));
  return list[idx]!;
}

// ---------------------------------------------------------------------------
// Shared state of one run

interface Sinks {
  taxpayers: CsvSink;
  debts: CsvSink;
  accounts: CsvSink;
  payments: CsvSink;
}

interface Run {
  o: Normalized;
  rng: Rng;
  pools: Pools;
  sinks: Sinks;
  exp: GenerateExpected;
  debtSeq: number;
  firstBankAccounts: number;
  /** the account books (`books`), else null */
  books: BookWriter | null;
}

function newExpected(o: Normalized): GenerateExpected {
  const perBank = (): Record<string, number> => Object.fromEntries(o.banks.map((b) => [b.code, 0]));
  return {
    profile: o.profile,
    seed: o.seed,
    encoding: o.encoding,
    processingDate: o.processingIso,
    banks: o.banks.map((b) => b.code),
    taxpayersByStatus: { '0': 0, '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 },
    corporations: 0,
    unwritableNames: { wo: 0, kanjiInKana: 0, tooLong: 0, total: 0 },
    debtsByKubun: { '1': 0, '2': 0, '3': 0 },
    debtsByKind: { ripe: 0, notRipe: 0, noReminder: 0, prescribed: 0, onlyEntaikin: 0, notEnforceable: 0 },
    partlyPaidDebts: 0,
    taxpayersWithoutAccounts: 0,
    taxpayersWithAccountsByBank: perBank(),
    accountsByBank: perBank(),
    seizableTaxpayers: 0,
    seizableTaxpayersByBank: perBank(),
    seizableAccountsByBank: perBank(),
    recordsAtFirstBank: 0,
  };
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function birthDate(rng: Rng, fromYear: number, toYear: number): string {
  const y = rng.int(fromYear, toYear);
  const m = rng.int(1, 12);
  const d = rng.int(1, 28);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

function address(rng: Rng): string {
  const base = `鹿児島県鹿児島市${rng.pick(TOWNS)}${rng.int(1, 40)}番${rng.int(1, 25)}号`;
  return rng.chance(0.25) ? `${base}　${rng.pick(BUILDINGS)}${rng.int(1, 6)}0${rng.int(1, 9)}号` : base;
}

/** 本税 for one instalment, rounded to ¥100, skewed to the low end of the item's range. */
function principal(rng: Rng, item: TaxItem): number {
  if (item.code === '03') return rng.pick([10_800, 7_200, 6_900, 3_900, 3_600, 2_000]);
  const [lo, hi] = item.amount;
  const r = rng.next();
  return Math.max(1_000, Math.round((lo + (hi - lo) * r * r) / 100) * 100);
}

interface DebtRow {
  id: string;
  owner: string;
  item: TaxItem;
  ins: Instalment;
  honzei: number;
  honzeiPaid: number;
  fee: number;
  feePaid: number;
  reminder: string;
  prescription: string;
}

function writeDebt(run: Run, d: DebtRow): void {
  run.sinks.debts.line(
    `${d.id},${d.owner},${d.item.kubun},${d.item.code},${d.item.name},${d.ins.fiscalYear},${d.ins.period},${d.ins.dueIso},` +
      `${d.honzei},${d.honzeiPaid},${d.fee},${d.feePaid},0,${d.item.entaikin},${d.reminder},${d.prescription}`,
  );
  run.exp.debtsByKubun[String(d.item.kubun) as '1' | '2' | '3']++;
}

function nextDebtId(run: Run, ins: Instalment): string {
  run.debtSeq++;
  return `${ins.fiscalYear}${ins.item.code}${String(run.debtSeq).padStart(8, '0')}`;
}

/**
 * Payments of `total` 本税 (and the fee with the first one) on 1–`maxCount` dates in
 * [from, to] (day numbers), written to payments.csv in date order.
 */
function writePayments(run: Run, debtId: string, total: number, fee: number, from: number, to: number, maxCount: number, lastAtLeast?: number): void {
  const rng = run.rng;
  const n = Math.min(rng.int(1, maxCount), Math.max(1, Math.floor(total / 100)));
  const days: number[] = [];
  for (let i = 0; i < n; i++) days.push(rng.int(from, to));
  days.sort((a, b) => a - b);
  if (lastAtLeast !== undefined && days[n - 1]! < lastAtLeast) days[n - 1] = Math.min(to, lastAtLeast);
  let left = total;
  for (let i = 0; i < n; i++) {
    const part = i === n - 1 ? left : Math.max(100, Math.floor((left / (n - i)) / 100) * 100);
    left -= part;
    run.sinks.payments.line(`${debtId},${isoOfDay(days[i]!)},${part},${i === 0 ? fee : 0},0`);
  }
}

// ---------------------------------------------------------------------------
// realistic profile

type NameKind = 'person' | 'corporation' | 'wo' | 'kanjiInKana' | 'tooLong';

const PERSON_ITEMS = TAX_ITEMS.filter((i) => i.kubun === 1 && i.forPersons);
const CORP_ITEMS = TAX_ITEMS.filter((i) => i.kubun === 1 && i.forCorporations);
const PERSON_OTHER = TAX_ITEMS.filter((i) => i.kubun !== 1 && i.forPersons);
const CORP_OTHER = TAX_ITEMS.filter((i) => i.kubun !== 1 && i.forCorporations);

const KIND_ORDER: readonly DebtKind[] = ['ripe', 'notRipe', 'noReminder', 'prescribed', 'onlyEntaikin'];
const KIND_WEIGHTS: readonly number[] = [70, 6, 6, 8, 10];

function nameKindOf(rng: Rng, index: number): NameKind {
  if (index % 211 === 17) return 'wo';
  if (index % 307 === 101) return 'kanjiInKana';
  if (index === 29 || index === 3001) return 'tooLong';
  return rng.chance(0.03) ? 'corporation' : 'person';
}

/** One debt of 区分 1 of the given kind; returns the kind made (null: none, its instalment was taken). */
function realisticDebt1(run: Run, owner: string, items: readonly TaxItem[], kind: DebtKind, used: Set<Instalment>): DebtKind | null {
  const { rng, pools, o } = run;
  const processing = o.processing;
  const poolOf: Record<DebtKind, Map<TaxItem, Instalment[]>> = {
    ripe: pools.ripe,
    notRipe: pools.recent,
    noReminder: pools.noReminder,
    prescribed: pools.prescribed,
    onlyEntaikin: pools.old,
    notEnforceable: pools.all,
  };
  let pool = items.map((i) => poolOf[kind].get(i)!).filter((l) => l.length > 0);
  if (pool.length === 0) {
    // e.g. no item has a due date after its reminder date yet: fall back to a ripe debt
    kind = 'ripe';
    pool = items.map((i) => pools.ripe.get(i)!).filter((l) => l.length > 0);
  }
  let ins: Instalment | undefined;
  for (let tries = 0; tries < 6; tries++) {
    const cand = pickRecentBiased(rng, rng.pick(pool));
    if (!used.has(cand)) {
      ins = cand;
      break;
    }
  }
  if (!ins) return null;
  used.add(ins);
  const item = ins.item;
  const honzei = principal(rng, item);
  const id = nextDebtId(run, ins);
  let reminder = ins.reminderIso;
  let reminderDay = ins.reminder;
  let fee = rng.chance(0.9) ? item.fee : 0;
  let honzeiPaid = 0;
  let feePaid = 0;
  let prescription = '';

  switch (kind) {
    case 'notRipe': {
      // the reminder went out late: 1–10 days before processing, on a weekday
      const lo = Math.max(ins.due + 1, processing - 10);
      let day = rng.int(lo, processing - 1);
      day = weekendBack(day) >= lo ? weekendBack(day) : day;
      reminderDay = day;
      reminder = isoOfDay(day);
      break;
    }
    case 'noReminder':
      reminder = '';
      fee = 0;
      break;
    case 'prescribed':
      prescription = naturalPrescription(reminderDay);
      break;
    case 'onlyEntaikin': {
      honzeiPaid = honzei;
      feePaid = fee;
      const from = reminderDay + 1;
      const to = processing - 7;
      writePayments(run, id, honzei, fee, from, Math.max(from, to), 2, Math.min(to, ins.due + 150));
      break;
    }
    default:
      break;
  }
  if (kind !== 'prescribed' && rng.chance(0.75)) {
    const natural = reminder === '' ? addYearsIso(isoOfDay(ins.due + 1), 5) : naturalPrescription(reminderDay);
    // an old debt still enforceable had its prescription renewed (承認, 分納, earlier seizure)
    prescription = natural > o.processingIso ? natural : isoOfDay(processing + rng.int(30, 1500));
  }
  if (kind === 'ripe' && rng.chance(0.22) && honzei >= 2_000) {
    honzeiPaid = Math.max(100, Math.floor((honzei * rng.int(10, 80)) / 10_000) * 100);
    feePaid = fee;
    writePayments(run, id, honzeiPaid, fee, reminderDay + 1, processing - 7, 3);
    run.exp.partlyPaidDebts++;
  }
  writeDebt(run, { id, owner, item, ins, honzei, honzeiPaid, fee, feePaid, reminder, prescription });
  run.exp.debtsByKind[kind]++;
  return kind;
}

function realisticDebtOther(run: Run, owner: string, items: readonly TaxItem[], used: Set<Instalment>): boolean {
  const { rng, pools } = run;
  const item = rng.pick(items);
  const list = pools.all.get(item)!;
  if (list.length === 0) return false;
  const ins = pickRecentBiased(rng, list);
  if (used.has(ins)) return false;
  used.add(ins);
  const honzei = principal(rng, item);
  // 区分2 is reminded under 地方自治法231条の3 (no fee here); private claims get no 督促状
  const reminder = item.kubun === 2 && ins.reminder <= run.o.processing ? ins.reminderIso : '';
  writeDebt(run, { id: nextDebtId(run, ins), owner, item, ins, honzei, honzeiPaid: 0, fee: 0, feePaid: 0, reminder, prescription: '' });
  run.exp.debtsByKind.notEnforceable++;
  return true;
}

const PERSON_ACCOUNT_TYPES = ['1', '2', '3', '4', '9'] as const;
const PERSON_TYPE_WEIGHTS = [85, 1, 2, 10, 2];
const CORP_TYPE_WEIGHTS = [60, 35, 5, 0, 0];

function balance(rng: Rng): number {
  if (rng.chance(0.1)) return 0;
  return Math.floor(10 ** (2 + rng.next() * 4.7));
}

function realisticTaxpayer(run: Run, index: number): void {
  const { rng, o, exp, sinks } = run;
  const id = String(100_000_001 + index);
  const nk = nameKindOf(rng, index);
  let kanji: string;
  let kana: string;
  let birth = '';
  const isCorp = nk === 'corporation' || nk === 'tooLong';
  if (nk === 'person') {
    const s = rng.pick(SURNAMES);
    const g = rng.pick(rng.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE);
    kanji = `${s[0]}　${g[0]}`;
    kana = `${s[1]}　${g[1]}`;
  } else {
    const list = nk === 'corporation' ? CORPORATIONS : nk === 'wo' ? WO_NAMES : nk === 'kanjiInKana' ? KANJI_KANA_NAMES : TOO_LONG_NAMES;
    const pair = rng.pick(list);
    kanji = pair[0];
    kana = pair[1];
  }
  if (!isCorp) birth = birthDate(rng, 1940, 2004);
  run.books?.person(kana, birth, isCorp);
  const writable = nk === 'person' || nk === 'corporation';
  if (isCorp) exp.corporations++;
  if (!writable) {
    exp.unwritableNames[nk as 'wo' | 'kanjiInKana' | 'tooLong']++;
    exp.unwritableNames.total++;
  }
  const status = String(isCorp ? [0, 1, 2, 3, 4][rng.weighted([88, 4, 2, 3, 3])] : rng.weighted([85, 3, 2, 6, 2, 2])) as StatusCode;
  exp.taxpayersByStatus[status]++;
  const addr = rng.chance(0.02) ? '' : address(rng);
  sinks.taxpayers.line(`${id},${csvCell(kanji)},${csvCell(kana)},${birth},${csvCell(addr)},${status}`);

  // debts
  const used = new Set<Instalment>();
  const nDebts = 1 + rng.weighted([30, 25, 18, 12, 9, 6]);
  const privateOnly = !isCorp && rng.chance(0.08);
  let ripe = 0;
  for (let k = 0; k < nDebts; k++) {
    const r = rng.next();
    if (privateOnly || r < 0.07) {
      realisticDebtOther(run, id, isCorp ? CORP_OTHER : PERSON_OTHER, used);
    } else {
      const kind = KIND_ORDER[rng.weighted(KIND_WEIGHTS)]!;
      if (realisticDebt1(run, id, isCorp ? CORP_ITEMS : PERSON_ITEMS, kind, used) === 'ripe') ripe++;
    }
  }

  // accounts
  const seizable = status === '0' && ripe > 0 && writable;
  const forceAccounts = !writable; // an unwritable name only matters with an account
  let nBanks = forceAccounts || !rng.chance(0.12) ? 1 + rng.weighted([60, 30, 10]) : 0;
  nBanks = Math.min(nBanks, o.banks.length);
  const chosen: DemoBank[] = [];
  const weights: number[] = o.banks.map((_, i) => (i === 0 ? 3 : 1));
  while (chosen.length < nBanks) {
    const i = rng.weighted(weights);
    if (weights[i] === 0) continue;
    weights[i] = 0;
    chosen.push(o.banks[i]!);
  }
  chosen.sort((a, b) => o.banks.indexOf(a) - o.banks.indexOf(b));
  const keys = new Set<string>();
  let anyAccount = false;
  for (const bank of chosen) {
    let n = 1 + rng.weighted([80, 17, 3]);
    if (bank === o.banks[0] && o.records !== undefined) n = Math.min(n, o.records - run.firstBankAccounts);
    if (n <= 0) continue;
    let written = 0;
    for (let a = 0; a < n; a++) {
      const branch = rng.pick(bank.branches);
      const type = PERSON_ACCOUNT_TYPES[rng.weighted(isCorp ? CORP_TYPE_WEIGHTS : PERSON_TYPE_WEIGHTS)]!;
      const number = String(rng.int(1, 9_999_999)).padStart(7, '0');
      const key = `${bank.code}-${branch}-${type}-${number}`;
      if (keys.has(key)) continue;
      keys.add(key);
      let holder = '';
      if (writable) {
        const r = rng.next();
        holder = r < 0.4 ? '' : r < 0.8 ? kana : bankHalfWidth(kana);
      }
      const inquiry = isoOfDay(weekendBack(o.processing - rng.int(7, 120)));
      sinks.accounts.line(`${id},${bank.code},${branch},${type},${number},${csvCell(holder)},${inquiry},${balance(rng)}`);
      written++;
    }
    if (written === 0) continue;
    anyAccount = true;
    exp.accountsByBank[bank.code]! += written;
    exp.taxpayersWithAccountsByBank[bank.code]!++;
    if (bank === o.banks[0]) run.firstBankAccounts += written;
    if (seizable) {
      exp.seizableTaxpayersByBank[bank.code]!++;
      exp.seizableAccountsByBank[bank.code]! += written;
    }
  }
  if (!anyAccount) exp.taxpayersWithoutAccounts++;
  if (seizable && anyAccount) exp.seizableTaxpayers++;
}

// ---------------------------------------------------------------------------
// bench profile: every taxpayer seizable at the first bank

const BENCH_ITEMS = TAX_ITEMS.filter((i) => i.code === '01' || i.code === '02' || i.code === '04');

function benchTaxpayer(run: Run, index: number, ripeLists: readonly Instalment[][], inquiryIso: string, remaining: number | undefined): void {
  const { rng, o, exp, sinks } = run;
  const id = String(100_000_001 + index);
  const s = rng.pick(SURNAMES);
  const g = rng.pick(rng.chance(0.5) ? GIVEN_MALE : GIVEN_FEMALE);
  const birth = birthDate(rng, 1945, 2004);
  sinks.taxpayers.line(`${id},${s[0]}　${g[0]},${s[1]}　${g[1]},${birth},鹿児島県鹿児島市${rng.pick(TOWNS)}${rng.int(1, 40)}番${rng.int(1, 25)}号,0`);
  run.books?.person(`${s[1]}　${g[1]}`, birth, false);
  exp.taxpayersByStatus['0']++;

  const nDebts = rng.chance(0.3) ? 2 : 1;
  let last: Instalment | undefined;
  for (let k = 0; k < nDebts; k++) {
    const list = rng.pick(ripeLists);
    const ins = pickRecentBiased(rng, list);
    if (ins === last) continue;
    last = ins;
    const honzei = principal(rng, ins.item);
    writeDebt(run, { id: nextDebtId(run, ins), owner: id, item: ins.item, ins, honzei, honzeiPaid: 0, fee: 100, feePaid: 0, reminder: ins.reminderIso, prescription: '' });
    exp.debtsByKind.ripe++;
  }

  const bank = o.banks[0]!;
  let n = rng.chance(0.4) ? 2 : 1;
  if (remaining !== undefined) n = Math.min(n, remaining);
  const branch = rng.pick(bank.branches);
  const number = rng.int(1, 9_999_998);
  for (let a = 0; a < n; a++) {
    sinks.accounts.line(`${id},${bank.code},${branch},1,${String(number + a).padStart(7, '0')},,${inquiryIso},${balance(rng)}`);
  }
  exp.accountsByBank[bank.code]! += n;
  exp.taxpayersWithAccountsByBank[bank.code]!++;
  exp.seizableTaxpayers++;
  exp.seizableTaxpayersByBank[bank.code]!++;
  exp.seizableAccountsByBank[bank.code]! += n;
  run.firstBankAccounts += n;
}

// ---------------------------------------------------------------------------

/**
 * Write taxpayers.csv, debts.csv, accounts.csv, payments.csv (import-csv.md; header
 * row, CRLF, CP932 by default) and settings.json into `outDir` (created 0700; files
 * 0600, each written to a temporary name and renamed when complete). Existing files of
 * these names are replaced.
 */
export async function generateExport(opts: GenerateOptions): Promise<GenerateResult> {
  const o = normalize(opts);
  ensureDir(o.outDir);
  const files = {
    taxpayers: path.join(o.outDir, 'taxpayers.csv'),
    debts: path.join(o.outDir, 'debts.csv'),
    accounts: path.join(o.outDir, 'accounts.csv'),
    payments: path.join(o.outDir, 'payments.csv'),
    settings: path.join(o.outDir, 'settings.json'),
  };
  const opened: CsvSink[] = [];
  const aborts: Array<() => void> = [];
  const open = (file: string, cols: readonly string[]): CsvSink => {
    const s = new CsvSink(file, cols, o.encoding);
    opened.push(s);
    return s;
  };
  try {
    const sinks: Sinks = {
      taxpayers: open(files.taxpayers, TAXPAYER_COLUMNS),
      debts: open(files.debts, DEBT_COLUMNS),
      accounts: open(files.accounts, ACCOUNT_COLUMNS),
      payments: open(files.payments, PAYMENT_COLUMNS),
    };
    const books = opts.books === true ? new BookWriter(o.outDir, o.banks, o.encoding, o.seed, o.processing, o.profile === 'bench') : null;
    if (books !== null) aborts.push(() => books.abort());
    const run: Run = { o, rng: new Rng(o.seed), pools: buildPools(o.processing), sinks, exp: newExpected(o), debtSeq: 0, firstBankAccounts: 0, books };

    if (o.profile === 'bench') {
      const ripeLists = BENCH_ITEMS.map((i) => run.pools.ripe.get(i)!).filter((l) => l.length > 0);
      const inquiryIso = isoOfDay(weekendBack(o.processing - 30));
      if (o.records !== undefined) {
        for (let i = 0; run.firstBankAccounts < o.records; i++) {
          benchTaxpayer(run, i, ripeLists, inquiryIso, o.records - run.firstBankAccounts);
          if ((i & 0xffff) === 0xffff) await yieldToLoop();
        }
      } else {
        for (let i = 0; i < o.taxpayers; i++) {
          benchTaxpayer(run, i, ripeLists, inquiryIso, undefined);
          if ((i & 0xffff) === 0xffff) await yieldToLoop();
        }
      }
    } else if (o.records !== undefined) {
      for (let i = 0; run.firstBankAccounts < o.records; i++) {
        if (i >= MAX_COUNT) break;
        realisticTaxpayer(run, i);
        if ((i & 0x3fff) === 0x3fff) await yieldToLoop();
      }
    } else {
      for (let i = 0; i < o.taxpayers; i++) {
        realisticTaxpayer(run, i);
        if ((i & 0x3fff) === 0x3fff) await yieldToLoop();
      }
    }
    run.exp.recordsAtFirstBank = run.firstBankAccounts;
    for (const s of opened) s.close();
    books?.close();
    writeOutputFile(files.settings, JSON.stringify(settingsFor(o.banks), null, 2) + '\n', { clobber: true });
    return {
      files,
      taxpayers: sinks.taxpayers.rows,
      debts: sinks.debts.rows,
      accounts: sinks.accounts.rows,
      payments: sinks.payments.rows,
      expected: run.exp,
      ...(books !== null ? { books: books.summary } : {}),
    };
  } catch (err) {
    for (const s of opened) s.abort();
    for (const a of aborts) a();
    throw err;
  }
}

/** Let other work (progress output, signals) run during a long generation. */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
