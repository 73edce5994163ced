/**
 * Jobs of the web application (issue 18; ADR 0181): each step a user starts from a page runs
 * in a worker thread, one at a time, and reports its progress to the page by server-sent
 * events. These are the types both sides share.
 */
import type { Msg } from '../../core/i18n.js';
import type { SerializedError } from '../../core/sync-worker.js';
import type { Db } from '../../db/connection.js';

/** What a job tells the page while it runs: a count of a total (total 0: unknown), and what is counted. */
export interface JobProgress {
  done: number;
  total: number;
  label: Msg;
}

/** A file the job made for the user to download: shown as `name`, read from `path` (a server-side path the job chose). */
export interface JobFile {
  name: string;
  path: string;
  /** MIME type; default application/octet-stream */
  type?: string;
}

/** What the worker side of a job gets. */
export interface JobContext {
  db: Db;
  /** the SQLite database file (steps that open their own connections need it) */
  dbPath: string;
  /** the signed-in user: the audit log's operator */
  operator: string;
  /** a private folder (0700) of this job, for the files it makes; kept while the server runs */
  outDir: string;
  /** today (YYYY-MM-DD, Asia/Tokyo, or SASHIOSAE_TODAY) */
  today: string;
  progress(p: JobProgress): void;
}

/**
 * One kind of job, worker side: `run` calls the step through its index.ts and returns a
 * structured-clonable summary (what the result page shows); `files` in it are offered for
 * download. Registered by name in jobs/registry.ts.
 */
export interface JobDef<A = unknown, R = unknown> {
  run(ctx: JobContext, args: A): R | Promise<R>;
}

/** A job's outcome as it crosses back from the worker. */
export type JobOutcome = { ok: true; result: unknown } | { ok: false; error: SerializedError };

export type JobMessage = { type: 'progress'; progress: JobProgress } | { type: 'outcome'; outcome: JobOutcome };

export interface JobInput {
  name: string;
  args: unknown;
  dbPath: string;
  operator: string;
  outDir: string;
}

/** The summary a job's result may carry: files to download. */
export function filesOf(result: unknown): JobFile[] {
  if (result === null || typeof result !== 'object') return [];
  const files = (result as { files?: unknown }).files;
  if (!Array.isArray(files)) return [];
  return files.filter((f): f is JobFile => f !== null && typeof f === 'object' && typeof (f as JobFile).name === 'string' && typeof (f as JobFile).path === 'string');
}
