#!/usr/bin/env bash
# Runs the backup and restore commands of docs/operations.md ("Backing up and restoring") on
# scratch databases: demo data in, pg_dump of the content database and of the key store, both
# restored into new databases, then every sealed value of the restored content opened with the
# restored keys, and the profile counts compared. Stops by itself; drops what it created.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
PG="${BACKUP_CHECK_PG:-postgresql://postgres@127.0.0.1:5432}"
tag="mentorat_backup_$$"
work=$(mktemp -d)
cleanup() {
  for db in "$tag" "${tag}_keys" "${tag}_restored" "${tag}_restored_keys"; do
    psql "$PG/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
for db in "$tag" "${tag}_keys"; do psql "$PG/postgres" -qc "CREATE DATABASE $db" >/dev/null; done
export MENTORAT_JWT_SECRET="backup-check-$(date +%s)-0123456789abcdef0123"
export MENTORAT_DATABASE_URL="$PG/$tag" MENTORAT_KEYSTORE_URL="$PG/${tag}_keys"
$BIN/mentorat seed-demo >/dev/null

# --- the documented commands (docs/operations.md), with this script's database names ---------
CONTENT_URL="$PG/$tag" KEYS_URL="$PG/${tag}_keys"
pg_dump --format=custom --no-owner --file="$work/content.dump" "$CONTENT_URL"
pg_dump --format=custom --no-owner --file="$work/keys.dump" "$KEYS_URL"
psql "$PG/postgres" -qc "CREATE DATABASE ${tag}_restored" -c "CREATE DATABASE ${tag}_restored_keys"
pg_restore --no-owner --exit-on-error --dbname="$PG/${tag}_restored_keys" "$work/keys.dump"
pg_restore --no-owner --exit-on-error --dbname="$PG/${tag}_restored" "$work/content.dump"
# ----------------------------------------------------------------------------------------------

$BIN/python - "$PG/$tag" "$PG/${tag}_keys" "$PG/${tag}_restored" "$PG/${tag}_restored_keys" <<'PY'
import asyncio, os, sys

import sqlalchemy as sa

original, original_keys, restored, restored_keys = sys.argv[1:5]


async def inspect(url: str, keys: str) -> tuple[dict[str, int], int]:
    os.environ["MENTORAT_DATABASE_URL"], os.environ["MENTORAT_KEYSTORE_URL"] = url, keys
    from app.core import envelope, keystore
    from app.core.config import get_settings
    from app.core.db import get_engine

    for cached in (get_settings, get_engine, keystore.get_keystore):
        cached.cache_clear()
    envelope.key_cache().clear()
    counts: dict[str, int] = {}
    opened = 0
    async with get_engine().connect() as conn:
        for table in ("hub", "user", "mentor", "mentee", "match", "mentoring_session"):
            counts[table] = (await conn.execute(sa.text(f'SELECT count(*) FROM "{table}"'))).scalar_one()
        rows = (await conn.execute(sa.text(
            "SELECT id, agenda FROM mentoring_session WHERE agenda IS NOT NULL"))).all()
    for row_id, value in rows:
        text = await envelope.open_value(envelope.Place("mentoring_session", "agenda", row_id), value)
        assert text, f"session {row_id}: agenda does not open after the restore"
        opened += 1
    await get_engine().dispose()
    await keystore.get_keystore().dispose()
    return counts, opened


async def main() -> None:
    before, opened_before = await inspect(original, original_keys)
    after, opened_after = await inspect(restored, restored_keys)
    assert before == after, (before, after)
    assert opened_before == opened_after > 0, (opened_before, opened_after)
    print(f"restore OK: {after}, {opened_after} sealed agendas open with the restored keys")


asyncio.run(main())
PY
