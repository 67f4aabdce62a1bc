#!/usr/bin/env bash
# The people list benchmark (`make bench`): 100,000 mentors and 200,000 mentees in a scratch
# PostgreSQL database, the real app and a bare FastAPI app side by side, wrk on 127.0.0.1.
# Then the matching API benchmark (issue 4), see bench/matching_api_bench.py.
# Settings: BENCH_PG (server URL, no database), BENCH_DB, BENCH_DURATION (s per scenario),
# BENCH_CONNECTIONS, BENCH_MENTORS, BENCH_MENTEES, BENCH_KEEP_DB=1 to keep the database,
# BENCH_MATCHING_DB, BENCH_SUGGESTIONS (suggestion requests measured).
# BENCH_QUICK=1: every benchmark at a small size, in about two minutes (a quick check; the
# figures of docs/performance.md come from full runs).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
STARTED=$(date +%s)
if [ "${BENCH_QUICK:-0}" = "1" ]; then
  : "${BENCH_MENTORS:=5000}" "${BENCH_MENTEES:=10000}" "${BENCH_DURATION:=2}"
  : "${BENCH_SUGGESTIONS:=30}" "${BENCH_MATCHING_SCALE:=0.2}" "${BENCH_WEBHOOK_EVENTS:=500}"
  : "${BENCH_SESSION_REQUESTS:=40}" "${BENCH_REPORT_SCALE:=0.02}"
fi
PG="${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"
DB="${BENCH_DB:-mentorat_bench}"
URL="$PG/$DB"
DURATION="${BENCH_DURATION:-10}"
CONNECTIONS="${BENCH_CONNECTIONS:-10}"
# Tokens and cursors are signed: the app and the bench driver share one secret.
export MENTORAT_JWT_SECRET="${MENTORAT_JWT_SECRET:-bench-secret-$(date +%s)-0123456789abcdef}"
# The benchmarks measure throughput from one caller: limits far above it (the guard still
# counts every request, so its cost stays in the figures).
export MENTORAT_RATE_LIMIT_CLIENT="${MENTORAT_RATE_LIMIT_CLIENT:-1000000/second}"
export MENTORAT_RATE_LIMIT_USER="${MENTORAT_RATE_LIMIT_USER:-1000000/second}"
export MENTORAT_RATE_LIMIT_TOKEN="${MENTORAT_RATE_LIMIT_TOKEN:-1000000/second}"
export MENTORAT_RATE_LIMIT_PUBLIC="${MENTORAT_RATE_LIMIT_PUBLIC:-1000000/second}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "== installing wrk"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

work=$(mktemp -d)
REAL_PID=""
BARE_PID=""
cleanup() {
  # Only the processes this script started, by their id.
  [ -n "$REAL_PID" ] && kill "$REAL_PID" 2>/dev/null && wait "$REAL_PID" 2>/dev/null || true
  [ -n "$BARE_PID" ] && kill "$BARE_PID" 2>/dev/null && wait "$BARE_PID" 2>/dev/null || true
  if [ "${BENCH_KEEP_DB:-0}" != "1" ]; then
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

. bench/lib.sh

echo "== database $DB: migrate, then ${BENCH_MENTORS:-100000} mentors and ${BENCH_MENTEES:-200000} mentees"
psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
$BIN/python bench/seed_people.py "$URL" --mentors "${BENCH_MENTORS:-100000}" \
  --mentees "${BENCH_MENTEES:-200000}" >"$work/seed.json"
cat "$work/seed.json"

REAL_PORT=$(free_port)
MENTORAT_DATABASE_URL="$URL" $BIN/uvicorn app.main:create_app --factory --host 127.0.0.1 \
  --port "$REAL_PORT" --workers 1 --no-access-log --log-level warning &
REAL_PID=$!
wait_up "http://127.0.0.1:$REAL_PORT/healthz"

$BIN/python bench/people_bench.py prepare --real "http://127.0.0.1:$REAL_PORT" \
  --seed-file "$work/seed.json" --state "$work/state.json" --page-file "$work/page.json"

start_bare "$work/page.json"

echo "== load: wrk, ${DURATION}s per scenario, $CONNECTIONS connections"
mkdir -p bench/results
$BIN/python bench/people_bench.py run --real "http://127.0.0.1:$REAL_PORT" \
  --bare "http://127.0.0.1:$BARE_PORT" --state "$work/state.json" \
  --out bench/results/people_list.json --real-pid "$REAL_PID" --bare-pid "$BARE_PID" \
  --duration "$DURATION" --connections "$CONNECTIONS"

# Issue 4: suggestions among 10,000 mentors and a 5,000 × 1,000 matching run through the API,
# in their own scratch database with their own server (bench/matching_api_bench.py).
echo "== matching API: suggestions, matching run, apply"
$BIN/python bench/matching_api_bench.py --pg "$PG" --db "${BENCH_MATCHING_DB:-mentorat_bench_matching}" \
  --requests "${BENCH_SUGGESTIONS:-300}" --scale "${BENCH_MATCHING_SCALE:-1}" \
  --out bench/results/matching_api.json

# Issue 12: a page of 50 sessions, content under per-person keys against the service key alone.
echo "== sessions page: per-person keys against the service key"
$BIN/python bench/sessions_bench.py --pg "$PG" --requests "${BENCH_SESSION_REQUESTS:-300}" \
  --out bench/results/sessions_page.json

# Issue 9: the outbox's cost to a write (five subscribed webhooks against none), one worker's
# delivery rate against a bare httpx loop, and two worker processes delivering each event once.
echo "== webhooks: outbox write cost, delivery rate, two workers"
$BIN/python bench/webhooks_bench.py --pg "$PG" --events "${BENCH_WEBHOOK_EVENTS:-5000}" \
  --out bench/results/webhooks.json

# Issue 11: the program report over 1,000,000 sessions on PostgreSQL, a tenth of it on SQLite.
echo "== reports: the summary over 1,000,000 sessions (PostgreSQL), a tenth on SQLite"
$BIN/python bench/reports_bench.py --pg "$PG" --scale "${BENCH_REPORT_SCALE:-1}" \
  --out bench/results/reports.json
$BIN/python bench/reports_bench.py --sqlite --scale "${BENCH_REPORT_SCALE:-1}" \
  --out bench/results/reports_sqlite.json

# One number per key, each from this run (bench/results/summary.json).
echo "== summary"
quick=""; [ "${BENCH_QUICK:-0}" = "1" ] && quick="--quick"
$BIN/python bench/summary.py --since "$STARTED" --pg "$PG" $quick
