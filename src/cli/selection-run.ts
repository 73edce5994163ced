/**
 * The run of a selecting command (`extract`, `inquire`): its `--exclusions FILE` (refused
 * if it exists before anything is done, written as the step excludes, moved into place only
 * once the step succeeded, removed otherwise), progress on stderr every 50,000 taxpayers
 * of a large run, and the database opened and closed around the step.
 */
import type { Msg } from '../core/i18n.js';
import { t } from '../core/i18n.js';
import { count } from '../core/table.js';
import { refuseExisting } from '../core/output-file.js';
import { openDb, type Db } from '../db/connection.js';
import type { ExclusionReason } from '../domain/eligibility.js';
import { openExclusionList } from '../steps/extract/index.js';
import { say, type GlobalOpts } from './context.js';

export interface SelectionHooks {
  onExclusion?: (atena: string, bankCode: string | null, reason: string, detail: string | null) => void;
  onProgress: (done: number, total: number) => void;
}

const PROGRESS_EVERY = 50_000;

/** Run `step` with the hooks; `show` prints its result (JSON or words); then says where the exclusion list is. */
export function runSelection<R>(
  g: GlobalOpts,
  opts: { exclusions: string | undefined; labels?: Partial<Record<ExclusionReason, { ja: string }>>; progress: (done: string, total: string) => Msg },
  step: (db: Db, hooks: SelectionHooks) => R,
  show: (r: R) => void,
): void {
  const listFile = opts.exclusions;
  if (listFile !== undefined) refuseExisting(listFile);
  const db = openDb(g.db, { mustExist: true });
  const list = listFile !== undefined ? openExclusionList(listFile, opts.labels) : undefined;
  try {
    let lastShown = 0;
    const r = step(db, {
      ...(list !== undefined ? { onExclusion: list.add } : {}),
      onProgress: (done, total) => {
        if (total < PROGRESS_EVERY || done - lastShown < PROGRESS_EVERY) return;
        lastShown = done;
        process.stderr.write(`${t(opts.progress(count(done), count(total)))}\n`);
      },
    });
    const listed = list?.commit();
    show(r);
    if (listFile !== undefined && listed !== undefined) {
      say(g, t({ ja: `対象外の一覧を書き出しました: ${listFile}（${count(listed)} 行）`, en: `exclusions written: ${listFile} (${count(listed)} rows)` }));
    }
  } catch (e) {
    list?.abort();
    throw e;
  } finally {
    db.close();
  }
}
