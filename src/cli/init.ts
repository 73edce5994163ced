import type { Command } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { t } from '../core/i18n.js';
import { compactIfSparse, type Compaction } from '../db/compact.js';
import { openDb } from '../db/connection.js';
import { globals, printJson, say } from './context.js';

/** Versions already recorded in an existing database file (empty for a new one). */
function appliedVersions(file: string): Set<number> {
  if (!fs.existsSync(file)) return new Set();
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!has) return new Set();
    return new Set((db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map((r) => r.version));
  } finally {
    db.close();
  }
}

/** Bytes as MB (10^6, as file managers and ls -h --si show them) with one decimal. */
function mb(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

export function register(program: Command): void {
  program
    .command('init')
    .description('データベースを作成・更新する (create or migrate the database)')
    .action((_o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const file = path.resolve(g.db);
      const before = appliedVersions(file);
      const db = openDb(file);
      let all: Array<{ version: number; name: string }>;
      let compaction: Compaction = null;
      try {
        all = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string }>;
        // an existing file: give back the pages a migration (or deleted rows) left free
        if (before.size > 0) {
          compaction = compactIfSparse(db, (free) => {
            if (!g.json) say(g, t({ ja: `空き領域 ${mb(free)} MB を解放しています（大きなデータベースでは数秒から数十秒かかります）…`, en: `giving back ${mb(free)} MB of free space (seconds to tens of seconds on a large database)…` }));
          });
        }
      } finally {
        db.close();
      }
      const applied = all.filter((m) => !before.has(m.version)).map((m) => m.version);
      const version = all.length ? all[all.length - 1]!.version : 0;
      if (g.json) {
        printJson({ db: file, migrations: applied, schemaVersion: version, compaction });
        return;
      }
      say(g, t({ ja: `データベース: ${file}`, en: `database: ${file}` }));
      say(
        g,
        applied.length
          ? t({ ja: `スキーマを更新しました（適用: ${applied.join(', ')}、現在の版 ${version}）`, en: `schema migrated (applied ${applied.join(', ')}; now version ${version})` })
          : t({ ja: `スキーマは最新です（版 ${version}）`, en: `schema is up to date (version ${version})` }),
      );
      if (compaction === null) return;
      if ('skipped' in compaction) {
        say(
          g,
          compaction.skipped === 'busy'
            ? t({ ja: '別のコマンドがデータベースを使っているため、空き領域の解放はしませんでした（何も変えていません）。そのコマンドが終わってから init をもう一度実行してください。', en: 'another command is using the database, so the free space was not given back (nothing changed); run init again once it has finished.' })
            : t({ ja: 'ディスクの空きが足りないため、空き領域の解放はしませんでした（何も変えていません）。データベースと同じ大きさの空きを作ってから init をもう一度実行してください。', en: 'the disk has too little room, so the free space was not given back (nothing changed); free as much space as the database takes and run init again.' }),
        );
        return;
      }
      say(g, t({ ja: `空き領域を解放しました（${mb(compaction.beforeBytes)} MB → ${mb(compaction.afterBytes)} MB）`, en: `free space given back (${mb(compaction.beforeBytes)} MB → ${mb(compaction.afterBytes)} MB)` }));
    });
}
