import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { runWalkthrough } from '../readme/run-walkthrough.js';

/**
 * documents (issue 17 item 1) on the database of the README's second walkthrough: an
 * immediate batch (0184-00000002), a 取立保留 batch with a release (0184-00000003), its
 * instruction batch (0184-00000004) and an inquiry batch (0184-00000001). The PDFs are read
 * back with poppler-utils (pdftotext, pdftoppm); without them the tests are skipped, never passed.
 */
const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');

function has(cmd: string): boolean {
  return spawnSync(cmd, ['-v'], { stdio: 'ignore' }).error === undefined;
}
const hasPoppler = has('pdftotext') && has('pdftoppm');

let dir = '';
let dbPath = '';

function run(args: string[], db = dbPath): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, '--db', db, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2026-12-10' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The text of each page of a PDF (pdftotext separates pages by form feeds). */
function pages(pdf: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  return text.split('\f').filter((p, i, all) => i < all.length - 1 || p.trim() !== '');
}

function indexRows(csv: string): string[][] {
  const text = fs.readFileSync(csv, 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text.slice(1).trimEnd().split('\r\n').map((l) => l.split(','));
}

const yenOf = (page: string, label: string): number => {
  const m = new RegExp(`${label}\\s+([\\d,]+)円`).exec(page);
  if (m === null) throw new Error(`no ${label} on the page`);
  return Number(m[1]!.replace(/,/g, ''));
};

function report(batch: string): { seized: { amount: number }; holds?: { released: { amount: number } } } {
  return JSON.parse(run(['--json', 'report', batch]).stdout) as { seized: { amount: number }; holds?: { released: { amount: number } } };
}

describe.skipIf(!hasPoppler)('documents', () => {
  beforeAll(() => {
    const w = runWalkthrough('walkthrough-inquiry');
    expect(w.steps.filter((s) => s.status !== 0).map((s) => s.line)).toEqual([]);
    dir = w.dir;
    dbPath = path.join(dir, 'inquiry.db');
  }, 180_000);

  it('refuses without authority and collector (exit 2 naming them), then prints once they are loaded', () => {
    const r = run(['documents', '0184-00000002', '--out', 'no-settings']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('authority');
    expect(r.stderr).toContain('collector');
    expect(fs.existsSync(path.join(dir, 'no-settings', 'notice.pdf'))).toBe(false);
    const s = JSON.parse(fs.readFileSync(path.join(dir, 'samples/settings.json'), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, 'settings-docs.json'), JSON.stringify({ ...s, authority: '鹿児島市長　試験太郎', collector: '徴収職員　検査花子' }));
    expect(run(['settings', 'load', 'settings-docs.json']).status).toBe(0);
    const show = JSON.parse(run(['--json', 'settings', 'show']).stdout) as Record<string, unknown>;
    expect(show['authority']).toBe('鹿児島市長　試験太郎');
    expect(show['collector']).toBe('徴収職員　検査花子');
  });

  it('prints every kind a reconciled 取立保留 batch allows: pages, order, 宛名番号, totals, index, 0600, --json shape', () => {
    const r = run(['--json', 'documents', '0184-00000003', '--out', 'docs3']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { batch: string; draft: boolean; documents: Array<{ kind: string; file: string; index: string; pages: number; requests: number; numbers: { first: string; last: string; newlyAssigned: number } }>; missingGlyphs: unknown[] };
    expect(j.batch).toBe('0184-00000003');
    expect(j.draft).toBe(false);
    expect(j.documents.map((d) => d.kind)).toEqual(['seizure-record', 'notice', 'release']);
    expect(j.missingGlyphs).toEqual([]);
    const rep = report('0184-00000003');
    for (const d of j.documents) {
      const file = path.join(dir, d.file);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dir, d.index)).mode & 0o777).toBe(0o600);
      const ps = pages(file);
      expect(ps.length).toBe(d.pages);
      const rows = indexRows(path.join(dir, d.index));
      expect(rows[0]).toEqual(['ページ', '依頼番号', '宛名番号', '文書番号']);
      expect(rows.length - 1).toBe(d.pages);
      const reqs = rows.slice(1).map((x) => Number(x[1]));
      expect([...reqs].sort((a, b) => a - b)).toEqual(reqs); // 依頼番号 order
      rows.slice(1).forEach((row, i) => {
        expect(Number(row[0])).toBe(i + 1);
        const page = ps[i]!;
        expect(page).toMatch(new RegExp(`依頼番号 ${row[1]}\\b`));
        expect(page).toContain(row[2]!); // 宛名番号
        expect(page).toContain(row[3]!); // 文書番号
      });
      if (d.kind === 'seizure-record') {
        expect(ps.reduce((a, p) => a + yenOf(p, '差押金額 合計'), 0)).toBe(rep.seized.amount);
        for (const p of ps) expect(p.replace(/\s+/g, ' ')).toContain('徴収職員 検査花子');
      }
      if (d.kind === 'notice') {
        expect(d.pages).toBe(2);
        for (const p of ps) expect(p).toContain('請求があり次第即時'); // 取立保留
      }
      if (d.kind === 'release') {
        expect(d.pages).toBe(2 * d.requests);
        // two pages per request: to the delinquent (様), then to the bank (御中)
        expect(ps.map((p) => (/様/.test(p) ? 'delinquent' : /御中/.test(p) ? 'bank' : '?'))).toEqual(['delinquent', 'bank']);
        const released = ps.filter((p) => /様/.test(p)).reduce((a, p) => a + yenOf(p, '解除金額 合計'), 0);
        expect(released).toBe(rep.holds!.released.amount);
        expect(released).toBeGreaterThan(0);
      }
      for (const p of ps) {
        expect(p).not.toContain('見本');
        expect(p.replace(/\s+/g, ' ')).toContain('鹿児島市長 試験太郎');
      }
    }
  });

  it('an immediate batch: 即時 on the notice; page 1 rendered is not blank', () => {
    const r = run(['--json', 'documents', '0184-00000002', '--out', 'docs2', '--kind', 'notice', '--kind', 'seizure-record']);
    expect(r.status, r.stderr).toBe(0);
    const notice = pages(path.join(dir, 'docs2/notice.pdf'));
    expect(notice[0]).toMatch(/履行期限\s+即時/);
    expect(pages(path.join(dir, 'docs2/seizure-record.pdf')).reduce((a, p) => a + yenOf(p, '差押金額 合計'), 0)).toBe(report('0184-00000002').seized.amount);
    const pgm = execFileSync('pdftoppm', ['-gray', '-r', '30', '-f', '1', '-l', '1', path.join(dir, 'docs2/seizure-record.pdf')]);
    // binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel
    const head = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 40).toString('latin1'))!;
    const [w, h] = [Number(head[1]), Number(head[2])];
    const pixels = pgm.subarray(head[0].length);
    expect(pixels.length).toBe(w * h);
    let dark = 0;
    for (const p of pixels) if (p < 200) dark++;
    expect(dark).toBeGreaterThan(w * h * 0.01);
  });

  it('keeps document numbers on a reprint and audits each print without personal data', () => {
    const first = indexRows(path.join(dir, 'docs3/index-seizure-record.csv'));
    const r = run(['--json', 'documents', '0184-00000003', '--out', 'again', '--kind', 'seizure-record']);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { documents: Array<{ numbers: { newlyAssigned: number } }> };
    expect(j.documents[0]!.numbers.newlyAssigned).toBe(0);
    expect(indexRows(path.join(dir, 'again/index-seizure-record.csv'))).toEqual(first);
    const db = new Database(dbPath, { readonly: true });
    const rows = db.prepare("SELECT operator, batch_id, details FROM audit_log WHERE action = 'documents.print' AND batch_id = '0184-00000003' ORDER BY id").all() as Array<{ operator: string; details: string }>;
    const names = (db.prepare("SELECT t.name FROM requests r JOIN taxpayers t ON t.atena = r.atena WHERE r.batch_id = '0184-00000003'").all() as Array<{ name: string }>).map((x) => x.name);
    db.close();
    expect(rows.length).toBe(4); // three kinds, then the reprint
    const last = JSON.parse(rows[3]!.details) as { kind: string; numbers: { first: number; last: number }; pages: number; newlyAssigned: number };
    expect(last).toMatchObject({ kind: 'seizure-record', pages: 2, newlyAssigned: 0 });
    expect(last.numbers.last - last.numbers.first + 1).toBe(2);
    for (const row of rows) {
      expect(row.operator).not.toBe('');
      for (const n of names) expect(row.details).not.toContain(n);
    }
  });

  it('exit 4: an existing output (nothing written), a wrong kind of batch, a kind with nothing to print', () => {
    fs.mkdirSync(path.join(dir, 'taken'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'taken/index-release.csv'), 'x');
    const taken = run(['documents', '0184-00000003', '--out', 'taken']);
    expect(taken.status).toBe(4);
    expect(fs.readdirSync(path.join(dir, 'taken'))).toEqual(['index-release.csv']);
    for (const b of ['0184-00000004', '0184-00000001']) {
      const r = run(['documents', b, '--out', `wrong-${b}`]);
      expect(r.status).toBe(4);
      expect(r.stderr).toContain('documents');
    }
    const none = run(['documents', '0184-00000002', '--out', 'none', '--kind', 'release']);
    expect(none.status).toBe(4);
    expect(none.stderr).toContain('差押解除通知書');
    expect(fs.existsSync(path.join(dir, 'none/release.pdf'))).toBe(false);
    expect(run(['documents', '0184-00000002', '--out', 'none', '--kind', 'bogus']).status).toBe(2);
    expect(run(['documents', '9999-00000001', '--out', 'none']).status).toBe(2);
  });

  it('--draft marks every page 見本', () => {
    const r = run(['documents', '0184-00000002', '--out', 'draft', '--draft', '--kind', 'notice']);
    expect(r.status, r.stderr).toBe(0);
    for (const p of pages(path.join(dir, 'draft/notice.pdf'))) expect(p).toContain('見本');
  });

  it('a name with a character the font lacks is printed as 〓 and reported by 宛名番号, never a silent blank', () => {
    const copy = path.join(dir, 'glyph.db');
    fs.copyFileSync(dbPath, copy);
    const db = new Database(copy);
    const atena = (db.prepare("SELECT atena FROM requests WHERE batch_id = '0184-00000002'").get() as { atena: string }).atena;
    // U+20BB7 𠮷 (tsuchi-yoshi) is outside IPAex明朝; U+2A6B2 is in no Japanese font installed here
    db.prepare('UPDATE taxpayers SET name = ? WHERE atena = ?').run('\u{2A6B2}\u{20BB7}田　一郎', atena);
    db.close();
    const r = run(['--json', 'documents', '0184-00000002', '--out', 'glyph', '--kind', 'notice'], copy);
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { missingGlyphs: Array<{ kind: string; taxpayer: string; characters: number }> };
    expect(j.missingGlyphs.length).toBe(1);
    expect(j.missingGlyphs[0]).toMatchObject({ kind: 'notice', taxpayer: atena });
    expect(j.missingGlyphs[0]!.characters).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toContain(atena);
    expect(r.stderr).not.toContain('一郎');
    const text = pages(path.join(dir, 'glyph/notice.pdf'))[0]!;
    expect(text).toContain('〓');
    expect(text).toContain('田');
  });
});
