/**
 * documents BATCH --out DIR [--kind …] [--draft] (issue 17 item 1; docs/documents.md;
 * ADR 0170–0172): the legal documents of a seizure batch as PDF, one file per kind,
 * each with its index-<kind>.csv. One transaction: document numbers given (kept on a
 * reprint), pages drawn from requests read a page at a time and streamed to the output
 * files, files put in place, the print audited. Nothing is half-written: on any error
 * every temporary file is removed and the numbers roll back.
 */
import * as path from 'node:path';
import { createRequire } from 'node:module';
import type PDFDocumentClass from 'pdfkit';
import { conflict, usageError } from '../../core/errors.js';
import { csvLine } from '../../core/csv.js';
import { nowTokyoTimestamp } from '../../core/dates.js';
import { openOutputFile, refuseExisting, type OutputFile } from '../../core/output-file.js';
import { audit } from '../../db/audit.js';
import type { Db } from '../../db/connection.js';
import { getBatch, type BatchRow } from '../../db/batches.js';
import { assignDocumentNumbers, countDocumentable, documentNumberRange, documentRequests, thirdDebtor, type DocumentKind } from '../../db/documents.js';
import { requireKind } from '../../db/no-such-batch.js';
import { documentSettings } from '../../settings/index.js';
import { glyphCoverage, printableText, resolveFont, trimLayoutCache } from './font.js';
import { LAYOUTS, PREFIX, type BatchFacts } from './kinds.js';
import { documentNumberText, type Sheet } from './page.js';

/**
 * pdfkit (with fontkit), loaded when documents are first printed (about 25 MB of
 * modules): every other command — and every benchmark stage, whose peak RSS is a
 * target — starts without it.
 */
let pdfkitClass: typeof PDFDocumentClass | null = null;
function pdfkit(): typeof PDFDocumentClass {
  pdfkitClass ??= createRequire(import.meta.url)('pdfkit') as typeof PDFDocumentClass;
  return pdfkitClass;
}

export const DOCUMENT_KINDS: readonly DocumentKind[] = ['seizure-record', 'notice', 'release'];

export interface DocumentsOptions {
  outDir: string;
  /** default: every kind the batch's state allows that has a page */
  kinds?: readonly DocumentKind[] | undefined;
  /** pages marked 見本; authority and collector may be missing */
  draft?: boolean | undefined;
  operator?: string | undefined;
  /** requests read per query (tests; default 500) */
  pageSize?: number | undefined;
  /** called after each request laid out: requests done of all the kinds' requests */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export interface DocumentsSummary {
  batch: string;
  draft: boolean;
  font: string;
  documents: Array<{
    kind: DocumentKind;
    file: string;
    index: string;
    pages: number;
    requests: number;
    /** the kind's document numbers in this batch (first … last, as printed) */
    numbers: { first: string; last: string; newlyAssigned: number };
    bytes: number;
  }>;
  /** characters the font lacks, printed as 〓: by kind and 宛名番号 */
  missingGlyphs: Array<{ kind: DocumentKind; taxpayer: string; characters: number }>;
}

const KIND_LABEL: Readonly<Record<DocumentKind, { ja: string; en: string }>> = {
  'seizure-record': { ja: '差押調書（謄本）', en: 'seizure records (差押調書)' },
  notice: { ja: '債権差押通知書', en: 'seizure notices (債権差押通知書)' },
  release: { ja: '差押解除通知書', en: 'release notices (差押解除通知書)' },
};

/** The kinds a batch's state allows: notices once written, the rest once results are in. */
export function kindsAllowed(state: BatchRow['state']): DocumentKind[] {
  if (state === 'written') return ['notice'];
  if (state === 'results-imported' || state === 'reconciled' || state === 'closed') return [...DOCUMENT_KINDS];
  return [];
}

export function outputNames(kind: DocumentKind): { pdf: string; index: string } {
  return { pdf: `${kind}.pdf`, index: `index-${kind}.csv` };
}

interface Open {
  kind: DocumentKind;
  pdf: OutputFile;
  index: OutputFile;
  doc: PDFKit.PDFDocument;
  tail: string;
}

export async function printDocuments(db: Db, batchId: string, opts: DocumentsOptions): Promise<DocumentsSummary> {
  requireKind(db, batchId, 'documents', ['seizure']);
  const batch = getBatch(db, batchId) as BatchRow;
  const draft = opts.draft === true;
  const settings = documentSettings(db);
  if (!draft) {
    const missing = (['authority', 'collector'] as const).filter((k) => settings[k] === undefined);
    if (missing.length > 0) {
      throw usageError('documents.settings-missing', {
        ja: `設定 ${missing.join('・')}（${missing.map((k) => (k === 'authority' ? '執行機関' : '徴収職員')).join('・')}）がありません。settings load で設定するか、見本なら --draft を付けてください`,
        en: `the setting ${missing.join(' and ')} is missing; set it with settings load, or add --draft for sample pages (見本)`,
      });
    }
  }
  const font = resolveFont(settings.documentFont);
  const allowed = kindsAllowed(batch.state);
  const asked = opts.kinds !== undefined && opts.kinds.length > 0 ? [...new Set(opts.kinds)] : undefined;
  for (const k of asked ?? []) {
    if (!allowed.includes(k)) {
      throw conflict('documents.wrong-state', {
        ja: `バッチ ${batchId} は状態 ${batch.state} です。${KIND_LABEL[k].ja}は${k === 'notice' ? '書き出し（write）後' : '結果の取込（import results）後'}に作れます`,
        en: `batch ${batchId} is ${batch.state}; ${KIND_LABEL[k].en} can be made ${k === 'notice' ? 'once it is written' : 'once its results are imported'}`,
      });
    }
  }
  const counts = new Map<DocumentKind, number>((asked ?? allowed).map((k) => [k, countDocumentable(db, batchId, k)]));
  for (const k of asked ?? []) {
    if (counts.get(k) === 0) {
      throw conflict('documents.nothing-to-print', {
        ja: `バッチ ${batchId} には${KIND_LABEL[k].ja}にする依頼がありません（${k === 'release' ? '解除額のある取立指示の結果がありません' : k === 'seizure-record' ? '差押金額のある結果がありません' : '依頼がありません'}）`,
        en: `batch ${batchId} has nothing for ${KIND_LABEL[k].en} (${k === 'release' ? 'no imported instruction result releases anything' : k === 'seizure-record' ? 'no result seized anything' : 'no requests'})`,
      });
    }
  }
  const kinds = (asked ?? allowed).filter((k) => (counts.get(k) ?? 0) > 0);
  // progress: requests laid out of all the kinds' requests (countDocumentable counts requests)
  const toLayOut = kinds.reduce((n, k) => n + (counts.get(k) ?? 0), 0);
  let laidOut = 0;
  if (kinds.length === 0) {
    throw conflict('documents.nothing-to-print', {
      ja: `バッチ ${batchId}（状態 ${batch.state}）には作れる帳票がありません。債権差押通知書は write の後、差押調書は import results の後に作れます`,
      en: `batch ${batchId} (${batch.state}) has no document to print yet: notices once written, seizure records once results are imported`,
    });
  }
  for (const k of kinds) {
    const n = outputNames(k);
    refuseExisting(path.join(opts.outDir, n.pdf));
    refuseExisting(path.join(opts.outDir, n.index));
  }

  const bank = thirdDebtor(db, batch.bank_code);
  const facts: BatchFacts = {
    executionDate: batch.execution_date,
    collectionMode: batch.collection_mode ?? 'immediate',
    bankCode: bank.bankCode,
    bankName: bank.bankName,
    authority: settings.authority ?? '（見本）',
    collector: settings.collector ?? '（見本）',
  };

  const open: Open[] = [];
  try {
    for (const kind of kinds) {
      const n = outputNames(kind);
      const pdf = openOutputFile(path.join(opts.outDir, n.pdf), { clobber: false });
      const index = openOutputFile(path.join(opts.outDir, n.index), { clobber: false });
      const doc = new (pdfkit())({ size: 'A4', autoFirstPage: false, info: { Title: KIND_LABEL[kind].ja, Producer: 'sashiosae', Creator: 'sashiosae documents' } });
      const o: Open = { kind, pdf, index, doc, tail: '' };
      doc.on('data', (chunk: Buffer) => {
        pdf.write(chunk);
        o.tail = chunk.subarray(Math.max(0, chunk.length - 16)).toString('latin1');
      });
      open.push(o);
    }
    // pdfkit's stream starts flowing on the next turn; from then on every chunk reaches
    // the output file synchronously, so the rest runs inside one database transaction.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const summary = db.transaction((): DocumentsSummary => {
      const at = nowTokyoTimestamp();
      const out: DocumentsSummary = { batch: batchId, draft, font: font.path, documents: [], missingGlyphs: [] };
      for (const o of open) {
        const newly = assignDocumentNumbers(db, batchId, o.kind, at);
        o.doc.registerFont('document', font.path, font.family);
        o.doc.font('document');
        const has = glyphCoverage(o.doc);
        const missing = new Map<string, number>();
        const sheet: Sheet = {
          doc: o.doc,
          draft,
          printable(text, atena) {
            const r = printableText(text, has);
            if (r.missing > 0) missing.set(atena, (missing.get(atena) ?? 0) + r.missing);
            return r.text;
          },
        };
        o.index.write('\uFEFF' + csvLine(['ページ', '依頼番号', '宛名番号', '文書番号']));
        let pages = 0;
        let requests = 0;
        const layout = LAYOUTS[o.kind];
        for (const page of documentRequests(db, batchId, o.kind, opts.pageSize)) {
          for (const r of page) {
            const drawn = layout(sheet, facts, r);
            const numberText = documentNumberText(PREFIX[o.kind], r.number);
            for (let i = 0; i < drawn; i++) o.index.write(csvLine([++pages, r.requestNumber, r.atena, numberText]));
            requests++;
            opts.onProgress?.(++laidOut, toLayOut);
          }
          trimLayoutCache(o.doc);
        }
        o.doc.end();
        if (o.doc.readableLength !== 0 || !o.tail.includes('%%EOF')) throw new Error(`pdfkit did not finish ${o.kind} synchronously`);
        const range = documentNumberRange(db, batchId, o.kind)!;
        for (const [taxpayer, characters] of missing) out.missingGlyphs.push({ kind: o.kind, taxpayer, characters });
        out.documents.push({
          kind: o.kind,
          file: o.pdf.path,
          index: o.index.path,
          pages,
          requests,
          numbers: { first: documentNumberText(PREFIX[o.kind], range.first), last: documentNumberText(PREFIX[o.kind], range.last), newlyAssigned: newly },
          bytes: o.pdf.bytes,
        });
        audit(
          db,
          {
            action: 'documents.print',
            batchId,
            details: { kind: o.kind, numbers: { first: range.first, last: range.last }, newlyAssigned: newly, pages, requests, draft, missingGlyphs: missing.size },
          },
          opts.operator,
        );
      }
      for (const o of open) {
        o.pdf.commit();
        o.index.commit();
      }
      return out;
    })();
    return summary;
  } catch (e) {
    for (const o of open) {
      o.pdf.abort();
      o.index.abort();
    }
    throw e;
  }
}
