/**
 * The held seizures (取立保留) of a seizure batch's report (cli.md `report --json` "holds",
 * instruction-120.md "What an imported instruction result means"): what was held, what
 * instruction results 01 collected and released, per request with the protected amount
 * at inquiry that justified a release. Read from db/holds.ts (the one query of held
 * records); people by 宛名番号, accounts masked.
 */
import type { Msg } from '../core/i18n.js';
import { maskAccount } from '../core/mask.js';
import { yen } from '../core/yen.js';
import type { Db } from '../db/connection.js';
import { holdCounts, holdRows, type HoldRow } from '../db/holds.js';
import { isResolved, type HoldState } from '../domain/hold.js';

/** `report --json` "holds" (cli.md). */
export interface HoldsJson {
  held: { records: number; amount: number };
  collected: { records: number; amount: number };
  released: { records: number; amount: number };
}

/** One held record as the report lists it (no personal data but the masked account). */
export interface HoldLine {
  atena: string;
  requestNumber: number;
  subNumber: number;
  /** 支店-種目-masked number */
  account: string;
  seized: number;
  /** protected amount at inquiry: what a release is justified by */
  protectedAmount: number;
  state: HoldState;
  /** collected by an instruction result 01 (0 otherwise) */
  collected: number;
  collectionDate: string | null;
  /** released (差押解除) by an instruction result 01 (0 otherwise) */
  released: number;
}

export interface HoldsView {
  json: HoldsJson;
  lines: HoldLine[];
  /** held records not yet resolved (held, instructed, not done) */
  unresolved: { records: number; amount: number };
}

/** A result 01 of the newest instruction: what it collected and released. */
function done(h: HoldRow): { collected: number; released: number } {
  if (h.instruction === null || h.instruction.resultCode !== '01') return { collected: 0, released: 0 };
  return { collected: h.instruction.collected ?? 0, released: h.instruction.release };
}

/** The holds of a seizure batch, or null when it has none (an immediate batch, or nothing seized). */
export function holdsView(db: Db, batchId: string): HoldsView | null {
  const rows = holdRows(db, batchId);
  if (rows.length === 0) return null;
  const json: HoldsJson = { held: { records: rows.length, amount: 0 }, collected: { records: 0, amount: 0 }, released: { records: 0, amount: 0 } };
  const lines: HoldLine[] = [];
  for (const h of rows) {
    json.held.amount += h.seized;
    const d = done(h);
    if (d.collected > 0) {
      json.collected.records++;
      json.collected.amount += d.collected;
    }
    if (d.released > 0) {
      json.released.records++;
      json.released.amount += d.released;
    }
    lines.push({
      atena: h.atena,
      requestNumber: h.requestNumber,
      subNumber: h.subNumber,
      account: `${h.branchCode}-${h.accountType}-${maskAccount(h.accountNumber)}`,
      seized: h.seized,
      protectedAmount: h.protectedAmount,
      state: h.state,
      collected: d.collected,
      collectionDate: d.collected > 0 ? (h.instruction?.collectionDate ?? null) : null,
      released: d.released,
    });
  }
  const c = holdCounts(rows);
  const unresolved = { records: 0, amount: 0 };
  for (const [state, v] of Object.entries(c) as Array<[HoldState, { records: number; seized: number }]>) {
    if (isResolved(state)) continue;
    unresolved.records += v.records;
    unresolved.amount += v.seized;
  }
  return { json, lines, unresolved };
}

/** The report's 'deferred-collection' notice: still held (to instruct) or resolved (collected / released). */
export function holdsNotice(v: HoldsView): Msg {
  const j = v.json;
  if (v.unresolved.records > 0) {
    return {
      ja: `取立保留のうち未解決 ${v.unresolved.records} 件 ${yen(v.unresolved.amount)}（保留 ${j.held.records} 件 ${yen(j.held.amount)} 中）。差押禁止額を確認し instruct で取立・解除を指示してください（sashiosae holds）`,
      en: `${v.unresolved.records} held seizure(s), ${yen(v.unresolved.amount)}, not yet resolved (of ${j.held.records} held, ${yen(j.held.amount)}); check the protected amounts and instruct collection or release (sashiosae holds)`,
    };
  }
  return {
    ja: `取立保留 ${j.held.records} 件 ${yen(j.held.amount)} はすべて解決済: 取立 ${j.collected.records} 件 ${yen(j.collected.amount)}・差押解除 ${j.released.records} 件 ${yen(j.released.amount)}`,
    en: `all ${j.held.records} held seizure(s), ${yen(j.held.amount)}, resolved: collected ${j.collected.records} (${yen(j.collected.amount)}), released ${j.released.records} (${yen(j.released.amount)})`,
  };
}
