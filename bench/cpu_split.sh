#!/usr/bin/env bash
# Where the machine's CPU goes per profile-list request: the app's process against PostgreSQL's
# (all its server processes), under wrk, for the filtered list and `q=` search (issue 13).
#   bash bench/cpu_split.sh DATABASE_URL SEED_FILE [TREE]
# DATABASE_URL holds what bench/seed_people.py wrote (SEED_FILE is its output); TREE is a
# checkout with its own .venv (default: this one). One uvicorn worker, wrk 2 threads and 10
# connections for BENCH_DURATION s (default 6) per scenario. PostgreSQL must run on this machine
# (its processes' CPU is read from /proc). Stops by itself; kills only the server it started.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
. bench/lib.sh
URL=$1 SEED=$2 TREE=${3:-.}
DURATION=${BENCH_DURATION:-6}
export MENTORAT_JWT_SECRET="${MENTORAT_JWT_SECRET:-bench-secret-split-$(date +%s)-0123456789abcdef}"
for bucket in CLIENT USER TOKEN PUBLIC; do export "MENTORAT_RATE_LIMIT_$bucket=1000000/second"; done
work=$(mktemp -d)
APP_PID=""
trap '[ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null; rm -rf "$work"' EXIT
start_app "$TREE" "$URL"
port=$APP_PORT pid=$APP_PID
$BIN/python bench/people_bench.py prepare --real "http://127.0.0.1:$port" --seed-file "$SEED" \
  --state "$work/state.json" --page-file "$work/page.json" >/dev/null
TOKEN=$(token_of "$work/state.json" coordinator)
ticks() {  # user + system clock ticks of the given processes
  local total=0 p fields
  for p in "$@"; do
    fields=$(cut -d' ' -f14,15 "/proc/$p/stat" 2>/dev/null) || continue
    total=$((total + ${fields% *} + ${fields#* }))
  done
  echo "$total"
}
hz=$(getconf CLK_TCK)
echo "| scenario | req/s | app CPU ms/req | PostgreSQL CPU ms/req |"
echo "|---|---:|---:|---:|"
for path in "/api/v1/mentors?limit=50&region=06&theme=governance" "/api/v1/mentors?limit=50&q=tremblay"; do
  wrk -t2 -c10 -d2s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port$path" >/dev/null
  app0=$(ticks "$pid"); pg0=$(ticks $(pgrep -x postgres))
  out=$(wrk -t2 -c10 -d"${DURATION}s" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port$path")
  app1=$(ticks "$pid"); pg1=$(ticks $(pgrep -x postgres))
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  python3 -c "
import sys
path, rps, d, hz, app, pg = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
n = rps * d
print(f'| {path} | {rps:.0f} | {1000 * app / hz / n:.2f} | {1000 * pg / hz / n:.2f} |')
" "$path" "$rps" "$DURATION" "$hz" $((app1 - app0)) $((pg1 - pg0))
done
