/** How a job page shows one kind of job (server/jobs/views.ts joins each area's). */
import type { Lang, Msg } from '../../core/i18n.js';
import type { Job } from './queue.js';

export interface JobView {
  title: Msg;
  /** the result as an HTML fragment (escape every value; show personal data only where the page needs it); default: none */
  render?(result: unknown, lang: Lang, job: Job): string;
}
