import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Runs a README walkthrough block (between `<!-- MARKER:start -->` and `end`) in a temp
 * folder holding a copy of samples/, `npx sashiosae` as `node dist/cli/main.js`: the
 * README test and the tests that need its database (documents) share it.
 */
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');

export function walkthroughCommands(marker: string): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const m = new RegExp(`<!-- ${marker}:start -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\s*<!-- ${marker}:end -->`).exec(readme);
  if (!m) throw new Error(`README.md has no ${marker} block`);
  return m[1]!.split('\n').map((l) => l.trim()).filter((l) => l.length > 0 && !l.startsWith('#'));
}

export interface Step {
  line: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run one walkthrough block in a new temp folder holding a copy of samples/. */
export function runWalkthrough(marker: string): { dir: string; steps: Step[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-readme-'));
  const steps: Step[] = [];
  fs.cpSync(path.join(root, 'samples'), path.join(dir, 'samples'), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['SASHIOSAE_DB'];
  delete env['SASHIOSAE_TODAY'];
  for (const line of walkthroughCommands(marker)) {
    const words = line.split(/\s+/);
    if (words[0] === 'export') {
      for (const kv of words.slice(1)) {
        const [k, v] = kv.split('=');
        env[k!] = v;
      }
      steps.push({ line, status: 0, stdout: '', stderr: '' });
    } else if (words[0] === 'mkdir') {
      for (const d of words.slice(1).filter((w) => !w.startsWith('-'))) fs.mkdirSync(path.join(dir, d), { recursive: true });
      steps.push({ line, status: 0, stdout: '', stderr: '' });
    } else if (words[0] === 'npx' && words[1] === 'sashiosae') {
      const r = spawnSync(process.execPath, [cli, ...words.slice(2)], { cwd: dir, env, encoding: 'utf8' });
      steps.push({ line, status: r.status, stdout: r.stdout, stderr: r.stderr });
    } else {
      throw new Error(`the walkthrough has a line this test cannot follow: ${line}`);
    }
  }
  return { dir, steps };
}

