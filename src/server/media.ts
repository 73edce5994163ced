/**
 * The folders on the server's disk a page may write a batch's files to (ADR 0187): only
 * those under a media root the administrator named when starting the server
 * (`serve --media-root DIR`, repeatable — e.g. where the office's USB drive mounts). Without
 * one, pages offer downloads only. A folder typed into a page is resolved with its links
 * (realpath) and must lie inside a root: a web form never chooses where on the server files go.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError, EXIT } from '../core/errors.js';
import type { Lang, Msg } from '../core/i18n.js';
import { escapeHtml } from '../report/html.js';
import { tr, type ServerContext } from './http.js';

function formError(ja: string, en: string): AppError {
  return new AppError({ code: 'http.form', exit: EXIT.usage, msg: { ja, en } });
}

/** Whether `dir` (resolved) is `root` or inside it. */
function inside(root: string, dir: string): boolean {
  const rel = path.relative(root, dir);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The media folder a form named, checked: absolute, an existing folder, under one of the server's media roots. */
export function mediaDirFromForm(ctx: ServerContext, typed: string | undefined): string {
  if (ctx.mediaRoots.length === 0)
    throw formError('このサーバーではサーバー上のフォルダへの書出しは使えません（ダウンロードを使ってください。管理者が serve --media-root で許可できます）', 'this server does not write to its own folders (use the download; an administrator allows it with serve --media-root)');
  const dir = (typed ?? '').trim();
  if (!path.isAbsolute(dir)) throw formError(`フォルダはサーバーのディスク上の絶対パスで入力してください（${dir}）`, `give the folder as an absolute path on the server's disk (${dir})`);
  let real: string;
  try {
    real = fs.realpathSync(dir);
    if (!fs.statSync(real).isDirectory()) throw new Error('not a folder');
  } catch {
    throw formError(`サーバーにフォルダ ${dir} がありません`, `the server has no folder ${dir}`);
  }
  const roots = ctx.mediaRoots.map((r) => {
    try {
      return fs.realpathSync(r);
    } catch {
      return path.resolve(r);
    }
  });
  if (!roots.some((r) => inside(r, real)))
    throw formError(`フォルダ ${dir} は書出しを許されたフォルダ（${ctx.mediaRoots.join('、')}）の中にありません`, `the folder ${dir} is not inside a folder writes are allowed to (${ctx.mediaRoots.join(', ')})`);
  return real;
}

/**
 * The destination part of a write form: download (always), and a folder on the server only
 * when the server has media roots (their paths shown). Field names: destination, mediaDir.
 */
export function destinationFields(ctx: ServerContext, lang: Lang, download: Msg): string {
  const t = (m: Msg) => escapeHtml(tr(m, lang));
  const dl = `<label><input type="radio" name="destination" value="download" checked> ${t(download)}</label>`;
  if (ctx.mediaRoots.length === 0) return dl;
  const roots = ctx.mediaRoots.join(lang === 'ja' ? '、' : ', ');
  return `${dl}
<label><input type="radio" name="destination" value="media"> ${t({ ja: 'サーバーのフォルダに書き出す', en: 'Write to a folder on the server' })}</label>
<label>${t({ ja: `フォルダ（サーバー上の絶対パス。${roots} の中の既にあるフォルダ）`, en: `Folder (an absolute path on the server, an existing folder inside ${roots})` })} <input name="mediaDir" size="40" placeholder="${escapeHtml(ctx.mediaRoots[0] ?? '')}"></label>`;
}
