"""Every query on the audit log (read only: the log has no update or delete)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.audit.models import AuditEvent
from app.core import authz
from app.core.actor import Actor
from app.core.pagination import PageParams, PageResult, SortSpec, paginate

AUDIT_SORT = SortSpec(
    columns={"at": col(AuditEvent.at)}, default="-at", id_column=col(AuditEvent.id)
)


def visible_to(actor: Actor) -> sa.Select[AuditEvent]:
    """The audit log is for national admins (app.core.authz)."""
    columns = authz.Columns(hub_id=col(AuditEvent.hub_id))
    return sa.select(AuditEvent).where(authz.where(actor, "audit", columns))


async def list_events(
    db: AsyncSession,
    actor: Actor,
    params: PageParams,
    *,
    action: str | None = None,
    resource_type: str | None = None,
    resource_id: uuid.UUID | None = None,
    actor_id: uuid.UUID | None = None,
    hub_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> PageResult[AuditEvent]:
    """A page of audit events, newest first by default."""
    stmt = visible_to(actor)
    if action:
        stmt = stmt.where(col(AuditEvent.action) == action)
    if resource_type:
        stmt = stmt.where(col(AuditEvent.resource_type) == resource_type)
    if resource_id:
        stmt = stmt.where(col(AuditEvent.resource_id) == resource_id)
    if actor_id:
        stmt = stmt.where(col(AuditEvent.actor_id) == actor_id)
    if hub_id:
        stmt = stmt.where(col(AuditEvent.hub_id) == hub_id)
    if since:
        stmt = stmt.where(col(AuditEvent.at) >= since)
    if until:
        stmt = stmt.where(col(AuditEvent.at) < until)
    return await paginate(db, stmt, AUDIT_SORT, params, lambda row: row[0])


async def events_about(db: AsyncSession, resource_ids: Sequence[uuid.UUID]) -> Sequence[AuditEvent]:
    """Every event about these resources, oldest first (for a person's export)."""
    stmt = (
        sa.select(AuditEvent)
        .where(col(AuditEvent.resource_id).in_(list(resource_ids)))
        .order_by(col(AuditEvent.at), col(AuditEvent.id))
    )
    return (await db.execute(stmt)).scalars().all()
