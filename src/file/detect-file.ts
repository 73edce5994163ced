/** Detect the layout of a file on disk from its first bytes. */
import * as fs from 'node:fs';
import { AppError } from '../core/errors.js';
import { detectLayout } from '../layout/detect.js';
import type { Layout } from '../layout/types.js';
import { openForRead } from './reader.js';

/** The first `n` bytes of a file (fewer if it is shorter). */
export function readHead(file: string, n = 4096): Buffer {
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

export function detectFileLayout(file: string, candidates?: Layout[]): Layout {
  try {
    return candidates ? detectLayout(readHead(file), candidates) : detectLayout(readHead(file));
  } catch (e) {
    if (e instanceof AppError && e.location === undefined) {
      throw new AppError({ code: e.code, exit: e.exit, msg: e.msg, location: { file }, cause: e });
    }
    throw e;
  }
}
