#!/usr/bin/env bash
# Issue 15 item 7 (part R3): build a work dir with one written inquiry batch of about N
# inquiries and its answer file, for timing `import answers` (answers-time.sh).
#   test/perf/answers-setup.sh TAXPAYERS WORKDIR
# Not a test; uses the built CLI (dist/).
set -euo pipefail
N=${1:?taxpayers}; W=${2:?workdir}
CLI="node $(cd "$(dirname "$0")/../.." && pwd)/dist/cli/main.js"
export SASHIOSAE_TODAY=2026-12-01
rm -rf "$W"; mkdir -p "$W"/usb "$W"/bank
$CLI generate --out "$W/export" --taxpayers "$N" --profile bench --bank 0184 --books >/dev/null
DB="$W/base.db"
$CLI --db "$DB" init >/dev/null
$CLI --db "$DB" settings load "$W/export/settings.json" >/dev/null
$CLI --db "$DB" import targets --taxpayers "$W/export/taxpayers.csv" --debts "$W/export/debts.csv" --payments "$W/export/payments.csv" >/dev/null
cp "$DB" "$W/targets.db"   # before inquire: for timing inquire itself
$CLI --db "$DB" --json inquire --date 2026-12-01 --bank 0184 > "$W/inquire.json"
B=$(node -e 'const j=require(process.argv[1]);console.log((j.batches??[]).map(b=>b.id??b.batch).join(" "))' "$W/inquire.json")
$CLI --db "$DB" write $B --media "$W/usb" >/dev/null
for f in "$W"/usb/*.DAT; do
  $CLI bank-sim "$f" --out "$W/bank/$(basename "$f" .DAT).ANS.DAT" --book "$W/export/book-0184.csv" --transactions "$W/export/transactions-0184.csv" >/dev/null
done
ls -la "$W/bank"
