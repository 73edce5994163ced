import * as fs from 'node:fs';
import { usageError } from './errors.js';

/** Files the product creates are 0600, directories 0700 (design.md). */
export const FILE_MODE = 0o600;
export const DIR_MODE = 0o700;

/** Write every byte of `b` to `fd` at its current position (fs.writeSync may write fewer). */
export function writeAllSync(fd: number, b: Uint8Array): void {
  for (let off = 0; off < b.length; ) off += fs.writeSync(fd, b, off, b.length - off);
}

export function ensureDir(dir: string): void {
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
}

/** fsync a directory; best effort where the file system cannot (returns false then). */
export function fsyncDir(dir: string): boolean {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
    return true;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * An input file a command was given: a missing path or a folder is a usage error
 * (exit 2) naming the path — never EISDIR/ENOENT as an unexpected failure.
 * `what` names the argument for the message (e.g. "--taxpayers").
 */
export function requireInputFile(file: string, what?: string): void {
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file);
  } catch {
    st = undefined;
  }
  const arg = what ? { ja: `（${what}）`, en: ` (${what})` } : { ja: '', en: '' };
  if (st === undefined) {
    throw usageError('file.not-found', { ja: `ファイル ${file}${arg.ja} が見つかりません。パスを確認してください。`, en: `file ${file}${arg.en} not found; check the path.` }, { file });
  }
  if (!st.isFile()) {
    throw usageError(
      'file.not-a-file',
      {
        ja: `${file}${arg.ja} は${st.isDirectory() ? 'フォルダ' : '通常のファイルではないもの'}です。読み込むファイルのパスを指定してください。`,
        en: `${file}${arg.en} is ${st.isDirectory() ? 'a folder' : 'not a regular file'}; give the path of the file to read.`,
      },
      { file },
    );
  }
}
