/** The cancel step: its only entry from outside this folder (docs/architecture.md). */
export { cancelBatch } from './cancel.js';
