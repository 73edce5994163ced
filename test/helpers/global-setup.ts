/**
 * One temporary folder per test run: every test's os.tmpdir() (and the CLI processes the
 * tests start) point into it, and it is removed when the run ends — the tests' many
 * sashiosae-* folders no longer pile up in /tmp.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export default function setup(): () => void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-test-run-'));
  process.env['TMPDIR'] = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
