import type { Command } from 'commander';
import * as path from 'node:path';
import { usageError } from '../core/errors.js';
import { demoSummary, freshDemoDir, runDemo } from '../demo/cycle.js';
import { currentOperator } from '../db/audit.js';
import { globals, printJson, say } from './context.js';

/** `sashiosae demo [--dir DIR] [--taxpayers N]` — the whole cycle on generated data, from deposit inquiry to receipts. */
export function register(program: Command): void {
  program
    .command('demo')
    .description('生成データで預金照会から消込まで全工程を実行するデモ（銀行は模擬） (the whole cycle on generated data, from deposit inquiry to receipts; the bank is simulated)')
    .option('--dir <dir>', '出力フォルダ（空であること。省略時は毎回新しいフォルダ） / output folder (must be empty; default: a new folder each time)')
    .option('--taxpayers <n>', '生成する納税者数 / taxpayers to generate', '5000')
    .option('--seed <n>', '乱数の種 / random seed', '20261201')
    .action(async (opts: { dir?: string; taxpayers: string; seed: string }, cmd: Command) => {
      const g = globals(cmd);
      const taxpayers = Number(opts.taxpayers);
      const seed = Number(opts.seed);
      if (!Number.isInteger(taxpayers) || taxpayers < 1 || taxpayers > 2_000_000) {
        throw usageError('demo.taxpayers', { ja: `--taxpayers は 1〜2,000,000 の整数で指定してください（指定値: ${opts.taxpayers}）`, en: `--taxpayers must be a whole number from 1 to 2,000,000 (got ${opts.taxpayers})` });
      }
      if (!Number.isInteger(seed) || seed < 0) {
        throw usageError('demo.seed', { ja: `--seed は 0 以上の整数で指定してください（指定値: ${opts.seed}）`, en: `--seed must be a whole number ≥ 0 (got ${opts.seed})` });
      }
      const dir = opts.dir !== undefined ? path.resolve(opts.dir) : freshDemoDir();
      const result = await runDemo({ dir, taxpayers, seed, operator: currentOperator(g.operator) });
      if (g.json) {
        printJson({
          dir: result.dir,
          db: result.db,
          today: result.today,
          inquiryBaseDate: result.inquiryBaseDate,
          processingDate: result.processingDate,
          taxpayers: result.taxpayers,
          notInquired: result.notInquired,
          inquiryBatches: result.inquiryBatches.map((b) => ({ id: b.id, bankCode: b.bankCode, inquiries: b.inquiries, files: b.files, answerFiles: b.answerFiles, followUps: b.followUps, html: b.html, csv: b.csv, report: b.report })),
          excluded: result.excluded,
          batches: result.batches.map((b) => ({ id: b.id, bankCode: b.bankCode, requests: b.requests, records: b.records, limitTotal: b.limitTotal, files: b.files, html: b.html, csv: b.csv, xlsx: b.xlsx, receiptsXlsx: b.receiptsXlsx, documents: b.documents, report: b.report })),
          holds: result.holds,
          report: result.mainReport,
        });
      } else {
        say(g, demoSummary(result));
      }
    });
}
