#!/usr/bin/env bash
# Migrations: upgrade head, no drift (alembic check), downgrade base, upgrade head again;
# on a scratch SQLite file and, when MENTORAT_TEST_DATABASE_URL is set, a scratch PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

cycle() {
  local url="$1"
  echo "== migrations on ${url%%:*}"
  MENTORAT_DATABASE_URL="$url" $BIN/alembic upgrade head
  MENTORAT_DATABASE_URL="$url" $BIN/alembic check
  MENTORAT_DATABASE_URL="$url" $BIN/alembic downgrade base
  MENTORAT_DATABASE_URL="$url" $BIN/alembic upgrade head
  MENTORAT_DATABASE_URL="$url" $BIN/alembic check
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cycle "sqlite:///$tmp/migrate.db"

if [ -n "${MENTORAT_TEST_DATABASE_URL:-}" ]; then
  name="mentorat_migrate_$$"
  base="${MENTORAT_TEST_DATABASE_URL%/*}"
  psql "$MENTORAT_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
  trap 'psql "$MENTORAT_TEST_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null; rm -rf "$tmp"' EXIT
  cycle "$base/$name"
fi
echo "migrations OK"
