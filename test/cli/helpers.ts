/** Running the built CLI (dist/cli/main.js) as a user would, and holding the database's write lock from another process. */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
export const built = fs.existsSync(CLI);

export function cli(args: string[], env: Record<string, string | undefined> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-23', ...env } });
}

const HOLDER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2]);
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT INTO audit_log (at, operator, action, details) VALUES ('t', 'holder', 'hold', '{}')").run();
process.stdout.write('held\\n');
process.stdin.on('data', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
`;

/**
 * Another process that opens `db` with better-sqlite3 and holds a write transaction
 * (BEGIN IMMEDIATE) until release(): resolves once the lock is held.
 */
export async function holdWriteLock(db: string): Promise<{ child: ChildProcess; release(): Promise<void> }> {
  const bs3 = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/better-sqlite3');
  const child = spawn(process.execPath, ['-e', HOLDER, bs3, db], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`lock holder exited ${c}`)));
  });
  return {
    child,
    release: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin!.write('x');
      }),
  };
}
