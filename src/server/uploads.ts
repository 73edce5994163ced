/**
 * Uploads (issue 18 item 4; ADR 0181): a multipart form's files are streamed, each up to the
 * installation's limit (settings `uploadLimitMB`, default 200 MB), into a new private folder
 * (0700) under the server's own temporary folder, as `1.upload`, `2.upload`, … — the name the
 * browser sent is kept only to be shown (escaped) and never becomes part of a path. A file
 * over the limit, or a form that fails half-way, leaves nothing behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError, EXIT } from '../core/errors.js';
import { FILE_MODE } from '../core/fsutil.js';

export interface Upload {
  /** the form field */
  field: string;
  /** the file name the browser sent, for display only (never a path) */
  name: string;
  /** where the server keeps it (private) */
  path: string;
  size: number;
}

export interface UploadForm {
  /** the form's text fields (the last value of each) */
  fields: Record<string, string>;
  files: Upload[];
  /** the private folder holding the files: delete it when done (the job queue's cleanup does) */
  dir: string;
}

/** The name a browser sent, made safe to show: its last path segment, no control characters, at most 200 characters. */
export function displayName(sent: string): string {
  const last = sent.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = [...last.replace(/[\u0000-\u001f\u007f]/g, '')].slice(0, 200).join('').trim();
  return clean === '' || clean === '.' || clean === '..' ? 'upload' : clean;
}

export function tooLarge(limitMB: number): AppError {
  return new AppError({
    code: 'http.upload-too-large',
    exit: EXIT.usage,
    msg: { ja: `ファイルが大きすぎます（上限 ${limitMB} MB。設定 uploadLimitMB で変えられます）`, en: `the file is too large (limit ${limitMB} MB; the setting uploadLimitMB changes it)` },
  });
}

/** Receive a multipart form into a new private folder under `root` (see the file comment). */
export async function receiveUploads(req: FastifyRequest, root: string, limitMB: number): Promise<UploadForm> {
  if (!req.isMultipart()) {
    throw new AppError({ code: 'http.not-multipart', exit: EXIT.usage, msg: { ja: 'ファイルを選んで送信してください（multipart/form-data）', en: 'choose a file and send the form (multipart/form-data)' } });
  }
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const dir = fs.mkdtempSync(path.join(root, 'up-'));
  const form: UploadForm = { fields: {}, files: [], dir };
  try {
    for await (const part of req.parts({ limits: { fileSize: limitMB * 1024 * 1024, files: 8, fields: 50 } })) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') form.fields[part.fieldname] = part.value;
        continue;
      }
      if (part.filename === '') {
        part.file.resume(); // an empty file input
        continue;
      }
      const file = path.join(dir, `${form.files.length + 1}.upload`);
      await pipeline(part.file, fs.createWriteStream(file, { flags: 'wx', mode: FILE_MODE }));
      if (part.file.truncated) throw tooLarge(limitMB);
      form.files.push({ field: part.fieldname, name: displayName(part.filename), path: file, size: fs.statSync(file).size });
    }
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    if ((e as { code?: unknown }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge(limitMB);
    throw e;
  }
  return form;
}
