/**
 * `import results` of an instruction result file (instruction-120.md, 種別コード 63),
 * dispatched from import-results.ts by the detected layout. Instruction files are small
 * (a batch's held accounts): one pass on this thread over the archive's copy — layout
 * checks and rule 4 (the layout's totals) by the format engine, rule 1 at the header,
 * rule 2 against the file's instruction records in order, rule 3 (instruction-rules.ts)
 * — then all or nothing: any finding → exit 3, nothing stored; else ONE transaction
 * stores the results on instruction_records, the import, the result file and its archive
 * copy, the file's link, the batch state and the audit entry.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nowTokyoTimestamp } from '../../core/dates.js';
import { FILE_MODE } from '../../core/fsutil.js';
import { conflict, rejected, type Finding } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { maskAccount, maskedAccountDifference } from '../../core/mask.js';
import { audit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { instructionFilesByNumber, instructionRecordsOfFile, instructionResultWriter, type InstructionExpected, type InstructionFileRow } from '../../db/instruction-results.js';
import { filesByNumber, refuseSameFile, storeFileResults } from '../../db/results.js';
import { batchKindMsg, batchStateMsg } from '../../domain/vocabulary.js';
import { scanInto } from '../../file/reader.js';
import { RecordScanner, type ReadRecord } from '../../file/scanner.js';
import type { Layout } from '../../layout/types.js';
import { instructionResultRules } from './instruction-rules.js';
import { alreadyImported } from './rule1.js';
import { digitsValue, ymdToIso } from './result-rules.js';
import type { CodeTotals, ImportResultsSummary } from './summary.js';

/** One result record kept for the store. */
interface Kept {
  seq: number;
  code: string;
  collected: number;
  date: string | null;
}

const showKey = (req: number, sub: number): string => `${String(req).padStart(10, '0')}-${String(sub).padStart(2, '0')}`;
const recKey = (req: number, sub: number): number => req * 100 + sub;

const FIELD_LABEL: Record<string, Msg> = {
  branchCode: { ja: '支店番号', en: 'branch number' },
  accountType: { ja: '預金種目', en: 'account type' },
  accountNumber: { ja: '口座番号', en: 'account number' },
  seizedAmount: { ja: '差押金額', en: 'seized amount' },
  collectAmount: { ja: '取立指示額', en: 'instructed collection' },
  releaseAmount: { ja: '解除額', en: 'release amount' },
};

/** One pass over an instruction result: findings to the scanner's report, matched results kept. */
class InstructionCheck {
  readonly scanner: RecordScanner;
  private readonly rules;
  target: InstructionFileRow | null = null;
  headerDone = false;
  private expected: InstructionExpected[] = [];
  private byKey = new Map<number, number>();
  private seen = new Set<number>();
  private pos = 0;
  kept: Kept[] = [];
  records = 0;
  private trailerAt: { index: number; offset: number } | null = null;

  constructor(
    private readonly db: Db,
    private readonly layout: Layout,
    maxFindings: number,
  ) {
    this.scanner = new RecordScanner(layout, (r) => this.record(r), { raw: false, maxFindings });
    this.rules = instructionResultRules(layout, this.scanner.report);
  }

  private off(kind: 'header' | 'data', id: string): number {
    return this.layout.records[kind]?.byId.get(id)?.offset ?? 0;
  }

  finish(): void {
    this.rules.finish();
  }

  private record(rec: ReadRecord): void {
    this.rules.push(rec);
    if (rec.kind === 'header' && !this.headerDone) {
      this.headerDone = true;
      this.target = this.rule1(rec);
      if (this.target !== null) {
        this.expected = instructionRecordsOfFile(this.db, this.target.batch_id, this.target.first_request, this.target.last_request);
        this.expected.forEach((e, i) => this.byKey.set(recKey(e.request_number, e.sub_number), i));
      }
      return;
    }
    if (rec.kind === 'trailer' && this.trailerAt === null) this.trailerAt = { index: rec.index, offset: rec.offset };
    if (rec.kind !== 'data') return;
    this.records++;
    if (this.target !== null) this.rule2(rec);
  }

  private finding(rec: { index: number; offset: number }, field: string, at: number, code: string, expected: string, found: string, message: Msg): void {
    this.scanner.report({ code, record: rec.index, offset: rec.offset + at, field, expected, found, message });
  }

  /** Rule 1: the header names an instruction file this system wrote. */
  private rule1(rec: ReadRecord): InstructionFileRow | null {
    const h = rec.fields;
    const at = (id: string): number => this.off('header', id);
    const f = (field: string, code: string, expected: string, message: Msg): void => this.finding(rec, field, at(field), code, expected, h[field] ?? '', message);
    if (h['typeCode'] !== '63') {
      f('typeCode', 'instruction-result.not-a-result', '63', {
        ja: '種別コードが 63（取立・解除指示の結果）ではありません。指示ファイル（53）ではなく銀行から返却された結果ファイルを指定してください',
        en: 'the 種別コード is not 63 (instruction result); give the result file the bank returned, not the instruction file (53)',
      });
      return null;
    }
    const bank = h['bankCode'] ?? '';
    const fileNo = digitsValue(h['fileNumber']);
    if (fileNo < 0) return null; // the layout check reported the digits
    const rows = instructionFilesByNumber(this.db, bank, fileNo).filter((r) => r.written_at !== null && r.sha256 !== null);
    if (rows.length === 0) {
      const other = filesByNumber(this.db, bank, fileNo).find((r) => r.kind !== 'instruction' && r.written_at !== null);
      if (other !== undefined) {
        const kind = batchKindMsg(other.kind);
        f('fileNumber', 'instruction-result.file-of-other-kind', '(取立・解除指示ファイルの番号 / an instruction file number)', {
          ja: `金融機関コード ${bank} のファイル番号 ${fileNo} は${kind.ja}のファイル（バッチ ${other.batch_id}）で、取立・解除指示ファイルではありません。ファイルの取り違えがないか確認してください`,
          en: `file number ${fileNo} of bank ${bank} is a ${kind.en} file (batch ${other.batch_id}), not an instruction file; check that this is the right file`,
        });
      } else {
        f('fileNumber', 'instruction-result.unknown-file', '(このシステムが作成した指示ファイル番号 / an instruction file number this system wrote)', {
          ja: `金融機関コード ${bank} の指示ファイル番号 ${fileNo} の指示ファイルをこのシステムは作成していません。ファイルの取り違えがないか確認してください`,
          en: `this system wrote no instruction file number ${fileNo} for bank ${bank}; check that this is the right file`,
        });
      }
      return null;
    }
    const t = rows[0]!;
    const iso = (s: string | null): string => (s ?? '').replaceAll('-', '');
    let ok = true;
    const same = (field: string, expected: string, what: Msg): void => {
      if ((h[field] ?? '') === expected) return;
      ok = false;
      f(field, 'instruction-result.header-mismatch', expected, {
        ja: `${what.ja}が指示ファイル（バッチ ${t.batch_id}、ファイル番号 ${t.file_number}）と一致しません。ファイルの取り違えがないか確認してください`,
        en: `the ${what.en} differs from the instruction file (batch ${t.batch_id}, file number ${t.file_number}); check that this is the right file`,
      });
    };
    same('requesterCode', t.requester_code, { ja: '依頼者コード', en: 'requester code' });
    same('instructionDate', iso(t.execution_date), { ja: '指示日', en: 'instruction date' });
    const width = this.layout.records.header?.byId.get('seizureFileNumber')?.length ?? 8;
    same('seizureFileNumber', String(t.seizure_file_number ?? '').padStart(width, '0'), { ja: '差押依頼ファイル番号（この指示が解除・取立する差押ファイル）', en: 'seizure file number (the seizure file this instruction resolves)' });
    same('executionDate', iso(t.seizure_execution_date), { ja: '差押執行日', en: 'execution date' });
    if (!ok) return null;
    if (t.results_import_id !== null) throw alreadyImported(this.db, t, t.results_import_id, { field: 'fileNumber' });
    if (t.state !== 'written' && t.state !== 'results-imported') {
      throw conflict('batch.wrong-state', {
        ja: `バッチ ${t.batch_id} の状態は「${batchStateMsg(t.state).ja}」のため結果を取り込めません（「${batchStateMsg('written').ja}」である必要があります）`,
        en: `batch ${t.batch_id} is ${batchStateMsg(t.state).en}; results can only be imported into a written batch`,
      });
    }
    return t;
  }

  /** Rule 2: the next instruction record, in order, echoed. */
  private rule2(rec: ReadRecord): void {
    const fl = rec.fields;
    const req = digitsValue(fl['requestNumber']);
    const sub = digitsValue(fl['subNumber']);
    if (req < 0 || sub < 0) return;
    const k = recKey(req, sub);
    const at = this.off('data', 'requestNumber');
    const i = this.byKey.get(k);
    if (i === undefined || this.seen.has(k)) {
      const dup = i !== undefined;
      this.finding(rec, 'requestNumber', at, dup ? 'instruction-result.duplicate-record' : 'instruction-result.unknown-record', dup ? '(1件 / one)' : '(指示ファイルにある依頼番号＋枝番 / a record of the instruction file)', showKey(req, sub), dup
        ? { ja: `依頼番号 ${req} 枝番 ${sub} の結果が重複しています`, en: `request ${req} sub ${sub} has more than one result record` }
        : { ja: `依頼番号 ${req} 枝番 ${sub} は指示ファイル（${this.target!.batch_id}、ファイル番号 ${this.target!.file_number}）にありません`, en: `request ${req} sub ${sub} is not in the instruction file (${this.target!.batch_id}, file number ${this.target!.file_number})` });
      return;
    }
    this.seen.add(k);
    const e = this.expected[i]!;
    const want = this.expected[this.pos];
    if (i !== this.pos && want !== undefined) {
      this.finding(rec, 'requestNumber', at, 'instruction-result.order', showKey(want.request_number, want.sub_number), showKey(req, sub), {
        ja: `依頼番号 ${req} 枝番 ${sub} の結果の位置が指示ファイルと違います（この位置は依頼番号 ${want.request_number} 枝番 ${want.sub_number}）。結果は指示と同じ順で返されます`,
        en: `the result of request ${req} sub ${sub} is out of place (here the instruction file has request ${want.request_number} sub ${want.sub_number}); results come in the instruction's order`,
      });
    }
    this.pos = Math.max(this.pos, i) + 1;
    this.compare(rec, e, req, sub);
    const collected = digitsValue(fl['collectedAmount']);
    this.kept.push({ seq: e.seq, code: fl['resultCode'] ?? '', collected: Math.max(0, collected), date: ymdToIso(fl['collectionDate'] ?? '') });
  }

  private compare(rec: ReadRecord, e: InstructionExpected, req: number, sub: number): void {
    const fl = rec.fields;
    const w = (id: string): number => this.layout.records.data?.byId.get(id)?.length ?? 0;
    const exp: Record<string, string> = {
      branchCode: e.branch_code.padStart(w('branchCode'), '0'),
      accountType: e.account_type,
      accountNumber: e.account_number.padStart(w('accountNumber'), '0'),
      seizedAmount: String(e.seized_amount).padStart(w('seizedAmount'), '0'),
      collectAmount: String(e.collect_amount).padStart(w('collectAmount'), '0'),
      releaseAmount: String(e.release_amount).padStart(w('releaseAmount'), '0'),
    };
    for (const [field, expected] of Object.entries(exp)) {
      const found = fl[field] ?? '';
      if (found === expected) continue;
      const what = FIELD_LABEL[field]!;
      let shown = { expected, found, at: this.off('data', field), note: null as Msg | null };
      if (field === 'accountNumber') {
        // personal: masked values and the byte of the digit that differs
        const d = maskedAccountDifference(expected, found);
        shown = { expected: d.expected, found: d.found, at: this.off('data', field) + (d.position ?? 1) - 1, note: d.note };
      }
      this.finding(rec, field, shown.at, 'instruction-result.record-mismatch', shown.expected, shown.found, {
        ja: `依頼番号 ${req} 枝番 ${sub}（口座 ${maskAccount(e.account_number)}）の${what.ja}が指示ファイルと一致しません${shown.note ? `（${shown.note.ja}）` : ''}`,
        en: `the ${what.en} of request ${req} sub ${sub} (account ${maskAccount(e.account_number)}) differs from the instruction file${shown.note ? ` (${shown.note.en})` : ''}`,
      });
    }
  }

  /** Instruction records no result answered, located at the trailer's 件数 (else the end). */
  *missing(summary: { records: number; bytes: number }): Generator<Finding> {
    const ta = this.trailerAt;
    const off = this.layout.records.trailer?.byId.get('recordCount')?.offset ?? 0;
    const anchor = ta ? { record: ta.index, offset: ta.offset + off, field: 'recordCount' } : { record: Math.max(0, summary.records - 1), offset: summary.bytes, field: 'requestNumber' };
    for (const e of this.expected) {
      if (this.seen.has(recKey(e.request_number, e.sub_number))) continue;
      yield {
        code: 'instruction-result.missing-record',
        ...anchor,
        expected: showKey(e.request_number, e.sub_number),
        found: '(なし / none)',
        message: {
          ja: `依頼番号 ${e.request_number} 枝番 ${e.sub_number}（口座 ${maskAccount(e.account_number)}）の結果レコードがありません`,
          en: `no result record for request ${e.request_number} sub ${e.sub_number} (account ${maskAccount(e.account_number)})`,
        },
      };
    }
  }
}

/** Import one instruction result file from the archive's temporary copy `tmp`; all or nothing. */
export function importInstructionResults(
  db: Db,
  source: string,
  tmp: string,
  fileName: string,
  layout: Layout,
  archive: { dir: string; copy: (tmp: string, dir: string, sha256: string) => { archivePath: string; created: boolean } },
  operator: string,
  maxFindings: number,
): ImportResultsSummary {
  fs.copyFileSync(source, tmp);
  fs.chmodSync(tmp, FILE_MODE);
  const check = new InstructionCheck(db, layout, maxFindings);
  const hash = createHash('sha256');
  const summary = scanInto(tmp, check.scanner, (c) => hash.update(c));
  check.finish();
  const sha256 = hash.digest('hex');
  refuseSameFile(db, 'results', sha256, fileName);
  const findings = summary.findings;
  let more = summary.moreFindings;
  if (check.target !== null) {
    for (const f of check.missing(summary)) {
      if (findings.length < maxFindings) findings.push(f);
      else more++;
    }
  }
  if (!check.headerDone && findings.length === 0) findings.push({ code: 'result.no-header', record: 0, offset: 0, message: { ja: 'ヘッダーレコードがありません', en: 'no header record' } });
  const t = check.target;
  if (findings.length > 0 || t === null) {
    throw rejected(
      'results.rejected',
      {
        ja: `取立・解除指示の結果ファイル ${fileName} を取り込めません: ${findings.length + more} 件の誤りがあります。何も登録していません。銀行に正しいファイルを依頼するか、ファイルを確認してください`,
        en: `instruction result file ${fileName} was refused: ${findings.length + more} problem(s); nothing was stored. Ask the bank for a corrected file or check the file`,
      },
      findings.map((f) => ({ file: fileName, ...f })),
      { file: fileName },
      more,
    );
  }
  const { archivePath, created } = archive.copy(tmp, archive.dir, sha256);
  try {
    return db.transaction(() => store(db, t, check.kept, check.records, sha256, archivePath, fileName, operator))();
  } catch (e) {
    if (created) fs.rmSync(archivePath, { force: true });
    throw e;
  }
}

function store(db: Db, t: InstructionFileRow, kept: readonly Kept[], records: number, sha256: string, archivePath: string, fileName: string, operator: string): ImportResultsSummary {
  const at = nowTokyoTimestamp();
  const again = instructionFilesByNumber(db, t.bank_code, t.file_number).find((r) => r.batch_id === t.batch_id && r.seq === t.seq);
  if (!again || again.results_import_id !== null) throw alreadyImported(db, t, again?.results_import_id ?? null);
  refuseSameFile(db, 'results', sha256, fileName);
  const results: Record<string, CodeTotals> = {};
  let seized = 0;
  let collected = 0;
  const released = { records: 0, amount: 0 };
  const collectedTotals = { records: 0, amount: 0 };
  const release = new Map(instructionRecordsOfFile(db, t.batch_id, t.first_request, t.last_request).map((e) => [e.seq, e] as const));
  for (const k of kept) {
    const e = release.get(k.seq)!;
    const c = (results[k.code] ??= { records: 0, seized: 0, collected: 0 });
    c.records++;
    c.seized += e.seized_amount;
    c.collected += k.collected;
    seized += e.seized_amount;
    collected += k.collected;
    if (k.code === '01') {
      if (k.collected > 0) {
        collectedTotals.records++;
        collectedTotals.amount += k.collected;
      }
      if (e.release_amount > 0) {
        released.records++;
        released.amount += e.release_amount;
      }
    }
  }
  const sorted: Record<string, CodeTotals> = {};
  for (const code of Object.keys(results).sort()) sorted[code] = results[code]!;
  const summary = { batch: t.batch_id, kind: 'instruction', fileNumber: t.file_number, records, results: sorted, seized, collected };
  const { importId, state } = storeFileResults(db, t, { sha256, fileName, at, operator, summary, archivePath }, (id) => {
    const write = instructionResultWriter(db, t.batch_id, id);
    for (const k of kept) write(k.seq, k.code, k.collected, k.collected > 0 ? k.date : null);
  });
  audit(
    db,
    {
      action: 'import.instruction-results',
      batchId: t.batch_id,
      sha256,
      details: {
        importId, file: fileName, fileNumber: t.file_number, seizureBatch: t.seizure_batch_id, seizureFileNumber: t.seizure_file_number, records, results: sorted,
        collected: collectedTotals, released, notDone: sorted['99']?.records ?? 0, batchState: state, archive: path.basename(archivePath),
      },
    },
    operator,
  );
  return { importId, batchId: t.batch_id, fileNumber: t.file_number, records, results: sorted, seized, collected, batchState: state, sha256, archivePath, collectionMode: 'deferred', instruction: { seizureBatch: t.seizure_batch_id ?? '', released: released.amount } };
}
