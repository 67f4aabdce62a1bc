"""Every query about hubs."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core import authz
from app.core.actor import Actor
from app.core.pagination import PageParams, PageResult, SortSpec, paginate
from app.hubs.models import Hub

HUB_SORT = SortSpec(
    columns={
        "created_at": col(Hub.created_at),
        "name": col(Hub.name),
        "slug": col(Hub.slug),
        "updated_at": col(Hub.updated_at),
    },
    default="name",
    id_column=col(Hub.id),
)


# Hubs the caller may see (app.core.authz): all, or their own.
HUBS = authz.Scoped(Hub, "hub", authz.Columns(hub_id=col(Hub.id)))
visible_to = HUBS.visible_to
get_visible = HUBS.get_visible


async def get(db: AsyncSession, hub_id: uuid.UUID) -> Hub | None:
    """A hub by id, whoever asks (internal use)."""
    return await db.get(Hub, hub_id)


async def get_many(db: AsyncSession, hub_ids: set[uuid.UUID]) -> dict[uuid.UUID, Hub]:
    """Hubs by id (internal use)."""
    if not hub_ids:
        return {}
    stmt = sa.select(Hub).where(col(Hub.id).in_(list(hub_ids)))
    return {hub.id: hub for hub in (await db.execute(stmt)).scalars().all()}


async def list_visible(
    db: AsyncSession,
    actor: Actor,
    params: PageParams,
    *,
    is_active: bool | None = None,
    region: str | None = None,
    q: str | None = None,
) -> PageResult[Hub]:
    """A page of hubs within reach."""
    stmt = visible_to(actor)
    if is_active is not None:
        stmt = stmt.where(col(Hub.is_active) == is_active)
    if q:
        pattern = f"%{q.lower()}%"
        stmt = stmt.where(
            sa.or_(sa.func.lower(col(Hub.name)).like(pattern), col(Hub.slug).like(pattern))
        )
    if region:
        # Regions are a short JSON list of two-digit codes: a quoted match is exact.
        stmt = stmt.where(sa.cast(col(Hub.regions), sa.String).like(f'%"{region}"%'))
    return await paginate(db, stmt, HUB_SORT, params, lambda row: row[0])


async def slug_taken(db: AsyncSession, slug: str, *, except_id: uuid.UUID | None = None) -> bool:
    """Whether another hub uses this slug."""
    stmt = sa.select(col(Hub.id)).where(col(Hub.slug) == slug)
    if except_id is not None:
        stmt = stmt.where(col(Hub.id) != except_id)
    return (await db.execute(stmt)).first() is not None
