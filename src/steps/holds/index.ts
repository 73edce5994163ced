/** The holds listing: its only entry from outside this folder (docs/architecture.md). */
export { listHolds, type HoldsResult } from './holds.js';
