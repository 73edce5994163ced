import { describe, expect, it } from 'vitest';
import { LOCKOUT_WINDOW_MS, lockedUntil, mayDo, passwordProblem, ROLE_ACTIONS, ROLES } from '../../src/domain/users.js';
import { hashPassword, verifyPassword } from '../../src/core/password.js';

const MIN = 60_000;

describe('lockout rule (5 failures within 15 minutes → locked until 15 minutes after the first)', () => {
  const t0 = 1_800_000_000_000;
  it('four failures do not lock; the fifth locks until the first + 15 minutes', () => {
    const f = [0, 1, 2, 3].map((i) => t0 + i * MIN);
    expect(lockedUntil(f, t0 + 4 * MIN)).toBeNull();
    const five = [...f, t0 + 4 * MIN];
    expect(lockedUntil(five, t0 + 4 * MIN)).toBe(t0 + LOCKOUT_WINDOW_MS);
    expect(lockedUntil(five, t0 + 15 * MIN - 1)).toBe(t0 + 15 * MIN);
    expect(lockedUntil(five, t0 + 15 * MIN)).toBeNull();
  });
  it('five failures spread over more than 15 minutes do not lock', () => {
    expect(lockedUntil([0, 4, 8, 12, 16].map((m) => t0 + m * MIN), t0 + 16 * MIN)).toBeNull();
  });
});

describe('password policy and roles', () => {
  it('needs 12 characters (code points), no surrounding blanks', () => {
    expect(passwordProblem('a'.repeat(11))).not.toBeNull();
    expect(passwordProblem('a'.repeat(12))).toBeNull();
    expect(passwordProblem('差押'.repeat(6))).toBeNull();
    expect(passwordProblem(' ' + 'a'.repeat(12))).not.toBeNull();
  });
  it('every role reads; cancel is the collector’s only; users the admin’s only', () => {
    for (const r of ROLES) expect(mayDo(r, 'read')).toBe(true);
    expect(ROLES.filter((r) => mayDo(r, 'cancel'))).toEqual(['collector']);
    expect(ROLES.filter((r) => mayDo(r, 'users'))).toEqual(['admin']);
    expect(ROLE_ACTIONS.liaison).toContain('import-results');
  });
  it('scrypt hashes verify the right password only, with a fresh salt each time', async () => {
    const a = hashPassword('correct-horse-battery');
    expect(a).not.toBe(hashPassword('correct-horse-battery'));
    expect(await verifyPassword('correct-horse-battery', a)).toBe(true);
    expect(await verifyPassword('correct-horse-batterY', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});
