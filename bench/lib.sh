# Shell helpers of the benchmarks (sourced by bench/run.sh and bench/profile_list.sh; BIN set).

# A free TCP port on 127.0.0.1.
free_port() {
  $BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Wait until URL answers (at most 20 s).
wait_up() {
  for _ in $(seq 1 200); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "server at $1 did not start" >&2
  return 1
}

# Start the bare app of bench/bare_app.py serving PAGE_FILE on a free port; sets BARE_PORT
# and BARE_PID (the caller stops it by its id).
start_bare() {
  BARE_PORT=$(free_port)
  BENCH_PAGE_FILE="$1" $BIN/uvicorn bench.bare_app:app --host 127.0.0.1 \
    --port "$BARE_PORT" --workers 1 --no-access-log --log-level warning &
  BARE_PID=$!
  wait_up "http://127.0.0.1:$BARE_PORT/bare"
}
