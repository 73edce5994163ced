#!/usr/bin/env bash
# Issue 15 item 7 (part R3): time `import answers` on a work dir of answers-setup.sh, beside
# the plain-SQLite baseline of the same size (dist/bench/stage.js sqliteBaseline).
#   test/perf/answers-time.sh WORKDIR [N for the baseline] [--prof]
set -euo pipefail
W=${1:?workdir}; N=${2:-0}; PROF=${3:-}
ROOT=${CLI_ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
export SASHIOSAE_TODAY=2026-12-01
cp "$W/base.db" "$W/run.db"; rm -f "$W/run.db-wal" "$W/run.db-shm"; rm -rf "$W/archive"
NODEOPTS=""; [ "$PROF" = "--prof" ] && NODEOPTS="--cpu-prof --cpu-prof-dir=$W/prof"
for f in "$W"/bank/*.ANS.DAT; do
  /usr/bin/time -f 'import answers: %e s elapsed, %U s user, %S s sys, %M KB maxRSS' \
    node $NODEOPTS "$ROOT/dist/cli/main.js" --db "$W/run.db" --json import answers "$f" > "$W/answers.json"
done
head -c 300 "$W/answers.json"; echo
if [ "$N" != 0 ]; then node "$ROOT/dist/bench/stage.js" sqliteBaseline "$W" "$N"; rm -f "$W/baseline.db"*; fi
uptime
