/** The collector's actions on a batch's page (server/index.ts shows them above the report). */
import type { BatchActions } from '../http.js';

export const COLLECTOR_BATCH_ACTIONS: BatchActions = () => '';
