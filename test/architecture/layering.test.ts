/**
 * The one-way layering (docs/architecture.md) is a rule that fails the build: `npm test` runs
 * dependency-cruiser before vitest. These cases show that the rules really catch an arrow that
 * points back, on a small tree made for the purpose, and that this repository has none.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const depcruise = path.join(root, 'node_modules', '.bin', 'depcruise');
const config = path.join(root, '.dependency-cruiser.cjs');

function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(depcruise, ['--config', config, 'src'], { cwd, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

/** A tree with the given files (path → source), and the repository's tsconfig. */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-layers-'));
  fs.copyFileSync(path.join(root, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  for (const [p, src] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, p)), { recursive: true });
    fs.writeFileSync(path.join(dir, p), src);
  }
  return dir;
}

describe('dependency-cruiser keeps the arrows one way', () => {
  it('this repository has no violation', () => {
    const r = cruise(root);
    expect(r.status, r.out).toBe(0);
  });

  const cases: Array<[string, Record<string, string>, string]> = [
    ['domain imports db', { 'src/domain/rule.ts': "import { q } from '../db/q.js';\nexport const r = q;\n", 'src/db/q.ts': 'export const q = 1;\n' }, 'domain-imports-only-core'],
    ['a step imports report', { 'src/steps/x/index.ts': "import { f } from '../../report/f.js';\nexport const x = f;\n", 'src/report/f.ts': 'export const f = 1;\n' }, 'steps-import-no-cli-no-report'],
    ['report imports a step', { 'src/report/r.ts': "import { x } from '../steps/x/index.js';\nexport const r = x;\n", 'src/steps/x/index.ts': 'export const x = 1;\n' }, 'report-imports-no-step'],
    ['the cli reaches inside a step', { 'src/cli/c.ts': "import { w } from '../steps/x/worker.js';\nexport const c = w;\n", 'src/steps/x/worker.ts': 'export const w = 1;\n', 'src/steps/x/index.ts': "export { w } from './worker.js';\n" }, 'a-step-is-entered-through-its-index'],
    ['db imports a step', { 'src/db/d.ts': "import { x } from '../steps/x/index.js';\nexport const d = x;\n", 'src/steps/x/index.ts': 'export const x = 1;\n' }, 'db-imports-no-step'],
  ];
  for (const [what, files, rule] of cases) {
    it(`fails when ${what} (${rule}), naming both files`, () => {
      const r = cruise(tree(files));
      expect(r.status).not.toBe(0);
      expect(r.out).toContain(rule);
      for (const f of Object.keys(files).slice(0, 2)) expect(r.out).toContain(f);
    });
  }
});
