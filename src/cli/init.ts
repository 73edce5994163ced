import type { Command } from 'commander';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { t } from '../core/i18n.js';
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
      try {
        all = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as Array<{ version: number; name: string }>;
      } finally {
        db.close();
      }
      const applied = all.filter((m) => !before.has(m.version)).map((m) => m.version);
      const version = all.length ? all[all.length - 1]!.version : 0;
      if (g.json) {
        printJson({ db: file, migrations: applied, schemaVersion: version });
        return;
      }
      say(g, t({ ja: `データベース: ${file}`, en: `database: ${file}` }));
      say(
        g,
        applied.length
          ? t({ ja: `スキーマを更新しました（適用: ${applied.join(', ')}、現在の版 ${version}）`, en: `schema migrated (applied ${applied.join(', ')}; now version ${version})` })
          : t({ ja: `スキーマは最新です（版 ${version}）`, en: `schema is up to date (version ${version})` }),
      );
    });
}
