/** documents (issue 17 item 1): the legal documents of a seizure batch as PDF. */
export { DOCUMENT_KINDS, kindsAllowed, outputNames, printDocuments, type DocumentsOptions, type DocumentsSummary } from './documents.js';
export { DEFAULT_FONTS, MISSING_GLYPH } from './font.js';
