import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDb } from '../../src/db/connection.js';
import { audit, currentOperator } from '../../src/db/audit.js';

describe('audit', () => {
  it('inserts one row with operator, action, batch, hash and JSON details', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-'));
    const db = openDb(path.join(dir, 'a.db'));
    audit(db, { action: 'test.action', batchId: null, sha256: 'ab'.repeat(32), details: { rows: 3 } }, 'tanaka');
    audit(db, { action: 'test.other' });
    const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ operator: 'tanaka', action: 'test.action', batch_id: null, sha256: 'ab'.repeat(32) });
    expect(JSON.parse(String(rows[0]!['details']))).toEqual({ rows: 3 });
    expect(String(rows[0]!['at'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+09:00$/);
    expect(rows[1]!['operator']).toBe(currentOperator());
    expect(rows[1]!['details']).toBe('{}');
    db.close();
  });

  it('currentOperator prefers the explicit name, else the OS user', () => {
    expect(currentOperator('  suzuki ')).toBe('suzuki');
    expect(currentOperator('')).toBe(currentOperator());
    expect(currentOperator().length).toBeGreaterThan(0);
  });
});
