/** The import-answers step: its only entry from outside this folder (docs/architecture.md). */
export { type ImportAnswersOptions, type ImportAnswersSummary, answersJson, importAnswers } from './import-answers.js';
export { answerFileRule, checkAnswerRecords, personalFound } from './answer-rules.js';
export { answersSummaryLines } from './summary-lines.js';
