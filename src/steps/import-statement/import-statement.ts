/**
 * Step: import a Zengin 入出金取引明細 file (shared/spec/statement-03.md) into
 * statement_entries, then match deposits of the bank's batches
 * (docs/adr/0051-statement-import-leniency.md).
 *
 * Pass 1 streams the file once: framing, fields, group order, trailer/end totals (the
 * layout), each group's balance (statement-rules.ts), and the SHA-256. Any finding →
 * exit 3, nothing stored. The same bytes again → exit 4, nothing changed. Pass 2 runs
 * inside ONE transaction: it streams the file again, hashes it again (the file must not
 * have changed in between) and inserts each entry with its group header's
 * bank/branch/type/account. Constant memory.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nowTokyoTimestamp, todayTokyo, type IsoDate } from '../../core/dates.js';
import { AppError, EXIT, rejected, type Finding } from '../../core/errors.js';
import { maskAccount } from '../../core/mask.js';
import { yen } from '../../core/yen.js';
import { audit, currentOperator } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { insertImport, refuseSameFile } from '../../db/results.js';
import { batchesToMatch, entryInserter, storedEntryOf } from '../../db/statements.js';
import { scanInto } from '../../file/reader.js';
import { RecordScanner, type ReadRecord } from '../../file/scanner.js';
import type { Layout } from '../../layout/types.js';
import { readWareki } from '../../layout/wareki.js';
import { matchDeposits, type DepositMatchSummary } from '../../db/deposit-matches.js';
import { resolveFileLayout } from '../import-results/index.js';
import { statementBalanceRule } from './statement-rules.js';

export interface ImportStatementOptions {
  /** the file's name as its sender gave it (messages, the audit log and the import's record; default: the path's last part) — the web application's uploads are kept under names of their own */
  displayName?: string;
  /** layout id or path (default: detected from the file) */
  layout?: string;
  operator?: string;
  maxFindings?: number;
  /** date for reading 和暦 (default todayTokyo()) */
  today?: IsoDate;
  /** match deposits of the bank's batches after storing (default true) */
  match?: boolean;
}

export interface StatementAccountSummary {
  bankCode: string;
  branchCode: string;
  accountType: string;
  /** masked (***4567) */
  account: string;
  periodFrom: string | null;
  periodTo: string | null;
  entries: number;
  /** entries already stored by an earlier statement (overlapping periods): not stored again */
  known: number;
  deposits: number;
  depositTotal: number;
  withdrawals: number;
  withdrawalTotal: number;
}

export interface ImportStatementSummary {
  importId: number;
  sha256: string;
  file: string;
  accounts: StatementAccountSummary[];
  entries: number;
  known: number;
  /** deposit matching per batch of the statement's banks (results imported or reconciled) */
  matches: DepositMatchSummary[];
}

/**
 * 口座番号 as stored: banks differ (statement-03.md) — some right-align the number
 * zero-padded in 10 digits, some write 7 digits space-padded. The number is kept
 * as its 7-digit form when it has at most 7 significant digits (how accounts are
 * numbered in the other files), else as written.
 */
export function normalizeAccount(text: string): string {
  const t = text.trim();
  const sig = t.replace(/^0+/, '');
  return sig.length <= 7 ? sig.padStart(7, '0') : t;
}

const num = (s: string | undefined): number => {
  const t = (s ?? '').trim();
  return t === '' ? 0 : Number(t);
};

const IN_OUT: Record<number, { ja: string; en: string }> = { 1: { ja: '入金', en: 'deposit' }, 2: { ja: '出金', en: 'withdrawal' } };

/**
 * A 照会番号 already stored for the account and 勘定日 with other content (amount,
 * 入払区分 or 取引区分): the bank's statements disagree (issue 13, item 5). Exit 4,
 * nothing stored; the amounts are the city's own, the account is masked. Repeated
 * within the one file being imported: the file is wrong (exit 3).
 */
function inquiryConflict(
  fileName: string,
  rec: ReadRecord,
  layout: Layout,
  a: { bankCode: string; branchCode: string; accountType: string; account: string },
  inquiry: string,
  valueDate: string,
  prev: { inOut: number; amount: number; transactionKind: string; importId: number },
  now: { inOut: number; amount: number; transactionKind: string },
  importId: number,
): AppError {
  const io = (n: number, l: 'ja' | 'en'): string => IN_OUT[n]?.[l] ?? String(n);
  const acct = `${a.bankCode}-${a.branchCode} 種目${a.accountType} ${a.account}`;
  const field = prev.amount !== now.amount ? 'amount' : prev.inOut !== now.inOut ? 'inOutKubun' : 'transactionKubun';
  const fieldOffset = layout.records.data?.byId.get(field)?.offset ?? 0;
  const location = { file: fileName, record: rec.index, offset: rec.offset + fieldOffset, field };
  if (prev.importId === importId) {
    // the file itself lists the 照会番号 twice with different content: the file is wrong (exit 3)
    return new AppError({
      code: 'statement.inquiry-repeated',
      exit: EXIT.rejected,
      msg: {
        ja:
          `口座 ${acct} の勘定日 ${valueDate} 照会番号 ${inquiry} が、このファイルの中で内容を変えて二度あります: ` +
          `${io(prev.inOut, 'ja')} ${yen(prev.amount)}（取引区分 ${prev.transactionKind}）と ${io(now.inOut, 'ja')} ${yen(now.amount)}（取引区分 ${now.transactionKind}）。` +
          `何も登録していません。銀行に正しいファイルを依頼してください`,
        en:
          `account ${acct}, value date ${valueDate}: 照会番号 ${inquiry} appears twice in this file with different content: ` +
          `${io(prev.inOut, 'en')} ${yen(prev.amount)} (取引区分 ${prev.transactionKind}) and ${io(now.inOut, 'en')} ${yen(now.amount)} (取引区分 ${now.transactionKind}). ` +
          `Nothing was stored. Ask the bank for a corrected file`,
      },
      location,
    });
  }
  return new AppError({
    code: 'statement.inquiry-conflict',
    exit: EXIT.conflict,
    msg: {
      ja:
        `口座 ${acct} の勘定日 ${valueDate} 照会番号 ${inquiry} は取込済み（取込ID ${prev.importId}）で、内容が異なります: ` +
        `取込済み ${io(prev.inOut, 'ja')} ${yen(prev.amount)}（取引区分 ${prev.transactionKind}）、このファイル ${io(now.inOut, 'ja')} ${yen(now.amount)}（取引区分 ${now.transactionKind}）。` +
        `何も登録していません。どちらが正しいか銀行に確認してください`,
      en:
        `account ${acct}, value date ${valueDate}: 照会番号 ${inquiry} is already stored (import ${prev.importId}) with other content: ` +
        `stored ${io(prev.inOut, 'en')} ${yen(prev.amount)} (取引区分 ${prev.transactionKind}), this file ${io(now.inOut, 'en')} ${yen(now.amount)} (取引区分 ${now.transactionKind}). ` +
        `Nothing was stored. Ask the bank which is right`,
    },
    location,
  });
}

export function importStatement(db: Db, file: string, opts: ImportStatementOptions = {}): ImportStatementSummary {
  const operator = currentOperator(opts.operator);
  const fileName = opts.displayName ?? path.basename(file);
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new AppError({ code: 'file.not-found', exit: EXIT.usage, msg: { ja: `ファイル ${file} が見つかりません。パスを確認してください`, en: `file ${file} not found; check the path` }, location: { file } });
  }
  const layout: Layout = resolveFileLayout(file, opts.layout);
  const H = layout.records.header;
  const D = layout.records.data;
  if (!H || !D || !H.byId.has('accountNumber') || !D.byId.has('valueDate') || !D.byId.has('inOutKubun') || !D.byId.has('amount')) {
    throw new AppError({
      code: 'statement.layout',
      exit: EXIT.usage,
      msg: { ja: `レイアウト ${layout.id} は入出金取引明細のレイアウトではありません`, en: `layout ${layout.id} is not a bank statement layout` },
    });
  }
  const today = opts.today ?? todayTokyo();
  const maxFindings = opts.maxFindings ?? 1000;

  // ---- pass 1: validate + hash
  const h1 = createHash('sha256');
  const s1 = new RecordScanner(layout, () => {}, { raw: false, decode: false, today, maxFindings, rules: [statementBalanceRule] });
  const summary = scanInto(file, s1, (c) => h1.update(c));
  const sha256 = h1.digest('hex');
  refuseSameFile(db, 'statement', sha256, fileName);
  if (!summary.valid) {
    const findings: Finding[] = summary.findings.map((f) => ({ file: fileName, ...f }));
    throw rejected(
      'statement.rejected',
      {
        ja: `入出金取引明細 ${fileName} を取り込めません: ${findings.length + summary.moreFindings} 件の誤りがあります。何も登録していません。銀行に正しいファイルを依頼してください`,
        en: `statement ${fileName} was refused: ${findings.length + summary.moreFindings} problem(s); nothing was stored. Ask the bank for a corrected file`,
      },
      findings,
      { file: fileName },
      summary.moreFindings,
    );
  }

  // ---- pass 2: store, in one transaction
  const at = nowTokyoTimestamp();
  const stored = db.transaction((): { importId: number; accounts: StatementAccountSummary[] } => {
    const importId = insertImport(db, { kind: 'statement', sha256, files: [fileName], importedAt: at, operator, summary: {} });
    const insert = entryInserter(db);
    const storedEntry = storedEntryOf(db);
    const accounts: Array<StatementAccountSummary & { number: string }> = [];
    let acct: (StatementAccountSummary & { number: string }) | null = null;
    const onRecord = (rec: ReadRecord): void => {
      const f = rec.fields;
      if (rec.kind === 'header') {
        acct = {
          bankCode: f['bankCode'] ?? '',
          branchCode: f['branchCode'] ?? '',
          accountType: f['accountType'] ?? '',
          number: normalizeAccount(f['accountNumber'] ?? ''),
          account: '',
          periodFrom: readWareki(f['periodFrom'] ?? '', today),
          periodTo: readWareki(f['periodTo'] ?? '', today),
          entries: 0,
          known: 0,
          deposits: 0,
          depositTotal: 0,
          withdrawals: 0,
          withdrawalTotal: 0,
        };
        acct.account = maskAccount(acct.number);
        accounts.push(acct);
        return;
      }
      if (rec.kind !== 'data' || acct === null) return;
      const a: StatementAccountSummary & { number: string } = acct;
      const valueDate = readWareki(f['valueDate'] ?? '', today);
      if (valueDate === null) throw new Error(`value date unreadable at record ${rec.index}`); // validated in pass 1
      const inOut = num(f['inOutKubun']);
      const amount = num(f['amount']);
      const inquiry = (f['inquiryNumber'] ?? '').trim();
      a.entries++;
      if (inOut === 1) {
        a.deposits++;
        a.depositTotal += amount;
      } else {
        a.withdrawals++;
        a.withdrawalTotal += amount;
      }
      const kind = f['transactionKubun'] ?? '';
      const prev = storedEntry(a.bankCode, a.branchCode, a.accountType, a.number, inquiry, valueDate);
      if (prev !== undefined) {
        if (prev.inOut === inOut && prev.amount === amount && prev.transactionKind === kind) {
          a.known++; // the same entry in an overlapping statement: stored once
          return;
        }
        throw inquiryConflict(fileName, rec, layout, a, inquiry, valueDate, prev, { inOut, amount, transactionKind: kind }, importId);
      }
      insert({
        importId,
        bankCode: a.bankCode,
        branchCode: a.branchCode,
        accountType: a.accountType,
        accountNumber: a.number,
        inquiryNumber: inquiry,
        valueDate,
        inOut,
        transactionKind: kind,
        amount,
        remitterName: f['remitterName'] || null,
        summary: f['summary'] || null,
      });
    };
    const h2 = createHash('sha256');
    const s2 = new RecordScanner(layout, onRecord, { raw: false, validate: false, today });
    scanInto(file, s2, (c) => h2.update(c));
    if (h2.digest('hex') !== sha256) {
      throw new AppError({
        code: 'statement.changed',
        exit: EXIT.conflict,
        msg: { ja: `取込中にファイル ${fileName} が変更されました。何も登録していません。もう一度実行してください`, en: `the file ${fileName} changed during the import; nothing was stored. Run it again` },
      });
    }
    const pub = accounts.map(({ number: _n, ...rest }) => rest);
    db.prepare('UPDATE imports SET summary = ? WHERE id = ?').run(JSON.stringify({ accounts: pub }), importId);
    audit(
      db,
      {
        action: 'import.statement',
        sha256,
        details: {
          importId,
          file: fileName,
          accounts: pub.map((a) => ({ bank: a.bankCode, branch: a.branchCode, type: a.accountType, account: a.account, entries: a.entries, known: a.known })),
        },
      },
      operator,
    );
    return { importId, accounts: pub as StatementAccountSummary[] };
  })();

  // ---- deposit matching (its own transaction per batch, idempotent)
  const matches: DepositMatchSummary[] = [];
  if (opts.match ?? true) {
    const banks = [...new Set(stored.accounts.map((a) => a.bankCode))];
    for (const batchId of batchesToMatch(db, banks)) matches.push(matchDeposits(db, batchId, operator));
  }
  const entries = stored.accounts.reduce((n, a) => n + a.entries - a.known, 0);
  const known = stored.accounts.reduce((n, a) => n + a.known, 0);
  return { importId: stored.importId, sha256, file: fileName, accounts: stored.accounts, entries, known, matches };
}
