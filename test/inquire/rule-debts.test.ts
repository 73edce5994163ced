/**
 * inquire reads the debts' rule columns only (db/batches.ts ruleDebts, issue 15 item 7,
 * ADR 0191): the same rows as extract's debt read, its first seven columns — with and
 * without receipts not yet in an export (they lower what is owed) — and a debt paid off by
 * such a receipt is 'nothing-owing' to inquire as it is to extract.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../../src/db/connection.js';
import { extractPageReader } from '../../src/db/batches.js';
import { inquire } from '../../src/steps/inquire/index.js';
import { TODAY, inquiryDb, type Person } from './helpers.js';

beforeEach(() => vi.stubEnv('SASHIOSAE_TODAY', TODAY));
afterEach(() => vi.unstubAllEnvs());

const PEOPLE: Person[] = [
  { atena: '100001' },
  { atena: '100002', kubun: 2 },
  { atena: '100003' },
  { atena: '100004', kubun: 3 },
  { atena: '100005' },
  { atena: '100006', noDebt: true },
];

/** A receipt of 100003's debt C000003 (50,000 本税 and 100 手数料: all it owes) and one of 20,000 on 100005's C000005, not yet in an export. */
function pendingReceipts(db: Db): void {
  db.exec(`INSERT INTO extractions (id, processing_date, options, created_at, operator) VALUES (99, '2026-06-01', '{}', 't', 'x');
    INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
      VALUES ('0184-00000900', 99, '0184', '0000012345', '2026-06-01', 'immediate', 'seizure-120', 'reconciled', 2, 2, 1, 't', 't');
    INSERT INTO requests (id, batch_id, request_number, atena, limit_amount) VALUES (500, '0184-00000900', 1, '100003', 1), (501, '0184-00000900', 2, '100005', 1);
    INSERT INTO receipts (batch_id, request_id, chotei, atena, receipt_date, honzei, entaikin, fee) VALUES
      ('0184-00000900', 500, 'C000003', '100003', '2026-06-01', 50000, 0, 100),
      ('0184-00000900', 501, 'C000005', '100005', '2026-06-01', 20000, 300, 0);`);
}

function bothReads(db: Db, from: string, to: string): { rule: unknown[]; extract: unknown[] } {
  const reader = extractPageReader(db);
  return { rule: reader.ruleDebts(from, to), extract: reader.debts(from, to).map((d) => d.slice(0, 7)) };
}

describe('inquire: the debts rule columns', () => {
  it('the same rows and values as extract’s debt read, without and with pending receipts', async () => {
    const { db } = await inquiryDb(PEOPLE);
    try {
      for (const [from, to] of [['100001', '100006'], ['100002', '100003'], ['100006', '100009']] as const) {
        const r = bothReads(db, from, to);
        expect(r.rule).toEqual(r.extract);
      }
      expect(bothReads(db, '100001', '100006').rule).toHaveLength(5);
      pendingReceipts(db);
      const r = bothReads(db, '100001', '100006');
      expect(r.rule).toEqual(r.extract);
      // the receipts are in: 100003 owes nothing, 100005 30,000 of 本税
      expect(r.rule.find((d) => (d as unknown[])[1] === '100003')).toEqual(['C000003', '100003', 1, '2026-05-20', null, 0, 0]);
      expect(r.rule.find((d) => (d as unknown[])[1] === '100005')).toEqual(['C000005', '100005', 1, '2026-05-20', null, 30000, 100]);
    } finally {
      db.close();
    }
  });

  it('a debt paid off by a receipt not yet in an export is nothing-owing (inline and through the worker)', async () => {
    for (const producer of ['inline', 'worker'] as const) {
      const { db } = await inquiryDb(PEOPLE);
      try {
        pendingReceipts(db);
        const excluded: unknown[] = [];
        const r = inquire(db, { date: TODAY, banks: ['0184'], engine: { producer }, onExclusion: (...a) => excluded.push(a) });
        expect(excluded).toContainEqual(['100003', null, 'no-seizable-debt', 'C000003:nothing-owing']);
        expect(r.batches[0]?.inquiries).toBe(2); // 100001, 100005
        expect(db.prepare("SELECT atena FROM inquiries ORDER BY seq").pluck().all()).toEqual(['100001', '100005']);
      } finally {
        db.close();
      }
    }
  });
});
