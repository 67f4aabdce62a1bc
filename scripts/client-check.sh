#!/usr/bin/env bash
# The TypeScript client (make client-check): openapi/typescript/schema.d.ts is what
# openapi-typescript makes of the committed spec; the example program type-checks with
# `tsc --strict` and, run with Node.js against a live server holding the demo data, logs in,
# follows the mentors' cursor to the last page and handles a 404 problem by its type.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
tmp=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== the committed client is the generator's output for openapi/openapi.json"
npx --no-install openapi-typescript openapi/openapi.json -o "$tmp/schema.d.ts" >/dev/null 2>&1
if ! cmp -s "$tmp/schema.d.ts" openapi/typescript/schema.d.ts; then
  echo "openapi/typescript/schema.d.ts is stale: run make client"
  exit 1
fi

echo "== tsc --strict"
(cd openapi/typescript && rm -rf dist && npx --no-install tsc -p tsconfig.json)

echo "== the example program against a live server (demo data, SQLite)"
port=$($BIN/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export MENTORAT_DATABASE_URL="sqlite:///$tmp/client.db"
export MENTORAT_KEYSTORE_URL="sqlite:///$tmp/client-keys.db"
$BIN/mentorat migrate >/dev/null
$BIN/mentorat seed-demo --admin-email admin@mentorat.example --admin-password mentorat-demo-2026 >/dev/null
$BIN/mentorat serve --no-migrate --host 127.0.0.1 --port "$port" >"$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 150); do
  $BIN/python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/readyz', timeout=1)" 2>/dev/null && break
  sleep 0.2
done
output=$(MENTORAT_URL="http://127.0.0.1:$port" node openapi/typescript/dist/example/list-mentors.js)
echo "$output"
$BIN/python - "$(echo "$output" | tail -n 1)" <<'PY'
import json
import sys

seen = json.loads(sys.argv[1])
expected = {"mentors": 30, "distinct": 30, "pages": 3, "problem": "not-found", "status": 404}
if seen != expected:
    sys.exit(f"the example program saw {seen}, expected {expected}")
print("client OK")
PY
