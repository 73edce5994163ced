/** The header's links to the liaison's pages (server/pages.ts shows each to the roles that may use them). */
import type { NavLink } from '../http.js';

export const LIAISON_NAV: readonly NavLink[] = [
  { href: '/liaison/upload', label: { ja: '銀行ファイル取込', en: 'Import bank files' }, action: 'import-results' },
  { href: '/liaison/validate', label: { ja: 'ファイル検査', en: 'Check a file' }, action: 'validate-file' },
];
