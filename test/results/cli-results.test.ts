import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateBank } from '../../src/bank-sim/index.js';
import { makeBatch, newDb } from './fixture.js';

const CLI = path.resolve('dist/cli/main.js');

describe('CLI import results', () => {
  it('--json contract; a failed import shows no holder name and no whole account number', () => {
    const { db, dir, file } = newDb();
    const b = makeBatch(db, dir, { accounts: [1, 2, 3] });
    const accounts = (db.prepare('SELECT account_number FROM request_records').all() as Array<{ account_number: string }>).map((r) => r.account_number);
    db.close();
    const out = path.join(dir, 'R.DAT');
    simulateBank({ requestPath: b.files[0]!.path, resultPath: out, seed: 2 });
    // a broken copy: account number of record 2 changed, a lowercase letter in a name, trailer off
    const bad = Buffer.from(fs.readFileSync(out));
    Buffer.from('9999999', 'latin1').copy(bad, 2 * 122 + 17);
    Buffer.from('x', 'latin1').copy(bad, 3 * 122 + 30);
    const badFile = path.join(dir, 'BAD.DAT');
    fs.writeFileSync(badFile, bad);
    for (const lang of ['ja', 'en']) {
      const r = spawnSync('node', [CLI, '--db', file, '--lang', lang, 'import', 'results', badFile], { encoding: 'utf8' });
      expect(r.status).toBe(3);
      const all = r.stdout + r.stderr;
      expect(all).toContain('accountNumber');
      expect(all).not.toMatch(/ﾔﾏﾀﾞ|ﾀﾛｳ|19700401|9999999/);
      for (const a of accounts) expect(all).not.toContain(a);
    }
    const j = spawnSync('node', [CLI, '--db', file, 'import', 'results', badFile, '--json'], { encoding: 'utf8' });
    expect(j.status).toBe(3);
    expect(j.stdout).not.toMatch(/ﾔﾏﾀﾞ|9999999/);
    const ok = spawnSync('node', [CLI, '--db', file, 'import', 'results', out, '--json'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    const doc = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['import', 'batch', 'fileNumber', 'records', 'results', 'seized', 'collected', 'batchState']);
    expect(doc).toMatchObject({ batch: b.batchId, fileNumber: 42, records: 6, batchState: 'results-imported' });
    const again = spawnSync('node', [CLI, '--db', file, 'import', 'results', out], { encoding: 'utf8' });
    expect(again.status).toBe(4);
    const human = spawnSync('node', [CLI, '--db', file, 'import', 'results', badFile], { encoding: 'utf8' });
    expect(human.status).toBe(4); // batch already has results: a state conflict wins over the findings
  });
});
