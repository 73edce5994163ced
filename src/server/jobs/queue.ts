/**
 * The jobs of the running server (main thread; ADR 0181). One job runs at a time, each in
 * its own worker thread: the server is the one process writing to the database, two users
 * who start the same import at once get it stored once (the second meets the first's
 * archive, exit 4 "already imported"), and the pages stay answerable while a long step runs.
 * Jobs are kept in memory while the server runs (a restart forgets them; what they stored
 * is in the database and its audit log).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { DIR_MODE } from '../../core/fsutil.js';
import { reviveError, workerPath, type SerializedError } from '../../core/sync-worker.js';
import type { AppError } from '../../core/errors.js';
import type { Action } from '../../domain/users.js';
import { JOB_WORKER } from './worker-ref.js';
import type { JobInput, JobMessage, JobProgress } from './types.js';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  id: string;
  name: string;
  /** the user who started it (only they see it and its files) */
  user: string;
  /** the role action it needed (domain/users.ts) */
  action: Action;
  /** the batch it is about, for the page's links */
  batch?: string;
  state: JobState;
  progress?: JobProgress;
  result?: unknown;
  /** an AppError (code, exit, message, location, findings) or another error's message */
  error?: AppError | Error;
  startedAt: number;
  endedAt?: number;
  /** shown instead of the server-side paths in messages (an upload's own name for its private path) */
  aliases: Record<string, string>;
}

export interface StartOptions {
  name: string;
  args: unknown;
  user: string;
  action: Action;
  batch?: string;
  /** files to delete when the job ends (its uploads) */
  cleanup?: string[];
  aliases?: Record<string, string>;
}

type Listener = (job: Job) => void;

export class JobQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly dbPath: string,
    /** where each job's output folder goes (0700) */
    private readonly outRoot: string,
  ) {}

  /** Queue a job; it starts when those before it have ended. */
  start(o: StartOptions): Job {
    const id = randomBytes(12).toString('base64url');
    const job: Job = {
      id,
      name: o.name,
      user: o.user,
      action: o.action,
      ...(o.batch !== undefined ? { batch: o.batch } : {}),
      state: 'queued',
      startedAt: Date.now(),
      aliases: o.aliases ?? {},
    };
    this.jobs.set(id, job);
    this.tail = this.tail.then(() => this.run(job, o).finally(() => cleanup(o.cleanup ?? [])));
    return job;
  }

  get(id: string): Job | undefined {
    return this.jobs.get(id);
  }

  /** Resolves when every job started so far has ended. */
  idle(): Promise<void> {
    return this.tail;
  }

  /** Resolves with the job once it has ended. */
  async finished(id: string): Promise<Job> {
    const job = this.jobs.get(id);
    if (job === undefined) throw new Error(`no job ${id}`);
    if (job.state === 'done' || job.state === 'failed') return job;
    return new Promise((resolve) => {
      const off = this.subscribe(id, (j) => {
        if (j.state === 'done' || j.state === 'failed') {
          off();
          resolve(j);
        }
      });
    });
  }

  /** Called on every change of the job (progress, state); returns the unsubscribe. */
  subscribe(id: string, l: Listener): () => void {
    let set = this.listeners.get(id);
    if (set === undefined) this.listeners.set(id, (set = new Set()));
    set.add(l);
    return () => set.delete(l);
  }

  private emit(job: Job): void {
    for (const l of [...(this.listeners.get(job.id) ?? [])]) l(job);
  }

  private run(job: Job, o: StartOptions): Promise<void> {
    const outDir = path.join(this.outRoot, job.id);
    fs.mkdirSync(outDir, { recursive: true, mode: DIR_MODE });
    job.state = 'running';
    this.emit(job);
    const input: JobInput = { name: o.name, args: o.args, dbPath: this.dbPath, operator: o.user, outDir };
    return new Promise<void>((resolve) => {
      let ended = false;
      const end = (ok: boolean, value: unknown) => {
        if (ended) return;
        ended = true;
        job.endedAt = Date.now();
        if (ok) {
          job.state = 'done';
          job.result = value;
        } else {
          job.state = 'failed';
          job.error = value instanceof Error ? value : new Error(String(value));
        }
        this.emit(job);
        resolve();
      };
      const worker = new Worker(workerPath(JOB_WORKER), { workerData: input });
      worker.on('message', (m: JobMessage) => {
        if (m.type === 'progress') {
          job.progress = m.progress;
          this.emit(job);
        } else if (m.outcome.ok) end(true, m.outcome.result);
        else end(false, reviveError(m.outcome.error as SerializedError));
      });
      worker.on('error', (e) => end(false, e));
      worker.on('exit', (code) => end(false, new Error(`the job's worker ended (exit ${code}) without an outcome`)));
    });
  }
}

function cleanup(files: readonly string[]): void {
  for (const f of files) {
    try {
      fs.rmSync(f, { force: true, recursive: true });
    } catch {
      /* best effort: the folder is private and removed when the server stops */
    }
  }
}
