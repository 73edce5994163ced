/** Detect the layout of a file on disk from its first bytes. */
import * as fs from 'node:fs';
import { AppError } from '../core/errors.js';
import { detectLayout } from '../layout/detect.js';
import type { Layout } from '../layout/types.js';
import { openForRead } from './reader.js';

/** The first `n` bytes of a file (fewer if it is shorter). */
function readHead(file: string, n = 4096): Buffer {
  const fd = openForRead(file);
  try {
    const buf = Buffer.alloc(n);
    let got = 0;
    while (got < n) {
      const r = fs.readSync(fd, buf, got, n - got, got);
      if (r === 0) break;
      got += r;
    }
    return buf.subarray(0, got);
  } finally {
    fs.closeSync(fd);
  }
}

/** The layout of `file`, detected from its first 8 KiB; errors carry the file's name. */
export function detectFileLayout(file: string, candidates?: Layout[]): Layout {
  try {
    const head = readHead(file, 8192);
    return candidates ? detectLayout(head, candidates) : detectLayout(head);
  } catch (e) {
    if (e instanceof AppError && e.location?.file === undefined) {
      throw new AppError({ code: e.code, exit: e.exit, msg: e.msg, location: { file, ...e.location }, findings: e.findings, cause: e });
    }
    throw e;
  }
}
