/**
 * Issue 13 (CSV import defects): items 1, 2, 7, 12 — each reproduced on the
 * walkthrough's samples (CP932, CRLF, 15 taxpayers) or on the test fixtures.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import iconv from 'iconv-lite';
import { parse as parseCsv } from 'csv-parse/sync';
import { importTargets } from '../../src/steps/import-targets/import-targets.js';
import { setLang } from '../../src/core/i18n.js';
import { openDb } from '../../src/db/connection.js';
import { cli, counts, newDb, setCell, tmpDir, writeSet, rejection } from './helpers.js';

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
      const e = await rejection(importTargets(db, { ...files, asOf: '2026-11-30', engine: { producer: fastPath ? 'worker' : 'inline' } }));
      expect(e.exit).toBe(3);
      expect(e.findings.map((x) => [x.code, x.file, x.line, x.expected, x.found])).toEqual([
        ['import.field-count', 'taxpayers.csv', 3, '6', '7'],
        ['import.field-count', 'debts.csv', 2, '16', '15'],
      ]);
      expect(counts(db).taxpayers).toBe(0);
      db.close();
    }
  });

  it('a quote inside a value or an unclosed quote: a located CSV error (exit 3) that quotes no value, at the line where the row starts', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['山"田"太郎', '値の途中に引用符', /taxpayers\.csv、2行目/],
      ['"山田　太郎', '引用符（"）が閉じられていません', /taxpayers\.csv、2行目/],
    ];
    for (const [name, says, where] of cases) {
      const dir = tmpDir();
      const f = sampleSet(dir, { taxpayers: (t) => t.replace('山田　太郎', name) });
      const db = path.join(dir, 'x.db');
      expect((await cli(['--db', db, 'init'])).code).toBe(0);
      for (const json of [false, true]) {
        const r = await cli(args(db, f, ...(json ? ['--json'] : [])));
        expect(r.code, r.err).toBe(3);
        expect(r.err).toContain(says);
        expect(r.err).toMatch(where);
        for (const p of ['山', '太郎', '鹿児島県']) expect(r.out + r.err).not.toContain(p);
      }
    }
  });

  it('with --skip-invalid the row goes whole to the reject file, and the console still shows no value', async () => {
    const dir = tmpDir();
    const f = writeSet(dir, { taxpayers: (t) => t.replace('鹿児島 太郎', '鹿児島,太郎') });
    const db = newDb(dir);
    setLang('ja'); // the reject file's reasons are in the current language
    const s = await importTargets(db, { ...f, asOf: '2025-01-31', skipInvalid: true, maxRejectRate: 100 });
    expect(s.rejectedByFile.taxpayers).toBe(1);
    const rej = fs.readFileSync(`${f.taxpayers}.rejected.csv`, 'utf8');
    expect(rej).toContain('列の数が見出し行と違います（見出し行 7 列、この行 8 列）');
    expect(rej).toContain('鹿児島,太郎');
    db.close();
  });
});

describe('a rejected row whose cell holds a line break', () => {
  it('is written to the reject file as one CSV row that reads back to the same cells', async () => {
    const dir = tmpDir();
    // an LF-only line break inside a quoted address of a CRLF file
    const f = writeSet(dir, { taxpayers: (t) => t.replace('鹿児島 太郎', '"鹿児島\n太郎"') });
    const db = newDb(dir);
    const s = await importTargets(db, { ...f, asOf: '2025-01-31', skipInvalid: true, maxRejectRate: 100 });
    expect(s.rejectedByFile.taxpayers).toBe(1);
    const text = fs.readFileSync(`${f.taxpayers}.rejected.csv`, 'utf8').replace(/^\uFEFF/, '');
    expect(text).toContain('"鹿児島\n太郎"'); // quoted: Excel and our own reader take any line break as a row's end
    const rows = parseCsv(text, { relax_column_count: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
    expect(rows).toHaveLength(2); // the header and the one rejected row, not split at the LF
    expect(rows[1]).toContain('鹿児島\n太郎');
    db.close();
  });
});

describe('issue 13 item 2: mixed line endings, --skip-invalid on a broken file, bounded records', () => {
  /** CRLF header, then the rows with LF (or CR) endings */
  const mixed = (eol: string) => (t: string) => {
    const [head, ...rest] = t.split('\r\n');
    return `${head}\r\n${rest.join(eol)}`;
  };

  it('a CRLF header with LF rows (and CR rows) reads every row: 15 taxpayers, 21 debts, 16 accounts, both paths', async () => {
    for (const fastPath of [true, false]) {
      for (const eol of ['\n', '\r']) {
        const dir = tmpDir();
        const db = newDb(dir);
        const files = sampleSet(dir, { taxpayers: mixed(eol), debts: mixed(eol), accounts: mixed(eol), payments: mixed(eol) });
        const s = await importTargets(db, { ...files, asOf: '2026-11-30', engine: { producer: fastPath ? 'worker' : 'inline' } });
        expect([s.taxpayers, s.debts, s.accounts, s.payments, s.rejected]).toEqual([15, 21, 16, 2, 0]);
        db.close();
      }
    }
  });

  it('quoted cells and every line ending mixed in one file: rows and line numbers as csv-parse gives them', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    // line 2 CRLF, line 3 LF, line 4 CR, a quoted cell with a comma, then a bad 状態 on line 6
    const rows = ['宛名番号,氏名,氏名カナ,生年月日,住所,状態', '1,甲,カ,,"A,1",0', '2,乙,キ,,B,0', '3,丙,ク,,"C",0', '4,丁,ケ,,D,0', '5,戊,コ,,E,9'];
    const text = `${rows[0]}\r\n${rows[1]}\r\n${rows[2]}\n${rows[3]}\r${rows[4]}\n${rows[5]}\r\n`;
    const files = sampleSet(dir, {}, (s) => iconv.encode(s, 'cp932'));
    fs.writeFileSync(files.taxpayers, text);
    const e = await rejection(importTargets(db, { ...files, asOf: '2026-11-30' }));
    const state = e.findings.filter((f) => f.column === '状態' && f.file === 'taxpayers.csv');
    expect(state.map((f) => [f.line, f.found])).toEqual([[6, '9']]);
    db.close();
  });

  it('--skip-invalid refuses a file that looks broken (exit 3, nothing stored, nothing inactivated); --max-reject-rate raises the limit', async () => {
    const dir = tmpDir();
    const db = path.join(dir, 'x.db');
    expect((await cli(['--db', db, 'init'])).code).toBe(0);
    const good = sampleSet(dir);
    expect((await cli(args(db, good))).code).toBe(0);
    const d2 = tmpDir();
    // 2 of 15 taxpayers bad (13 %): a few bad rows, not a broken file, but above 5 %
    const f = sampleSet(d2, { taxpayers: (t) => t.replace(/(\r\n900000014,[^\r]*),0\r\n/, '$1,7\r\n').replace(/(\r\n900000015,[^\r]*),0/, '$1,8') });
    const before = countsAt(db);
    for (const json of [false, true]) {
      const r = await cli(args(db, f, '--skip-invalid', ...(json ? ['--json'] : [])));
      expect(r.code).toBe(3);
      expect(r.err).toContain('taxpayers.csv は 15 行のうち 2 行（13.3%）を取り込めません');
      expect(r.err).toContain('--max-reject-rate');
      if (json) expect(JSON.parse(r.out).error.code).toBe('import.too-many-rejected');
    }
    const after = countsAt(db);
    expect(after).toEqual(before);
    expect(fs.existsSync(`${f.taxpayers}.rejected.csv`)).toBe(false);
    // the limit raised: the good rows go in, the 2 bad ones (and their debts, accounts) to the reject files
    const ok = await cli(args(db, f, '--skip-invalid', '--max-reject-rate', '20', '--json'));
    expect(ok.code, ok.err).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ taxpayers: 13 });
    const bad = await cli(args(db, f, '--skip-invalid', '--max-reject-rate', 'lots'));
    expect(bad.code).toBe(2);
    const over = await cli(args(db, f, '--skip-invalid', '--max-reject-rate', '101'));
    expect(over.code).toBe(2);
  });

  it('a quoted cell of 200,000 characters (under the record cap) is a row finding, not a CSV error', async () => {
    for (const fastPath of [true, false]) {
      const dir = tmpDir();
      const db = newDb(dir);
      const files = writeSet(dir, { taxpayers: (t) => setCell(t, 3, '住所', '町,'.repeat(100_000)) });
      const e = await rejection(importTargets(db, { ...files, asOf: '2025-01-31', engine: { producer: fastPath ? 'worker' : 'inline' } }));
      expect(e.findings.map((f) => [f.code, f.line, f.column, f.found]), e.describe()).toEqual([['import.tooLong', 3, '住所', undefined]]);
      db.close();
    }
  });

  it('--skip-invalid: lines swallowed by a stray quote count against the limit (a file that yields fewer rows than its lines)', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    // a quote opened in 900000001's address and closed in 900000006's: one valid-looking row holding six lines,
    // and a bad 状態 on another row; the swallowing row is itself refused (import.line-break): 2 bad rows of 10 plus
    // the 5 swallowed lines = 7 of 15 lines
    const files = sampleSet(dir, {
      taxpayers: (t) => t.replace('鹿児島県鹿児島市中央町12番3号', '"鹿児島県鹿児島市中央町12番3号').replace('伊敷五丁目9番2号', '伊敷五丁目9番2号"').replace(/(\r\n900000010,[^\r]*),\d\r\n/, '$1,9\r\n'),
    });
    const e = await rejection(importTargets(db, { ...files, asOf: '2026-11-30', skipInvalid: true, maxRejectRate: 10 }));
    expect(e.code).toBe('import.too-many-rejected');
    expect(e.msg.en).toContain('taxpayers.csv: 7 of 15 lines (46.7%) cannot be imported (5 of them are inside quoted cells and yield no row)');
    expect(counts(db).taxpayers).toBe(0);
    db.close();
  });

  it('without --skip-invalid, a quote opened in one row and closed rows later is refused at that row (exit 3, no value shown, nothing stored), by both paths — not one row swallowing five', async () => {
    const dir = tmpDir();
    const f = sampleSet(dir, {
      taxpayers: (t) => t.replace('鹿児島県鹿児島市中央町12番3号', '"鹿児島県鹿児島市中央町12番3号').replace('伊敷五丁目9番2号', '伊敷五丁目9番2号"'),
    });
    for (const fastPath of [true, false]) {
      const db = newDb(dir);
      const e = await rejection(importTargets(db, { ...f, asOf: '2026-11-30', engine: { producer: fastPath ? 'worker' : 'inline' } }));
      expect(e.exit).toBe(3);
      const shape = e.findings.filter((x) => x.code === 'import.line-break');
      expect(shape.map((x) => [x.line, x.expected, x.found]), e.describe()).toEqual([[2, '1', '6']]);
      expect(e.describe()).not.toContain('鹿児島県鹿児島市中央町');
      expect(counts(db).taxpayers).toBe(0);
      db.close();
      for (const ext of ['', '-wal', '-shm']) fs.rmSync(path.join(dir, `test.db${ext}`), { force: true });
    }
    const db = path.join(dir, 'cli.db');
    expect((await cli(['--db', db, 'init'])).code).toBe(0);
    const r = await cli(args(db, f));
    expect(r.code).toBe(3);
    expect(r.err).toContain('2行目: この行の値に改行が含まれ、6 行にまたがっています');
    expect(r.out + r.err).not.toContain('鹿児島県鹿児島市中央町12番3号');
  });

  it('a file without line endings after its header is refused at the record cap with its line, not buffered whole', async () => {
    const dir = tmpDir();
    const db = newDb(dir);
    const files = writeSet(dir);
    // a header, then 3 MB of "row" with no line ending (the reader must stop at 1 Mi characters)
    fs.writeFileSync(files.taxpayers, `宛名番号,氏名,氏名カナ,生年月日,住所,状態\r\n${'1,'.repeat(1_500_000)}`);
    for (const fastPath of [true, false]) {
      const e = await rejection(importTargets(db, { ...files, asOf: '2025-01-31', engine: { producer: fastPath ? 'worker' : 'inline' }, skipInvalid: true }));
      expect(e.code).toBe('import.record-too-long');
      expect(e.exit).toBe(3);
      expect(e.location).toEqual({ file: 'taxpayers.csv', line: 2 });
    }
    // an unclosed quote swallowing the rest of the file: the same
    fs.writeFileSync(files.taxpayers, `宛名番号,氏名,氏名カナ,生年月日,住所,状態\r\n1,"甲,カ,,A,0\r\n${'2,乙,キ,,B,0\r\n'.repeat(150_000)}`);
    const e = await rejection(importTargets(db, { ...files, asOf: '2025-01-31' }));
    expect([e.code, e.location]).toEqual(['import.record-too-long', { file: 'taxpayers.csv', line: 2 }]);
    expect(counts(db).taxpayers).toBe(0);
    db.close();
  });
});

function countsAt(file: string): Record<string, number> {
  const db = openDb(file);
  try {
    return { ...counts(db), inactive: (db.prepare('SELECT COUNT(*) AS n FROM debts WHERE active = 0').get() as { n: number }).n };
  } finally {
    db.close();
  }
}

describe('issue 13 item 12: an amount too large for its column', () => {
  it('every money column: "too large" with the limit, the row and the column (not "digits only")', async () => {
    const big = '99999999999999999999';
    const dir = tmpDir();
    const db = newDb(dir);
    const debtCols = ['本税', '本税収納済額', '督促手数料', '督促手数料収納済額', '延滞金収納済額'];
    const files = writeSet(dir, {
      debts: (t) => debtCols.reduce((acc, c, i) => setCell(acc, 2 + i, c, big), t),
      accounts: (t) => setCell(t, 2, '調査時残高', '1,000,000,000,000'),
      payments: (t) => setCell(setCell(setCell(t, 2, '本税', big), 2, '督促手数料', big), 3, '延滞金', big),
    });
    const e = await rejection(importTargets(db, { ...files, asOf: '2025-01-31', engine: { producer: 'inline' } }));
    const tooLarge = e.findings.filter((f) => f.code === 'import.amountTooLarge');
    expect(tooLarge.map((f) => [f.file, f.line, f.column])).toEqual([
      ...debtCols.map((c, i) => ['debts.csv', 2 + i, c]),
      ['accounts.csv', 2, '調査時残高'],
      ['payments.csv', 2, '本税'],
      ['payments.csv', 2, '督促手数料'],
      ['payments.csv', 3, '延滞金'],
    ]);
    expect(tooLarge[0]!.message.ja).toBe('金額が大きすぎます（上限 999,999,999,999 円）');
    expect(tooLarge[0]!.message.en).toBe('the amount is too large (at most 999,999,999,999 yen)');
    expect(e.findings.filter((f) => f.code === 'import.amount')).toEqual([]);
    // the largest amount accepted is accepted
    const ok = writeSet(tmpDir(), { debts: (t) => setCell(t, 2, '本税', '999,999,999,999') });
    db.close();
    const db3 = newDb(tmpDir());
    const s = await importTargets(db3, { ...ok, asOf: '2025-01-31' });
    expect(s.debts).toBe(8);
    db3.close();
  });
});

describe('issue 13 item 7: a file in the wrong encoding is said to be so, once, naming the file', () => {
  const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
  const utf16be = (s: string) => {
    const b = Buffer.from(s, 'utf16le');
    for (let i = 0; i + 1 < b.length; i += 2) [b[i], b[i + 1]] = [b[i + 1]!, b[i]!];
    return b; // no BOM: the NUL bytes tell
  };
  const cases: Array<{ what: string; encode: (s: string) => Buffer; force?: string; expect: string[] }> = [
    { what: 'UTF-16LE with a BOM', encode: utf16le, expect: ['UTF-16', 'BOM（FF FE）'] },
    { what: 'UTF-16BE without a BOM', encode: utf16be, expect: ['UTF-16', 'NUL バイト'] },
    { what: 'EUC-JP', encode: (s) => iconv.encode(s, 'eucjp'), expect: ['EUC-JP'] },
    { what: 'UTF-8 forced as cp932', encode: (s) => Buffer.from(s, 'utf8'), force: 'cp932', expect: ['UTF-8', '--encoding'] },
    { what: 'UTF-16LE forced as utf8', encode: utf16le, force: 'utf8', expect: ['UTF-16'] },
  ];
  for (const c of cases) {
    it(`${c.what}: exit 3 with one error saying the encoding looks wrong and what was found`, async () => {
      const dir = tmpDir();
      const f = sampleSet(dir, {}, c.encode);
      const db = path.join(dir, 'x.db');
      expect((await cli(['--db', db, 'init'])).code).toBe(0);
      const r = await cli(args(db, f, ...(c.force ? ['--encoding', c.force] : [])));
      expect(r.code, r.err).toBe(3);
      const errors = r.err.split('\n').filter((l) => l.startsWith('エラー'));
      expect(errors.length).toBe(1);
      expect(errors[0]).toContain('taxpayers.csv の文字コードが違うようです');
      expect(errors[0]).toContain('ファイル taxpayers.csv');
      for (const e of c.expect) expect(errors[0]).toContain(e);
      expect(r.err).not.toContain('見出し行にありません');
      const j = await cli(args(db, f, ...(c.force ? ['--encoding', c.force] : []), '--json'));
      expect(j.code).toBe(3);
      expect(JSON.parse(j.out)).toMatchObject({ error: { code: 'import.wrong-encoding', location: { file: 'taxpayers.csv' } }, findings: [] });
      expect(counts(openDb(db)).imports).toBe(0);
    });
  }

  it('a header that is plainly not the contract (ASCII, right encoding) still lists the missing columns', async () => {
    const dir = tmpDir();
    const f = writeSet(dir, { taxpayers: (t) => t.replace(/^[^\n]*/, 'a,b,c,d,e,f,g') });
    const e = await rejection(importTargets(newDb(dir), { ...f, asOf: '2025-01-31' }));
    expect(e.code).toBe('import.header');
    expect(e.findings.map((x) => x.column)).toEqual(['宛名番号', '氏名', '氏名カナ', '状態']);
  });
});
