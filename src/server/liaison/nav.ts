/** The header's links to the liaison's pages (server/pages.ts shows each to the roles that may use it). */
import type { NavLink } from '../http.js';

export const LIAISON_NAV: readonly NavLink[] = [];
