import type { Command } from 'commander';
import * as path from 'node:path';
import { usageError } from '../core/errors.js';
import { demoSummary, freshDemoDir, runDemo } from '../demo/cycle.js';
import { currentOperator } from '../db/audit.js';
import { globals, printJson, say, type GlobalOpts } from './context.js';
import { t } from '../core/i18n.js';
import { prepareWebDemo, type WebDemo } from '../demo/web.js';
import { serveUntilStopped } from './serve.js';

/** `sashiosae demo [--dir DIR] [--taxpayers N]` — the whole cycle on generated data, from deposit inquiry to receipts. */
export function register(program: Command): void {
  program
    .command('demo')
    .description('生成データで預金照会から消込まで全工程を実行するデモ（銀行は模擬） (the whole cycle on generated data, from deposit inquiry to receipts; the bank is simulated)')
    .option('--dir <dir>', '出力フォルダ（空であること。省略時は毎回新しいフォルダ） / output folder (must be empty; default: a new folder each time)')
    .option('--taxpayers <n>', '生成する納税者数（既定 5000、--web では 500）/ taxpayers to generate (default 5000; 500 with --web)')
    .option('--seed <n>', '乱数の種 / random seed', '20261201')
    .option('--web', 'Web アプリで自分で操作するデモ: データと利用者を用意してサーバーを起動 / a demo to work through by hand in the web application: prepares the data and users, then serves it')
    .option('--host <host>', '--web: 待ち受けるアドレス / address to listen on', '127.0.0.1')
    .option('--port <port>', '--web: ポート / port', '8080')
    .action(async (opts: { dir?: string; taxpayers?: string; seed: string; web?: boolean; host: string; port: string }, cmd: Command) => {
      const g = globals(cmd);
      const taxpayers = Number(opts.taxpayers ?? (opts.web === true ? '500' : '5000'));
      const seed = Number(opts.seed);
      if (!Number.isInteger(taxpayers) || taxpayers < 1 || taxpayers > 2_000_000) {
        throw usageError('demo.taxpayers', { ja: `--taxpayers は 1〜2,000,000 の整数で指定してください（指定値: ${opts.taxpayers}）`, en: `--taxpayers must be a whole number from 1 to 2,000,000 (got ${opts.taxpayers})` });
      }
      if (!Number.isInteger(seed) || seed < 0) {
        throw usageError('demo.seed', { ja: `--seed は 0 以上の整数で指定してください（指定値: ${opts.seed}）`, en: `--seed must be a whole number ≥ 0 (got ${opts.seed})` });
      }
      const dir = opts.dir !== undefined ? path.resolve(opts.dir) : freshDemoDir();
      if (opts.web === true) {
        await webDemo(g, { dir, taxpayers, seed, host: opts.host, port: opts.port });
        return;
      }
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

/** `demo --web`: the folder, the users and the dates to use, then the server with the simulated bank. */
async function webDemo(g: GlobalOpts, o: { dir: string; taxpayers: number; seed: number; host: string; port: string }): Promise<void> {
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw usageError('cli.serve-port', { ja: `--port は 0〜65535 の整数です（指定値: ${o.port}）`, en: `--port must be an integer 0–65535 (got ${o.port})` });
  const demo: WebDemo = await prepareWebDemo({ dir: o.dir, taxpayers: o.taxpayers, seed: o.seed, operator: currentOperator(g.operator) });
  // the scenario's calendar: the server's "today" (its jobs' worker threads inherit it)
  process.env['SASHIOSAE_TODAY'] = demo.today;
  const lines = [
    t({ ja: `Web アプリのデモを用意しました: ${demo.dir}`, en: `the web application demo is ready in ${demo.dir}` }),
    t({ ja: '  利用者（パスワードは users.txt にも保存。デモ用で実在の人ではありません）:', en: '  users (passwords also in users.txt; demo users, no real person):' }),
    ...demo.users.map((u) => `    ${u.name.padEnd(6)} ${u.role.padEnd(10)} ${u.password}`),
    t({ ja: `  取り込むファイル（徴収担当「取込」）: ${demo.exportFiles.taxpayers}、${demo.exportFiles.debts}、${demo.exportFiles.payments}`, en: `  files to import (collector, Import): ${demo.exportFiles.taxpayers}, ${demo.exportFiles.debts}, ${demo.exportFiles.payments}` }),
    t({ ja: `  日付: 今日 ${demo.today}、照会基準日 ${demo.inquiryBaseDate}、差押執行日 ${demo.executionDate}、取立指示日 ${demo.instructionDate}`, en: `  dates: today ${demo.today}, inquiry base date ${demo.inquiryBaseDate}, execution date ${demo.executionDate}, instruction date ${demo.instructionDate}` }),
    t({ ja: '  銀行は模擬です: 書き出したファイルを「模擬銀行」ページ（/demo/bank）に渡すと回答・結果ファイルができます', en: '  the bank is simulated: give a written file to the Simulated bank page (/demo/bank) for its answer or result' }),
  ];
  for (const l of lines) say(g, l);
  const { registerDemoBank } = await import('./demo-bank.js');
  await serveUntilStopped({ ...g, db: demo.db }, { host: o.host, port, extend: (app, ctx) => registerDemoBank(app, ctx, demo) });
}
