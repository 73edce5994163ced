/** The write step: its only entry from outside this folder (docs/architecture.md). */
export { writeBatch, writeBatches } from './write.js';
