/**
 * `extract --exclusions FILE`: who was left out and why, one row per exclusion as
 * stored in `exclusions` — 宛名番号, reason code, Japanese reason, bank code (where
 * the reason concerns one bank), detail (調定番号/bank codes/limit: no personal data).
 * UTF-8 with BOM for spreadsheet software, CRLF, mode 0600, never over an existing
 * file (exit 4) — written with the report's writer (core/output-file.ts) and moved into
 * place only once the extract has succeeded.
 */
import { REASON_LABELS, type ExclusionReason } from '../../domain/eligibility.js';
import { csvLine, csvRows } from '../../core/csv.js';
import { openOutputFile } from '../../core/output-file.js';

const EXCLUSIONS_HEADER = ['宛名番号', '理由コード', '理由', '金融機関コード', '詳細'];

export interface ExclusionList {
  add(atena: string, bankCode: string | null, reason: string, detail: string | null): void;
  /** link the file into place; returns the rows written */
  commit(): number;
  abort(): void;
}

/** Open the list (refuses an existing file, exit 4, before anything is done). `labels`: a step's own words for some reasons (inquire's INQUIRE_REASON_LABELS), else REASON_LABELS. */
export function openExclusionList(file: string, labels: Partial<Record<ExclusionReason, { ja: string }>> = {}): ExclusionList {
  const out = openOutputFile(file, { clobber: false });
  let rows = 0;
  out.write('\uFEFF');
  out.write(csvRows([EXCLUSIONS_HEADER]));
  return {
    add(atena, bankCode, reason, detail) {
      out.write(csvLine([atena, reason, (labels[reason as ExclusionReason] ?? REASON_LABELS[reason as ExclusionReason])?.ja ?? '', bankCode, detail]));
      rows++;
    },
    commit() {
      out.commit();
      return rows;
    },
    abort() {
      out.abort();
    },
  };
}
