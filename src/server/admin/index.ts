/**
 * The admin's pages and actions of the web application (issue 18): the settings (what
 * `settings show` shows; a settings file loaded as `settings load` loads it) and the users
 * (`users list`, `users add`, `users disable`). Each change calls the same step as the CLI,
 * in one transaction, audited under the signed-in admin: a settings file as a job (queued
 * behind any step that is running, so it never waits on the write lock in the server's
 * thread), the users on the server's connection as the sign-in does (ADR 0181, 0185). A password is read from the form and handed to the step only: it reaches
 * no page, log or audit entry.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, EXIT, usageError } from '../../core/errors.js';
import type { Lang } from '../../core/i18n.js';
import { passwordProblem } from '../../domain/users.js';
import { buildSettingsShowJson } from '../../report/settings.js';
import { addUser, disableUserByName, listUsers } from '../../steps/users/index.js';
import { formOf, html, langOf, type ServerContext } from '../http.js';
import { errorSection } from '../pages.js';
import { receiveUploads } from '../uploads.js';
import { startJob } from '../jobs/routes.js';
import type { SettingsLoadArgs } from './jobs.js';
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

  // settings load from an uploaded file, as a job (behind any step running: it never waits on the write lock here)
  app.post('/admin/settings', { config: { action: 'settings' } }, async (req, reply) => {
    const lang = langOf(req);
    let form;
    try {
      form = await receiveUploads(req, ctx.tmpRoot, ctx.uploadLimitMB());
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return settings(req, reply, statusOf(e), { errorHtml: errorSection(e, lang) });
    }
    const file = form.files.find((f) => f.field === 'settings');
    if (file === undefined) {
      fs.rmSync(form.dir, { recursive: true, force: true });
      const e = usageError('admin.no-file', { ja: '設定ファイル（JSON）を選んでください', en: 'choose a settings file (JSON)' });
      return settings(req, reply, 400, { errorHtml: errorSection(e, lang) });
    }
    return startJob(ctx, req, reply, {
      name: 'admin.settings-load',
      args: { file: file.path } satisfies SettingsLoadArgs,
      action: 'settings',
      cleanup: [form.dir],
      // the step names the file by its path or its base name: show the browser's name instead
      aliases: { [file.path]: file.name, [path.basename(file.path)]: file.name },
    });
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
