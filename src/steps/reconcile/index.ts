/** The reconcile step: its only entry from outside this folder (docs/architecture.md). */
export { reconcile } from './reconcile.js';
