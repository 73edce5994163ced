/** The write step: its only entry from outside this folder (docs/architecture.md). */
export { writeBatch, writeBatches } from './write.js';
export { REQUEST_FILE_RULES, inquiryRequestFileRule, instructionRequestFileRule, seizureRequestFileRule } from './request-rules.js';
