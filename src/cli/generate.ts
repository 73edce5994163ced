import * as fs from 'node:fs';
import { count } from '../core/table.js';
import * as path from 'node:path';
import { type Command, Option } from 'commander';
import { conflict, usageError } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { generateExport, DEFAULT_PROCESSING_DATE, DEFAULT_BANKS, DEFAULT_SEED, DEFAULT_TAXPAYERS } from '../demo/generate.js';
import { globals, printJson, say } from './context.js';

const OUTPUT_NAMES = ['taxpayers.csv', 'debts.csv', 'accounts.csv', 'payments.csv', 'settings.json'];

/** The books `--books` writes, for the banks given (default DEFAULT_BANKS). */
function bookNames(banks: readonly string[] | undefined): string[] {
  return (banks ?? DEFAULT_BANKS).flatMap((b) => [`book-${b}.csv`, `transactions-${b}.csv`]);
}

function wholeNumber(flag: string) {
  return (v: string): number => {
    if (!/^-?\d+$/.test(v.trim())) {
      throw usageError('generate.not-a-number', {
        ja: `${flag} には整数を指定してください (指定値: "${v}")。`,
        en: `${flag} takes a whole number (given: "${v}").`,
      });
    }
    return Number(v);
  };
}

function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

/** `sashiosae generate`: a fictitious delinquency export for training, demos and tests. */
export function register(program: Command): void {
  program
    .command('generate')
    .description('架空の滞納データ (取込用CSV一式と設定ファイル) を生成する / generate a fictitious delinquency export (CSVs + settings.json)')
    .requiredOption('--out <dir>', '出力先フォルダ / output folder')
    .option('--taxpayers <n>', `滞納者数 (既定 ${DEFAULT_TAXPAYERS}) / number of taxpayers`, wholeNumber('--taxpayers'))
    .option('--records <n>', '第1金融機関の口座数 = 差押データ件数 (--taxpayers より優先) / accounts at the first bank (wins over --taxpayers)', wholeNumber('--records'))
    .option('--seed <n>', `乱数の種 (既定 ${DEFAULT_SEED}; 同じ種なら同じファイル) / seed (same seed, same bytes)`, wholeNumber('--seed'))
    .addOption(new Option('--encoding <enc>', '文字コード / encoding').choices(['cp932', 'utf8']).default('cp932'))
    .addOption(new Option('--profile <p>', 'realistic (規則を網羅) | bench (大量・高速)').choices(['realistic', 'bench']).default('realistic'))
    .option('--date <YYYY-MM-DD>', `想定する差押執行日 (既定 ${DEFAULT_PROCESSING_DATE}) / processing date the data is made for`)
    .option('--bank <code>', `金融機関コード (複数可、既定 ${DEFAULT_BANKS.join(' ')}) / bank code (repeatable)`, collect)
    .option('--books', '銀行ごとの口座台帳と取引明細 (book-<銀行>.csv, transactions-<銀行>.csv) も書く (bank-sim --book 用) / also write each bank\'s account book and transactions for bank-sim --book')
    .option('--force', '既存のファイルを上書きする / replace existing files')
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      const outDir = String(o['out']);
      if (!o['force']) {
        const names = o['books'] ? [...OUTPUT_NAMES, ...bookNames(o['bank'] as string[] | undefined)] : OUTPUT_NAMES;
        const existing = names.filter((n) => fs.existsSync(path.join(outDir, n)));
        if (existing.length > 0) {
          throw conflict(
            'output.exists',
            {
              ja: `出力先に既にファイルがあります (${existing.join(', ')})。別のフォルダを指定するか、上書きしてよければ --force を付けてください。`,
              en: `The output folder already has ${existing.join(', ')}. Choose another folder, or add --force to replace them.`,
            },
            { file: path.join(outDir, existing[0]!) },
          );
        }
      }
      const started = process.hrtime.bigint();
      const res = await generateExport({
        outDir,
        ...(o['taxpayers'] !== undefined ? { taxpayers: o['taxpayers'] as number } : {}),
        ...(o['records'] !== undefined ? { records: o['records'] as number } : {}),
        ...(o['seed'] !== undefined ? { seed: o['seed'] as number } : {}),
        encoding: o['encoding'] as 'cp932' | 'utf8',
        profile: o['profile'] as 'realistic' | 'bench',
        ...(o['date'] !== undefined ? { processingDate: String(o['date']) } : {}),
        ...(o['bank'] !== undefined ? { banks: o['bank'] as string[] } : {}),
        ...(o['books'] ? { books: true } : {}),
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (g.json) {
        printJson({ ...res, seconds: Math.round(seconds * 1000) / 1000 });
        return;
      }
      const e = res.expected;
      say(g, t({ ja: `架空の滞納データを生成しました (${seconds.toFixed(1)} 秒): ${outDir}`, en: `Generated a fictitious delinquency export (${seconds.toFixed(1)} s): ${outDir}` }));
      say(g, t({
        ja: `  滞納者 ${count(res.taxpayers)} 人、債権 ${count(res.debts)} 件、口座 ${count(res.accounts)} 件、収納履歴 ${count(res.payments)} 件 (文字コード ${e.encoding}、種 ${e.seed}、処理日 ${e.processingDate})`,
        en: `  ${count(res.taxpayers)} taxpayers, ${count(res.debts)} debts, ${count(res.accounts)} accounts, ${count(res.payments)} payments (encoding ${e.encoding}, seed ${e.seed}, processing date ${e.processingDate})`,
      }));
      say(g, t({
        ja: `  差押可能として作った滞納者 ${count(e.seizableTaxpayers)} 人 / 第1金融機関 ${e.banks[0]} の口座 ${count(e.recordsAtFirstBank)} 件`,
        en: `  ${count(e.seizableTaxpayers)} taxpayers made seizable / ${count(e.recordsAtFirstBank)} accounts at the first bank ${e.banks[0]}`,
      }));
      if (res.books) {
        const b = res.books;
        const accounts = Object.values(b.accountsByBank).reduce((x, y) => x + y, 0);
        say(g, t({
          ja: `  口座台帳: ${Object.keys(b.files).length} 銀行、口座 ${count(accounts)} 件、取引 ${count(b.transactions)} 件、口座のない人 ${count(b.peopleWithoutAccounts)} 人 (book-<銀行>.csv, transactions-<銀行>.csv)`,
          en: `  account books: ${Object.keys(b.files).length} banks, ${count(accounts)} accounts, ${count(b.transactions)} transactions, ${count(b.peopleWithoutAccounts)} people without accounts (book-<bank>.csv, transactions-<bank>.csv)`,
        }));
      }
      say(g, t({
        ja: '  ※ 氏名・住所はすべて架空です。取り込むには: sashiosae import targets --taxpayers … --debts … --accounts … --payments …',
        en: '  (All names and addresses are fictitious.) To load them: sashiosae import targets --taxpayers … --debts … --accounts … --payments …',
      }));
    });
}
