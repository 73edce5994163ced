/** The header's links to the admin's pages (server/pages.ts shows each to the roles that may use it). */
import type { NavLink } from '../http.js';

export const ADMIN_NAV: readonly NavLink[] = [];
