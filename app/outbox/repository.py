"""Every query of the outbox: writing events, handing them to their consumers, pruning."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.config import get_settings
from app.core.events import DomainEvent
from app.core.types import utcnow
from app.outbox.catalogue import LINKS, WEBHOOK_EVENT_TYPES
from app.outbox.models import OutboxEvent
from app.outbox.schemas import EventPayload


def payload_of(event: DomainEvent) -> dict[str, Any]:
    """The thin body partners receive: ids and codes from the event, and the API link."""
    path, key = LINKS[event.resource]
    base = get_settings().public_base_url.rstrip("/")
    data: dict[str, Any] = {name: str(value) for name, value in event.subject.items()}
    data.update(event.data)
    body = EventPayload(
        id=event.id,
        type=event.type,
        timestamp=event.occurred_at,
        hub_id=event.hub_id,
        data=data,
        links={"self": f"{base}/api/v1/{path}/{event.subject[key]}"},
    )
    return body.model_dump(mode="json")


async def add_many(db: AsyncSession, batch: Sequence[DomainEvent]) -> None:
    """Insert the events' rows in the caller's transaction (internal events are skipped)."""
    rows: list[dict[str, Any]] = []
    for event in batch:
        if event.type not in WEBHOOK_EVENT_TYPES:
            continue
        actor_type, actor_id = event.actor
        rows.append(
            {
                "id": event.id,
                "type": event.type,
                "hub_id": event.hub_id,
                "subject": {name: str(value) for name, value in event.subject.items()},
                "actor_type": actor_type,
                "actor_id": actor_id,
                "payload": payload_of(event),
                "occurred_at": event.occurred_at,
                "created_at": utcnow(),
                "dispatched_at": None,
            }
        )
    if rows:
        await db.execute(sa.insert(OutboxEvent), rows)


async def claim_undispatched(db: AsyncSession, limit: int) -> Sequence[OutboxEvent]:
    """The oldest events not yet handed to their webhooks, for this worker alone.

    On PostgreSQL, rows another worker holds are skipped (FOR UPDATE SKIP LOCKED); on
    SQLite the caller's immediate transaction holds the write lock.
    """
    stmt = (
        sa.select(OutboxEvent)
        .where(col(OutboxEvent.dispatched_at).is_(None))
        .order_by(col(OutboxEvent.occurred_at), col(OutboxEvent.id))
        .limit(limit)
    )
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return (await db.execute(stmt)).scalars().all()


async def mark_dispatched(db: AsyncSession, ids: Sequence[uuid.UUID], now: datetime) -> None:
    """Record that these events have their deliveries queued."""
    if ids:
        await db.execute(
            sa.update(OutboxEvent)
            .where(col(OutboxEvent.id).in_(list(ids)))
            .values(dispatched_at=now)
        )


async def get(db: AsyncSession, event_id: uuid.UUID) -> OutboxEvent | None:
    """One event by id (internal use)."""
    return await db.get(OutboxEvent, event_id)


async def counts(db: AsyncSession) -> dict[str, int]:
    """How many events wait for dispatch, and how many the outbox holds (metrics)."""
    stmt = sa.select(
        sa.func.count().filter(col(OutboxEvent.dispatched_at).is_(None)),
        sa.func.count(),
    ).select_from(OutboxEvent)
    pending, total = (await db.execute(stmt)).one()
    return {"pending": int(pending or 0), "total": int(total or 0)}
