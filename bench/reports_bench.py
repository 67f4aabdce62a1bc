"""The program report at scale: `GET /api/v1/reports/summary` over 1,000,000 sessions (issue 11).

PostgreSQL: 100,000 mentors and 200,000 mentees (bench/seed_people.py, COPY), 150,000 matches
in every status over three years, 1,000,000 sessions of the matches that began (held,
cancelled, no-show, planned; ratings on most held ones) and 60,000 evaluations, all by COPY.
SQLite: the same generator at a tenth of each count. Then, in process (httpx ASGI transport),
the national admin asks for the summary of one hub and one year, and of all hubs and all
years, `--repeat` times each after one warm-up; the medians are the figures.

    python bench/reports_bench.py [--pg postgresql://postgres@127.0.0.1:5432] [--sqlite]
        [--scale 1.0] [--repeat 7] [--out bench/results/reports.json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MENTORAT_JWT_SECRET", f"bench-secret-{uuid.uuid4().hex}")
for bucket in ("CLIENT", "USER", "TOKEN", "PUBLIC"):
    os.environ[f"MENTORAT_RATE_LIMIT_{bucket}"] = "1000000/second"

START = datetime(2024, 1, 1, tzinfo=UTC)
MATCH_STATUSES = (
    ("completed", 40),
    ("active", 25),
    ("ended_early", 10),
    ("declined", 10),
    ("cancelled", 5),
    ("proposed", 5),
    ("accepted", 5),
)
BEGAN = {"completed", "active", "ended_early"}
MATCH_COLUMNS = [
    "id", "hub_id", "mentee_id", "mentor_id", "status", "score", "breakdown",
    "mentor_accepted_at", "mentee_accepted_at", "agreement_signed_on", "starts_on", "ends_on",
    "activated_at", "closed_at", "end_reason", "version", "created_at", "updated_at",
]  # fmt: skip
SESSION_COLUMNS = [
    "id", "match_id", "hub_id", "mentor_id", "mentee_id", "scheduled_at", "ends_at",
    "duration_minutes", "mode", "status", "feedback_rating", "held_at", "version",
    "created_at", "updated_at",
]  # fmt: skip
EVALUATION_COLUMNS = [
    "id", "match_id", "hub_id", "author_role", "author_profile_id", "satisfaction", "goals_met",
    "publish_consent", "publish_fields", "version", "created_at", "updated_at",
]  # fmt: skip


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def program(
    rng: random.Random,
    people: dict[uuid.UUID, tuple[list[uuid.UUID], list[uuid.UUID]]],
    n_matches: int,
    n_sessions: int,
    n_evaluations: int,
) -> tuple[list[list[Any]], list[list[Any]], list[list[Any]]]:
    """Matches, sessions and evaluations over three years, spread over the hubs like people."""
    statuses = [s for s, _ in MATCH_STATUSES]
    weights = [w for _, w in MATCH_STATUSES]
    total_people = sum(len(mentees) for _, mentees in people.values())
    matches: list[list[Any]] = []
    began: list[list[Any]] = []
    for hub_id, (mentors, mentees) in people.items():
        count = round(n_matches * len(mentees) / total_people)
        chosen = rng.sample(mentees, min(count, len(mentees)))
        for mentee_id in chosen:
            status = rng.choices(statuses, weights)[0]
            created = START + timedelta(
                days=rng.randint(0, 3 * 365 - 1), minutes=rng.randint(0, 1439)
            )
            starts = (created + timedelta(days=rng.randint(7, 40))).date()
            row: list[Any] = [
                _uuid(rng), hub_id, mentee_id, rng.choice(mentors), status,
                round(rng.uniform(0.3, 0.95), 3), "{}", None, None, None, None, None, None, None,
                "relocation" if status == "ended_early" else None, 1, created, created,
            ]  # fmt: skip
            if status != "proposed":
                row[7] = row[8] = created + timedelta(days=rng.randint(1, 7))
            if status in BEGAN:
                row[9] = row[10] = starts
                row[11] = starts + timedelta(days=365)
                row[12] = datetime.combine(starts, datetime.min.time(), tzinfo=UTC)
            if status in ("completed", "ended_early", "declined", "cancelled"):
                closed = created + timedelta(days=rng.randint(10, 380))
                row[13] = closed
                row[17] = closed
            matches.append(row)
            if status in BEGAN:
                began.append(row)
    sessions: list[list[Any]] = []
    per_match = max(1, n_sessions // max(1, len(began)))
    while len(sessions) < n_sessions:
        for match in began:
            if len(sessions) >= n_sessions:
                break
            starts = match[12]
            for k in range(min(per_match, n_sessions - len(sessions))):
                at = starts + timedelta(days=30 * k + rng.randint(0, 20), hours=rng.randint(8, 19))
                roll = rng.random()
                status = "held" if roll < 0.78 else "cancelled" if roll < 0.9 else (
                    "no_show" if roll < 0.95 else "scheduled"
                )  # fmt: skip
                duration = rng.choice((45, 60, 60, 90))
                rating = rng.randint(2, 5) if status == "held" and rng.random() < 0.7 else None
                sessions.append([
                    _uuid(rng), match[0], match[1], match[3], match[2], at,
                    at + timedelta(minutes=duration), duration, "video", status, rating,
                    at + timedelta(minutes=duration) if status == "held" else None, 1, at, at,
                ])  # fmt: skip
    closed = [m for m in matches if m[4] in ("completed", "ended_early")]
    evaluations: list[list[Any]] = []
    for match in closed:
        for role, profile in (("mentee", match[2]), ("mentor", match[3])):
            if len(evaluations) >= n_evaluations:
                break
            at = match[13] + timedelta(days=rng.randint(1, 30))
            evaluations.append([
                _uuid(rng), match[0], match[1], role, profile, rng.randint(2, 5),
                rng.randint(1, 5), False, "[]", 1, at, at,
            ])  # fmt: skip
    return matches, sessions, evaluations


def _pg_people(url: str, mentors: int, mentees: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench/seed_people.py"), url, "--mentors", str(mentors),
         "--mentees", str(mentees)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _people_by_hub(engine: sa.Engine) -> dict[uuid.UUID, tuple[list[uuid.UUID], list[uuid.UUID]]]:
    out: dict[uuid.UUID, tuple[list[uuid.UUID], list[uuid.UUID]]] = {}
    with engine.connect() as conn:
        for table, index in (("mentor", 0), ("mentee", 1)):
            for hub_id, person in conn.execute(sa.text(f"SELECT hub_id, id FROM {table}")):
                hub_id = uuid.UUID(str(hub_id)) if not isinstance(hub_id, uuid.UUID) else hub_id
                person = uuid.UUID(str(person)) if not isinstance(person, uuid.UUID) else person
                out.setdefault(hub_id, ([], []))[index].append(person)
    return out


def _copy(url: str, table: str, columns: list[str], rows: Iterator[list[Any]]) -> None:
    import psycopg

    from app.core.db import sync_url

    dsn = sync_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        conn.commit()


def _sqlite_people(url: str, mentors: int, mentees: int) -> None:
    """The people bench's generators, written through the models' tables (SQLite)."""
    from app.core.db import make_sync_engine
    from app.core.migrate import upgrade
    from app.models import metadata
    from bench import seed_people as sp

    upgrade(url)
    rng = random.Random(7)
    hub_ids = [_uuid(rng) for _ in sp.HUBS]
    engine = make_sync_engine(url)
    json_columns = {
        "languages",
        "meeting_modes",
        "availability",
        "expertise",
        "sectors",
        "legal_forms_known",
        "regions_served",
        "excluded_organizations",
        "needs",
    }
    with engine.begin() as conn:
        for hub_id, (slug, name, regions, _share) in zip(hub_ids, sp.HUBS, strict=True):
            conn.execute(metadata.tables["hub"].insert(), {
                "id": hub_id, "slug": slug, "name": name, "regions": regions,
                "contact_email": f"info@{slug}.example", "is_active": True, "matching_weights": {},
                "version": 1, "created_at": START, "updated_at": START,
            })  # fmt: skip
        for table, columns, rows in (
            ("mentor", sp.MENTOR_COLUMNS, sp.mentors(rng, hub_ids, mentors)),
            ("mentee", sp.MENTEE_COLUMNS, sp.mentees(rng, hub_ids, mentees)),
        ):
            batch = [
                {
                    c: json.loads(v) if c in json_columns else v
                    for c, v in zip(columns, row, strict=True)
                }
                for row in rows
            ]
            conn.execute(metadata.tables[table].insert(), batch)
    engine.dispose()


def _sqlite_rows(url: str, table: str, columns: list[str], rows: list[list[Any]]) -> None:
    from app.core.db import make_sync_engine
    from app.models import metadata

    json_columns = {"breakdown", "publish_fields"}
    engine = make_sync_engine(url)
    with engine.begin() as conn:
        for start in range(0, len(rows), 20_000):
            batch = [
                {
                    c: json.loads(v) if c in json_columns else v
                    for c, v in zip(columns, row, strict=True)
                }
                for row in rows[start : start + 20_000]
            ]
            conn.execute(metadata.tables[table].insert(), batch)
    engine.dispose()


async def _measure(url: str, repeat: int) -> dict[str, Any]:
    import httpx

    from app.core.db import get_engine
    from app.core.keystore import get_keystore
    from app.main import create_app
    from tests.factories import login_as

    os.environ["MENTORAT_DATABASE_URL"] = url
    app = create_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://bench", timeout=120
    ) as client:
        admin = await login_as(client, "admin")
        hubs = (await client.get("/api/v1/hubs", headers=admin.headers)).json()["items"]
        montreal = next(h for h in hubs if h["slug"] == "montreal")
        year = f"/api/v1/reports/summary?hub_id={montreal['id']}&from=2025-01-01&to=2025-12-31"
        everything = "/api/v1/reports/summary"

        async def timed(path: str) -> tuple[list[float], dict[str, Any]]:
            first = await client.get(path, headers=admin.headers)
            assert first.status_code == 200, first.text
            samples = []
            for _ in range(repeat):
                started = time.perf_counter()
                r = await client.get(path, headers=admin.headers)
                samples.append((time.perf_counter() - started) * 1000)
                assert r.status_code == 200, r.text
            return samples, first.json()

        async def bare_scan() -> list[float]:
            # The baseline, side by side: one plain aggregate over every session, what any
            # report of the whole program must at least read. Ratios against it cancel
            # much of the machine's speed and load of the moment.
            samples = []
            for _ in range(repeat + 1):
                started = time.perf_counter()
                async with get_engine().connect() as conn:
                    await conn.execute(sa.text(BARE_SCAN))
                samples.append((time.perf_counter() - started) * 1000)
            return samples[1:]

        baseline = await bare_scan()
        hub_year, _body_year = await timed(year)
        all_time, body_all = await timed(everything)
    await get_engine().dispose()
    await get_keystore().dispose()
    held = body_all["totals"]["sessions_held"] if "totals" in body_all else None
    bare = statistics.median(baseline)
    return {
        "summary_hub_year_ms": round(statistics.median(hub_year), 1),
        "summary_all_ms": round(statistics.median(all_time), 1),
        "baseline_scan_ms": round(bare, 1),
        "hub_year_vs_scan": round(statistics.median(hub_year) / bare, 2),
        "all_vs_scan": round(statistics.median(all_time) / bare, 2),
        "samples_ms": {
            "hub_year": [round(s, 1) for s in hub_year],
            "all": [round(s, 1) for s in all_time],
            "baseline_scan": [round(s, 1) for s in baseline],
        },
        "sessions_held_reported": held,
    }


BARE_SCAN = (
    "SELECT hub_id, status, count(*), sum(duration_minutes) FROM mentoring_session "
    "GROUP BY hub_id, status"
)


def main(args: argparse.Namespace) -> dict[str, Any]:
    from app.core.config import get_settings
    from app.core.db import make_sync_engine, sync_url

    scale = args.scale * (0.1 if args.sqlite else 1.0)
    mentors, mentees = int(100_000 * scale), int(200_000 * scale)
    n_matches, n_sessions, n_evaluations = (
        int(150_000 * scale),
        int(1_000_000 * scale),
        int(60_000 * scale),
    )
    folder = tempfile.mkdtemp()
    names: list[str] = []
    if args.sqlite:
        url = f"sqlite:///{folder}/reports.db"
        os.environ["MENTORAT_KEYSTORE_URL"] = f"sqlite:///{folder}/reports-keys.db"
    else:
        name = f"mentorat_bench_reports_{uuid.uuid4().hex[:6]}"
        names = [name, f"{name}_keys"]
        admin = sa.create_engine(sync_url(f"{args.pg}/postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            for each in names:
                conn.exec_driver_sql(f'CREATE DATABASE "{each}"')
        admin.dispose()
        url = f"{args.pg}/{name}"
        os.environ["MENTORAT_KEYSTORE_URL"] = f"{args.pg}/{names[1]}"
    os.environ["MENTORAT_DATABASE_URL"] = url
    get_settings.cache_clear()
    try:
        started = time.perf_counter()
        if args.sqlite:
            _sqlite_people(url, mentors, mentees)
        else:
            _pg_people(url, mentors, mentees)
        engine = make_sync_engine(url)
        people = _people_by_hub(engine)
        matches, sessions, evaluations = program(
            random.Random(3), people, n_matches, n_sessions, n_evaluations
        )
        for table, columns, rows in (
            ("match", MATCH_COLUMNS, matches),
            ("mentoring_session", SESSION_COLUMNS, sessions),
            ("evaluation", EVALUATION_COLUMNS, evaluations),
        ):
            if args.sqlite:
                _sqlite_rows(url, table, columns, rows)
            else:
                _copy(url, table, columns, iter(rows))
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # What autovacuum does after a bulk load (statistics and the visibility map
            # that index-only scans need), done at once here.
            conn.exec_driver_sql("ANALYZE" if args.sqlite else "VACUUM ANALYZE")
        engine.dispose()
        seeded = time.perf_counter() - started
        figures = asyncio.run(_measure(url, args.repeat))
    finally:
        if names and not args.keep_db:
            admin = sa.create_engine(sync_url(f"{args.pg}/postgres"), isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                for each in names:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)')
            admin.dispose()
    return {
        "benchmark": "GET /api/v1/reports/summary (admin): one hub, one year; all hubs, all years",
        "database": "sqlite" if args.sqlite else "postgresql",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "rows": {
            "mentors": mentors,
            "mentees": mentees,
            "matches": len(matches),
            "sessions": len(sessions),
            "evaluations": len(evaluations),
        },
        "seed_seconds": round(seeded, 1),
        "database_url": url if args.keep_db else None,
        **figures,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--sqlite", action="store_true", help="SQLite at a tenth of the data")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--keep-db", action="store_true", help="keep the PostgreSQL database")
    parsed = parser.parse_args()
    outcome = main(parsed)
    text = json.dumps(outcome, indent=2)
    print(text)
    if parsed.out:
        parsed.out.parent.mkdir(parents=True, exist_ok=True)
        parsed.out.write_text(text + "\n")
