/**
 * Every kind of job by name (worker side). Each area of the application (collector,
 * liaison, accountant, admin) keeps its jobs in its own `jobs.ts`; this file only joins them.
 */
import type { JobDef } from './types.js';
import { COLLECTOR_JOBS } from '../collector/jobs.js';
import { LIAISON_JOBS } from '../liaison/jobs.js';
import { ACCOUNTANT_JOBS } from '../accountant/jobs.js';
import { ADMIN_JOBS } from '../admin/jobs.js';
import { TEST_JOBS } from './test-jobs.js';

export const JOBS: Readonly<Record<string, JobDef<never, unknown>>> = {
  ...TEST_JOBS,
  ...COLLECTOR_JOBS,
  ...LIAISON_JOBS,
  ...ACCOUNTANT_JOBS,
  ...ADMIN_JOBS,
};
