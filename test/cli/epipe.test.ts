/**
 * Issue 13, item 8: `sashiosae extract … | head -1` — the reader goes away, stdout is
 * closed; the batch is committed and the command must exit with its own code (0),
 * quietly, not with an EPIPE stack trace and exit 1.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freshDb, settings, target } from '../extract/helpers.js';
import { CLI, built, cli } from './helpers.js';

/** Run the CLI with its stdout's reading end closed before it writes anything. */
function runWithClosedStdout(args: string[], closeStderr = false): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SASHIOSAE_TODAY: '2026-11-23' } });
    child.stdout.destroy();
    let stderr = '';
    if (closeStderr) child.stderr.destroy();
    else child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

describe.skipIf(!built)('CLI: stdout closed by its reader', () => {
  it('extract commits its batch and exits 0 quietly', async () => {
    const { db, file } = freshDb();
    settings(db, { bank: '0184' });
    for (let i = 1; i <= 30; i++) target(db, `P${i}`, { honzei: 10_000 + i });
    db.close();
    const r = await runWithClosedStdout(['--db', file, 'extract', '--date', '2026-12-01']);
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).not.toContain('Error');
    expect(r.status).toBe(0);
    const j = JSON.parse(cli(['--db', file, '--json', 'batches']).stdout) as { batches: Array<{ state: string; requests: number }> };
    expect(j.batches).toHaveLength(1);
    expect(j.batches[0]).toMatchObject({ state: 'extracted', requests: 30 });
  });

  it('keeps a failing step\'s own exit code when stdout and stderr are both closed', async () => {
    const { db, file } = freshDb();
    db.close();
    const r = await runWithClosedStdout(['--db', file, '--json', 'report', '0184-99999999'], true);
    expect(r.status).toBe(2); // no such batch: a usage error
  });
});
