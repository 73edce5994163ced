/** The header's links to the admin's pages (server/pages.ts shows each to the roles that may use it). */
import type { NavLink } from '../http.js';

export const ADMIN_NAV: readonly NavLink[] = [
  { href: '/admin/settings', label: { ja: '設定', en: 'Settings' }, action: 'settings' },
  { href: '/admin/users', label: { ja: '利用者', en: 'Users' }, action: 'users' },
];
