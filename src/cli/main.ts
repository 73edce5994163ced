#!/usr/bin/env node
import { reportError, run } from './program.js';

// A reader that goes away (`sashiosae extract … | head -1`) closes our stdout: the
// step's work is done or still running, and its outcome must not turn into a crash
// with a stack trace. Further output is dropped quietly and the exit code stays the
// step's own (issue 13, item 8).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
    throw err;
  });
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err, false);
  },
);
