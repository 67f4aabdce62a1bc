"""Suggestions and matching runs through the real API on PostgreSQL (issue 4's speed goals).

Usage: python bench/matching_api_bench.py [--pg postgresql://postgres@127.0.0.1:5432]
       [--db mentorat_bench_matching] [--requests 300] [--runs 3] [--no-apply] [--keep-db]

Creates its own database, migrates it, writes two hubs with COPY (A: 10,000 mentors of mixed
eligibility and 3,000 waiting mentees; B: 1,000 mentors and 5,000 waiting mentees; capacities
1-5, codes from the reference catalog, some open and some declined matches), starts the app with
one uvicorn worker on 127.0.0.1 and measures, sequentially and over bounded loops:
(a) GET /mentees/{id}/suggestions?limit=5 for distinct mentees among hub A's 10,000 mentors;
(b) POST /matching-runs for hub B's 5,000 waiting mentees x 1,000 mentors, end to end;
(c) POST /matching-runs/{id}/apply of the last run. Only the uvicorn it starts is stopped (by
PID); the database is dropped at the end unless --keep-db.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
import sqlalchemy as sa
from sqlalchemy.orm import Session as SqlSession

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.db import sync_url
from app.core.migrate import upgrade
from app.core.security import password_hasher
from app.hubs.models import Hub
from app.people.validation import normalise_search
from app.reference.catalog import (
    AVAILABILITY_SLOTS,
    LEGAL_FORMS,
    MEETING_MODES,
    SECTORS,
    THEMES,
)
from app.users.models import User
from bench.seed_people import (
    FIRST_NAMES,
    LAST_NAMES,
    MENTEE_COLUMNS,
    MENTOR_COLUMNS,
    ORG_WORDS,
    PLACES,
    ROLE_TITLES,
)

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-2026"
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
# slug, regions, mentors, waiting mentees, share of eligible mentors
HUBS = (
    ("suggestions", ["06", "13"], 10_000, 3_000, 0.6),
    ("cohort", ["03", "12"], 1_000, 5_000, 1.0),
)
MATCH_COLUMNS = [
    "id",
    "hub_id",
    "mentee_id",
    "mentor_id",
    "status",
    "score",
    "breakdown",
    "version",
    "created_at",
    "updated_at",
]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _codes(rng: random.Random, codes: list[str], low: int, high: int) -> str:
    return json.dumps(rng.sample(codes, rng.randint(low, high)))


def _person(rng: random.Random, hub_id: uuid.UUID, n: int, role: str, extra: str) -> list[Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{role}.{hub_id.hex[:6]}.{n}@bench.example"
    created = EPOCH + timedelta(minutes=n)
    return [
        _uuid(rng),
        hub_id,
        first,
        last,
        email,
        None,
        json.dumps(rng.choices([["fr"], ["fr", "en"], ["en"]], [6, 3, 1])[0]),
        "fr",
        _codes(rng, list(MEETING_MODES), 1, len(MEETING_MODES)),
        _codes(rng, list(AVAILABILITY_SLOTS), 2, 8),
        "",  # status, set by the caller
        "2025-01",
        created,
        normalise_search(f"{first} {last} {email} {extra}")[:1000],
        None,
        1,
        created,
        created,
    ]


def _mentors(
    rng: random.Random, hub_id: uuid.UUID, regions: list[str], count: int, eligible_share: float
) -> Iterator[list[Any]]:
    themes, sectors, forms = list(THEMES), list(SECTORS), list(LEGAL_FORMS)
    orgs = [f"{w} {p}" for w in ORG_WORDS for p in PLACES]
    for n in range(count):
        row = _person(rng, hub_id, n, "mentor", "")
        eligible = rng.random() < eligible_share
        # Ineligible mentors fail one rule or another: not active, not trained, no ethics.
        flaw = "" if eligible else rng.choice(["status", "trained", "ethics"])
        row[10] = rng.choice(["candidate", "paused", "retired"]) if flaw == "status" else "active"
        trained = date(2024, 1, 1) + timedelta(days=rng.randint(0, 600))
        served = list(regions) if rng.random() < 0.8 else [rng.choice(regions)]
        row += [
            _codes(rng, themes, 2, 5),
            _codes(rng, sectors, 1, 3),
            _codes(rng, forms, 1, 3),
            json.dumps(served),
            rng.randint(1, 5),
            rng.randint(2, 40),
            "Gestionnaire à la retraite, bénévole en économie sociale.",
            None if flaw == "trained" else trained,
            None if flaw == "ethics" else trained + timedelta(days=7),
            json.dumps([rng.choice(orgs)] if rng.random() < 0.05 else []),
        ]
        yield row


def _mentees(
    rng: random.Random, hub_id: uuid.UUID, regions: list[str], count: int
) -> Iterator[list[Any]]:
    themes, sectors, forms = list(THEMES), list(SECTORS), list(LEGAL_FORMS)
    for n in range(count):
        organisation = f"{rng.choice(ORG_WORDS)} {rng.choice(PLACES)}"
        row = _person(rng, hub_id, n, "mentee", organisation)
        row[10] = "waiting"
        row += [
            organisation,
            rng.choice(forms),
            rng.choice(sectors),
            rng.choice(regions),
            rng.randint(1, 120),
            rng.choice(ROLE_TITLES),
            rng.randint(0, 15),
            _codes(rng, themes, 1, 4),
            "Consolider la gouvernance et préparer la relève.",
        ]
        yield row


def seed(url: str, rng: random.Random, scale: float = 1.0) -> dict[str, Any]:
    """Migrate, then write the two hubs, their coordinators, profiles and a few matches."""
    upgrade(url)
    secret = password_hasher().hash(PASSWORD)
    out: dict[str, Any] = {"hubs": {}}
    hubs: list[tuple[uuid.UUID, str]] = []
    # Hubs and logins through the models (their defaults follow the schema); profiles by COPY.
    engine = sa.create_engine(sync_url(url))
    with SqlSession(engine) as session:
        for slug, regions, *_ in HUBS:
            hub = Hub(
                id=_uuid(rng),
                slug=slug,
                name=f"Pôle {slug}",
                regions=regions,
                contact_email=f"{slug}@bench.example",
            )
            email = f"coordination@{slug}.example"
            user = User(
                id=_uuid(rng),
                email=email,
                full_name=f"Coordination {slug}",
                role="coordinator",
                hub_id=hub.id,
                password_hash=secret,
            )
            session.add(hub)
            session.flush()
            session.add(user)
            hubs.append((hub.id, email))
        session.commit()
    engine.dispose()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        for (hub_id, email), (slug, regions, n_mentors, n_mentees, share) in zip(
            hubs, HUBS, strict=True
        ):
            n_mentors, n_mentees = max(10, int(n_mentors * scale)), max(10, int(n_mentees * scale))
            mentor_rows = list(_mentors(rng, hub_id, regions, n_mentors, share))
            mentee_rows = list(_mentees(rng, hub_id, regions, n_mentees))
            with cur.copy(f"COPY mentor ({', '.join(MENTOR_COLUMNS)}) FROM STDIN") as copy:
                for row in mentor_rows:
                    copy.write_row(row)
            # Extra mentees already paired (they hold the open and declined matches).
            paired = list(_mentees(rng, hub_id, regions, n_mentors // 5))
            for row in paired:
                row[0], row[4] = _uuid(rng), row[4].replace("mentee.", "paired.")
                row[10] = "matched"
            with cur.copy(f"COPY mentee ({', '.join(MENTEE_COLUMNS)}) FROM STDIN") as copy:
                for row in mentee_rows + paired:
                    copy.write_row(row)
            matches = []
            for row in paired:
                mentor = rng.choice(mentor_rows)
                matches.append([_uuid(rng), hub_id, row[0], mentor[0], "proposed", 50.0, "{}"])
            # Declined pairs with waiting mentees: the "never again" rule has work to do.
            for row in rng.sample(mentee_rows, len(mentee_rows) // 20):
                mentor = rng.choice(mentor_rows)
                matches.append([_uuid(rng), hub_id, row[0], mentor[0], "declined", 40.0, "{}"])
            with cur.copy(f"COPY match ({', '.join(MATCH_COLUMNS)}) FROM STDIN") as copy:
                for match in matches:
                    copy.write_row([*match, 1, EPOCH, EPOCH])
            out["hubs"][slug] = {
                "id": str(hub_id),
                "login": email,
                "mentors": n_mentors,
                "waiting": [str(r[0]) for r in mentee_rows],
            }
        conn.commit()
        conn.autocommit = True
        for table in ("mentor", "mentee", "match"):
            cur.execute(f"VACUUM ANALYZE {table}")
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_app(url: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "MENTORAT_DATABASE_URL": url}
    uvicorn = str(Path(sys.executable).with_name("uvicorn"))
    command = [uvicorn, "app.main:create_app", "--factory", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--workers", "1", "--no-access-log", "--log-level", "warning"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.terminate()
    raise SystemExit("the app did not start")


def _login(client: httpx.Client, email: str) -> dict[str, str]:
    response = client.post("/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def bench_suggestions(client: httpx.Client, hub: dict[str, Any], requests: int) -> dict[str, Any]:
    """Sequential GETs, one distinct mentee each, after a short warm-up."""
    auth = _login(client, hub["login"])
    mentees = hub["waiting"]
    for mentee_id in mentees[-10:]:  # warm-up, not measured
        client.get(f"/api/v1/mentees/{mentee_id}/suggestions?limit=5", headers=auth)
    latencies = []
    for mentee_id in mentees[:requests]:
        t0 = time.perf_counter()
        response = client.get(f"/api/v1/mentees/{mentee_id}/suggestions?limit=5", headers=auth)
        latencies.append(1000 * (time.perf_counter() - t0))
        response.raise_for_status()
        body = response.json()
        assert body["considered"] == hub["mentors"], body["considered"]
        assert body["feasible"] + sum(body["excluded"].values()) == body["considered"], body
        assert len(body["items"]) == min(5, body["feasible"])
    return {
        "requests": len(latencies),
        "p50_ms": round(_quantile(latencies, 0.5), 2),
        "p99_ms": round(_quantile(latencies, 0.99), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
        "excluded_example": body["excluded"],
    }


def bench_runs(client: httpx.Client, hub: dict[str, Any], runs: int) -> dict[str, Any]:
    """POST /matching-runs for every waiting mentee of the hub, end to end, `runs` times."""
    auth = _login(client, hub["login"])
    results = []
    for _ in range(runs):
        t0 = time.perf_counter()
        response = client.post("/api/v1/matching-runs", json={}, headers=auth)
        elapsed = time.perf_counter() - t0
        response.raise_for_status()
        body = response.json()
        results.append((elapsed, body))
    elapsed, body = sorted(results, key=lambda r: r[0])[len(results) // 2]
    stored = client.get(f"/api/v1/matching-runs/{body['id']}", headers=auth)
    stored.raise_for_status()
    assert len(stored.json()["proposals"]) == len(body["proposals"]) > 0
    assert body["parameters"]["mentees"] == len(hub["waiting"])
    return {
        "runs": runs,
        "end_to_end_s": [round(r[0], 3) for r in results],
        "median_s": round(elapsed, 3),
        "response_bytes": len(response.content),
        "run_id": body["id"],
        "mentees": body["parameters"]["mentees"],
        "mentors": body["parameters"]["mentors"],
        "proposals": len(body["proposals"]),
        "unmatched": len(body["unmatched"]),
        "total_score": body["total_score"],
        "greedy_total": body["greedy_total"],
        "exact": body["exact"],
        "method": body["method"],
        "timings": body["timings"],
        "last_run_id": results[-1][1]["id"],
    }


def bench_apply(client: httpx.Client, hub: dict[str, Any], run_id: str) -> dict[str, Any]:
    """POST /matching-runs/{id}/apply once."""
    auth = _login(client, hub["login"])
    t0 = time.perf_counter()
    response = client.post(f"/api/v1/matching-runs/{run_id}/apply", headers=auth)
    elapsed = time.perf_counter() - t0
    response.raise_for_status()
    report = response.json()["apply_report"]
    return {
        "seconds": round(elapsed, 3),
        "created": len(report["created"]),
        "skipped": len(report["skipped"]),
    }


def _table(figures: dict[str, Any]) -> str:
    s, r = figures["suggestions"], figures["run"]
    lines = [
        f"{figures['when']}; {figures['machine']}",
        "",
        "| measure | figure | goal |",
        "|---|---:|---:|",
        f"| suggestions p50 ({s['requests']} mentees, 10,000 mentors) | {s['p50_ms']:.1f} ms "
        "| < 25 ms |",
        f"| suggestions p99 | {s['p99_ms']:.1f} ms | |",
        f"| matching run {r['mentees']:,} × {r['mentors']:,}, end to end (median of "
        f"{r['runs']}) | {r['median_s']:.2f} s | < 2 s |",
    ]
    lines += [f"| · run timing `{k}` | {v:.3f} s | |" for k, v in r["timings"].items()]
    gap = 100 * (r["total_score"] - r["greedy_total"]) / r["total_score"]
    lines += [
        f"| proposals stored / unmatched | {r['proposals']:,} / {r['unmatched']:,} | |",
        f"| total ({r['method']}, exact={r['exact']}) vs greedy | {r['total_score']:,.1f} vs "
        f"{r['greedy_total']:,.1f} (greedy {gap:.2f}% below) | |",
    ]
    if figures.get("apply"):
        a = figures["apply"]
        lines.append(
            f"| apply: {a['created']:,} matches created, {a['skipped']:,} skipped | "
            f"{a['seconds']:.2f} s | |"
        )
    return "\n".join(lines)


def main() -> None:
    """Seed, start the app, measure, print the table, clean up."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--db", default="mentorat_bench_matching")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-apply", action="store_true")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--scale", type=float, default=1.0, help="profile counts x this")
    parser.add_argument("--out", default=str(ROOT / "bench/results/matching_api.json"))
    args = parser.parse_args()
    if not args.db.replace("_", "").isalnum():
        raise SystemExit("--db must be a plain name")
    url = f"{args.pg}/{args.db}"
    admin = f"{args.pg}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {args.db}")
    proc = None
    try:
        t0 = time.perf_counter()
        data = seed(url, random.Random(args.seed), args.scale)
        print(f"== seeded in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        proc, base = _start_app(url)
        with httpx.Client(base_url=base, timeout=600) as client:
            figures: dict[str, Any] = {
                "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, "
                f"Python {platform.python_version()}, one uvicorn worker, 127.0.0.1",
            }
            figures["suggestions"] = bench_suggestions(
                client, data["hubs"]["suggestions"], args.requests
            )
            figures["run"] = bench_runs(client, data["hubs"]["cohort"], args.runs)
            if not args.no_apply:
                figures["apply"] = bench_apply(
                    client, data["hubs"]["cohort"], figures["run"]["last_run_id"]
                )
        print(_table(figures))
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(figures, indent=2))
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if not args.keep_db:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {args.db} WITH (FORCE)")


if __name__ == "__main__":
    main()
