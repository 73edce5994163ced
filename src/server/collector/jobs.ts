/**
 * The collector's jobs (worker side; server/jobs/registry.ts joins them): each calls one step
 * through its index.ts exactly as its CLI command does (cli/import.ts, inquire.ts, extract.ts,
 * write.ts), with the signed-in user as operator, and returns a summary the job page shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Msg } from '../../core/i18n.js';
import { DIR_MODE, FILE_MODE } from '../../core/fsutil.js';
import { importTargets, type FileRole } from '../../steps/import-targets/index.js';
import type { CsvEncoding } from '../../steps/import-targets/index.js';
import { inquire } from '../../steps/inquire/index.js';
import { extract, type CollectionMode } from '../../steps/extract/index.js';
import { writeBatch } from '../../steps/write/index.js';
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

export interface WriteArgs {
  batch: string;
  /** 'download': into the job's own folder, offered for download; 'media': a folder on the server's disk */
  destination: 'download' | 'media';
  mediaDir?: string;
}

export interface WrittenListing {
  /** shown name (download) or the path on the server (media) */
  name: string;
  what: 'request' | 'manifest' | 'totals';
  bytes: number;
  /** the request file's SHA-256 as its manifest records it */
  sha256: string | null;
  records: number | null;
  adopted: boolean;
}

export interface WriteJobResult {
  batch: string;
  destination: 'download' | 'media';
  mediaDir: string | null;
  written: WrittenListing[];
  notes: Msg[];
  warnings: Msg[];
  files: JobFile[];
}

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

  'collector.write': {
    async run(ctx, a: WriteArgs): Promise<WriteJobResult> {
      const media = a.destination === 'media' ? a.mediaDir! : path.join(ctx.outDir, 'media');
      if (a.destination === 'download') fs.mkdirSync(media, { recursive: true, mode: DIR_MODE });
      ctx.progress({ done: 0, total: 0, label: { ja: '書出し・読み戻し検証中…', en: 'writing and verifying…' } });
      // the same verified media protocol as `sashiosae write BATCH --media DIR`
      const r = await writeBatch(ctx.db, a.batch, { media, operator: ctx.operator });
      const written: WrittenListing[] = [];
      const files: JobFile[] = [];
      const show = (p: string) => (a.destination === 'download' ? path.basename(p) : p);
      for (const f of r.files) {
        const manifest = fs.existsSync(f.manifestPath) ? (JSON.parse(fs.readFileSync(f.manifestPath, 'utf8')) as { sha256?: unknown }) : {};
        const sha256 = typeof manifest.sha256 === 'string' ? manifest.sha256 : null;
        written.push({ name: show(f.path), what: 'request', bytes: fs.statSync(f.path).size, sha256, records: f.records, adopted: f.adopted });
        if (a.destination === 'download') files.push({ name: path.basename(f.path), path: f.path, type: 'application/octet-stream' });
        // manifest and 合計表 are best effort on some media (the step then warns): list those that are there
        for (const [p, what, type] of [
          [f.manifestPath, 'manifest', 'application/json'],
          [f.sheetPath, 'totals', 'text/html; charset=utf-8'],
        ] as const) {
          if (!fs.existsSync(p)) continue;
          written.push({ name: show(p), what, bytes: fs.statSync(p).size, sha256: null, records: null, adopted: false });
          if (a.destination === 'download') files.push({ name: path.basename(p), path: p, type });
        }
      }
      return { batch: r.batch, destination: a.destination, mediaDir: a.destination === 'media' ? media : null, written, notes: r.notes, warnings: r.warnings, files };
    },
  } as JobDef<never, unknown>,
};
