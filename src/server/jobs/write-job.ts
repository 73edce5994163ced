/**
 * The write step as a job (worker side), the one every area that writes a batch's files runs
 * (the collector's inquiry and seizure batches, the accountant's instruction batches): the
 * same `writeBatches` as `sashiosae write BATCH --media DIR`, into the media folder the
 * page named, or — `download` — into the job's own private folder `media/`; every file it
 * wrote (the data file, its manifest and its totals sheet) is offered for download.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DIR_MODE } from '../../core/fsutil.js';
import type { Msg } from '../../core/i18n.js';
import { writeBatches } from '../../steps/write/index.js';
import type { JobContext, JobFile } from './types.js';

export interface WriteJobArgs {
  batch: string;
  destination: 'download' | 'media';
  /** the media folder on the server's machine (destination media) */
  mediaDir?: string;
}

export interface WriteJobResult {
  batch: string;
  destination: 'download' | 'media';
  /** the server folder written into (destination media), else null */
  mediaDir: string | null;
  /** each data file written: its name, and the SHA-256 its manifest records */
  written: Array<{ name: string; sha256: string; bytes: number; records: number; fileNumber: number; adopted: boolean }>;
  warnings: Msg[];
  notes: Msg[];
  files: JobFile[];
}

const TYPES: Array<[RegExp, string]> = [
  [/\.manifest\.json$/, 'application/json'],
  [/\.totals\.html$/, 'text/html; charset=utf-8'],
];
const typeOf = (name: string): string => TYPES.find(([re]) => re.test(name))?.[1] ?? 'application/octet-stream';

export async function runWriteJob(ctx: JobContext, args: WriteJobArgs): Promise<WriteJobResult> {
  let media: string;
  if (args.destination === 'media') media = args.mediaDir ?? '';
  else {
    media = path.join(ctx.outDir, 'media');
    fs.mkdirSync(media, { recursive: true, mode: DIR_MODE });
  }
  ctx.progress({ done: 0, total: 1, label: { ja: 'バッチ', en: 'batch' } });
  const { results, errors } = await writeBatches(ctx.db, [args.batch], { media, operator: ctx.operator });
  if (errors.length > 0) throw errors[0]!.error;
  ctx.progress({ done: 1, total: 1, label: { ja: 'バッチ', en: 'batch' } });
  const r = results[0]!;
  const files: JobFile[] = [];
  // the manifest and the 合計表 are best effort on some media (the step then warns): those that are there
  for (const f of r.files) for (const p of [f.path, f.manifestPath, f.sheetPath]) if (fs.existsSync(p)) files.push({ name: path.basename(p), path: p, type: typeOf(p) });
  return {
    batch: r.batch,
    destination: args.destination,
    mediaDir: args.destination === 'media' ? media : null,
    written: r.files.map((f) => ({ name: path.basename(f.path), sha256: f.sha256, bytes: f.bytes, records: f.records, fileNumber: f.fileNumber, adopted: f.adopted })),
    warnings: r.warnings,
    notes: r.notes,
    files,
  };
}
