/**
 * Issue 13, newcomer friction: commander's own errors are Japanese by default (English
 * with --lang en) and exit 2; `--version` prints package.json's version; counts in the
 * batch list are grouped by thousands.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { extract } from '../../src/steps/extract/extract.js';
import { freshDb, settings, target } from '../extract/helpers.js';
import { built, cli } from './helpers.js';

const pkg = JSON.parse(fs.readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json'), 'utf8')) as { version: string };

describe.skipIf(!built)('CLI: for a newcomer', () => {
  it('--version prints the package version', () => {
    const r = cli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('an unknown option, unknown command or missing argument: Japanese message, exit 2; English with --lang en', () => {
    const cases: Array<{ args: string[]; ja: string; en: string; named: string }> = [
      { args: ['batches', '--frob'], ja: '不明なオプション', en: 'unknown option', named: '--frob' },
      { args: ['frob'], ja: '不明なコマンド', en: 'unknown command', named: 'frob' },
      { args: ['validate'], ja: '指定されていません', en: 'missing argument', named: 'file' },
      { args: ['extract'], ja: '必須のオプション', en: 'required option', named: '--date' },
    ];
    for (const c of cases) {
      const ja = cli(c.args);
      expect({ args: c.args, status: ja.status }).toEqual({ args: c.args, status: 2 });
      expect(ja.stderr).toContain(c.ja);
      expect(ja.stderr).toContain(c.named);
      expect(ja.stderr).not.toMatch(/^error:/m);
      const en = cli(['--lang', 'en', ...c.args]);
      expect(en.status).toBe(2);
      expect(en.stderr).toContain(c.en);
    }
  });

  it('no command at all shows the help and is a usage error (exit 2); asked-for help is exit 0', () => {
    const r = cli([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Usage: sashiosae');
    expect(cli(['--help']).status).toBe(0);
  });

  it('the batch list groups counts by thousands, in aligned columns', () => {
    const { db, file } = freshDb();
    settings(db, { bank: '0184' });
    target(db, 'P1', { honzei: 20_000 });
    target(db, 'P2', { honzei: 20_000 });
    const a = extract(db, { date: '2026-12-01', banks: ['0184'], allowMultipleBanks: true }).batches[0]!;
    db.prepare('UPDATE batches SET requests = 12345, records = 23456 WHERE id = ?').run(a.id);
    db.prepare(`UPDATE batches SET state = 'cancelled' WHERE id = ?`).run(a.id);
    extract(db, { date: '2026-12-01', banks: ['0184'] });
    db.close();
    const r = cli(['--db', file, 'batches']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('12,345');
    expect(r.stdout).toContain('23,456');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const col = (line: string, needle: string): number => stringWidth(line.slice(0, line.indexOf(needle)));
    expect(col(lines[0]!, '執行日')).toBe(col(lines[1]!, '執行日'));
    expect(stringWidth(lines[0]!)).toBe(stringWidth(lines[1]!));
  });
});
