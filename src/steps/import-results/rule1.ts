/**
 * Rule 1 of a result file (shared/spec/seizure-120.md): its header names a request file this
 * system wrote — same 金融機関コード and 依頼ファイル番号, 依頼者コード, 差押執行日 and
 * 取立区分 — whose batch can take results. Used by both paths of import-results.ts (the
 * fast path on the worker's header, the full check on its own).
 */
import { formatTokyoTime } from '../../core/dates.js';
import { conflict, type AppError, type Finding, type Location } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import type { Db } from '../../db/connection.js';
import { filesByNumber, importById, type WrittenFileRow } from '../../db/results.js';
import { batchKindMsg, batchStateMsg } from '../../domain/vocabulary.js';
import type { Layout } from '../../layout/types.js';
import { digitsValue } from './result-rules.js';

/** Rule 1 on the header: the batch file, or findings / a conflict. */
export function findTarget(db: Db, fields: Record<string, string>, rec: { index: number; offset: number }, layout: Layout, report: (f: Finding) => void): WrittenFileRow | null {
  const H = layout.records.header!;
  const at = (id: string): number => rec.offset + (H.byId.get(id)?.offset ?? 0);
  const f = (field: string, code: string, message: Msg, expected: string, found: string): void =>
    report({ code, record: rec.index, offset: at(field), field, expected, found, message });
  if (fields['typeCode'] !== '52') {
    f('typeCode', 'result.not-a-result', {
      ja: '種別コードが 52（結果）ではありません。依頼ファイル（51）ではなく銀行から返却された結果ファイルを指定してください',
      en: 'the 種別コード is not 52 (result); give the result file the bank returned, not the request file (51)',
    }, '52', fields['typeCode'] ?? '');
    return null;
  }
  const bank = fields['bankCode'] ?? '';
  const fileNo = digitsValue(fields['fileNumber']);
  if (fileNo < 0) return null; // digit error already reported by the layout check
  const written = filesByNumber(db, bank, fileNo).filter((r) => r.written_at !== null && r.sha256 !== null);
  const rows = written.filter((r) => r.kind === 'seizure');
  const other = written.find((r) => r.kind !== 'seizure');
  if (rows.length === 0 && other !== undefined) {
    // one file-number sequence per bank for every kind (inquiry-300.md "File numbers"): the number is another kind's file
    const kind = batchKindMsg(other.kind);
    f('fileNumber', 'result.file-of-other-kind', {
      ja: `金融機関コード ${bank} のファイル番号 ${fileNo} は${kind.ja}のファイル（バッチ ${other.batch_id}）で、差押依頼ファイルではありません。ファイルの取り違えがないか確認してください`,
      en: `file number ${fileNo} of bank ${bank} is a ${kind.en} file (batch ${other.batch_id}), not a seizure request; check that this is the right file`,
    }, '(差押依頼ファイルの番号 / a seizure request file number)', fields['fileNumber'] ?? '');
    return null;
  }
  if (rows.length === 0) {
    f('fileNumber', 'result.unknown-file', {
      ja: `金融機関コード ${bank} の依頼ファイル番号 ${fileNo} の依頼ファイルをこのシステムは作成していません。ファイルの取り違えがないか確認してください`,
      en: `this system wrote no request file number ${fileNo} for bank ${bank}; check that this is the right file`,
    }, '(このシステムが作成した依頼ファイル番号 / a file number this system wrote)', fields['fileNumber'] ?? '');
    return null;
  }
  const exec = fields['executionDate'] ?? '';
  const req = fields['requesterCode'] ?? '';
  const row = rows.find((r) => r.requester_code === req && r.execution_date.replaceAll('-', '') === exec) ?? null;
  if (row === null) {
    const r0 = rows[0]!;
    if (r0.requester_code !== req) {
      f('requesterCode', 'result.requester-mismatch', {
        ja: '依頼者コードが依頼ファイルと一致しません。別の団体のファイルでないか確認してください',
        en: 'the requester code differs from the request file; check the file is not another requester’s',
      }, r0.requester_code, req);
    }
    if (r0.execution_date.replaceAll('-', '') !== exec) {
      f('executionDate', 'result.execution-date-mismatch', {
        ja: '差押執行日が依頼ファイルと一致しません',
        en: 'the execution date differs from the request file',
      }, r0.execution_date.replaceAll('-', ''), exec);
    }
    return null;
  }
  // state conflicts: exit 4 at once, nothing read further, nothing changed
  if (row.results_import_id !== null) throw alreadyImported(db, row, row.results_import_id, { field: 'fileNumber' });
  if (row.state !== 'written' && row.state !== 'results-imported') {
    throw conflict('batch.wrong-state', {
      ja: `バッチ ${row.batch_id} の状態は「${batchStateMsg(row.state).ja}」のため結果を取り込めません（「${batchStateMsg('written').ja}」である必要があります）`,
      en: `batch ${row.batch_id} is ${batchStateMsg(row.state).en}; results can only be imported into a written batch`,
    });
  }
  const mode = fields['collectionMode'];
  const expMode = row.collection_mode === 'immediate' ? '1' : '2';
  if (mode !== expMode) {
    f('collectionMode', 'result.mode-mismatch', {
      ja: '取立区分が依頼ファイルと一致しません（結果ファイルは依頼ファイルのヘッダーを返すこと）',
      en: 'the collection mode differs from the request file (a result echoes the request header)',
    }, expMode, mode ?? '');
  }
  return row;
}

/**
 * results.already-imported (exit 4): the request file already has results — at the header
 * (rule 1), or found inside the store's transaction when another process imported
 * meanwhile. Names the import and its time (Japan time) when known.
 */
export function alreadyImported(db: Db, row: WrittenFileRow, importId: number | null, location?: Location): AppError {
  const prev = importId === null ? undefined : importById(db, importId);
  const which = (lang: 'ja' | 'en'): string =>
    importId === null ? '' : lang === 'ja' ? `（取込ID ${importId}、${prev ? formatTokyoTime(prev.imported_at, 'ja') : ''}）` : ` (import ${importId}, ${prev ? formatTokyoTime(prev.imported_at, 'en') : ''})`;
  return conflict('results.already-imported', {
    ja: `バッチ ${row.batch_id} の依頼ファイル番号 ${row.file_number} の結果は取込済みです${which('ja')}。同じ結果を二重に取り込むことはできません`,
    en: `the results of batch ${row.batch_id}, file number ${row.file_number} were already imported${which('en')}; results cannot be imported twice`,
  }, location);
}
