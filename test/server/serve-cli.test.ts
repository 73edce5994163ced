import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from '../cli/helpers.js';

/** `sashiosae serve` (issue 18 item 1): prints its URL on start, answers /healthz, keeps the session secret 0600 beside the database, stops on SIGTERM. */
describe('serve (CLI)', () => {
  it('starts on the given host and port, prints the URL, and stops on SIGTERM', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    const db = path.join(dir, 's.db');
    expect(spawnSync(process.execPath, [CLI, '--db', db, 'init'], { encoding: 'utf8' }).status).toBe(0);
    const child = spawn(process.execPath, [CLI, '--db', db, 'serve', '--host', '127.0.0.1', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString('utf8');
          const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
          if (m) resolve(m[0]);
        });
        child.once('exit', (c) => reject(new Error(`serve exited ${c}`)));
      });
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(200);
      expect((await fetch(`${url}/api/batches`)).status).toBe(401);
      const secret = `${db}.session-secret`;
      expect(fs.statSync(secret).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(secret, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('refuses a port that is not a number (exit 2)', () => {
    const r = spawnSync(process.execPath, [CLI, '--db', path.join(os.tmpdir(), 'none.db'), 'serve', '--port', 'http'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
  });
});
