import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/program.js';

/** Run the CLI in-process; returns exit code and what went to stdout/stderr. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    const code = await run(args);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    process.exitCode = undefined;
  }
}

afterEach(() => {
  process.exitCode = undefined;
});

const EXAMPLE = ['entaikin', '--principal', '65000', '--due', '2021-05-31', '--paid', '2022-01-31'];

describe('sashiosae entaikin (in-process)', () => {
  it('prints the amount and a Japanese segment table', async () => {
    const r = await cli(EXAMPLE);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toBe('延滞金: 3,400円');
    expect(r.out).toContain('期間');
    expect(r.out).toMatch(/2021-06-01 – 2021-06-30 +30 +65,000 +2\.5% +133/);
    expect(r.out).toMatch(/2021-07-01 – 2021-12-31 +184 +65,000 +8\.8% +2,883/);
    expect(r.out).toMatch(/2022-01-01 – 2022-01-31 +31 +65,000 +8\.7% +480/);
    expect(r.out).toContain('3,496円');
  });
  it('--json prints exactly the contract document', async () => {
    const r = await cli([...EXAMPLE, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({
      entaikin: 3400,
      base: 65000,
      segments: [
        { from: '2021-06-01', to: '2021-06-30', days: 30, ratePercent: 2.5, amount: 133 },
        { from: '2021-07-01', to: '2021-12-31', days: 184, ratePercent: 8.8, amount: 2883 },
        { from: '2022-01-01', to: '2022-01-31', days: 31, ratePercent: 8.7, amount: 480 },
      ],
    });
    expect(r.out.startsWith('{"entaikin":3400,"base":65000,"segments":[{"from":"2021-06-01","to":"2021-06-30","days":30,"ratePercent":2.5,"amount":133}')).toBe(true);
  });
  it('English with --lang en, partial payments with --payment', async () => {
    const r = await cli(['--lang', 'en', ...EXAMPLE, '--payment', '2021-08-31:30,000']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('Entaikin (late charge): ¥2,300');
    expect(r.out).toMatch(/2021-09-01 – 2021-12-31 +122 +35,000 +8\.8% +1,029/);
  });
  it.each([
    [['--principal', 'abc'], '--principal'],
    [['--principal', '-5'], '--principal'],
    [['--principal', '65000.5'], '--principal'],
    [['--due', '2021-02-30'], '--due'],
    [['--paid', '2022/01/31'], '--paid'],
    [['--payment', '2021-08-31'], '--payment'],
    [['--payment', '2021-08-31:abc'], '--payment'],
  ])('bad input %j → exit 2 naming %s', async (override, option) => {
    const args = [...EXAMPLE];
    for (let i = 0; i < override.length; i += 2) {
      const k = args.indexOf(override[i] as string);
      if (k >= 0) args[k + 1] = override[i + 1] as string;
      else args.push(override[i] as string, override[i + 1] as string);
    }
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toContain('エラー');
    expect(r.err).toContain(option);
    expect(r.out).toBe('');
  });
  it('bad input with --json gives a JSON error with the usage exit code', async () => {
    const r = await cli(['entaikin', '--principal', '1', '--due', 'x', '--paid', '2022-01-31', '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.out).error).toMatchObject({ code: 'entaikin.bad-date', exit: 2, location: { field: '--due' } });
  });
  it('explains a zero result', async () => {
    const early = await cli(['entaikin', '--principal', '65000', '--due', '2021-05-31', '--paid', '2021-05-31']);
    expect(early.out).toContain('延滞金: 0円');
    expect(early.out).toContain('納期限以前');
    const small = await cli(['entaikin', '--principal', '1999', '--due', '2021-05-31', '--paid', '2022-05-31']);
    expect(small.out).toContain('2,000円未満');
  });
});

// The built CLI, when the build has produced it (npm test builds first; the skeleton's
// tsconfig emits to dist/src/cli/main.js while package.json's bin names dist/cli/main.js).
const built = ['dist/cli/main.js', 'dist/src/cli/main.js'].map((p) => path.resolve(p)).find((p) => fs.existsSync(p));
describe.skipIf(built === undefined)('sashiosae entaikin (built binary)', () => {
  it('prints 3400 for the 豊橋市 example and the --json shape', () => {
    const out = execFileSync(process.execPath, [built as string, ...EXAMPLE], { encoding: 'utf8' });
    expect(out).toContain('3,400円');
    const json = JSON.parse(execFileSync(process.execPath, [built as string, ...EXAMPLE, '--json'], { encoding: 'utf8' }));
    expect(json.entaikin).toBe(3400);
    expect(json.segments).toHaveLength(3);
  });
  it('exits 2 on a bad date', () => {
    let status = 0;
    try {
      execFileSync(process.execPath, [built as string, 'entaikin', '--principal', '1', '--due', '2021-13-01', '--paid', '2022-01-31'], { stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});

describe('entaikin: a year the rate table does not state yet', () => {
  it('unstatedRateYear names the latest year after the last stated one, else null', async () => {
    const { LAST_STATED_RATE_YEAR, unstatedRateYear } = await import('../../src/domain/entaikin-rates.js');
    expect(LAST_STATED_RATE_YEAR).toBe(2026);
    expect(unstatedRateYear(['2026-12-31', '2021-01-04'])).toBeNull();
    expect(unstatedRateYear(['2027-01-04', '2026-12-01', '2028-02-01'])).toBe(2028);
    expect(unstatedRateYear([])).toBeNull();
  });

  it('warns on stderr (also with --json) when days of 2027 are counted, and computes with the 2026 rates', async () => {
    const r = await cli(['entaikin', '--principal', '65000', '--due', '2026-05-31', '--paid', '2027-01-31', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.segments.at(-1)).toMatchObject({ from: '2027-01-01', to: '2027-01-31', ratePercent: 9.1 });
    expect(r.err).toContain('2027年の延滞金の割合がまだ登録されていない');
    expect(r.err).toContain('2026年の割合で計算しました');
    const en = await cli(['entaikin', '--principal', '65000', '--due', '2026-05-31', '--paid', '2027-01-31', '--lang', 'en']);
    expect(en.err).toContain('the rates of 2027 are not in the');
  });

  it('no warning when every day counted is in a stated year', async () => {
    const r = await cli(['entaikin', '--principal', '65000', '--due', '2021-05-31', '--paid', '2022-01-31']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
  });
});
