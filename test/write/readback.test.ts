/**
 * The write step's read-back on the second core (ADR 0058): a worker follows the
 * temporary file while it is written — also across the rename that publishes it —
 * and reports exactly what validating the finished file reports (SHA-256, bytes,
 * validity, findings); a corrupted record is found; cancelling does not hang.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FollowingReadBack } from '../../src/steps/write/write.js';
import { validateFile } from '../../src/file/reader.js';
import { loadLayout } from '../../src/layout/load.js';
import { tempDir } from '../helpers/db.js';

const layout = loadLayout('seizure-120');
const sample = fs.readFileSync(fileURLToPath(new URL('../../samples/files/SASHI_0184_00000001.DAT', import.meta.url)));
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Write `bytes` into a new file in small pieces with pauses, renaming it halfway, while a read-back follows. */
async function writeFollowed(bytes: Buffer): Promise<{ back: Awaited<FollowingReadBack['result']>; final: string }> {
  const dir = tempDir();
  const tmp = path.join(dir, '.x.tmp');
  const final = path.join(dir, 'X.DAT');
  const fd = fs.openSync(tmp, 'wx', 0o600);
  const rb = new FollowingReadBack(tmp, layout);
  const piece = 97; // not a multiple of the record length
  for (let off = 0; off < bytes.length; off += piece) {
    fs.writeSync(fd, bytes, off, Math.min(piece, bytes.length - off));
    if (off % (piece * 5) === 0) await pause(3);
    if (off >= bytes.length / 2 && fs.existsSync(tmp)) fs.renameSync(tmp, final);
  }
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  if (fs.existsSync(tmp)) fs.renameSync(tmp, final);
  rb.finished();
  return { back: await rb.result, final };
}

describe('read-back while writing', () => {
  it('reports what validating the finished file reports', async () => {
    const { back, final } = await writeFollowed(sample);
    const after = validateFile(final, layout, { hash: 'sha256' });
    expect(back.valid).toBe(true);
    expect(back.bytes).toBe(sample.length);
    expect(back.sha256).toBe(createHash('sha256').update(sample).digest('hex'));
    expect(back).toEqual(after);
  });

  it('finds a corrupted record, as validating afterwards does', async () => {
    const bad = Buffer.from(sample);
    // a letter in the first data record's 依頼番号 (numeric field; the header is record 0)
    const recLen = 120 + 2;
    bad[recLen + 1] = 0x41;
    const { back, final } = await writeFollowed(bad);
    expect(back.valid).toBe(false);
    expect(back.findings.length).toBeGreaterThan(0);
    expect(back.findings).toEqual(validateFile(final, layout, { hash: 'sha256' }).findings);
  });

  it('cancel() stops the worker; its result rejects instead of hanging', async () => {
    const dir = tempDir();
    const tmp = path.join(dir, '.y.tmp');
    fs.writeFileSync(tmp, sample.subarray(0, 200), { mode: 0o600 });
    const rb = new FollowingReadBack(tmp, layout);
    await pause(20);
    rb.cancel();
    await expect(rb.result).rejects.toThrow();
  });
});
