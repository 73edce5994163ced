/** The header's links to the collector's pages (server/pages.ts shows each to the roles that may use it). */
import type { NavLink } from '../http.js';

export const COLLECTOR_NAV: readonly NavLink[] = [
  { href: '/collector/import', label: { ja: '取込', en: 'Import' }, action: 'import-targets' },
  { href: '/collector/inquire', label: { ja: '照会', en: 'Inquire' }, action: 'inquire' },
  { href: '/collector/extract', label: { ja: '抽出', en: 'Extract' }, action: 'extract' },
];
