/** How a job page shows the outcome of each of the collector's jobs (main thread; server/jobs/views.ts joins them). */
import type { JobView } from '../jobs/view-types.js';

export const COLLECTOR_VIEWS: Record<string, JobView> = {};
