#!/usr/bin/env bash
# A/B of the people list scenarios between two checkouts, alternated on one seeded database:
#   bash bench/ab_people.sh DATABASE_URL SEED_FILE TREE_A TREE_B [ROUNDS]
# DATABASE_URL holds what bench/seed_people.py wrote (SEED_FILE is its output); each TREE is a
# checkout with its own .venv (`make install` in it). Each round serves the database from TREE_A,
# then TREE_B (one uvicorn worker each, in turn), against one bare app, with bench/people_bench.py
# (wrk, BENCH_DURATION s per scenario, 10 connections). Stops by itself; kills only what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
. bench/lib.sh
URL=$1 SEED=$2 A=$3 B=$4 ROUNDS=${5:-2}
export MENTORAT_JWT_SECRET="${MENTORAT_JWT_SECRET:-bench-secret-ab-$(date +%s)-0123456789abcdef}"
for bucket in CLIENT USER TOKEN PUBLIC; do export "MENTORAT_RATE_LIMIT_$bucket=1000000/second"; done
work=$(mktemp -d)
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
BARE_PID=""
for round in $(seq 1 "$ROUNDS"); do
  for tree in "$A" "$B"; do
    start_app "$tree" "$URL"
    port=$APP_PORT pid=$APP_PID
    PIDS+=("$pid")
    $BIN/python bench/people_bench.py prepare --real "http://127.0.0.1:$port" \
      --seed-file "$SEED" --state "$work/state.json" --page-file "$work/page.json" >/dev/null
    if [ -z "$BARE_PID" ]; then start_bare "$work/page.json"; PIDS+=("$BARE_PID"); fi
    echo "== round $round: $tree ($(git -C "$tree" rev-parse --short HEAD))"
    $BIN/python bench/people_bench.py run --real "http://127.0.0.1:$port" \
      --bare "http://127.0.0.1:$BARE_PORT" --state "$work/state.json" --out "$work/out.json" \
      --real-pid "$pid" --bare-pid "$BARE_PID" --duration "${BENCH_DURATION:-8}" --connections 10 \
      | grep "^|"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  done
done
