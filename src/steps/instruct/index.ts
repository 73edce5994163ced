/** The instruct step: its only entry from outside this folder (docs/architecture.md). */
export { instruct, parseCollect, recordKey, type InstructFile, type InstructOptions, type InstructOverride, type InstructResult } from './instruct.js';
