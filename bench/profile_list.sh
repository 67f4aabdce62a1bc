#!/usr/bin/env bash
# A sampling profile of the real server under load on the filtered people list (issue 13).
#
#   bash bench/profile_list.sh [OUT_DIR]
#
# Seeds a PostgreSQL database (BENCH_MENTORS/BENCH_MENTEES, default 20,000/40,000), starts the
# app under py-spy (installed into a temporary folder, not the project's environment: it is a
# tool of this measurement only), drives GET /api/v1/mentors?limit=50&region=06&theme=governance
# with wrk for BENCH_DURATION seconds (default 15) beside the bare app of bench/bare_app.py, and
# prints bench/flame_summary.py's summary. Leaves OUT_DIR/list.raw (py-spy's collapsed stacks).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
OUT="${1:-$(mktemp -d)}"
mkdir -p "$OUT"
PG="${BENCH_PG:-postgresql://postgres@127.0.0.1:5432}"
DB="mentorat_profile_$$"
DURATION="${BENCH_DURATION:-15}"
export MENTORAT_JWT_SECRET="profile-secret-$(date +%s)-0123456789abcdef"
for bucket in CLIENT USER TOKEN PUBLIC; do export "MENTORAT_RATE_LIMIT_$bucket=1000000/second"; done
tools=$(mktemp -d)
SPY_PID=""
BARE_PID=""
cleanup() {
  # Only the processes this script started, by their id.
  [ -n "$BARE_PID" ] && kill "$BARE_PID" 2>/dev/null && wait "$BARE_PID" 2>/dev/null || true
  [ -n "$SPY_PID" ] && kill "$SPY_PID" 2>/dev/null && wait "$SPY_PID" 2>/dev/null || true
  psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
  rm -rf "$tools"
}
trap cleanup EXIT
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
python3 -m pip install --quiet --target "$tools" py-spy
. bench/lib.sh

psql "$PG/postgres" -qc "CREATE DATABASE $DB" >/dev/null
$BIN/python bench/seed_people.py "$PG/$DB" --mentors "${BENCH_MENTORS:-20000}" \
  --mentees "${BENCH_MENTEES:-40000}" >"$OUT/seed.json"
PORT=$(free_port)
# py-spy starts the server as its child (attaching to a running process needs ptrace rights
# that containers often lack); it samples until the server stops.
MENTORAT_DATABASE_URL="$PG/$DB" "$tools/bin/py-spy" record --rate 200 --format raw \
  --output "$OUT/list.raw" -- $BIN/uvicorn app.main:create_app --factory --host 127.0.0.1 \
  --port "$PORT" --workers 1 --no-access-log --log-level warning >"$OUT/server.log" 2>&1 &
SPY_PID=$!
wait_up "http://127.0.0.1:$PORT/healthz"
$BIN/python bench/people_bench.py prepare --real "http://127.0.0.1:$PORT" \
  --seed-file "$OUT/seed.json" --state "$OUT/state.json" --page-file "$OUT/page.json"
start_bare "$OUT/page.json"
TOKEN=$(token_of "$OUT/state.json" coordinator)
echo "== list (profiled), ${DURATION}s"
wrk -t2 -c10 -d"${DURATION}s" -H "Authorization: Bearer $TOKEN" \
  "http://127.0.0.1:$PORT/api/v1/mentors?limit=50&region=06&theme=governance" | grep -E "Latency|Requests/sec"
echo "== bare app, ${DURATION}s"
wrk -t2 -c10 -d"${DURATION}s" "http://127.0.0.1:$BARE_PORT/bare" | grep -E "Latency|Requests/sec"
# SIGINT: py-spy writes its profile and stops the server.
kill -INT "$SPY_PID"; wait "$SPY_PID" || true; SPY_PID=""
$BIN/python bench/flame_summary.py "$OUT/list.raw"
echo "profile: $OUT/list.raw"
