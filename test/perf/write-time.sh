#!/usr/bin/env bash
# Issue 15 item 7: time `write` of the inquiry batch alone on a work dir of answers-setup.sh
# (inquire is run once from targets.db into inquired.db, then each run writes from a copy).
#   test/perf/write-time.sh WORKDIR [--prof]
set -euo pipefail
W=${1:?workdir}; PROF=${2:-}
ROOT=${CLI_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export SASHIOSAE_TODAY=2026-12-01
if [ ! -f "$W/inquired.db" ]; then
  cp "$W/targets.db" "$W/inquired.db"; rm -f "$W/inquired.db-wal" "$W/inquired.db-shm"
  node "$ROOT/dist/cli/main.js" --db "$W/inquired.db" --json inquire --date 2026-12-01 --bank 0184 > "$W/inquired.json"
fi
cp "$W/inquired.db" "$W/w.db"; rm -f "$W/w.db-wal" "$W/w.db-shm"; rm -rf "$W/usb3"; mkdir "$W/usb3"
B=$(node -e 'const j=require(process.argv[1]);console.log(j.batches.map(b=>b.id).join(" "))' "$W/inquired.json")
NODEOPTS=""; [ "$PROF" = "--prof" ] && NODEOPTS="--cpu-prof --cpu-prof-dir=$W/prof-write"
sync
/usr/bin/time -f 'write: %e s elapsed, %U s user, %S s sys, %M KB maxRSS' node $NODEOPTS "$ROOT/dist/cli/main.js" --db "$W/w.db" write $B --media "$W/usb3" > /dev/null
md5sum "$W"/usb3/*.DAT | sed "s#$W/usb3/##"
