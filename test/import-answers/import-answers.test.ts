/**
 * `import answers` (issue 15 item 3; inquiry-300.md "Rules an answer must satisfy" 1–6):
 * a multi-file batch stored exactly, and every bad input of the issue refused with the
 * documented exit code, located findings, personal values masked and nothing stored.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../src/core/errors.js';
import { importAnswers } from '../../src/steps/import-answers/index.js';
import { fixtureDb, tempDir } from '../helpers/db.js';
import { appErrorOf } from '../helpers/errors.js';
import {
  ANSWERS,
  PEOPLE,
  answerRecords,
  makeInquiryBatch,
  patch,
  sha256Of,
  snapshot,
  writeAnswer,
  type AnswerRec,
  type BatchOptions,
} from '../helpers/inquiry-fixture.js';
import { exampleRecords, joinRecords } from '../file/helpers.js';

const R = 302; // record + CRLF

/** Every personal value of the fixture, in the forms a file or a message could carry them. */
const PERSONAL: string[] = [
  ...PEOPLE.flatMap((p) => [p.kana, p.name, p.address, ...(p.birthDate ? [p.birthDate, p.birthDate.replaceAll('-', '')] : [])]),
  '4010108', '5010501', '0012345', '0054321', '7654321', 'ｷﾕｳﾖ', 'ｺｸﾐﾝﾈﾝｷﾝ', 'ﾔﾏﾀﾞ', 'ﾀﾅｶ',
];

function setup(o: BatchOptions = {}) {
  const dir = tempDir();
  const { db } = fixtureDb(dir);
  const b = makeInquiryBatch(db, dir, o);
  return { db, dir, b };
}

/** The import refuses the file: the error, with nothing stored and no personal value in it. */
function refused(db: ReturnType<typeof setup>['db'], file: string, exit: number): AppError {
  const before = snapshot(db);
  const e = appErrorOf(() => importAnswers(db, file, { archiveDir: path.join(path.dirname(file), 'archive') }));
  expect(e.exit, e.describe()).toBe(exit);
  expect(snapshot(db)).toEqual(before);
  expect(db.pragma('foreign_keys', { simple: true }), 'enforcement back on after a refusal (ADR 0141)').toBe(1);
  const shown = JSON.stringify({ msg: e.msg, location: e.location, findings: e.findings });
  for (const v of PERSONAL) expect(shown, v).not.toContain(v);
  const archive = path.join(path.dirname(file), 'archive');
  if (fs.existsSync(archive)) expect(fs.readdirSync(archive)).toEqual([]);
  return e;
}

function codes(e: AppError): string[] {
  return e.findings.map((f) => f.code);
}

/** The answer of the batch's first file with `change` applied to its records. */
function answerWith(s: ReturnType<typeof setup>, change: (recs: AnswerRec[]) => void, name = 'ANS.DAT'): string {
  const recs = answerRecords(s.b, s.b.files[0]!);
  change(recs);
  return writeAnswer(path.join(s.dir, name), recs);
}
const fields = (recs: AnswerRec[], i: number): Record<string, unknown> => recs[i]!.fields;

describe('import answers: a clean multi-file batch', () => {
  it('stores per inquiry its code, per account its row (signed balance, knowledge date), per detail its transaction; the batch is answered when every file is', () => {
    const s = setup({ perFile: 3 });
    const [f1, f2] = s.b.files;
    const a1 = writeAnswer(path.join(s.dir, 'A1.DAT'), answerRecords(s.b, f1!));
    const a2 = writeAnswer(path.join(s.dir, 'A2.DAT'), answerRecords(s.b, f2!));
    const archiveDir = path.join(s.dir, 'archive');
    const r1 = importAnswers(s.db, a1, { archiveDir });
    expect(r1).toMatchObject({
      batchId: s.b.batchId, fileNumber: 43, file: 'A1.DAT', sha256: sha256Of(a1), inquiries: 3,
      answers: { '1': 1, '2': 1, '3': 1, '4': 0 }, accounts: 2, details: 2, balanceTotal: 152300 - 5000, batchState: 'written',
    });
    expect(fs.readFileSync(r1.archivePath).equals(fs.readFileSync(a1))).toBe(true);
    expect(fs.statSync(r1.archivePath).mode & 0o777).toBe(0o600);
    const r2 = importAnswers(s.db, a2, { archiveDir });
    // file 2 holds people 4 and 5, answered with the first two default answers
    expect(r2).toMatchObject({ fileNumber: 44, inquiries: 2, answers: { '1': 1, '2': 1, '3': 0, '4': 0 }, accounts: 2, details: 2, batchState: 'answered' });
    expect(s.db.prepare('SELECT seq, atena, answer_code AS code, answer_import_id AS imp FROM inquiry_answers ORDER BY seq').all()).toEqual([
      { seq: 1, atena: '1001', code: '1', imp: r1.importId },
      { seq: 2, atena: '1002', code: '2', imp: r1.importId },
      { seq: 3, atena: '1003', code: '3', imp: r1.importId },
      { seq: 4, atena: '1004', code: '1', imp: r2.importId },
      { seq: 5, atena: '1005', code: '2', imp: r2.importId },
    ]);
    const accts = s.db
      .prepare('SELECT seq, account_seq, atena, bank_code, knowledge_date, file_number, branch_code, account_type, account_number, holder_kana, balance, last_transaction_date, loan FROM answer_accounts ORDER BY id')
      .all();
    expect(accts).toEqual([
      { seq: 1, account_seq: 1, atena: '1001', bank_code: '0184', knowledge_date: '2026-12-01', file_number: 43, branch_code: '310', account_type: '1', account_number: '0012345', holder_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: 152300, last_transaction_date: '2026-11-25', loan: 0 },
      { seq: 1, account_seq: 2, atena: '1001', bank_code: '0184', knowledge_date: '2026-12-01', file_number: 43, branch_code: '310', account_type: '2', account_number: '0054321', holder_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: -5000, last_transaction_date: null, loan: 1 },
      { seq: 4, account_seq: 1, atena: '1004', bank_code: '0184', knowledge_date: '2026-12-01', file_number: 44, branch_code: '310', account_type: '1', account_number: '0012345', holder_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: 152300, last_transaction_date: '2026-11-25', loan: 0 },
      { seq: 4, account_seq: 2, atena: '1004', bank_code: '0184', knowledge_date: '2026-12-01', file_number: 44, branch_code: '310', account_type: '2', account_number: '0054321', holder_kana: 'ﾔﾏﾀﾞ ﾀﾛｳ', balance: -5000, last_transaction_date: null, loan: 1 },
    ]);
    expect(s.db.prepare('SELECT t.seq, t.transaction_date AS d, t.direction, t.amount, t.balance_after AS after, t.description FROM answer_transactions_v t JOIN answer_accounts a ON a.id = t.account_id WHERE a.seq = 1 ORDER BY t.seq').all()).toEqual([
      { seq: 1, d: '2026-11-10', direction: 1, amount: 250000, after: 352300, description: 'ｷﾕｳﾖ' },
      { seq: 2, d: '2026-11-25', direction: 2, amount: 200000, after: 152300, description: 'ATM ｼﾕﾂｷﾝ' },
    ]);
    expect(s.db.prepare("SELECT seq, results_import_id AS imp FROM batch_files WHERE batch_id = ? ORDER BY seq").all(s.b.batchId)).toEqual([
      { seq: 1, imp: r1.importId },
      { seq: 2, imp: r2.importId },
    ]);
    expect(s.db.prepare("SELECT kind, sha256 FROM imports WHERE id = ?").get(r2.importId)).toEqual({ kind: 'answers', sha256: sha256Of(a2) });
    expect(s.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'import.answers'").get()).toEqual({ n: 2 });
    // stored with foreign-key enforcement off (ADR 0141): every reference holds, and enforcement is back on
    expect(s.db.pragma('foreign_key_check')).toEqual([]);
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('an answer without history (取引明細開始日 00000000) and a detail record in it', () => {
    const s = setup({ historyFrom: null });
    const noDetails = ANSWERS.map((a) => ({ ...a, ...(a.accounts ? { accounts: a.accounts.map((x) => ({ ...x, details: [] as never[], lastTx: undefined as unknown as string })) } : {}) }));
    const good = writeAnswer(path.join(s.dir, 'G.DAT'), answerRecords(s.b, s.b.files[0]!, noDetails));
    const withDetail = writeAnswer(path.join(s.dir, 'D.DAT'), answerRecords(s.b, s.b.files[0]!));
    const e = refused(s.db, withDetail, 3);
    expect(codes(e)).toContain('answer.detail-without-history');
    expect(importAnswers(s.db, good, { archiveDir: path.join(s.dir, 'archive') })).toMatchObject({ accounts: 3, details: 0 });
  });
});

describe('import answers: rule 2 (every inquiry answered, in order, echoing the request)', () => {
  it('an inquiry missing: exit 3 at the trailer 照会件数, naming the 照会番号', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => r.splice(6, 1)), 3);
    expect(e.findings).toEqual([expect.objectContaining({ code: 'answer.inquiry-missing', record: 9, offset: 9 * R + 1, field: 'inquiryCount', expected: '00000003' })]);
    expect(e.findings[0]!.message.ja).toContain('照会番号 3');
  });

  it('an inquiry answered twice', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => r.splice(10, 0, { ...r[5]! })), 3);
    expect(e.findings).toContainEqual(expect.objectContaining({ code: 'answer.inquiry-repeated', record: 10, offset: 10 * R + 1, field: 'inquiryNumber', found: '00000002' }));
  });

  it('inquiries out of order', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => r.splice(5, 2, r[6]!, r[5]!)), 3);
    expect(e.findings).toContainEqual(expect.objectContaining({ code: 'answer.inquiry-order', record: 6, offset: 6 * R + 1, field: 'inquiryNumber', found: '00000002' }));
  });

  it('a 宛名番号 not echoed: expected and found (not personal)', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => (fields(r, 5)['taxpayerId'] = '1009')), 3);
    expect(e.findings).toEqual([expect.objectContaining({ code: 'answer.echo-mismatch', record: 5, offset: 5 * R + 11, field: 'taxpayerId', expected: '0000001002', found: '0000001009' })]);
  });

  it('a 生年月日 not echoed: only the offending byte and its offset', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => (fields(r, 4)['birthDate'] = '1989-01-09')), 3);
    expect(e.findings).toEqual([expect.objectContaining({ code: 'answer.echo-mismatch', record: 4, offset: 4 * R + 101 + 6, field: 'birthDate', found: '0x39' })]);
    expect(e.findings[0]!.message.ja).toMatch(/照会番号 1（宛名番号 1001）の生年月日が照会ファイルと 7 バイト目から一致しません/);
  });

  it('氏名 and 住所 may be all full-width spaces; a different 氏名カナ may not', () => {
    const s = setup();
    const ok = answerWith(s, (r) => {
      fields(r, 5)['nameKanji'] = '';
      fields(r, 5)['address'] = '';
    }, 'OK.DAT');
    const bad = answerWith(s, (r) => (fields(r, 5)['nameKana'] = 'ｻﾄｳ ﾊﾅｴ'), 'BAD.DAT');
    const e = refused(s.db, bad, 3);
    expect(e.findings).toEqual([expect.objectContaining({ field: 'nameKana', offset: 5 * R + 21 + 6, found: 'U+FF74' })]);
    expect(importAnswers(s.db, ok, { archiveDir: path.join(s.dir, 'archive') }).inquiries).toBe(5);
  });
});

describe('import answers: rule 3 (answer codes and accounts)', () => {
  it('an account repeated within an inquiry: masked', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => Object.assign(fields(r, 4), { accountType: 1, accountNumber: '0012345' })), 3);
    expect(e.findings).toContainEqual(expect.objectContaining({ code: 'answer.account-repeated', record: 4, offset: 4 * R + 213, field: 'accountNumber', found: '***2345' }));
  });

  it('口座通番 with a gap', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => (fields(r, 4)['accountSeq'] = 3)), 3);
    expect(e.findings).toEqual([expect.objectContaining({ code: 'answer.account-seq', record: 4, offset: 4 * R + 9, field: 'accountSeq', expected: '02', found: '03' })]);
  });

  it('回答区分 2 with an account: each account field named, the account number masked', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => Object.assign(fields(r, 5), { accountSeq: 1, branchCode: '310', accountType: 1, accountNumber: '0012345', holderName: 'ｻﾄｳ ﾊﾅｺ', balanceSign: 1, balance: 100 })), 3);
    const f = e.findings.filter((x) => x.code === 'answer.account-not-blank');
    expect(f.map((x) => [x.field, x.offset])).toEqual([
      ['accountSeq', 5 * R + 9], ['branchCode', 5 * R + 209], ['accountType', 5 * R + 212], ['accountNumber', 5 * R + 213 + 2],
      ['holderName', 5 * R + 220], ['balanceSign', 5 * R + 260], ['balance', 5 * R + 261],
    ]);
    expect(f.find((x) => x.field === 'accountNumber')!.found).toBe('***2345');
    expect(f.find((x) => x.field === 'holderName')!.found).toBe('U+FF7B');
  });

  it('mixed codes within one inquiry', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => (fields(r, 4)['answerCode'] = '3')), 3);
    expect(e.findings).toContainEqual(expect.objectContaining({ code: 'answer.mixed-codes', record: 4, offset: 4 * R + 208, field: 'answerCode', expected: '1', found: '3' }));
  });
});

describe('import answers: rule 4 (detail records)', () => {
  it('a detail record without its account', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => r.splice(1, 0, r.splice(2, 1)[0]!)), 3);
    expect(e.findings).toContainEqual(expect.objectContaining({ code: 'answer.detail-without-account', record: 1, offset: 1 * R, field: 'dataKubun' }));
  });

  it('a detail record after the wrong account', () => {
    const s = setup();
    // the second detail of account 1-01 moved after account 1-02
    const e = refused(s.db, answerWith(s, (r) => r.splice(4, 0, r.splice(3, 1)[0]!)), 3);
    expect(e.findings).toContainEqual(expect.objectContaining({ code: 'answer.detail-wrong-account', record: 4, offset: 4 * R + 9, field: 'accountSeq', expected: '02', found: '01' }));
    expect(e.findings).toContainEqual(expect.objectContaining({ code: 'answer.detail-count', record: 1, offset: 1 * R + 281, field: 'detailCount', expected: '0001', found: '0002' }));
  });

  it('a detail outside the history window', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => (fields(r, 2)['transactionDate'] = '2026-09-01')), 3);
    expect(e.findings).toEqual([expect.objectContaining({ code: 'answer.detail-outside-history', record: 2, offset: 2 * R + 11, field: 'transactionDate', expected: '20260902–20261201', found: '20260901' })]);
  });

  it('the balance chain broken by ¥1', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => (fields(r, 2)['balanceAfter'] = 352301)), 3);
    expect(e.findings).toEqual([expect.objectContaining({ code: 'answer.balance-chain', record: 3, offset: 3 * R + 33, field: 'balanceAfter', expected: '000000152301', found: '000000152300' })]);
  });

  it('the last detail not equal to the account balance', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => (fields(r, 1)['balance'] = 152299)), 3);
    expect(e.findings).toContainEqual(expect.objectContaining({ code: 'answer.balance-chain-end', record: 3, offset: 3 * R + 33, expected: '000000152299', found: '000000152300' }));
  });

  it('明細件数 one short', () => {
    const s = setup();
    const e = refused(s.db, answerWith(s, (r) => (fields(r, 1)['detailCount'] = 1)), 3);
    expect(e.findings).toEqual([expect.objectContaining({ code: 'answer.detail-count', record: 1, offset: 1 * R + 281, field: 'detailCount', expected: '0002', found: '0001' })]);
    expect(e.findings[0]!.message.ja).toContain('明細件数は 1 件ですが、続く明細レコードは 2 件です');
  });
});

describe('import answers: rule 5 and rule 1 (trailer, header, conflicts)', () => {
  it('a trailer off by one', () => {
    const s = setup();
    const file = answerWith(s, () => {});
    patch(file, 10 * R + 1, '000006');
    const e = refused(s.db, file, 3);
    expect(e.findings).toEqual([expect.objectContaining({ record: 10, offset: 10 * R + 1, field: 'inquiryCount', expected: '000005', found: '000006' })]);
  });

  it('a file for another bank, and for a file number this system never wrote: at the header field', () => {
    const s = setup();
    const other = refused(s.db, writeAnswer(path.join(s.dir, 'B.DAT'), answerRecords(s.b, s.b.files[0]!, ANSWERS, { bankCode: '0009' })), 3);
    expect(other.findings).toEqual([expect.objectContaining({ code: 'answer.unknown-bank', record: 0, offset: 70, field: 'bankCode', found: '0009' })]);
    const num = refused(s.db, writeAnswer(path.join(s.dir, 'N.DAT'), answerRecords(s.b, s.b.files[0]!, ANSWERS, { fileNumber: 99 })), 3);
    expect(num.findings).toEqual([expect.objectContaining({ code: 'answer.unknown-file', record: 0, offset: 89, field: 'fileNumber', found: '00000099' })]);
  });

  it('header fields that differ from the inquiry file, and an answer date before the base date', () => {
    const s = setup();
    const e = refused(s.db, writeAnswer(path.join(s.dir, 'H.DAT'), answerRecords(s.b, s.b.files[0]!, ANSWERS, { baseDate: '2026-12-02', answerDate: '2026-11-30' })), 3);
    expect(e.findings.map((f) => [f.code, f.offset])).toEqual(expect.arrayContaining([['answer.base-date-mismatch', 54], ['answer.answer-date', 97]]));
  });

  it('the same answer twice: exit 4, nothing changed — also a different copy for the same file', () => {
    const s = setup();
    const file = answerWith(s, () => {});
    importAnswers(s.db, file, { archiveDir: path.join(s.dir, 'archive') });
    const before = snapshot(s.db);
    const e = appErrorOf(() => importAnswers(s.db, file, { archiveDir: path.join(s.dir, 'archive') }));
    expect(e).toMatchObject({ code: 'answers.already-imported', exit: 4 });
    expect(e.msg.ja).toContain('取込済み');
    const copy = writeAnswer(path.join(s.dir, 'C.DAT'), answerRecords(s.b, s.b.files[0]!, ANSWERS, { answerDate: '2026-12-03' }));
    expect(appErrorOf(() => importAnswers(s.db, copy, { archiveDir: path.join(s.dir, 'archive') }))).toMatchObject({ code: 'answers.already-imported', exit: 4 });
    expect(snapshot(s.db)).toEqual(before);
  });

  it('a cancelled batch: exit 4', () => {
    const s = setup();
    s.db.prepare("UPDATE batches SET state = 'cancelled'").run();
    const e = refused(s.db, answerWith(s, () => {}), 4);
    expect(e.code).toBe('batch.wrong-state');
  });

  it('the request file given as an answer (種別コード 61): exit 3 at the 種別コード', () => {
    const s = setup();
    const req = path.join(s.dir, 'REQ.DAT');
    fs.copyFileSync(s.b.files[0]!.request, req);
    const e = refused(s.db, req, 3);
    expect(e.findings).toEqual([expect.objectContaining({ code: 'answer.not-an-answer', record: 0, offset: 1, field: 'typeCode', expected: '62', found: '61' })]);
    expect(e.findings[0]!.message.ja).toContain('照会依頼');
  });

  it('a seizure result given as an answer (another layout): exit 3 naming the layout', () => {
    const s = setup();
    const recs = exampleRecords();
    const file = path.join(s.dir, 'RES.DAT');
    fs.writeFileSync(file, joinRecords(recs, '\r\n'));
    const e = refused(s.db, file, 3);
    expect(e.code).toBe('answers.layout');
    expect(e.msg.ja).toMatch(/預金照会の回答ファイルではありません（レイアウト seizure-120）/);
  });
});

describe('import answers: rule 2 across the pages of inquiries it reads (4,096 per page)', () => {
  const many = Array.from({ length: 9000 }, (_v, i) => ({ ...PEOPLE[i % PEOPLE.length]!, atena: String(200000 + i) }));

  it('9,000 inquiries: every one stored with its code', () => {
    const s = setup({ people: many });
    const file = answerWith(s, () => {});
    const r = importAnswers(s.db, file, { archiveDir: path.join(s.dir, 'archive') });
    expect(r).toMatchObject({ inquiries: 9000, answers: { '1': 3600, '2': 1800, '3': 1800, '4': 1800 }, accounts: 5400, details: 5400 });
    expect(s.db.prepare('SELECT answer_code AS c, COUNT(*) AS n FROM inquiry_answers GROUP BY answer_code ORDER BY c').all()).toEqual([
      { c: '1', n: 3600 }, { c: '2', n: 1800 }, { c: '3', n: 1800 }, { c: '4', n: 1800 },
    ]);
    // the codes derived (ADR 0195): only the 3 and 4 stored; all TEXT, all this import's
    expect(s.db.prepare('SELECT answer_code AS c, COUNT(*) AS n FROM inquiry_follow_ups GROUP BY answer_code ORDER BY c').all()).toEqual([
      { c: '3', n: 1800 }, { c: '4', n: 1800 },
    ]);
    expect(s.db.prepare(`SELECT COUNT(*) AS n FROM inquiry_answers WHERE typeof(answer_code) <> 'text' OR answer_import_id IS NOT ?`).get(r.importId)).toEqual({ n: 0 });
    expect(s.db.pragma('foreign_key_check')).toEqual([]);
  });

  it('two inquiries swapped after a page boundary (the earlier one looked up on its own), and one echoing another person: each found where it is', () => {
    const s = setup({ people: many });
    let at4096 = -1;
    const file = answerWith(s, (r) => {
      const first = (n: number) => r.findIndex((x) => x.ref === 'account' && x.fields['inquiryNumber'] === n);
      const a = first(4097); // answer code 2, one record; the first of the second page
      const b = first(4098); // answer code 3, one record
      [r[a], r[b]] = [r[b]!, r[a]!];
      at4096 = b;
      fields(r, first(100))['taxpayerId'] = '200100'; // the 宛名番号 of inquiry 101
    });
    const e = refused(s.db, file, 3);
    expect(e.findings).toEqual([
      expect.objectContaining({ code: 'answer.echo-mismatch', field: 'taxpayerId', expected: '0000200099', found: '0000200100' }),
      expect.objectContaining({ code: 'answer.inquiry-order', record: at4096, offset: at4096 * R + 1, found: '00004097' }),
    ]);
  });
});
