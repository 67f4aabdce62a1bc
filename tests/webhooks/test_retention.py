"""The outbox and the delivery log are kept 30 days; the worker runs the retention daily."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import sqlalchemy as sa

from app.core import clock, schedule
from app.core.db import unit_of_work
from app.core.events import DomainEvent, publish
from app.outbox.models import OutboxEvent
from app.retention.jobs import retention_daily
from app.retention.service import execute
from app.webhooks.models import WebhookDelivery
from tests.factories import login_as, make_hub
from tests.webhooks.common import create_webhook, deliver_all


async def _events(hub_id: uuid.UUID, count: int) -> None:
    async with unit_of_work(write=True) as db:
        for _ in range(count):
            await publish(
                db,
                DomainEvent(
                    type="mentee.updated", hub_id=hub_id, subject={"mentee_id": uuid.uuid4()}
                ),
            )


async def _age_everything(days: int) -> None:
    past = clock.now() - timedelta(days=days)
    async with unit_of_work(write=True) as db:
        await db.execute(sa.update(OutboxEvent).values(occurred_at=past))
        await db.execute(sa.update(WebhookDelivery).values(created_at=past))


async def _counts() -> tuple[int, int]:
    async with unit_of_work(write=False) as db:
        events = (await db.execute(sa.select(sa.func.count()).select_from(OutboxEvent))).scalar()
        deliveries = (
            await db.execute(sa.select(sa.func.count()).select_from(WebhookDelivery))
        ).scalar()
    return int(events or 0), int(deliveries or 0)


async def test_finished_history_over_30_days_is_pruned_what_is_owed_is_kept(client, receiver):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    await create_webhook(client, staff.headers, receiver.url, ["mentee.updated"])
    await _events(hub.id, 3)
    await deliver_all()
    assert await _counts() == (3, 3)
    await _age_everything(40)
    # One more, old too, whose delivery is still owed (pending): it and its event stay.
    receiver.default = (500, {}, b"", 0.0)
    await _events(hub.id, 1)
    now = clock.now()
    from app.webhooks import jobs

    await jobs.dispatch_outbox(now)
    await jobs.deliver_due(now)
    async with unit_of_work(write=True) as db:
        past = now - timedelta(days=40)
        await db.execute(sa.update(OutboxEvent).values(occurred_at=past))
        await db.execute(sa.update(WebhookDelivery).values(created_at=past))
    # Recent history stays.
    receiver.default = (200, {}, b"ok", 0.0)
    dry = await execute(dry_run=True)
    assert (dry.webhook_deliveries, dry.outbox_events) == (3, 3)
    assert await _counts() == (4, 4)
    report = await execute(dry_run=False)
    assert (report.webhook_deliveries, report.outbox_events) == (3, 3)
    assert await _counts() == (1, 1)


async def test_a_periodic_job_is_claimed_once_per_period_across_workers():
    now = clock.now()
    every = timedelta(hours=24)

    async def claim(moment):  # type: ignore[no-untyped-def]
        async with unit_of_work(write=True) as db:
            return await schedule.claim(db, "retention-test", every, moment)

    first = await asyncio.gather(claim(now), claim(now), claim(now))
    assert sorted(first) == [False, False, True]
    assert await claim(now + timedelta(hours=23)) is False
    assert await claim(now + timedelta(hours=24)) is True


async def test_the_worker_runs_the_retention_once_a_day(client, receiver, monkeypatch):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    await create_webhook(client, staff.headers, receiver.url, ["mentee.updated"])
    await _events(hub.id, 2)
    await deliver_all()
    await _age_everything(40)
    now = clock.now()
    await retention_daily(now)
    assert await _counts() == (0, 0)
    await _events(hub.id, 1)
    await deliver_all()
    await _age_everything(40)
    await retention_daily(now + timedelta(hours=1))
    assert await _counts() == (1, 1)  # not again within the day
    await retention_daily(now + timedelta(hours=25))
    assert await _counts() == (0, 0)


async def test_the_retention_job_can_be_turned_off(client, receiver, monkeypatch):
    from app.core.config import get_settings

    monkeypatch.setenv("MENTORAT_RETENTION_INTERVAL_HOURS", "0")
    get_settings.cache_clear()
    hub = await make_hub()
    await _events(hub.id, 1)
    await _age_everything(40)
    async with unit_of_work(write=True) as db:
        await db.execute(sa.update(OutboxEvent).values(dispatched_at=clock.now()))
    await retention_daily(clock.now())
    assert await _counts() == (1, 0)


async def test_metrics_show_the_outbox_backlog_and_deliveries(client, receiver):
    hub = await make_hub()
    staff = await login_as(client, "coordinator", hub)
    await create_webhook(client, staff.headers, receiver.url, ["mentee.updated"])
    await _events(hub.id, 2)
    text = (await client.get("/metrics")).text
    assert "mentorat_outbox_pending_events 2.0" in text
    oldest = next(
        line for line in text.splitlines() if line.startswith("mentorat_outbox_oldest_pending")
    )
    assert 0 <= float(oldest.split()[-1]) < 3600
    await deliver_all()
    text = (await client.get("/metrics")).text
    assert "mentorat_outbox_pending_events 0.0" in text
    assert 'mentorat_webhook_deliveries{status="succeeded"} 2.0' in text
