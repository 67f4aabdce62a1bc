"""The program report's queries one by one, on a database kept by `reports_bench.py --keep-db`.

Times each query of app/reports/repository.py for one hub and one year (Montréal, 2025) and for
all hubs and all years, three rounds (the third printed); `--explain` prints PostgreSQL's
EXPLAIN (ANALYZE, BUFFERS) of every statement of that round over 20 ms.

    .venv/bin/python bench/reports_queries.py postgresql://postgres@127.0.0.1:5432/NAME [--explain]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("MENTORAT_JWT_SECRET", "bench-" + "x" * 40)

Query = Callable[[], Awaitable[Any]]


async def _run(url: str, explain: bool) -> None:
    os.environ["MENTORAT_DATABASE_URL"] = url
    os.environ["MENTORAT_KEYSTORE_URL"] = f"{url}_keys"
    from app.core import clock
    from app.core.db import get_engine, unit_of_work
    from app.core.schemas import end_of, start_of
    from app.hubs.models import Hub
    from app.reports import repository as repo

    captured: list[tuple[float, str, Any]] = []
    engine = get_engine()

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _started(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def _ended(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        captured.append((time.perf_counter() - conn.info["started"], statement, parameters))

    async with unit_of_work(write=False) as db:
        hubs = list((await db.execute(sa.select(Hub))).scalars())
        scopes = (
            (
                "hub-year",
                [h for h in hubs if h.slug == "montreal"],
                date(2025, 1, 1),
                date(2025, 12, 31),
            ),
            ("all", hubs, None, clock.today()),
        )
        await repo.room_to_aggregate(db)
        for label, chosen, first, last in scopes:
            ids = [h.id for h in chosen]
            lower = start_of(first) if first else None
            upper = end_of(last)
            rules = {
                h.id: repo.HealthRule(h.health_at_risk_days, h.health_stalled_days) for h in chosen
            }
            period = (db, ids, lower, upper)
            queries: dict[str, Query] = {
                "mentees_by_status": partial(repo.mentees_by_status, *period),
                "median_delays": partial(repo.median_delays, *period),
                "match_outcomes": partial(repo.match_outcomes, *period),
                "session_figures": partial(repo.session_figures, *period),
                "evaluation_figures": partial(repo.evaluation_figures, *period),
                "health_counts": partial(repo.health_counts, db, rules, clock.today()),
                "mentor_load": partial(repo.mentor_load, db, ids),
            }
            for round_ in range(3):
                for name, query in queries.items():
                    captured.clear()
                    started = time.perf_counter()
                    await query()
                    elapsed = (time.perf_counter() - started) * 1000
                    if round_ < 2:
                        continue
                    print(f"{label:9s} {name:20s} {elapsed:7.1f} ms ({len(captured)} statements)")
                    if explain:
                        await _explain(db, [c for c in captured if c[0] > 0.02])


async def _explain(db: Any, slow: list[tuple[float, str, Any]]) -> None:
    raw = await (await db.connection()).get_raw_connection()
    for _, statement, parameters in slow:
        rows = await raw.driver_connection.fetch(
            f"EXPLAIN (ANALYZE, BUFFERS) {statement}", *parameters
        )
        print("\n".join(row[0] for row in rows), end="\n\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the database_url that reports_bench.py --keep-db printed")
    parser.add_argument("--explain", action="store_true")
    arguments = parser.parse_args()
    asyncio.run(_run(arguments.url, arguments.explain))
