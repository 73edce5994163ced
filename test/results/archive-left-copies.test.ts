/**
 * The archive's temporary copies a killed import left (ADR 0194): prepareArchive removes
 * those whose process no longer runs, and leaves a live process's, its own, and every
 * other file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareArchive } from '../../src/steps/import-results/index.js';
import { fixtureDb, tempDir } from '../helpers/db.js';

describe('prepareArchive: copies left by killed imports', () => {
  it('removes a dead process’s .incoming copy, keeps a live one’s, its own and the archived files', () => {
    const { db } = fixtureDb(tempDir());
    const { archiveDir } = prepareArchive(db, 'answers');
    // a process that has ended: its pid is free (reuse within this test is not expected)
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout.trim());
    expect(deadPid).toBeGreaterThan(0);
    const files = {
      dead: `.incoming.${deadPid}.1796558015558.tmp`,
      deadFast: `.incoming.${deadPid}.1796558015559.fast.tmp`,
      live: `.incoming.${process.ppid}.1796558015560.tmp`,
      own: `.incoming.${process.pid}.1796558015561.tmp`,
      archived: `${'a'.repeat(64)}.dat`,
      odd: '.incoming.notapid.tmp',
    };
    for (const f of Object.values(files)) fs.writeFileSync(path.join(archiveDir, f), 'x');
    const again = prepareArchive(db, 'answers');
    expect(again.archiveDir).toBe(archiveDir);
    expect(fs.readdirSync(archiveDir).sort()).toEqual([files.live, files.own, files.archived, files.odd].sort());
  });
});
