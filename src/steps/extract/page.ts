/**
 * extract's per-page evaluation (spec/cli.md `extract`), shared by its two producers:
 * the worker thread on the second core (worker.ts) and the inline path of
 * extract.ts (a database without a file, e.g. `:memory:`). Pure apart from the page
 * reads: it decides, per taxpayer, the exclusions and the requests to make, and
 * returns them as columnar rows (one chunk per table, core/rows.ts: transferred to
 * the consuming thread, not copied). What needs the write transaction — request ids and numbers, batches,
 * file splits, totals, the INSERTs — stays with the consumer (docs/adr/0056).
 */
import { toCompact } from '../../core/dates.js';
import { defineRows, type RowsChunk } from '../../core/rows.js';
import {
  evaluateDebts,
  statusExclusion,
  type AccountLeftOutReason,
  type DebtFacts,
  type DebtRuleFacts,
  type ExclusionReason,
} from '../../domain/eligibility.js';
import type { PrincipalPayment } from '../../domain/entaikin.js';
import { MAX_SUB_NUMBER, chooseBank, orderAccounts } from '../../domain/seizure-order.js';
import { narrowName } from '../../text/narrow.js';
import { isStale, knownAccounts, type AnswerKnowledge, type KnownAccount } from '../../domain/account-knowledge.js';
import { isWhollyProtected, protectedByAccount } from '../../domain/protected-funds.js';
import type { AccountRaw, AnswerRaw, DebtRaw, DebtRuleRaw, ExtractPageReader } from '../../db/batches.js';

/** What the evaluation needs to know of the step (structured-clonable: it is the worker's input). */
export interface PageContext {
  /** processing date, YYYY-MM-DD */
  date: string;
  minAmount: number;
  allowMulti: boolean;
  pageSize: number;
  /** bank codes in scope, sorted */
  scope: string[];
  /** banks with settings (the runs) → their records per file (caps the 枝番 of a request) */
  maxPerFile: Record<string, number>;
  /** `--max-account-age`: knowledge dated before this (YYYY-MM-DD) is stale (domain/account-knowledge.ts staleBefore) */
  staleBefore: string;
  /** the protected 摘要 patterns, defaults and configured (domain/protected-funds.ts protectedPatternList) */
  protectedPatterns: string[];
}

/** Taxpayers left out, with why (the stored exclusion rows). */
export const EXCLUSION_ROWS = defineRows({ atena: 'str', bank: 'str?', reason: 'str', detail: 'str?' });
/**
 * Requests to make: limit and birth ('YYYYMMDD' | null) of the taxpayer; `debts` and
 * `records` say how many of the next rows of DEBT_ROWS and RECORD_ROWS are this request's;
 * `held` 1: one of its accounts has a protected amount > 0 (the request goes into the
 * bank's 取立保留 batch of the run).
 */
export const REQUEST_ROWS = defineRows({ bank: 'str', atena: 'str', limit: 'int', birth: 'str?', debts: 'int', records: 'int', held: 'int' });
/** The debts a request covers, what each owes. */
export const DEBT_ROWS = defineRows({ chotei: 'str', honzei: 'int', fee: 'int', entaikin: 'int' });
/**
 * The accounts of a request in 枝番 order (capped), with the holder name to write;
 * `answer` 1: accountId is an answer_accounts id (the account came from an answer), 0: an accounts id;
 * `protectedYen`: its protected amount (docs/protected-funds-policy.md; 0 for a CSV account).
 */
export const RECORD_ROWS = defineRows({ accountId: 'int', answer: 'int', branch: 'str', type: 'str', number: 'str', name: 'str', protectedYen: 'int' });

/** One page's outcome: rows in the order the rules produced them (columnar, transferred whole). */
export interface PageResult {
  /** taxpayers read in this page (progress) */
  taxpayers: number;
  /** of them, with an active debt (the summary's `taxpayers`) */
  candidates: number;
  exclusions: RowsChunk<typeof EXCLUSION_ROWS.schema>;
  requests: RowsChunk<typeof REQUEST_ROWS.schema>;
  debts: RowsChunk<typeof DEBT_ROWS.schema>;
  records: RowsChunk<typeof RECORD_ROWS.schema>;
  /** increments, keys in the order first met (the stored summary keeps that order) */
  debtsLeftOut: Record<string, number>;
  accountsLeftOut: Record<string, number>;
}

/** A known account of the taxpayer at a bank, from either source. */
interface Candidate extends KnownAccount {
  id: number;
  /** from an answer (answer_accounts id) rather than accounts.csv */
  answer: boolean;
  /** the holder name source: 口座名義カナ (CSV: blank → the taxpayer's 氏名カナ) */
  kana: string;
  /** signed 調査時残高 (unknown: 0) */
  balance: number;
  /** protected amount (answer accounts with details; else 0) */
  protectedYen: number;
  /** the name to write, once narrowed */
  name: string;
}

const NAME_OPTIONS = { cls: 'party', maxBytes: 30 } as const;
const NO_PAYMENTS: PrincipalPayment[] = Object.freeze([]) as unknown as PrincipalPayment[];

/** Add `by` to a count kept by key. */
export function inc(map: Record<string, number>, key: string, by = 1): void {
  map[key] = (map[key] ?? 0) + by;
}

/**
 * Pages through the taxpayers in 宛名番号 order (keyset pagination): next() reads and
 * evaluates the next page; undefined once there is none.
 */
export function extractPages(reader: ExtractPageReader, ctx: PageContext): { next(): PageResult | undefined } {
  const { date, minAmount, allowMulti, pageSize, scope } = ctx;
  const inScope = new Set(scope);
  const configured = new Map(Object.entries(ctx.maxPerFile));
  const nextPage = taxpayerPager(reader.taxpayers, pageSize);
  let lastSource: string | null = null;
  let lastName: ReturnType<typeof narrowName> | null = null;
  const nameOf = (source: string): ReturnType<typeof narrowName> => {
    if (source !== lastSource || lastName === null) {
      lastName = narrowName(source, NAME_OPTIONS);
      lastSource = source;
    }
    return lastName;
  };

  // one builder per table, reused page after page (finish() hands a page's rows over)
  const exclusions = EXCLUSION_ROWS.builder(pageSize);
  const requests = REQUEST_ROWS.builder(pageSize);
  const covered = DEBT_ROWS.builder(2 * pageSize);
  const records = RECORD_ROWS.builder(2 * pageSize);
  const ex = exclusions.set;
  const rq = requests.set;
  const dt = covered.set;
  const rc = records.set;

  const next = (): PageResult | undefined => {
    const page = nextPage();
    if (page === undefined) return undefined;
    const { tps, from, to } = page;

    const out: Omit<PageResult, 'exclusions' | 'requests' | 'debts' | 'records'> = { taxpayers: tps.length, candidates: 0, debtsLeftOut: {}, accountsLeftOut: {} };
    const exclude = (atena: string, bank: string | null, reason: ExclusionReason, detail: string | null = null): void => {
      ex.atena(atena);
      ex.bank(bank);
      ex.reason(reason);
      ex.detail(detail);
      exclusions.endRow();
    };

    // The page's rows; a taxpayer's rows are adjacent: index of the first by 宛名番号.
    const debts = reader.debts(from, to);
    const debtAt = runStarts(debts);
    let paysBy: Map<string, PrincipalPayment[]> | null = null;
    for (const p of reader.payments(from, to)) {
      paysBy ??= new Map();
      let list = paysBy.get(p[0]);
      if (!list) paysBy.set(p[0], (list = []));
      list.push({ date: p[1], honzei: p[2] });
    }
    const accts = reader.accounts(from, to);
    const acctAt = runStarts(accts);
    const answers = reader.answers(from, to);
    const answerAt = answers.length > 0 ? runStarts(answers) : null;
    const protectedOf = answers.length > 0 ? protectedAmounts(reader, answers, ctx.protectedPatterns) : null;
    let openBy: Map<string, Set<string>> | null = null;
    for (const o of reader.open(from, to)) {
      openBy ??= new Map();
      let s = openBy.get(o[0]);
      if (!s) openBy.set(o[0], (s = new Set()));
      s.add(o[1]);
    }

    for (const tp of tps) {
      const atena = tp[0];
      const d0 = debtAt.get(atena);
      if (d0 === undefined) continue; // no active debt: not a delinquent in this export
      out.candidates++;
      const status = statusExclusion(tp[3]);
      if (status) {
        exclude(atena, null, status);
        continue;
      }
      const facts: DebtFacts[] = [];
      for (let i = d0; i < debts.length; i++) {
        const d = debts[i] as DebtRaw;
        if (d[1] !== atena) break;
        facts.push(toFacts(d, paysBy));
      }
      if (facts.length > 1) facts.sort((a, b) => (a.chotei < b.chotei ? -1 : a.chotei > b.chotei ? 1 : 0));
      const verdict = evaluateDebts(facts, date);
      if (verdict.covered.length === 0) {
        for (const l of verdict.leftOut) inc(out.debtsLeftOut, l.reason);
        exclude(atena, null, 'no-seizable-debt', verdict.leftOut.map((l) => `${l.chotei}:${l.reason}`).join(',') || null);
        continue;
      }
      // cli.md's order: no-seizable-debt before in-open-batch (whose debts are not counted as left out, as before)
      const openBanks = openBy?.get(atena);
      if (!allowMulti && openBanks) {
        exclude(atena, null, 'in-open-batch', [...openBanks].sort().join(','));
        continue;
      }
      for (const l of verdict.leftOut) inc(out.debtsLeftOut, l.reason);

      // Known accounts at banks in this run, by bank (adjacent rows, bank codes ascending):
      // the CSV rows, weighed against the newest answer at that bank (ADR 0131).
      const byBank = new Map<string, Candidate[]>();
      const a0 = acctAt.get(atena);
      if (a0 !== undefined) {
        for (let i = a0; i < accts.length; i++) {
          const a = accts[i] as AccountRaw;
          if (a[1] !== atena) break;
          if (!inScope.has(a[2])) continue;
          let l = byBank.get(a[2]);
          if (!l) byBank.set(a[2], (l = []));
          const kana = a[6];
          l.push({
            id: a[0],
            answer: false,
            branchCode: a[3],
            accountType: a[4],
            accountNumber: a[5],
            kana: kana !== null && kana.trim() !== '' ? kana : tp[1],
            balance: a[7] ?? 0,
            protectedYen: 0,
            date: a[8],
            name: '',
          });
        }
      }
      const n0 = answerAt?.get(atena);
      if (n0 !== undefined) applyAnswers(byBank, answers, n0, atena, inScope, protectedOf);
      if (byBank.size === 0) {
        exclude(atena, scope.length === 1 ? (scope[0] as string) : null, 'no-account-at-bank');
        continue;
      }
      // Stale knowledge (--max-account-age) is not used.
      let newestStale: string | null = null;
      const knownAt = byBank.size === 1 ? ([...byBank.keys()][0] as string) : null;
      for (const [bank, list] of byBank) {
        let stale = 0;
        for (const a of list) {
          if (isStale(a.date, ctx.staleBefore)) {
            stale++;
            if (newestStale === null || (a.date as string) > newestStale) newestStale = a.date;
          }
        }
        if (stale === 0) continue;
        if (stale === list.length) byBank.delete(bank);
        else byBank.set(bank, list.filter((a) => !isStale(a.date, ctx.staleBefore)));
      }
      if (byBank.size === 0) {
        exclude(atena, knownAt, 'account-info-stale', newestStale);
        continue;
      }
      // Wholly protected accounts (domain.md "Protected deposits") are not used either;
      // counted as left out only at a bank a request is made to.
      let whollyProtected: Map<string, number> | null = null;
      if (protectedOf !== null && protectedOf.size > 0) {
        const knownNow = byBank.size === 1 ? ([...byBank.keys()][0] as string) : null;
        for (const [bank, list] of byBank) {
          let n = 0;
          for (const a of list) if (isWhollyProtected(a.protectedYen, a.balance)) n++;
          if (n === 0) continue;
          (whollyProtected ??= new Map()).set(bank, n);
          if (n === list.length) byBank.delete(bank);
          else byBank.set(bank, list.filter((a) => !isWhollyProtected(a.protectedYen, a.balance)));
        }
        if (byBank.size === 0) {
          exclude(atena, knownNow, 'protected-funds');
          continue;
        }
      }
      let notConfigured: string[] | null = null;
      for (const b of byBank.keys()) if (!configured.has(b)) (notConfigured ??= []).push(b);
      if (notConfigured !== null) {
        for (const b of notConfigured) byBank.delete(b);
        if (byBank.size === 0) {
          exclude(atena, notConfigured[0] as string, 'bank-not-configured', notConfigured.join(','));
          continue;
        }
      }
      if (allowMulti && openBanks) {
        const busy = [...byBank.keys()].filter((b) => openBanks.has(b));
        for (const b of busy) byBank.delete(b);
        if (byBank.size === 0) {
          exclude(atena, busy[0] as string, 'in-open-batch', busy.join(','));
          continue;
        }
      }

      // Names: an account whose holder name cannot be written is left out.
      const writable = new Map<string, { cands: Candidate[]; refused: number; balance: number }>();
      for (const [bank, list] of byBank) {
        const cands: Candidate[] = [];
        let refused = 0;
        let balance = 0;
        for (const a of list) {
          balance += a.balance - a.protectedYen;
          const r = nameOf(a.kana);
          if (r.ok) {
            a.name = r.value;
            cands.push(a);
          } else refused++;
        }
        if (cands.length > 0) writable.set(bank, { cands, refused, balance });
      }
      if (writable.size === 0) {
        exclude(atena, byBank.size === 1 ? ([...byBank.keys()][0] as string) : null, 'name-not-writable');
        continue;
      }

      // One open request per taxpayer: the bank with the largest Σ (調査時残高 − protected).
      let targets: string[];
      if (allowMulti) targets = [...writable.keys()].sort();
      else {
        if (writable.size === 1) targets = [...writable.keys()];
        else {
          const chosen = chooseBank(new Map([...writable].map(([b, v]) => [b, v.balance]))) as string;
          targets = [chosen];
          for (const b of [...writable.keys()].sort()) if (b !== chosen) exclude(atena, b, 'assigned-to-other-bank', chosen);
        }
      }

      if (verdict.limit < minAmount) {
        exclude(atena, targets.length === 1 ? (targets[0] as string) : null, 'below-min-amount', String(verdict.limit));
        continue;
      }

      const birth = tp[2] ? toCompact(tp[2]) : null;
      for (const bank of targets) {
        const v = writable.get(bank) as { cands: Candidate[]; refused: number };
        if (v.refused > 0) inc(out.accountsLeftOut, 'name-not-writable' satisfies AccountLeftOutReason, v.refused);
        const leftProtected = whollyProtected?.get(bank);
        if (leftProtected !== undefined) inc(out.accountsLeftOut, 'protected-funds' satisfies AccountLeftOutReason, leftProtected);
        const ordered = orderWithProtectedLast(v.cands);
        const cap = Math.min(MAX_SUB_NUMBER, configured.get(bank) as number);
        if (ordered.length > cap) inc(out.accountsLeftOut, 'over-sub-number-limit' satisfies AccountLeftOutReason, ordered.length - cap);
        const n = Math.min(ordered.length, cap);
        let held = 0;
        for (let i = 0; i < n; i++) if ((ordered[i] as Candidate).protectedYen > 0) held = 1;
        rq.bank(bank);
        rq.atena(atena);
        rq.limit(verdict.limit);
        rq.birth(birth);
        rq.debts(verdict.covered.length);
        rq.records(n);
        rq.held(held);
        requests.endRow();
        for (const d of verdict.covered) {
          dt.chotei(d.chotei);
          dt.honzei(d.honzei);
          dt.fee(d.fee);
          dt.entaikin(d.entaikin);
          covered.endRow();
        }
        for (let i = 0; i < n; i++) {
          const c = ordered[i] as Candidate;
          rc.accountId(c.id);
          rc.answer(c.answer ? 1 : 0);
          rc.branch(c.branchCode);
          rc.type(c.accountType);
          rc.number(c.accountNumber);
          rc.name(c.name);
          rc.protectedYen(c.protectedYen);
          records.endRow();
        }
      }
    }
    return { ...out, exclusions: exclusions.finish(), requests: requests.finish(), debts: covered.finish(), records: records.finish() };
  };
  return { next };
}

/**
 * Weigh the CSV accounts of `byBank` against the taxpayer's answers (rows from
 * `start`, adjacent, by bank: the newest answer of 回答区分 1/2 per bank, one row per
 * account): byBank then holds the known accounts of each bank in scope (a bank
 * with none is removed).
 */
function applyAnswers(
  byBank: Map<string, Candidate[]>,
  answers: AnswerRaw[],
  start: number,
  atena: string,
  inScope: Set<string>,
  protectedOf: Map<number, number> | null,
): void {
  let i = start;
  let added = false;
  while (i < answers.length) {
    const head = answers[i] as AnswerRaw;
    if (head[1] !== atena) break;
    const bank = head[2];
    const accounts: Candidate[] = [];
    for (; i < answers.length; i++) {
      const r = answers[i] as AnswerRaw;
      if (r[1] !== atena || r[2] !== bank) break;
      if (r[0] === null) continue; // 回答区分 2: no account
      accounts.push({
        id: r[0],
        answer: true,
        branchCode: r[6] as string,
        accountType: r[7] as string,
        accountNumber: r[8] as string,
        kana: r[9] as string,
        balance: r[10] ?? 0,
        protectedYen: protectedOf?.get(r[0]) ?? 0,
        date: r[3],
        name: '',
      });
    }
    if (!inScope.has(bank)) continue;
    const answer: AnswerKnowledge<Candidate> = { date: head[3], fileNumber: head[4], code: head[5], accounts };
    const known = knownAccounts(byBank.get(bank) ?? [], [answer]);
    if (!byBank.has(bank)) added = true;
    if (known.length === 0) byBank.delete(bank);
    else byBank.set(bank, known as Candidate[]);
  }
  if (added) {
    // keep the banks in ascending code, as the CSV rows come
    const sorted = [...byBank].sort((a, b) => (a[0] < b[0] ? -1 : 1));
    byBank.clear();
    for (const [b, l] of sorted) byBank.set(b, l);
  }
}

/**
 * The protected amount (> 0 only) of each answer account of the page that has details:
 * one read of the details of the page's answer accounts, each account walked by the
 * policy (domain/protected-funds.ts). Recomputed at every extraction from the stored
 * details and the current patterns (docs/protected-funds-policy.md).
 */
function protectedAmounts(reader: ExtractPageReader, answers: AnswerRaw[], patterns: readonly string[]): Map<number, number> {
  const ids: number[] = [];
  for (const r of answers) if (r[0] !== null) ids.push(r[0]);
  return protectedByAccount(reader.transactions(ids), patterns);
}

/**
 * 枝番 order of a request's accounts: the usual order (orderAccounts), except that
 * accounts with a protected amount > 0 come after the others (domain.md: the bank
 * seizes account by account, so unprotected money is taken first).
 */
function orderWithProtectedLast(cands: Candidate[]): Candidate[] {
  if (cands.length <= 1) return cands;
  let anyProtected = false;
  for (const c of cands) if (c.protectedYen > 0) anyProtected = true;
  if (!anyProtected) return orderAccounts(cands);
  return [...orderAccounts(cands.filter((c) => c.protectedYen === 0)), ...orderAccounts(cands.filter((c) => c.protectedYen > 0))];
}

/**
 * A debt row of the page reads as the rule that decides whether it can be covered sees it
 * (inquire's: DebtRuleRaw; DebtRaw begins with the same columns, see toFacts).
 */
export function ruleFacts(d: DebtRuleRaw): DebtRuleFacts {
  return { kubun: d[2], reminderDate: d[3], prescriptionDate: d[4], honzeiOut: d[5], feeOut: d[6] };
}

/** A debt row of extract's page reads as the debt rules see it (the positions of ruleFacts, then the amounts'). */
export function toFacts(d: DebtRaw, paysBy: Map<string, PrincipalPayment[]> | null): DebtFacts {
  return {
    chotei: d[0],
    kubun: d[2],
    dueDate: d[7],
    honzeiOut: d[5],
    feeOut: d[6],
    entaikinPaid: d[9],
    entaikinKind: d[8],
    reminderDate: d[3],
    prescriptionDate: d[4],
    payments: paysBy?.get(d[0]) ?? NO_PAYMENTS,
  };
}

/** Index of the first row of each 宛名番号 (column 1) in rows where equal keys are adjacent. */
function runStarts(rows: ReadonlyArray<readonly unknown[]>): Map<string, number> {
  const m = new Map<string, number>();
  let prev: unknown = undefined;
  for (let i = 0; i < rows.length; i++) {
    const k = (rows[i] as readonly unknown[])[1];
    if (k !== prev) {
      m.set(k as string, i);
      prev = k;
    }
  }
  return m;
}

/**
 * Pages of taxpayers in 宛名番号 text order, each read after the last 宛名番号 of the one
 * before (keyset paging), with its first and last 宛名番号 (the range the page's other reads
 * take); undefined once no taxpayer is left. Shared by extract's and inquire's pages.
 */
export function taxpayerPager<T extends readonly [string, ...unknown[]]>(
  read: (after: string, limit: number) => T[],
  pageSize: number,
): () => { tps: T[]; from: string; to: string } | undefined {
  let after = '';
  let done = false;
  return () => {
    if (done) return undefined;
    const tps = read(after, pageSize);
    if (tps.length === 0) {
      done = true;
      return undefined;
    }
    if (tps.length < pageSize) done = true;
    const from = (tps[0] as T)[0];
    const to = (tps[tps.length - 1] as T)[0];
    after = to;
    return { tps, from, to };
  };
}
