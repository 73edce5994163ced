/** The inquire step: its only entry from outside this folder (docs/architecture.md). */
export { inquire, type InquireOptions, type InquireResult, type InquiryBatchSummary, type Substituted } from './inquire.js';
