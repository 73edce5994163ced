// Issue 15 item 7 (ADR 0191): CPU of inquire's parts at scale, old and new form alternated in
// one process, on the targets.db of an answers-setup.sh work dir (read only; scratch files in it):
//   node test/perf/inquire-parts.mjs WORKDIR [BEFORE_ROOT]   (BEFORE_ROOT: a built tree for widenText's old form)
// debts   — every page's debts: extract's ten columns (debts) against the rule's seven (ruleDebts)
// insert  — 1 row per taxpayer into a fresh inquiries table (its DDL and index), 1,000 rows a page:
//           flush() after each page against flushFull(); then COMMIT with the WAL auto-checkpoint
//           and without it (the checkpoint then timed on its own)
// widen   — 氏名 and 住所 of every taxpayer through widenText, BEFORE_ROOT's and this tree's
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const [work, before] = process.argv.slice(2);
if (!work) throw new Error('usage: inquire-parts.mjs WORKDIR [BEFORE_ROOT]');
const { extractPageReader, BulkInsert } = await import(path.join(root, 'dist/db/batches.js'));
const { widenText } = await import(path.join(root, 'dist/text/widen.js'));
const cpu = (f) => {
  const c0 = process.cpuUsage();
  const r = f();
  const c = process.cpuUsage(c0);
  return { ms: Math.round((c.user + c.system) / 1000), r };
};

const src = new Database(path.join(work, 'targets.db'), { readonly: true });
const tp = src.prepare('SELECT atena FROM taxpayers WHERE active = 1 AND atena > ? ORDER BY atena LIMIT 1000').pluck();
const pages = [];
for (let after = ''; ; ) {
  const r = tp.all(after);
  if (r.length === 0) break;
  pages.push([r[0], r[r.length - 1]]);
  after = r[r.length - 1];
}
const reader = extractPageReader(src);
for (let rep = 1; rep <= 2; rep++) {
  for (const m of ['debts', 'ruleDebts']) {
    const { ms, r } = cpu(() => pages.reduce((n, [from, to]) => n + reader[m](from, to).length, 0));
    console.log(`debts ${rep} ${m}: ${r} rows, ${ms} ms CPU`);
  }
}

const people = src.prepare('SELECT atena, kana, name, birth_date, address FROM taxpayers WHERE active = 1 ORDER BY atena').raw(true).all();
const ddl = src.prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'inquiries' AND sql IS NOT NULL").pluck().all();
src.close();
const scratch = path.join(work, 'parts.db');
for (let rep = 1; rep <= 2; rep++) {
  for (const [how, auto] of [['flush', true], ['flushFull', true], ['flushFull', false]]) {
    for (const s of ['', '-wal', '-shm']) fs.rmSync(scratch + s, { force: true });
    const db = new Database(scratch);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    if (!auto) db.pragma('wal_autocheckpoint = 0');
    db.exec(ddl.map((s) => s.replace(/REFERENCES \w+\(\w+\)/g, '')).join(';\n'));
    db.exec('BEGIN IMMEDIATE');
    const ins = new BulkInsert(db, 'inquiries', ['seq', 'atena', 'kana', 'name', 'birth_date', 'address'], { batch_id: '0184-00000009' });
    const { ms } = cpu(() => {
      let seq = 0;
      for (const p of people) {
        ins.rows.push(++seq, p[0], p[1], p[2], p[3], p[4] ?? '');
        if (seq % 1000 === 0) ins[how]();
      }
      ins.flush();
    });
    const t = performance.now();
    const commit = cpu(() => db.exec('COMMIT')).ms;
    const commitWall = Math.round(performance.now() - t);
    const wal = fs.statSync(scratch + '-wal').size;
    const t2 = performance.now();
    if (!auto) db.pragma('wal_checkpoint(PASSIVE)');
    const ckpt = Math.round(performance.now() - t2);
    db.close();
    console.log(`insert ${rep} ${how}${auto ? '' : ', wal_autocheckpoint 0'}: ${ms} ms CPU; COMMIT ${commitWall} ms (${commit} ms CPU), WAL ${(wal / 1048576).toFixed(1)} MB${auto ? '' : `; checkpoint after it ${ckpt} ms`}`);
  }
}
for (const s of ['', '-wal', '-shm']) fs.rmSync(scratch + s, { force: true });

const forms = [['this tree', widenText]];
if (before) forms.unshift(['before', (await import(path.join(path.resolve(before), 'dist/text/widen.js'))).widenText]);
for (let rep = 1; rep <= 3; rep++) {
  for (const [name, widen] of forms) {
    const { ms } = cpu(() => {
      for (const p of people) {
        widen(p[2], 40);
        widen(p[4] ?? '', 100);
      }
    });
    console.log(`widen ${rep} ${name}: ${people.length * 2} texts, ${ms} ms CPU`);
  }
}
