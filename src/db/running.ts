/**
 * Who is working on the database. A writing command records itself in a small file
 * beside the database (`<db>.running.json`, 0600: command, process id, start time —
 * no personal data) while it runs; a second command that cannot get the write lock
 * within its wait (SQLITE_BUSY) exits 4 naming that command (ADR 0085).
 */
import * as fs from 'node:fs';
import { AppError, EXIT } from '../core/errors.js';
import { FILE_MODE } from '../core/fsutil.js';
import { processAlive } from '../core/pid.js';

export interface RunningInfo {
  command: string;
  pid: number;
  startedAt: string;
}

function runningFile(db: string): string {
  return `${db}.running.json`;
}

/** The command recorded as running on `db`, if its process still lives. */
function readRunning(db: string): RunningInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(runningFile(db), 'utf8')) as RunningInfo;
    if (typeof info.command !== 'string' || typeof info.pid !== 'number') return null;
    return processAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

/**
 * Record `command` as running on `db` (kept if another live process is recorded
 * already); returns the clean-up, which removes only this process's record.
 */
export function markRunning(db: string, command: string): () => void {
  const file = runningFile(db);
  const write = (): boolean => {
    try {
      const fd = fs.openSync(file, 'wx', FILE_MODE);
      try {
        fs.writeSync(fd, JSON.stringify({ command, pid: process.pid, startedAt: new Date().toISOString() } satisfies RunningInfo));
      } finally {
        fs.closeSync(fd);
      }
      return true;
    } catch {
      return false;
    }
  };
  let mine = write();
  if (!mine && readRunning(db) === null) {
    // a record left by a process that has ended
    try {
      fs.rmSync(file, { force: true });
    } catch {
      /* best effort */
    }
    mine = write();
  }
  return () => {
    if (!mine) return;
    mine = false;
    try {
      const info = JSON.parse(fs.readFileSync(file, 'utf8')) as RunningInfo;
      if (info.pid === process.pid) fs.rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  };
}

/** Whether `err` (or its cause) is SQLite's "database is locked". */
export function isBusy(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e instanceof Error && i < 5; e = e.cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
    if (/database is locked/.test(e.message)) return true;
  }
  return false;
}

/** SQLITE_BUSY as the user's error: exit 4, who is working, and to retry after it ends. */
export function busyError(db: string, cause: unknown): AppError {
  const who = readRunning(db);
  const since = who ? who.startedAt.replace('T', ' ').slice(0, 19) : '';
  return new AppError({
    code: 'db.busy',
    exit: EXIT.conflict,
    msg: who
      ? {
          ja: `別の処理（sashiosae ${who.command}、プロセス ${who.pid}、${since} UTC 開始）がデータベースを更新中です。その処理が終わってから、もう一度実行してください。`,
          en: `another process (sashiosae ${who.command}, process ${who.pid}, started ${since} UTC) is updating the database; run this again after it ends.`,
        }
      : {
          ja: '別の処理がデータベースを更新中です。その処理が終わってから、もう一度実行してください。',
          en: 'another process is updating the database; run this again after it ends.',
        },
    location: { file: db },
    cause,
  });
}
