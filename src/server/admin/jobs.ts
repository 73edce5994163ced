/** The admin's jobs (worker side; server/jobs/registry.ts joins them): each calls one step through its index.ts. */
import { loadSettingsFile, type LoadResult } from '../../settings/index.js';
import type { JobDef } from '../jobs/types.js';

export interface SettingsLoadArgs {
  /** the uploaded file (the server's private path) */
  file: string;
}

export type SettingsLoadSummary = Omit<LoadResult, 'protectedPatterns'> & { protectedPatterns: number | null };

export const ADMIN_JOBS: Record<string, JobDef<never, unknown>> = {
  /** settings load FILE: the whole file checked, then stored in one transaction (or nothing), audited under the admin */
  'admin.settings-load': {
    run(ctx, args: SettingsLoadArgs): SettingsLoadSummary {
      const r = loadSettingsFile(ctx.db, args.file, ctx.operator);
      return { ...r, protectedPatterns: r.protectedPatterns === null ? null : r.protectedPatterns.length };
    },
  } as JobDef<never, unknown>,
};
