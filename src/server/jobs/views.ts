/**
 * How a job page shows each kind of job (main thread): its title, and its result as an HTML
 * fragment. Each area keeps its views in its own `views.ts`; this file joins them.
 */
import { escapeHtml as h } from '../../report/html.js';
import type { JobView } from './view-types.js';
import { COLLECTOR_VIEWS } from '../collector/views.js';
import { LIAISON_VIEWS } from '../liaison/views.js';
import { ACCOUNTANT_VIEWS } from '../accountant/views.js';
import { ADMIN_VIEWS } from '../admin/views.js';

const TEST_VIEWS: Record<string, JobView> = {
  'test.count': { title: { ja: 'テスト（数える）', en: 'test (count)' }, render: (r) => `<p>${h((r as { counted: number }).counted)}</p>` },
  'test.fail': { title: { ja: 'テスト（失敗）', en: 'test (fail)' } },
};

export const JOB_VIEWS: Readonly<Record<string, JobView>> = {
  ...TEST_VIEWS,
  ...COLLECTOR_VIEWS,
  ...LIAISON_VIEWS,
  ...ACCOUNTANT_VIEWS,
  ...ADMIN_VIEWS,
};
