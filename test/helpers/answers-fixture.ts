/**
 * Answered inquiries inserted directly (no files): an inquiry batch per call with the
 * writers `inquire` and `import answers` use (src/db/inquiries.ts), so extraction
 * can be tested before and apart from those steps.
 */
import type { Db } from '../../src/db/connection.js';
import { answerWriter, inquiryWriter } from '../../src/db/inquiries.js';
import { setFileResults } from '../../src/db/results.js';
import { storeAnswerCode } from './inquiry-batch.js';

export interface AnswerAccountIn {
  branch?: string;
  type?: string;
  number: string;
  /** 口座名義カナ, half-width (default ﾔﾏﾀﾞ ﾀﾛｳ) */
  holder?: string;
  /** signed 残高 (default 10,000) */
  balance?: number;
  /**
   * transaction details oldest first (stored with import answers' writer); 取引後残高 is
   * derived backwards from 残高, as bank-sim does (the last detail's is the balance)
   */
  details?: Array<{ direction: 1 | 2; amount: number; description: string }>;
}

export interface AnsweredInquiryIn {
  atena: string;
  /** 回答区分 '1'..'4' */
  code: string;
  /** code 1: the accounts found */
  accounts?: AnswerAccountIn[];
}

export interface AnswerBatchIn {
  bank?: string;
  /** 照会基準日 */
  date: string;
  fileNumber: number;
  /** the inquiries, each answered */
  inquiries: AnsweredInquiryIn[];
  /** the batch's state (default answered) */
  state?: string;
}

let importSeq = 0;

/**
 * An inquiry batch of one file (`<bank>-<fileNumber>`) with one inquiry per entry,
 * answered by one 'answers' import. Returns the batch id and the answer account ids
 * in the order given.
 */
export function answeredBatch(db: Db, b: AnswerBatchIn): { batchId: string; accountIds: number[] } {
  const bank = b.bank ?? '0184';
  const batchId = `${bank}-${String(b.fileNumber).padStart(8, '0')}`;
  const w = inquiryWriter(db);
  const a = answerWriter(db);
  const accountIds: number[] = [];
  db.transaction(() => {
    const runId = w.run(b.date, '{}', 't', 'test');
    w.batch({ id: batchId, extractionId: runId, bankCode: bank, requesterCode: '0000012345', baseDate: b.date, historyFrom: null, layoutId: 'inquiry-300', createdAt: 't' });
    w.file({ batchId, seq: 1, fileNumber: b.fileNumber, firstSeq: 1, lastSeq: b.inquiries.length });
    b.inquiries.forEach((q, i) => w.inquiry(batchId, { seq: i + 1, atena: q.atena, kana: 'ﾔﾏﾀﾞ ﾀﾛｳ', name: '山田太郎', birthDate: '1970-04-01', address: '鹿児島市' }));
    w.batchTotals(batchId, b.inquiries.length);
    const importId = Number(
      db
        .prepare("INSERT INTO imports (kind, sha256, files, imported_at, operator) VALUES ('answers', ?, '[]', 't', 'test')")
        .run(`answers-${batchId}-${++importSeq}`).lastInsertRowid,
    );
    b.inquiries.forEach((q, i) => {
      storeAnswerCode(a, batchId, i + 1, q.code, q.accounts?.length ?? 0);
      (q.accounts ?? []).forEach((acc, k) => {
        const id = a.account({
            importId,
            batchId,
            seq: i + 1,
            accountSeq: k + 1,
            atena: q.atena,
            bankCode: bank,
            knowledgeDate: b.date,
            fileNumber: b.fileNumber,
            branchCode: acc.branch ?? '310',
            accountType: acc.type ?? '1',
            accountNumber: acc.number,
            holderKana: acc.holder ?? 'ﾔﾏﾀﾞ ﾀﾛｳ',
            balance: acc.balance ?? 10_000,
            lastTransactionDate: null,
            loan: 0,
          });
        accountIds.push(id);
        const details = acc.details ?? [];
        let after = acc.balance ?? 10_000;
        const afters = details.map(() => 0);
        for (let j = details.length - 1; j >= 0; j--) {
          afters[j] = after;
          const d = details[j]!;
          after -= d.direction === 1 ? d.amount : -d.amount;
        }
        details.forEach((d, j) => a.transaction(id, { seq: j + 1, date: b.date, direction: d.direction, amount: d.amount, balanceAfter: afters[j]!, description: d.description }));
      });
    });
    setFileResults(db, batchId, 1, importId);
    db.prepare('UPDATE batches SET state = ? WHERE id = ?').run(b.state ?? 'answered', batchId);
  })();
  return { batchId, accountIds };
}
