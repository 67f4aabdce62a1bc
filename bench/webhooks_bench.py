"""Webhooks: what the outbox costs a write, and how fast one worker delivers, side by side.

1. `outbox_write_ratio`: `POST /api/v1/mentees` by the coordinator of a hub with five webhooks
   subscribed to `mentee.created`, against the same request in a hub with none (in process,
   httpx ASGI transport, rounds interleaved so that drift hits both alike). Requests/s of the
   first ÷ the second.
2. `delivery_vs_bare`: 5,000 outbox events delivered by the worker's jobs (dispatch, claim,
   sign, post, record) to a receiver on 127.0.0.1, against a bare httpx loop posting the same
   signed bodies to the same receiver with the same concurrency. Events/s ÷ posts/s.
3. On PostgreSQL, two `mentorat worker` processes deliver 5,000 more events: every event id
   must reach the receiver exactly once.

    python bench/webhooks_bench.py [--pg postgresql://postgres@127.0.0.1:5432] [--events 5000]
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
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import Receiver, drop_databases, scratch_databases  # noqa: E402

os.environ.setdefault("MENTORAT_JWT_SECRET", f"bench-secret-{uuid.uuid4().hex}")
os.environ["MENTORAT_WEBHOOK_ALLOW_PRIVATE"] = "true"
for bucket in ("CLIENT", "USER", "TOKEN", "PUBLIC"):
    os.environ[f"MENTORAT_RATE_LIMIT_{bucket}"] = "1000000/second"


async def _post_mentees(client: Any, headers: dict[str, str], n: int) -> float:
    from tests.people.common import mentee_body

    start = time.perf_counter()
    for _ in range(n):
        r = await client.post("/api/v1/mentees", json=mentee_body(), headers=headers)
        assert r.status_code == 201, r.text
    return n / (time.perf_counter() - start)


async def _events(hub_id: uuid.UUID, count: int) -> None:
    from app.core.db import unit_of_work
    from app.core.events import DomainEvent, publish

    for start in range(0, count, 500):
        async with unit_of_work(write=True) as db:
            for _ in range(min(500, count - start)):
                subject = {"mentee_id": uuid.uuid4()}
                await publish(
                    db, DomainEvent(type="mentee.updated", hub_id=hub_id, subject=subject)
                )


async def _delivered(webhook_id: str) -> int:
    from app.core.db import unit_of_work
    from app.webhooks.models import WebhookDelivery

    async with unit_of_work(write=False) as db:
        stmt = sa.select(sa.func.count()).where(
            WebhookDelivery.webhook_id == uuid.UUID(webhook_id),  # type: ignore[arg-type]
            WebhookDelivery.status == "succeeded",  # type: ignore[arg-type]
        )
        return int((await db.execute(stmt)).scalar_one())


async def _bare(url: str, bodies: list[tuple[str, bytes]], secret: str, concurrency: int) -> float:
    import httpx

    from app.webhooks.signing import headers as signed

    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=10, follow_redirects=False, trust_env=False) as http:

        async def one(message_id: str, body: bytes) -> None:
            async with limit:
                r = await http.post(
                    url, content=body, headers=signed(secret, message_id, int(time.time()), body)
                )
                assert r.status_code == 200

        start = time.perf_counter()
        await asyncio.gather(*(one(i, b) for i, b in bodies))
        return len(bodies) / (time.perf_counter() - start)


async def main(args: argparse.Namespace) -> dict[str, Any]:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("mentorat").setLevel(logging.WARNING)
    folder = tempfile.mkdtemp()
    content_url, keys_url, names = scratch_databases(args.pg, folder, "mentorat_bench_webhooks")
    os.environ["MENTORAT_DATABASE_URL"] = content_url
    os.environ["MENTORAT_KEYSTORE_URL"] = keys_url
    receiver = Receiver()
    await receiver.start()
    result: dict[str, Any] = {
        "benchmark": "webhooks: outbox write cost, delivery rate",
        "database": "postgresql" if args.pg else "sqlite",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    try:
        from app.core.config import get_settings
        from app.core.db import get_engine
        from app.core.keystore import get_keystore
        from app.core.migrate import upgrade
        from app.main import create_app
        from app.outbox.models import OutboxEvent
        from app.webhooks import jobs
        from app.webhooks.jobs import body_of
        from tests.factories import login_as, make_hub
        from tests.webhooks.common import create_webhook

        get_settings.cache_clear()
        upgrade(content_url)
        app = create_app()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            # 1. The write path, with five subscribed webhooks and with none.
            busy_hub, quiet_hub = await make_hub(), await make_hub()
            busy = await login_as(client, "coordinator", busy_hub)
            quiet = await login_as(client, "coordinator", quiet_hub)
            for n in range(5):
                await create_webhook(
                    client, busy.headers, receiver.url, ["mentee.created"], description=f"{n}"
                )
            await _post_mentees(client, busy.headers, 20)
            await _post_mentees(client, quiet.headers, 20)
            with_hooks: list[float] = []
            without: list[float] = []
            for _ in range(args.rounds):
                without.append(await _post_mentees(client, quiet.headers, args.writes))
                with_hooks.append(await _post_mentees(client, busy.headers, args.writes))
            result["write"] = {
                "requests_per_round": args.writes,
                "rounds": args.rounds,
                "with_5_webhooks_rps": round(statistics.median(with_hooks), 1),
                "without_webhooks_rps": round(statistics.median(without), 1),
            }
            result["outbox_write_ratio"] = round(
                statistics.median(with_hooks) / statistics.median(without), 3
            )
            # The worker owes the five hooks' deliveries of those mentees: clear them first.
            while await jobs.dispatch_outbox(datetime.now(UTC)) + await jobs.deliver_due(
                datetime.now(UTC)
            ):
                pass

            # 2. One worker's delivery rate against a bare httpx loop, same receiver.
            hub = await make_hub()
            staff = await login_as(client, "coordinator", hub)
            hook = await create_webhook(client, staff.headers, receiver.url, ["mentee.updated"])
            await _events(hub.id, args.events)
            async with get_engine().connect() as conn:
                rows = await conn.execute(
                    sa.select(OutboxEvent.id, OutboxEvent.payload).where(  # type: ignore[call-overload]
                        OutboxEvent.hub_id == hub.id  # type: ignore[arg-type]
                    )
                )
                bodies = [(str(i), body_of(p)) for i, p in rows.all()]
            concurrency = get_settings().webhook_concurrency
            start = time.perf_counter()
            while True:
                now = datetime.now(UTC)
                if not await jobs.dispatch_outbox(now) + await jobs.deliver_due(now):
                    break
            worker_eps = args.events / (time.perf_counter() - start)
            assert await _delivered(hook["id"]) == args.events
            bare_rps = await _bare(receiver.url, bodies, hook["secret"], concurrency)
            result["delivery"] = {
                "events": args.events,
                "concurrency": concurrency,
                "worker_events_per_s": round(worker_eps, 1),
                "bare_httpx_posts_per_s": round(bare_rps, 1),
            }
            result["delivery_vs_bare"] = round(worker_eps / bare_rps, 3)

            # 3. Two worker processes on PostgreSQL: all delivered, none twice.
            if args.pg:
                hook2 = await create_webhook(
                    client, staff.headers, receiver.url, ["mentee.anonymised"]
                )
                receiver.ids.clear()
                from app.core.db import unit_of_work
                from app.core.events import DomainEvent, publish

                for begin in range(0, args.events, 500):
                    async with unit_of_work(write=True) as db:
                        for _ in range(min(500, args.events - begin)):
                            await publish(
                                db,
                                DomainEvent(
                                    type="mentee.anonymised",
                                    hub_id=hub.id,
                                    subject={"mentee_id": uuid.uuid4()},
                                ),
                            )
                env = {**os.environ, "MENTORAT_DATABASE_URL": content_url}
                workers = [
                    await asyncio.create_subprocess_exec(
                        str(ROOT / ".venv/bin/mentorat"),
                        "worker",
                        "--interval",
                        "0.2",
                        env=env,
                        stdout=asyncio.subprocess.DEVNULL,
                        stderr=asyncio.subprocess.DEVNULL,
                    )
                    for _ in range(2)
                ]
                start = time.perf_counter()
                try:
                    deadline = time.monotonic() + 300
                    while time.monotonic() < deadline:
                        if await _delivered(hook2["id"]) == args.events:
                            break
                        await asyncio.sleep(0.5)
                finally:
                    for process in workers:
                        process.terminate()
                    for process in workers:
                        await asyncio.wait_for(process.wait(), 60)
                seconds = time.perf_counter() - start
                counts = Counter(receiver.ids.values())
                result["two_workers"] = {
                    "events": args.events,
                    "delivered_ids": len(receiver.ids),
                    "delivered_twice": sum(n for times, n in counts.items() if times > 1),
                    "seconds": round(seconds, 2),
                    "exit_codes": [p.returncode for p in workers],
                }
                assert len(receiver.ids) == args.events, result["two_workers"]
                assert result["two_workers"]["delivered_twice"] == 0, result["two_workers"]
        await get_engine().dispose()
        await get_keystore().dispose()
    finally:
        await receiver.stop()
        drop_databases(args.pg, names)
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg", help="PostgreSQL server URL without database (default: SQLite)")
    parser.add_argument("--events", type=int, default=5000, help="events delivered")
    parser.add_argument("--writes", type=int, default=50, help="POSTs per round and hub")
    parser.add_argument("--rounds", type=int, default=6, help="interleaved rounds")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    parsed = parser.parse_args()
    outcome = asyncio.run(main(parsed))
    text = json.dumps(outcome, indent=2)
    print(text)
    if parsed.out:
        parsed.out.parent.mkdir(parents=True, exist_ok=True)
        parsed.out.write_text(text + "\n")
