/**
 * Inquiry batches and answer files for the tests of `import answers` (issue 15 item 3),
 * built without the `inquire` and `write` steps: an inquiry run, a batch in state
 * `written` whose batch_files rows carry file_name / sha256 / written_at as `write` sets
 * them, the inquiries, and the request files written with the layout engine's writer.
 * Answer files are lists of records (`AnswerRec`) a test may change before writing them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { Db } from '../../src/db/connection.js';
import { inquiryWriter } from '../../src/db/inquiries.js';
import { SyncRecordWriter } from '../../src/file/index.js';
import { loadLayout } from '../../src/layout/index.js';
import type { FieldInputs } from '../../src/layout/codec.js';

export const INQ = loadLayout('inquiry-300');
export const TODAY = '2026-12-05';

export interface Person {
  atena: string;
  kana: string;
  name: string;
  birthDate: string | null;
  address: string;
}

export const PEOPLE: Person[] = [
  { atena: '1001', kana: 'ﾔﾏﾀﾞ ﾀﾛｳ', name: '山田　太郎', birthDate: '1989-01-08', address: '鹿児島県鹿児島市山下町１１－１' },
  { atena: '1002', kana: 'ｻﾄｳ ﾊﾅｺ', name: '佐藤　花子', birthDate: '2019-05-01', address: '鹿児島県霧島市国分中央３－４５－１' },
  { atena: '1003', kana: 'ｽｽﾞｷ ｼﾞﾛｳ', name: '鈴木　次郎', birthDate: null, address: '鹿児島県鹿屋市共栄町２０－１' },
  { atena: '1004', kana: 'ﾀﾅｶ ｲﾁﾛｳ', name: '田中　一郎', birthDate: '1975-03-15', address: '鹿児島県薩摩川内市神田町３－２２' },
  { atena: '1005', kana: 'ｺﾊﾞﾔｼ ﾐｷ', name: '小林　美紀', birthDate: '1990-12-31', address: '鹿児島県指宿市十町２４２４' },
];

export interface Detail {
  date: string;
  direction: 1 | 2;
  amount: number;
  /** signed */
  after: number;
  description: string;
}
export interface Account {
  branch: string;
  type: string;
  number: string;
  holder: string;
  /** signed */
  balance: number;
  lastTx?: string;
  loan?: 0 | 1;
  details?: Detail[];
}
export interface Answer {
  code: '1' | '2' | '3' | '4';
  accounts?: Account[];
}

/** Default answers, by position in the file: accounts with details, none, paper, an overdraft. */
export const ANSWERS: Answer[] = [
  {
    code: '1',
    accounts: [
      {
        branch: '310', type: '1', number: '0012345', holder: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: 152300, lastTx: '2026-11-25',
        details: [
          { date: '2026-11-10', direction: 1, amount: 250000, after: 352300, description: 'ｷﾕｳﾖ' },
          { date: '2026-11-25', direction: 2, amount: 200000, after: 152300, description: 'ATM ｼﾕﾂｷﾝ' },
        ],
      },
      { branch: '310', type: '2', number: '0054321', holder: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: -5000, loan: 1 },
    ],
  },
  { code: '2' },
  { code: '3' },
  {
    code: '1',
    accounts: [
      {
        branch: '120', type: '1', number: '7654321', holder: 'ﾀﾅｶ ｲﾁﾛｳ', balance: 80000, lastTx: '2026-11-15',
        details: [{ date: '2026-11-15', direction: 1, amount: 64000, after: 80000, description: 'ｺｸﾐﾝﾈﾝｷﾝ' }],
      },
    ],
  },
  { code: '4' },
];

export interface InquiryFile {
  fileNumber: number;
  firstSeq: number;
  lastSeq: number;
  people: Person[];
  /** the request file as `write` would have written it */
  request: string;
}
export interface InquiryBatch {
  batchId: string;
  bankCode: string;
  requesterCode: string;
  baseDate: string;
  historyFrom: string | null;
  files: InquiryFile[];
}

export interface BatchOptions {
  bankCode?: string;
  firstFileNumber?: number;
  baseDate?: string;
  historyFrom?: string | null;
  people?: Person[];
  /** inquiries per file (default: all in one) */
  perFile?: number;
}

const HEADER_CONST = { requesterName: 'ｶｺﾞｼﾏｼ', bankName: 'ﾐﾔｻﾞｷ' };

/** An inquiry batch in state `written`, its files written to `dir` and recorded as `write` records them. */
export function makeInquiryBatch(db: Db, dir: string, o: BatchOptions = {}): InquiryBatch {
  const bankCode = o.bankCode ?? '0184';
  const first = o.firstFileNumber ?? 43;
  const baseDate = o.baseDate ?? '2026-12-01';
  const historyFrom = o.historyFrom === undefined ? '2026-09-02' : o.historyFrom;
  const people = o.people ?? PEOPLE;
  const perFile = o.perFile ?? people.length;
  const requesterCode = '0000012345';
  const batchId = `${bankCode}-${String(first).padStart(8, '0')}`;
  const w = inquiryWriter(db);
  const files: InquiryFile[] = [];
  db.transaction(() => {
    const run = w.run(baseDate, '{}', '2026-12-01T09:00:00+09:00', 'op');
    w.batch({ id: batchId, extractionId: run, bankCode, requesterCode, baseDate, historyFrom, layoutId: 'inquiry-300', createdAt: '2026-12-01T09:00:00+09:00' });
    people.forEach((p, i) => w.inquiry(batchId, { seq: i + 1, ...p }));
    for (let s = 0, k = 0; s < people.length; s += perFile, k++) {
      const part = people.slice(s, s + perFile);
      const f = { batchId, seq: k + 1, fileNumber: first + k, firstSeq: s + 1, lastSeq: s + part.length };
      w.file(f);
      const request = path.join(dir, `INQ_${bankCode}_${f.fileNumber}.DAT`);
      const rw = new SyncRecordWriter(request, INQ, { today: TODAY });
      rw.header({ typeCode: '61', requesterCode, ...HEADER_CONST, baseDate, ...(historyFrom ? { historyFrom } : {}), bankCode, fileNumber: f.fileNumber });
      part.forEach((p, i) => rw.write('account', personFields(p, i + 1) as FieldInputs));
      rw.trailer();
      rw.end();
      const r = rw.close();
      db.prepare("UPDATE batch_files SET file_name = ?, sha256 = ?, bytes = ?, written_at = '2026-12-01T10:00:00+09:00' WHERE batch_id = ? AND seq = ?").run(
        path.basename(request), r.sha256, fs.statSync(request).size, batchId, f.seq,
      );
      files.push({ fileNumber: f.fileNumber, firstSeq: f.firstSeq, lastSeq: f.lastSeq, people: part, request });
    }
    w.batchTotals(batchId, people.length);
    db.prepare("UPDATE batches SET state = 'written' WHERE id = ?").run(batchId);
  })();
  return { batchId, bankCode, requesterCode, baseDate, historyFrom, files };
}

function personFields(p: Person, n: number): Record<string, unknown> {
  return { inquiryNumber: n, taxpayerId: p.atena, nameKana: p.kana, nameKanji: p.name, ...(p.birthDate ? { birthDate: p.birthDate } : {}), address: p.address };
}

/** One record of an answer file: the data record's id (or a kind) and its fields as the writer takes them. */
export interface AnswerRec {
  ref: string;
  fields: Record<string, unknown>;
}

/** The answer's records for a file: header, per inquiry its account/detail records, trailer, end. */
export function answerRecords(b: InquiryBatch, f: InquiryFile, answers: Answer[] = ANSWERS, header: Record<string, unknown> = {}): AnswerRec[] {
  const recs: AnswerRec[] = [
    {
      ref: 'header',
      fields: {
        typeCode: '62', requesterCode: b.requesterCode, ...HEADER_CONST, baseDate: b.baseDate, ...(b.historyFrom ? { historyFrom: b.historyFrom } : {}),
        bankCode: b.bankCode, fileNumber: f.fileNumber, answerDate: '2026-12-04', ...header,
      },
    },
  ];
  f.people.forEach((p, i) => {
    const a = answers[i % answers.length]!;
    const base = { ...personFields(p, i + 1), answerCode: a.code };
    if (a.code !== '1') {
      recs.push({ ref: 'account', fields: base });
      return;
    }
    (a.accounts ?? []).forEach((acc, j) => {
      recs.push({
        ref: 'account',
        fields: {
          ...base, accountSeq: j + 1, branchCode: acc.branch, accountType: acc.type, accountNumber: acc.number, holderName: acc.holder,
          balanceSign: acc.balance < 0 ? 2 : 1, balance: Math.abs(acc.balance), ...(acc.lastTx ? { lastTransactionDate: acc.lastTx } : {}),
          detailCount: acc.details?.length ?? 0, loanFlag: acc.loan ?? 0,
        },
      });
      for (const d of acc.details ?? []) {
        recs.push({
          ref: 'detail',
          fields: {
            inquiryNumber: i + 1, accountSeq: j + 1, transactionDate: d.date, direction: d.direction, amount: d.amount,
            balanceSign: d.after < 0 ? 2 : 1, balanceAfter: Math.abs(d.after), description: d.description,
          },
        });
      }
    });
  });
  recs.push({ ref: 'trailer', fields: {} }, { ref: 'end', fields: {} });
  return recs;
}

/** Write answer records to a file (trailer totals computed by the writer); returns the path. */
export function writeAnswer(file: string, recs: AnswerRec[]): string {
  const w = new SyncRecordWriter(file, INQ, { today: TODAY });
  for (const r of recs) {
    if (r.ref === 'trailer' || r.ref === 'end') w.write(r.ref);
    else w.write(r.ref, r.fields as FieldInputs);
  }
  w.close();
  return file;
}

/** Overwrite bytes of a written file at an offset (e.g. a trailer total off by one). */
export function patch(file: string, offset: number, text: string): void {
  const b = fs.readFileSync(file);
  Buffer.from(text, 'latin1').copy(b, offset);
  fs.writeFileSync(file, b);
}

export function sha256Of(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Row counts and states that an import must leave unchanged when it refuses a file. */
export function snapshot(db: Db): Record<string, unknown> {
  const n = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  return {
    imports: n('SELECT COUNT(*) AS n FROM imports'),
    accounts: n('SELECT COUNT(*) AS n FROM answer_accounts'),
    transactions: n('SELECT COUNT(*) AS n FROM answer_transactions_v'),
    answered: n('SELECT COUNT(*) AS n FROM inquiry_answers WHERE answer_code IS NOT NULL OR answer_import_id IS NOT NULL'),
    followUps: n('SELECT COUNT(*) AS n FROM inquiry_follow_ups'),
    filesAnswered: n('SELECT COUNT(*) AS n FROM batch_files WHERE results_import_id IS NOT NULL'),
    resultFiles: n('SELECT COUNT(*) AS n FROM result_files'),
    audit: n('SELECT COUNT(*) AS n FROM audit_log'),
    states: db.prepare('SELECT id, state FROM batches ORDER BY id').all(),
  };
}
