/** The header's links to the accountant's pages (server/pages.ts shows each to the roles that may use it). */
import type { NavLink } from '../http.js';

export const ACCOUNTANT_NAV: readonly NavLink[] = [
  { href: '/accountant/holds', label: { ja: '取立保留', en: 'Holds' }, action: 'holds' },
  { href: '/accountant/reconcile', label: { ja: '消込', en: 'Reconcile' }, action: 'reconcile' },
];
