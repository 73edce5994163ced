/** How a job page shows the outcome of each of the accountant's jobs (main thread; server/jobs/views.ts joins them). */
import type { JobView } from '../jobs/view-types.js';

export const ACCOUNTANT_VIEWS: Record<string, JobView> = {};
