/**
 * The report of an inquiry batch (issue 15 item 6; cli.md `report --json` of an inquiry
 * batch): answers by 回答区分, accounts found, signed balance total, paper follow-ups by
 * 宛名番号 only — in JSON, terminal, CSV and HTML; before the answers: 回答未取込.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshDb, settings } from '../extract/helpers.js';
import { inquiryBatch, storeAnswers, PEOPLE } from '../helpers/inquiry-batch.js';
import { buildInquiryReport } from '../../src/report/inquiry.js';
import { buildReport } from '../../src/report/model.js';
import { appErrorOf } from '../helpers/errors.js';
import { built, cli } from '../cli/helpers.js';

function setup(answered = true) {
  const { db, dir, file } = freshDb();
  settings(db);
  const b = inquiryBatch(db);
  if (answered) {
    storeAnswers(db, b, {
      1: { code: '1', accounts: [{ number: '0012345', balance: 152_300 }, { branch: '010', type: '2', number: '0054321', balance: -5_000, loan: 1 }] },
      2: { code: '3' },
      3: { code: '2' },
      4: { code: '4' },
    });
  }
  return { db, dir, file, b };
}

/** Personal values of the fixture that must never be printed. */
const PERSONAL = [...PEOPLE.flatMap((p) => [p.kana, p.name, p.address]), '0012345', '0054321', '1989', '19890108'];

describe('report of an inquiry batch', () => {
  it('JSON: exactly the cli.md keys; answers per code, accounts, signed balance total, protectedTotal 0 (no details)', () => {
    const { db, b } = setup();
    const r = buildInquiryReport(db, b.id);
    expect(Object.keys(r.json)).toEqual(['batchId', 'kind', 'bankCode', 'state', 'inquiries', 'answers', 'accounts', 'balanceTotal', 'protectedTotal']);
    expect(r.json).toEqual({
      batchId: b.id,
      kind: 'inquiry',
      bankCode: '0184',
      state: 'answered',
      inquiries: 4,
      answers: { '1': 1, '2': 1, '3': 1, '4': 1 },
      accounts: 2,
      balanceTotal: 147_300,
      protectedTotal: 0,
    });
    expect(r.details.followUps).toEqual({ count: 2, rows: [{ atena: '1002', code: '3' }, { atena: '12', code: '4' }] });
  });

  it('the seizure report of an inquiry batch is exit 4 naming the kind; the inquiry report of an unknown batch exit 2', () => {
    const { db, b } = setup();
    const e = appErrorOf(() => buildReport(db, b.id));
    expect(e.exit).toBe(4);
    expect(e.code).toBe('batch.wrong-kind');
    expect(e.msg.ja).toContain('預金照会');
    expect(appErrorOf(() => buildInquiryReport(db, '0184-99999999')).exit).toBe(2);
  });

  it.runIf(built)('CLI: --json, terminal (follow-ups by 宛名番号 only), --csv one row per follow-up, --html; no personal value', () => {
    const { db, dir, file, b } = setup();
    db.close();
    const j = cli(['--db', file, '--json', 'report', b.id]);
    expect(j.status, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ kind: 'inquiry', inquiries: 4, accounts: 2, balanceTotal: 147_300 });

    const csv = path.join(dir, 'r.csv');
    const html = path.join(dir, 'r.html');
    const t = cli(['--db', file, 'report', b.id, '--csv', csv, '--html', html]);
    expect(t.status, t.stderr).toBe(0);
    expect(t.stdout).toContain('預金照会バッチ 0184-00000043');
    expect(t.stdout).toMatch(/1\s+該当あり\s+1 件/);
    expect(t.stdout).toMatch(/4\s+照会不備\s+1 件/);
    expect(t.stdout).toContain('口座: 2 件・残高合計 ¥147,300');
    expect(t.stdout).toContain('宛名番号 1002  3 電子回答不可（書面回答）');
    expect(t.stdout).toContain('宛名番号 12  4 照会不備');
    expect(t.stdout).not.toContain('宛名番号 1001');

    const lines = fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('バッチID,行,宛名番号,回答区分,内容,件数,金額');
    expect(lines.filter((l) => l.includes(',要確認,'))).toEqual([`${b.id},要確認,1002,3,電子回答不可（書面回答）,,`, `${b.id},要確認,12,4,照会不備,,`]);
    expect(lines).toContain(`${b.id},集計,,1,口座（残高合計）,2,147300`);
    expect(lines).toContain(`${b.id},集計,,2,該当なし,1,`);
    expect(fs.statSync(csv).mode & 0o777).toBe(0o600);

    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('<b id="inquiries">4 件</b>');
    expect(page).toContain('<b id="balance-total">¥147,300</b>');
    expect(page).toContain('<td>1002</td><td>3</td>');
    expect(page).toContain('id="chart-answers"');
    expect(fs.statSync(html).mode & 0o777).toBe(0o600);

    for (const out of [j.stdout, j.stderr, t.stdout, t.stderr, page, fs.readFileSync(csv, 'utf8')]) {
      for (const p of PERSONAL) expect(out).not.toContain(p);
    }
  });

  it.runIf(built)('before the answers: the inquiries and 回答未取込; answers all 0', () => {
    const { db, file, dir, b } = setup(false);
    db.close();
    const j = cli(['--db', file, '--json', 'report', b.id]);
    expect(JSON.parse(j.stdout)).toEqual({ batchId: b.id, kind: 'inquiry', bankCode: '0184', state: 'extracted', inquiries: 4, answers: { '1': 0, '2': 0, '3': 0, '4': 0 }, accounts: 0, balanceTotal: 0, protectedTotal: 0 });
    const html = path.join(dir, 'r.html');
    const t = cli(['--db', file, 'report', b.id, '--html', html]);
    expect(t.stdout).toContain('照会: 4 件');
    expect(t.stdout).toContain('回答: 回答未取込');
    expect(fs.readFileSync(html, 'utf8')).toContain('<p id="not-answered">回答未取込</p>');
  });
});
