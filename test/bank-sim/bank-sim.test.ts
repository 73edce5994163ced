import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulateBank } from '../../src/bank-sim/index.js';
import { Prng } from '../../src/bank-sim/prng.js';
import { FILE_RULES } from '../../src/cli/file-rules.js';
import { isBusinessDay } from '../../src/domain/calendar.js';
import { scanFileSync, validateFile as validateLayout } from '../../src/file/reader.js';
import { loadLayout } from '../../src/layout/load.js';
import { readWareki } from '../../src/layout/wareki.js';
import { makeBatch, newDb } from '../results/fixture.js';

/** What `validate` checks: the layout and the file rules (rules 3–6 of a result file, a statement's balances). */
const validateFile = (file: string, layout: Parameters<typeof validateLayout>[1]) => validateLayout(file, layout, { rules: FILE_RULES });

const CLI = path.resolve('dist/cli/main.js');

function request(spec: Partial<Parameters<typeof makeBatch>[2]> = {}) {
  const { db, dir, file } = newDb();
  const accounts = Array.from({ length: 300 }, (_v, i) => 1 + (i % 4));
  const b = makeBatch(db, dir, { accounts, limit: (i) => 20_000 + ((i * 7919) % 400_000), ...spec });
  db.close();
  return { dir, dbFile: file, req: b.files[0]!.path, b };
}

describe('bank-sim', () => {
  it('PRNG is deterministic per seed and spreads values', () => {
    const a = new Prng(5);
    const b = new Prng(5);
    const c = new Prng(6);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 1000 }, () => c.next())).not.toEqual(xs);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('writes a result file that validates (rules 3–6 included), deterministic per seed', () => {
    const { dir, req } = request();
    const o1 = path.join(dir, 'R1.DAT');
    const o2 = path.join(dir, 'R2.DAT');
    const o3 = path.join(dir, 'R3.DAT');
    const s = simulateBank({ requestPath: req, resultPath: o1, seed: 42 });
    simulateBank({ requestPath: req, resultPath: o2, seed: 42 });
    simulateBank({ requestPath: req, resultPath: o3, seed: 43 });
    expect(fs.readFileSync(o1).equals(fs.readFileSync(o2))).toBe(true);
    expect(fs.readFileSync(o1).equals(fs.readFileSync(o3))).toBe(false);
    const layout = loadLayout('seizure-120');
    const v = validateFile(o1, layout);
    expect(v.findings).toEqual([]);
    expect(v.valid).toBe(true);
    expect(s.records).toBe(750);
    // a realistic mix: several outcomes, the common ones present
    for (const c of ['01', '11', '31']) expect(s.results[c]?.records ?? 0).toBeGreaterThan(0);
    expect(Object.keys(s.results).length).toBeGreaterThanOrEqual(6);
    // the validate hook really runs rules 3–6 on a 52 file: break rule 5 on one record
    const bytes = fs.readFileSync(o1);
    let k = 1;
    while (Number(bytes.subarray(k * 122 + 88, k * 122 + 100).toString('latin1')) === 0) k++;
    const bad = Buffer.from(bytes);
    Buffer.from('20261206', 'latin1').copy(bad, k * 122 + 100);
    const badFile = path.join(dir, 'BAD.DAT');
    fs.writeFileSync(badFile, bad);
    const vb = validateFile(badFile, layout);
    expect(vb.valid).toBe(false);
    expect(vb.findings.map((f) => [f.code, f.record, f.offset, f.field])).toEqual([['result.date-not-business-day', k, k * 122 + 100, 'collectionDate']]);
    // the commands pass the rules themselves (src/cli/file-rules.ts), nothing registers them
    const cli = spawnSync('node', [CLI, 'validate', badFile, '--json'], { encoding: 'utf8' });
    expect(cli.status).toBe(3);
    expect((JSON.parse(cli.stdout) as { findings: Array<{ code: string; record: number }> }).findings.map((f) => [f.code, f.record])).toEqual([['result.date-not-business-day', k]]);
    const shown = spawnSync('node', [CLI, '--lang', 'en', 'inspect', badFile], { encoding: 'utf8' });
    expect(shown.status).toBe(3);
    expect(shown.stderr).toContain('not a bank business day');
    expect(spawnSync('node', [CLI, 'validate', o1], { encoding: 'utf8' }).status).toBe(0);
  });

  it('honours each limit across 枝番 in order; same header but 52; collection on the execution business day', () => {
    const { dir, req } = request({ execDate: '2026-11-23' }); // 勤労感謝の日 → collected 11-24
    const out = path.join(dir, 'R.DAT');
    simulateBank({ requestPath: req, resultPath: out, seed: 3 });
    const layout = loadLayout('seizure-120');
    const reqHeader: Record<string, string>[] = [];
    scanFileSync(req, layout, {}, (r) => r.kind === 'header' && reqHeader.push(r.fields));
    let cur = '';
    let remaining = 0;
    let reached = false;
    let checked = 0;
    scanFileSync(out, layout, {}, (r) => {
      if (r.kind === 'header') {
        expect({ ...r.fields, typeCode: '51' }).toEqual(reqHeader[0]);
        expect(r.fields['typeCode']).toBe('52');
      }
      if (r.kind !== 'data') return;
      const f = r.fields;
      if (f['requestNumber'] !== cur) {
        cur = f['requestNumber']!;
        remaining = Number(f['limitAmount']);
        reached = false;
      }
      const seized = Number(f['seizedAmount']);
      if (reached) expect(f['resultCode']).toBe('31');
      if (f['resultCode'] === '31') expect(reached).toBe(true);
      if (f['resultCode'] === '01') expect(seized).toBe(remaining);
      if (f['resultCode'] === '02') expect(seized).toBeLessThan(remaining);
      remaining -= seized;
      expect(remaining).toBeGreaterThanOrEqual(0);
      if (remaining === 0) reached = true;
      expect(f['collectedAmount']).toBe(f['seizedAmount']);
      expect(f['collectionDate']).toBe(seized > 0 ? '20261124' : '00000000');
      checked++;
    });
    expect(checked).toBe(750);
    expect(isBusinessDay('2026-11-24')).toBe(true);
  });

  it('取立保留: nothing collected, no dates', () => {
    const { dir, req } = request({ mode: 'deferred' });
    const out = path.join(dir, 'R.DAT');
    const s = simulateBank({ requestPath: req, resultPath: out, seed: 1 });
    expect(s.collected).toBe(0);
    expect(s.seized).toBeGreaterThan(0);
    expect(validateFile(out, loadLayout('seizure-120')).valid).toBe(true);
  });

  it('writes a statement for the city account with one deposit = collected total, and it validates', () => {
    const { dir, req } = request();
    const out = path.join(dir, 'R.DAT');
    const st = path.join(dir, 'S.DAT');
    const s = simulateBank({ requestPath: req, resultPath: out, statementPath: st, seed: 9 });
    const layout = loadLayout('statement-03');
    const v = validateFile(st, layout);
    expect(v.findings).toEqual([]);
    const deposits: Array<{ date: string | null; amount: number; kubun: string }> = [];
    let header: Record<string, string> = {};
    scanFileSync(st, layout, {}, (r) => {
      if (r.kind === 'header') header = r.fields;
      if (r.kind === 'data' && r.fields['inOutKubun'] === '1') deposits.push({ date: readWareki(r.fields['valueDate']!, '2026-12-31'), amount: Number(r.fields['amount']), kubun: r.fields['transactionKubun']! });
    });
    expect(header).toMatchObject({ bankCode: '0184', branchCode: '123', accountType: '1', accountNumber: '0001234567' });
    expect(header['periodFrom']).toBe('081201'); // 令和8年12月1日
    expect(deposits.filter((d) => d.amount === s.collected && d.date === '2026-12-01')).toHaveLength(1);
    expect(deposits.length + (v.dataRecords - deposits.length)).toBeGreaterThan(1); // unrelated transactions too
  });

  it('CLI: labelled as a simulator, --json, refuses to overwrite (exit 4), refuses a result file as input (exit 3)', () => {
    const { dir, req } = request();
    const out = path.join(dir, 'R.DAT');
    const human = spawnSync('node', [CLI, 'bank-sim', req, '--out', out, '--seed', '5'], { encoding: 'utf8' });
    expect(human.status, human.stderr).toBe(0);
    expect(human.stdout).toContain('銀行事務センター・シミュレーター（模擬）');
    const again = spawnSync('node', [CLI, 'bank-sim', req, '--out', out], { encoding: 'utf8' });
    expect(again.status).toBe(4);
    const out2 = path.join(dir, 'R2.DAT');
    const json = JSON.parse(execFileSync('node', [CLI, 'bank-sim', req, '--out', out2, '--seed', '5', '--json'], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(json).toMatchObject({ simulator: true, seed: 5, records: 750, fileNumber: 42 });
    expect(fs.readFileSync(out).equals(fs.readFileSync(out2))).toBe(true);
    const wrong = spawnSync('node', [CLI, 'bank-sim', out, '--out', path.join(dir, 'R3.DAT')], { encoding: 'utf8' });
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toContain('typeCode');
    expect(fs.existsSync(path.join(dir, 'R3.DAT'))).toBe(false);
  });
});
