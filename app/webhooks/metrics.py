"""Prometheus gauges of the outbox and the webhook deliveries, read from the database."""

from __future__ import annotations

import sqlalchemy as sa
from prometheus_client import Gauge
from sqlmodel import col

from app.core import clock
from app.core.db import unit_of_work
from app.core.metrics import REGISTRY
from app.outbox.models import OutboxEvent
from app.webhooks.models import DELIVERY_STATUSES, WebhookDelivery

# The database holds the truth: every process reports the same value, the latest wins.
OUTBOX_PENDING = Gauge(
    "mentorat_outbox_pending_events",
    "Outbox events not yet handed to their webhooks.",
    registry=REGISTRY,
    multiprocess_mode="mostrecent",
)
OUTBOX_OLDEST_PENDING = Gauge(
    "mentorat_outbox_oldest_pending_seconds",
    "Age of the oldest outbox event not yet handed to its webhooks (0 when none).",
    registry=REGISTRY,
    multiprocess_mode="mostrecent",
)
DELIVERIES = Gauge(
    "mentorat_webhook_deliveries",
    "Webhook deliveries kept in the log, by status.",
    ["status"],
    registry=REGISTRY,
    multiprocess_mode="mostrecent",
)


async def update() -> None:
    """Set the gauges from two small aggregate queries."""
    async with unit_of_work(write=False) as db:
        pending, oldest = (
            await db.execute(
                sa.select(sa.func.count(), sa.func.min(col(OutboxEvent.occurred_at))).where(
                    col(OutboxEvent.dispatched_at).is_(None)
                )
            )
        ).one()
        by_status = dict(
            (
                await db.execute(
                    sa.select(col(WebhookDelivery.status), sa.func.count()).group_by(
                        col(WebhookDelivery.status)
                    )
                )
            ).all()
        )
    OUTBOX_PENDING.set(int(pending or 0))
    age = 0.0
    if oldest is not None:
        if oldest.tzinfo is None:  # SQLite hands back naive UTC through aggregates
            oldest = oldest.replace(tzinfo=clock.now().tzinfo)
        age = max(0.0, (clock.now() - oldest).total_seconds())
    OUTBOX_OLDEST_PENDING.set(age)
    for status in DELIVERY_STATUSES:
        DELIVERIES.labels(status=status).set(int(by_status.get(status, 0)))
