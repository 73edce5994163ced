import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = path.join(ROOT, 'dist/cli/main.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('sashiosae generate', () => {
  it('writes the export, refuses to overwrite without --force (exit 4), and --json reports counts', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    dirs.push(base);
    const out = path.join(base, 'gen');
    const first = cli('generate', '--out', out, '--taxpayers', '50', '--seed', '11');
    expect(first.code).toBe(0);
    expect(first.out).toContain('滞納者 50 人');
    // no personal data on the console
    const names = fs.readFileSync(path.join(out, 'taxpayers.csv'));
    expect(names.length).toBeGreaterThan(0);
    expect(first.out).not.toMatch(/[ァ-ヶ]{2,}　/);

    const again = cli('generate', '--out', out, '--taxpayers', '50');
    expect(again.code).toBe(4);
    expect(again.err).toContain('--force');

    const forced = cli('--json', 'generate', '--out', out, '--records', '40', '--profile', 'bench', '--encoding', 'utf8', '--force');
    expect(forced.code).toBe(0);
    const doc = JSON.parse(forced.out);
    expect(doc.expected.recordsAtFirstBank).toBe(40);
    expect(doc.accounts).toBe(40);
    expect(fs.readFileSync(path.join(out, 'accounts.csv'), 'utf8').startsWith('宛名番号,')).toBe(true);
  });

  it('a bad option is a usage error (exit 2) with a Japanese message', () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    dirs.push(base);
    const r = cli('generate', '--out', path.join(base, 'x'), '--taxpayers', 'many');
    expect(r.code).toBe(2);
    expect(r.err).toContain('整数');
    const b = cli('generate', '--out', path.join(base, 'y'), '--bank', '9999');
    expect(b.code).toBe(2);
    expect(b.err).toContain('9999');
  });
});
