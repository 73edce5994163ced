/** The header's links to the accountant's pages (server/pages.ts shows each to the roles that may use it). */
import type { NavLink } from '../http.js';

export const ACCOUNTANT_NAV: readonly NavLink[] = [];
