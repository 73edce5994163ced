/**
 * The web demo's simulated bank (`sashiosae demo --web`, issue 18): a page where anyone
 * signed in uploads a request file the application wrote (inquiry 61, seizure 51,
 * instruction 63) and downloads what the processing-center SIMULATOR answers — from the
 * demo's account books, as `sashiosae bank-sim` does — so a newcomer can walk the whole
 * cycle in the browser. Only the demo registers it; `serve` has no bank.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError, EXIT } from '../core/errors.js';
import { DIR_MODE } from '../core/fsutil.js';
import type { Msg } from '../core/i18n.js';
import { decodeRecord } from '../layout/codec.js';
import { escapeHtml as h } from '../report/html.js';
import { SIMULATOR_LABEL, answerInquiries, answerInstructions, isInquiryLayout, isInstructionLayout, requestLayout, simulateBank } from '../bank-sim/index.js';
import type { WebDemo } from '../demo/web.js';
import { html, langOf, tr, type ServerContext } from '../server/http.js';
import { addNavLink, layout, errorSection } from '../server/pages.js';
import { receiveUploads } from '../server/uploads.js';
import { sendDownload } from '../server/downloads.js';

interface Answered {
  files: { name: string; path: string }[];
  summary: Msg;
}

/** The bank code in a request file's header record. */
function bankCodeOf(file: string, recordLength: number, header: Parameters<typeof decodeRecord>[0]): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(recordLength);
    fs.readSync(fd, buf, 0, recordLength, 0);
    return decodeRecord(header, buf, 0)['bankCode'] ?? '';
  } finally {
    fs.closeSync(fd);
  }
}

/** Answer one uploaded request file into `out` (the simulator's own rules and refusals apply). */
export function answerRequest(demo: WebDemo, file: string, shownName: string, out: string, seed: number): Answered {
  const lay = requestLayout(file);
  const base = shownName.replace(/\.[^.]*$/, '').replace(/[^\w.-]/g, '_') || 'REQUEST';
  const header = lay.records.header;
  const bank = header === undefined ? '' : bankCodeOf(file, lay.recordLength, header);
  const book = demo.books[bank];
  if (isInquiryLayout(lay)) {
    if (book === undefined) throw new AppError({ code: 'bank-sim.book-needed', exit: EXIT.usage, msg: { ja: `金融機関 ${bank} の口座台帳がデモにありません`, en: `the demo has no account book for bank ${bank}` } });
    const answerPath = path.join(out, `${base}.ANSWER.DAT`);
    const s = answerInquiries({ requestPath: file, answerPath, bookPath: book.book, transactionsPath: book.transactions, seed }, lay);
    return { files: [{ name: path.basename(answerPath), path: answerPath }], summary: { ja: `照会 ${s.inquiries} 件に回答しました（該当あり ${s.answers['1']}、該当なし ${s.answers['2']}、電子回答不可 ${s.answers['3']}）`, en: `answered ${s.inquiries} inquiries (found ${s.answers['1']}, none ${s.answers['2']}, paper ${s.answers['3']})` } };
  }
  const resultPath = path.join(out, `${base}.RESULT.DAT`);
  const statementPath = path.join(out, `${base}.STATEMENT.DAT`);
  if (isInstructionLayout(lay)) {
    const s = answerInstructions({ instructionPath: file, resultPath, statementPath, seed }, lay);
    return { files: [{ name: path.basename(resultPath), path: resultPath }, ...(s.statement ? [{ name: path.basename(statementPath), path: statementPath }] : [])], summary: { ja: `取立・解除指示 ${s.records} 件の結果を作りました（01 処理済 ${s.results['01'].records}、99 未処理 ${s.results['99'].records}）`, en: `made the result of ${s.records} instructions (01 done ${s.results['01'].records}, 99 not done ${s.results['99'].records})` } };
  }
  const s = simulateBank({ requestPath: file, resultPath, statementPath, seed, ...(book !== undefined ? { bookPath: book.book, transactionsPath: book.transactions } : {}) });
  return { files: [{ name: path.basename(resultPath), path: resultPath }, ...(s.statement ? [{ name: path.basename(statementPath), path: statementPath }] : [])], summary: { ja: `差押依頼 ${s.records} 件の結果を作りました`, en: `made the result of ${s.records} seizure requests` } };
}

export function registerDemoBank(app: FastifyInstance, ctx: ServerContext, demo: WebDemo): void {
  addNavLink({ href: '/demo/bank', label: { ja: '模擬銀行', en: 'Simulated bank' }, action: 'read' });
  const answered = new Map<string, Answered>();
  let seed = 1;
  const title: Msg = { ja: '模擬銀行（デモ）', en: 'Simulated bank (demo)' };
  const form = (csrf: string, lang: 'ja' | 'en', extra = '') =>
    `<h1>${h(tr(title, lang))}</h1><p class="err">${h(tr(SIMULATOR_LABEL, lang))} — ${h(tr({ ja: '本物の銀行の処理ではありません', en: 'not a real bank' }, lang))}</p>${extra}
<form method="post" action="/demo/bank?_csrf=${encodeURIComponent(csrf)}" enctype="multipart/form-data">
<label>${h(tr({ ja: '書き出した依頼ファイル（照会・差押・取立指示）', en: 'a request file the application wrote (inquiry, seizure, instruction)' }, lang))} <input type="file" name="file" required></label>
<button type="submit">${h(tr({ ja: '銀行の回答を作る', en: 'make the bank’s answer' }, lang))}</button></form>`;

  app.get('/demo/bank', async (req, reply) => {
    const lang = langOf(req);
    const csrf = reply.generateCsrf();
    return html(reply, 200, layout(tr(title, lang), form(csrf, lang), lang, { user: req.user!, csrf, here: '/demo/bank' }));
  });

  app.post('/demo/bank', async (req, reply) => {
    const lang = langOf(req);
    const up = await receiveUploads(req, ctx.tmpRoot, ctx.uploadLimitMB());
    const file = up.files.find((f) => f.field === 'file');
    const csrf = reply.generateCsrf();
    const id = randomBytes(9).toString('base64url');
    const out = path.join(ctx.tmpRoot, 'demo-bank', id);
    try {
      if (file === undefined) throw new AppError({ code: 'http.form', exit: EXIT.usage, msg: { ja: 'ファイルを選んでください', en: 'choose a file' } });
      fs.mkdirSync(out, { recursive: true, mode: DIR_MODE });
      const a = answerRequest(demo, file.path, file.name, out, seed++);
      answered.set(id, a);
      const links = a.files.map((f, i) => `<li><a href="/demo/bank/${id}/${i}" download>${h(f.name)}</a></li>`).join('');
      const done = `<p class="ok">${h(tr(a.summary, lang))}</p><ul class="downloads">${links}</ul><p>${h(tr({ ja: 'ダウンロードしたファイルを金融機関連絡担当が「銀行ファイル取込」で取り込みます。', en: 'The bank liaison imports the downloaded files on “Import bank files”.' }, lang))}</p>`;
      return html(reply, 200, layout(tr(title, lang), form(csrf, lang, done), lang, { user: req.user!, csrf, here: '/demo/bank' }));
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return html(reply, 400, layout(tr(title, lang), form(csrf, lang, errorSection(e, lang, file ? { [file.path]: file.name } : {})), lang, { user: req.user!, csrf, here: '/demo/bank' }));
    } finally {
      fs.rmSync(up.dir, { recursive: true, force: true });
    }
  });

  app.get<{ Params: { id: string; n: string } }>('/demo/bank/:id/:n', async (req, reply) => {
    const f = answered.get(req.params.id)?.files[Number(req.params.n)];
    if (f === undefined) throw new AppError({ code: 'http.file-not-found', exit: EXIT.usage, msg: { ja: 'そのファイルはありません', en: 'no such file' } });
    return sendDownload(reply, f.path, f.name);
  });
}
