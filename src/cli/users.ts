import * as fs from 'node:fs';
import * as readline from 'node:readline';
import type { Command } from 'commander';
import { usageError } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { openDb } from '../db/connection.js';
import { ROLE_LABELS } from '../domain/users.js';
import { addUser, disableUserByName, listUsers } from '../steps/users/index.js';
import { globals, printJson, say } from './context.js';
import { formatTable } from '../core/table.js';

/** The password: the first line of standard input; on a terminal asked for without echo. Never printed. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write(t({ ja: 'パスワード（12 文字以上、表示されません）: ', en: 'password (12 characters or more, not shown): ' }));
    const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
    const line = await new Promise<string>((resolve) => rl.question('', resolve));
    rl.close();
    process.stderr.write('\n');
    return line;
  }
  let text: string;
  try {
    text = fs.readFileSync(0, 'utf8');
  } catch {
    text = '';
  }
  const line = text.split(/\r?\n/)[0] ?? '';
  if (line === '')
    throw usageError('users.no-password', { ja: 'パスワードを標準入力から渡してください（引数では渡せません）', en: 'give the password on standard input (never as an argument)' });
  return line;
}

/** `sashiosae users add NAME --role R` · `users list [--json]` · `users disable NAME` (cli.md; issue 18 item 2). */
export function register(program: Command): void {
  const users = program.command('users').description('Web アプリの利用者 (users of the web application)');
  users
    .command('add')
    .description('利用者を追加（パスワードは標準入力から） / add a user (password from standard input)')
    .argument('<name>', '利用者名 / user name')
    .requiredOption('--role <role>', 'collector | liaison | accountant | admin')
    .action(async (name: string, o: { role: string }, cmd: Command) => {
      const g = globals(cmd);
      const password = await readPassword();
      const db = openDb(g.db, { mustExist: true });
      try {
        const u = addUser(db, name, o.role, password, g.operator !== undefined ? { operator: g.operator } : {});
        if (g.json) printJson({ user: u.name, role: u.role, createdAt: u.createdAt });
        else say(g, t({ ja: `利用者 ${u.name}（${ROLE_LABELS[u.role].ja}）を追加しました`, en: `user ${u.name} (${ROLE_LABELS[u.role].en}) added` }));
      } finally {
        db.close();
      }
    });
  users
    .command('list')
    .description('利用者の一覧 / list users')
    .action((_o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        const rows = listUsers(db);
        if (g.json) {
          printJson({ users: rows.map((u) => ({ name: u.name, role: u.role, disabled: u.disabled, createdAt: u.createdAt })) });
          return;
        }
        if (rows.length === 0) {
          say(g, t({ ja: '利用者はまだいません（sashiosae users add NAME --role ROLE）', en: 'no users yet (sashiosae users add NAME --role ROLE)' }));
          return;
        }
        const table = formatTable(
          rows.map((u) => [u.name, u.role, t(ROLE_LABELS[u.role]), u.disabled ? t({ ja: '無効', en: 'disabled' }) : t({ ja: '有効', en: 'enabled' }), u.createdAt]),
          ['left', 'left', 'left', 'left', 'left'],
        );
        for (const line of table) say(g, line);
      } finally {
        db.close();
      }
    });
  users
    .command('disable')
    .description('利用者を無効にする / disable a user')
    .argument('<name>', '利用者名 / user name')
    .action((name: string, _o: unknown, cmd: Command) => {
      const g = globals(cmd);
      const db = openDb(g.db, { mustExist: true });
      try {
        disableUserByName(db, name, g.operator !== undefined ? { operator: g.operator } : {});
        if (g.json) printJson({ user: name, disabled: true });
        else say(g, t({ ja: `利用者 ${name} を無効にしました（サインインできません）`, en: `user ${name} disabled (cannot sign in)` }));
      } finally {
        db.close();
      }
    });
}
