# Shell helpers of the benchmarks (sourced by the bench/*.sh scripts; BIN set).

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

# Start the app of checkout TREE (its own .venv) on DATABASE_URL, one worker, on a free port;
# sets APP_PORT and APP_PID (the caller stops it by its id) once it answers.
start_app() {
  APP_PORT=$(free_port)
  (cd "$1" && MENTORAT_DATABASE_URL="$2" exec .venv/bin/uvicorn app.main:create_app \
    --factory --host 127.0.0.1 --port "$APP_PORT" --workers 1 --no-access-log \
    --log-level warning 2>/dev/null) &
  APP_PID=$!
  wait_up "http://127.0.0.1:$APP_PORT/healthz"
}

# The access token of WHO (admin, coordinator) in the state file people_bench.py prepare wrote.
token_of() {
  $BIN/python -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"
}
