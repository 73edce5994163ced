import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../cli/helpers.js';

/** users add / list / disable through the built CLI (issue 18 item 2): the password from stdin only, never shown, never audited. */
const PASSWORD = 'correct-horse-battery-staple';
let dir: string;
let db: string;
let log: string;

function run(args: string[], input?: string) {
  return spawnSync(process.execPath, [CLI, '--db', db, ...args], { encoding: 'utf8', input: input ?? '', env: { ...process.env, SASHIOSAE_LOG: log, SASHIOSAE_DB: undefined } });
}

describe('users (CLI)', () => {
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    db = path.join(dir, 's.db');
    log = path.join(dir, 'sashiosae.log');
    expect(run(['init']).status).toBe(0);
  });

  it('adds a user with the password from standard input, lists and disables it, audited with the operator and without the password or hash', () => {
    const add = run(['--operator', 'kanri', 'users', 'add', 'tanaka', '--role', 'collector'], PASSWORD + '\n');
    expect(add.status, add.stderr).toBe(0);
    expect(add.stdout).toContain('tanaka');
    const list = run(['users', 'list', '--json']);
    expect(list.status).toBe(0);
    const doc = JSON.parse(list.stdout) as { users: Array<Record<string, unknown>> };
    expect(doc.users).toEqual([{ name: 'tanaka', role: 'collector', disabled: false, createdAt: expect.any(String) }]);
    const human = run(['users', 'list']);
    expect(human.stdout).toContain('徴収担当');
    const dis = run(['--operator', 'kanri', 'users', 'disable', 'tanaka']);
    expect(dis.status, dis.stderr).toBe(0);
    expect((JSON.parse(run(['users', 'list', '--json']).stdout) as { users: Array<{ disabled: boolean }> }).users[0]!.disabled).toBe(true);

    const d = new Database(db, { readonly: true });
    const hash = (d.prepare('SELECT password_hash FROM users WHERE name = ?').get('tanaka') as { password_hash: string }).password_hash;
    const audit = d.prepare("SELECT operator, action, details FROM audit_log WHERE action LIKE 'users.%' ORDER BY id").all() as Array<{ operator: string; action: string; details: string }>;
    d.close();
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
    expect(hash).not.toContain(PASSWORD);
    expect(audit.map((a) => [a.operator, a.action])).toEqual([
      ['kanri', 'users.add'],
      ['kanri', 'users.disable'],
    ]);
    const everything = [add, list, human, dis].map((r) => r.stdout + r.stderr).join('\n') + audit.map((a) => a.details).join('\n') + fs.readFileSync(log, 'utf8');
    expect(everything).toContain('users.add');
    const hashPart = hash.split('$')[5]!;
    for (const secret of [PASSWORD, hashPart, 'scrypt$']) expect(everything).not.toContain(secret);
  });

  it('refuses a short password, a missing one, an unknown role and a second user of the same name with their exit codes, storing nothing', () => {
    const short = run(['users', 'add', 'suzuki', '--role', 'liaison'], 'elevenchars\n');
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('12');
    expect(short.stderr + short.stdout).not.toContain('elevenchars');
    expect(run(['users', 'add', 'suzuki', '--role', 'liaison'], '').status).toBe(2);
    expect(run(['users', 'add', 'suzuki', '--role', 'boss'], PASSWORD + '\n').status).toBe(2);
    expect(run(['users', 'add', 'tanaka', '--role', 'liaison'], PASSWORD + '\n').status).toBe(4);
    expect(run(['users', 'disable', 'nobody']).status).toBe(2);
    const names = (JSON.parse(run(['users', 'list', '--json']).stdout) as { users: Array<{ name: string }> }).users.map((u) => u.name);
    expect(names).toEqual(['tanaka']);
  });
});
