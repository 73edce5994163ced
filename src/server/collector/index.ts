/**
 * The collector's pages and actions of the web application (issue 18): import the delinquency
 * export, inquire, extract (each a job calling the step as the CLI does; collector/jobs.ts), and
 * on a batch's page write its request files and cancel it. Form input is checked here: bad input
 * re-renders the form with 400 and starts no job.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, conflict, EXIT, usageError } from '../../core/errors.js';
import type { Msg } from '../../core/i18n.js';
import { isValidIso } from '../../core/dates.js';
import { getBatch } from '../../db/batches.js';
import { noSuchBatch } from '../../db/no-such-batch.js';
import { requireBusinessDay } from '../../domain/business-day-check.js';
import { batchKindMsg, batchStateMsg } from '../../domain/vocabulary.js';
import { cancelBatch } from '../../steps/cancel/index.js';
import { parseMaxRejectRate, type FileRole } from '../../steps/import-targets/index.js';
import { formOf, html, langOf, type ServerContext } from '../http.js';
import { mediaDirFromForm } from '../media.js';
import { startJob } from '../jobs/routes.js';
import { receiveUploads } from '../uploads.js';
import { COLLECTOR_WRITE_KINDS, WRITABLE_STATES } from './batch-actions.js';
import type { ExtractArgs, ImportArgs, InquireArgs, WriteArgs } from './jobs.js';
import { ROLES } from './labels.js';
import { extractPage, importPage, inquirePage } from './pages.js';

const formError = (msg: Msg): AppError => usageError('http.form', msg);

/** Optional whole number of days (empty: the step's default). */
function days(v: string | undefined, label: Msg): number | undefined {
  const s = (v ?? '').trim();
  if (s === '') return undefined;
  if (!/^\d{1,5}$/.test(s)) throw formError({ ja: `${label.ja}は0以上の整数（日数）で入力してください（${s}）`, en: `${label.en} must be a whole number of days, 0 or more (${s})` });
  return Number(s);
}

/** Bank codes separated by blanks or commas (empty: every bank, as without --bank). */
function banks(v: string | undefined): string[] {
  const list = (v ?? '').split(/[\s,、]+/).filter((x) => x !== '');
  for (const b of list) if (!/^\d{4}$/.test(b)) throw formError({ ja: `金融機関コードは4桁の数字です（${b}）`, en: `a bank code is 4 digits (${b})` });
  return [...new Set(list)];
}

function businessDay(v: string | undefined, what: Msg, codes: Parameters<typeof requireBusinessDay>[2]): string {
  const s = (v ?? '').trim();
  if (s === '') throw formError({ ja: `${what.ja}を入力してください`, en: `enter the ${what.en}` });
  requireBusinessDay(s, what, codes);
  return s;
}

/** A form page again with the message of a usage error (400); other errors go to the error handler. */
async function orForm(reply: FastifyReply, render: (error: AppError) => string, f: () => Promise<FastifyReply> | FastifyReply): Promise<FastifyReply> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof AppError && e.exit === EXIT.usage) return html(reply, 400, render(e));
    throw e;
  }
}

export function registerCollectorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const page = (req: FastifyRequest, reply: FastifyReply) => ({ lang: langOf(req), user: req.user!, csrf: reply.generateCsrf() });

  // 1. import targets (multipart: the token travels in the action URL)
  app.get('/collector/import', { config: { action: 'import-targets' } }, async (req, reply) => html(reply, 200, importPage(page(req, reply), {})));
  app.post('/collector/import', { config: { action: 'import-targets', rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    const up = await receiveUploads(req, ctx.tmpRoot, ctx.uploadLimitMB());
    return orForm(
      reply,
      (e) => {
        fs.rmSync(up.dir, { recursive: true, force: true });
        return importPage(page(req, reply), up.fields, e);
      },
      () => {
        const f = up.fields;
        const files: Partial<Record<FileRole, string>> = {};
        const names: Partial<Record<FileRole, string>> = {};
        for (const u of up.files) {
          const role = ROLES.find((r) => r === u.field);
          if (role === undefined) throw formError({ ja: `知らないファイル欄です（${u.field}）`, en: `unknown file field (${u.field})` });
          if (files[role] !== undefined) throw formError({ ja: `${role} のファイルは1つだけ選んでください`, en: `choose one file for ${role}` });
          files[role] = u.path;
          names[role] = u.name;
        }
        if (files.taxpayers === undefined || files.debts === undefined)
          throw formError({ ja: '滞納者（taxpayers.csv）と債権（debts.csv）のファイルを選んでください', en: 'choose the taxpayers and debts files (taxpayers.csv, debts.csv)' });
        const asOf = (f['asOf'] ?? '').trim();
        if (asOf !== '' && !isValidIso(asOf)) throw formError({ ja: `基準日は YYYY-MM-DD 形式の実在する日付で入力してください（${asOf}）`, en: `the as-of date must be a real YYYY-MM-DD date (${asOf})` });
        const enc = (f['encoding'] ?? '').trim();
        if (enc !== '' && enc !== 'utf8' && enc !== 'cp932') throw formError({ ja: `文字コードは自動・utf8・cp932 のいずれかです（${enc}）`, en: `the encoding is auto, utf8 or cp932 (${enc})` });
        const rate = (f['maxRejectRate'] ?? '').trim();
        const args: ImportArgs = {
          files,
          names,
          ...(asOf !== '' ? { asOf } : {}),
          ...(enc !== '' ? { encoding: enc as 'utf8' | 'cp932' } : {}),
          skipInvalid: f['skipInvalid'] === '1',
          ...(rate !== '' ? { maxRejectRate: parseMaxRejectRate(rate) } : {}),
        };
        const aliases: Record<string, string> = {};
        // the step's findings name a file by its path or by its base name (`2.upload`): both stand for the browser's name
        for (const u of up.files) aliases[u.path] = u.name;
        for (const u of up.files) aliases[path.basename(u.path)] = u.name;
        return startJob(ctx, req, reply, { name: 'collector.import-targets', args, action: 'import-targets', cleanup: [up.dir], aliases });
      },
    );
  });

  // 2. inquire
  app.get('/collector/inquire', { config: { action: 'inquire' } }, async (req, reply) => html(reply, 200, inquirePage(page(req, reply), {})));
  app.post('/collector/inquire', { config: { action: 'inquire' } }, async (req, reply) => {
    const f = formOf(req);
    return orForm(
      reply,
      (e) => inquirePage(page(req, reply), f, e),
      () => {
        const historyDays = days(f['historyDays'], { ja: '取引明細の日数', en: 'days of history' });
        const reinquireAfter = days(f['reinquireAfter'], { ja: '再照会の間隔', en: 'days before asking again' });
        const args: InquireArgs = {
          date: businessDay(f['baseDate'], { ja: '照会基準日', en: 'inquiry base date' }, { invalid: 'inquire.date', notBusinessDay: 'inquire.not-business-day' }),
          banks: banks(f['bank']),
          ...(historyDays !== undefined ? { historyDays } : {}),
          ...(reinquireAfter !== undefined ? { reinquireAfter } : {}),
          dryRun: f['dryRun'] === '1',
        };
        return startJob(ctx, req, reply, { name: 'collector.inquire', args, action: 'inquire' });
      },
    );
  });

  // 3. extract
  app.get('/collector/extract', { config: { action: 'extract' } }, async (req, reply) => html(reply, 200, extractPage(page(req, reply), {})));
  app.post('/collector/extract', { config: { action: 'extract' } }, async (req, reply) => {
    const f = formOf(req);
    return orForm(
      reply,
      (e) => extractPage(page(req, reply), f, e),
      () => {
        const coll = (f['collection'] ?? '').trim();
        if (coll !== '' && coll !== 'immediate' && coll !== 'deferred') throw formError({ ja: `取立は immediate か deferred です（${coll}）`, en: `collection is immediate or deferred (${coll})` });
        const min = (f['minAmount'] ?? '').replaceAll(',', '').trim();
        if (min !== '' && !/^\d{1,15}$/.test(min)) throw formError({ ja: `最低金額は円単位の整数で入力してください（${min}）`, en: `the minimum amount must be whole yen (${min})` });
        const maxAccountAge = days(f['maxAccountAge'], { ja: '口座情報の有効日数', en: 'days account information stays usable' });
        const args: ExtractArgs = {
          date: businessDay(f['executionDate'], { ja: '執行日（処理日）', en: 'execution date' }, { invalid: 'extract.date', notBusinessDay: 'extract.not-business-day' }),
          banks: banks(f['bank']),
          ...(coll !== '' ? { collection: coll as 'immediate' | 'deferred' } : {}),
          ...(min !== '' ? { minAmount: Number(min) } : {}),
          ...(maxAccountAge !== undefined ? { maxAccountAge } : {}),
          allowMultipleBanks: f['allowMultipleBanks'] === '1',
          dryRun: f['dryRun'] === '1',
        };
        return startJob(ctx, req, reply, { name: 'collector.extract', args, action: 'extract' });
      },
    );
  });

  /** The batch, if it exists (else 404). */
  const batchOf = (id: string) => {
    const b = getBatch(ctx.db, id);
    if (b === undefined) throw noSuchBatch(id);
    return b;
  };

  // 4. write an inquiry or seizure batch: download (the job's own folder) or a folder on the server's disk
  app.post<{ Params: { id: string } }>('/collector/batches/:id/write', { config: { action: 'write-request' } }, async (req, reply) => {
    const b = batchOf(req.params.id);
    const f = formOf(req);
    if (!COLLECTOR_WRITE_KINDS.includes(b.kind))
      throw new AppError({ code: 'batch.wrong-kind', exit: EXIT.usage, msg: { ja: `バッチ ${b.id} は${batchKindMsg(b.kind).ja}です。ここで書き出せるのは照会と差押のバッチです`, en: `batch ${b.id} is ${batchKindMsg(b.kind).en}; only inquiry and seizure batches are written here` } });
    if (!WRITABLE_STATES.includes(b.state))
      throw conflict('batch.wrong-state', { ja: `バッチ ${b.id} は状態「${batchStateMsg(b.state).ja}」のため書き出せません`, en: `batch ${b.id} is '${batchStateMsg(b.state).en}' and cannot be written` });
    const destination = (f['destination'] ?? 'download') || 'download';
    if (destination !== 'download' && destination !== 'media') throw formError({ ja: `書出し先は download か media です（${destination}）`, en: `the destination is download or media (${destination})` });
    const args: WriteArgs = { batch: b.id, destination };
    if (destination === 'media') {
      args.mediaDir = mediaDirFromForm(ctx, f['mediaDir']);
    }
    return startJob(ctx, req, reply, { name: 'collector.write', args, action: 'write-request', batch: b.id });
  });

  // 5. cancel: one quick transaction, here; the confirmation is required
  app.post<{ Params: { id: string } }>('/collector/batches/:id/cancel', { config: { action: 'cancel' } }, async (req, reply) => {
    const b = batchOf(req.params.id);
    const f = formOf(req);
    if (f['confirm'] !== '1') throw formError({ ja: '取り消すには確認の欄にチェックを入れてください（何も変えていません）', en: 'tick the confirmation to cancel (nothing was changed)' });
    const reason = (f['reason'] ?? '').trim();
    cancelBatch(ctx.db, b.id, { operator: req.user!.name, ...(reason !== '' ? { reason } : {}) });
    return reply.redirect(`/batches/${encodeURIComponent(b.id)}`, 303);
  });
}
