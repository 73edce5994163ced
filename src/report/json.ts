/**
 * The document of `report --json` (cli.md) for a batch of any kind, from the builders the
 * CLI prints: buildReport (seizure), buildInquiryReport(…).json, buildInstructionReport(…).json.
 * `GET /api/batches/:id/report` serves it, so the two cannot drift.
 */
import type { Db } from '../db/connection.js';
import { batchKindOf } from '../db/batches.js';
import { buildReport } from './model.js';
import { buildInquiryReport } from './inquiry.js';
import { buildInstructionReport } from './instruction.js';

export function buildReportJson(db: Db, batchId: string): unknown {
  const kind = batchKindOf(db, batchId);
  if (kind === 'inquiry') return buildInquiryReport(db, batchId).json;
  if (kind === 'instruction') return buildInstructionReport(db, batchId).json;
  return buildReport(db, batchId);
}
