/**
 * Issue 13 item 6 (cli.md): a file that is not a fixed-width file of any layout — empty,
 * a UTF-8 BOM, random bytes — exits 3 saying what was found at byte 0, for every command
 * that detects a layout (inspect, validate, import results, bank-sim).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixtureDb } from '../helpers/db.js';
import { exampleRecords, joinRecords, tmpDir } from './helpers.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(HERE, '../../dist/cli/main.js');

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-11-23' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const good = joinRecords(exampleRecords(), '\r\n');
const CASES: Array<{ name: string; bytes: Buffer; ja: RegExp; en: RegExp }> = [
  { name: 'empty', bytes: Buffer.alloc(0), ja: /空のファイル/, en: /empty/ },
  { name: 'UTF-8 BOM', bytes: Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), good]), ja: /BOM/, en: /UTF-8 byte order mark/ },
  { name: 'random bytes', bytes: Buffer.from('8a9bc3ff0012e4a1'.repeat(40), 'hex'), ja: /固定長ファイルでもありません.*8A 9B C3 FF/, en: /not a fixed-width file.*8A 9B C3 FF/ },
];

function commands(file: string, dir: string): Array<{ cmd: string; args: string[] }> {
  const db = path.join(dir, 'test.db');
  return [
    { cmd: 'inspect', args: ['inspect', file] },
    { cmd: 'validate', args: ['validate', file] },
    { cmd: 'import results', args: ['--db', db, 'import', 'results', file] },
    { cmd: 'bank-sim', args: ['bank-sim', file, '--out', path.join(dir, 'out.dat')] },
  ];
}

describe('a file that is no fixed-width file: exit 3 saying what is at byte 0', () => {
  for (const c of CASES) {
    it(`${c.name}: exit 3 for inspect, validate, import results, bank-sim (ja and en)`, () => {
      const dir = tmpDir();
      fixtureDb(dir).db.close();
      const file = path.join(dir, 'R.DAT');
      fs.writeFileSync(file, c.bytes);
      for (const { cmd, args } of commands(file, dir)) {
        const ja = run(args);
        expect(ja.code, `${cmd}: ${ja.err}`).toBe(3);
        expect(ja.err, cmd).toMatch(c.ja);
        expect(ja.err, cmd).toContain('バイト位置 0');
        expect(ja.err, cmd).not.toContain('判別できません');
        const en = run(['--lang', 'en', ...args]);
        expect(en.code, cmd).toBe(3);
        expect(en.err, cmd).toMatch(c.en);
        expect(en.err, cmd).toMatch(/byte offset 0/);
      }
      expect(fs.existsSync(path.join(dir, 'out.dat'))).toBe(false);
    });
  }
  it('--json: the error carries code file.not-fixed-width and offset 0', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'R.DAT');
    fs.writeFileSync(file, Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), good]));
    const r = run(['validate', file, '--json']);
    expect(r.code).toBe(3);
    expect(r.out + r.err).toContain('file.not-fixed-width');
  });
  it('a good file is still detected (exit 0)', () => {
    const dir = tmpDir();
    const file = path.join(dir, 'R.DAT');
    fs.writeFileSync(file, good);
    expect(run(['validate', file]).code).toBe(0);
  });
});
