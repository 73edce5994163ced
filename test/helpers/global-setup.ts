/**
 * One temporary folder per test run: every test's os.tmpdir() (and the CLI processes the
 * tests start) point into it, and it is removed when the run ends — the tests' many
 * sashiosae-* folders no longer pile up in /tmp.
 *
 * It also refuses to start when dist/ is older than src/: CLI tests run `node dist/cli/main.js`
 * and workers load from dist/, so a run after editing a source without rebuilding would test
 * the old code and pass or fail for the wrong reason. `npm test` builds first (pretest); a bare
 * `npx vitest run` after an edit stops here with the file to rebuild.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Source files (under src/) whose compiled file in dist/ is missing or older. */
export function staleOutputs(root: string): string[] {
  const stale: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) {
        const out = path.join(root, 'dist', path.relative(path.join(root, 'src'), p)).replace(/\.ts$/, '.js');
        const built = fs.statSync(out, { throwIfNoEntry: false });
        if (!built || built.mtimeMs < fs.statSync(p).mtimeMs) stale.push(path.relative(root, p));
      }
    }
  };
  walk(path.join(root, 'src'));
  return stale;
}

export default function setup(): () => void {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const stale = staleOutputs(root);
  if (stale.length > 0) {
    throw new Error(
      `dist/ is older than src/ (${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ` and ${stale.length - 5} more` : ''}): ` +
        'the CLI tests and the workers would run the old code. Build first: npx tsc -p . (npm test does it for you).',
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-test-run-'));
  process.env['TMPDIR'] = dir;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
