/**
 * `sashiosae batches`: every batch, newest first, with its state — how a user finds a
 * batch id again without the extract output (the unknown-batch message points here).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extract } from '../../src/steps/extract/extract.js';
import { freshDb, settings, target } from './helpers.js';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist/cli/main.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe.skipIf(!fs.existsSync(CLI))('CLI: batches', () => {
  it('lists nothing on a new database, then every batch newest first with state and totals', () => {
    const { db, file } = freshDb();
    expect(run(['--db', file, 'batches']).stdout).toContain('バッチはまだありません');
    expect(JSON.parse(run(['--db', file, '--json', 'batches']).stdout)).toEqual({ batches: [] });

    settings(db, { bank: '0184' });
    target(db, 'P1', { honzei: 20_000 });
    const first = extract(db, { date: '2026-12-01' }).batches[0]!;
    db.prepare(`UPDATE batches SET state = 'cancelled', created_at = '2026-12-01T09:00:00+09:00' WHERE id = ?`).run(first.id);
    const second = extract(db, { date: '2026-12-01' }).batches[0]!;
    db.prepare(`UPDATE batches SET created_at = '2026-12-01T10:00:00+09:00' WHERE id = ?`).run(second.id);
    db.close();

    const j = JSON.parse(run(['--db', file, '--json', 'batches']).stdout) as { batches: Array<Record<string, unknown>> };
    expect(j.batches.map((b) => [b['id'], b['state']])).toEqual([
      [second.id, 'extracted'],
      [first.id, 'cancelled'],
    ]);
    expect(j.batches[0]).toMatchObject({ bankCode: '0184', executionDate: '2026-12-01', requests: 1, records: 1, limitTotal: second.limitTotal });

    const human = run(['--db', file, 'batches']);
    expect(human.status).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines[0]).toContain(second.id);
    expect(lines[0]).toContain('抽出済');
    expect(lines[1]).toContain('取消');
    expect(run(['--db', file, '--lang', 'en', 'batches']).stdout).toContain('cancelled');
  });
});
