/**
 * Issue 13, item 13: a result record whose account number differs from the request
 * only before its last four digits showed `期待値 "***2345", 実際 "***2345"`. The
 * finding now says which digit differs, still without either whole number.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateBank } from '../../src/bank-sim/index.js';
import { importResults } from '../../src/steps/import-results/import-results.js';
import { formatFinding } from '../../src/core/errors.js';
import { setLang } from '../../src/core/i18n.js';
import { maskedAccountDifference } from '../../src/core/mask.js';
import { appErrorOf } from '../helpers/errors.js';
import { dbFingerprint, makeBatch, newDb } from './fixture.js';

const R = 122; // 120 + CRLF

describe('masked account numbers that look equal', () => {
  it('maskedAccountDifference: masked forms, and the 1-based position of the first differing digit', () => {
    expect(maskedAccountDifference('1234567', '1294567')).toEqual({ expected: '***4567', found: '***4567', position: 3, note: { ja: '3桁目が異なります', en: 'digit 3 differs' } });
    expect(maskedAccountDifference('1234567', '1234568')).toMatchObject({ expected: '***4567', found: '***4568', position: 7 });
    expect(maskedAccountDifference('1234567', '1234567')).toMatchObject({ position: null, note: null });
  });

  it('import results: the digit that differs is named, in the finding and on the console line, with neither number whole', () => {
    const { db, dir } = newDb();
    const b = makeBatch(db, dir, { accounts: [1, 2, 3, 1, 4] });
    const out = path.join(dir, 'RESULT.DAT');
    simulateBank({ requestPath: b.files[0]!.path, resultPath: out, seed: 7 });
    const bytes = fs.readFileSync(out);
    const at = 3 * R + 17; // data record 3, account number (7 digits)
    const acc = bytes.subarray(at, at + 7).toString('latin1');
    const changed = acc.slice(0, 1) + (acc[1] === '9' ? '8' : '9') + acc.slice(2); // digit 2: masked forms stay equal
    const bad = Buffer.from(bytes);
    Buffer.from(changed, 'latin1').copy(bad, at);
    const file = path.join(dir, 'BAD.DAT');
    fs.writeFileSync(file, bad);
    const before = dbFingerprint(db);
    const e = appErrorOf(() => importResults(db, file));
    const f = e.findings.find((x) => x.field === 'accountNumber')!;
    expect(f).toMatchObject({ code: 'result.record-mismatch', record: 3, offset: at + 1, expected: `***${acc.slice(3)}`, found: `***${acc.slice(3)}` });
    expect(f.message.ja).toContain('2桁目が異なります');
    expect(f.message.en).toContain('digit 2 differs');
    setLang('ja');
    const line = formatFinding(f);
    expect(line).toContain('2桁目が異なります');
    expect(line).not.toContain(acc);
    expect(line).not.toContain(changed);
    expect(JSON.stringify(e.findings)).not.toContain(acc);
    expect(JSON.stringify(e.findings)).not.toContain(changed);
    expect(dbFingerprint(db)).toBe(before);
  });
});
