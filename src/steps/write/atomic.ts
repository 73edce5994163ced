/**
 * Media writing protocol (docs/adr/0043-media-writing-protocol.md): a file
 * appears on the media only complete and synced.
 *
 *   temp name  .<final>.sashiosae-tmp   (deterministic: a re-run finds and removes it)
 *   write → fsync(file) → chmod 0600 → rename → fsync(dir) → read back
 *
 * The data fsync and the read-back are never skipped. chmod and the directory
 * fsync are best effort (FAT/exFAT cannot keep modes or sync a directory): a
 * failure becomes a warning.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError, EXIT } from '../../core/errors.js';
import { FILE_MODE, fsyncDir, writeAllSync } from '../../core/fsutil.js';
import type { Msg } from '../../core/i18n.js';

const TEMP_SUFFIX = '.sashiosae-tmp';

export function tempPathFor(finalPath: string): string {
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}${TEMP_SUFFIX}`);
}

/** Remove a leftover temp file of ours for this final path; true when one was removed. */
export function removeLeftoverTemp(finalPath: string): boolean {
  const tmp = tempPathFor(finalPath);
  try {
    fs.unlinkSync(tmp);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** chmod 0600 then rename temp → final, then fsync the directory; best-effort steps push warnings. */
export function publish(tmp: string, finalPath: string, warnings: Msg[]): void {
  try {
    fs.chmodSync(tmp, FILE_MODE);
    const st = fs.statSync(tmp);
    if ((st.mode & 0o777) !== FILE_MODE) throw new Error(`mode ${(st.mode & 0o777).toString(8)}`);
  } catch {
    warnings.push({
      ja: `${path.basename(finalPath)}: このメディアではファイルの権限を 0600 にできません（FAT/exFAT など）。USB の保管に注意してください。`,
      en: `${path.basename(finalPath)}: the media cannot keep mode 0600 (FAT/exFAT?); keep the USB stick safe.`,
    });
  }
  fs.renameSync(tmp, finalPath);
  if (!fsyncDir(path.dirname(finalPath))) {
    warnings.push({
      ja: `${path.dirname(finalPath)}: フォルダの同期（fsync）ができませんでした（FAT/exFAT など）。取り外す前に「安全な取り外し」を行ってください。`,
      en: `${path.dirname(finalPath)}: could not fsync the directory (FAT/exFAT?); eject the media safely before removing it.`,
    });
  }
}

/** Write a small file (manifest, 合計表) by the same protocol. Overwrites an existing one. */
export function writeSmallFile(finalPath: string, data: string, warnings: Msg[]): void {
  removeLeftoverTemp(finalPath);
  const tmp = tempPathFor(finalPath);
  const fd = fs.openSync(tmp, 'wx', FILE_MODE);
  try {
    writeAllSync(fd, Buffer.from(data, 'utf8'));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  publish(tmp, finalPath, warnings);
  const back = fs.readFileSync(finalPath, 'utf8');
  if (back !== data) {
    throw new AppError({
      code: 'write.readback',
      exit: EXIT.unexpected,
      msg: { ja: `${finalPath} を読み戻した内容が書いた内容と一致しません。メディアを交換してやり直してください。`, en: `${finalPath}: what was read back differs from what was written; replace the media and retry.` },
      location: { file: finalPath },
    });
  }
}

/** SHA-256 and size of a file, streamed (never the whole file in memory). */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes };
}

/** Same, synchronously (used where the caller cannot await). */
export function hashFileSync(file: string): { sha256: string; bytes: number } {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      bytes += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { sha256: h.digest('hex'), bytes };
}

/** Copy src to finalPath by the protocol (temp, fsync, rename, dir fsync). */
export async function copyFileAtomic(src: string, finalPath: string, warnings: Msg[]): Promise<void> {
  removeLeftoverTemp(finalPath);
  const tmp = tempPathFor(finalPath);
  await fs.promises.copyFile(src, tmp, fs.constants.COPYFILE_EXCL);
  const fh = await fs.promises.open(tmp, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  publish(tmp, finalPath, warnings);
}

/** Free bytes for an unprivileged user on the file system holding dir. */
export function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}
