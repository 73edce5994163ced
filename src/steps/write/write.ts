/**
 * The write step (spec/cli.md `write`): write a batch's request file(s) to the
 * media, atomically, read them back, verify, write manifest and 合計表, then
 * mark the batch 'written' in one transaction (docs/adr/0043).
 *
 * Phases, so that no database transaction spans an await:
 *  A (sync)  per file: stream the records from the DB through the format engine's
 *            synchronous writer into a temp file, fsync, then publish (rename) or
 *            adopt an identical existing file; refuse a different one (exit 4).
 *  B (async) per file, bounded by p-limit: read back once (SHA-256 and validation
 *            with the layout in the same pass), copy (正副) and verify the copy,
 *            manifest + 合計表 beside each.
 *  C (sync)  one transaction: file names/sha256/bytes stored, state → written, audit.
 * A crash anywhere leaves the batch 'extracted' (or 'written' when it was); a re-run
 * removes our temp files and writes again, adopting files already complete.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import pLimit from 'p-limit';
import { AppError, EXIT, conflict, usageError } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { nowTokyoTimestamp, toCompact, todayTokyo } from '../../core/dates.js';
import type { Engine } from '../../core/engine.js';
import { producerInWorker, type Db } from '../../db/connection.js';
import { audit, currentOperator } from '../../db/audit.js';
import { getBankSettings } from '../../db/settings.js';
import { batchFiles, fileNamePatternOf, getBatch, setBatchState, setFileWritten, type BatchFileRow, type BatchRow } from '../../db/batches.js';
import { loadLayout } from '../../layout/load.js';
import type { Layout } from '../../layout/types.js';
import type { FieldInputs } from '../../layout/codec.js';
import { SyncRecordWriter } from '../../file/writer.js';
import { validateFile, type ValidationResult } from '../../file/reader.js';
import { Worker } from 'node:worker_threads';
import { SyncProducer, reviveError, startWorker, type ItemOf } from '../../core/sync-worker.js';
import type { ReadBackInput } from './readback-worker.js';
import { ENCODE_WORKER, READBACK_WORKER } from './worker-ref.js';
import { bankNameFromZengin } from '../../settings/index.js';
import { copyFileAtomic, freeBytes, hashFile, hashFileSync, publish, removeLeftoverTemp, tempPathFor, writeSmallFile } from './atomic.js';
import { manifestJson, totalsSheetHtml, type MediaFileFacts } from './totals-sheet.js';
import { noSuchBatch, wrongKind } from '../../db/no-such-batch.js';
import { keyRange, kindWriter, type KindWriter } from './kinds.js';
import { batchStateMsg } from '../../domain/vocabulary.js';

export interface WriteOptions {
  /** the media folder (USB stick) */
  media: string;
  /** a second folder for the 副 copy */
  copy?: string;
  /** layout id or path (default: the batch's layout) */
  layout?: string;
  operator?: string;
  /** shared bound for concurrent verify/copy work (default p-limit(2)) */
  limit?: ReturnType<typeof pLimit>;
  /**
   * who reads and encodes the data records (core/engine.ts, ADR 0190): `producer` 'worker'
   * a worker thread on a snapshot, for every file; 'inline' this thread. Unset: the worker
   * for files of at least ENCODER_MIN_RECORDS records when the database allows it.
   * `chunk`: records per chunk handed over (default 4,096).
   */
  engine?: Engine;
}

/** Below this many records a file is encoded on this thread: starting a worker costs more than it saves. */
export const ENCODER_MIN_RECORDS = 20_000;

export interface WrittenFile {
  path: string;
  sha256: string;
  bytes: number;
  /** data records */
  records: number;
  fileNumber: number;
  /** the final file already existed with exactly these bytes */
  adopted: boolean;
  copyPath: string | null;
  manifestPath: string;
  sheetPath: string;
}

export interface WriteBatchResult {
  batch: string;
  files: WrittenFile[];
  /** best-effort steps that could not be done (FAT/exFAT) and leftovers removed */
  warnings: Msg[];
  notes: Msg[];
}

const SEP_LEN: Record<string, number> = { crlf: 2, lf: 1, cr: 1, none: 0 };

/** File name from the bank's pattern: {bank}, {file} (8 digits), {date} (YYYYMMDD). */
function fileNameFor(pattern: string, bankCode: string, fileNumber: number, executionDate: string): string {
  const name = pattern
    .replaceAll('{bank}', bankCode)
    .replaceAll('{file}', String(fileNumber).padStart(8, '0'))
    .replaceAll('{date}', toCompact(executionDate));
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name) || name.startsWith('.')) {
    throw usageError('write.file-name', {
      ja: `金融機関 ${bankCode} のファイル名パターン ${JSON.stringify(pattern)} から使えないファイル名 ${JSON.stringify(name)} ができました。設定を直してください。`,
      en: `bank ${bankCode}: the file name pattern ${JSON.stringify(pattern)} gives an unusable name ${JSON.stringify(name)}; fix the settings.`,
    });
  }
  return name;
}

function requireDir(dir: string, what: Msg): string {
  const abs = path.resolve(dir);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw usageError('write.no-dir', {
      ja: `${what.ja} ${abs} がありません。USBメモリを挿してフォルダを確認してください。`,
      en: `${what.en} ${abs} does not exist; insert the media and check the folder.`,
    });
  }
  if (!st.isDirectory()) {
    throw usageError('write.not-dir', { ja: `${what.ja} ${abs} はフォルダではありません。`, en: `${what.en} ${abs} is not a folder.` });
  }
  return abs;
}

interface Header {
  values: FieldInputs;
  requesterName: string;
  bankName: string;
}

function headerFor(db: Db, batch: BatchRow, kw: KindWriter): Header {
  const s = getBankSettings(db, batch.bank_code);
  if (!s) {
    throw conflict('write.bank-not-configured', {
      ja: `金融機関 ${batch.bank_code} の設定がありません。sashiosae settings で設定してから書き出してください。`,
      en: `bank ${batch.bank_code} has no settings; configure it with sashiosae settings first.`,
    });
  }
  const bankName = s.bankName !== '' ? s.bankName : (bankNameFromZengin(batch.bank_code)?.name ?? '');
  if (bankName === '') {
    throw conflict('write.bank-name', {
      ja: `金融機関 ${batch.bank_code} の金融機関名（半角カナ）が設定になく、全銀コード表にもありません。設定に bankName を加えてください。`,
      en: `bank ${batch.bank_code}: no bank name in the settings nor in zengin-code; add bankName to the settings.`,
    });
  }
  return { requesterName: s.requesterName, bankName, values: kw.header(batch, s, bankName, db) };
}

/** Keep only the fields the layout's header has (another bank's layout may lack some). */
function only(layout: Layout, v: FieldInputs): FieldInputs {
  const rec = layout.records.header;
  if (!rec) return {};
  const out: FieldInputs = {};
  for (const k of Object.keys(v)) if (rec.byId.has(k)) out[k] = v[k];
  return out;
}

interface Planned {
  file: BatchFileRow;
  finalPath: string;
  fileName: string;
  sha256: string;
  bytes: number;
  records: number;
  adopted: boolean;
  /** the read-back made while writing (null: read the final file back afterwards) */
  readBack: Promise<ValidationResult> | null;
}

/**
 * The read-back of a file being written, on the second core (ADR 0058): a worker
 * validates and hashes the temporary file's bytes as they land and reports after
 * finished() — the same one read, with the layout, that verify() makes afterwards.
 */
export class FollowingReadBack {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;
  private fd: number | null;
  readonly result: Promise<ValidationResult>;

  constructor(file: string, layout: Layout) {
    // opened here, before the file can be published (renamed) under the worker
    this.fd = fs.openSync(file, 'r');
    const input: ReadBackInput = { fd: this.fd, layoutFile: layout.file, ctrl: this.ctrl.buffer as SharedArrayBuffer };
    this.worker = startWorker(READBACK_WORKER, input);
    const settled = new Promise<ValidationResult>((resolve, reject) => {
      this.worker.once('message', (m: ItemOf<typeof READBACK_WORKER>) => (m.error !== undefined ? reject(reviveError(m.error)) : resolve(m.result)));
      this.worker.once('error', reject);
      this.worker.once('exit', () => reject(new Error('the read-back worker stopped without a result')));
    });
    this.result = settled.finally(() => this.closeFd());
    this.result.catch(() => undefined); // awaited in phase B, or cancelled
  }

  private closeFd(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    this.fd = null;
  }

  /** every byte is written and fsynced */
  finished(): void {
    Atomics.store(this.ctrl, 0, 1);
    Atomics.notify(this.ctrl, 0);
  }

  cancel(): void {
    void this.worker.terminate().finally(() => this.closeFd());
  }
}

/** Phase A for one file: encode from the DB into a temp file; publish or adopt. */
/** Where a file's data records are read and encoded: 'always' / 'large' files in the encoder worker, or 'never'. */
interface EncoderChoice {
  worker: 'always' | 'large' | 'never';
  chunk: number;
}

/**
 * The file's data records in ranges of `chunk` keys (ADR 0190): the encoder worker reads
 * and encodes the odd ranges on a snapshot while this thread encodes the even ones itself
 * (kw.data on a range) and writes them all in order — the same bytes as kw.data(db, w, …)
 * over the whole file on this thread.
 */
function encodeOnSecondCore(db: Db, w: SyncRecordWriter, kw: KindWriter, layout: Layout, batch: BatchRow, f: BatchFileRow, today: string, chunk: number): void {
  const producer = new SyncProducer(ENCODE_WORKER, { file: db.name, batchId: batch.id, fileSeq: f.seq, layoutFile: layout.file, today, chunkKeys: chunk, start: 1, stride: 2 }, { maxInFlight: 4, youngGenerationMb: 8 });
  try {
    for (let i = 0; ; i++) {
      const keys = keyRange(f.first_request, f.last_request, chunk, i);
      if (keys === null) break;
      if (i % 2 === 0) {
        kw.data(db, w, layout, batch, f, keys);
        continue;
      }
      const c = producer.next();
      if (c === undefined) throw new Error(`write encoder: range ${i} of batch ${batch.id} file ${f.file_number} missing`);
      w.writeEncoded(c);
      producer.recycle([c.bytes.buffer as ArrayBuffer, c.recs.buffer as ArrayBuffer]);
    }
  } finally {
    producer.close();
  }
}

function writeOneFile(db: Db, batch: BatchRow, kw: KindWriter, layout: Layout, header: Header, f: BatchFileRow, dir: string, pattern: string, notes: Msg[], warnings: Msg[], encoder: EncoderChoice): Planned {
  const fileName = fileNameFor(pattern, batch.bank_code, f.file_number, batch.execution_date);
  const finalPath = path.join(dir, fileName);
  if (removeLeftoverTemp(finalPath)) {
    notes.push({ ja: `前回中断した一時ファイルを削除しました（${path.basename(tempPathFor(finalPath))}）。`, en: `removed a temporary file left by an interrupted run (${path.basename(tempPathFor(finalPath))}).` });
  }
  const recLen = layout.recordLength + (SEP_LEN[layout.separator] ?? 2);
  const need = (f.records + 3) * recLen + 64 * 1024;
  const free = freeBytes(dir);
  if (free < need) {
    throw conflict('write.no-space', {
      ja: `${dir} の空き容量が足りません（必要 約${need.toLocaleString()} バイト、空き ${free.toLocaleString()} バイト）。空きのあるUSBメモリを使ってください。`,
      en: `not enough free space in ${dir} (need about ${need} bytes, ${free} free); use media with more space.`,
    });
  }
  const tmp = tempPathFor(finalPath);
  const today = todayTokyo();
  const w = new SyncRecordWriter(tmp, layout, { flags: 'wx', today });
  const readBack = new FollowingReadBack(tmp, layout);
  let done = false;
  try {
    w.header(only(layout, { ...header.values, ...kw.fileHeader?.(f), fileNumber: f.file_number }));
    if (encoder.worker === 'always' || (encoder.worker === 'large' && f.records >= ENCODER_MIN_RECORDS)) {
      encodeOnSecondCore(db, w, kw, layout, batch, f, today, encoder.chunk);
    } else {
      kw.data(db, w, layout, batch, f);
    }
    if (layout.records.trailer) w.trailer();
    if (layout.records.end) w.end();
    const res = w.close();
    done = true;
    readBack.finished();
    if (res.records !== f.records) {
      throw new AppError({
        code: 'write.record-count',
        exit: EXIT.unexpected,
        msg: { ja: `バッチ ${batch.id} ファイル ${f.file_number}: 書いたレコード数 ${res.records} が抽出時の ${f.records} と違います。`, en: `batch ${batch.id} file ${f.file_number}: wrote ${res.records} records, extraction recorded ${f.records}.` },
      });
    }
    if (batch.state === 'written' && f.sha256 !== null && f.sha256 !== res.sha256) {
      throw conflict('write.changed-since-written', {
        ja: `バッチ ${batch.id} は書出し済みですが、今作ると内容が前回（SHA-256 ${f.sha256.slice(0, 12)}…）と異なります（設定が変わった可能性）。前回の媒体を使うか、cancel して抽出し直してください。`,
        en: `batch ${batch.id} was written before, but it would now produce different bytes than then (SHA-256 ${f.sha256.slice(0, 12)}…); settings changed? Use the earlier media, or cancel and extract again.`,
      });
    }
    let adopted = false;
    if (fs.existsSync(finalPath)) {
      const st = fs.statSync(finalPath);
      const same = st.size === res.bytes && hashFileSync(finalPath).sha256 === res.sha256;
      fs.unlinkSync(tmp);
      if (!same) {
        throw conflict('write.exists-different', {
          ja: `${finalPath} は既にあり、このバッチが書く内容と異なります。上書きはしません。別のフォルダを指定するか、そのファイルを確認して移動してください。`,
          en: `${finalPath} already exists and differs from what this batch writes; not overwriting. Choose another folder or check and move that file.`,
        });
      }
      adopted = true;
      readBack.cancel();
      notes.push({ ja: `${fileName} は既に同じ内容で存在するため、そのまま採用しました。`, en: `${fileName} already exists with exactly these bytes: adopted.` });
    } else {
      publish(tmp, finalPath, warnings);
    }
    return { file: f, finalPath, fileName, sha256: res.sha256, bytes: res.bytes, records: res.records, adopted, readBack: adopted ? null : readBack.result };
  } catch (e) {
    readBack.cancel();
    if (!done) w.abort();
    try {
      fs.unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}

/** Read the file back once: its SHA-256 and size must be what was written, and it must validate (the layout; the request rules are not run here, ADR 0178). */
async function verify(file: string, expect: { sha256: string; bytes: number }, layout: Layout): Promise<void> {
  checkReadBack(file, expect, validateFile(file, layout, { hash: 'sha256' }), layout);
}

/** What a read-back must show: the SHA-256 and size written, and a valid file. */
function checkReadBack(file: string, expect: { sha256: string; bytes: number }, v: ValidationResult, layout: Layout): void {
  const back = { sha256: v.sha256 ?? '', bytes: v.bytes };
  if (back.sha256 !== expect.sha256 || back.bytes !== expect.bytes) {
    throw new AppError({
      code: 'write.readback',
      exit: EXIT.unexpected,
      msg: {
        ja: `${file} を読み戻すと書いた内容と一致しません（SHA-256 ${back.sha256.slice(0, 12)}…、${back.bytes} バイト、期待 ${expect.sha256.slice(0, 12)}…、${expect.bytes} バイト）。メディアを交換してやり直してください。`,
        en: `${file}: read-back differs from what was written (SHA-256 ${back.sha256.slice(0, 12)}…, ${back.bytes} bytes; expected ${expect.sha256.slice(0, 12)}…, ${expect.bytes}); replace the media and retry.`,
      },
      location: { file },
    });
  }
  if (!v.valid) {
    throw new AppError({
      code: 'write.invalid',
      exit: EXIT.unexpected,
      msg: { ja: `${file} がレイアウト ${layout.id} の検証に通りません。このファイルは渡さないでください。`, en: `${file} fails validation against layout ${layout.id}; do not deliver it.` },
      location: { file },
      findings: v.findings,
      moreFindings: v.moreFindings,
    });
  }
}

export async function writeBatch(db: Db, batchId: string, opts: WriteOptions): Promise<WriteBatchResult> {
  const limit = opts.limit ?? pLimit(2);
  const operator = currentOperator(opts.operator);
  const batch = getBatch(db, batchId);
  if (!batch) {
    throw noSuchBatch(batchId);
  }
  const kw = kindWriter(batch.kind);
  if (kw === undefined) throw wrongKind(batchId, batch.kind, 'write', ['seizure', 'inquiry', 'instruction']);
  if (batch.state !== 'extracted' && batch.state !== 'written') {
    throw conflict('batch.wrong-state', {
      ja: `バッチ ${batchId} は状態「${batchStateMsg(batch.state).ja}」のため書き出せません（書出しできるのは「抽出済」、再確認は「媒体作成済」）。`,
      en: `batch ${batchId} is '${batchStateMsg(batch.state).en}' and cannot be written (extracted, or written to re-check).`,
    });
  }
  const media = requireDir(opts.media, { ja: '書出し先フォルダ', en: 'media folder' });
  const copyDir = opts.copy !== undefined ? requireDir(opts.copy, { ja: '副本の書出し先フォルダ', en: 'copy folder' }) : null;
  if (copyDir !== null && copyDir === media) {
    throw usageError('write.copy-same', { ja: '--copy には --media と別のフォルダを指定してください。', en: '--copy must be a different folder from --media.' });
  }
  const layout = loadLayout(opts.layout ?? batch.layout_id);
  if (!layout.records.header || !layout.records.data) {
    throw usageError('write.layout', { ja: `レイアウト ${layout.id} にはヘッダーとデータのレコードが必要です。`, en: `layout ${layout.id} needs header and data records.` });
  }
  const header = headerFor(db, batch, kw);
  const pattern = fileNamePatternOf(db, batch.bank_code, batch.kind);
  const files = batchFiles(db, batchId);
  const warnings: Msg[] = [];
  const notes: Msg[] = [];

  // Phase A (sync): encode every file of the batch from the DB.
  const inWorker = producerInWorker(db, opts.engine, 'write');
  const encoder: EncoderChoice = { worker: !inWorker ? 'never' : opts.engine?.producer === 'worker' ? 'always' : 'large', chunk: opts.engine?.chunk ?? 4096 };
  const planned = files.map((f) => writeOneFile(db, batch, kw, layout, header, f, media, pattern, notes, warnings, encoder));

  // Phase B (async, bounded): read back, validate, copy, manifests.
  const createdAt = files[0]?.written_at ?? nowTokyoTimestamp();
  const requestsIn = (f: BatchFileRow): number => f.last_request - f.first_request + 1;
  const out = await Promise.all(
    planned.map((p) =>
      limit(async (): Promise<WrittenFile> => {
        if (p.readBack !== null) checkReadBack(p.finalPath, p, await p.readBack, layout);
        else await verify(p.finalPath, p, layout);
        let copyPath: string | null = null;
        if (copyDir !== null) {
          copyPath = path.join(copyDir, p.fileName);
          if (fs.existsSync(copyPath)) {
            const h = await hashFile(copyPath);
            if (h.sha256 !== p.sha256 || h.bytes !== p.bytes) {
              throw conflict('write.exists-different', {
                ja: `${copyPath} は既にあり、内容が異なります。上書きはしません。`,
                en: `${copyPath} already exists and differs; not overwriting.`,
              });
            }
            removeLeftoverTemp(copyPath);
          } else {
            await copyFileAtomic(p.finalPath, copyPath, warnings);
          }
          await verify(copyPath, p, layout);
        }
        const facts: MediaFileFacts = {
          kind: batch.kind,
          layout: layout.id,
          batch: batch.id,
          fileName: p.fileName,
          fileNumber: p.file.file_number,
          fileSeq: p.file.seq,
          filesInBatch: files.length,
          records: p.records,
          requests: requestsIn(p.file),
          limitTotal: p.file.limit_total,
          sha256: p.sha256,
          bytes: p.bytes,
          createdAt: p.file.written_at ?? createdAt,
          requesterCode: batch.requester_code,
          requesterName: header.requesterName,
          bankCode: batch.bank_code,
          bankName: header.bankName,
          executionDate: batch.execution_date,
          collectionMode: batch.collection_mode,
          historyFrom: batch.history_from,
          instruction: kw.sheetFacts?.(db, batch, p.file) ?? null,
        };
        const manifestPath = `${p.finalPath}.manifest.json`;
        const sheetPath = `${p.finalPath}.totals.html`;
        for (const dir of copyDir !== null ? [media, copyDir] : [media]) {
          writeSmallFile(path.join(dir, path.basename(manifestPath)), manifestJson(facts), warnings);
          writeSmallFile(path.join(dir, path.basename(sheetPath)), totalsSheetHtml(facts), warnings);
        }
        return { path: p.finalPath, sha256: p.sha256, bytes: p.bytes, records: p.records, fileNumber: p.file.file_number, adopted: p.adopted, copyPath, manifestPath, sheetPath };
      }),
    ),
  );

  // Phase C (sync): one transaction.
  db.transaction(() => {
    const now = getBatch(db, batchId);
    if (!now || (now.state !== 'extracted' && now.state !== 'written')) {
      throw conflict('write.state-changed', {
        ja: `書出し中にバッチ ${batchId} の状態が「${now ? batchStateMsg(now.state).ja : '削除'}」に変わりました。媒体のファイルは使わないでください。`,
        en: `batch ${batchId} changed to '${now ? batchStateMsg(now.state).en : 'deleted'}' while writing; do not use the media files.`,
      });
    }
    const at = nowTokyoTimestamp();
    for (const p of planned) setFileWritten(db, batchId, p.file.seq, p.fileName, p.sha256, p.bytes, p.file.written_at ?? at);
    if (now.state === 'extracted') setBatchState(db, batchId, 'written', at);
    audit(
      db,
      {
        action: now.state === 'extracted' ? 'batch.write' : 'batch.write.recheck',
        batchId,
        sha256: planned.length === 1 ? (planned[0] as Planned).sha256 : null,
        details: {
          media,
          copy: copyDir,
          layout: layout.id,
          files: planned.map((p) => ({ name: p.fileName, fileNumber: p.file.file_number, sha256: p.sha256, bytes: p.bytes, records: p.records, adopted: p.adopted })),
          warnings: warnings.map((w) => w.en),
        },
      },
      operator,
    );
  })();

  return { batch: batchId, files: out, warnings, notes };
}

/** Several batches; verify/copy work shares one p-limit(2). Results in the order given; the first failure is rethrown after the others finish. */
export async function writeBatches(db: Db, ids: string[], opts: Omit<WriteOptions, 'limit'>): Promise<{ results: WriteBatchResult[]; errors: Array<{ batch: string; error: unknown }> }> {
  const limit = pLimit(2);
  const settled = await Promise.allSettled(ids.map((id) => writeBatch(db, id, { ...opts, limit })));
  const results: WriteBatchResult[] = [];
  const errors: Array<{ batch: string; error: unknown }> = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') results.push(s.value);
    else errors.push({ batch: ids[i] as string, error: s.reason });
  });
  return { results, errors };
}
