/**
 * Issue 13 (CSV import defects): items 1, 2, 7, 12 — each reproduced on the
 * walkthrough's samples (CP932, CRLF, 15 taxpayers) or on the test fixtures.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { importTargets } from '../../src/batch/import-targets.js';
import { AppError } from '../../src/core/errors.js';
import { cli, counts, newDb, setCell, tmpDir, writeSet } from './helpers.js';

const SAMPLES = path.resolve(__dirname, '../../samples');
type SampleRole = 'taxpayers' | 'debts' | 'accounts' | 'payments';

/** The samples as text (decoded from CP932), optionally edited, written to dir as CP932. */
function sampleSet(dir: string, edit: Partial<Record<SampleRole, (text: string) => string>> = {}, encode: (text: string) => Buffer = (s) => iconv.encode(s, 'cp932')): Record<SampleRole, string> {
  const out = {} as Record<SampleRole, string>;
  for (const role of ['taxpayers', 'debts', 'accounts', 'payments'] as SampleRole[]) {
    const text = iconv.decode(fs.readFileSync(path.join(SAMPLES, `${role}.csv`)), 'cp932');
    const file = path.join(dir, `${role}.csv`);
    fs.writeFileSync(file, encode((edit[role] ?? ((s: string) => s))(text)));
    out[role] = file;
  }
  return out;
}

function args(db: string, f: Record<SampleRole, string>, ...more: string[]): string[] {
  return ['--db', db, 'import', 'targets', '--taxpayers', f.taxpayers, '--debts', f.debts, '--accounts', f.accounts, '--payments', f.payments, '--as-of', '2026-11-30', ...more];
}

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('issue 13 item 1: a row with more or fewer fields than the header', () => {
  const personal = ['鹿児島県鹿児島市中央町12番3号', '中央町', '山田', '太郎', 'ヤマダ', 'タロウ', '0012345', '1970-04-01'];

  it('taxpayers.csv and accounts.csv: the row, the expected and found field counts, and never a cell value (human and --json, both paths)', async () => {
    const dir = tmpDir();
    const f = sampleSet(dir, {
      taxpayers: (t) => t.replace('山田　太郎', '山田,太郎'),
      accounts: (t) => t.replace('ヤマダ　タロウ', 'ヤマダ,タロウ'),
    });
    const db = path.join(dir, 'x.db');
    expect((await cli(['--db', db, 'init'])).code).toBe(0);
    for (const json of [false, true]) {
      const r = await cli(args(db, f, ...(json ? ['--json'] : [])));
      expect(r.code).toBe(3);
      const all = r.out + r.err;
      for (const p of personal) expect(all, p).not.toContain(p);
      expect(r.err).toContain('ファイル taxpayers.csv、2行目: 列の数が見出し行と違います（見出し行 6 列、この行 7 列）');
      expect(r.err).toContain('ファイル accounts.csv、2行目: 列の数が見出し行と違います（見出し行 8 列、この行 9 列）');
      if (json) {
        const doc = JSON.parse(r.out) as { findings: Array<Record<string, unknown>> };
        expect(doc.findings).toEqual([
          expect.objectContaining({ code: 'import.field-count', file: 'taxpayers.csv', line: 2, expected: '6', found: '7' }),
          expect.objectContaining({ code: 'import.field-count', file: 'accounts.csv', line: 2, expected: '8', found: '9' }),
        ]);
      }
    }
    // English too
    const en = await cli(['--lang', 'en', ...args(db, f)]);
    expect(en.err).toContain('file taxpayers.csv, line 2: the row has a different number of fields from the header row (header 6, this row 7)');
    for (const p of personal) expect(en.out + en.err).not.toContain(p);
  });

  it('a shifted row that would pass every cell rule is refused too, by the fast path and the full path alike', async () => {
    for (const fastPath of [true, false]) {
      const dir = tmpDir();
      const db = newDb(dir);
      // one trailing empty field: every cell still valid where it is, but the row is not the header's shape
      const files = sampleSet(dir, { taxpayers: (t) => t.replace(/(\r\n900000002,[^\r]*)/, '$1,'), debts: (t) => t.replace(/\r\n(202501000101,[^,]*),/, '\r\n$1') });
      const e = await rejection(importTargets(db, { ...files, asOf: '2026-11-30', fastPath }));
      expect(e.exit).toBe(3);
      expect(e.findings.map((x) => [x.code, x.file, x.line, x.expected, x.found])).toEqual([
        ['import.field-count', 'taxpayers.csv', 3, '6', '7'],
        ['import.field-count', 'debts.csv', 2, '16', '15'],
      ]);
      expect(counts(db).taxpayers).toBe(0);
      db.close();
    }
  });

  it('with --skip-invalid the row goes whole to the reject file, and the console still shows no value', async () => {
    const dir = tmpDir();
    const f = writeSet(dir, { taxpayers: (t) => t.replace('鹿児島 太郎', '鹿児島,太郎') });
    const db = newDb(dir);
    const s = await importTargets(db, { ...f, asOf: '2025-01-31', skipInvalid: true, maxRejectRate: 100 });
    expect(s.rejectedByFile.taxpayers).toBe(1);
    const rej = fs.readFileSync(`${f.taxpayers}.rejected.csv`, 'utf8');
    expect(rej).toContain('different number of fields from the header row');
    expect(rej).toContain('鹿児島,太郎');
    db.close();
  });
});
