/**
 * An inquiry batch as `inquire` stores it (inquiry-300.md; ADR 0121), built directly
 * with the shared writers of src/db/inquiries.ts: an inquiry run (extractions row of
 * kind 'inquiry'), one batch for one bank, its files (seq ranges) and its inquiries with
 * full-width 氏名/住所 and narrowed 氏名カナ. And answers stored with `answerWriter`,
 * as `import answers` would. For the tests of write, cancel, batches, report — and of
 * import answers and extraction from answers.
 */
import type { Db } from '../../src/db/connection.js';
import { answerWriter, inquiryWriter, type AnswerWriter, type InquiryRow } from '../../src/db/inquiries.js';
import { setFileResults } from '../../src/db/results.js';

/** Four people as inquire writes them (the first two are the golden file's). */
export const PEOPLE: ReadonlyArray<Omit<InquiryRow, 'seq'>> = [
  { atena: '1001', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ', name: '山田　太郎', birthDate: '1989-01-08', address: '鹿児島県鹿児島市山下町１１－１' },
  { atena: '1002', kana: 'ｻﾄｳ ﾊﾅｺ', name: '佐藤　花子', birthDate: '2019-05-01', address: '鹿児島県霧島市国分中央３－４５－１' },
  { atena: '1003', kana: 'ｽｽﾞｷ ｲﾁﾛｳ', name: '〓木　一郎', birthDate: null, address: '鹿児島県薩摩川内市神田町１－１' },
  { atena: '12', kana: 'ﾀﾅｶ ｼﾞﾛｳ', name: 'タナカ　ジロウ', birthDate: '1960-02-29', address: '鹿児島県鹿屋市共栄町２０－１' },
];

export interface InquiryBatchSpec {
  bank?: string;
  requesterCode?: string;
  /** first file number (batch id = bank-first file number) */
  fileNumber?: number;
  /** 照会基準日 */
  baseDate?: string;
  /** 取引明細開始日; null = no history (default 2026-09-02) */
  historyFrom?: string | null;
  /** the people asked, in seq order (default PEOPLE) */
  people?: ReadonlyArray<Omit<InquiryRow, 'seq'>>;
  /** inquiries per file (default all in one) */
  perFile?: number;
  layoutId?: string;
}

export interface InquiryBatch {
  id: string;
  runId: number;
  files: Array<{ seq: number; fileNumber: number; firstSeq: number; lastSeq: number }>;
  inquiries: InquiryRow[];
}

/** Store an inquiry batch in state 'extracted' (in one transaction). */
export function inquiryBatch(db: Db, spec: InquiryBatchSpec = {}): InquiryBatch {
  const bank = spec.bank ?? '0184';
  const first = spec.fileNumber ?? 43;
  const id = `${bank}-${String(first).padStart(8, '0')}`;
  const people = spec.people ?? PEOPLE;
  const perFile = spec.perFile ?? Math.max(1, people.length);
  const baseDate = spec.baseDate ?? '2026-12-01';
  const w = inquiryWriter(db);
  return db.transaction((): InquiryBatch => {
    const runId = w.run(baseDate, '{}', '2026-11-30T10:00:00+09:00', 'test');
    w.batch({
      id,
      extractionId: runId,
      bankCode: bank,
      requesterCode: spec.requesterCode ?? '0000012345',
      baseDate,
      historyFrom: spec.historyFrom === undefined ? '2026-09-02' : spec.historyFrom,
      layoutId: spec.layoutId ?? 'inquiry-300',
      createdAt: '2026-11-30T10:00:00+09:00',
    });
    const inquiries = people.map((p, i) => ({ ...p, seq: i + 1 }));
    const files: InquiryBatch['files'] = [];
    for (let s = 1, k = 0; s <= inquiries.length; s += perFile, k++) {
      const f = { seq: k + 1, fileNumber: first + k, firstSeq: s, lastSeq: Math.min(inquiries.length, s + perFile - 1) };
      w.file({ batchId: id, ...f });
      files.push(f);
    }
    for (const r of inquiries) w.inquiry(id, r);
    w.batchTotals(id, inquiries.length);
    return { id, runId, files, inquiries };
  })();
}

export interface AnswerAccountSpec {
  branch?: string;
  type?: string;
  number: string;
  holder?: string;
  balance: number;
  loan?: 0 | 1;
}

/**
 * An inquiry's 回答区分 as import answers stores it (ADR 0195): 3 and 4 as follow-ups; 1 and
 * 2 are derived from the accounts stored, so 1 must come with accounts and the others without.
 */
export function storeAnswerCode(w: AnswerWriter, batchId: string, seq: number, code: string, accounts: number): void {
  if ((code === '1') !== accounts > 0) throw new Error(`fixture: inquiry ${seq} answered ${code} with ${accounts} account(s): import answers stores no such answer`);
  if (code === '3' || code === '4') w.followUp(batchId, seq, code);
}

/**
 * Answers as import answers stores them: per inquiry seq its 回答区分, and for 回答区分 1
 * its accounts; every file holding an answered seq gets the import as its answer (its
 * batch_files.results_import_id), and must then have all its inquiries answered, as
 * import answers' rule 2 requires. Records an answers import (kind 'answers') and returns its id.
 */
export function storeAnswers(db: Db, b: InquiryBatch, answers: Record<number, { code: '1' | '2' | '3' | '4'; accounts?: AnswerAccountSpec[] }>, state: 'answered' | null = 'answered'): number {
  const w = answerWriter(db);
  return db.transaction((): number => {
    const imp = Number(
      db
        .prepare(`INSERT INTO imports (kind, sha256, files, imported_at, operator) VALUES ('answers', ?, '[]', '2026-12-05T10:00:00+09:00', 'test')`)
        .run(`sha-${b.id}-${Math.random()}`).lastInsertRowid,
    );
    const batch = db.prepare('SELECT bank_code, execution_date FROM batches WHERE id = ?').get(b.id) as { bank_code: string; execution_date: string };
    for (const [seqText, a] of Object.entries(answers)) {
      const seq = Number(seqText);
      const inq = b.inquiries.find((i) => i.seq === seq)!;
      const file = b.files.find((f) => seq >= f.firstSeq && seq <= f.lastSeq)!;
      storeAnswerCode(w, b.id, seq, a.code, a.accounts?.length ?? 0);
      (a.accounts ?? []).forEach((acc, k) => {
        w.account({
          importId: imp,
          batchId: b.id,
          seq,
          accountSeq: k + 1,
          atena: inq.atena,
          bankCode: batch.bank_code,
          knowledgeDate: batch.execution_date,
          fileNumber: file.fileNumber,
          branchCode: acc.branch ?? '310',
          accountType: acc.type ?? '1',
          accountNumber: acc.number,
          holderKana: acc.holder ?? inq.kana,
          balance: acc.balance,
          lastTransactionDate: null,
          loan: acc.loan ?? 0,
        });
      });
    }
    for (const f of b.files) {
      const answered = b.inquiries.filter((i) => i.seq >= f.firstSeq && i.seq <= f.lastSeq && answers[i.seq] !== undefined).length;
      if (answered === 0) continue;
      if (answered !== f.lastSeq - f.firstSeq + 1) throw new Error(`fixture: file ${f.fileNumber} answered in part: import answers answers every inquiry of a file`);
      setFileResults(db, b.id, f.seq, imp);
    }
    if (state !== null) db.prepare('UPDATE batches SET state = ? WHERE id = ?').run(state, b.id);
    return imp;
  })();
}
