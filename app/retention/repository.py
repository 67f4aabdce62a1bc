"""The queries of retention: who is due for erasure, and the records past their use."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from app.core.idempotency import IdempotencyRecord
from app.hubs.models import Hub
from app.matches.models import OPEN_STATUSES, Match
from app.people.kinds import ProfileKind
from app.users.models import RefreshToken


async def hub_cutoffs(db: AsyncSession) -> list[tuple[uuid.UUID, int]]:
    """Each hub's retention period in years."""
    stmt = sa.select(col(Hub.id), col(Hub.retention_years))
    return [(hub_id, int(years)) for hub_id, years in (await db.execute(stmt)).all()]


async def due_profiles(
    db: AsyncSession,
    kind: ProfileKind,
    closed_before: dict[uuid.UUID, datetime],
    untouched_since: datetime,
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(profile id, hub id) of the profiles to erase, oldest first.

    Due: no open match, and the last match closed before the hub's cutoff; or never
    matched and unchanged since `untouched_since`.
    """
    if not closed_before:
        return []
    table: sa.Table = kind.table.__table__  # type: ignore[attr-defined]
    own = col(Match.mentee_id) if kind.role == "mentee" else col(Match.mentor_id)
    open_match = (
        sa.select(sa.literal(1))
        .where(own == table.c.id, col(Match.status).in_(OPEN_STATUSES))
        .exists()
    )
    last_closed = (
        sa.select(sa.func.max(sa.func.coalesce(col(Match.closed_at), col(Match.updated_at))))
        .where(own == table.c.id)
        .scalar_subquery()
    )
    moment_type = table.c.updated_at.type
    cutoff = sa.case(
        *[
            (table.c.hub_id == hub_id, sa.literal(moment, moment_type))
            for hub_id, moment in closed_before.items()
        ]
    )
    stmt = (
        sa.select(table.c.id, table.c.hub_id)
        .where(
            table.c.anonymised_at.is_(None),
            sa.not_(open_match),
            sa.or_(
                last_closed < cutoff,
                sa.and_(last_closed.is_(None), table.c.updated_at < untouched_since),
            ),
        )
        .order_by(table.c.updated_at)
    )
    return [(row[0], row[1]) for row in (await db.execute(stmt)).all()]


async def prune_refresh_tokens(db: AsyncSession, now: datetime, *, dry_run: bool) -> int:
    """Delete (or count) the refresh tokens that have expired."""
    condition = col(RefreshToken.expires_at) < now
    if dry_run:
        stmt = sa.select(sa.func.count()).select_from(RefreshToken).where(condition)
        return int((await db.execute(stmt)).scalar_one())
    result = await db.execute(sa.delete(RefreshToken).where(condition))
    return int(result.rowcount)  # type: ignore[attr-defined]


async def prune_idempotency(db: AsyncSession, before: datetime, *, dry_run: bool) -> int:
    """Delete (or count) the idempotency records created before `before`."""
    condition = col(IdempotencyRecord.created_at) < before
    if dry_run:
        stmt = sa.select(sa.func.count()).select_from(IdempotencyRecord).where(condition)
        return int((await db.execute(stmt)).scalar_one())
    result = await db.execute(sa.delete(IdempotencyRecord).where(condition))
    return int(result.rowcount)  # type: ignore[attr-defined]
