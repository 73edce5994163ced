/**
 * The `import` command group.
 *
 * Teammates attach their own subcommands (`import results`, `import statement`)
 * from their own files: call `importGroup(program)` to get the one `import`
 * Command (created on first call) and add `.command('results')` to it. Each file
 * still exports `register(program)` listed in commands.ts; order does not matter.
 *
 * This file adds `import targets` (shared/spec/import-csv.md, cli.md).
 */
import type { Command } from 'commander';
import { usageError } from '../core/errors.js';
import { requireInputFile } from '../core/fsutil.js';
import type { Db } from '../db/connection.js';
import { t } from '../core/i18n.js';
import { openDb } from '../db/connection.js';
import { DEFAULT_MAX_REJECT_RATE, importTargets, parseMaxRejectRate, type ImportSummary } from '../steps/import-targets/index.js';
import type { FileRole } from '../steps/import-targets/index.js';
import { globals, printJson, say, type GlobalOpts } from './context.js';

/** The `import` command group (created once); subcommands hang from it. */
export function importGroup(program: Command): Command {
  const found = program.commands.find((c) => c.name() === 'import');
  if (found) return found;
  return program.command('import').description('ファイルを取り込む (import files: targets, results, statement, answers)');
}

/** What one `import <kind> FILE` of a bank's fixed-width file needs: the step and how to print its summary. */
export interface FileImportCommand<S> {
  name: string;
  description: string;
  argument: string;
  run(db: Db, file: string, opts: { layout?: string; operator?: string }): S;
  json(s: S): unknown;
  human(g: GlobalOpts, s: S): void;
}

/** Register `import <name> FILE [--layout]`: one database, one step call, its summary as JSON or words (results, statement, answers). */
export function registerFileImport<S>(program: Command, c: FileImportCommand<S>): void {
  importGroup(program)
    .command(c.name)
    .description(c.description)
    .argument('<file>', c.argument)
    .option('--layout <idOrPath>', 'レイアウト（省略時はファイルから判別）/ layout (default: detected)')
    .action((file: string, o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      requireInputFile(file);
      const db = openDb(g.db, { mustExist: true });
      try {
        const s = c.run(db, file, {
          ...(typeof o['layout'] === 'string' ? { layout: o['layout'] } : {}),
          ...(g.operator !== undefined ? { operator: g.operator } : {}),
        });
        if (g.json) printJson(c.json(s));
        else c.human(g, s);
      } finally {
        db.close();
      }
    });
}

const LABEL: Record<FileRole, { ja: string; en: string }> = {
  taxpayers: { ja: '滞納者', en: 'taxpayers' },
  debts: { ja: '債権', en: 'debts' },
  accounts: { ja: '口座', en: 'accounts' },
  payments: { ja: '収納履歴', en: 'payments' },
};

function n(v: number): string {
  return v.toLocaleString('ja-JP');
}

function printHuman(g: GlobalOpts, s: ImportSummary): void {
  const ja = t({ ja: 'ja', en: 'en' }) === 'ja';
  say(g, t({ ja: `取り込み #${s.import} を記録しました（基準日 ${s.asOf}）`, en: `import #${s.import} recorded (as of ${s.asOf})` }));
  for (const role of ['taxpayers', 'debts', 'accounts', 'payments'] as FileRole[]) {
    const enc = s.encodings[role];
    if (enc === undefined) continue;
    const count = s[role];
    const rej = s.rejectedByFile[role] ?? 0;
    const encName = enc === 'utf8' ? 'UTF-8' : 'CP932';
    say(
      g,
      ja
        ? `  ${LABEL[role].ja}: ${n(count)} 件（${encName}${rej ? `、除外 ${n(rej)} 行` : ''}）`
        : `  ${LABEL[role].en}: ${n(count)} (${encName}${rej ? `, ${n(rej)} rows rejected` : ''})`,
    );
  }
  if (!s.withAccounts) {
    say(g, t({ ja: '  口座: 今回の取り込みに accounts.csv はありません（登録済みの口座・照会の回答はそのまま）', en: '  accounts: not part of this import (the known accounts and inquiry answers are left as they are)' }));
  }
  const ia = s.inactivated;
  if (ia.taxpayers + ia.debts + ia.accounts > 0) {
    say(
      g,
      t({
        ja: `  今回の出力に無かったため無効にした行（履歴として保持、今後差押しません）: 滞納者 ${n(ia.taxpayers)}・債権 ${n(ia.debts)}・口座 ${n(ia.accounts)}`,
        en: `  absent from this export, now inactive (kept, never seized): taxpayers ${ia.taxpayers}, debts ${ia.debts}, accounts ${ia.accounts}`,
      }),
    );
  }
  if (s.receiptsIncluded > 0) {
    say(g, t({ ja: `  本システムで記帳した収納のうち、この出力に反映済みのもの: ${n(s.receiptsIncluded)} 件`, en: `  receipts booked here that this export already contains: ${s.receiptsIncluded}` }));
  }
  if (s.paymentMismatches > 0) {
    const list = s.mismatchChotei.slice(0, 20).join(', ') + (s.paymentMismatches > 20 ? ' …' : '');
    say(
      g,
      t({
        ja: `  収納履歴の合計が本税収納済額と一致しない債権: ${n(s.paymentMismatches)} 件（未納額は本税収納済額で計算します）: ${list}`,
        en: `  debts whose payment history does not sum to 本税収納済額: ${s.paymentMismatches} (outstanding follows 本税収納済額): ${list}`,
      }),
    );
  }
  if (s.debtsWithoutHistory > 0) {
    say(
      g,
      t({
        ja: `  一部収納済みで収納履歴のない債権: ${n(s.debtsWithoutHistory)} 件（収納日が分からないため、残りの本税が納期限の翌日から未納だったものとして延滞金を計算します。延滞金は実際より少なく出ることがあります。payments.csv を添えてください）`,
        en: `  partly paid debts without a payment history: ${s.debtsWithoutHistory} (without payment dates, 延滞金 is computed on the remaining 本税 from the day after the due date and can only be under-stated; add payments.csv)`,
      }),
    );
  }
  if (s.rejected > 0) {
    say(g, t({ ja: `  不備のため取り込まなかった行: ${n(s.rejected)} 行。理由はこちらのファイルにあります:`, en: `  rows not imported because they are invalid: ${s.rejected}; reasons are in:` }));
    for (const f of s.rejectFiles) say(g, `    ${f}`);
  }
}

export function register(program: Command): void {
  importGroup(program)
    .command('targets')
    .description('滞納管理システムの出力（CSV）を取り込む (load the delinquency export)')
    .requiredOption('--taxpayers <file>', '滞納者 taxpayers.csv')
    .requiredOption('--debts <file>', '債権 debts.csv')
    .option('--accounts <file>', '預金調査結果 accounts.csv（任意。省略すると登録済みの口座はそのまま）/ optional: without it the known accounts are left as they are')
    .option('--payments <file>', '収納履歴 payments.csv（任意）')
    .option('--as-of <date>', '出力の基準日 YYYY-MM-DD（既定: 今日）/ as-of date of the export')
    .option('--encoding <enc>', 'utf8 | cp932（既定: 自動判定）')
    .option('--skip-invalid', '正しい行だけ取り込み、不備の行を <入力>.rejected.csv に書く / import valid rows only')
    .option('--max-reject-rate <percent>', `--skip-invalid で除外してよい行の割合の上限（%、ファイルごと、既定 ${DEFAULT_MAX_REJECT_RATE}）。超えると壊れたファイルとして全体を拒否 / largest share of a file's rows --skip-invalid may leave out`)
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const enc = o['encoding'];
      if (enc !== undefined && enc !== 'utf8' && enc !== 'cp932') {
        throw usageError('import.encoding', { ja: `--encoding は utf8 か cp932 です（${String(enc)}）`, en: `--encoding is utf8 or cp932 (${String(enc)})` });
      }
      const db = openDb(g.db, { mustExist: true });
      try {
        const s = await importTargets(db, {
          taxpayers: String(o['taxpayers']),
          debts: String(o['debts']),
          accounts: o['accounts'] === undefined ? undefined : String(o['accounts']),
          payments: o['payments'] === undefined ? undefined : String(o['payments']),
          asOf: o['asOf'] === undefined ? undefined : String(o['asOf']),
          encoding: enc as 'utf8' | 'cp932' | undefined,
          skipInvalid: o['skipInvalid'] === true,
          maxRejectRate: o['maxRejectRate'] === undefined ? undefined : parseMaxRejectRate(String(o['maxRejectRate'])),
          operator: g.operator,
          onFullCheck: (p) => {
            process.stderr.write(
              t({
                ja: `${p.file} に確認が必要な行があります。まだ何も保存していません。すべてのファイルを 1 行ずつ詳しく検査しながら最初から読み直します…\n`,
                en: `${p.file} has rows that need a closer look; nothing is stored yet. Reading every file again from the start, checking each row in detail…\n`,
              }),
            );
          },
          onProgress: (p) => {
            if (p.done && p.rows < 100_000) return;
            process.stderr.write(
              t({
                ja: `${p.file}: ${n(p.rows)} 行${p.done ? ' 読み込み完了' : ' 読み込み中…'}\n`,
                en: `${p.file}: ${p.rows} rows${p.done ? ' read' : ' …'}\n`,
              }),
            );
          },
        });
        if (g.json) {
          printJson({
            import: s.import,
            taxpayers: s.taxpayers,
            debts: s.debts,
            // null: accounts.csv was not part of this import (the known accounts were left as they are)
            accounts: s.withAccounts ? s.accounts : null,
            payments: s.payments,
            inactivated: s.inactivated,
            rejected: s.rejected,
            paymentMismatches: s.paymentMismatches,
            receiptsIncluded: s.receiptsIncluded,
          });
          if (s.rejected > 0) say(g, t({ ja: `不備のため取り込まなかった行: ${s.rejected} 行（${s.rejectFiles.join(', ')}）`, en: `rows not imported: ${s.rejected} (${s.rejectFiles.join(', ')})` }));
        } else {
          printHuman(g, s);
        }
      } finally {
        db.close();
      }
    });
}
