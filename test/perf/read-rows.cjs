// Issue 15 item 7 (ADR 0192): CPU of reading a batch's inquiries as write does, in ranges of
// KEYS seqs, with better-sqlite3's iterate() and with all() (process.cpuUsage, ms).
//   node test/perf/read-rows.cjs DB [KEYS] [ROUNDS]
const path = require('node:path');
const Database = require(path.join(__dirname, '../../node_modules/better-sqlite3'));
const [file, keysArg, roundsArg] = process.argv.slice(2);
const keys = Number(keysArg ?? 1024);
const db = new Database(file, { readonly: true });
const { batch_id: batch, n } = db.prepare('SELECT batch_id, MAX(seq) AS n FROM inquiries GROUP BY batch_id ORDER BY n DESC LIMIT 1').get();
const st = db.prepare('SELECT seq, atena, kana, name, birth_date, address FROM inquiries WHERE batch_id = ? AND seq BETWEEN ? AND ? ORDER BY seq').raw(true);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
function run(mode) {
  const c0 = cpu();
  let rows = 0;
  for (let f = 1; f <= n; f += keys) {
    if (mode === 'all') for (const r of st.all(batch, f, f + keys - 1)) rows += r.length > 0 ? 1 : 0;
    else for (const r of st.iterate(batch, f, f + keys - 1)) rows += r.length > 0 ? 1 : 0;
  }
  return `${mode} ${rows} rows ${(cpu() - c0).toFixed(0)} ms`;
}
for (let i = 0; i < Number(roundsArg ?? 3); i++) console.log(run('iterate'), '|', run('all'));
