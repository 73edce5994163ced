/**
 * Queries of `import statement` (statement-03): entries of the city's accounts.
 * Synchronous; the import step runs the writes inside one transaction.
 */
import type { Db } from './connection.js';

export interface StatementEntryRow {
  importId: number;
  bankCode: string;
  branchCode: string;
  accountType: string;
  accountNumber: string;
  inquiryNumber: string;
  valueDate: string;
  inOut: number;
  transactionKind: string;
  amount: number;
  remitterName: string | null;
  summary: string | null;
}

/** Prepared insert of one statement entry. */
export function entryInserter(db: Db): (e: StatementEntryRow) => void {
  const st = db.prepare(
    `INSERT INTO statement_entries (import_id, bank_code, branch_code, account_type, account_number, inquiry_number,
       value_date, in_out, transaction_kind, amount, remitter_name, summary)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (e) => {
    st.run(e.importId, e.bankCode, e.branchCode, e.accountType, e.accountNumber, e.inquiryNumber, e.valueDate, e.inOut, e.transactionKind, e.amount, e.remitterName, e.summary);
  };
}

/** Batches of these banks whose deposits can be matched (results in, not closed); an inquiry batch never has deposits. */
export function batchesToMatch(db: Db, bankCodes: readonly string[]): string[] {
  if (bankCodes.length === 0) return [];
  const marks = bankCodes.map(() => '?').join(',');
  return (
    db
      .prepare(`SELECT id FROM batches WHERE bank_code IN (${marks}) AND state IN ('results-imported','reconciled') AND kind <> 'inquiry' ORDER BY id`)
      .all(...bankCodes) as Array<{ id: string }>
  ).map((r) => r.id);
}

/** What is stored for one 照会番号 of an account on a 勘定日. */
export interface StoredEntry {
  inOut: number;
  amount: number;
  transactionKind: string;
  importId: number;
}

/**
 * The entry already stored for (account, 照会番号, 勘定日), if any — an overlapping
 * statement repeats it; with other content it is a conflict (import-statement.ts).
 */
export function storedEntryOf(
  db: Db,
): (bank: string, branch: string, type: string, account: string, inquiry: string, valueDate: string) => StoredEntry | undefined {
  const st = db.prepare(
    `SELECT in_out AS inOut, amount, transaction_kind AS transactionKind, import_id AS importId FROM statement_entries
     WHERE bank_code = ? AND branch_code = ? AND account_type = ? AND account_number = ? AND inquiry_number = ?
       AND value_date = ? ORDER BY id LIMIT 1`,
  );
  return (bank, branch, type, account, inquiry, valueDate) => st.get(bank, branch, type, account, inquiry, valueDate) as StoredEntry | undefined;
}
