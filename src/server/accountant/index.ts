/**
 * The accountant's pages and actions of the web application (issue 18): the holds review
 * and `instruct`, writing instruction batches, `reconcile`, the report as downloads,
 * `export receipts` and `documents` — each through the same step call as its CLI command.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, conflict, EXIT, usageError } from '../../core/errors.js';
import { nowTokyoTimestamp } from '../../core/dates.js';
import type { Lang } from '../../core/i18n.js';
import { batchKindOf, listBatches } from '../../db/batches.js';
import { noSuchBatch, requireDeferredSeizure, requireKind } from '../../db/no-such-batch.js';
import { getPolicy, POLICIES } from '../../domain/allocation.js';
import { isInstructable } from '../../domain/hold.js';
import { mediaDirFromForm } from '../media.js';
import { writeReportCsv } from '../../report/csv.js';
import { renderHtml } from '../../report/html.js';
import { buildInquiryReport, renderInquiryHtml, writeInquiryReportCsv } from '../../report/inquiry.js';
import { buildInstructionReport, renderInstructionHtml, writeInstructionReportCsv } from '../../report/instruction.js';
import { buildReport, buildReportDetails } from '../../report/model.js';
import { writeReportXlsx } from '../../report/xlsx.js';
import { listHolds } from '../../steps/holds/index.js';
import { instruct, recordKey } from '../../steps/instruct/index.js';
import { DOCUMENT_KINDS } from '../../steps/documents/index.js';
import { contentDisposition, sendDownload } from '../downloads.js';
import { formList, formOf, html, langOf, type ServerContext } from '../http.js';
import { startJob } from '../jobs/routes.js';
import type { DocumentKind } from './jobs.js';
import { holdsListPage, holdsReviewPage, reconcileListPage, type ReviewForm } from './pages.js';

type BatchReq = FastifyRequest<{ Params: { id: string } }>;

const formError = (ja: string, en: string) => usageError('http.form', { ja, en });

/** The review form as posted: date, dryRun, collect.<依頼番号-枝番>. */
function reviewFormOf(req: FastifyRequest): ReviewForm {
  const f = formOf(req);
  const collect: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) if (k.startsWith('collect.')) collect[k.slice('collect.'.length)] = v.trim();
  return { date: (f['date'] ?? '').trim(), dryRun: f['dryRun'] !== undefined && f['dryRun'] !== '', collect };
}

const statusOfRefusal = (e: AppError): number => (e.exit === EXIT.usage ? 400 : e.exit === EXIT.conflict ? 409 : 422);

/** A report file written into a private folder of its own, sent, and removed once sent. */
async function sendReportFile(ctx: ServerContext, reply: FastifyReply, name: string, type: string, write: (file: string) => unknown): Promise<FastifyReply> {
  const dir = fs.mkdtempSync(path.join(ctx.tmpRoot, 'report-'));
  const file = path.join(dir, name);
  try {
    await write(file);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  reply.raw.on('close', () => fs.rmSync(dir, { recursive: true, force: true }));
  return sendDownload(reply, file, name, type);
}

export function registerAccountantRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const db = ctx.db;

  app.get('/accountant/holds', { config: { action: 'holds' } }, async (req, reply) => html(reply, 200, holdsListPage(listHolds(db), langOf(req), req.user!, reply.generateCsrf())));

  app.get<{ Params: { batch: string } }>('/accountant/holds/:batch', { config: { action: 'holds' } }, async (req, reply) => {
    const batch = requireDeferredSeizure(db, req.params.batch, 'holds');
    return html(reply, 200, holdsReviewPage(batch, listHolds(db, batch.id), langOf(req), req.user!, reply.generateCsrf()));
  });

  app.post<{ Params: { batch: string } }>('/accountant/holds/:batch/instruct', { config: { action: 'instruct' } }, async (req, reply) => {
    const lang = langOf(req);
    const batch = requireDeferredSeizure(db, req.params.batch, 'instruct');
    const form = reviewFormOf(req);
    const holds = listHolds(db, batch.id);
    const again = (e: AppError) => html(reply, statusOfRefusal(e), holdsReviewPage(batch, holds, lang, req.user!, reply.generateCsrf(), form, e));
    if (form.date === '') return again(formError('指示日を入力してください（YYYY-MM-DD）', 'give the instruction date (YYYY-MM-DD)'));
    // only the amounts that differ from the proposal become overrides, as `instruct --collect REQ-SUB=YEN`
    const byKey = new Map(holds.rows.map((r) => [recordKey(r.requestNumber, r.subNumber), r]));
    const collect: string[] = [];
    for (const [key, raw] of Object.entries(form.collect)) {
      const v = raw.replace(/[,，円\s]/g, '');
      if (!/^\d{1,12}$/.test(v)) return again(formError(`${key} の取立指示額「${raw}」は 0 以上の円の整数で入力してください`, `the collect amount of ${key} (“${raw}”) must be a whole number of yen, 0 or more`));
      const row = byKey.get(key);
      if (row !== undefined && isInstructable(row.state) && Number(v) === row.proposal) continue;
      if (row !== undefined && !isInstructable(row.state)) continue; // not on the form as an input
      collect.push(`${key}=${Number(v)}`);
    }
    // every refusal of instruct (exit 2/4) is shown on this page with nothing stored: a dry run first (it reads only)
    try {
      instruct(db, batch.id, { date: form.date, collect, dryRun: true, operator: req.user!.name });
    } catch (e) {
      if (e instanceof AppError) return again(e);
      throw e;
    }
    return startJob(ctx, req, reply, { name: 'accountant.instruct', args: { batch: batch.id, date: form.date, collect, dryRun: form.dryRun }, action: 'instruct', batch: batch.id });
  });

  app.post<{ Params: { id: string } }>('/accountant/batches/:id/write', { config: { action: 'write-instruction' } }, async (req: BatchReq, reply) => {
    const id = req.params.id;
    requireKind(db, id, 'write-instruction', ['instruction']);
    const f = formOf(req);
    const destination = f['destination'] ?? 'download';
    if (destination !== 'download' && destination !== 'media') throw formError('書出し先は download か media です', 'the destination is download or media');
    const mediaDir = destination === 'media' ? mediaDirFromForm(ctx, f['mediaDir']) : '';
    return startJob(ctx, req, reply, { name: 'accountant.write-instruction', args: { batch: id, destination, ...(destination === 'media' ? { mediaDir } : {}) }, action: 'write-instruction', batch: id });
  });

  app.get('/accountant/reconcile', { config: { action: 'reconcile' } }, async (req, reply) => {
    const ready = listBatches(db).filter((b) => b.kind === 'seizure' && b.state === 'results-imported');
    return html(reply, 200, reconcileListPage(ready, langOf(req), req.user!, reply.generateCsrf()));
  });

  app.post<{ Params: { id: string } }>('/accountant/batches/:id/reconcile', { config: { action: 'reconcile' } }, async (req: BatchReq, reply) => {
    const id = req.params.id;
    requireKind(db, id, 'reconcile');
    const policy = (formOf(req)['policy'] ?? '').trim();
    if (policy !== '' && getPolicy(policy) === undefined) throw formError(`充当ポリシー「${policy}」はありません。使えるもの: ${POLICIES.map((p) => p.name).join(', ')}`, `unknown allocation policy “${policy}”; available: ${POLICIES.map((p) => p.name).join(', ')}`);
    return startJob(ctx, req, reply, { name: 'accountant.reconcile', args: { batch: id, ...(policy !== '' ? { policy } : {}) }, action: 'reconcile', batch: id });
  });

  // the report as downloads: the same bytes as `report --csv / --xlsx / --html` (written here: a report is read in one pass)
  const reportLang = (req: FastifyRequest): Lang => langOf(req);
  app.get<{ Params: { id: string } }>('/accountant/batches/:id/report.csv', { config: { action: 'export' } }, async (req: BatchReq, reply) => {
    const id = req.params.id;
    const lang = reportLang(req);
    const kind = batchKindOf(db, id);
    if (kind === undefined) throw noSuchBatch(id);
    return sendReportFile(ctx, reply, `report-${id}.csv`, 'text/csv; charset=utf-8', (file) =>
      kind === 'inquiry' ? writeInquiryReportCsv(db, buildInquiryReport(db, id), file, lang) : kind === 'instruction' ? writeInstructionReportCsv(buildInstructionReport(db, id), file, lang) : writeReportCsv(db, id, file, lang),
    );
  });
  app.get<{ Params: { id: string } }>('/accountant/batches/:id/report.html', { config: { action: 'export' } }, async (req: BatchReq, reply) => {
    const id = req.params.id;
    const lang = reportLang(req);
    const kind = batchKindOf(db, id);
    if (kind === undefined) throw noSuchBatch(id);
    const at = nowTokyoTimestamp();
    const doc =
      kind === 'inquiry'
        ? renderInquiryHtml(buildInquiryReport(db, id), at, lang)
        : kind === 'instruction'
          ? renderInstructionHtml(buildInstructionReport(db, id), at, lang)
          : (() => {
              const report = buildReport(db, id);
              return renderHtml(report, buildReportDetails(db, id, report), at, lang);
            })();
    return reply.header('content-disposition', contentDisposition(`report-${id}.html`)).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(doc);
  });
  app.get<{ Params: { id: string } }>('/accountant/batches/:id/report.xlsx', { config: { action: 'export' } }, async (req: BatchReq, reply) => {
    const id = req.params.id;
    const kind = batchKindOf(db, id);
    if (kind === undefined) throw noSuchBatch(id);
    if (kind !== 'seizure')
      throw conflict('report.xlsx-kind', {
        ja: `バッチ ${id} は${kind === 'inquiry' ? '照会' : '取立指示'}バッチです。Excel ブックは差押バッチの報告だけです。CSV か HTML をダウンロードしてください`,
        en: `Batch ${id} is ${kind === 'inquiry' ? 'an inquiry' : 'an instruction'} batch. The workbook is a seizure batch's report only; download the CSV or the HTML`,
      });
    const report = buildReport(db, id);
    const details = buildReportDetails(db, id, report);
    return sendReportFile(ctx, reply, `report-${id}.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', (file) => writeReportXlsx(db, id, report, details, file, reportLang(req)));
  });

  app.post<{ Params: { id: string } }>('/accountant/batches/:id/export', { config: { action: 'export' } }, async (req: BatchReq, reply) => {
    const id = req.params.id;
    requireKind(db, id, 'export receipts');
    const f = formOf(req);
    const format = f['format'] ?? 'csv';
    const encoding = f['encoding'] ?? 'utf8bom';
    if (format !== 'csv' && format !== 'xlsx') throw formError('形式は csv か xlsx です', 'the format is csv or xlsx');
    if (encoding !== 'utf8bom' && encoding !== 'cp932') throw formError('文字コードは utf8bom か cp932 です', 'the encoding is utf8bom or cp932');
    return startJob(ctx, req, reply, { name: 'accountant.export', args: { batch: id, format, encoding }, action: 'export', batch: id });
  });

  app.post<{ Params: { id: string } }>('/accountant/batches/:id/documents', { config: { action: 'documents' } }, async (req: BatchReq, reply) => {
    const id = req.params.id;
    requireKind(db, id, 'documents');
    const kinds = formList(req, 'kind');
    for (const k of kinds)
      if (!(DOCUMENT_KINDS as readonly string[]).includes(k)) throw formError(`帳票の種類 ${k} は使えません。seizure-record・notice・release のいずれかです`, `${k} is not a document kind; use seizure-record, notice or release`);
    const draft = (formOf(req)['draft'] ?? '') !== '';
    return startJob(ctx, req, reply, { name: 'accountant.documents', args: { batch: id, kinds: [...new Set(kinds)] as DocumentKind[], draft }, action: 'documents', batch: id });
  });

}
