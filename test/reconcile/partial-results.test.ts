/** Friction (issue 13): reconcile of a batch whose files' results are partly imported names the missing file numbers. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateBank } from '../../src/bank-sim/index.js';
import { importResults } from '../../src/steps/import-results/import-results.js';
import { reconcile } from '../../src/steps/reconcile/reconcile.js';
import { AppError } from '../../src/core/errors.js';
import { dbFingerprint, makeBatch, newDb } from '../results/fixture.js';

const CLI = path.resolve('dist/cli/main.js');

function partlyImported() {
  const { db, dir, file } = newDb();
  const b = makeBatch(db, dir, { accounts: [1, 1, 1, 1, 1, 1], perFile: 2 });
  expect(b.files.map((f) => f.fileNumber)).toEqual([42, 43, 44]);
  const out = path.join(dir, 'R42.DAT');
  simulateBank({ requestPath: b.files[0]!.path, resultPath: out, seed: 5 });
  importResults(db, out);
  return { db, file, batchId: b.batchId };
}

describe('reconcile of a batch of several files with results missing', () => {
  it('exit 4 naming the file numbers whose results are not imported; nothing changes', () => {
    const { db, batchId } = partlyImported();
    const before = dbFingerprint(db);
    let err: unknown;
    try {
      reconcile(db, batchId, { engine: { producer: 'inline' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.exit).toBe(4);
    expect(e.code).toBe('batch.results-missing');
    expect(e.msg.ja).toContain('43');
    expect(e.msg.ja).toContain('44');
    expect(e.msg.ja).toContain('3 ファイル中 1');
    expect(e.msg.en).toContain('43, 44');
    expect(dbFingerprint(db)).toBe(before);
  });

  it('CLI: exit 4 with the missing file numbers on stderr', () => {
    const { db, file, batchId } = partlyImported();
    db.close();
    const r = spawnSync('node', [CLI, '--db', file, 'reconcile', batchId], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/43.*44/);
  });
});
