/** The extract step: its only entry from outside this folder (docs/architecture.md). */
export { openExclusionList } from './exclusions.js';
export { type CollectionMode, type ExtractResult, extract } from './extract.js';
export { EXCLUSION_ROWS, ruleFacts, taxpayerPager } from './page.js';
