/**
 * Whether a process still runs (signal 0: nothing is sent). EPERM: it runs under another
 * user. Used to tell a file a live process is writing from one a killed process left behind
 * (db/running.ts, the archive's temporary copies in steps/import-results).
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
