import { Command, CommanderError } from 'commander';
import { count } from '../core/table.js';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { AppError, EXIT, formatFinding, usageError } from '../core/errors.js';
import { setLang, t, type Msg } from '../core/i18n.js';
import { checkEnvironment } from './environment.js';
import { commands } from './commands.js';
import { busyError, isBusy, markRunning } from '../db/running.js';

/** package.json's version (`sashiosae --version`). */
function packageVersion(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
  return pkg.version;
}

/** Commands that only read the database (or none): they record nothing as running. */
const READ_ONLY = new Set(['batches', 'report', 'inspect', 'validate', 'entaikin', 'bank-sim', 'generate', 'demo', 'settings show', 'users list']);

/** "import targets" for the command being run. */
function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The state of one run: the database in use and the clean-up of its running record. */
const current: { db: string | undefined; done: (() => void) | undefined } = { db: undefined, done: undefined };

/**
 * The CLI only parses arguments and calls a step (design.md). Each command is
 * one file under src/cli/ exporting `register(program)`; commands.ts lists them.
 */
function buildProgram(): Command {
  const program = new Command();
  program
    .name('sashiosae')
    .description('差押 — 預金差押の一括処理 (bulk deposit seizure)')
    .version(packageVersion(), '-V, --version', 'バージョンを表示 / show the version')
    .helpOption('-h, --help', 'ヘルプを表示 / show help')
    .helpCommand('help [command]', 'コマンドのヘルプを表示 / help for a command')
    .option('--db <path>', 'SQLite database / データベース', process.env['SASHIOSAE_DB'] ?? './sashiosae.db')
    .option('--json', 'machine output on stdout / 機械可読出力')
    .option('--lang <lang>', 'ja | en', 'ja')
    .option('--operator <name>', 'operator recorded in the audit log / 監査ログに記録する操作者')
    .exitOverride()
    // commander's own error texts are English: they are printed translated by reportError
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => {} });
  program.hook('preAction', (_thisCommand, actionCommand) => {
    const o = actionCommand.optsWithGlobals();
    const lang = String(o['lang']);
    if (lang !== 'ja' && lang !== 'en') {
      throw usageError('cli.lang', { ja: `--lang は ja か en で指定してください（指定値: ${JSON.stringify(lang)}）。`, en: `--lang must be ja or en (got ${JSON.stringify(lang)}).` });
    }
    setLang(lang);
    checkEnvironment();
    const db = path.resolve(String(o['db']));
    current.db = db;
    const name = commandPath(actionCommand);
    if (!READ_ONLY.has(name) && o['dryRun'] !== true) current.done = markRunning(db, name);
  });
  program.hook('postAction', () => finish());
  for (const register of commands) {
    register(program);
  }
  // every command (and sub-command) reports commander's errors through reportError
  const quiet = (c: Command): void => {
    c.exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: () => {} });
    for (const sub of c.commands) quiet(sub);
  };
  for (const c of program.commands) quiet(c);
  return program;
}

function finish(): void {
  current.done?.();
  current.done = undefined;
}

/** The language asked for on the command line, before commander parses it. */
function langOf(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--lang') return argv[i + 1];
    if (a.startsWith('--lang=')) return a.slice('--lang='.length);
  }
  return undefined;
}

export async function run(argv: string[]): Promise<number> {
  setLang(langOf(argv) === 'en' ? 'en' : 'ja');
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err, argv.includes('--json'));
  } finally {
    finish();
  }
}

/** The first '…' of a commander message (the option, argument or command it is about). */
function quoted(message: string): string {
  return /'([^']*)'/.exec(message)?.[1] ?? '';
}

/** commander's error as a bilingual message (its own texts are English only). */
function commanderMessage(err: CommanderError): Msg {
  const q = quoted(err.message);
  const hint = /\(Did you mean ([^?]+)\?\)/.exec(err.message)?.[1];
  const maybe: Msg = hint ? { ja: `（${hint} のことですか？）`, en: ` (did you mean ${hint}?)` } : { ja: '', en: '' };
  const help: Msg = { ja: '使い方は sashiosae --help（コマンドごとに sashiosae <コマンド> --help）で確認できます。', en: 'see sashiosae --help (or sashiosae <command> --help).' };
  const m = (ja: string, en: string): Msg => ({ ja: `${ja}${maybe.ja}${help.ja}`, en: `${en}${maybe.en}; ${help.en}` });
  switch (err.code) {
    case 'commander.unknownOption':
      return m(`不明なオプション ${q} です。`, `unknown option ${q}`);
    case 'commander.unknownCommand':
      return m(`不明なコマンド ${q} です。`, `unknown command ${q}`);
    case 'commander.missingArgument':
      return m(`引数 ${q} が指定されていません。`, `missing argument ${q}`);
    case 'commander.optionMissingArgument':
      return m(`オプション ${q} に値が指定されていません。`, `option ${q} needs a value`);
    case 'commander.missingMandatoryOptionValue':
      return m(`必須のオプション ${q} が指定されていません。`, `required option ${q} not given`);
    case 'commander.excessArguments':
      return m(`コマンド ${q} への引数が多すぎます。`, `too many arguments for ${q}`);
    case 'commander.conflictingOption':
      return m(`オプションの組み合わせが不正です（${err.message.replace(/^error:\s*/, '')}）。`, err.message.replace(/^error:\s*/, ''));
    case 'commander.invalidArgument':
      return m(`引数の値が不正です（${err.message.replace(/^error:\s*/, '')}）。`, err.message.replace(/^error:\s*/, ''));
    default:
      return m(`コマンドラインが正しくありません（${err.message.replace(/^error:\s*/, '')}）。`, err.message.replace(/^error:\s*/, ''));
  }
}

export function reportError(err: unknown, json: boolean): number {
  if (err instanceof CommanderError) {
    // `sashiosae` (or `sashiosae import`) without a command prints the help on stderr with
    // commander's exit code 1: that is a usage error; asked-for help and --version are 0
    if (err.code === 'commander.help') return err.exitCode === 0 ? 0 : EXIT.usage;
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    err = usageError(`cli.${err.code.replace('commander.', '')}`, commanderMessage(err));
  }
  if (isBusy(err) && current.db !== undefined) err = busyError(current.db, err);
  if (err instanceof AppError) {
    if (json) {
      process.stdout.write(
        JSON.stringify({
          error: { code: err.code, exit: err.exit, message: t(err.msg), location: err.location ?? null },
          findings: err.findings.map((f) => ({ ...f, message: t(f.message) })),
          moreFindings: err.moreFindings,
        }) + '\n',
      );
    }
    process.stderr.write(`${t({ ja: 'エラー', en: 'Error' })}: ${err.describe()}\n`);
    for (const f of err.findings) process.stderr.write(`  - ${formatFinding(f)}\n`);
    if (err.moreFindings > 0) {
      process.stderr.write(t({ ja: `  …ほか ${count(err.moreFindings)} 件の指摘は省略しました\n`, en: `  … and ${count(err.moreFindings)} more findings not shown\n` }));
    }
    return err.exit;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`${t({ ja: '予期しないエラー', en: 'Unexpected error' })}: ${e.message}\n`);
  if (process.env['SASHIOSAE_DEBUG']) process.stderr.write(`${e.stack ?? ''}\n`);
  return EXIT.unexpected;
}
