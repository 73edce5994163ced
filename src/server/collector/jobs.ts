/** The collector's jobs (worker side; server/jobs/registry.ts joins them): each calls one step through its index.ts. */
import type { JobDef } from '../jobs/types.js';

export const COLLECTOR_JOBS: Record<string, JobDef<never, unknown>> = {};
