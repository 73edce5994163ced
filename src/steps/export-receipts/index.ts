/** The export-receipts step: its only entry from outside this folder (docs/architecture.md). */
export { exportReceipts } from './export-receipts.js';
