/** The header's links to the collector's pages (server/pages.ts shows each to the roles that may use it). */
import type { NavLink } from '../http.js';

export const COLLECTOR_NAV: readonly NavLink[] = [];
