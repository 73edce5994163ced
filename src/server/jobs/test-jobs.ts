/**
 * Jobs the server's own tests start (the queue, progress by SSE, errors, files): they touch
 * no table. Only names starting `test.` — no route starts them; tests call the queue.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError, EXIT } from '../../core/errors.js';
import { FILE_MODE } from '../../core/fsutil.js';
import type { JobDef } from './types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const TEST_JOBS: Record<string, JobDef<never, unknown>> = {
  'test.count': {
    async run(ctx, args: { to: number; delayMs?: number }) {
      for (let i = 1; i <= args.to; i++) {
        ctx.progress({ done: i, total: args.to, label: { ja: '件', en: 'items' } });
        if (args.delayMs) await sleep(args.delayMs);
      }
      const file = path.join(ctx.outDir, 'count.txt');
      fs.writeFileSync(file, `${args.to}\n`, { mode: FILE_MODE });
      return { counted: args.to, operator: ctx.operator, files: [{ name: 'count.txt', path: file, type: 'text/plain' }] };
    },
  } as JobDef<never, unknown>,
  'test.fail': {
    run() {
      throw new AppError({
        code: 'file.not-fixed-width',
        exit: EXIT.rejected,
        msg: { ja: 'テストの失敗', en: 'a test failure' },
        findings: [{ code: 'field.digits', file: 'x.dat', offset: 120, record: 2, field: '差押金額', message: { ja: '桁が違います', en: 'wrong digits' } }],
      });
    },
  } as JobDef<never, unknown>,
  /** holds the database's write lock (BEGIN IMMEDIATE, nothing written) until the file `release` exists: a CLI command meeting the server's write (liaison tests) */
  'test.hold-write': {
    async run(ctx, args: { release: string }) {
      ctx.db.exec('BEGIN IMMEDIATE');
      try {
        ctx.progress({ done: 0, total: 0, label: { ja: '書き込みロックを保持しています', en: 'holding the write lock' } });
        while (!fs.existsSync(args.release)) await sleep(20);
      } finally {
        ctx.db.exec('ROLLBACK');
      }
      return { held: true };
    },
  } as JobDef<never, unknown>,
};
