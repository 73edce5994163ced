/** The export-receipts step: its only entry from outside this folder (docs/architecture.md). */
export { exportReceipts } from './export-receipts.js';
export { exportReceiptsXlsx, RECEIPTS_SHEET } from './xlsx.js';
