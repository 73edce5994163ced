/**
 * `sashiosae bank-sim FILE --out RESULT [--statement STMT] [--seed N] [--book BOOK.csv [--transactions TX.csv]]`
 * (cli.md): the processing-center SIMULATOR — a seizure request gets a result, an inquiry
 * request an answer from the book (inquiry-300.md, ADR 0134).
 */
import type { Command } from 'commander';
import { requireInputFile } from '../core/fsutil.js';
import { usageError } from '../core/errors.js';
import { t } from '../core/i18n.js';
import { count } from '../core/table.js';
import { SIMULATOR_LABEL, answerInquiries, answerInstructions, isInquiryLayout, isInstructionLayout, requestLayout, simulateBank, type AnswerSummary, type InstructionSimSummary } from '../bank-sim/index.js';
import { resultLabel } from '../domain/vocabulary.js';
import { globals, printJson, say, type GlobalOpts } from './context.js';
import { yen } from '../core/yen.js';


export function register(program: Command): void {
  program
    .command('bank-sim')
    .description('銀行事務センター・シミュレーター（模擬）: 差押依頼から結果ファイル、照会依頼から回答ファイルを作る / bank processing-center SIMULATOR: a result for a seizure request, an answer for an inquiry')
    .argument('<file>', '差押依頼（種別コード 51）または照会依頼（61）/ seizure request (51) or inquiry request (61)')
    .requiredOption('--out <result>', '結果ファイル・回答ファイルの出力先 / result or answer file to write')
    .option('--statement <stmt>', '入出金取引明細（模擬）も出力する / also write a simulated statement')
    .option('--seed <n>', '乱数の種（同じ種なら同じ結果）/ seed (same seed, same output)', '1')
    .option('--layout <idOrPath>', 'レイアウト（省略時はファイルから判別）/ layout (default: detected)')
    .option('--book <csv>', '口座台帳 CSV: 照会に答え、その残高から差し押さえる / account book: answer inquiries and seize from its balances')
    .option('--transactions <csv>', '口座台帳の取引明細 CSV / the book\'s transactions')
    .action((file: string, o: Record<string, unknown>, cmd: Command) => {
      const g = globals(cmd);
      requireInputFile(file);
      const seedText = String(o['seed']);
      if (!/^\d{1,9}$/.test(seedText)) {
        throw usageError('bank-sim.seed', { ja: `--seed は 0 以上の整数です（${seedText}）`, en: `--seed must be a whole number ≥ 0 (${seedText})` });
      }
      const book = typeof o['book'] === 'string' ? o['book'] : undefined;
      const transactions = typeof o['transactions'] === 'string' ? o['transactions'] : undefined;
      if (book !== undefined) requireInputFile(book);
      if (transactions !== undefined) {
        if (book === undefined) throw usageError('bank-sim.book-needed', { ja: '--transactions は --book と一緒に指定します', en: '--transactions goes with --book' });
        requireInputFile(transactions);
      }
      const layout = requestLayout(file, typeof o['layout'] === 'string' ? o['layout'] : undefined);
      say(g, `*** ${t(SIMULATOR_LABEL)} — ${t({ ja: '本物の銀行の処理ではありません', en: 'not a real bank' })} ***`);
      if (isInquiryLayout(layout)) {
        if (book === undefined) throw usageError('bank-sim.book-needed', { ja: '照会に答えるには口座台帳（--book BOOK.csv）が必要です', en: 'answering an inquiry needs the account book (--book BOOK.csv)' });
        if (o['statement'] !== undefined) throw usageError('bank-sim.statement-inquiry', { ja: '--statement（入出金取引明細）は差押依頼にだけ使えます。照会への回答では指定しないでください', en: '--statement (the deposit statement) applies to seizure requests only; leave it out when answering an inquiry' });
        answer(g, answerInquiries({ requestPath: file, answerPath: String(o['out']), bookPath: book, ...(transactions !== undefined ? { transactionsPath: transactions } : {}), seed: Number(seedText) }, layout));
        return;
      }
      if (isInstructionLayout(layout)) {
        if (book !== undefined) throw usageError('bank-sim.book-instruction', { ja: '--book（口座台帳）は取立指示には使いません。指定しないでください', en: '--book (the account book) does not apply to an instruction; leave it out' });
        instructionResult(g, answerInstructions({ instructionPath: file, resultPath: String(o['out']), ...(typeof o['statement'] === 'string' ? { statementPath: o['statement'] } : {}), seed: Number(seedText) }, layout));
        return;
      }
      const s = simulateBank({
        requestPath: file,
        resultPath: String(o['out']),
        ...(typeof o['statement'] === 'string' ? { statementPath: o['statement'] } : {}),
        ...(typeof o['layout'] === 'string' ? { layout: o['layout'] } : {}),
        ...(book !== undefined ? { bookPath: book } : {}),
        ...(transactions !== undefined ? { transactionsPath: transactions } : {}),
        seed: Number(seedText),
      });
      if (g.json) {
        printJson({
          ...resultHead(s),
          collectionMode: s.collectionMode,
          records: s.records,
          requests: s.requests,
          results: s.results,
          seized: s.seized,
          collected: s.collected,
          collections: s.collections,
        });
        return;
      }
      say(g, t({ ja: `結果ファイル（模擬）を書きました: ${s.resultPath}（${s.records.toLocaleString('ja-JP')} 件、依頼 ${s.requests.toLocaleString('ja-JP')} 件、seed ${s.seed}）`, en: `wrote the simulated result file ${s.resultPath} (${count(s.records)} records, ${count(s.requests)} requests, seed ${s.seed})` }));
      for (const [code, v] of Object.entries(s.results).sort(([a], [b]) => a.localeCompare(b))) {
        const label = resultLabel(code);
        say(g, `  ${code} ${t(label)}: ${v.records.toLocaleString('ja-JP')}${v.seized > 0 ? ` / ${yen(v.seized)}` : ''}`);
      }
      say(g, t({ ja: `  差押 ${yen(s.seized)}、取立 ${yen(s.collected)}（${s.collectionMode === 'immediate' ? '即時取立' : '取立保留'}）`, en: `  seized ${yen(s.seized)}, collected ${yen(s.collected)} (${s.collectionMode})` }));
      statementWritten(g, s.statement);
    });
}

/** The answer's summary: counts only, no personal data. */
function answer(g: GlobalOpts, s: AnswerSummary): void {
  if (g.json) {
    printJson({
      simulator: true,
      seed: s.seed,
      answer: s.answerPath,
      bankCode: s.bankCode,
      fileNumber: s.fileNumber,
      baseDate: s.baseDate,
      historyFrom: s.historyFrom,
      answerDate: s.answerDate,
      inquiries: s.inquiries,
      answers: s.answers,
      accounts: s.accounts,
      details: s.details,
    });
    return;
  }
  say(g, t({ ja: `回答ファイル（模擬）を書きました: ${s.answerPath}（照会 ${s.inquiries.toLocaleString('ja-JP')} 件、回答日 ${s.answerDate}、seed ${s.seed}）`, en: `wrote the simulated answer file ${s.answerPath} (${count(s.inquiries)} inquiries, answered ${s.answerDate}, seed ${s.seed})` }));
  say(g, t({ ja: `  該当あり ${s.answers['1'].toLocaleString('ja-JP')}（口座 ${s.accounts.toLocaleString('ja-JP')}、明細 ${s.details.toLocaleString('ja-JP')}）、該当なし ${s.answers['2'].toLocaleString('ja-JP')}、電子回答不可 ${s.answers['3'].toLocaleString('ja-JP')}`, en: `  found ${count(s.answers['1'])} (${count(s.accounts)} accounts, ${count(s.details)} transactions), none ${count(s.answers['2'])}, paper answer ${count(s.answers['3'])}` }));
}

/** The instruction result's summary: counts and yen only, no personal data. */
function instructionResult(g: GlobalOpts, s: InstructionSimSummary): void {
  if (g.json) {
    printJson({
      ...resultHead(s),
      seizureFileNumber: s.seizureFileNumber,
      instructionDate: s.instructionDate,
      records: s.records,
      results: s.results,
      collected: s.collected,
    });
    return;
  }
  say(g, t({ ja: `指示結果ファイル（模擬）を書きました: ${s.resultPath}（${count(s.records)} 件、指示日 ${s.instructionDate}、seed ${s.seed}）`, en: `wrote the simulated instruction result ${s.resultPath} (${count(s.records)} records, instruction date ${s.instructionDate}, seed ${s.seed})` }));
  say(g, t({ ja: `  01 処理済 ${count(s.results['01'].records)}（取立 ${yen(s.collected)}）、99 未処理 ${count(s.results['99'].records)}`, en: `  01 done ${count(s.results['01'].records)} (collected ${yen(s.collected)}), 99 not done ${count(s.results['99'].records)}` }));
  statementWritten(g, s.statement);
}

/** The first fields of a simulated result's JSON (seizure and instruction alike, in this order). */
function resultHead(s: { seed: number; resultPath: string; statement: { path: string } | null; bankCode: string; fileNumber: number }) {
  return { simulator: true, seed: s.seed, result: s.resultPath, statement: s.statement?.path ?? null, bankCode: s.bankCode, fileNumber: s.fileNumber };
}

/** The line of the simulated statement, when one was written. */
function statementWritten(g: GlobalOpts, st: { path: string; entries: number } | null): void {
  if (st) say(g, t({ ja: `入出金取引明細（模擬）を書きました: ${st.path}（${st.entries} 明細）`, en: `wrote the simulated statement ${st.path} (${st.entries} entries)` }));
}
