"""A page of 50 sessions: content under per-person keys against the service key alone, side by side.

Two hubs of 10 pairs and 50 held sessions each (agenda, summary, feedback comment). Hub A's
content is sealed under the mentees' keys (AES-GCM, keys unwrapped from the key store and
kept in memory); hub B's is rewritten as it was stored before per-person keys (one Fernet
token of MENTORAT_DATA_KEY per value, opened with the same Fernet work as before). Each
coordinator reads `GET /api/v1/sessions?limit=50` in process (httpx ASGI transport, no
network), rounds interleaved so that drift hits both alike; a third scenario empties the
key cache before each request (the worst case: 10 key store round trips per page).

    python bench/sessions_bench.py [--pg postgresql://postgres@127.0.0.1:5432] [--requests 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import drop_databases, scratch_databases

os.environ.setdefault("MENTORAT_JWT_SECRET", f"bench-secret-{uuid.uuid4().hex}")
os.environ.pop("MENTORAT_DATA_KEY", None)

PAGE = "/api/v1/sessions?limit=50"


async def _seed_hub(client: Any, tag: str) -> Any:
    from tests.factories import login_as, make_hub
    from tests.sessions.common import API, act, make_pair, scheduled

    hub = await make_hub()
    coord = await login_as(client, "coordinator", hub)
    now = datetime.now(UTC).replace(microsecond=0)
    for p in range(10):
        pair = await make_pair(client, hub, coord)
        for s in range(5):
            at = now - timedelta(days=7 * (s + 1), hours=p)
            text = f"{tag} pair {p} session {s}: trésorerie, gouvernance et relève " * 3
            session = await scheduled(client, pair.mentee_user, pair.id, at, agenda=text)
            r = await act(
                client,
                pair.mentor_user,
                session["id"],
                "hold",
                {"duration_minutes": 60, "summary": text},
            )
            assert r.status_code == 200, r.text
            r = await client.put(
                f"{API}/sessions/{session['id']}/feedback",
                json={"rating": 4, "comment": text},
                headers=pair.mentee_user.headers,
            )
            assert r.status_code == 200, r.text
    return hub, coord


async def _as_service_key_tokens(hub_id: uuid.UUID) -> int:
    """Rewrite a hub's session content as stored before per-person keys."""
    from app.core import crypto, envelope
    from app.core.db import get_engine

    columns = ("agenda", "summary", "feedback_comment")
    table = sa.table(
        "mentoring_session",
        sa.column("id", sa.Uuid()),
        sa.column("hub_id", sa.Uuid()),
        *(sa.column(c, sa.Text()) for c in columns),
    )
    count = 0
    async with get_engine().begin() as conn:
        rows = (await conn.execute(sa.select(table).where(table.c.hub_id == hub_id))).all()
        for row in rows:
            values = {}
            for column in columns:
                value = getattr(row, column)
                place = envelope.Place("mentoring_session", column, row.id)
                text = await envelope.open_value(place, value)
                assert text is not None
                values[column] = crypto.encrypt(text)
                count += 1
            await conn.execute(table.update().where(table.c.id == row.id).values(values))
    return count


async def _time(client: Any, headers: dict[str, str], n: int, before: Any = None) -> list[float]:
    samples = []
    for _ in range(n):
        if before is not None:
            before()
        start = time.perf_counter()
        r = await client.get(PAGE, headers=headers)
        samples.append((time.perf_counter() - start) * 1000)
        assert r.status_code == 200 and len(r.json()["items"]) == 50, r.text
    return samples


async def main(args: argparse.Namespace) -> dict[str, Any]:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    folder = tempfile.mkdtemp()
    content_url, keys_url, names = scratch_databases(args.pg, folder, "mentorat_bench_sessions")
    os.environ["MENTORAT_DATABASE_URL"] = content_url
    os.environ["MENTORAT_KEYSTORE_URL"] = keys_url
    try:
        from app.core import envelope
        from app.core.db import get_engine
        from app.core.keystore import get_keystore
        from app.core.migrate import upgrade
        from app.main import create_app

        upgrade(content_url)
        app = create_app()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            _, sealed_coord = await _seed_hub(client, "A")
            legacy_hub, legacy_coord = await _seed_hub(client, "B")
            rewritten = await _as_service_key_tokens(legacy_hub.id)
            # Same answers either way.
            a = (await client.get(PAGE, headers=sealed_coord.headers)).json()["items"]
            b = (await client.get(PAGE, headers=legacy_coord.headers)).json()["items"]
            assert all(i["feedback"]["comment"].startswith("A pair") for i in a)
            assert all(i["feedback"]["comment"].startswith("B pair") for i in b)
            await _time(client, sealed_coord.headers, 30)
            await _time(client, legacy_coord.headers, 30)
            sealed: list[float] = []
            legacy: list[float] = []
            cold: list[float] = []
            rounds = max(1, args.requests // 20)
            for _ in range(rounds):
                legacy += await _time(client, legacy_coord.headers, 20)
                sealed += await _time(client, sealed_coord.headers, 20)
                cold += await _time(client, sealed_coord.headers, 4, envelope.key_cache().clear)
        await get_engine().dispose()
        await get_keystore().dispose()
    finally:
        drop_databases(args.pg, names)

    def summary(samples: list[float]) -> dict[str, float]:
        ordered = sorted(samples)
        return {
            "requests": len(samples),
            "median_ms": round(statistics.median(samples), 3),
            "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1], 3),
        }

    result = {
        "benchmark": "GET /api/v1/sessions?limit=50 (coordinator, 10 mentees' keys)",
        "database": "postgresql" if args.pg else "sqlite",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "values_rewritten_to_service_key": rewritten,
        "service_key_only": summary(legacy),
        "per_person_keys": summary(sealed),
        "per_person_keys_cold_cache": summary(cold),
    }
    result["ratio_median"] = round(
        result["per_person_keys"]["median_ms"] / result["service_key_only"]["median_ms"], 3
    )
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="PostgreSQL server URL without database (default: SQLite)")
    parser.add_argument("--requests", type=int, default=300, help="requests per scenario")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    parsed = parser.parse_args()
    outcome = asyncio.run(main(parsed))
    text = json.dumps(outcome, indent=2)
    print(text)
    if parsed.out:
        parsed.out.parent.mkdir(parents=True, exist_ok=True)
        parsed.out.write_text(text + "\n")
