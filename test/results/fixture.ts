/**
 * Test batches for result import: rows inserted with SQL following src/db/schema.ts
 * (state 'written', batch_files with sha256) and the request file written from them
 * with the format engine's writer — independent of the extract/write steps.
 */
import { fixtureDb, tempDir } from '../helpers/db.js';
import * as path from 'node:path';
import type { Db } from '../../src/db/connection.js';
import { SyncRecordWriter } from '../../src/file/writer.js';
import { loadLayout } from '../../src/layout/load.js';

export { tempDir };

export function newDb(dir = tempDir()): ReturnType<typeof fixtureDb> {
  return fixtureDb(dir, { extractionDate: '2026-12-01' });
}

export interface BatchSpec {
  bank?: string;
  fileNumber?: number;
  requesterCode?: string;
  /** ISO */
  execDate?: string;
  mode?: 'immediate' | 'deferred';
  /** accounts per request (one entry per request) */
  accounts: number[];
  /** limit of request i (default 50,000 + i*1,000) */
  limit?: (i: number) => number;
  /** data records per file (several files with consecutive numbers) */
  perFile?: number;
  /** first request number (default 1) */
  firstRequest?: number;
}

export interface BatchMade {
  batchId: string;
  files: Array<{ path: string; fileNumber: number; records: number }>;
  records: number;
}

let atenaSeq = 0;

/** Insert a written batch and write its request file(s) into dir. */
export function makeBatch(db: Db, dir: string, spec: BatchSpec): BatchMade {
  const bank = spec.bank ?? '0184';
  const fileNumber = spec.fileNumber ?? 42;
  const req0 = spec.firstRequest ?? 1;
  const exec = spec.execDate ?? '2026-12-01';
  const mode = spec.mode ?? 'immediate';
  const requester = spec.requesterCode ?? '0000012345';
  const batchId = `${bank}-${String(fileNumber).padStart(8, '0')}`;
  const limitOf = spec.limit ?? ((i: number) => 50_000 + i * 1_000);
  const perFile = spec.perFile ?? 999_999;
  const layout = loadLayout('seizure-120');

  // split requests into files
  const files: Array<{ first: number; last: number; records: number; limitTotal: number }> = [];
  let cur: { first: number; last: number; records: number; limitTotal: number } | null = null;
  spec.accounts.forEach((n, i) => {
    const rn = req0 + i;
    if (cur === null || cur.records + n > perFile) {
      cur = { first: rn, last: rn, records: 0, limitTotal: 0 };
      files.push(cur);
    }
    cur.last = rn;
    cur.records += n;
    cur.limitTotal += limitOf(i);
  });
  const records = spec.accounts.reduce((a, b) => a + b, 0);
  const limitTotal = spec.accounts.reduce((a, _b, i) => a + limitOf(i), 0);

  const out: BatchMade = { batchId, files: [], records };
  db.transaction(() => {
    db.prepare(
      `INSERT INTO batches (id, extraction_id, bank_code, requester_code, execution_date, collection_mode, layout_id, state, requests, records, limit_total, created_at, updated_at)
       VALUES (?, 1, ?, ?, ?, ?, 'seizure-120', 'written', ?, ?, ?, 't', 't')`,
    ).run(batchId, bank, requester, exec, mode, spec.accounts.length, records, limitTotal);
    const tp = db.prepare(`INSERT INTO taxpayers (atena, name, kana, status, import_id) VALUES (?, '山田太郎', 'ﾔﾏﾀﾞ ﾀﾛｳ', 0, 1)`);
    const acc = db.prepare(
      `INSERT INTO accounts (atena, bank_code, branch_code, account_type, account_number, holder_kana, import_id) VALUES (?, ?, ?, '1', ?, 'ﾔﾏﾀﾞ ﾀﾛｳ', 1)`,
    );
    const rq = db.prepare('INSERT INTO requests (batch_id, request_number, atena, limit_amount) VALUES (?, ?, ?, ?)');
    const rr = db.prepare(
      `INSERT INTO request_records (request_id, sub_number, account_id, branch_code, account_type, account_number, holder_name, birth_date)
       VALUES (?, ?, ?, ?, '1', ?, 'ﾔﾏﾀﾞ ﾀﾛｳ', '19700401')`,
    );
    const bf = db.prepare(
      `INSERT INTO batch_files (batch_id, seq, file_number, first_request, last_request, records, limit_total, file_name, sha256, bytes, written_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 't')`,
    );
    let fi = -1;
    let w: SyncRecordWriter | null = null;
    let fpath = '';
    const close = () => {
      if (!w) return;
      w.trailer({});
      w.end({});
      const r = w.close();
      const f = files[fi]!;
      bf.run(batchId, fi + 1, fileNumber + fi, f.first, f.last, f.records, f.limitTotal, path.basename(fpath), r.sha256, r.bytes);
      out.files.push({ path: fpath, fileNumber: fileNumber + fi, records: f.records });
    };
    spec.accounts.forEach((n, i) => {
      const rn = req0 + i;
      if (fi < 0 || rn > files[fi]!.last) {
        close();
        fi++;
        fpath = path.join(dir, `SASHI_${bank}_${fileNumber + fi}.DAT`);
        w = new SyncRecordWriter(fpath, layout);
        w.header({
          typeCode: '51', requesterCode: requester, requesterName: 'ｶｺﾞｼﾏｼ', executionDate: exec, bankCode: bank, bankName: 'ﾐﾔｻﾞｷ',
          fileNumber: fileNumber + fi, collectionMode: mode === 'immediate' ? '1' : '2', depositBranch: '123', depositAccountType: '1', depositAccountNumber: '1234567',
        });
      }
      const atena = `A${String(++atenaSeq).padStart(9, '0')}`;
      tp.run(atena);
      const reqId = Number(rq.run(batchId, rn, atena, limitOf(i)).lastInsertRowid);
      for (let s = 1; s <= n; s++) {
        const accNo = String((rn * 7 + s * 13) % 10_000_000).padStart(7, '0');
        const branch = String(100 + (s % 800)).padStart(3, '0');
        const accId = Number(acc.run(atena, bank, branch, accNo).lastInsertRowid);
        rr.run(reqId, s, accId, branch, accNo);
        w!.data({
          requestNumber: rn, subNumber: s, branchCode: branch, accountType: '1', accountNumber: accNo, holderName: 'ﾔﾏﾀﾞ ﾀﾛｳ', birthDate: '19700401',
          limitAmount: limitOf(i), resultCode: '00', seizedAmount: 0, collectedAmount: 0, collectionDate: '00000000',
        });
      }
    });
    close();
  })();
  return out;
}

/** Row counts of every table and a checksum of request_records (the "unchanged" test). */
export function dbFingerprint(db: Db): string {
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>).map((r) => r.name);
  const counts = tables.map((t) => `${t}:${(db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n}`);
  const rr = db
    .prepare(
      `SELECT COUNT(*) AS n, TOTAL(request_id * 31 + sub_number) AS a, GROUP_CONCAT(COALESCE(result_code,'-') || ':' || COALESCE(seized_amount,'-') || ':' || COALESCE(collected_amount,'-') || ':' || COALESCE(collection_date,'-'), ',') AS g
       FROM (SELECT * FROM request_records ORDER BY request_id, sub_number)`,
    )
    .get() as { n: number; a: number; g: string | null };
  const bf = db.prepare(`SELECT GROUP_CONCAT(batch_id || '/' || seq || '/' || COALESCE(results_import_id, '-'), ',') AS g FROM batch_files`).get() as { g: string | null };
  const b = db.prepare(`SELECT GROUP_CONCAT(id || '/' || state, ',') AS g FROM batches`).get() as { g: string | null };
  return JSON.stringify({ counts, rr, bf, b });
}
