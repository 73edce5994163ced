/**
 * The liaison's pages (issue 18): uploads of the bank's files — inquiry answers, seizure and
 * instruction results, statements — each imported by its step in a job, all or nothing; and
 * the file check (validate + inspect's first records) of any fixed-width file, which stores
 * nothing. Upload forms are multipart with the CSRF token in the action URL (the body is read
 * only after the check); files go to the server's private folder under its own names
 * (uploads.ts) and are removed when the job ends.
 */
import * as fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Lang, Msg } from '../../core/i18n.js';
import { mayDo } from '../../domain/users.js';
import { listLayoutIds } from '../../layout/index.js';
import { escapeHtml as h } from '../../report/html.js';
import { html, langOf, tr, type ServerContext } from '../http.js';
import { layout } from '../pages.js';
import { startJob } from '../jobs/routes.js';
import { receiveUploads, type UploadForm } from '../uploads.js';
import { isUploadKind, KIND_ACTION, KIND_JOB, KIND_LABEL, UPLOAD_KINDS, type UploadKind } from './kinds.js';
import type { UploadArgs } from './jobs.js';

/** An upload's form, filled again after a refusal (`error`, status 400/403). */
function uploadPage(req: FastifyRequest, lang: Lang, csrf: string, kind: UploadKind | undefined, error?: Msg): string {
  const t = (m: Msg) => h(tr(m, lang));
  const user = req.user!;
  const options = UPLOAD_KINDS.filter((k) => mayDo(user.role, KIND_ACTION[k]))
    .map((k) => `<option value="${k}"${k === kind ? ' selected' : ''}>${t(KIND_LABEL[k])}</option>`)
    .join('');
  const err = error === undefined ? '' : `<p class="err" role="alert">${t(error)}</p>`;
  const body = `<h1>${t({ ja: '銀行ファイル取込', en: 'Import bank files' })}</h1>${err}
<p>${t({ ja: '銀行から届いたファイルを選んで取り込みます。ファイル全体を検査し、誤りが一つでもあれば何も保存しません（指摘をレコード・バイト位置・項目ごとに表示します）。', en: 'Choose a file the bank returned. The whole file is checked; with a single error nothing is stored (the findings are shown by record, byte offset and field).' })}</p>
<form method="post" action="/liaison/upload?_csrf=${encodeURIComponent(csrf)}" enctype="multipart/form-data">
<label>${t({ ja: 'ファイルの種類', en: 'Kind of file' })} <select name="kind" required>${options}</select></label>
<label>${t({ ja: 'ファイル', en: 'File' })} <input type="file" name="file" required></label>
<button type="submit">${t({ ja: '取り込む', en: 'Import' })}</button>
</form>`;
  return layout(tr({ ja: '銀行ファイル取込', en: 'Import bank files' }, lang), body, lang, { user, csrf, here: `/liaison/upload${kind ? `?kind=${kind}` : ''}` });
}

function validatePage(req: FastifyRequest, lang: Lang, csrf: string, error?: Msg): string {
  const t = (m: Msg) => h(tr(m, lang));
  const layouts = [`<option value="">${t({ ja: 'ファイルから判別', en: 'detect from the file' })}</option>`, ...listLayoutIds().map((id) => `<option value="${h(id)}">${h(id)}</option>`)].join('');
  const err = error === undefined ? '' : `<p class="err" role="alert">${t(error)}</p>`;
  const body = `<h1>${t({ ja: 'ファイル検査', en: 'Check a file' })}</h1>${err}
<p>${t({ ja: '固定長ファイルをレイアウトに照らして検査し（sashiosae validate と同じ規則）、先頭のレコードの内容を表示します（sashiosae inspect と同じ読み方。個人情報は伏せます）。何も保存しません。', en: 'Checks a fixed-width file against its layout (the rules of sashiosae validate) and shows its first records (read as sashiosae inspect reads them, personal data masked). Nothing is stored.' })}</p>
<form method="post" action="/liaison/validate?_csrf=${encodeURIComponent(csrf)}" enctype="multipart/form-data">
<label>${t({ ja: 'ファイル', en: 'File' })} <input type="file" name="file" required></label>
<label>${t({ ja: 'レイアウト', en: 'Layout' })} <select name="layout">${layouts}</select></label>
<button type="submit">${t({ ja: '検査する', en: 'Check' })}</button>
</form>`;
  return layout(tr({ ja: 'ファイル検査', en: 'Check a file' }, lang), body, lang, { user: req.user!, csrf, here: '/liaison/validate' });
}

const NO_FILE: Msg = { ja: 'ファイルを選んでください', en: 'choose a file' };

/** The form's one file (field `file`); anything else in it is removed at once. */
function theFile(form: UploadForm): UploadForm['files'][number] | undefined {
  const f = form.files.find((x) => x.field === 'file');
  for (const other of form.files) if (other !== f) fs.rmSync(other.path, { force: true });
  return f;
}

/** Start the job on the upload: the private folder goes when the job ends, messages show the browser's name for its path. */
function startOnUpload(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply, name: string, action: Parameters<typeof startJob>[3]['action'], form: UploadForm, file: NonNullable<ReturnType<typeof theFile>>, layoutId?: string): FastifyReply {
  const args: UploadArgs = { path: file.path, name: file.name, ...(layoutId !== undefined ? { layout: layoutId } : {}) };
  return startJob(ctx, req, reply, { name, args, action, cleanup: [form.dir], aliases: { [file.path]: file.name, [form.dir]: '…' } });
}

export function registerLiaisonRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get<{ Querystring: { kind?: string } }>('/liaison/upload', { config: { action: 'import-results' } }, async (req, reply) => {
    const kind = isUploadKind(req.query.kind) ? req.query.kind : undefined;
    return html(reply, 200, uploadPage(req, langOf(req), reply.generateCsrf(), kind));
  });

  app.post('/liaison/upload', { config: { action: 'import-results', rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req, reply) => {
    const lang = langOf(req);
    const form = await receiveUploads(req, ctx.tmpRoot, ctx.uploadLimitMB());
    const file = theFile(form);
    const kind = form.fields['kind'];
    const refuse = (status: number, msg: Msg, k?: UploadKind) => {
      fs.rmSync(form.dir, { recursive: true, force: true });
      return html(reply, status, uploadPage(req, lang, reply.generateCsrf(), k, msg));
    };
    if (!isUploadKind(kind)) return refuse(400, { ja: 'ファイルの種類（照会回答・結果・入出金取引明細）を選んでください', en: 'choose the kind of file (answers, results or statement)' });
    if (!mayDo(req.user!.role, KIND_ACTION[kind])) return refuse(403, { ja: `この操作（${KIND_ACTION[kind]}）は役割 ${req.user!.role} ではできません`, en: `the role ${req.user!.role} may not do this (${KIND_ACTION[kind]})` }, kind);
    if (file === undefined) return refuse(400, NO_FILE, kind);
    return startOnUpload(ctx, req, reply, KIND_JOB[kind], KIND_ACTION[kind], form, file);
  });

  app.get('/liaison/validate', { config: { action: 'validate-file' } }, async (req, reply) => html(reply, 200, validatePage(req, langOf(req), reply.generateCsrf())));

  app.post('/liaison/validate', { config: { action: 'validate-file', rateLimit: { max: 60, timeWindow: '1 minute' } } }, async (req, reply) => {
    const lang = langOf(req);
    const form = await receiveUploads(req, ctx.tmpRoot, ctx.uploadLimitMB());
    const file = theFile(form);
    const layoutId = form.fields['layout'] ?? '';
    const refuse = (msg: Msg) => {
      fs.rmSync(form.dir, { recursive: true, force: true });
      return html(reply, 400, validatePage(req, lang, reply.generateCsrf(), msg));
    };
    // a layout by its id only (a path would read the server's files)
    if (layoutId !== '' && !listLayoutIds().includes(layoutId)) return refuse({ ja: `レイアウト「${layoutId}」はありません。一覧から選んでください`, en: `no layout "${layoutId}"; choose one from the list` });
    if (file === undefined) return refuse(NO_FILE);
    return startOnUpload(ctx, req, reply, 'liaison.validate', 'validate-file', form, file, layoutId === '' ? undefined : layoutId);
  });
}
