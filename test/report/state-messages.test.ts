/**
 * Friction (issue 13): a batch in the wrong state was named by its raw English state
 * (`written`, `results-imported`) inside Japanese messages. Every message that names a
 * state uses the labels of src/domain/vocabulary.ts (as `batches` does).
 */
import { describe, expect, it } from 'vitest';
import { cancelBatch } from '../../src/steps/cancel/cancel.js';
import { exportReceipts } from '../../src/steps/export-receipts/export-receipts.js';
import { reconcile } from '../../src/steps/reconcile/reconcile.js';
import { writeBatch } from '../../src/steps/write/write.js';
import { AppError } from '../../src/core/errors.js';
import * as path from 'node:path';
import { batch, newDb } from '../reconcile/helpers.js';

const RAW = /extracted|written|results-imported|reconciled|cancelled|closed/;

async function refusal(f: () => unknown): Promise<AppError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('wrong-state messages name the state in the message language', () => {
  it('cancel, write, reconcile, export receipts: Japanese labels in ja, English labels in en', async () => {
    const { db, dir } = newDb();
    const cases: Array<{ what: string; state: string; ja: string; en: string; run: (b: string) => unknown }> = [
      { what: 'cancel', state: 'results-imported', ja: '結果取込済', en: 'results imported', run: (b) => cancelBatch(db, b) },
      { what: 'write', state: 'reconciled', ja: '消込済', en: 'reconciled', run: (b) => writeBatch(db, b, { media: path.join(dir, 'm') }) },
      { what: 'reconcile', state: 'written', ja: '媒体作成済', en: 'written', run: (b) => reconcile(db, b) },
      { what: 'export', state: 'cancelled', ja: '取消', en: 'cancelled', run: (b) => exportReceipts(db, b, path.join(dir, 'x.csv')) },
    ];
    for (const c of cases) {
      const b = batch(db, { state: c.state });
      const e = await refusal(() => c.run(b));
      expect(e.exit, c.what).toBe(4);
      expect(e.msg.ja, c.what).toContain(`「${c.ja}」`);
      expect(e.msg.ja, c.what).not.toMatch(RAW);
      expect(e.msg.en, c.what).toContain(c.en);
    }
  });
});
