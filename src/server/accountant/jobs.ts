/** The accountant's jobs (worker side; server/jobs/registry.ts joins them): each calls one step through its index.ts. */
import type { JobDef } from '../jobs/types.js';

export const ACCOUNTANT_JOBS: Record<string, JobDef<never, unknown>> = {};
