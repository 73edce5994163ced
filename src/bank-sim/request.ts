/**
 * Reading the file the simulated bank is given (a seizure request, an inquiry request):
 * one streaming pass through the format engine's scanner, every finding kept (up to
 * 1,000) and the whole file refused with exit 3 when there is any — nothing is written
 * then; and the skeleton of the answer written from it (scanAnswer, commitAfter). Shared by the
 * seizure simulator (index.ts), the inquiry answerer (answer.ts) and the instruction
 * simulator (instruction.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { conflict, rejected, type AppError, type Finding } from '../core/errors.js';
import type { OutputFile } from '../core/output-file.js';
import type { SyncRecordWriter } from '../file/writer.js';
import { RecordScanner, type ReadRecord } from '../file/scanner.js';
import type { Layout } from '../layout/types.js';

const MAX_FINDINGS = 1000;

/** Refuse (exit 4) before any work when the output exists: the simulator never overwrites. */
export function ensureAbsent(p: string): void {
  if (fs.existsSync(p)) {
    throw conflict('output.exists', {
      ja: `出力先 ${p} は既に存在します。上書きしません。別の名前を指定するか、既存のファイルを移動してください`,
      en: `the output ${p} already exists and is not overwritten; choose another name or move the existing file`,
    }, { file: p });
  }
}

export class RequestScan {
  readonly fileName: string;
  readonly findings: Finding[] = [];
  more = 0;
  failed = false;

  constructor(
    readonly requestPath: string,
    readonly layout: Layout,
  ) {
    this.fileName = path.basename(requestPath);
  }

  fail(f: Finding): void {
    this.failed = true;
    if (this.findings.length < MAX_FINDINGS) this.findings.push({ file: this.fileName, ...f });
    else this.more++;
  }

  /** The header's 種別コード is not the request's `expected`: the file is refused. */
  wrongType(rec: ReadRecord, expected: string): void {
    this.fail({
      code: 'bank-sim.not-a-request',
      record: rec.index,
      offset: rec.offset + (this.layout.records.header!.byId.get('typeCode')?.offset ?? 0),
      field: 'typeCode',
      expected,
      found: rec.fields['typeCode'] ?? '',
      message: { ja: `種別コードが ${expected}（依頼）ではありません。シミュレーターには依頼ファイルを渡してください`, en: `the 種別コード is not ${expected} (request); give the simulator a request file` },
    });
  }

  /** Scan the whole file; `onRecord` is not called once the file has failed. */
  run(onRecord: (rec: ReadRecord) => void, opts: { raw: boolean }): void {
    const scanner = new RecordScanner(
      this.layout,
      (rec) => {
        if (!this.failed) onRecord(rec);
      },
      { raw: opts.raw, onFinding: (fi) => this.fail(fi) },
    );
    const fd = fs.openSync(this.requestPath, 'r');
    try {
      for (;;) {
        const w = scanner.writable();
        const n = fs.readSync(fd, w, 0, w.length, null);
        if (n === 0) break;
        scanner.commit(n);
      }
      scanner.end();
    } finally {
      fs.closeSync(fd);
    }
  }

  /** The exit-3 refusal of the request, with its findings. */
  refusal(what: { ja: string; en: string }): AppError {
    return rejected(
      'bank-sim.request-invalid',
      {
        ja: `依頼ファイル ${this.fileName} に誤りがあるため、${what.ja}を作成しませんでした（${this.findings.length + this.more} 件）`,
        en: `the request file ${this.fileName} has errors; no ${what.en} was written (${this.findings.length + this.more} problem(s))`,
      },
      this.findings,
      { file: this.fileName },
      this.more,
    );
  }
}

/**
 * Scan the request through `onRecord` into `writer` (on `out`): refused with `what` (exit 3)
 * when the request has errors or no header; on any error the writer and `out` are removed.
 * The writer is closed; `out` is left for the caller to commit (commitAfter).
 */
export function scanAnswer(scan: RequestScan, writer: SyncRecordWriter, out: OutputFile, what: { ja: string; en: string }, opts: { raw: boolean }, onRecord: (rec: ReadRecord) => void): void {
  let header = false;
  try {
    scan.run((rec) => {
      if (rec.kind === 'header') header = true;
      onRecord(rec);
    }, opts);
    if (scan.failed || !header) throw scan.refusal(what);
    writer.close();
  } catch (e) {
    writer.abort();
    out.abort();
    throw e;
  }
}

/** Commit `out` after `before` (the statement, if any); on any error `out` is removed. */
export function commitAfter(out: OutputFile, before: () => void = () => {}): void {
  try {
    before();
    out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
}
