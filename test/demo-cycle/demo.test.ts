import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');

// The clock is months after the scenario's 照会基準日 (2026-11-24): the demo runs on its own
// "today" (ADR 0137), so it works on any real date; inquire by hand would refuse that date.
function run(args: string[], cwd = root) {
  return spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, SASHIOSAE_TODAY: '2027-06-01' } });
}

interface DemoJson {
  dir: string;
  db: string;
  today: string;
  inquiryBaseDate: string;
  processingDate: string;
  notInquired: Record<string, number>;
  inquiryBatches: Array<{ id: string; bankCode: string; inquiries: number; files: string[]; answerFiles: string[]; followUps: number; html: string; csv: string; report: {
    kind: string;
    state: string;
    inquiries: number;
    answers: Record<'1' | '2' | '3' | '4', number>;
    accounts: number;
  } }>;
  batches: Array<{ id: string; files: string[]; html: string; csv: string; xlsx: string; receiptsXlsx: string; documents: Array<{ kind: string; file: string; pages: number }>; report: {
    requested: { requests: number; records: number; limitTotal: number };
    seized: { records: number; amount: number };
    collected: { records: number; amount: number };
    receipts: { count: number; honzei: number; entaikin: number; fee: number; total: number };
    overpayment: number;
    statement: { deposit: number | null; difference: number | null; matched: boolean | null };
    state: string;
  } }>;
  holds: Array<{
    seizureBatch: string;
    held: { records: number; seized: number; protectedAmount: number };
    instructions: Array<{ id: string; date: string; files: string[]; resultFiles: string[]; statementFiles: string[]; records: number; seizedTotal: number; collectTotal: number; releaseTotal: number; html: string; done: { records: number; collected: number }; notDone: number }>;
  }>;
  report: string;
}

describe('sashiosae demo (child process, whole cycle)', () => {
  let tmp: string;
  let out: ReturnType<typeof run>;
  let doc: DemoJson;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sashiosae-demo-test-'));
    out = run(['demo', '--dir', path.join(tmp, 'd'), '--taxpayers', '400', '--json']);
    doc = JSON.parse(out.stdout) as DemoJson;
  }, 180_000);

  it('exits 0 and reports where the report is', () => {
    expect(out.status, out.stderr).toBe(0);
    expect(doc.report).toMatch(/report-.*\.html$/);
    expect(fs.existsSync(doc.report)).toBe(true);
    expect(fs.statSync(doc.report).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(doc.dir, 'DEMO-INCOMPLETE.txt'))).toBe(false);
  });

  it('starts from deposit inquiry: no accounts.csv, one inquiry batch per bank, every inquiry answered from the book', () => {
    expect(fs.existsSync(path.join(doc.dir, 'export', 'accounts.csv'))).toBe(false);
    for (const b of ['0184', '0005', '0009']) expect(fs.existsSync(path.join(doc.dir, 'export', `book-${b}.csv`))).toBe(true);
    expect(doc.inquiryBaseDate < doc.processingDate).toBe(true);
    expect(doc.inquiryBatches.map((b) => b.bankCode).sort()).toEqual(['0005', '0009', '0184']);
    const db = new Database(doc.db, { readonly: true });
    try {
      // nothing came from a hand-made list: the accounts table stays empty
      expect((db.prepare('SELECT COUNT(*) n FROM accounts').get() as { n: number }).n).toBe(0);
      for (const b of doc.inquiryBatches) {
        const r = b.report;
        expect(r.kind).toBe('inquiry');
        expect(r.state).toBe('answered');
        expect(r.inquiries).toBeGreaterThan(0);
        expect(r.answers['1'] + r.answers['2'] + r.answers['3'] + r.answers['4']).toBe(r.inquiries);
        expect(r.answers['1']).toBeGreaterThan(0);
        expect(b.followUps).toBe(r.answers['3'] + r.answers['4']);
        const stored = db.prepare('SELECT COUNT(*) n, COUNT(answer_code) answered FROM inquiry_answers WHERE batch_id = ?').get(b.id) as { n: number; answered: number };
        expect(stored).toEqual({ n: r.inquiries, answered: r.inquiries });
        expect((db.prepare('SELECT COUNT(*) n FROM answer_accounts WHERE batch_id = ?').get(b.id) as { n: number }).n).toBe(r.accounts);
        for (const f of [...b.files, ...b.answerFiles, b.html, b.csv]) {
          expect(fs.existsSync(f), f).toBe(true);
          expect(fs.statSync(f).mode & 0o777).toBe(0o600);
        }
        // the answer the simulated bank wrote passes validate (answer rules 3–5)
        const v = run(['validate', b.answerFiles[0]!, '--json']);
        expect(v.status, v.stdout + v.stderr).toBe(0);
      }
    } finally {
      db.close();
    }
  });

  it('extracts the seizure batches from the answers: every record names an answer account of its bank', () => {
    const db = new Database(doc.db, { readonly: true });
    try {
      for (const b of doc.batches) {
        const rows = db.prepare(
          `SELECT COUNT(*) n, COUNT(rr.answer_account_id) fromAnswers, COUNT(rr.account_id) fromCsv,
                  SUM(CASE WHEN aa.bank_code = bt.bank_code THEN 1 ELSE 0 END) sameBank
             FROM request_records rr JOIN requests q ON q.id = rr.request_id JOIN batches bt ON bt.id = q.batch_id
             LEFT JOIN answer_accounts aa ON aa.id = rr.answer_account_id WHERE q.batch_id = ?`,
        ).get(b.id) as { n: number; fromAnswers: number; fromCsv: number; sameBank: number };
        expect(rows.n).toBeGreaterThan(0);
        expect(rows).toEqual({ n: rows.n, fromAnswers: rows.n, fromCsv: 0, sameBank: rows.n });
      }
    } finally {
      db.close();
    }
  });

  it('writes the media, the bank files and the reports for every batch', () => {
    expect(doc.batches.length).toBeGreaterThanOrEqual(1);
    for (const b of doc.batches) {
      expect(b.files.length).toBeGreaterThanOrEqual(1);
      for (const f of [...b.files, b.html, b.csv, b.xlsx, b.receiptsXlsx]) {
        expect(fs.existsSync(f), f).toBe(true);
        expect(fs.statSync(f).mode & 0o777).toBe(0o600);
      }
      // the spreadsheets are real workbooks (a zip) beside the HTML report
      for (const f of [b.xlsx, b.receiptsXlsx]) expect(fs.readFileSync(f).subarray(0, 2).toString('latin1')).toBe('PK');
      expect(path.dirname(b.xlsx)).toBe(path.dirname(b.html));
      // the request file on the USB folder passes validate
      const v = run(['validate', b.files[0]!, '--json']);
      expect(v.status, v.stdout + v.stderr).toBe(0);
      expect(JSON.parse(v.stdout).valid).toBe(true);
    }
  });

  it('resolves the held (取立保留) seizures: protected amounts released, the rest collected, every hold resolved before reconcile', () => {
    // the generated books credit pensions and child allowances: some requests are held
    expect(doc.holds.length).toBeGreaterThanOrEqual(1);
    const db = new Database(doc.db, { readonly: true });
    try {
      let released = 0;
      for (const h of doc.holds) {
        const batch = doc.batches.find((b) => b.id === h.seizureBatch)!;
        expect(batch.report.state).toBe('reconciled');
        expect(h.instructions.length).toBeGreaterThanOrEqual(1);
        // the first instruction covers every held account; later ones only those the bank answered 99
        expect(h.instructions[0]!.records).toBe(h.held.records);
        expect(h.instructions[0]!.seizedTotal).toBe(h.held.seized);
        for (let i = 1; i < h.instructions.length; i++) expect(h.instructions[i]!.records).toBe(h.instructions[i - 1]!.notDone);
        expect(h.instructions.at(-1)!.notDone).toBe(0);
        for (const i of h.instructions) {
          expect(i.collectTotal + i.releaseTotal).toBe(i.seizedTotal);
          for (const f of [...i.files, ...i.resultFiles, ...i.statementFiles, i.html]) expect(fs.statSync(f).mode & 0o777, f).toBe(0o600);
          const v = run(['validate', i.files[0]!, '--json']);
          expect(v.status, v.stdout + v.stderr).toBe(0);
        }
        // every hold resolved; what was released is what the results' 01 records say
        const rows = db.prepare(
          `SELECT ir.result_code code, SUM(ir.release_amount) rel, SUM(ir.collected_amount) col FROM instruction_records ir JOIN batches ib ON ib.id = ir.batch_id
            WHERE ib.seizure_batch_id = ? GROUP BY ir.result_code`,
        ).all(h.seizureBatch) as Array<{ code: string; rel: number; col: number }>;
        const done = rows.find((r) => r.code === '01')!;
        expect(done.col).toBe(h.instructions.reduce((s, i) => s + i.done.collected, 0));
        released += done.rel;
        // the proposal never collects protected money the inquiry saw: release ≥ min(seized, protected) per account
        const short = db.prepare(
          `SELECT COUNT(*) n FROM instruction_records ir JOIN batches ib ON ib.id = ir.batch_id
            WHERE ib.seizure_batch_id = ? AND ir.release_amount < MIN(ir.seized_amount, ir.protected_amount)`,
        ).get(h.seizureBatch) as { n: number };
        expect(short.n).toBe(0);
      }
      expect(released).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('ends with the legal documents beside the reports: a 債権差押通知書 per request, a 差押調書 per request that seized, releases for the held batches', () => {
    const db = new Database(doc.db, { readonly: true });
    try {
      for (const b of doc.batches) {
        const byKind = new Map(b.documents.map((d) => [d.kind, d]));
        const q = (sql: string) => (db.prepare(sql).get(b.id) as { n: number }).n;
        expect(byKind.get('notice')?.pages).toBe(q('SELECT COUNT(*) n FROM requests WHERE batch_id = ?'));
        expect(byKind.get('seizure-record')?.pages).toBe(
          q('SELECT COUNT(DISTINCT r.id) n FROM requests r JOIN request_records rr ON rr.request_id = r.id WHERE r.batch_id = ? AND rr.seized_amount > 0'),
        );
        const released = q(
          `SELECT COUNT(DISTINCT ir.request_id) n FROM instruction_records ir JOIN batches ib ON ib.id = ir.batch_id
            WHERE ib.seizure_batch_id = ? AND ib.state <> 'cancelled' AND ir.result_code = '01' AND ir.release_amount > 0`,
        );
        // two pages per released request: to the delinquent, then to the bank
        expect(byKind.get('release')?.pages ?? 0).toBe(2 * released);
        for (const d of b.documents) {
          expect(fs.readFileSync(d.file).subarray(0, 5).toString('latin1')).toBe('%PDF-');
          expect(fs.statSync(d.file).mode & 0o777).toBe(0o600);
        }
      }
      expect(doc.batches.some((b) => b.documents.some((d) => d.kind === 'release'))).toBe(true);
    } finally {
      db.close();
    }
  });

  it("report totals agree with the database, to the yen", () => {
    const db = new Database(doc.db, { readonly: true });
    try {
      for (const b of doc.batches) {
        const r = b.report;
        expect(r.state).toBe('reconciled');
        const rec = db.prepare('SELECT COUNT(*) n, COALESCE(SUM(honzei),0) h, COALESCE(SUM(entaikin),0) e, COALESCE(SUM(fee),0) f FROM receipts WHERE batch_id = ?').get(b.id) as { n: number; h: number; e: number; f: number };
        expect(r.receipts).toEqual({ count: rec.n, honzei: rec.h, entaikin: rec.e, fee: rec.f, total: rec.h + rec.e + rec.f });
        const col = db.prepare('SELECT COALESCE(SUM(rr.collected_amount),0) c, COALESCE(SUM(rr.seized_amount),0) s FROM request_records rr JOIN requests q ON q.id = rr.request_id WHERE q.batch_id = ?').get(b.id) as { c: number; s: number };
        // a 取立保留 batch collects nothing at seizure: its money comes from the instruction results (01)
        const later = db.prepare(
          `SELECT COALESCE(SUM(ir.collected_amount),0) c FROM instruction_records ir JOIN batches ib ON ib.id = ir.batch_id
            WHERE ib.seizure_batch_id = ? AND ib.state <> 'cancelled' AND ir.result_code = '01'`,
        ).get(b.id) as { c: number };
        expect(r.collected.amount).toBe(col.c + later.c);
        expect(r.seized.amount).toBe(col.s);
        const over = db.prepare('SELECT COALESCE(SUM(amount),0) o FROM overpayments WHERE batch_id = ?').get(b.id) as { o: number };
        expect(r.overpayment).toBe(over.o);
        // every collected yen is booked or to be refunded
        expect(r.collected.amount).toBe(r.receipts.total + r.overpayment);
        // the simulated bank deposited exactly the collected total
        expect(r.statement.matched).toBe(true);
        expect(r.statement.difference).toBe(0);
        expect(r.collected.amount).toBeGreaterThan(0);
        // seized never exceeds the limits
        expect(r.seized.amount).toBeLessThanOrEqual(r.requested.limitTotal);
      }
    } finally {
      db.close();
    }
  });

  it('says in English, step by step, inquiry first, and lists the inquiry batches before the seizure batches', () => {
    const en = run(['demo', '--dir', path.join(tmp, 'en'), '--taxpayers', '150', '--lang', 'en']);
    expect(en.status, en.stderr).toBe(0);
    const steps = [...en.stderr.matchAll(/^\[(\d+)\/(\d+)\] (.*)$/gm)];
    expect(steps.map((m) => Number(m[1]))).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    expect(steps.every((m) => m[2] === '17')).toBe(true);
    const order = ['choosing whom to ask', 'writing the inquiry files', 'answering the inquiries', 'importing the answer files', 'inquiry reports', 'extracting seizure targets from the answers', 'seizing from the same account books', 'held (取立保留) seizure batch', 'reconciliation', 'legal documents'];
    const at = order.map((s) => steps.findIndex((m) => m[3]!.includes(s)));
    expect(at.every((i) => i >= 0), JSON.stringify(at)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    const lines = en.stdout.trimEnd().split('\n');
    const firstInquiry = lines.findIndex((l) => /^inquiry batch \d{4}-00000001 \(bank \d{4}\): \d+ inquiries, answers /.test(l));
    const firstSeizure = lines.findIndex((l) => /^batch \d{4}-00000002 \(bank \d{4}\):/.test(l));
    expect(firstInquiry).toBeGreaterThan(0);
    expect(firstSeizure).toBeGreaterThan(firstInquiry);
    expect(lines.filter((l) => l.startsWith('inquiry batch ')).every((l) => /accounts found .* paper follow-ups$/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^all reports \(the inquiry batches' too\): /);
  }, 120_000);

  it('refuses a folder that is not empty (exit 4) and leaves it untouched', () => {
    const before = fs.readdirSync(doc.dir).sort();
    const again = run(['demo', '--dir', doc.dir, '--taxpayers', '10']);
    expect(again.status).toBe(4);
    expect(again.stderr).toMatch(/空ではありません/);
    expect(fs.readdirSync(doc.dir).sort()).toEqual(before);
  });

  it('never prints personal data to the console', () => {
    const db = new Database(doc.db, { readonly: true });
    try {
      const names = db.prepare('SELECT kana, name FROM taxpayers LIMIT 50').all() as Array<{ kana: string; name: string }>;
      const accounts = db.prepare('SELECT account_number FROM accounts LIMIT 50').all() as Array<{ account_number: string }>;
      for (const n of names) {
        expect(out.stderr).not.toContain(n.kana);
        expect(out.stderr).not.toContain(n.name);
      }
      for (const a of accounts) expect(out.stderr).not.toMatch(new RegExp(`\\b${a.account_number}\\b`));
    } finally {
      db.close();
    }
  });
});
