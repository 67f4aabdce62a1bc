"""Scale-out check on PostgreSQL: two API processes, two workers, a bounded mixed load.

Two `mentorat serve` processes (no shared memory, rate-limit counters in Redis) and two
`mentorat worker` processes run against one scratch PostgreSQL database. A load of
proposals, acceptances, activations, sessions and account invitations goes to both
servers from several concurrent callers on 127.0.0.1; a webhook receiver and an SMTP sink
(aiosmtpd) run in this script. Then it checks that:

- no request failed with a 5xx;
- no invariant broke: a mentor's open matches never exceed their capacity, a mentee has at
  most one open match, no person has two overlapping planned or held sessions;
- every outbox event reached the receiver exactly once, and every email was sent once;
- an API client's rate limit held across both processes (Redis).

    python scripts/multiprocess_check.py [--pg postgresql://postgres@127.0.0.1:5432]
        [--redis redis://127.0.0.1:6379/0] [--operations 240]

Exit code 0 when every check holds; it stops its processes by their pid and drops its database.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Receiver  # noqa: E402

BIN = ROOT / ".venv" / "bin"
API = "/api/v1"
PASSWORD = "multiprocess-check-2026"
CLIENT_LIMIT = 40


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Mailbox:
    """SMTP sink: counts messages by the notification id in their Message-ID."""

    def __init__(self) -> None:
        self.ids: Counter[str] = Counter()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        text = envelope.content.decode("utf-8", errors="replace")
        found = re.search(r"^Message-ID:\s*<[^>]*?([0-9a-f]{32})@mentorat>", text, re.M | re.I)
        self.ids[found.group(1) if found else f"unknown-{len(self.ids)}"] += 1
        return "250 OK"


class Failures(Exception):
    """One or more checks failed."""


async def wait_up(url: str) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(300):
            try:
                if (await http.get(url)).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


async def call(
    http: httpx.AsyncClient, statuses: Counter[int], method: str, url: str, **kwargs: Any
) -> httpx.Response:
    response = await http.request(method, url, **kwargs)
    statuses[response.status_code] += 1
    if response.status_code == 422 and os.environ.get("MP_DEBUG"):
        print(f"422: {method} {url} -> {response.text[:300]}")
    if response.status_code >= 500:
        print(f"5xx: {method} {url} -> {response.status_code} {response.text[:200]}")
    return response


async def setup(http: httpx.AsyncClient, base: str, receiver: Receiver) -> dict[str, Any]:
    """A hub, its coordinator, a webhook on every event, 8 mentors and 20 waiting mentees."""
    token = await _token(http, base, "admin@multiprocess.example")
    admin = {"Authorization": f"Bearer {token}"}
    hub = await http.post(
        f"{base}{API}/hubs",
        json={
            "slug": "mp-hub",
            "name": "Pôle test",
            "regions": ["06"],
            "contact_email": "mp@example.org",
        },
        headers=admin,
    )
    assert hub.status_code == 201, hub.text
    hub_id = hub.json()["id"]
    made = await http.post(
        f"{base}{API}/users",
        json={
            "email": "coord@multiprocess.example",
            "full_name": "Coordination",
            "role": "coordinator",
            "hub_id": hub_id,
            "password": PASSWORD,
        },
        headers=admin,
    )
    assert made.status_code == 201, made.text
    staff = {"Authorization": f"Bearer {await _token(http, base, 'coord@multiprocess.example')}"}
    reference = (await http.get(f"{base}{API}/reference")).json()
    events = [item["code"] for item in reference["webhook_event_types"]]
    hook = await http.post(
        f"{base}{API}/webhooks",
        json={"url": f"http://127.0.0.1:{receiver.port}/hook", "events": events},
        headers=staff,
    )
    assert hook.status_code == 201, hook.text
    mentors, mentees = [], []
    for n in range(8):
        r = await http.post(
            f"{base}{API}/mentors",
            json={
                "first_name": f"Mentor{n}",
                "last_name": "Essai",
                "email": f"m{n}@example.org",
                "languages": ["fr"],
                "meeting_modes": ["video"],
                "expertise": ["governance"],
                "regions_served": ["06"],
                "capacity": 2,
                "years_experience": 10,
                "status": "active",
                "trained_on": "2026-01-01",
                "ethics_signed_on": "2026-01-01",
            },
            headers=staff,
        )
        assert r.status_code == 201, r.text
        mentors.append(r.json()["id"])
    for n in range(20):
        r = await http.post(
            f"{base}{API}/mentees",
            json={
                "first_name": f"Mentee{n}",
                "last_name": "Essai",
                "email": f"e{n}@example.org",
                "languages": ["fr"],
                "organization_name": f"Coop {n}",
                "legal_form": "solidarity_coop",
                "sector": "housing",
                "region": "06",
                "needs": ["governance"],
                "status": "waiting",
            },
            headers=staff,
        )
        assert r.status_code == 201, r.text
        mentees.append(r.json()["id"])
    # Their accounts, without passwords: each person is emailed an invitation.
    accounts = []
    for role, ids in (("mentor", mentors), ("mentee", mentees)):
        for n, profile_id in enumerate(ids):
            r = await http.post(
                f"{base}{API}/users",
                json={
                    "email": f"{role}{n}@example.org",
                    "full_name": f"{role} {n}",
                    "role": role,
                    "profile_id": profile_id,
                },
                headers=staff,
            )
            assert r.status_code == 201, r.text
            accounts.append(r.json()["id"])
    client = await http.post(
        f"{base}{API}/hubs/{hub_id}/api-clients",
        json={"name": "CRM", "scopes": ["mentors:read"]},
        headers=staff,
    )
    assert client.status_code == 201, client.text
    return {
        "hub_id": hub_id,
        "staff": staff,
        "mentors": mentors,
        "mentees": mentees,
        "accounts": accounts,
        "client": client.json(),
    }


async def _token(http: httpx.AsyncClient, base: str, email: str) -> str:
    r = await http.post(f"{base}{API}/auth/token", data={"username": email, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


async def load(
    http: httpx.AsyncClient,
    bases: list[str],
    world: dict[str, Any],
    operations: int,
    statuses: Counter[int],
) -> None:
    """Concurrent callers, each on both servers in turn, doing what coordinators do."""
    staff = world["staff"]
    rng = random.Random(7)  # noqa: S311 - a reproducible load, not a secret
    start = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)

    async def caller(index: int) -> None:
        for step in range(operations // 4):
            base = bases[(index + step) % len(bases)]
            action = rng.choice(["propose", "propose", "accept", "activate", "session", "invite"])
            if action == "propose":
                await call(
                    http,
                    statuses,
                    "POST",
                    f"{base}{API}/matches",
                    headers=staff,
                    json={
                        "mentor_id": rng.choice(world["mentors"]),
                        "mentee_id": rng.choice(world["mentees"]),
                    },
                )
            elif action in ("accept", "activate", "session"):
                wanted = {"accept": "proposed", "activate": "accepted", "session": "active"}[action]
                listed = await call(
                    http,
                    statuses,
                    "GET",
                    f"{base}{API}/matches?status={wanted}&limit=50",
                    headers=staff,
                )
                items = listed.json().get("items", []) if listed.status_code == 200 else []
                if not items:
                    continue
                match = rng.choice(items)
                if action == "accept":
                    for side in ("mentor", "mentee"):
                        await call(
                            http,
                            statuses,
                            "POST",
                            f"{base}{API}/matches/{match['id']}/accept",
                            json={"side": side},
                            headers=staff,
                        )
                elif action == "activate":
                    await call(
                        http,
                        statuses,
                        "POST",
                        f"{base}{API}/matches/{match['id']}/activate",
                        json={"agreement_signed_on": "2026-12-01", "starts_on": "2026-12-01"},
                        headers=staff,
                    )
                else:
                    at = start + timedelta(minutes=30 * rng.randrange(12))
                    await call(
                        http,
                        statuses,
                        "POST",
                        f"{base}{API}/sessions",
                        headers=staff,
                        json={
                            "match_id": match["id"],
                            "scheduled_at": at.isoformat(),
                            "duration_minutes": 60,
                            "mode": "video",
                        },
                    )
            else:
                account = rng.choice(world["accounts"])
                await call(
                    http, statuses, "POST", f"{base}{API}/users/{account}/invitation", headers=staff
                )

    await asyncio.gather(*(caller(i) for i in range(4)))


async def rate_limit_check(
    http: httpx.AsyncClient, bases: list[str], world: dict[str, Any]
) -> tuple[int, int]:
    """An API client's requests on both servers share one limit."""
    client = world["client"]
    r = await http.post(
        f"{bases[0]}{API}/auth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
        },
    )
    assert r.status_code == 200, r.text
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    codes: Counter[int] = Counter()
    for n in range(CLIENT_LIMIT + 20):
        response = await http.get(f"{bases[n % 2]}{API}/mentors?limit=1", headers=headers)
        codes[response.status_code] += 1
    return codes[200], codes[429]


async def settle(engine: Any, deadline: float) -> None:
    """Wait until the workers have dispatched, delivered and sent everything."""
    query = sa.text(
        "SELECT (SELECT count(*) FROM outbox_event WHERE dispatched_at IS NULL)"
        " + (SELECT count(*) FROM webhook_delivery WHERE status IN ('pending', 'delivering'))"
        " + (SELECT count(*) FROM notification WHERE status IN ('queued', 'sending'))"
    )
    while time.monotonic() < deadline:
        async with engine.connect() as conn:
            if (await conn.execute(query)).scalar_one() == 0:
                return
        await asyncio.sleep(0.5)
    raise Failures("the workers did not finish within the time limit")


async def invariants(engine: Any) -> list[str]:
    problems: list[str] = []
    checks = {
        "a mentor over capacity": """
            SELECT m.id FROM mentor m JOIN match x ON x.mentor_id = m.id
            WHERE x.status IN ('proposed', 'accepted', 'active')
            GROUP BY m.id, m.capacity HAVING count(*) > m.capacity""",
        "a mentee with two open matches": """
            SELECT mentee_id FROM match WHERE status IN ('proposed', 'accepted', 'active')
            GROUP BY mentee_id HAVING count(*) > 1""",
        "overlapping sessions": """
            SELECT a.id FROM mentoring_session a JOIN mentoring_session b
              ON a.id < b.id AND (a.mentor_id = b.mentor_id OR a.mentee_id = b.mentee_id)
             AND a.scheduled_at < b.ends_at AND b.scheduled_at < a.ends_at
            WHERE a.status IN ('scheduled', 'held') AND b.status IN ('scheduled', 'held')""",
    }
    async with engine.connect() as conn:
        for name, query in checks.items():
            rows = (await conn.execute(sa.text(query))).all()
            if rows:
                problems.append(f"{name}: {len(rows)}")
    return problems


async def main(args: argparse.Namespace) -> int:
    from app.core.db import make_async_engine, sync_url

    name = f"mentorat_mp_{uuid.uuid4().hex[:8]}"
    admin_engine = sa.create_engine(sync_url(f"{args.pg}/postgres"), isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        for each in (name, f"{name}_keys"):
            conn.exec_driver_sql(f'CREATE DATABASE "{each}"')
    receiver = Receiver()
    await receiver.start()
    mailbox = Mailbox()
    smtp_port = free_port()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = {
        **os.environ,
        "MENTORAT_DATABASE_URL": f"{args.pg}/{name}",
        "MENTORAT_KEYSTORE_URL": f"{args.pg}/{name}_keys",
        "MENTORAT_JWT_SECRET": f"multiprocess-{uuid.uuid4().hex}-0123456789",
        "MENTORAT_REDIS_URL": args.redis,
        "MENTORAT_RATE_LIMIT_CLIENT": f"{CLIENT_LIMIT}/minute",
        "MENTORAT_WEBHOOK_ALLOW_PRIVATE": "true",
        "MENTORAT_SMTP_HOST": "127.0.0.1",
        "MENTORAT_SMTP_PORT": str(smtp_port),
        "MENTORAT_SMTP_STARTTLS": "false",
        "MENTORAT_RETENTION_INTERVAL_HOURS": "0",
    }
    env.pop("MENTORAT_DATA_KEY", None)
    processes: list[asyncio.subprocess.Process] = []
    engine = make_async_engine(env["MENTORAT_DATABASE_URL"])
    failures: list[str] = []
    try:
        for command in (
            ["migrate"],
            ["create-admin", "--email", "admin@multiprocess.example", "--password", PASSWORD],
        ):
            done = await asyncio.create_subprocess_exec(
                str(BIN / "mentorat"), *command, env=env, stdout=asyncio.subprocess.DEVNULL
            )
            assert await done.wait() == 0, command
        ports = [free_port(), free_port()]
        for port in ports:
            processes.append(
                await asyncio.create_subprocess_exec(
                    str(BIN / "mentorat"),
                    "serve",
                    "--no-migrate",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    env=env,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
            )
        for _ in range(2):
            processes.append(
                await asyncio.create_subprocess_exec(
                    str(BIN / "mentorat"),
                    "worker",
                    "--interval",
                    "0.3",
                    env=env,
                    stdout=asyncio.subprocess.DEVNULL,
                    stderr=asyncio.subprocess.DEVNULL,
                )
            )
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            await wait_up(f"{base}/healthz")
        statuses: Counter[int] = Counter()
        async with httpx.AsyncClient(timeout=30) as http:
            world = await setup(http, bases[0], receiver)
            started = time.monotonic()
            await load(http, bases, world, args.operations, statuses)
            took = time.monotonic() - started
            allowed, limited = await rate_limit_check(http, bases, world)
        await settle(engine, time.monotonic() + 180)
        async with engine.connect() as conn:
            events = set((await conn.execute(sa.text("SELECT id FROM outbox_event"))).scalars())
            sent = list(
                (
                    await conn.execute(sa.text("SELECT id FROM notification WHERE status = 'sent'"))
                ).scalars()
            )
            failed_mail = (
                await conn.execute(
                    sa.text("SELECT count(*) FROM notification WHERE status = 'failed'")
                )
            ).scalar_one()
        print(f"load: {sum(statuses.values())} requests in {took:.1f} s, statuses {dict(statuses)}")
        print(f"outbox: {len(events)} events, receiver got {sum(receiver.ids.values())} posts")
        print(f"mail: {len(sent)} sent, {sum(mailbox.ids.values())} received, {failed_mail} failed")
        print(f"rate limit: {allowed} answered, {limited} limited (limit {CLIENT_LIMIT}/minute)")
        if any(code >= 500 for code in statuses):
            failures.append("a request failed with a 5xx")
        failures += await invariants(engine)
        if {str(e) for e in events} != set(receiver.ids):
            failures.append("an event was not delivered, or an unknown one was")
        if any(n > 1 for n in receiver.ids.values()):
            failures.append("an event was delivered twice")
        if {uuid.UUID(i).hex for i in map(str, sent)} != set(mailbox.ids):
            failures.append("an email was lost, or one was received that was never sent")
        if any(n > 1 for n in mailbox.ids.values()) or failed_mail:
            failures.append("an email was sent twice or failed")
        if (allowed, limited) != (CLIENT_LIMIT, 20):
            failures.append("the API client's limit did not hold across the two processes")
        if statuses[201] == 0 or not events or not sent:
            failures.append("the load did nothing")
    finally:
        for process in processes:
            if process.returncode is None:
                process.terminate()
        for process in processes:
            try:
                code = await asyncio.wait_for(process.wait(), 30)
            except TimeoutError:
                process.kill()
                code = await process.wait()
            if code not in (0, -15):
                failures.append(f"a process exited with {code}")
        smtp.stop()
        await engine.dispose()
        with admin_engine.connect() as conn:
            for each in (name, f"{name}_keys"):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{each}" WITH (FORCE)')
        admin_engine.dispose()
    for failure in failures:
        print(f"FAILED: {failure}")
    print("multi-process check:", "FAILED" if failures else "OK")
    return 1 if failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--operations", type=int, default=240)
    sys.exit(asyncio.run(main(parser.parse_args())))
