/**
 * Step: export a reconciled batch's receipts for the core tax system (cli.md
 * `export receipts`, import-csv.md "never counted twice or lost").
 *
 * Columns: 調定番号, 宛名番号, 収納日, 本税, 延滞金, 督促手数料, バッチID, 依頼番号.
 * The file is written to a temporary file, then — inside one transaction that sets
 * receipts.exported_at and writes the audit row — linked into place without
 * clobbering. If linking fails the transaction rolls back; if the transaction fails
 * the file is not left behind. Refuses an existing output (exit 4).
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import iconv from 'iconv-lite';
import { nowTokyoTimestamp } from '../../core/dates.js';
import { conflict, usageError } from '../../core/errors.js';
import { audit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { RECEIPT_COLUMNS, batchHead, iterateReceipts, markReceiptsExported, receiptCells } from '../../db/report.js';
import { csvLine, csvRows } from '../../core/csv.js';
import { openOutputFile, refuseExisting } from '../../core/output-file.js';
import { noSuchBatch, requireKind } from '../../db/no-such-batch.js';
import { batchStateMsg } from '../../domain/vocabulary.js';

export type ReceiptsEncoding = 'utf8bom' | 'cp932';

const RECEIPTS_HEADER = RECEIPT_COLUMNS.map((c) => c.header);

/** The batch, checked: a seizure batch, reconciled or closed (else exit 4). */
export function exportableBatch(db: Db, batchId: string): void {
  requireKind(db, batchId, 'export receipts');
  const h = batchHead(db, batchId);
  if (h === undefined) {
    throw noSuchBatch(batchId);
  }
  if (h.state !== 'reconciled' && h.state !== 'closed') {
    throw conflict('batch.wrong-state', {
      ja: `バッチ ${batchId} は状態「${batchStateMsg(h.state).ja}」です。収納の出力は消込（reconcile）の後にできます`,
      en: `Batch ${batchId} is "${batchStateMsg(h.state).en}". Receipts can be exported after reconcile`,
    });
  }
}

export interface ExportReceiptsResult {
  batchId: string;
  path: string;
  encoding: ReceiptsEncoding;
  receipts: number;
  honzei: number;
  entaikin: number;
  fee: number;
  bytes: number;
  sha256: string;
  /** receipts that had been exported before (a previous export file exists) */
  alreadyExported: number;
}

export function exportReceipts(
  db: Db,
  batchId: string,
  out: string,
  opts: { encoding?: string; operator?: string } = {},
): ExportReceiptsResult {
  const encoding = (opts.encoding ?? 'utf8bom') as ReceiptsEncoding;
  if (encoding !== 'utf8bom' && encoding !== 'cp932') {
    throw usageError('export.bad-encoding', {
      ja: `文字コード「${opts.encoding}」は指定できません。utf8bom か cp932 を指定してください`,
      en: `Encoding "${opts.encoding}" is not supported. Use utf8bom or cp932`,
    });
  }
  exportableBatch(db, batchId);
  refuseExisting(out);

  const enc = (s: string): Buffer => (encoding === 'cp932' ? iconv.encode(s, 'cp932') : Buffer.from(s, 'utf8'));
  const file = openOutputFile(out, { clobber: false });
  const hash = crypto.createHash('sha256');
  const put = (b: Buffer): void => {
    hash.update(b);
    file.write(b);
  };
  let n = 0;
  let honzei = 0;
  let entaikin = 0;
  let fee = 0;
  let placed = false;
  try {
    if (encoding === 'utf8bom') put(Buffer.from([0xef, 0xbb, 0xbf]));
    put(enc(csvRows([RECEIPTS_HEADER])));
    for (const r of iterateReceipts(db, batchId)) {
      put(enc(csvLine(receiptCells(r))));
      n++;
      honzei += r.honzei;
      entaikin += r.entaikin;
      fee += r.fee;
    }
    const sha256 = hash.digest('hex');
    const at = nowTokyoTimestamp();
    let already = 0;
    db.transaction(() => {
      already = markReceiptsExported(db, batchId, at).already;
      audit(
        db,
        {
          action: 'export.receipts',
          batchId,
          sha256,
          details: { file: out, encoding, receipts: n, honzei, entaikin, fee, alreadyExported: already },
        },
        opts.operator,
      );
      file.commit(); // inside: a failure to place the file rolls the marks back
      placed = true;
    })();
    return { batchId, path: out, encoding, receipts: n, honzei, entaikin, fee, bytes: file.bytes, sha256, alreadyExported: already };
  } catch (e) {
    file.abort();
    if (placed) {
      // the file was placed but the transaction did not commit: do not leave a file the DB does not know about
      fs.rmSync(out, { force: true });
    }
    throw e;
  }
}
