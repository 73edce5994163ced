import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleOutputs } from '../helpers/global-setup.js';

describe('the test run refuses a dist/ older than src/', () => {
  it('names a source edited after its build, and one never built; nothing when all are fresh', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-stale-'));
    fs.mkdirSync(path.join(root, 'src', 'core'), { recursive: true });
    fs.mkdirSync(path.join(root, 'dist', 'core'), { recursive: true });
    const src = path.join(root, 'src', 'core', 'a.ts');
    const out = path.join(root, 'dist', 'core', 'a.js');
    fs.writeFileSync(src, 'export {};');
    fs.writeFileSync(out, 'export {};');
    const past = new Date(Date.UTC(2026, 0, 1));
    const later = new Date(Date.UTC(2026, 0, 2));
    fs.utimesSync(src, past, past);
    fs.utimesSync(out, later, later);
    expect(staleOutputs(root)).toEqual([]);

    fs.utimesSync(src, later, later);
    fs.utimesSync(out, past, past);
    expect(staleOutputs(root)).toEqual([path.join('src', 'core', 'a.ts')]);

    fs.writeFileSync(path.join(root, 'src', 'b.ts'), 'export {};');
    expect(staleOutputs(root)).toContain(path.join('src', 'b.ts'));
  });
});
