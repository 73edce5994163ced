/**
 * The admin's pages and actions of the web application (issue 18): the settings (what
 * `settings show` shows; a settings file loaded as `settings load` loads it) and the users
 * (`users list`, `users add`, `users disable`). Each change calls the same step as the CLI,
 * in one transaction on the server's connection (they are quick: no job), audited under the
 * signed-in admin. A password is read from the form and handed to the step only: it reaches
 * no page, log or audit entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, EXIT, usageError } from '../../core/errors.js';
import type { Lang } from '../../core/i18n.js';
import { passwordProblem } from '../../domain/users.js';
import { buildSettingsShowJson } from '../../report/settings.js';
import { loadSettingsFile } from '../../settings/index.js';
import { addUser, disableUserByName, listUsers } from '../../steps/users/index.js';
import { formOf, html, langOf, type ServerContext } from '../http.js';
import { errorSection } from '../pages.js';
import { receiveUploads } from '../uploads.js';
import { settingsPage, usersPage, type Notice, type UserForm } from './pages.js';

/** The HTTP status of a refusal (as the server's error handler answers it). */
function statusOf(e: unknown): number {
  if (!(e instanceof AppError)) return 500;
  if (e.code === 'http.upload-too-large') return 413;
  return e.exit === EXIT.rejected ? 422 : e.exit === EXIT.conflict ? 409 : 400;
}

export function registerAdminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const settings = (req: FastifyRequest, reply: FastifyReply, status: number, notice?: Notice) =>
    html(reply, status, settingsPage(buildSettingsShowJson(ctx.db), langOf(req), req.user!, reply.generateCsrf(), notice));

  app.get('/admin/settings', { config: { action: 'settings' } }, async (req, reply) => settings(req, reply, 200));

  // settings load from an uploaded file: the whole file is checked, then stored in one transaction (or nothing)
  app.post('/admin/settings', { config: { action: 'settings' } }, async (req, reply) => {
    const lang = langOf(req);
    let form;
    try {
      form = await receiveUploads(req, ctx.tmpRoot, ctx.uploadLimitMB());
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return settings(req, reply, statusOf(e), { errorHtml: errorSection(e, lang) });
    }
    let aliases: Record<string, string> = {};
    try {
      const file = form.files.find((f) => f.field === 'settings');
      if (file === undefined) throw usageError('admin.no-file', { ja: '設定ファイル（JSON）を選んでください', en: 'choose a settings file (JSON)' });
      // the step names the file by its base name: show the browser's name instead
      aliases = { [file.path]: file.name, [path.basename(file.path)]: file.name };
      const r = loadSettingsFile(ctx.db, file.path, req.user!.name);
      const notes = r.notes.map((n) => ` ${n[lang]}`).join('');
      const added = r.banks.filter((b) => b.created).length;
      const extra = r.protectedPatterns;
      return settings(req, reply, 200, {
        ok: {
          ja: `${file.name} を読み込みました（金融機関 ${added} 件追加・${r.banks.length - added} 件更新${extra !== null ? `、追加の摘要パターン ${extra.length} 件` : ''}）。${notes}`,
          en: `${file.name} loaded (banks: ${added} added, ${r.banks.length - added} updated${extra !== null ? `; ${extra.length} extra 摘要 patterns` : ''}).${notes}`,
        },
      });
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return settings(req, reply, statusOf(e), { errorHtml: errorSection(e, lang, aliases) });
    } finally {
      fs.rmSync(form.dir, { recursive: true, force: true });
    }
  });

  const users = (req: FastifyRequest, reply: FastifyReply, status: number, notice?: Notice, form?: UserForm) =>
    html(reply, status, usersPage(listUsers(ctx.db), langOf(req), req.user!, reply.generateCsrf(), notice, form));
  const refused = (req: FastifyRequest, reply: FastifyReply, e: unknown, lang: Lang, form?: UserForm) => {
    if (!(e instanceof AppError)) throw e;
    // every refusal of a form is the form's fault: 400 with the form again
    return users(req, reply, 400, { errorHtml: errorSection(e, lang) }, form);
  };

  app.get('/admin/users', { config: { action: 'users' } }, async (req, reply) => users(req, reply, 200));

  app.post('/admin/users', { config: { action: 'users' } }, async (req, reply) => {
    const lang = langOf(req);
    const f = formOf(req);
    const name = f['name'] ?? '';
    const role = f['role'] ?? '';
    const password = f['password'] ?? '';
    const form: UserForm = { name, role };
    try {
      // the policy's own words (the step's add a hint about standard input, which is the CLI's)
      const problem = passwordProblem(password);
      if (problem !== null) throw usageError('users.password-policy', problem);
      const u = addUser(ctx.db, name, role, password, { operator: req.user!.name });
      return users(req, reply, 200, { ok: { ja: `利用者 ${u.name} を追加しました`, en: `user ${u.name} added` } });
    } catch (e) {
      return refused(req, reply, e, lang, form);
    }
  });

  app.post<{ Params: { name: string } }>('/admin/users/:name/disable', { config: { action: 'users' } }, async (req, reply) => {
    const lang = langOf(req);
    const name = req.params.name;
    try {
      if (formOf(req)['confirm'] !== '1')
        throw usageError('admin.confirm-required', { ja: `利用者 ${name} を無効にするには、確認の欄にチェックを入れてください`, en: `tick the confirmation to disable user ${name}` });
      if (name === req.user!.name) throw usageError('admin.self-disable', { ja: '自分自身は無効にできません（別の管理者に頼んでください）', en: 'you cannot disable yourself (ask another administrator)' });
      disableUserByName(ctx.db, name, { operator: req.user!.name });
      return users(req, reply, 200, { ok: { ja: `利用者 ${name} を無効にしました（サインインできません）`, en: `user ${name} disabled (cannot sign in)` } });
    } catch (e) {
      return refused(req, reply, e, lang);
    }
  });
}
