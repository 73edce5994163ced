/**
 * The collector's jobs (worker side; server/jobs/registry.ts joins them): each calls one step
 * through its index.ts exactly as its CLI command does (cli/import.ts, inquire.ts, extract.ts,
 * write.ts), with the signed-in user as operator, and returns a summary the job page shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Msg } from '../../core/i18n.js';
import { FILE_MODE } from '../../core/fsutil.js';
import { importTargets, type FileRole } from '../../steps/import-targets/index.js';
import type { CsvEncoding } from '../../steps/import-targets/index.js';
import { inquire } from '../../steps/inquire/index.js';
import { extract, type CollectionMode } from '../../steps/extract/index.js';
import { runWriteJob, type WriteJobArgs, type WriteJobResult } from '../jobs/write-job.js';
import type { JobContext, JobDef, JobFile } from '../jobs/types.js';
import { ROLE_LABEL, ROLES } from './labels.js';

export interface ImportArgs {
  /** server-side paths of the uploads, by role */
  files: Partial<Record<FileRole, string>>;
  /** the browser's name of each upload (shown, never a path) */
  names: Partial<Record<FileRole, string>>;
  asOf?: string;
  encoding?: CsvEncoding;
  skipInvalid: boolean;
  maxRejectRate?: number;
}

export interface ImportJobResult {
  import: number;
  asOf: string;
  perFile: Array<{ role: FileRole; name: string; rows: number; encoding: CsvEncoding; rejected: number }>;
  withAccounts: boolean;
  inactivated: { taxpayers: number; debts: number; accounts: number };
  receiptsIncluded: number;
  paymentMismatches: number;
  mismatchChotei: string[];
  debtsWithoutHistory: number;
  rejected: number;
  files: JobFile[];
}

export interface InquireArgs {
  date: string;
  banks: string[];
  historyDays?: number;
  reinquireAfter?: number;
  dryRun: boolean;
}

export interface ExtractArgs {
  date: string;
  banks: string[];
  collection?: CollectionMode;
  minAmount?: number;
  maxAccountAge?: number;
  allowMultipleBanks: boolean;
  dryRun: boolean;
}

export type WriteArgs = WriteJobArgs;
export type { WriteJobResult };

const selectionProgress =
  (ctx: JobContext, label: Msg) =>
  (done: number, total: number): void =>
    ctx.progress({ done, total, label });

export const COLLECTOR_JOBS: Record<string, JobDef<never, unknown>> = {
  'collector.import-targets': {
    async run(ctx, a: ImportArgs): Promise<ImportJobResult> {
      const s = await importTargets(ctx.db, {
        taxpayers: a.files.taxpayers!,
        debts: a.files.debts!,
        accounts: a.files.accounts,
        payments: a.files.payments,
        asOf: a.asOf,
        encoding: a.encoding,
        skipInvalid: a.skipInvalid,
        maxRejectRate: a.maxRejectRate,
        operator: ctx.operator,
        onProgress: (p) => {
          const name = a.names[p.role] ?? p.role;
          ctx.progress({ done: p.rows, total: 0, label: { ja: `行（${ROLE_LABEL[p.role].ja} ${name}）`, en: `rows (${ROLE_LABEL[p.role].en} ${name})` } });
        },
      });
      // the reject files sit beside the uploads, which are removed when the job ends: keep them in the job's own folder
      const files: JobFile[] = [];
      for (const role of ROLES) {
        const input = a.files[role];
        if (input === undefined) continue;
        const rejectFile = `${input}.rejected.csv`;
        if (!s.rejectFiles.includes(rejectFile)) continue;
        const name = `${a.names[role] ?? role}.rejected.csv`;
        const kept = path.join(ctx.outDir, `${role}.rejected.csv`);
        fs.copyFileSync(rejectFile, kept);
        fs.chmodSync(kept, FILE_MODE);
        files.push({ name, path: kept, type: 'text/csv; charset=utf-8' });
      }
      return {
        import: s.import,
        asOf: s.asOf,
        perFile: ROLES.filter((r) => s.encodings[r] !== undefined).map((role) => ({
          role,
          name: a.names[role] ?? role,
          rows: s[role],
          encoding: s.encodings[role]!,
          rejected: s.rejectedByFile[role] ?? 0,
        })),
        withAccounts: s.withAccounts,
        inactivated: s.inactivated,
        receiptsIncluded: s.receiptsIncluded,
        paymentMismatches: s.paymentMismatches,
        mismatchChotei: s.mismatchChotei.slice(0, 100),
        debtsWithoutHistory: s.debtsWithoutHistory,
        rejected: s.rejected,
        files,
      };
    },
  } as JobDef<never, unknown>,

  'collector.inquire': {
    run(ctx, a: InquireArgs) {
      const r = inquire(ctx.db, {
        date: a.date,
        banks: a.banks,
        ...(a.historyDays !== undefined ? { historyDays: a.historyDays } : {}),
        ...(a.reinquireAfter !== undefined ? { reinquireAfter: a.reinquireAfter } : {}),
        dryRun: a.dryRun,
        operator: ctx.operator,
        onProgress: selectionProgress(ctx, { ja: '人（照会対象の抽出）', en: 'taxpayers (selecting)' }),
      });
      return { ...r };
    },
  } as JobDef<never, unknown>,

  'collector.extract': {
    run(ctx, a: ExtractArgs) {
      const r = extract(ctx.db, {
        date: a.date,
        banks: a.banks,
        ...(a.collection !== undefined ? { collection: a.collection } : {}),
        ...(a.minAmount !== undefined ? { minAmount: a.minAmount } : {}),
        ...(a.maxAccountAge !== undefined ? { maxAccountAge: a.maxAccountAge } : {}),
        allowMultipleBanks: a.allowMultipleBanks,
        dryRun: a.dryRun,
        operator: ctx.operator,
        onProgress: selectionProgress(ctx, { ja: '人（差押対象の抽出）', en: 'taxpayers (extracting)' }),
      });
      return { ...r };
    },
  } as JobDef<never, unknown>,

  // the same verified media protocol as `sashiosae write BATCH --media DIR` (server/jobs/write-job.ts)
  'collector.write': {
    run: (ctx, a: WriteArgs) => runWriteJob(ctx, a),
  } as JobDef<never, unknown>,
};
