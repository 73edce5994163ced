/**
 * The demo's 取立保留 part (issue 16 item 5): for each deferred seizure batch whose
 * results are in — the held seizures (`holds`) → `instruct` on a bank business day
 * (the proposal: 差押金額 less the protected amount at inquiry) → `write` the
 * instruction files → the simulated bank collects and releases (`bank-sim`, with its
 * statement deposit) → `import results`. Accounts the bank answers 99 (not done) are
 * instructed again on the next business day, as staff would, until every hold is
 * resolved (a few rounds at most; the simulator answers 99 for a small seeded share).
 */
import * as path from 'node:path';
import { answerInstructions, requestLayout } from '../bank-sim/index.js';
import type { Db } from '../db/connection.js';
import { nextBusinessDay } from '../domain/calendar.js';
import { isInstructable } from '../domain/hold.js';
import { listHolds } from '../steps/holds/index.js';
import { importResults } from '../steps/import-results/index.js';
import { instruct } from '../steps/instruct/index.js';
import { writeBatch } from '../steps/write/index.js';

export interface DemoInstruction {
  id: string;
  date: string;
  files: string[];
  resultFiles: string[];
  statementFiles: string[];
  records: number;
  seizedTotal: number;
  collectTotal: number;
  releaseTotal: number;
  /** its report (HTML), once written */
  html?: string;
  /** by the bank's result: 01 done (collected yen), 99 not done (instructed again) */
  done?: { records: number; collected: number };
  notDone?: number;
}

export interface DemoHolds {
  seizureBatch: string;
  /** held seizures of the batch (records, 差押金額) and Σ protected amount at inquiry */
  held: { records: number; seized: number; protectedAmount: number };
  instructions: DemoInstruction[];
}

const MAX_ROUNDS = 5;

export async function resolveHolds(
  db: Db,
  seizureBatch: string,
  o: { firstDate: string; today: string; usbDir: string; bankDir: string; seed: number; operator: string | undefined },
): Promise<DemoHolds> {
  const before = listHolds(db, seizureBatch);
  const held = {
    records: before.rows.length,
    seized: before.rows.reduce((s, r) => s + r.seized, 0),
    protectedAmount: before.rows.reduce((s, r) => s + r.protectedAmount, 0),
  };
  const instructions: DemoInstruction[] = [];
  let date = o.firstDate;
  let seed = o.seed;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    if (!listHolds(db, seizureBatch).rows.some((r) => isInstructable(r.state))) break;
    const ins = instruct(db, seizureBatch, { date, today: o.today, ...(o.operator !== undefined ? { operator: o.operator } : {}) });
    const w = await writeBatch(db, ins.batch, { media: o.usbDir, operator: o.operator });
    const resultFiles: string[] = [];
    const statementFiles: string[] = [];
    for (const f of w.files) {
      const base = path.basename(f.path).replace(/\.[^.]*$/, '');
      const resultPath = path.join(o.bankDir, `${base}.RESULT.DAT`);
      const statementPath = path.join(o.bankDir, `${base}.STATEMENT.DAT`);
      answerInstructions({ instructionPath: f.path, resultPath, statementPath, seed: seed++ }, requestLayout(f.path));
      importResults(db, resultPath, { operator: o.operator });
      resultFiles.push(resultPath);
      statementFiles.push(statementPath);
    }
    instructions.push({
      id: ins.batch,
      date,
      files: w.files.map((f) => f.path),
      resultFiles,
      statementFiles,
      records: ins.records,
      seizedTotal: ins.seizedTotal,
      collectTotal: ins.collectTotal,
      releaseTotal: ins.releaseTotal,
    });
    date = nextBusinessDay(date);
  }
  return { seizureBatch, held, instructions };
}
