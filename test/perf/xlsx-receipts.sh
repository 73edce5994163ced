#!/usr/bin/env bash
# Issue 17 item 2: time and peak RSS of writing the spreadsheets of a reconciled batch —
# `export receipts --xlsx` (one sheet, one row per receipt) and `report --xlsx` — on a
# bench work dir of N seizure records (the cycle's stages up to reconcile, not timed here).
#   test/perf/xlsx-receipts.sh RECORDS WORKDIR [--reuse]   (--reuse: the work dir of an earlier run, its workbooks removed)
# Not a test; uses the built bench (dist/). Each timed stage prints { seconds, maxRssMB, … }.
set -euo pipefail
N=${1:?records}; W=${2:?workdir}; REUSE=${3:-}
STAGE="node $(cd "$(dirname "$0")/../.." && pwd)/dist/bench/stage.js"
if [ "$REUSE" = "--reuse" ]; then
  rm -f "$W"/reports/*.xlsx
else
  rm -rf "$W"; mkdir -p "$W"
  for s in generate importTargets extract write bankSim importResults reconcile; do $STAGE $s "$W" "$N" >/dev/null; done
fi
/usr/bin/time -f 'receiptsXlsx: %e s elapsed, %U s user, %S s sys, %M KB maxRSS' $STAGE receiptsXlsx "$W" "$N"
/usr/bin/time -f 'reportXlsx: %e s elapsed, %U s user, %S s sys, %M KB maxRSS' $STAGE reportXlsx "$W" "$N"
ls -l "$W/reports"
