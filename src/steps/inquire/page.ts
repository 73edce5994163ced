/**
 * inquire's per-page decision (inquiry-300.md "Writing a request", cli.md `inquire`),
 * shared by its two producers: the worker thread on the second core (worker.ts) and the
 * inline path of inquire.ts (a database without a file, a dry run, `--engine inline`).
 * Pure apart from the page reads: per taxpayer, the first exclusion reason in
 * INQUIRY_EXCLUSION_REASONS order, or the person to ask (氏名カナ narrowed) and the banks
 * they are skipped at; `asWritten` widens 氏名/住所 on the consumer's side. Returned as
 * columnar rows (core/rows.ts, transferred, not copied). What needs the write
 * transaction — the run, exclusions, inquiries, batches, files — stays with the consumer
 * (docs/adr/0189).
 */
import { defineRows, type RowsChunk } from '../../core/rows.js';
import { debtLeftOutReason, statusExclusion, type ExclusionReason } from '../../domain/eligibility.js';
import { INQUIRY_FIELD_BYTES, idWritable } from '../../domain/inquiry.js';
import { narrowName } from '../../text/narrow.js';
import { widenText } from '../../text/widen.js';
import type { DebtRuleRaw, ExtractPageReader } from '../../db/batches.js';
import type { InquirePageReader } from '../../db/inquiries.js';
import { EXCLUSION_ROWS, ruleFacts, taxpayerPager } from '../extract/index.js';

/** What the decision needs to know of the run (structured-clonable: it is the worker's input). */
export interface InquirePageContext {
  /** 照会基準日, YYYY-MM-DD */
  date: string;
  /** a (taxpayer, bank) asked with 照会基準日 ≥ since is skipped */
  since: string;
  pageSize: number;
  /** the run's bank codes, in the run's order (skip flags are indexed by it) */
  banks: string[];
}

export { EXCLUSION_ROWS };

/**
 * The people to ask, in page (宛名番号 text) order: `num` the numeric 宛名番号 (the
 * stage's key), 氏名カナ as written (narrowed: it decides name-not-writable), 氏名 and 住所
 * as stored (the consumer widens them, `asWritten`: they decide nothing, and that work
 * balances the two threads, ADR 0189), `asked` how many banks ask them, `skip` one
 * character per bank of the run, '1' = skipped (recently inquired there).
 */
export const PEOPLE_ROWS = defineRows({ num: 'int', atena: 'str', kana: 'str', name: 'str', birth: 'str?', address: 'str?', asked: 'int', skip: 'str' });

/** What widening changed, counted per inquiry (the summary's `substituted`). */
export interface Substitutions {
  gaiji: number;
  nameShortened: number;
  addressShortened: number;
}

/** 氏名 and 住所 as the request writes them (full-width, 〓 for 外字, cut to the field); counted `asked` times into `sub`. */
export function asWritten(name: string, address: string | null, asked: number, sub: Substitutions): { name: string; address: string } {
  const n = widenText(name, INQUIRY_FIELD_BYTES.name);
  const a = widenText(address ?? '', INQUIRY_FIELD_BYTES.address);
  if (n.gaiji > 0) sub.gaiji += asked;
  if (a.gaiji > 0) sub.gaiji += asked;
  if (n.shortened) sub.nameShortened += asked;
  if (a.shortened) sub.addressShortened += asked;
  return { name: n.value, address: a.value };
}

/** One page's outcome: rows in the order the rules produced them, and the page's counters. */
export interface InquirePage {
  /** taxpayers read in this page (progress) */
  taxpayers: number;
  /** of them, with an active debt (the summary's `taxpayers`) */
  candidates: number;
  exclusions: RowsChunk<typeof EXCLUSION_ROWS.schema>;
  people: RowsChunk<typeof PEOPLE_ROWS.schema>;
  /** (taxpayer, bank) pairs skipped as recently inquired, of the people asked */
  skippedPairs: number;
  /** inquiries per bank of the run (its index) */
  perBank: number[];
}

/** The page reads the decision needs: inquire's own, extract's debts (rule columns) and open requests, the padded-id collisions. */
export interface InquireReads {
  people: InquirePageReader;
  pages: ExtractPageReader;
  /** active 宛名番号 that pad to another's (db/inquiries.ts paddedIdCollisions) */
  collisions: ReadonlySet<string>;
}

/**
 * Pages through the active taxpayers in 宛名番号 text order (keyset pagination): next()
 * reads and decides the next page; undefined once there is none.
 */
export function inquirePages(reads: InquireReads, ctx: InquirePageContext): { next(): InquirePage | undefined } {
  const { date, since, pageSize } = ctx;
  const { people, pages, collisions } = reads;
  const nBanks = ctx.banks.length;
  const bankIndex = new Map(ctx.banks.map((b, i) => [b, i]));
  const bankList = ctx.banks.join(',');
  const allSkipped = '1'.repeat(nBanks);
  const noneSkipped = '0'.repeat(nBanks);
  const exclusions = EXCLUSION_ROWS.builder(pageSize);
  const asked = PEOPLE_ROWS.builder(pageSize);
  const ex = exclusions.set;
  const pp = asked.set;
  const nextPage = taxpayerPager(people.taxpayers, pageSize);

  const next = (): InquirePage | undefined => {
    const page = nextPage();
    if (page === undefined) return undefined;
    const { tps, from, to } = page;
    const out: Omit<InquirePage, 'exclusions' | 'people'> = {
      taxpayers: tps.length,
      candidates: 0,
      skippedPairs: 0,
      perBank: new Array<number>(nBanks).fill(0),
    };
    const exclude = (atena: string, reason: ExclusionReason, detail: string | null): void => {
      ex.atena(atena);
      ex.bank(null);
      ex.reason(reason);
      ex.detail(detail);
      exclusions.endRow();
    };

    const debts = pages.ruleDebts(from, to);
    const debtAt = new Map<string, number>();
    for (let i = 0; i < debts.length; i++) {
      const a = (debts[i] as DebtRuleRaw)[1];
      if (i === 0 || (debts[i - 1] as DebtRuleRaw)[1] !== a) debtAt.set(a, i);
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
      out.candidates++;
      const status = statusExclusion(tp[3]);
      if (status !== null) {
        exclude(atena, status, null);
        continue;
      }
      let seizable = false;
      let leftOut = '';
      for (let i = d0; i < debts.length; i++) {
        const d = debts[i] as DebtRuleRaw;
        if (d[1] !== atena) break;
        const reason = debtLeftOutReason(ruleFacts(d), date);
        if (reason === null) {
          seizable = true;
          break;
        }
        leftOut += `${leftOut === '' ? '' : ','}${d[0]}:${reason}`;
      }
      if (!seizable) {
        exclude(atena, 'no-seizable-debt', leftOut === '' ? null : leftOut);
        continue;
      }
      const open = openBy?.get(atena);
      if (open !== undefined) {
        exclude(atena, 'in-open-batch', [...new Set(open)].sort().join(','));
        continue;
      }
      if (!idWritable(atena) || collisions.has(atena)) {
        exclude(atena, 'id-not-writable', idWritable(atena) ? 'padded-duplicate' : 'not-1-to-10-digits');
        continue;
      }
      const kana = narrowName(tp[1], { cls: 'party', maxBytes: INQUIRY_FIELD_BYTES.nameKana });
      if (!kana.ok) {
        exclude(atena, 'name-not-writable', kana.reason);
        continue;
      }
      let skip = noneSkipped;
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
        exclude(atena, 'recently-inquired', bankList);
        continue;
      }
      out.skippedPairs += skipped;
      for (let i = 0; i < nBanks; i++) if (skip.charCodeAt(i) === 0x30) out.perBank[i]!++;
      pp.num(Number(atena));
      pp.atena(atena);
      pp.kana(kana.value);
      pp.name(tp[4]);
      pp.birth(tp[2]);
      pp.address(tp[5]);
      pp.asked(nBanks - skipped);
      pp.skip(skip);
      asked.endRow();
    }
    return { ...out, exclusions: exclusions.finish(), people: asked.finish() };
  };
  return { next };
}
