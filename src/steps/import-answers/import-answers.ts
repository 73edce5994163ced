/**
 * Step: import an inquiry answer file (shared/spec/inquiry-300.md "Rules an answer must
 * satisfy" 1–6, "What an imported answer means"; docs/adr/0128-answer-import-one-pass.md).
 *
 * ONE pass and ONE transaction (BEGIN IMMEDIATE): the file is read once; every chunk is
 * written to the archive's temporary copy and hashed as it is read, then scanned (framing,
 * layout checks); the decoded records feed rules 3–5 (answer-rules.ts), rule 1 at the
 * header and rule 2 as an ordered merge against the file's inquiries, read page by page
 * (no iterator stays open, so the same connection can write). While no finding has been
 * reported, each record is stored as it is checked (answer codes, accounts, transactions,
 * multi-row statements); after the first finding storing stops and checking goes on to
 * collect every finding (up to the cap). Findings → the transaction is rolled back and
 * exit 3 with all of them; a conflict (answers already in, the same bytes imported, a
 * cancelled batch) → exit 4, rolled back. Otherwise the import row gets its hash, the
 * archive copy its content-addressed name, and the transaction commits.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireInputFile } from '../../core/fsutil.js';
import { createHash } from 'node:crypto';
import { formatTokyoTime, nowTokyoTimestamp } from '../../core/dates.js';
import { AppError, conflict, rejected } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { FILE_MODE } from '../../core/fsutil.js';
import { audit, currentOperator } from '../../db/audit.js';
import { withForeignKeysOff, type Db } from '../../db/connection.js';
import {
  answerBulkWriter,
  finishImport,
  hasInquiryBatches,
  inquiryPages,
  type AnswerBulkWriter,
  type InquiryOutRaw,
} from '../../db/inquiries.js';
import { batchState, filesByNumber, filesWithoutResults, importById, insertImport, insertResultFile, refuseSameFile, setBatchStateIf, setFileResults, type WrittenFileRow } from '../../db/results.js';
import { batchStateMsg } from '../../domain/vocabulary.js';
import { scanInto } from '../../file/reader.js';
import { RecordScanner, type ReadRecord } from '../../file/scanner.js';
import { writeGWareki } from '../../layout/wareki.js';
import { recordDef } from '../../layout/load.js';
import type { Layout, RecordDef } from '../../layout/types.js';
import { archiveCopy, digitsValue, prepareArchive, resolveFileLayout, ymdToIso } from '../import-results/index.js';
import { IsoDates, answerRulesFeed, isAnswerLayout } from './answer-rules.js';

export interface ImportAnswersOptions {
  /** the file's name as its sender gave it (messages, the audit log and the import's record; default: the path's last part) — the web application's uploads are kept under names of their own */
  displayName?: string;
  /** layout id or path (default: detected from the file) */
  layout?: string;
  /** operator for the audit log (default: OS user) */
  operator?: string;
  /** findings kept (default 1,000) */
  maxFindings?: number;
  /** archive folder (default `<db dir>/archive/answers`) */
  archiveDir?: string;
}

export interface ImportAnswersSummary {
  importId: number;
  batchId: string;
  fileNumber: number;
  file: string;
  sha256: string;
  archivePath: string;
  inquiries: number;
  /** per 回答区分 1–4 */
  answers: { '1': number; '2': number; '3': number; '4': number };
  accounts: number;
  details: number;
  /** signed 残高 over the accounts */
  balanceTotal: number;
  batchState: string;
}

/** The `--json` document of `import answers` (cli.md). */
export function answersJson(s: ImportAnswersSummary): Record<string, unknown> {
  return {
    batch: s.batchId,
    file: s.file,
    sha256: s.sha256,
    inquiries: s.inquiries,
    answers: s.answers,
    accounts: s.accounts,
    details: s.details,
    balanceTotal: s.balanceTotal,
  };
}

/** Inquiries read per page for rule 2's merge. */
const PAGE = 4096;

/** Import one answer file. Throws AppError (exit 3 rejected / 4 conflict); stores all or nothing. */
export function importAnswers(db: Db, file: string, opts: ImportAnswersOptions = {}): ImportAnswersSummary {
  const operator = currentOperator(opts.operator);
  const fileName = opts.displayName ?? path.basename(file);
  requireInputFile(file);
  const layout = resolveFileLayout(file, opts.layout);
  if (!isAnswerLayout(layout) || !layout.records.header) {
    throw rejected(
      'answers.layout',
      {
        ja: `${fileName} は預金照会の回答ファイルではありません（レイアウト ${layout.id}）。何も登録していません。銀行から返却された照会回答（inquiry-300、種別コード 62）を指定してください`,
        en: `${fileName} is not an inquiry answer file (layout ${layout.id}); nothing was stored. Give the inquiry answer the bank returned (inquiry-300, 種別コード 62)`,
      },
      [],
      { file: fileName, record: 0, offset: 0 },
    );
  }
  const { archiveDir, tmp } = prepareArchive(db, 'answers', opts.archiveDir);
  let archived: string | null = null;
  const run = db.transaction((): ImportAnswersSummary => {
    const pass = new AnswerPass(db, layout, fileName, operator, opts.maxFindings ?? 1000);
    const fd = fs.openSync(tmp, 'wx', FILE_MODE);
    const hash = createHash('sha256');
    let summary;
    try {
      summary = scanInto(file, pass.scanner, (c) => {
        hash.update(c);
        fs.writeSync(fd, c);
      });
      pass.finish(summary);
    } finally {
      fs.closeSync(fd);
    }
    const sha256 = hash.digest('hex');
    refuseSameFile(db, 'answers', sha256, fileName);
    const findings = summary.findings;
    if (findings.length > 0 || pass.target === null || pass.importId === null) {
      if (findings.length === 0) {
        findings.push({ code: 'answer.no-header', record: 0, offset: 0, message: { ja: 'ヘッダーレコードがありません', en: 'no header record' } });
      }
      const total = findings.length + summary.moreFindings;
      throw rejected(
        'answers.rejected',
        {
          ja: `回答ファイル ${fileName} を取り込めません: ${total} 件の誤りがあります。何も登録していません。銀行に正しいファイルを依頼するか、ファイルを確認してください`,
          en: `answer file ${fileName} was refused: ${total} problem(s); nothing was stored. Ask the bank for a corrected file or check the file`,
        },
        findings.map((f) => ({ file: fileName, ...f })),
        { file: fileName },
        summary.moreFindings,
      );
    }
    const { archivePath, created } = archiveCopy(tmp, archiveDir, sha256);
    if (created) archived = archivePath;
    return pass.store(sha256, archivePath);
  });
  try {
    // every reference written points at a row this transaction wrote (the import row, the
    // accounts) or read under its write lock (the inquiries rule 2 matched): ADR 0141
    return withForeignKeysOff(db, () => run.immediate());
  } catch (e) {
    if (archived !== null) fs.rmSync(archived, { force: true });
    throw e;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** The file's inquiries by seq, page by page (rule 2's merge), a point look-up for one out of order. */
class InquiryCursor {
  private page: InquiryOutRaw[] = [];
  constructor(
    private readonly read: ReturnType<typeof inquiryPages>,
    private readonly lastSeq: number,
  ) {}
  get(seq: number): InquiryOutRaw | undefined {
    const first = this.page[0];
    if (first !== undefined) {
      const r = this.page[seq - first[0]];
      if (r !== undefined && r[0] === seq) return r;
      if (seq < first[0]) return this.read.one(seq);
    }
    this.page = this.read.page(seq, this.lastSeq, PAGE);
    const r = this.page[0];
    return r !== undefined && r[0] === seq ? r : undefined;
  }
}

/**
 * writeGWareki memoised by the ISO birth date (or '0000000' where it gives null): the same
 * birth dates recur across a million inquiries (about 30,000 days in 80 years). Bounded.
 */
export class GWarekiDates {
  private readonly cache = new Map<string, string>();
  gwareki(iso: string): string {
    let v = this.cache.get(iso);
    if (v === undefined) {
      v = writeGWareki(iso) ?? '0000000';
      if (this.cache.size >= 65536) this.cache.clear();
      this.cache.set(iso, v);
    }
    return v;
  }
}

/** One bit per inquiry of the file (1-based 照会番号): answered already. */
class Seen {
  private readonly bits: Uint8Array;
  constructor(n: number) {
    this.bits = new Uint8Array((n >> 3) + 1);
  }
  has(i: number): boolean {
    return ((this.bits[i >> 3] as number) & (1 << (i & 7))) !== 0;
  }
  add(i: number): void {
    this.bits[i >> 3] = (this.bits[i >> 3] as number) | (1 << (i & 7));
  }
}

/** The first character where two texts differ (index), or -1. */
function firstDifference(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

const FIELD_LABEL: Record<string, Msg> = {
  taxpayerId: { ja: '宛名番号', en: '宛名番号 (taxpayer id)' },
  nameKana: { ja: '氏名カナ', en: '氏名カナ (name kana)' },
  nameKanji: { ja: '氏名', en: '氏名 (name)' },
  birthDate: { ja: '生年月日', en: '生年月日 (birth date)' },
  address: { ja: '住所', en: '住所 (address)' },
};

/**
 * The pass over one answer file: the scanner, rules 3–5, rule 1 at the header, rule 2
 * per account record, and the store of what is clean so far.
 */
class AnswerPass {
  readonly scanner: RecordScanner;
  private readonly rules: { push(rec: ReadRecord): void; finish(): void };
  private readonly A: RecordDef;
  private findings = 0;
  target: WrittenFileRow | null = null;
  importId: number | null = null;
  private headerDone = false;
  private cursor: InquiryCursor | null = null;
  private seen: Seen | null = null;
  private writer: AnswerBulkWriter | null = null;
  /** inquiries in the file's request */
  private expected = 0;
  private maxSeen = 0;
  private curInquiry = -1;
  private curRow: InquiryOutRaw | undefined;
  private curAtena = '';
  private curBirth = '';
  /** the current inquiry's 氏名 and 住所 without their trailing full-width spaces (once per inquiry, not per record) */
  private curName = '';
  private curAddress = '';
  private readonly births = new GWarekiDates();
  private trailerAt: { index: number; offset: number } | null = null;
  /** the stored account the details now belong to */
  private accountId = -1;
  private detailSeq = 0;
  // summary
  private inquiries = 0;
  private readonly answers = { '1': 0, '2': 0, '3': 0, '4': 0 };
  private readonly dates = new IsoDates();
  private accounts = 0;
  private details = 0;
  private balanceTotal = 0;

  constructor(
    private readonly db: Db,
    private readonly layout: Layout,
    private readonly fileName: string,
    private readonly operator: string,
    maxFindings: number,
  ) {
    this.A = recordDef(layout, 'account')!;
    this.scanner = new RecordScanner(layout, (rec) => this.record(rec), { raw: false, maxFindings, onFinding: () => this.findings++ });
    this.rules = answerRulesFeed(layout, this.scanner.report);
  }

  private get clean(): boolean {
    return this.findings === 0 && this.writer !== null;
  }

  private off(id: string): number {
    return this.A.byId.get(id)?.offset ?? 0;
  }

  private record(rec: ReadRecord): void {
    this.rules.push(rec);
    if (rec.kind === 'header') {
      if (!this.headerDone) this.header(rec);
      this.headerDone = true;
      return;
    }
    if (rec.kind === 'trailer' && this.trailerAt === null) this.trailerAt = { index: rec.index, offset: rec.offset };
    if (rec.kind !== 'data' || this.target === null) return;
    if (rec.record === 'account') this.account(rec, this.target);
    else if (rec.record === 'detail') this.detail(rec);
  }

  // ------------------------------------------------------------ rule 1

  private header(rec: ReadRecord): void {
    const H = this.layout.records.header!;
    const fl = rec.fields;
    const f = (field: string, code: string, message: Msg, expected: string, found: string): void =>
      this.scanner.report({ code, record: rec.index, offset: rec.offset + (H.byId.get(field)?.offset ?? 0), field, expected, found, message });
    const type = fl['typeCode'] ?? '';
    if (type !== '62') {
      f('typeCode', 'answer.not-an-answer', type === '61'
        ? { ja: '種別コードが 61（照会依頼）です。このシステムが書いた依頼ファイルではなく、銀行から返却された回答ファイル（62）を指定してください', en: 'the 種別コード is 61 (an inquiry request); give the answer file the bank returned (62), not the request this system wrote' }
        : { ja: '種別コードが 62（照会回答）ではありません', en: 'the 種別コード is not 62 (inquiry answer)' }, '62', type);
      return;
    }
    const bank = fl['bankCode'] ?? '';
    const fileNo = digitsValue(fl['fileNumber']);
    if (fileNo < 0) return; // the layout check reported the digits
    const rows = filesByNumber(this.db, bank, fileNo).filter((r) => r.kind === 'inquiry' && r.written_at !== null && r.sha256 !== null);
    if (rows.length === 0) {
      if (!hasInquiryBatches(this.db, bank)) {
        f('bankCode', 'answer.unknown-bank', {
          ja: `金融機関コード ${bank} への照会ファイルをこのシステムは作成していません。別の金融機関のファイルでないか確認してください`,
          en: `this system wrote no inquiry file for bank ${bank}; check the file is not another bank's`,
        }, '(照会した金融機関コード / a bank this system asked)', bank);
      } else {
        f('fileNumber', 'answer.unknown-file', {
          ja: `金融機関コード ${bank} の照会ファイル番号 ${fileNo} の照会ファイルをこのシステムは作成していません。ファイルの取り違えがないか確認してください`,
          en: `this system wrote no inquiry file number ${fileNo} for bank ${bank}; check that this is the right file`,
        }, '(このシステムが作成した照会ファイル番号 / a file number this system wrote)', fl['fileNumber'] ?? '');
      }
      return;
    }
    const row = rows[0]!;
    const compact = (iso: string | null): string => (iso === null ? '00000000' : iso.replaceAll('-', ''));
    let ok = true;
    const same = (field: string, code: string, what: Msg, want: string): void => {
      const found = fl[field] ?? '';
      if (found === want) return;
      ok = false;
      f(field, code, { ja: `${what.ja}が照会ファイル（${row.batch_id}、ファイル番号 ${fileNo}）と一致しません`, en: `the ${what.en} differs from the inquiry file (${row.batch_id}, file number ${fileNo})` }, want, found);
    };
    same('requesterCode', 'answer.requester-mismatch', { ja: '依頼者コード', en: 'requester code' }, row.requester_code.padStart(H.byId.get('requesterCode')?.length ?? 10, '0'));
    same('baseDate', 'answer.base-date-mismatch', { ja: '照会基準日', en: 'base date (照会基準日)' }, compact(row.execution_date));
    same('historyFrom', 'answer.history-mismatch', { ja: '取引明細開始日', en: 'history start (取引明細開始日)' }, compact(row.history_from));
    const answerText = fl['answerDate'] ?? '';
    const answered = ymdToIso(answerText);
    if (answered === null || answered < row.execution_date) {
      ok = false;
      f('answerDate', 'answer.answer-date', {
        ja: `回答日は照会基準日 ${row.execution_date} 以降の正しい日付でなければなりません`,
        en: `the answer date must be a real date on or after the base date ${row.execution_date}`,
      }, `≥ ${compact(row.execution_date)}`, answerText);
    }
    // state conflicts: exit 4 at once, nothing changed
    if (row.results_import_id !== null) throw alreadyAnswered(this.db, row, row.results_import_id);
    if (row.state !== 'written') {
      throw conflict('batch.wrong-state', {
        ja: `バッチ ${row.batch_id} の状態は「${batchStateMsg(row.state).ja}」のため回答を取り込めません（「${batchStateMsg('written').ja}」である必要があります）`,
        en: `batch ${row.batch_id} is ${batchStateMsg(row.state).en}; answers can only be imported into a written inquiry batch`,
      }, { file: this.fileName });
    }
    this.target = row;
    this.expected = row.last_request - row.first_request + 1;
    this.seen = new Seen(this.expected + 1);
    this.cursor = new InquiryCursor(inquiryPages(this.db, row.batch_id), row.last_request);
    if (!ok || this.findings > 0) return;
    // the import row now (answer rows refer to it); its hash is set when the file is read
    this.importId = insertImport(this.db, {
      kind: 'answers',
      sha256: `pending:${process.pid}:${Date.now()}`,
      files: [this.fileName],
      importedAt: nowTokyoTimestamp(),
      operator: this.operator,
      summary: {},
    });
    this.writer = answerBulkWriter(this.db, this.importId, {
      batchId: row.batch_id, bankCode: row.bank_code, knowledgeDate: row.execution_date, fileNumber: row.file_number, firstSeq: row.first_request, lastSeq: row.last_request,
    });
  }

  // ------------------------------------------------------------ rule 2

  private account(rec: ReadRecord, t: WrittenFileRow): void {
    const fl = rec.fields;
    const n = digitsValue(fl['inquiryNumber']);
    if (n < 0) return; // the layout check reported the digits
    const code = fl['answerCode'] ?? '';
    if (n !== this.curInquiry) {
      this.curInquiry = n;
      this.curRow = undefined;
      if (n < 1 || n > this.expected) {
        this.inquiryFinding(rec, 'answer.unknown-inquiry', { ja: `照会番号 ${n} は照会ファイル（${this.expected} 件）にありません`, en: `inquiry ${n} is not in the inquiry file (${this.expected} inquiries)` }, `1–${this.expected}`, fl['inquiryNumber'] ?? '');
        return;
      }
      if (this.seen!.has(n)) {
        this.inquiryFinding(rec, 'answer.inquiry-repeated', { ja: `照会番号 ${n} の回答が2か所にあります（同じ照会番号のレコードは続けて1か所に置くこと）`, en: `inquiry ${n} is answered in two places (the records of one inquiry are consecutive)` }, `(${n} 以外 / not ${n})`, fl['inquiryNumber'] ?? '');
        return;
      }
      if (n < this.maxSeen) {
        this.inquiryFinding(rec, 'answer.inquiry-order', { ja: `照会番号 ${n} が照会番号 ${this.maxSeen} の後にあります（照会ファイルの順に並べること）`, en: `inquiry ${n} comes after inquiry ${this.maxSeen} (answers follow the request's order)` }, `> ${this.maxSeen}`, fl['inquiryNumber'] ?? '');
      }
      this.seen!.add(n);
      if (n > this.maxSeen) this.maxSeen = n;
      this.curRow = this.cursor!.get(t.first_request + n - 1);
      if (this.curRow !== undefined) {
        this.curAtena = this.curRow[1].padStart(this.A.byId.get('taxpayerId')?.length ?? 10, '0');
        this.curBirth = this.curRow[4] === null ? '0000000' : this.births.gwareki(this.curRow[4]);
        this.curName = this.curRow[3].replace(/　+$/u, '');
        this.curAddress = this.curRow[5].replace(/　+$/u, '');
      }
      this.inquiries++;
      if (code === '1' || code === '2' || code === '3' || code === '4') this.answers[code]++;
      if (this.clean && (code === '3' || code === '4') && this.curRow !== undefined) this.writer!.answerCode(this.curRow[0], code);
    }
    const row = this.curRow;
    if (row === undefined) return;
    this.echo(rec, n, row);
    this.accountId = -1;
    this.detailSeq = 0;
    if (code !== '1') return;
    const bal = digitsValue(fl['balance']);
    const signed = fl['balanceSign'] === '2' ? -bal : bal;
    this.accounts++;
    this.balanceTotal += signed;
    if (!this.clean) return;
    this.accountId = this.writer!.account({
      seq: row[0],
      accountSeq: digitsValue(fl['accountSeq']),
      atena: row[1],
      branchCode: fl['branchCode'] ?? '',
      accountType: fl['accountType'] ?? '',
      accountNumber: fl['accountNumber'] ?? '',
      holderKana: fl['holderName'] ?? '',
      balance: signed,
      lastTransactionDate: this.dates.iso(fl['lastTransactionDate'] ?? ''),
      loan: fl['loanFlag'] === '1' ? 1 : 0,
    });
  }

  private inquiryFinding(rec: ReadRecord, code: string, message: Msg, expected: string, found: string): void {
    this.scanner.report({ code, record: rec.index, offset: rec.offset + this.off('inquiryNumber'), field: 'inquiryNumber', expected, found, message });
  }

  /** Each record repeats the request's 宛名番号, 氏名カナ, 生年月日 exactly; 氏名 and 住所 exactly or blank. */
  private echo(rec: ReadRecord, n: number, row: InquiryOutRaw): void {
    const fl = rec.fields;
    const atena = fl['taxpayerId'] ?? '';
    if (atena !== this.curAtena) {
      this.scanner.report({
        code: 'answer.echo-mismatch', record: rec.index, offset: rec.offset + this.off('taxpayerId'), field: 'taxpayerId', expected: this.curAtena, found: atena,
        message: { ja: `照会番号 ${n} の宛名番号が照会ファイルと一致しません（照会は宛名番号 ${row[1]}）`, en: `the 宛名番号 of inquiry ${n} differs from the inquiry file (asked about ${row[1]})` },
      });
    }
    this.personal(rec, n, row, 'nameKana', row[2], false, 1);
    this.personal(rec, n, row, 'birthDate', this.curBirth, false, 1);
    this.personal(rec, n, row, 'nameKanji', this.curName, true, 2);
    this.personal(rec, n, row, 'address', this.curAddress, true, 2);
  }

  /** A personal field that differs: only the offending character's code and its byte offset. */
  private personal(rec: ReadRecord, n: number, row: InquiryOutRaw, field: string, want: string, blankAllowed: boolean, bytesPerChar: number): void {
    const found = rec.fields[field] ?? '';
    if (found === want || (blankAllowed && found === '')) return;
    const i = firstDifference(want, found);
    const ch = found.codePointAt(i);
    const shown = ch === undefined ? '(なし / none)' : ch < 0x80 ? `0x${ch.toString(16).toUpperCase().padStart(2, '0')}` : `U+${ch.toString(16).toUpperCase().padStart(4, '0')}`;
    const label = FIELD_LABEL[field]!;
    this.scanner.report({
      code: 'answer.echo-mismatch',
      record: rec.index,
      offset: rec.offset + this.off(field) + i * bytesPerChar,
      field,
      expected: `(照会ファイルの${label.ja}${blankAllowed ? 'または全角空白' : ''} / the inquiry's ${label.en}${blankAllowed ? ' or full-width spaces' : ''})`,
      found: shown,
      message: {
        ja: `照会番号 ${n}（宛名番号 ${row[1]}）の${label.ja}が照会ファイルと ${i * bytesPerChar + 1} バイト目から一致しません`,
        en: `the ${label.en} of inquiry ${n} (宛名番号 ${row[1]}) differs from the inquiry file from byte ${i * bytesPerChar + 1}`,
      },
    });
  }

  private detail(rec: ReadRecord): void {
    this.details++;
    if (!this.clean || this.accountId < 0) return;
    const fl = rec.fields;
    const after = digitsValue(fl['balanceAfter']);
    this.writer!.transaction(this.accountId, {
      seq: ++this.detailSeq,
      date: this.dates.iso(fl['transactionDate'] ?? '') ?? '',
      direction: fl['direction'] === '2' ? 2 : 1,
      amount: digitsValue(fl['amount']),
      balanceAfter: fl['balanceSign'] === '2' ? -after : after,
      description: fl['description'] ?? '',
    });
  }

  /** After the last record: rules 3–5 close; every inquiry of the request not answered is a finding. */
  finish(summary: { records: number; bytes: number }): void {
    this.rules.finish();
    if (this.target === null || this.seen === null) return;
    const ta = this.trailerAt;
    const T = this.layout.records.trailer;
    const anchor = ta
      ? { record: ta.index, offset: ta.offset + (T?.byId.get('inquiryCount')?.offset ?? 0), field: 'inquiryCount' }
      : { record: Math.max(0, summary.records - 1), offset: summary.bytes, field: 'inquiryNumber' };
    for (let n = 1; n <= this.expected; n++) {
      if (this.seen.has(n)) continue;
      this.scanner.report({
        ...anchor,
        code: 'answer.inquiry-missing',
        expected: String(n).padStart(8, '0'),
        found: '(なし / none)',
        message: { ja: `照会番号 ${n} の回答がありません（照会した全員に回答が必要です）`, en: `no answer for inquiry ${n} (every inquiry must be answered)` },
      });
    }
  }

  /** Everything besides the records (already written): import row, archive, file and batch state, audit. */
  store(sha256: string, archivePath: string): ImportAnswersSummary {
    const t = this.target!;
    const importId = this.importId!;
    this.writer!.flush();
    const at = nowTokyoTimestamp();
    const json = { batch: t.batch_id, fileNumber: t.file_number, inquiries: this.inquiries, answers: this.answers, accounts: this.accounts, details: this.details, balanceTotal: this.balanceTotal };
    finishImport(this.db, importId, sha256, json);
    setFileResults(this.db, t.batch_id, t.seq, importId);
    insertResultFile(this.db, { importId, batchId: t.batch_id, fileNumber: t.file_number, archivePath, sha256 });
    if (filesWithoutResults(this.db, t.batch_id) === 0) setBatchStateIf(this.db, t.batch_id, 'written', 'answered', at);
    const state = batchState(this.db, t.batch_id) ?? t.state;
    audit(this.db, { action: 'import.answers', batchId: t.batch_id, sha256, details: { importId, file: this.fileName, ...json, batchState: state, archive: path.basename(archivePath) } }, this.operator);
    return {
      importId,
      batchId: t.batch_id,
      fileNumber: t.file_number,
      file: this.fileName,
      sha256,
      archivePath,
      inquiries: this.inquiries,
      answers: { ...this.answers },
      accounts: this.accounts,
      details: this.details,
      balanceTotal: this.balanceTotal,
      batchState: state,
    };
  }
}

/** answers.already-imported (exit 4): the inquiry file already has its answers. */
function alreadyAnswered(db: Db, row: WrittenFileRow, importId: number): AppError {
  const prev = importById(db, importId);
  const when = (lang: 'ja' | 'en'): string => (prev ? formatTokyoTime(prev.imported_at, lang) : '');
  return conflict('answers.already-imported', {
    ja: `バッチ ${row.batch_id} の照会ファイル番号 ${row.file_number} の回答は取込済みです（取込ID ${importId}、${when('ja')}）。同じ照会の回答を二重に取り込むことはできません`,
    en: `the answers of batch ${row.batch_id}, file number ${row.file_number} were already imported (import ${importId}, ${when('en')}); answers cannot be imported twice`,
  }, { field: 'fileNumber' });
}

