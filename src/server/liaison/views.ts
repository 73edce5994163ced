/** How a job page shows the outcome of each of the liaison's jobs (main thread; server/jobs/views.ts joins them). */
import type { JobView } from '../jobs/view-types.js';

export const LIAISON_VIEWS: Record<string, JobView> = {};
