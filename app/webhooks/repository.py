"""Every query of the webhooks domain: subscriptions, deliveries, and the worker's claims."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core import authz
from app.core.actor import Actor
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.outbox.models import OutboxEvent
from app.webhooks.models import DELIVERING, PENDING, Webhook, WebhookDelivery

WEBHOOK_SORT = SortSpec(
    columns={"created_at": col(Webhook.created_at), "updated_at": col(Webhook.updated_at)},
    default="created_at",
    id_column=col(Webhook.id),
)
DELIVERY_SORT = SortSpec(
    columns={"created_at": col(WebhookDelivery.created_at)},
    default="-created_at",
    id_column=col(WebhookDelivery.id),
)


# The webhooks the caller may manage (app.core.authz): all, or their hub's.
WEBHOOKS = authz.Scoped(Webhook, "webhook", authz.Columns(hub_id=col(Webhook.hub_id)))
visible_to = WEBHOOKS.visible_to
get_visible = WEBHOOKS.get_visible


async def list_visible(
    db: AsyncSession,
    actor: Actor,
    params: PageParams,
    *,
    hub_id: uuid.UUID | None = None,
    is_active: bool | None = None,
) -> PageResult[Webhook]:
    """A page of the webhooks within reach, filtered."""
    stmt = visible_to(actor)
    if hub_id is not None:
        stmt = stmt.where(col(Webhook.hub_id) == hub_id)
    if is_active is not None:
        stmt = stmt.where(col(Webhook.is_active) == is_active)
    return await paginate(db, stmt, WEBHOOK_SORT, params, lambda row: row[0])


async def delete(db: AsyncSession, webhook: Webhook) -> None:
    """Remove a webhook and its delivery log."""
    await db.execute(
        sa.delete(WebhookDelivery).where(col(WebhookDelivery.webhook_id) == webhook.id)
    )
    await db.delete(webhook)


async def subscribed(db: AsyncSession, hub_ids: set[uuid.UUID]) -> Sequence[Webhook]:
    """The active webhooks of these hubs (the dispatcher matches types in Python)."""
    if not hub_ids:
        return []
    stmt = sa.select(Webhook).where(
        col(Webhook.hub_id).in_(list(hub_ids)), col(Webhook.is_active).is_(True)
    )
    return (await db.execute(stmt)).scalars().all()


async def add_deliveries(db: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Queue deliveries in one statement."""
    if rows:
        await db.execute(sa.insert(WebhookDelivery), rows)


async def list_deliveries(
    db: AsyncSession,
    webhook_id: uuid.UUID,
    params: PageParams,
    *,
    status: str | None = None,
    event_type: str | None = None,
) -> PageResult[WebhookDelivery]:
    """A page of one webhook's delivery log, newest first."""
    stmt = sa.select(WebhookDelivery).where(col(WebhookDelivery.webhook_id) == webhook_id)
    if status is not None:
        stmt = stmt.where(col(WebhookDelivery.status) == status)
    if event_type is not None:
        stmt = stmt.where(col(WebhookDelivery.event_type) == event_type)
    return await paginate(db, stmt, DELIVERY_SORT, params, lambda row: row[0])


async def get_delivery(
    db: AsyncSession, webhook_id: uuid.UUID, delivery_id: uuid.UUID, *, for_update: bool = False
) -> WebhookDelivery | None:
    """One delivery of a webhook."""
    stmt = sa.select(WebhookDelivery).where(
        col(WebhookDelivery.id) == delivery_id, col(WebhookDelivery.webhook_id) == webhook_id
    )
    if for_update:
        stmt = stmt.with_for_update()
    return (await db.execute(stmt)).scalar_one_or_none()


# --- the worker's claims ------------------------------------------------------------------


async def claim_due(
    db: AsyncSession, now: datetime, lease_until: datetime, limit: int
) -> list[uuid.UUID]:
    """Take up to `limit` due deliveries of active webhooks (or whose worker died).

    On PostgreSQL, rows another worker is claiming are skipped (FOR UPDATE SKIP LOCKED);
    on SQLite the caller's immediate transaction holds the write lock. The claim is a
    lease: `claimed_until` marks the holder, and only the holder records the outcome.
    """
    due = sa.or_(
        sa.and_(
            col(WebhookDelivery.status) == PENDING, col(WebhookDelivery.next_attempt_at) <= now
        ),
        sa.and_(
            col(WebhookDelivery.status) == DELIVERING, col(WebhookDelivery.claimed_until) <= now
        ),
    )
    active = sa.select(col(Webhook.id)).where(
        col(Webhook.id) == col(WebhookDelivery.webhook_id), col(Webhook.is_active).is_(True)
    )
    stmt = (
        sa.select(col(WebhookDelivery.id))
        .where(due, active.exists())
        .order_by(col(WebhookDelivery.next_attempt_at), col(WebhookDelivery.id))
        .limit(limit)
    )
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=WebhookDelivery, skip_locked=True)
    ids = list((await db.execute(stmt)).scalars().all())
    if ids:
        await db.execute(
            sa.update(WebhookDelivery)
            .where(col(WebhookDelivery.id).in_(ids))
            .values(status=DELIVERING, claimed_until=lease_until)
        )
    return ids


async def claimed(db: AsyncSession, ids: Sequence[uuid.UUID]) -> list[tuple[Any, ...]]:
    """What the sender needs of claimed deliveries: delivery, webhook url and secret, body."""
    stmt = (
        sa.select(
            col(WebhookDelivery.id),
            col(WebhookDelivery.attempts),
            col(WebhookDelivery.created_at),
            col(WebhookDelivery.attempt_log),
            col(Webhook.url),
            col(Webhook.secret),
            col(OutboxEvent.id),
            col(OutboxEvent.payload),
        )
        .join(Webhook, col(Webhook.id) == col(WebhookDelivery.webhook_id))
        .join(OutboxEvent, col(OutboxEvent.id) == col(WebhookDelivery.event_id))
        .where(col(WebhookDelivery.id).in_(list(ids)))
    )
    return [tuple(row) for row in (await db.execute(stmt)).all()]


# What an attempt's outcome sets on its delivery (every outcome names all of them).
OUTCOME_COLUMNS = (
    "status",
    "attempts",
    "status_code",
    "duration_ms",
    "error",
    "response_body",
    "attempt_log",
    "next_attempt_at",
    "delivered_at",
)


async def finish(
    db: AsyncSession, outcomes: Sequence[tuple[uuid.UUID, datetime, dict[str, Any]]]
) -> None:
    """Record the outcomes of deliveries this worker still holds, in one statement.

    A delivery whose claim was taken over (its lease ran out) is left to its new holder.
    """
    if not outcomes:
        return
    table: sa.Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
    stmt = (
        sa.update(table)
        .where(
            table.c.id == sa.bindparam("b_id"),
            table.c.status == DELIVERING,
            table.c.claimed_until == sa.bindparam("b_lease"),
        )
        .values(
            claimed_until=None,
            **{name: sa.bindparam(f"b_{name}") for name in OUTCOME_COLUMNS},
        )
    )
    rows = [
        {
            "b_id": delivery_id,
            "b_lease": lease_until,
            **{f"b_{name}": values[name] for name in OUTCOME_COLUMNS},
        }
        for delivery_id, lease_until, values in outcomes
    ]
    await db.execute(stmt, rows)


async def release(db: AsyncSession, ids: Sequence[uuid.UUID], lease_until: datetime) -> None:
    """Hand claimed deliveries back untouched (a worker stopping before it sent them)."""
    if ids:
        await db.execute(
            sa.update(WebhookDelivery)
            .where(
                col(WebhookDelivery.id).in_(list(ids)),
                col(WebhookDelivery.status) == DELIVERING,
                col(WebhookDelivery.claimed_until) == lease_until,
            )
            .values(status=PENDING, claimed_until=None)
        )


async def prune_history(
    db: AsyncSession, before: datetime, *, dry_run: bool = False
) -> tuple[int, int]:
    """Delete finished deliveries, then dispatched events left without deliveries, older
    than `before`; returns (deliveries, events). A delivery still to be tried keeps its event.
    """
    finished = sa.and_(
        col(WebhookDelivery.status).not_in([PENDING, DELIVERING]),
        col(WebhookDelivery.created_at) < before,
    )
    unfinished = (
        sa.select(col(WebhookDelivery.id))
        .where(
            col(WebhookDelivery.event_id) == col(OutboxEvent.id),
            sa.not_(finished),
        )
        .exists()
    )
    spent = sa.and_(
        col(OutboxEvent.dispatched_at).is_not(None),
        col(OutboxEvent.occurred_at) < before,
        sa.not_(unfinished),
    )
    if dry_run:
        count = sa.select(sa.func.count())
        deliveries = await db.execute(count.select_from(WebhookDelivery).where(finished))
        events = await db.execute(count.select_from(OutboxEvent).where(spent))
        return int(deliveries.scalar_one()), int(events.scalar_one())
    gone: Any = await db.execute(sa.delete(WebhookDelivery).where(finished))
    dropped: Any = await db.execute(sa.delete(OutboxEvent).where(spent))
    return int(gone.rowcount or 0), int(dropped.rowcount or 0)
