import { Command, CommanderError } from 'commander';
import { AppError, EXIT, formatFinding } from '../core/errors.js';
import { setLang, t } from '../core/i18n.js';
import { commands } from './commands.js';

/**
 * The CLI only parses arguments and calls a step (design.md). Each command is
 * one file under src/cli/ exporting `register(program)`; commands.ts lists them.
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('sashiosae')
    .description('差押 — 預金差押の一括処理 (bulk deposit seizure)')
    .option('--db <path>', 'SQLite database / データベース', process.env['SASHIOSAE_DB'] ?? './sashiosae.db')
    .option('--json', 'machine output on stdout / 機械可読出力')
    .option('--lang <lang>', 'ja | en', 'ja')
    .option('--operator <name>', 'operator recorded in the audit log / 監査ログに記録する操作者')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  program.hook('preAction', (thisCommand) => {
    const lang = thisCommand.optsWithGlobals()['lang'];
    setLang(lang === 'en' ? 'en' : 'ja');
  });
  for (const register of commands) register(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  const langIdx = argv.indexOf('--lang');
  if (langIdx >= 0 && argv[langIdx + 1] === 'en') setLang('en');
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return reportError(err, argv.includes('--json'));
  }
}

export function reportError(err: unknown, json: boolean): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
    return EXIT.usage;
  }
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
      process.stderr.write(t({ ja: `  …ほか ${err.moreFindings} 件の指摘は省略しました\n`, en: `  … and ${err.moreFindings} more findings not shown\n` }));
    }
    return err.exit;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  process.stderr.write(`${t({ ja: '予期しないエラー', en: 'Unexpected error' })}: ${e.message}\n`);
  if (process.env['SASHIOSAE_DEBUG']) process.stderr.write(`${e.stack ?? ''}\n`);
  return EXIT.unexpected;
}

