/**
 * The accountant's jobs (worker side; server/jobs/registry.ts joins them): each calls one
 * step through its index.ts exactly as its CLI command does (src/cli/instruct.ts, write.ts,
 * reconcile.ts, export.ts, documents.ts), with the signed-in user as operator.
 */
import * as path from 'node:path';
import { instruct, type InstructResult } from '../../steps/instruct/index.js';
import { reconcile } from '../../steps/reconcile/index.js';
import { exportReceipts, exportReceiptsXlsx } from '../../steps/export-receipts/index.js';
import { DOCUMENT_KINDS, printDocuments, type DocumentsSummary } from '../../steps/documents/index.js';
import type { JobContext, JobDef, JobFile } from '../jobs/types.js';
import { runWriteJob, type WriteJobArgs } from '../jobs/write-job.js';

export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface InstructArgs {
  batch: string;
  date: string;
  /** `依頼番号-枝番=円`, as `instruct --collect` takes them */
  collect: string[];
  dryRun: boolean;
}

export interface ReconcileArgs {
  batch: string;
  policy?: string;
}

export interface ExportArgs {
  batch: string;
  format: 'csv' | 'xlsx';
  encoding: 'utf8bom' | 'cp932';
}

export interface DocumentsArgs {
  batch: string;
  kinds: DocumentKind[];
  draft: boolean;
}

const BATCH = { ja: 'バッチ', en: 'batch' };

/** The steps without progress of their own: one batch, done or not. */
function oneStep<R>(ctx: JobContext, f: () => R): R {
  ctx.progress({ done: 0, total: 1, label: BATCH });
  const r = f();
  ctx.progress({ done: 1, total: 1, label: BATCH });
  return r;
}

/** The summary of an instruct run (the CLI prints the same facts). */
export type InstructSummary = InstructResult;

export const ACCOUNTANT_JOBS: Record<string, JobDef<never, unknown>> = {
  'accountant.instruct': {
    run(ctx, a: InstructArgs): InstructSummary {
      return oneStep(ctx, () => instruct(ctx.db, a.batch, { date: a.date, collect: a.collect, dryRun: a.dryRun, today: ctx.today, operator: ctx.operator }));
    },
  } as JobDef<never, unknown>,

  'accountant.write-instruction': {
    run: (ctx, a: WriteJobArgs) => runWriteJob(ctx, a),
  } as JobDef<never, unknown>,

  'accountant.reconcile': {
    run(ctx, a: ReconcileArgs) {
      return oneStep(ctx, () => reconcile(ctx.db, a.batch, { ...(a.policy !== undefined ? { policy: a.policy } : {}), operator: ctx.operator }));
    },
  } as JobDef<never, unknown>,

  'accountant.export': {
    async run(ctx, a: ExportArgs) {
      ctx.progress({ done: 0, total: 1, label: BATCH });
      let out;
      let files: JobFile[];
      if (a.format === 'xlsx') {
        const file = path.join(ctx.outDir, `receipts-${a.batch}.xlsx`);
        const x = await exportReceiptsXlsx(ctx.db, a.batch, file, { operator: ctx.operator });
        out = { format: 'xlsx' as const, receipts: x.receipts, honzei: x.honzei, entaikin: x.entaikin, fee: x.fee, alreadyExported: 0 };
        files = [{ name: path.basename(file), path: file, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }];
      } else {
        const file = path.join(ctx.outDir, `receipts-${a.batch}.csv`);
        const r = exportReceipts(ctx.db, a.batch, file, { encoding: a.encoding, operator: ctx.operator });
        out = { format: 'csv' as const, encoding: r.encoding, receipts: r.receipts, honzei: r.honzei, entaikin: r.entaikin, fee: r.fee, sha256: r.sha256, alreadyExported: r.alreadyExported };
        files = [{ name: path.basename(file), path: file, type: r.encoding === 'cp932' ? 'text/csv; charset=shift_jis' : 'text/csv; charset=utf-8' }];
      }
      ctx.progress({ done: 1, total: 1, label: BATCH });
      return { batch: a.batch, ...out, files };
    },
  } as JobDef<never, unknown>,

  'accountant.documents': {
    async run(ctx, a: DocumentsArgs) {
      const outDir = path.join(ctx.outDir, 'documents');
      const r: DocumentsSummary = await printDocuments(ctx.db, a.batch, {
        outDir,
        kinds: a.kinds.length > 0 ? a.kinds : undefined,
        draft: a.draft,
        operator: ctx.operator,
        onProgress: (done, total) => ctx.progress({ done, total, label: { ja: '件（依頼ごとの文書）', en: 'requests laid out' } }),
      });
      const files: JobFile[] = [];
      for (const d of r.documents) {
        files.push({ name: path.basename(d.file), path: path.resolve(outDir, d.file), type: 'application/pdf' });
        files.push({ name: path.basename(d.index), path: path.resolve(outDir, d.index), type: 'text/csv; charset=utf-8' });
      }
      return {
        batch: r.batch,
        draft: r.draft,
        documents: r.documents.map((d) => ({ kind: d.kind, file: path.basename(d.file), index: path.basename(d.index), pages: d.pages, requests: d.requests, numbers: d.numbers, bytes: d.bytes })),
        missingGlyphs: r.missingGlyphs,
        files,
      };
    },
  } as JobDef<never, unknown>,
};
