#!/usr/bin/env bash
# Issue 15 item 7 (part R3): time `inquire` and `write` of its batch on a work dir of
# answers-setup.sh (from its targets.db, the database before inquire).
#   test/perf/inquire-time.sh WORKDIR [--prof]
set -euo pipefail
W=${1:?workdir}; PROF=${2:-}
ROOT=${CLI_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export SASHIOSAE_TODAY=2026-12-01
cp "$W/targets.db" "$W/inq.db"; rm -f "$W/inq.db-wal" "$W/inq.db-shm"; rm -rf "$W/usb2"; mkdir "$W/usb2"
NODEOPTS=""; [ "$PROF" = "--prof" ] && NODEOPTS="--cpu-prof --cpu-prof-dir=$W/prof-inq"
/usr/bin/time -f 'inquire: %e s elapsed, %U s user, %S s sys, %M KB maxRSS' node $NODEOPTS "$ROOT/dist/cli/main.js" --db "$W/inq.db" --json inquire --date 2026-12-01 --bank 0184 > "$W/inq.json"
B=$(node -e 'const j=require(process.argv[1]);console.log(j.batches.map(b=>b.id).join(" "))' "$W/inq.json")
/usr/bin/time -f 'write: %e s elapsed, %U s user, %S s sys, %M KB maxRSS' node $NODEOPTS "$ROOT/dist/cli/main.js" --db "$W/inq.db" write $B --media "$W/usb2" > /dev/null
