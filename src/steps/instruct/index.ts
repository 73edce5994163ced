export { instruct, parseCollect, recordKey, type InstructFile, type InstructOptions, type InstructOverride, type InstructResult } from './instruct.js';
