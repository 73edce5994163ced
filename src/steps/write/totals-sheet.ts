import { batchKindMsg, type BatchKind } from '../../domain/vocabulary.js';

/**
 * What accompanies a request file on the media: a JSON manifest and a printable
 * 合計表 (self-contained HTML, Japanese) with signature lines. No personal data.
 */

export interface MediaFileFacts {
  /** the batch kind: a seizure request or an inquiry (ADR 0125) */
  kind: BatchKind;
  layout: string;
  batch: string;
  fileName: string;
  fileNumber: number;
  fileSeq: number;
  filesInBatch: number;
  records: number;
  requests: number;
  limitTotal: number;
  sha256: string;
  bytes: number;
  createdAt: string;
  requesterCode: string;
  requesterName: string;
  bankCode: string;
  bankName: string;
  executionDate: string;
  collectionMode: 'immediate' | 'deferred' | null;
  /** inquiry: 取引明細開始日 (ISO) or null = no history */
  historyFrom: string | null;
  /** instruction: the seizure file it resolves and its totals (null for the other kinds) */
  instruction: InstructionSheetFacts | null;
}

/** What an instruction file's manifest and 合計表 add (instruction-120.md trailer totals). */
export interface InstructionSheetFacts {
  seizureBatch: string;
  seizureFileNumber: number;
  /** 差押執行日 of the seizure batch (ISO) */
  seizureExecutionDate: string;
  seizedTotal: number;
  collectTotal: number;
  releaseTotal: number;
}

export function manifestJson(f: MediaFileFacts): string {
  return (
    JSON.stringify(
      {
        kind: f.kind,
        layout: f.layout,
        batch: f.batch,
        file: f.fileName,
        fileNumber: f.fileNumber,
        fileSeq: f.fileSeq,
        filesInBatch: f.filesInBatch,
        records: f.records,
        requests: f.requests,
        // keys that do not apply to the kind are null (as in batches --json)
        limitTotal: f.kind === 'seizure' ? f.limitTotal : null,
        sha256: f.sha256,
        bytes: f.bytes,
        createdAt: f.createdAt,
        requesterCode: f.requesterCode,
        bankCode: f.bankCode,
        executionDate: f.executionDate,
        collectionMode: f.collectionMode,
        ...(f.kind === 'inquiry' ? { historyFrom: f.historyFrom } : {}),
        // instruction: executionDate is the 指示日; the seizure file it resolves and the trailer's totals
        ...(f.instruction !== null ? { ...f.instruction } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function yen(n: number): string {
  return `${n.toLocaleString('ja-JP')} 円`;
}

/** Printable 合計表 (A4, self-contained HTML, UTF-8). */
export function totalsSheetHtml(f: MediaFileFacts): string {
  const inquiry = f.kind === 'inquiry';
  const ins = f.instruction;
  const title = inquiry ? '預金照会' : ins !== null ? '取立・解除指示' : '預金差押依頼';
  const fileNo = String(f.fileNumber).padStart(8, '0') + (f.filesInBatch > 1 ? `（${f.filesInBatch}ファイル中 ${f.fileSeq}）` : '');
  const n = (x: number): string => `${x.toLocaleString('ja-JP')} 件`;
  const rows: Array<[string, string]> = [
    ['種別', batchKindMsg(f.kind).ja],
    ['依頼者コード', f.requesterCode],
    ['依頼者名', f.requesterName],
    ['金融機関', `${f.bankCode} ${f.bankName}`],
    ...(ins !== null
      ? ([
          ['指示日', f.executionDate],
          ['指示ファイル番号', fileNo],
          ['差押依頼ファイル番号', String(ins.seizureFileNumber).padStart(8, '0')],
          ['差押執行日', ins.seizureExecutionDate],
          ['差押バッチ', ins.seizureBatch],
          ['ファイル名', f.fileName],
          ['バッチ', f.batch],
          ['指示件数（口座）', n(f.records)],
          ['差押金額合計', yen(ins.seizedTotal)],
          ['取立指示額合計', yen(ins.collectTotal)],
          ['解除額合計', yen(ins.releaseTotal)],
        ] as Array<[string, string]>)
      : inquiry
      ? ([
          ['照会基準日', f.executionDate],
          ['取引明細開始日', f.historyFrom ?? 'なし（明細を求めない）'],
          ['照会ファイル番号', fileNo],
          ['ファイル名', f.fileName],
          ['バッチ', f.batch],
          ['照会件数', n(f.records)],
        ] as Array<[string, string]>)
      : ([
          ['差押執行日', f.executionDate],
          ['取立区分', f.collectionMode === 'deferred' ? '2 取立保留' : '1 即時取立'],
          ['依頼ファイル番号', fileNo],
          ['ファイル名', f.fileName],
          ['バッチ', f.batch],
          ['依頼件数（口座）', n(f.records)],
          ['依頼数（滞納者）', n(f.requests)],
          ['差押限度額合計', yen(f.limitTotal)],
        ] as Array<[string, string]>)),
    ['ファイルサイズ', `${f.bytes.toLocaleString('ja-JP')} バイト`],
    ['SHA-256', f.sha256],
    ['レイアウト', f.layout],
    ['作成日時', f.createdAt],
  ];
  return `<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>${title} 合計表 ${esc(f.fileName)}</title>
<style>
body{font-family:"Hiragino Kaku Gothic ProN","Yu Gothic","Meiryo",sans-serif;margin:2em;color:#000}
h1{font-size:1.4em;text-align:center;letter-spacing:.3em}
table{border-collapse:collapse;width:100%;margin-top:1em}
th,td{border:1px solid #000;padding:.4em .6em;text-align:left;font-size:.95em}
th{width:30%;background:#eee}
td.mono{font-family:monospace;word-break:break-all}
.sign{margin-top:2.5em;display:flex;gap:2em;justify-content:flex-end}
.sign div{border:1px solid #000;width:9em;height:6em;padding:.3em;font-size:.9em}
@media print{body{margin:1cm}}
</style></head><body>
<h1>${title}データ 合計表</h1>
<table>
${rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td${k === 'SHA-256' ? ' class="mono"' : ''}>${esc(v)}</td></tr>`).join('\n')}
</table>
<p>上記のとおり${title}データを提出します。媒体の SHA-256 が上記と一致することを確認してください。</p>
<div class="sign"><div>作成者</div><div>確認者</div><div>受領者（金融機関）</div></div>
</body></html>
`;
}
