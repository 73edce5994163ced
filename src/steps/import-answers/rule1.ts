/**
 * Rule 1 of an inquiry answer (shared/spec/inquiry-300.md "Rules an answer must satisfy"):
 * the header against the inquiry file this system wrote — 種別コード 62, a written file of
 * the bank with that file number, 依頼者コード, 照会基準日, 取引明細開始日 the same, an answer
 * date on or after the base date — and the conflicts (exit 4, thrown at once): the file's
 * answers already imported, the batch not in the written state. One copy for both paths of
 * `import answers` (docs/adr/0188): the one-thread pass runs it when its scanner reaches the
 * header; the fast path runs it on the main thread on the header it read itself.
 */
import { formatTokyoTime } from '../../core/dates.js';
import { AppError, conflict, type Finding } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import type { Db } from '../../db/connection.js';
import { hasInquiryBatches } from '../../db/inquiries.js';
import { filesByNumber, importById, type WrittenFileRow } from '../../db/results.js';
import { batchStateMsg } from '../../domain/vocabulary.js';
import type { Fields } from '../../layout/codec.js';
import type { Layout } from '../../layout/types.js';
import { digitsValue, ymdToIso } from '../import-results/index.js';

/**
 * Rule 1 on the header record `rec` (its place and fields). null: no inquiry file matches
 * (reported, or the layout check reported the file number); else the written file and
 * whether the header agreed with it (`ok`: nothing reported here).
 */
export function answerRule1(db: Db, layout: Layout, rec: { index: number; offset: number; fields: Fields }, fileName: string, report: (f: Finding) => void): { row: WrittenFileRow; ok: boolean } | null {
  const H = layout.records.header!;
  const fl = rec.fields;
  const f = (field: string, code: string, message: Msg, expected: string, found: string): void =>
    report({ code, record: rec.index, offset: rec.offset + (H.byId.get(field)?.offset ?? 0), field, expected, found, message });
  const type = fl['typeCode'] ?? '';
  if (type !== '62') {
    f('typeCode', 'answer.not-an-answer', type === '61'
      ? { ja: '種別コードが 61（照会依頼）です。このシステムが書いた依頼ファイルではなく、銀行から返却された回答ファイル（62）を指定してください', en: 'the 種別コード is 61 (an inquiry request); give the answer file the bank returned (62), not the request this system wrote' }
      : { ja: '種別コードが 62（照会回答）ではありません', en: 'the 種別コード is not 62 (inquiry answer)' }, '62', type);
    return null;
  }
  const bank = fl['bankCode'] ?? '';
  const fileNo = digitsValue(fl['fileNumber']);
  if (fileNo < 0) return null; // the layout check reported the digits
  const rows = filesByNumber(db, bank, fileNo).filter((r) => r.kind === 'inquiry' && r.written_at !== null && r.sha256 !== null);
  if (rows.length === 0) {
    if (!hasInquiryBatches(db, bank)) {
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
    return null;
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
  if (row.results_import_id !== null) throw alreadyAnswered(db, row, row.results_import_id);
  if (row.state !== 'written') {
    throw conflict('batch.wrong-state', {
      ja: `バッチ ${row.batch_id} の状態は「${batchStateMsg(row.state).ja}」のため回答を取り込めません（「${batchStateMsg('written').ja}」である必要があります）`,
      en: `batch ${row.batch_id} is ${batchStateMsg(row.state).en}; answers can only be imported into a written inquiry batch`,
    }, { file: fileName });
  }
  return { row, ok };
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

